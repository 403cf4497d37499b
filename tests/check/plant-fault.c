/*
 * plant-fault: test-only helper that plants one encryption fault in a copy of an ext4 image, through
 * libext2fs so that every metadata checksum is recomputed (tests/scripts/test-ext4-check.sh).
 * It edits raw on-disk bytes on purpose: the encryption context xattr (index 9, "c") is rewritten in
 * the inode body keeping its index, which debugfs's ea_set would change to 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#define EA_MAGIC 0xEA020000u
#define EA_ENTRY 16 /* struct ext2_ext_attr_entry without the name */
#define CTX_INDEX 9

static void die(const char *fmt, const char *arg, errcode_t e)
{
	fprintf(stderr, "plant-fault: ");
	fprintf(stderr, fmt, arg);
	if (e)
		fprintf(stderr, ": error %ld", (long)e);
	fputc('\n', stderr);
	exit(1);
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;

	if (strlen(s) % 2 || n > cap)
		die("bad hex '%s'", s, 0);
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			die("bad hex '%s'", s, 0);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

struct ibody {
	uint8_t *raw;  /* the whole on-disk inode */
	size_t isize;
	size_t start;  /* first entry (after the magic) */
	size_t end;    /* end of the inode */
};

static void ibody_locate(struct ibody *b)
{
	size_t extra = b->raw[128] | (size_t)b->raw[129] << 8;

	b->start = 128 + extra + 4;
	b->end = b->isize;
	if (b->start > b->end || le32(b->raw + 128 + extra) != EA_MAGIC)
		die("%s", "inode has no in-inode xattrs (only those are handled)", 0);
}

/* The offset of the index-9 "c" entry, or 0. */
static size_t find_ctx(const struct ibody *b)
{
	for (size_t e = b->start; e + EA_ENTRY <= b->end && le32(b->raw + e) != 0;) {
		uint8_t nl = b->raw[e];

		if (nl == 1 && b->raw[e + 1] == CTX_INDEX && b->raw[e + EA_ENTRY] == 'c')
			return e;
		e += (EA_ENTRY + nl + 3) & ~3u;
	}
	return 0;
}

static void inode_rw(ext2_filsys fs, ext2_ino_t ino, uint8_t *raw, size_t isize, int write)
{
	errcode_t e = write ? ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)raw, (int)isize)
			    : ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)raw, (int)isize);

	if (e)
		die("%s inode", write ? "cannot write" : "cannot read", e);
}

/* Rewrites the context entry with value (len bytes; len 0 removes it), keeping index 9. */
static void ctx_set(ext2_filsys fs, ext2_ino_t ino, const uint8_t *val, size_t len)
{
	size_t isize = EXT2_INODE_SIZE(fs->super);
	struct ibody b = { .raw = calloc(1, isize), .isize = isize };
	size_t e, voff, room;

	inode_rw(fs, ino, b.raw, isize, 0);
	ibody_locate(&b);
	e = find_ctx(&b);
	if (!e)
		die("%s", "no encryption context entry in the inode body", 0);
	if (len == 0) {
		/* Only the context lives here in kernel-written inodes: end the list at it. */
		memset(b.raw + e, 0, b.end - e);
	} else {
		room = b.end - b.start;
		voff = room - ((len + 3) & ~(size_t)3);
		if (voff < (size_t)(e - b.start) + 20 + 4 || voff > room)
			die("%s", "value does not fit in the inode body", 0);
		memset(b.raw + b.start + (e - b.start) + 20, 0, room - (e - b.start) - 20);
		put16(b.raw + e + 2, (uint16_t)voff);
		put32(b.raw + e + 4, 0);
		put32(b.raw + e + 8, (uint32_t)len);
		put32(b.raw + e + 12, 0); /* in-inode entries may carry hash 0 */
		memcpy(b.raw + b.start + voff, val, len);
	}
	inode_rw(fs, ino, b.raw, isize, 1);
	free(b.raw);
}

static void ctx_get(ext2_filsys fs, ext2_ino_t ino)
{
	size_t isize = EXT2_INODE_SIZE(fs->super);
	struct ibody b = { .raw = calloc(1, isize), .isize = isize };
	size_t e, voff, len;

	inode_rw(fs, ino, b.raw, isize, 0);
	ibody_locate(&b);
	e = find_ctx(&b);
	if (!e)
		die("%s", "no encryption context entry in the inode body", 0);
	voff = b.raw[e + 2] | (size_t)b.raw[e + 3] << 8;
	len = le32(b.raw + e + 8);
	if (b.start + voff + len > b.end)
		die("%s", "context value outside the inode", 0);
	hex(b.raw + b.start + voff, len);
	free(b.raw);
}

static void flags(ext2_filsys fs, ext2_ino_t ino, uint32_t set, uint32_t clear)
{
	struct ext2_inode_large in;

	inode_rw(fs, ino, (uint8_t *)&in, sizeof(in), 0);
	in.i_flags = (in.i_flags | set) & ~clear;
	inode_rw(fs, ino, (uint8_t *)&in, sizeof(in), 1);
}

struct name_set {
	ext2_filsys fs;
	ext2_ino_t child;
	const uint8_t *name;
	size_t len;
	int done;
	errcode_t err;
};

