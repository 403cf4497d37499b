/*
 * mkhostile: turns a fresh mke2fs image into one hostile-image class of issue 10, through libext2fs
 * (so every checksum is recomputed and the image looks valid) and libfscrypt-ext (real encrypted
 * names, contents and contexts under the test key bytes 0x00..0x3f). Test-only; see run-hostile.sh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include <fscrypt_ext/fscrypt_ext.h>

static ext2_filsys fs;
static fscrypt_ext_master_key *mk;
static struct fscrypt_ext_fs_info fsinfo;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkhostile: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

#define E(call)                                                                          \
	do {                                                                             \
		errcode_t e_ = (call);                                                   \
		if (e_)                                                                  \
			die("%s:%d: %s: %s", __FILE__, __LINE__, #call, error_message(e_)); \
	} while (0)
#define L(call)                                                                          \
	do {                                                                             \
		int l_ = (call);                                                         \
		if (l_)                                                                  \
			die("%s:%d: %s: %s", __FILE__, __LINE__, #call, fscrypt_ext_strerror(l_)); \
	} while (0)

static void get_inode(ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	E(ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

static void put_inode(ext2_ino_t ino, struct ext2_inode_large *in)
{
	E(ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

static ext2_ino_t new_inode(uint16_t mode, uint32_t flags, uint64_t size)
{
	struct ext2_inode_large in;
	ext2_ino_t ino;

	E(ext2fs_new_inode(fs, EXT2_ROOT_INO, mode, NULL, &ino));
	ext2fs_inode_alloc_stats2(fs, ino, +1, LINUX_S_ISDIR(mode));
	memset(&in, 0, sizeof(in));
	in.i_mode = mode;
	in.i_links_count = LINUX_S_ISDIR(mode) ? 2 : 1;
	in.i_flags = flags;
	in.i_extra_isize = sizeof(struct ext2_inode_large) - EXT2_GOOD_OLD_INODE_SIZE;
	in.i_atime = in.i_ctime = in.i_mtime = 1700000000;
	E(ext2fs_inode_size_set(fs, (struct ext2_inode *)&in, size));
	E(ext2fs_write_new_inode(fs, ino, (struct ext2_inode *)&in));
	return ino;
}

/* Maps (allocating) logical block lblk of an extent-mapped inode and writes data (one block) there. */
static void write_block(ext2_ino_t ino, blk64_t lblk, const void *data)
{
	blk64_t pblk = 0;

	E(ext2fs_bmap2(fs, ino, NULL, NULL, BMAP_ALLOC, lblk, NULL, &pblk));
	E(io_channel_write_blk64(fs->io, pblk, 1, data));
}

/* The inode's in-body xattr area written by hand: the encryption context under index 9, name "c". */
static void set_context(ext2_ino_t ino, const struct fscrypt_ext_context *ctx)
{
	uint8_t raw[EXT2_GOOD_OLD_INODE_SIZE + 128] = { 0 }, val[40];
	size_t isz = EXT2_INODE_SIZE(fs->super), vlen = 0, base;
	struct ext2_inode_large *in = (struct ext2_inode_large *)raw;
	uint8_t *p;

	if (isz > sizeof(raw))
		die("inode size %zu", isz);
	L(fscrypt_ext_context_serialize(ctx, val, sizeof(val), &vlen));
	E(ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)raw, (int)isz));
	base = EXT2_GOOD_OLD_INODE_SIZE + in->i_extra_isize;
	p = raw + base;
	memset(p, 0, isz - base);
	p[0] = 0x00, p[1] = 0x00, p[2] = 0x02, p[3] = 0xea; /* EXT2_EXT_ATTR_MAGIC, little-endian */
	/* One entry: name_len 1, index 9, value at offset 24 from the first entry, size vlen, hash 0. */
	p[4] = 1;
	p[5] = 9;
	p[6] = 24;
	p[12] = (uint8_t)vlen;
	p[20] = 'c';
	/* The entry ends at p + 24, where four zero bytes end the list; its value follows at p + 4 + 24. */
	memcpy(p + 4 + 24, val, vlen);
	E(ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)raw, (int)isz));
}

