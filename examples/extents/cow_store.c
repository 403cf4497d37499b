/*
 * Example: a tiny copy-on-write block store with per-extent encryption (the btrfs design), on the public API.
 *
 * Shows: two files sharing (reflinking) encrypted extents; a snapshot
 * re-keyed to a new master key, where new writes use the new key and old
 * extents still read; and master key removal while a file is open. It checks
 * every result and exits non-zero on any mismatch.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fscrypt_ext/fscrypt_ext.h>

#define BLOCK 4096
#define MAX_BLOCKS 16

/* An extent as a filesystem stores it: the 34-byte context and the ciphertext, shared by reference. */
struct extent {
	uint8_t ctx[FSCRYPT_EXT_EXTENT_CONTEXT_SIZE];
	uint8_t *data;
	size_t len;
	int refs;
};

/* A file: its inode context and, per block, the extent holding it and the offset inside that extent. */
struct file {
	const char *name;
	struct fscrypt_ext_context ictx;
	bool rekeyed_tree; /* a re-keyed snapshot: its old extents name another key */
	struct {
		struct extent *ext;
		uint64_t off;
	} map[MAX_BLOCKS];
};

static fscrypt_ext_keyring *keyring;
static struct fscrypt_ext_fs_info fs;
static int failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s ", ok ? "ok  " : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!ok)
		failures++;
}

static void check_err(int got, int want, const char *what)
{
	check(got == want, "%s: %s", what, fscrypt_ext_strerror(got));
}

static void extent_put(struct extent *e)
{
	if (e != NULL && --e->refs == 0) {
		free(e->data);
		free(e);
	}
}

static void file_init(struct file *f, const char *name, const uint8_t key_id[16])
{
	struct fscrypt_ext_policy p = { 0 };

	memset(f, 0, sizeof(*f));
	f->name = name;
	p.version = FSCRYPT_EXT_POLICY_V2;
	p.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	p.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	p.flags = FSCRYPT_EXT_FLAG_PAD_32;
	memcpy(p.key_identifier, key_id, 16);
	if (fscrypt_ext_context_new(&p, &fs, &f->ictx) != FSCRYPT_EXT_OK) {
		fprintf(stderr, "cannot make an inode context\n");
		exit(2);
	}
}

static void file_release(struct file *f)
{
	for (int i = 0; i < MAX_BLOCKS; i++)
		extent_put(f->map[i].ext);
	memset(f->map, 0, sizeof(f->map));
}

/* Copy-on-write: nblocks new blocks go to one new extent, encrypted under the file's current key. */
static int file_write(fscrypt_ext_extent_inode *open_file, struct file *f, int first, int nblocks,
		      const uint8_t *plain)
{
	struct fscrypt_ext_extent_context ectx;
	fscrypt_ext_extent_info *ei = NULL;
	struct extent *e = calloc(1, sizeof(*e));
	int err;

	if (e == NULL || (e->data = malloc((size_t)nblocks * BLOCK)) == NULL) {
		free(e);
		return FSCRYPT_EXT_ERR_NOMEM;
	}
	err = fscrypt_ext_extent_inode_new_extent(open_file, &ectx, &ei);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_encrypt(ei, 0, plain, e->data, (size_t)nblocks * BLOCK);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_context_serialize(&ectx, e->ctx, sizeof(e->ctx), NULL);
	fscrypt_ext_extent_info_put(ei);
	if (err != FSCRYPT_EXT_OK) {
		free(e->data);
		free(e);
		return err;
	}
	e->len = (size_t)nblocks * BLOCK;
	for (int i = 0; i < nblocks; i++) {
		extent_put(f->map[first + i].ext);
		f->map[first + i].ext = e;
		f->map[first + i].off = (uint64_t)i * BLOCK;
		e->refs++;
	}
	return FSCRYPT_EXT_OK;
}

/* Reads one block: parse the stored extent context, load its key, decrypt at the block's offset in the extent. */
static int file_read_block(fscrypt_ext_extent_inode *open_file, const struct file *f, int blk, uint8_t *out)
{
	const struct extent *e = f->map[blk].ext;
	struct fscrypt_ext_extent_context ectx;
	fscrypt_ext_extent_info *ei = NULL;
	unsigned int flags = f->rekeyed_tree ? FSCRYPT_EXT_EXTENT_ALLOW_REKEYED : 0;
	int err;

	if (e == NULL) {
		memset(out, 0, BLOCK); /* a hole */
		return FSCRYPT_EXT_OK;
	}
	err = fscrypt_ext_extent_context_parse(e->ctx, sizeof(e->ctx), &ectx);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_inode_load_extent(open_file, &ectx, flags, &ei);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_decrypt(ei, f->map[blk].off, e->data + f->map[blk].off, out, BLOCK);
	fscrypt_ext_extent_info_put(ei);
	return err;
}

