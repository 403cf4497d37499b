/* fscrypt-ext-ext4 mount: what mount.c shares with mount_readonly.c and mount_process.c. */
#ifndef FSCRYPT_EXT_EXT4_MOUNT_H
#define FSCRYPT_EXT_EXT4_MOUNT_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>
#include <stdbool.h>

/* Sets every request that would change the filesystem to fail with EROFS. */
void ext4_mount_refuse_writes(struct fuse_lowlevel_ops *ops);
/* The user's -o options: false (message printed) if one would make the mount writable. */
bool ext4_mount_opts_ok(const char *opts);
/* Once mounted: tells the parent waiting in ext4_mount_prefork() and detaches from the terminal; nothing in --foreground. */
void ext4_mount_ready(void);

#endif