static void make_context(struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *key, uint8_t nonce_seed)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->version = FSCRYPT_EXT_CONTEXT_V2;
	ctx->contents_mode = 1;  /* AES-256-XTS */
	ctx->filenames_mode = 4; /* AES-256-CTS */
	ctx->flags = 0x02;       /* pad 16 */
	L(fscrypt_ext_master_key_identifier(key, ctx->key_identifier));
	for (int i = 0; i < FSCRYPT_EXT_NONCE_SIZE; i++)
		ctx->nonce[i] = (uint8_t)(nonce_seed * 31 + i);
}

static fscrypt_ext_inode *open_key(const struct fscrypt_ext_context *ctx, enum fscrypt_ext_inode_type t, ext2_ino_t ino,
				   bool casefold)
{
	fscrypt_ext_inode *k;

	L(fscrypt_ext_inode_open_ex(ctx, mk, t, ino, &fsinfo, casefold ? FSCRYPT_EXT_OPEN_CASEFOLDED : 0, &k));
	return k;
}

/*
 * Appends a record to a directory's block 0: the last record is shrunk to its
 * size and the new one takes the rest. With hash (8 bytes) the hash follows
 * the padded name. tight: the record gets exactly its name (no room for a
 * hash) and ends the block, an unused record filling the gap before it.
 */
static void add_dirent(ext2_ino_t dir, const uint8_t *name, size_t nlen, ext2_ino_t ino, uint8_t ftype,
		       const uint8_t *hash, bool tight)
{
	size_t bs = fs->blocksize, end = bs - (ext2fs_has_feature_metadata_csum(fs->super) ? 12 : 0);
	size_t need = 8 + ((nlen + 3) & ~(size_t)3) + (hash && !tight ? 8 : 0), off = 0, last = 0;
	blk64_t pblk = 0;
	uint8_t *b = malloc(bs);

	E(ext2fs_bmap2(fs, dir, NULL, NULL, 0, 0, NULL, &pblk));
	E(ext2fs_read_dir_block4(fs, pblk, b, 0, dir));
	while (off < end) {
		size_t rl = b[off + 4] | b[off + 5] << 8;

		last = off;
		off += rl;
	}
	{
		size_t lname = b[last + 6], lneed = 8 + ((lname + 3) & ~(size_t)3);
		uint32_t lino = b[last] | b[last + 1] << 8 | b[last + 2] << 16 | (uint32_t)b[last + 3] << 24;
		size_t start, rl;

		if (lino == 0)
			lneed = 0; /* an empty block's single unused record */
		/* In a hashed directory every record but "." and ".." carries its 8-byte hash. */
		if (lino && hash && !((lname == 1 || lname == 2) && b[last + 8] == '.' && b[last + 7 + lname] == '.'))
			lneed += 8;
		start = last + lneed;
		if (start + need > end)
			die("directory %u block full", dir);
		if (lneed) {
			b[last + 4] = (uint8_t)lneed;
			b[last + 5] = (uint8_t)(lneed >> 8);
		}
		if (tight) {
			size_t gap = end - start - need;

			if (gap < 12)
				die("no room for a filler record");
			memset(b + start, 0, 8);
			b[start + 4] = (uint8_t)gap, b[start + 5] = (uint8_t)(gap >> 8);
			start += gap;
		}
		rl = end - start;
		memset(b + start, 0, rl);
		b[start] = (uint8_t)ino, b[start + 1] = (uint8_t)(ino >> 8), b[start + 2] = (uint8_t)(ino >> 16),
		b[start + 3] = (uint8_t)(ino >> 24);
		b[start + 4] = (uint8_t)rl, b[start + 5] = (uint8_t)(rl >> 8);
		b[start + 6] = (uint8_t)nlen;
		b[start + 7] = ftype;
		memcpy(b + start + 8, name, nlen);
		if (hash && !tight)
			memcpy(b + start + 8 + ((nlen + 3) & ~(size_t)3), hash, 8);
	}
	E(ext2fs_write_dir_block4(fs, pblk, b, 0, dir));
	free(b);
}

static void add_plain(ext2_ino_t dir, const char *name, size_t nlen, ext2_ino_t ino, uint8_t ftype)
{
	add_dirent(dir, (const uint8_t *)name, nlen, ino, ftype, NULL, false);
}