/* Reads blocks [first, first+n) and compares them with want. */
static void expect_blocks(fscrypt_ext_extent_inode *open_file, const struct file *f, int first, int n,
			  const uint8_t *want, const char *what)
{
	uint8_t buf[BLOCK];
	bool same = true;
	int err = FSCRYPT_EXT_OK;

	for (int i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		err = file_read_block(open_file, f, first + i, buf);
		if (err == FSCRYPT_EXT_OK && memcmp(buf, want + (size_t)i * BLOCK, BLOCK) != 0)
			same = false;
	}
	check(err == FSCRYPT_EXT_OK && same, "%s: %s blocks %d..%d %s", f->name, what, first, first + n - 1,
	      err == FSCRYPT_EXT_OK ? (same ? "match" : "DIFFER") : fscrypt_ext_strerror(err));
}

/* A reflink: the destination maps the very same extents; no data is copied or re-encrypted. */
static void reflink(const struct file *src, struct file *dst)
{
	for (int i = 0; i < MAX_BLOCKS; i++) {
		extent_put(dst->map[i].ext);
		dst->map[i] = src->map[i];
		if (dst->map[i].ext != NULL)
			dst->map[i].ext->refs++;
	}
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13 + (i >> 12));
}

static void add_key(uint8_t seed, uint8_t id[16])
{
	uint8_t raw[64];

	fill(raw, sizeof(raw), seed); /* a real tool reads random keys from a file, never argv */
	if (fscrypt_ext_keyring_add(keyring, raw, sizeof(raw), id) != FSCRYPT_EXT_OK) {
		fprintf(stderr, "cannot add a key\n");
		exit(2);
	}
}

static uint32_t key_status(const uint8_t id[16], uint32_t *users)
{
	struct fscrypt_ext_key_status_info st = { 0, 0 };

	if (fscrypt_ext_keyring_status(keyring, id, &st) != FSCRYPT_EXT_OK)
		return 0;
	if (users != NULL)
		*users = st.user_count;
	return st.status;
}

static fscrypt_ext_extent_inode *open_or_die(const struct file *f)
{
	fscrypt_ext_extent_inode *h = NULL;
	int err = fscrypt_ext_extent_inode_open(keyring, &f->ictx, &fs, &h);

	if (err != FSCRYPT_EXT_OK) {
		fprintf(stderr, "open %s: %s\n", f->name, fscrypt_ext_strerror(err));
		exit(2);
	}
	return h;
}

/* Part 1: reflinks share encrypted extents; a write to one file copies on write. */
static void demo_reflink(const uint8_t k1[16], struct file *a, struct file *b, uint8_t *orig)
{
	fscrypt_ext_extent_inode *ha, *hb;
	uint8_t newer[BLOCK];

	printf("-- reflink\n");
	file_init(a, "A", k1);
	file_init(b, "B", k1);
	ha = open_or_die(a);
	fill(orig, 4 * BLOCK, 1);
	check_err(file_write(ha, a, 0, 4, orig), FSCRYPT_EXT_OK, "A: write 4 blocks as one extent");
	check(memcmp(a->map[0].ext->data, orig, BLOCK) != 0, "A: stored data is ciphertext");
	reflink(a, b);
	hb = open_or_die(b);
	/* One reference per mapped block: four from A, four from B. */
	check(b->map[2].ext == a->map[2].ext && b->map[2].ext->refs == 8, "B shares A's extent (block refs %d)",
	      b->map[2].ext->refs);
	expect_blocks(hb, b, 0, 4, orig, "reads A's data through the shared extent");
	fill(newer, BLOCK, 99);
	check_err(file_write(hb, b, 1, 1, newer), FSCRYPT_EXT_OK, "B: overwrite block 1 (copy on write)");
	expect_blocks(hb, b, 1, 1, newer, "new data");
	expect_blocks(ha, a, 0, 4, orig, "unchanged after B's write");
	check(a->map[1].ext != b->map[1].ext && a->map[0].ext == b->map[0].ext, "only block 1 diverged");
	fscrypt_ext_extent_inode_close(ha);
	fscrypt_ext_extent_inode_close(hb);
}

