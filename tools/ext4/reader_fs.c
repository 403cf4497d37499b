/* ext4 reader: filesystem-wide counts (statfs) from the superblock, for the mount command. */
#include <string.h>
#include <sys/statvfs.h>

#include "reader_int.h"

int ext4r_statfs(ext4r *r, struct statvfs *out)
{
	struct ext2_super_block *sb;
	uint64_t free_blocks, reserved;

	memset(out, 0, sizeof(*out));
	ext4r__lock(r);
	sb = r->fs->super;
	free_blocks = ext2fs_free_blocks_count(sb);
	reserved = ext2fs_r_blocks_count(sb);
	out->f_bsize = r->block_size;
	out->f_frsize = r->block_size;
	out->f_blocks = ext2fs_blocks_count(sb);
	out->f_files = sb->s_inodes_count;
	out->f_ffree = sb->s_free_inodes_count;
	ext4r__unlock(r);
	/* The superblock's counts are hints (e2fsck recomputes them): keep them consistent, never trust them. */
	if (free_blocks > out->f_blocks)
		free_blocks = out->f_blocks;
	out->f_bfree = free_blocks;
	out->f_bavail = free_blocks > reserved ? free_blocks - reserved : 0;
	if (out->f_ffree > out->f_files)
		out->f_ffree = out->f_files;
	out->f_favail = out->f_ffree;
	out->f_namemax = EXT2_NAME_LEN;
	out->f_flag = ST_RDONLY;
	return 0;
}