/* An encrypted name (and its casefold hash when casefold) in directory dir under context ctx. */
static void add_encrypted(ext2_ino_t dir, const struct fscrypt_ext_context *ctx, bool casefold, const char *name,
			  ext2_ino_t ino, uint8_t ftype, bool tight)
{
	fscrypt_ext_inode *k = open_key(ctx, FSCRYPT_EXT_INODE_DIR, dir, casefold);
	uint8_t ct[FSCRYPT_EXT_NAME_MAX], h8[8];
	size_t ct_len = 0;
	uint64_t h = 0;

	L(fscrypt_ext_fname_encrypt(k, (const uint8_t *)name, strlen(name), ct, sizeof(ct), &ct_len));
	if (casefold) {
		L(fscrypt_ext_dirhash(k, (const uint8_t *)name, strlen(name), &h));
		for (int i = 0; i < 4; i++) {
			h8[i] = (uint8_t)(h >> (32 + 8 * i));
			h8[4 + i] = (uint8_t)(h >> (8 * i));
		}
	}
	add_dirent(dir, ct, ct_len, ino, ftype, casefold ? h8 : NULL, tight);
	fscrypt_ext_inode_free(k);
}

static ext2_ino_t make_dir(ext2_ino_t parent, uint32_t flags)
{
	ext2_ino_t ino = new_inode(LINUX_S_IFDIR | 0755, flags | EXT4_EXTENTS_FL, fs->blocksize);
	struct ext2_inode_large in;
	char *blk;

	E(ext2fs_new_dir_block(fs, ino, parent, &blk));
	{
		blk64_t pblk = 0;

		E(ext2fs_bmap2(fs, ino, NULL, NULL, BMAP_ALLOC, 0, NULL, &pblk));
		E(ext2fs_write_dir_block4(fs, pblk, blk, 0, ino));
	}
	ext2fs_free_mem(&blk);
	get_inode(parent, &in);
	in.i_links_count++;
	put_inode(parent, &in);
	return ino;
}

/* A regular file with data (written block by block; ciphertext when key is not NULL). */
static ext2_ino_t make_file(const void *data, size_t len, uint64_t size, const struct fscrypt_ext_context *ctx)
{
	ext2_ino_t ino = new_inode(LINUX_S_IFREG | 0644, EXT4_EXTENTS_FL | (ctx ? EXT4_ENCRYPT_FL : 0), size);
	size_t bs = fs->blocksize;
	uint8_t *b = calloc(1, bs);

	for (size_t off = 0; off < len; off += bs) {
		memset(b, 0, bs);
		memcpy(b, (const uint8_t *)data + off, len - off < bs ? len - off : bs);
		if (ctx) {
			fscrypt_ext_inode *k = open_key(ctx, FSCRYPT_EXT_INODE_REG, ino, false);

			L(fscrypt_ext_encrypt_data_units(k, off, b, b, bs));
			fscrypt_ext_inode_free(k);
		}
		write_block(ino, off / bs, b);
	}
	free(b);
	if (ctx)
		set_context(ino, ctx);
	return ino;
}

static ext2_ino_t make_fast_symlink(const char *target, size_t len)
{
	ext2_ino_t ino = new_inode(LINUX_S_IFLNK | 0777, 0, len);
	struct ext2_inode_large in;

	get_inode(ino, &in);
	memcpy(in.i_block, target, len);
	put_inode(ino, &in);
	return ino;
}

static ext2_ino_t make_encrypted_symlink(const struct fscrypt_ext_context *ctx, const char *target)
{
	ext2_ino_t ino = new_inode(LINUX_S_IFLNK | 0777, EXT4_ENCRYPT_FL, 0);
	fscrypt_ext_inode *k = open_key(ctx, FSCRYPT_EXT_INODE_SYMLINK, ino, false);
	uint8_t disk[4096] = { 0 };
	size_t dlen = 0;
	struct ext2_inode_large in;

	L(fscrypt_ext_symlink_encrypt(k, (const uint8_t *)target, strlen(target), fs->blocksize, disk, sizeof(disk),
				      &dlen));
	fscrypt_ext_inode_free(k);
	get_inode(ino, &in);
	E(ext2fs_inode_size_set(fs, (struct ext2_inode *)&in, dlen));
	if (dlen < sizeof(in.i_block)) {
		memcpy(in.i_block, disk, dlen);
		put_inode(ino, &in);
	} else {
		in.i_flags |= EXT4_EXTENTS_FL;
		put_inode(ino, &in);
		write_block(ino, 0, disk);
	}
	set_context(ino, ctx);
	return ino;
}