/* Part 2: snapshot of A re-keyed to k2: new writes use k2, old shared extents still read under k1. */
static void demo_rekeyed_snapshot(const uint8_t k1[16], const uint8_t k2[16], const struct file *a,
				  const uint8_t *orig)
{
	struct file s;
	struct fscrypt_ext_extent_context ectx;
	fscrypt_ext_extent_inode *hs;
	uint8_t newer[BLOCK];
	uint32_t flags = 0;

	printf("-- re-keyed snapshot\n");
	file_init(&s, "S", k2);
	reflink(a, &s);
	hs = open_or_die(&s);
	/* Without the opt-in, the kernel design refuses an extent under another key. */
	{
		uint8_t buf[BLOCK];

		check_err(file_read_block(hs, &s, 0, buf), FSCRYPT_EXT_ERR_EXTENT_MISMATCH,
			  "S: old extent refused without ALLOW_REKEYED");
	}
	s.rekeyed_tree = true;
	expect_blocks(hs, &s, 0, 4, orig, "old extents under k1");
	fill(newer, BLOCK, 7);
	check_err(file_write(hs, &s, 2, 1, newer), FSCRYPT_EXT_OK, "S: write block 2");
	check(fscrypt_ext_extent_context_parse(s.map[2].ext->ctx, FSCRYPT_EXT_EXTENT_CONTEXT_SIZE, &ectx) ==
			      FSCRYPT_EXT_OK &&
		      memcmp(ectx.key_identifier, k2, 16) == 0,
	      "S: the new extent names k2");
	check(fscrypt_ext_extent_context_parse(s.map[3].ext->ctx, FSCRYPT_EXT_EXTENT_CONTEXT_SIZE, &ectx) ==
			      FSCRYPT_EXT_OK &&
		      memcmp(ectx.key_identifier, k1, 16) == 0,
	      "S: the old extents still name k1");
	expect_blocks(hs, &s, 2, 1, newer, "new block under k2");
	expect_blocks(hs, &s, 3, 1, orig + 3 * BLOCK, "old block under k1");
	/* Remove k1 (nobody has it open): old extents fail cleanly, k2 data still reads. */
	check_err(fscrypt_ext_keyring_remove(keyring, k1, &flags), FSCRYPT_EXT_OK, "remove k1");
	check(flags == 0 && key_status(k1, NULL) == FSCRYPT_EXT_KEY_STATUS_ABSENT, "k1 unused: wiped at once");
	{
		uint8_t buf[BLOCK];

		check_err(file_read_block(hs, &s, 3, buf), FSCRYPT_EXT_ERR_KEY_NOT_FOUND, "S: old block without k1");
	}
	expect_blocks(hs, &s, 2, 1, newer, "k2 block without k1");
	fscrypt_ext_extent_inode_close(hs);
	file_release(&s);
}

/* Part 3: key removal while a file is open (the incompletely-removed state). */
static void demo_removal_while_open(void)
{
	struct file c, d;
	fscrypt_ext_extent_inode *hc, *hd = NULL;
	uint8_t k3[16], data[2 * BLOCK];
	uint32_t flags = 0, users = 0, status;

	printf("-- key removal with an open file\n");
	add_key(0x30, k3);
	file_init(&c, "C", k3);
	file_init(&d, "D", k3);
	hc = open_or_die(&c);
	fill(data, sizeof(data), 5);
	check_err(file_write(hc, &c, 0, 1, data), FSCRYPT_EXT_OK, "C: write block 0");
	check_err(fscrypt_ext_keyring_remove(keyring, k3, &flags), FSCRYPT_EXT_OK, "remove k3 while C is open");
	status = key_status(k3, &users);
	check(flags == FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY && status == FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED &&
		      users == 1,
	      "k3 incompletely removed (status %u), %u user", status, users);
	check_err(file_write(hc, &c, 1, 1, data + BLOCK), FSCRYPT_EXT_OK, "C: a late write still gets a key");
	expect_blocks(hc, &c, 0, 2, data, "still readable while open");
	check_err(fscrypt_ext_extent_inode_open(keyring, &d.ictx, &fs, &hd), FSCRYPT_EXT_ERR_KEY_REMOVED,
		  "D: new open refused");
	fscrypt_ext_extent_inode_close(hc);
	check(key_status(k3, NULL) == FSCRYPT_EXT_KEY_STATUS_ABSENT, "k3 wiped when C was closed");
	check_err(fscrypt_ext_extent_inode_open(keyring, &c.ictx, &fs, &hd), FSCRYPT_EXT_ERR_KEY_NOT_FOUND,
		  "C: reopen without the key");
	file_release(&c);
	file_release(&d);
}

int main(void)
{
	struct file a, b;
	uint8_t k1[16], k2[16];
	uint8_t *orig = malloc(4 * BLOCK);

	if (orig == NULL || fscrypt_ext_keyring_new(&keyring) != FSCRYPT_EXT_OK)
		return 2;
	fscrypt_ext_fs_info_ext4(&fs, BLOCK);
	add_key(0x10, k1);
	add_key(0x20, k2);
	demo_reflink(k1, &a, &b, orig);
	demo_rekeyed_snapshot(k1, k2, &a, orig);
	demo_removal_while_open();
	file_release(&a);
	file_release(&b);
	fscrypt_ext_keyring_free(keyring);
	free(orig);
	printf("%s (%d failure%s)\n", failures ? "FAILED" : "all checks passed", failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