static int name_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset, int blocksize, char *buf,
		   void *priv)
{
	struct name_set *ns = priv;
	unsigned int rec_len = 0;

	(void)dir;
	(void)entry;
	(void)offset;
	(void)blocksize;
	(void)buf;
	if (de->inode != ns->child || ns->done)
		return 0;
	ext2fs_get_rec_len(ns->fs, de, &rec_len);
	if (8 + ((ns->len + 3) & ~(size_t)3) > rec_len) {
		ns->err = ENOSPC;
		return DIRENT_ABORT;
	}
	memcpy(de->name, ns->name, ns->len);
	ext2fs_dirent_set_name_len(de, (int)ns->len);
	ns->done = 1;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

/* Replaces the stored name of dir's entry for child (the block's checksum is recomputed). */
static void name_set(ext2_filsys fs, ext2_ino_t dir, ext2_ino_t child, const uint8_t *name, size_t len)
{
	struct name_set ns = { fs, child, name, len, 0, 0 };
	errcode_t e = ext2fs_dir_iterate2(fs, dir, 0, NULL, name_cb, &ns);

	if (e || ns.err || !ns.done)
		die("%s", ns.err ? "the new name does not fit the record" : "entry not found", e);
}

/* Sets a symlink's stored bytes and i_size: in i_block (fast) or in its one block. */
static void symlink_set(ext2_filsys fs, ext2_ino_t ino, const uint8_t *val, size_t len, uint64_t isize)
{
	struct ext2_inode_large in;
	blk64_t pblk = 0;
	char *blk;
	errcode_t e;

	inode_rw(fs, ino, (uint8_t *)&in, sizeof(in), 0);
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&in)) {
		if (len > sizeof(in.i_block))
			die("%s", "fast symlink: at most 60 bytes", 0);
		memset(in.i_block, 0, sizeof(in.i_block));
		memcpy(in.i_block, val, len);
	} else {
		e = ext2fs_bmap2(fs, ino, (struct ext2_inode *)&in, NULL, 0, 0, NULL, &pblk);
		if (e || !pblk || len > fs->blocksize)
			die("%s", "symlink block not mapped or value too long", e);
		blk = calloc(1, fs->blocksize);
		memcpy(blk, val, len);
		e = io_channel_write_blk64(fs->io, pblk, 1, blk);
		free(blk);
		if (e)
			die("%s", "cannot write the symlink block", e);
	}
	in.i_size = (uint32_t)isize;
	in.i_size_high = (uint32_t)(isize >> 32);
	inode_rw(fs, ino, (uint8_t *)&in, sizeof(in), 1);
}

static void symlink_get(ext2_filsys fs, ext2_ino_t ino)
{
	struct ext2_inode_large in;
	blk64_t pblk = 0;
	uint8_t *blk = calloc(1, fs->blocksize);
	errcode_t e;
	size_t n;

	inode_rw(fs, ino, (uint8_t *)&in, sizeof(in), 0);
	n = in.i_size;
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&in)) {
		memcpy(blk, in.i_block, sizeof(in.i_block));
		if (n > sizeof(in.i_block))
			n = sizeof(in.i_block);
	} else {
		e = ext2fs_bmap2(fs, ino, (struct ext2_inode *)&in, NULL, 0, 0, NULL, &pblk);
		if (e || !pblk || io_channel_read_blk64(fs->io, pblk, 1, blk))
			die("%s", "cannot read the symlink block", e);
		if (n > fs->blocksize)
			n = fs->blocksize;
	}
	printf("%s ", ext2fs_is_fast_symlink((struct ext2_inode *)&in) ? "fast" : "slow");
	hex(blk, n);
	free(blk);
}

int main(int argc, char **argv)
{
	static uint8_t val[65536];
	ext2_filsys fs;
	errcode_t e;
	ext2_ino_t ino;
	size_t n;

	if (argc < 4) {
		fputs("usage: plant-fault IMAGE OP INO [ARGS]\n"
		      "  ctx-get INO | ctx-set INO HEX | ctx-rm INO | flags INO SET_HEX CLEAR_HEX\n"
		      "  name-set DIR_INO CHILD_INO HEX | symlink-get INO | symlink-set INO HEX I_SIZE\n",
		      stderr);
		return 2;
	}
	e = ext2fs_open(argv[1], EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &fs);
	if (e)
		die("cannot open %s", argv[1], e);
	ino = (ext2_ino_t)strtoul(argv[3], NULL, 0);
	if (!strcmp(argv[2], "ctx-get")) {
		ctx_get(fs, ino);
	} else if (!strcmp(argv[2], "ctx-set") && argc == 5) {
		n = unhex(argv[4], val, sizeof(val));
		ctx_set(fs, ino, val, n);
	} else if (!strcmp(argv[2], "ctx-rm")) {
		ctx_set(fs, ino, NULL, 0);
	} else if (!strcmp(argv[2], "flags") && argc == 6) {
		flags(fs, ino, (uint32_t)strtoul(argv[4], NULL, 16), (uint32_t)strtoul(argv[5], NULL, 16));
	} else if (!strcmp(argv[2], "name-set") && argc == 6) {
		n = unhex(argv[5], val, 255);
		name_set(fs, ino, (ext2_ino_t)strtoul(argv[4], NULL, 0), val, n);
	} else if (!strcmp(argv[2], "symlink-get")) {
		symlink_get(fs, ino);
	} else if (!strcmp(argv[2], "symlink-set") && argc == 6) {
		n = unhex(argv[4], val, sizeof(val));
		symlink_set(fs, ino, val, n, strtoull(argv[5], NULL, 0));
	} else {
		die("unknown operation %s", argv[2], 0);
	}
	e = ext2fs_close_free(&fs);
	if (e)
		die("%s", "cannot close the image", e);
	return 0;
}