static void set_system_data(ext2_ino_t ino, const void *v, size_t len)
{
	struct ext2_xattr_handle *h;

	E(ext2fs_xattrs_open(fs, ino, &h));
	E(ext2fs_xattrs_read(h));
	E(ext2fs_xattr_set(h, "system.data", v, len));
	E(ext2fs_xattrs_close(&h));
}

#define ROOT EXT2_ROOT_INO
#define PLAIN(dir, s, ino, ft) add_plain(dir, s, sizeof(s) - 1, ino, ft)

/*
 * system.data in an external xattr block, written by hand: libext2fs keeps system.data in the
 * inode, but a hostile image need not. The value fills the block (1 KiB blocks: 968 bytes).
 */
static void set_external_system_data(ext2_ino_t ino, const void *v, size_t len)
{
	size_t bs = fs->blocksize, voff = bs - ((len + 3) & ~(size_t)3);
	uint8_t *b = calloc(1, bs);
	struct ext2_ext_attr_header *hdr = (struct ext2_ext_attr_header *)b;
	struct ext2_ext_attr_entry *ent = (struct ext2_ext_attr_entry *)(b + sizeof(*hdr));
	struct ext2_inode_large in;
	blk64_t blk = 0;

	if (sizeof(*hdr) + sizeof(*ent) + 4 + 4 > voff)
		die("system.data of %zu bytes does not fit a block", len);
	hdr->h_magic = EXT2_EXT_ATTR_MAGIC;
	hdr->h_refcount = 1;
	hdr->h_blocks = 1;
	ent->e_name_len = 4;
	ent->e_name_index = 7; /* "system." */
	ent->e_value_offs = (uint16_t)voff;
	ent->e_value_size = (uint32_t)len;
	memcpy((char *)ent + sizeof(*ent), "data", 4);
	memcpy(b + voff, v, len);
	ent->e_hash = ext2fs_ext_attr_hash_entry(ent, b + voff);
	ext2fs_ext_attr_block_rehash(hdr, (struct ext2_ext_attr_entry *)((char *)ent + sizeof(*ent) + 4));
	E(ext2fs_new_block2(fs, 0, NULL, &blk));
	ext2fs_block_alloc_stats2(fs, blk, +1);
	E(ext2fs_write_ext_attr3(fs, blk, b, ino));
	free(b);
	get_inode(ino, &in);
	ext2fs_file_acl_block_set(fs, (struct ext2_inode *)&in, blk);
	in.i_blocks += bs / 512;
	put_inode(ino, &in);
}

static void class_symlink_inline_ext(void)
{
	/* An inline symlink whose system.data sits in an external block: 60 + 968 bytes stored, i_size 1000. */
	size_t vlen = fs->blocksize - 32 - 20 - 4;
	ext2_ino_t ino = new_inode(LINUX_S_IFLNK | 0777, EXT4_INLINE_DATA_FL, 1000);
	char *v = malloc(vlen);
	struct ext2_inode_large in;

	memset(v, 'A', vlen);
	memcpy(v, "-then-\033[31mred\n- 1 1 forged", 28);
	v[vlen - 1] = 0;
	get_inode(ino, &in);
	memcpy(in.i_block, "inline-start-", 13);
	memset((char *)in.i_block + 13, 'B', 47);
	put_inode(ino, &in);
	set_external_system_data(ino, v, vlen);
	free(v);
	PLAIN(ROOT, "link", ino, EXT2_FT_SYMLINK);
}

