/* The ext4 writer's inodes: allocation, the encryption context in the inode body, block mapping, rollback. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "writer.h"

/* The fscrypt context's xattr: index 9 ("encryption"), name "c" (ext4's EXT4_XATTR_INDEX_ENCRYPTION). */
#define CTX_XATTR_INDEX 9
#define CTX_XATTR_NAME "c"
#define XATTR_MAGIC 0xEA020000u
#define XATTR_ENTRY_SIZE 20 /* 16-byte header + the 1-byte name, rounded to 4 */
#define EXTRA_ISIZE 32      /* sizeof(struct ext2_inode_large) - 128: every field this writer sets */

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

int fscrypt_ext__wr_fail(errcode_t e, const char *what, ext2_ino_t ino)
{
	if (ino)
		fprintf(stderr, "fscrypt-ext-ext4: import: inode %u: %s: %s\n", ino, what, error_message(e));
	else
		fprintf(stderr, "fscrypt-ext-ext4: import: %s: %s\n", what, error_message(e));
	return -1;
}

int fscrypt_ext__wr_read_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint8_t *buf)
{
	errcode_t e = ext2fs_read_inode_full(w->fs, ino, (struct ext2_inode *)buf, EXT2_INODE_SIZE(w->fs->super));

	return e ? fscrypt_ext__wr_fail(e, "read inode", ino) : 0;
}

int fscrypt_ext__wr_write_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint8_t *buf)
{
	errcode_t e = ext2fs_write_inode_full(w->fs, ino, (struct ext2_inode *)buf, EXT2_INODE_SIZE(w->fs->super));

	return e ? fscrypt_ext__wr_fail(e, "write inode", ino) : 0;
}

int fscrypt_ext__wr_child_context(const struct fscrypt_ext_context *parent, const struct fscrypt_ext_fs_info *fs,
				  struct fscrypt_ext_context *out)
{
	int err = fscrypt_ext_context_inherit(parent, fs, out);

	if (err)
		fprintf(stderr, "fscrypt-ext-ext4: import: new context: %s\n", fscrypt_ext_strerror(err));
	return err ? -1 : 0;
}

/*
 * The in-inode xattr area after i_extra_isize: magic, one entry ("c" in index
 * 9), the end marker, and the value at the end of the area. libext2fs's xattr
 * API cannot be used: its name table has no prefix for index 9, so it would
 * store "c" in index 0, where the kernel never looks.
 */
static int put_context_xattr(struct fscrypt_ext__writer *w, uint8_t *raw, const struct fscrypt_ext_context *ctx)
{
	size_t isz = EXT2_INODE_SIZE(w->fs->super), area = EXT2_GOOD_OLD_INODE_SIZE + EXTRA_ISIZE;
	uint8_t value[FSCRYPT_EXT_CONTEXT_MAX_SIZE];
	struct ext2_ext_attr_entry ent;
	size_t len, first = area + 4, value_offs;
	uint8_t *e = raw + first;
	int err = fscrypt_ext_context_serialize(ctx, value, sizeof(value), &len);

	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: import: context: %s\n", fscrypt_ext_strerror(err));
		return -1;
	}
	/* Offsets count from the first entry; the value sits 4-aligned at the end of the inode. */
	value_offs = (isz - first - len) & ~(size_t)3;
	if (first + XATTR_ENTRY_SIZE + 4 > first + value_offs)
		return -1; /* checked by the caller's inode size rule already */
	put_le32(raw + area, XATTR_MAGIC);
	memset(&ent, 0, sizeof(ent));
	ent.e_name_len = 1;
	ent.e_name_index = CTX_XATTR_INDEX;
	ent.e_value_offs = (uint16_t)value_offs;
	ent.e_value_size = (uint32_t)len;
	memcpy(raw + first + value_offs, value, len);
	/* The hash covers the name and the value (not the index); e2fsck checks it when non-zero. */
	memcpy(e + 16, CTX_XATTR_NAME, 1);
	{
		/* ext2fs_ext_attr_hash_entry() reads the name right after the 16-byte header. */
		union {
			struct ext2_ext_attr_entry hdr;
			uint8_t bytes[XATTR_ENTRY_SIZE];
		} u;

		memset(&u, 0, sizeof(u));
		u.hdr = ent;
		memcpy(u.bytes + 16, CTX_XATTR_NAME, 1);
		ent.e_hash = ext2fs_ext_attr_hash_entry(&u.hdr, raw + first + value_offs);
	}
	e[0] = ent.e_name_len;
	e[1] = ent.e_name_index;
	put_le16(e + 2, ent.e_value_offs);
	put_le32(e + 4, 0); /* e_value_inum */
	put_le32(e + 8, ent.e_value_size);
	put_le32(e + 12, ent.e_hash);
	memset(e + 17, 0, 3);
	put_le32(e + XATTR_ENTRY_SIZE, 0); /* end of entries */
	explicit_bzero(value, sizeof(value));
	return 0;
}

