/* fscrypt-ext-ext4: what main.c hands each command (the open reader and the options), one entry point per command. */
#ifndef FSCRYPT_EXT_EXT4_CMDS_H
#define FSCRYPT_EXT_EXT4_CMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "reader.h"

/* Exit codes: 0 everything asked for was read (and decrypted); 1 something could not be; 2 usage or setup. */
#define EXT4_EXIT_OK 0
#define EXT4_EXIT_PARTIAL 1
#define EXT4_EXIT_USAGE 2

struct ext4_gf;

struct ext4_cmd {
	ext4r *r;
	struct ext4_gf *gf; /* google/fscrypt metadata and credentials (credentials.h); NULL without the protector library */
	uint64_t max_size; /* --max-size: bytes cat or extract may write (extract: data, holes are free) */
	bool max_size_given;
	bool json;         /* --json (ls, check) */
	bool recursive;    /* -R (ls) */
	bool foreground;   /* --foreground (mount): stay attached to the terminal */
	const char *fuse_opts; /* -o OPTIONS (mount): passed to FUSE after "ro" */
	const char *policy;    /* --policy TEXT (import) */
	int argc;          /* the command's operands */
	char **argv;
};

/* Each returns an EXT4_EXIT_* code; problems are reported through the reader (ext4r_report). */
int ext4_cmd_ls(struct ext4_cmd *c);
int ext4_cmd_cat(struct ext4_cmd *c);
int ext4_cmd_extract(struct ext4_cmd *c);
/* check: 0 clean, 1 problems found (EXT4_EXIT_PARTIAL), 2 the check could not run. */
int ext4_cmd_check(struct ext4_cmd *c);
int ext4_cmd_protectors(struct ext4_cmd *c); /* protectors.c */
/* import SRC DEST: c->r is not open; the command opens image itself (read through the reader, then written). */
int ext4_cmd_import(struct ext4_cmd *c, const char *image, const struct tc_keyset *keys);
#ifdef FSCRYPT_EXT_HAVE_FUSE
int ext4_cmd_mount(struct ext4_cmd *c);
/*
 * mount without --foreground: forks before any key is loaded. Returns 0 in the
 * child (which mounts, then tells the parent and detaches); the parent never
 * returns: it exits 0 once the filesystem is mounted, else with the child's
 * status. -1 when the fork could not be made.
 */
int ext4_mount_prefork(void);
#endif

/* "path not found", with the no-key hint when no keys were given (ls, cat, extract). */
void ext4_not_found(const struct ext4_cmd *c);

/* "--max-size N" advice shared by cat and extract. */
void ext4_max_size_hint(const struct ext4_cmd *c, uint32_t ino, uint64_t would);

#endif