static void class_symlink_size_lies(void)
{
	/* (a) inline symlink claiming 900 bytes with only the 60 in the inode; (b) slow symlink over a block. */
	ext2_ino_t a = new_inode(LINUX_S_IFLNK | 0777, EXT4_INLINE_DATA_FL, 900), b;
	struct ext2_inode_large in;
	uint8_t *blk = calloc(1, fs->blocksize);

	get_inode(a, &in);
	memset(in.i_block, 'x', sizeof(in.i_block));
	put_inode(a, &in);
	set_system_data(a, "", 0);
	PLAIN(ROOT, "inline-lies", a, EXT2_FT_SYMLINK);
	b = new_inode(LINUX_S_IFLNK | 0777, EXT4_EXTENTS_FL, 3 * (uint64_t)fs->blocksize);
	memset(blk, 'y', fs->blocksize);
	write_block(b, 0, blk);
	free(blk);
	PLAIN(ROOT, "slow-lies", b, EXT2_FT_SYMLINK);
	PLAIN(ROOT, "fast-ok", make_fast_symlink("fine", 4), EXT2_FT_SYMLINK);
}

static void class_casefold_hash(void)
{
	struct fscrypt_ext_context ctx;
	ext2_ino_t d = make_dir(ROOT, EXT4_ENCRYPT_FL | EXT4_CASEFOLD_FL), f;

	make_context(&ctx, mk, 1);
	set_context(d, &ctx);
	PLAIN(ROOT, "cf", d, EXT2_FT_DIR);
	f = make_file("good data\n", 10, 10, &ctx);
	add_encrypted(d, &ctx, true, "good", f, EXT2_FT_REG_FILE, false);
	f = make_file("tight\n", 6, 6, &ctx);
	add_encrypted(d, &ctx, true, "tight-no-hash", f, EXT2_FT_REG_FILE, true);
}

static void class_names(void)
{
	static const char data[] = "payload\n";
	ext2_ino_t f = make_file(data, sizeof(data) - 1, sizeof(data) - 1, NULL), d;
	struct fscrypt_ext_context ctx;

	PLAIN(ROOT, "a/b", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "../escape", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "..", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "nul\0byte", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "nl\n- 99 99 forged", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "esc\033]0;pwned\007\033[2J", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "bad-utf8-\xff\xc0\xaf", f, EXT2_FT_REG_FILE);
	PLAIN(ROOT, "fine", f, EXT2_FT_REG_FILE);
	d = make_dir(ROOT, EXT4_ENCRYPT_FL);
	make_context(&ctx, mk, 2);
	set_context(d, &ctx);
	PLAIN(ROOT, "enc", d, EXT2_FT_DIR);
	add_encrypted(d, &ctx, false, "../up", make_file("up\n", 3, 3, &ctx), EXT2_FT_REG_FILE, false);
	add_encrypted(d, &ctx, false, "sl/ash", make_file("slash\n", 6, 6, &ctx), EXT2_FT_REG_FILE, false);
	add_encrypted(d, &ctx, false, "ok", make_file("ok\n", 3, 3, &ctx), EXT2_FT_REG_FILE, false);
}

static void class_planted(void)
{
	struct fscrypt_ext_context ctx;
	ext2_ino_t d, e;

	PLAIN(ROOT, "victim", make_fast_symlink("../outside.txt", 14), EXT2_FT_SYMLINK);
	PLAIN(ROOT, "victim", make_file("PWNED\n", 6, 6, NULL), EXT2_FT_REG_FILE);
	PLAIN(ROOT, "d", make_fast_symlink("..", 2), EXT2_FT_SYMLINK);
	d = make_dir(ROOT, 0);
	PLAIN(ROOT, "d", d, EXT2_FT_DIR);
	PLAIN(d, "outside.txt", make_file("PWNED\n", 6, 6, NULL), EXT2_FT_REG_FILE);
	e = make_dir(ROOT, EXT4_ENCRYPT_FL);
	make_context(&ctx, mk, 3);
	set_context(e, &ctx);
	PLAIN(ROOT, "enc", e, EXT2_FT_DIR);
	add_encrypted(e, &ctx, false, "v", make_encrypted_symlink(&ctx, "../../outside.txt"), EXT2_FT_SYMLINK, false);
	add_encrypted(e, &ctx, false, "v", make_file("PWNED\n", 6, 6, &ctx), EXT2_FT_REG_FILE, false);
}