static uint32_t time_extra(const struct timespec *ts)
{
	/*
	 * ext4 extra time: nanoseconds << 2, and in the low two bits how many
	 * 2^32-second epochs to add to the signed 32-bit seconds field.
	 */
	int64_t sec = (int64_t)ts->tv_sec;
	uint32_t epoch = (uint32_t)((uint64_t)(sec - (int64_t)(int32_t)sec) >> 32) & 3;

	return (uint32_t)ts->tv_nsec << 2 | epoch;
}

static int record_created(struct fscrypt_ext__writer *w, ext2_ino_t ino)
{
	if (w->ncreated == w->cap_created) {
		size_t cap = w->cap_created ? 2 * w->cap_created : 256;
		ext2_ino_t *n = realloc(w->created, cap * sizeof(*n));

		if (!n)
			return -1;
		w->created = n;
		w->cap_created = cap;
	}
	w->created[w->ncreated++] = ino;
	return 0;
}

int fscrypt_ext__wr_alloc_ino(struct fscrypt_ext__writer *w, ext2_ino_t parent, uint16_t mode, ext2_ino_t *ino_out)
{
	ext2_ino_t ino;
	errcode_t e = ext2fs_new_inode(w->fs, parent, mode, NULL, &ino);

	if (e)
		return fscrypt_ext__wr_fail(e, "allocate an inode", 0);
	if (record_created(w, ino)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: out of memory\n");
		return -1;
	}
	ext2fs_inode_alloc_stats2(w->fs, ino, +1, LINUX_S_ISDIR(mode));
	*ino_out = ino;
	return 0;
}

int fscrypt_ext__wr_new_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint16_t mode, const struct stat *st,
			      uint64_t size, const uint8_t *fast_target, const struct fscrypt_ext_context *ctx)
{
	size_t isz = EXT2_INODE_SIZE(w->fs->super);
	uint8_t *raw = calloc(1, isz);
	struct ext2_inode_large *in = (struct ext2_inode_large *)raw;
	struct timespec now;
	errcode_t e;
	int ret = -1;

	if (!raw)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	in->i_mode = mode;
	in->i_uid = (uint16_t)st->st_uid;
	in->osd2.linux2.l_i_uid_high = (uint16_t)(st->st_uid >> 16);
	in->i_gid = (uint16_t)st->st_gid;
	in->osd2.linux2.l_i_gid_high = (uint16_t)(st->st_gid >> 16);
	in->i_links_count = 1;
	in->i_atime = (uint32_t)st->st_atim.tv_sec;
	in->i_mtime = (uint32_t)st->st_mtim.tv_sec;
	in->i_ctime = (uint32_t)st->st_ctim.tv_sec;
	in->i_extra_isize = EXTRA_ISIZE;
	in->i_atime_extra = time_extra(&st->st_atim);
	in->i_mtime_extra = time_extra(&st->st_mtim);
	in->i_ctime_extra = time_extra(&st->st_ctim);
	in->i_crtime = (uint32_t)now.tv_sec;
	in->i_crtime_extra = time_extra(&now);
	if (getrandom(&in->i_generation, sizeof(in->i_generation), 0) != sizeof(in->i_generation))
		in->i_generation = (uint32_t)now.tv_nsec;
	in->i_flags = EXT4_ENCRYPT_FL;
	if ((e = ext2fs_inode_size_set(w->fs, (struct ext2_inode *)in, size))) {
		fscrypt_ext__wr_fail(e, "set size", ino);
		goto out;
	}
	if (fast_target) {
		/* The kernel keeps an on-disk form shorter than i_block there, without extents. */
		if (size >= sizeof(in->i_block))
			goto out;
		memcpy(in->i_block, fast_target, (size_t)size);
	} else if (w->extents) {
		/* An empty extent tree, set up in memory by libext2fs (nothing is written by open/free). */
		ext2_extent_handle_t h;

		if ((e = ext2fs_extent_open2(w->fs, ino, (struct ext2_inode *)in, &h))) {
			fscrypt_ext__wr_fail(e, "extent tree", ino);
			goto out;
		}
		ext2fs_extent_free(h);
	}
	if (put_context_xattr(w, raw, ctx) || fscrypt_ext__wr_write_inode(w, ino, raw))
		goto out;
	ret = 0;
out:
	free(raw);
	return ret;
}