static void class_loops(void)
{
	ext2_ino_t a = make_dir(ROOT, 0), c[24];

	PLAIN(ROOT, "a", a, EXT2_FT_DIR);
	PLAIN(ROOT, "b", a, EXT2_FT_DIR);    /* a second hard link to a directory */
	PLAIN(a, "up", ROOT, EXT2_FT_DIR);   /* a directory containing its ancestor */
	PLAIN(a, "self", a, EXT2_FT_DIR);
	/* A chain where each level has two entries to the next: 2^24 paths without loop detection. */
	c[0] = make_dir(ROOT, 0);
	PLAIN(ROOT, "chain", c[0], EXT2_FT_DIR);
	for (int i = 1; i < 24; i++) {
		c[i] = make_dir(c[i - 1], 0);
		PLAIN(c[i - 1], "x", c[i], EXT2_FT_DIR);
		PLAIN(c[i - 1], "y", c[i], EXT2_FT_DIR);
	}
	PLAIN(c[23], "data", make_file("leaf\n", 5, 5, NULL), EXT2_FT_REG_FILE);
}

static void class_huge(void)
{
	struct fscrypt_ext_context ctx;
	ext2_ino_t e;

	PLAIN(ROOT, "big", make_file("HELLO", 5, (uint64_t)1 << 40, NULL), EXT2_FT_REG_FILE);
	e = make_dir(ROOT, EXT4_ENCRYPT_FL);
	make_context(&ctx, mk, 4);
	set_context(e, &ctx);
	PLAIN(ROOT, "enc", e, EXT2_FT_DIR);
	add_encrypted(e, &ctx, false, "bigenc", make_file("HELLO", 5, (uint64_t)1 << 40, &ctx), EXT2_FT_REG_FILE, false);
}

static void class_unencrypted_child(void)
{
	struct fscrypt_ext_context ctx, other;
	fscrypt_ext_master_key *mk2;
	uint8_t k2[64];
	ext2_ino_t e = make_dir(ROOT, EXT4_ENCRYPT_FL), o;

	make_context(&ctx, mk, 5);
	set_context(e, &ctx);
	PLAIN(ROOT, "enc", e, EXT2_FT_DIR);
	add_encrypted(e, &ctx, false, "good", make_file("good data\n", 10, 10, &ctx), EXT2_FT_REG_FILE, false);
	add_encrypted(e, &ctx, false, "plain", make_file("CIPHERTEXT-AS-PLAINTEXT\n", 24, 24, NULL), EXT2_FT_REG_FILE,
		      false);
	/* A child under another key: the kernel refuses it just the same. */
	memset(k2, 0x5a, sizeof(k2));
	L(fscrypt_ext_master_key_new(k2, sizeof(k2), &mk2));
	make_context(&other, mk2, 6);
	o = new_inode(LINUX_S_IFREG | 0644, EXT4_EXTENTS_FL | EXT4_ENCRYPT_FL, 0);
	set_context(o, &other);
	fscrypt_ext_master_key_free(mk2);
	add_encrypted(e, &ctx, false, "other", o, EXT2_FT_REG_FILE, false);
}

static const struct {
	const char *name;
	void (*fn)(void);
} classes[] = {
	{ "symlink-inline-ext", class_symlink_inline_ext },
	{ "symlink-size-lies", class_symlink_size_lies },
	{ "casefold-hash", class_casefold_hash },
	{ "names", class_names },
	{ "planted", class_planted },
	{ "loops", class_loops },
	{ "huge", class_huge },
	{ "unencrypted-child", class_unencrypted_child },
};

int main(int argc, char **argv)
{
	uint8_t key[64];

	if (argc != 3) {
		fprintf(stderr, "usage: mkhostile IMAGE CLASS (an image fresh from mke2fs)\n");
		return 2;
	}
	for (int i = 0; i < 64; i++)
		key[i] = (uint8_t)i;
	L(fscrypt_ext_init());
	L(fscrypt_ext_master_key_new(key, sizeof(key), &mk));
	E(ext2fs_open2(argv[1], NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &fs));
	E(ext2fs_read_bitmaps(fs));
	fscrypt_ext_fs_info_ext4(&fsinfo, fs->blocksize);
	memcpy(fsinfo.uuid, fs->super->s_uuid, 16);
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strcmp(argv[2], classes[i].name) == 0) {
			classes[i].fn();
			E(ext2fs_close_free(&fs));
			fscrypt_ext_master_key_free(mk);
			return 0;
		}
	}
	die("unknown class %s", argv[2]);
}