int fscrypt_ext__wr_alloc(struct fscrypt_ext__writer *w, ext2_ino_t ino, blk64_t lblk, blk64_t n)
{
	errcode_t e;

	if (n == 0)
		return 0;
	/* The inode is read and written back by ext2fs_fallocate itself (inode argument NULL). */
	e = ext2fs_fallocate(w->fs, EXT2_FALLOCATE_FORCE_INIT | EXT2_FALLOCATE_INIT_BEYOND_EOF, ino, NULL, ~0ULL,
			     lblk, n);
	return e ? fscrypt_ext__wr_fail(e, "allocate blocks", ino) : 0;
}

int fscrypt_ext__wr_blocks(struct fscrypt_ext__writer *w, ext2_ino_t ino, blk64_t lblk, blk64_t n,
			   const uint8_t *buf)
{
	unsigned int bs = w->fs->blocksize;
	blk64_t i = 0;

	while (i < n) {
		blk64_t first = 0, next = 0, run = 1;
		errcode_t e = ext2fs_bmap2(w->fs, ino, NULL, NULL, 0, lblk + i, NULL, &first);

		if (e || !first)
			return fscrypt_ext__wr_fail(e ? e : EXT2_ET_BLOCK_ALLOC_FAIL, "map block", ino);
		/* Extend the run while the physical blocks follow each other. */
		while (i + run < n && !ext2fs_bmap2(w->fs, ino, NULL, NULL, 0, lblk + i + run, NULL, &next) &&
		       next == first + run)
			run++;
		e = io_channel_write_blk64(w->fs->io, first, (int)run, buf + (size_t)i * bs);
		if (e)
			return fscrypt_ext__wr_fail(e, "write blocks", ino);
		i += run;
	}
	return 0;
}

size_t fscrypt_ext__wr_rollback(struct fscrypt_ext__writer *w)
{
	size_t isz = EXT2_INODE_SIZE(w->fs->super), done = 0;
	uint8_t *raw = calloc(1, isz);

	if (!raw)
		return 0;
	/* Newest first; each inode loses its blocks (data and extent tree) and is marked free. */
	for (size_t i = w->ncreated; i-- > 0;) {
		ext2_ino_t ino = w->created[i];
		struct ext2_inode_large *in = (struct ext2_inode_large *)raw;
		int is_dir;

		if (ext2fs_read_inode_full(w->fs, ino, (struct ext2_inode *)raw, (int)isz))
			continue;
		is_dir = LINUX_S_ISDIR(in->i_mode);
		if (ext2fs_inode_has_valid_blocks2(w->fs, (struct ext2_inode *)raw))
			ext2fs_punch(w->fs, ino, (struct ext2_inode *)raw, NULL, 0, ~0ULL);
		memset(raw, 0, isz);
		in->i_dtime = (uint32_t)time(NULL);
		if (ext2fs_write_inode_full(w->fs, ino, (struct ext2_inode *)raw, (int)isz))
			continue;
		ext2fs_inode_alloc_stats2(w->fs, ino, -1, is_dir);
		done++;
	}
	free(raw);
	w->ncreated = 0;
	return done;
}
