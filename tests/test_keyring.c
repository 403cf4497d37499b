/* Check suite "keyring": key lifecycle (present, incompletely removed, wiped), open extent inodes, re-keyed lookups, threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static void raw_key(uint8_t seed, uint8_t *raw, size_t len)
{
	for (size_t i = 0; i < len; i++)
		raw[i] = (uint8_t)(seed * 31 + i * 7 + 1);
}

static void add_key(fscrypt_ext_keyring *kr, uint8_t seed, size_t len, uint8_t id[16])
{
	uint8_t raw[64];

	raw_key(seed, raw, len);
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, raw, len, id), FSCRYPT_EXT_OK);
}

static void inode_ctx(const uint8_t id[16], struct fscrypt_ext_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->version = FSCRYPT_EXT_CONTEXT_V2;
	ctx->contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	ctx->filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	ctx->flags = FSCRYPT_EXT_FLAG_PAD_32;
	memcpy(ctx->key_identifier, id, 16);
	tu_rand(ctx->nonce, 16);
}

static struct fscrypt_ext_key_status_info status_of(fscrypt_ext_keyring *kr, const uint8_t id[16])
{
	struct fscrypt_ext_key_status_info st;

	ck_assert_int_eq(fscrypt_ext_keyring_status(kr, id, &st), FSCRYPT_EXT_OK);
	return st;
}

static uint64_t wiped(fscrypt_ext_keyring *kr)
{
	struct fscrypt_ext_keyring_stats s;

	ck_assert_int_eq(fscrypt_ext_keyring_stats(kr, &s), FSCRYPT_EXT_OK);
	return s.secrets_wiped;
}

#define ck_status(kr, id, want_status, want_users)                                                          \
	do {                                                                                                \
		struct fscrypt_ext_key_status_info st_ = status_of(kr, id);                                 \
		ck_assert_msg(st_.status == (want_status) && st_.user_count == (want_users),                \
			      "status %u users %u, want %u users %u", st_.status, st_.user_count,          \
			      (unsigned)(want_status), (unsigned)(want_users));                             \
	} while (0)

/* Ciphertext of one zero unit at offset 0 under an extent loaded from a caller-owned key (the oracle). */
static void reference_ct(uint8_t seed, const struct fscrypt_ext_context *ictx,
			 const struct fscrypt_ext_extent_context *e, uint8_t out[4096])
{
	uint8_t raw[64], zero[4096] = { 0 };
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_extent_info *ei = NULL;
	struct fscrypt_ext_fs_info fs;

	raw_key(seed, raw, 64);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, 64, &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(ictx, &fs, e, mk, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &ei),
			 FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, zero, out, sizeof(zero)), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_master_key_free(mk);
}

START_TEST(test_add_lookup_remove)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_master_key *mk = NULL;
	uint8_t id[16], id2[16], want[16], raw[64], unknown[16] = { 1 };
	uint32_t flags = 0xff;

	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	raw_key(1, raw, 64);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, 64, &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, want), FSCRYPT_EXT_OK);
	fscrypt_ext_master_key_free(mk);

	add_key(kr, 1, 64, id);
	ck_assert_mem_eq(id, want, 16);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	ck_status(kr, unknown, FSCRYPT_EXT_KEY_STATUS_ABSENT, 0);
	memset(id2, 0xee, 16);
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, raw, 64, id2), FSCRYPT_EXT_ERR_KEY_EXISTS);
	ck_assert_uint_eq(id2[0], 0xee); /* untouched on failure */
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, raw, 15, id2), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, raw, 65, id2), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, NULL, 64, id2), FSCRYPT_EXT_ERR_INVALID_ARG);

	/* An unused key is wiped at once. */
	ck_assert_uint_eq(wiped(kr), 0);
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, &flags), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(flags, 0);
	ck_assert_uint_eq(wiped(kr), 1);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_ABSENT, 0);
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, &flags), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, unknown, NULL), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	/* And can come back. */
	add_key(kr, 1, 64, id2);
	ck_assert_mem_eq(id2, want, 16);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	fscrypt_ext_keyring_free(kr);
	fscrypt_ext_keyring_free(NULL);
}
END_TEST

START_TEST(test_open_needs_present_key)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *f = NULL;
	struct fscrypt_ext_context ctx, bad;
	struct fscrypt_ext_fs_info fs;
	uint8_t id[16], short_id[16];

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 2, 64, id);
	inode_ctx(id, &ctx);
	bad = ctx;
	bad.key_identifier[0] ^= 1;
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &bad, &fs, &f), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	bad = ctx;
	bad.flags = FSCRYPT_EXT_FLAG_IV_INO_LBLK_64;
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &bad, &fs, &f), FSCRYPT_EXT_ERR_EXTENT_POLICY);
	bad.version = FSCRYPT_EXT_CONTEXT_V1;
	bad.flags = 0;
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &bad, &fs, &f), FSCRYPT_EXT_ERR_EXTENT_POLICY);
	bad = ctx;
	bad.filenames_mode = FSCRYPT_EXT_MODE_SM4_CTS;
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &bad, &fs, &f), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	ck_assert_ptr_null(f);
	/* v2 rule: the master key must be at least the contents mode's security strength (32 for AES-256-XTS). */
	add_key(kr, 3, 16, short_id);
	inode_ctx(short_id, &bad);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &bad, &fs, &f), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_status(kr, short_id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	fscrypt_ext_extent_inode_close(f);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	fscrypt_ext_extent_inode_close(NULL);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

/* The thread's semantics: removal with open users is incomplete; they go on; the last one wipes. */
START_TEST(test_incomplete_removal)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *f = NULL, *g = NULL;
	fscrypt_ext_extent_info *before = NULL, *after = NULL, *reload = NULL;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e1, e2;
	struct fscrypt_ext_fs_info fs;
	uint8_t id[16], pt[4096] = { 0 }, ct[4096], want[4096];
	uint32_t flags = 0;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 4, 64, id);
	inode_ctx(id, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(f, &e1, &before), FSCRYPT_EXT_OK);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 2);

	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, &flags), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(flags, FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED, 2);
	ck_assert_uint_eq(wiped(kr), 0);
	/* New opens fail ... */
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &g), FSCRYPT_EXT_ERR_KEY_REMOVED);
	ck_assert_ptr_null(g);
	/* ... the open file still derives new extent keys (no buffered write lost) and reloads its extents. */
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(f, &e2, &after), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(f, &e1, 0, &reload), FSCRYPT_EXT_OK);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED, 4);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(after, 0, pt, ct, 4096), FSCRYPT_EXT_OK);
	reference_ct(4, &ctx, &e2, want);
	ck_assert_mem_eq(ct, want, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(reload, 0, pt, ct, 4096), FSCRYPT_EXT_OK);
	reference_ct(4, &ctx, &e1, want);
	ck_assert_mem_eq(ct, want, 4096);
	/* Removing again is allowed and still busy. */
	flags = 0;
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, &flags), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(flags, FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY);

	/* Closing the file leaves the extent infos' references; the last put wipes. */
	fscrypt_ext_extent_inode_close(f);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED, 3);
	fscrypt_ext_extent_info_put(before);
	fscrypt_ext_extent_info_put(reload);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED, 1);
	ck_assert_uint_eq(wiped(kr), 0);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(after, 4096, pt, ct, 4096), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(after);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_ABSENT, 0);
	ck_assert_uint_eq(wiped(kr), 1);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &g), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

/* As the kernel: adding a key back during incomplete removal makes it present again, secret kept. */
START_TEST(test_readd_while_removing)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *f = NULL, *g = NULL;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	struct fscrypt_ext_keyring_stats s;
	uint8_t id[16], id2[16];
	uint32_t flags = 0;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 5, 32, id);
	inode_ctx(id, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, &flags), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_stats(kr, &s), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(s.present, 0);
	ck_assert_uint_eq(s.incompletely_removed, 1);
	add_key(kr, 5, 32, id2);
	ck_assert_mem_eq(id2, id, 16);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	ck_assert_int_eq(fscrypt_ext_keyring_stats(kr, &s), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(s.present, 1);
	ck_assert_uint_eq(s.incompletely_removed, 0);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &g), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_inode_close(f);
	fscrypt_ext_extent_inode_close(g);
	/* Present again: the last close does not wipe. */
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	ck_assert_uint_eq(wiped(kr), 0);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

/* Re-keyed extents through the keyring: the extent's own key must be present. */
START_TEST(test_rekeyed_lookup)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *old_f = NULL, *snap = NULL;
	fscrypt_ext_extent_info *w = NULL, *r = NULL, *n = NULL;
	struct fscrypt_ext_context old_ctx, snap_ctx;
	struct fscrypt_ext_extent_context e_old, e_new;
	struct fscrypt_ext_fs_info fs;
	uint8_t old_id[16], new_id[16], pt[8192], ct[8192], back[8192];

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 6, 64, old_id);
	add_key(kr, 7, 64, new_id);
	inode_ctx(old_id, &old_ctx);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &old_ctx, &fs, &old_f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(old_f, &e_old, &w), FSCRYPT_EXT_OK);
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(w, 0, pt, ct, sizeof(pt)), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(w);

	snap_ctx = old_ctx;
	memcpy(snap_ctx.key_identifier, new_id, 16);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &snap_ctx, &fs, &snap), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(snap, &e_old, 0, &r), FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(snap, &e_old, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &r),
			 FSCRYPT_EXT_OK);
	ck_status(kr, old_id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 2);
	ck_assert_int_eq(fscrypt_ext_extent_decrypt(r, 0, ct, back, sizeof(ct)), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(back, pt, sizeof(pt));
	fscrypt_ext_extent_info_put(r);
	r = NULL;
	/* New writes to the snapshot use its key. */
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(snap, &e_new, &n), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(e_new.key_identifier, new_id, 16);
	fscrypt_ext_extent_info_put(n);

	/* Old key incompletely removed (the old file is open): the snapshot never opened it -> KEY_REMOVED. */
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, old_id, NULL), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(snap, &e_old, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &r),
			 FSCRYPT_EXT_ERR_KEY_REMOVED);
	/* ... while the old file itself still reads its extent. */
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(old_f, &e_old, 0, &r), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(r);
	r = NULL;
	fscrypt_ext_extent_inode_close(old_f);
	/* Old key gone: a clean error, not garbage. */
	ck_status(kr, old_id, FSCRYPT_EXT_KEY_STATUS_ABSENT, 0);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(snap, &e_old, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &r),
			 FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	ck_assert_ptr_null(r);
	fscrypt_ext_extent_inode_close(snap);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

/* Freeing the keyring with a file open: the file keeps working; the last close frees everything. */
START_TEST(test_free_with_open_users)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *f = NULL;
	fscrypt_ext_extent_info *ei = NULL, *ei2 = NULL;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e, e2;
	struct fscrypt_ext_fs_info fs;
	uint8_t id[16], other[16], pt[4096] = { 0 }, ct[4096], want[4096];

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 8, 64, id);
	add_key(kr, 9, 64, other);
	inode_ctx(id, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(f, &e, &ei), FSCRYPT_EXT_OK);
	fscrypt_ext_keyring_free(kr);
	ck_assert_int_eq(fscrypt_ext_extent_inode_new_extent(f, &e2, &ei2), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei2, 0, pt, ct, 4096), FSCRYPT_EXT_OK);
	reference_ct(8, &ctx, &e2, want);
	ck_assert_mem_eq(ct, want, 4096);
	/* Every other key went with the keyring. */
	memcpy(e2.key_identifier, other, 16);
	fscrypt_ext_extent_info_put(ei2);
	ei2 = NULL;
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(f, &e2, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &ei2),
			 FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	fscrypt_ext_extent_inode_close(f);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, pt, ct, 4096), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(ei); /* frees the keyring; ASan/valgrind builds see any leak or reuse */
}
END_TEST

/* Ordinary inodes (directories here) opened with a keyring key give the same names as with the key itself. */
START_TEST(test_keyring_inode_open)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_inode *dir = NULL, *ref = NULL;
	fscrypt_ext_extent_inode *f = NULL;
	fscrypt_ext_master_key *mk = NULL;
	struct fscrypt_ext_context ctx, v1;
	struct fscrypt_ext_fs_info fs;
	uint8_t id[16], raw[64], a[64], b[64];
	size_t la = 0, lb = 0;
	static const uint8_t name[] = "hello-extent";

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 11, 64, id);
	inode_ctx(id, &ctx);
	ck_assert_int_eq(fscrypt_ext_keyring_inode_open(kr, &ctx, FSCRYPT_EXT_INODE_DIR, 12, &fs, &dir), FSCRYPT_EXT_OK);
	raw_key(11, raw, 64);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, 64, &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 12, &fs, &ref), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(dir, name, sizeof(name) - 1, a, sizeof(a), &la), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(ref, name, sizeof(name) - 1, b, sizeof(b), &lb), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(la, 32); /* PAD_32 */
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	/* No active reference is kept by ordinary inodes. */
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 0);
	v1 = ctx;
	v1.version = FSCRYPT_EXT_CONTEXT_V1;
	/* v1 keys are found by descriptor; none was added under this one. */
	ck_assert_int_eq(fscrypt_ext_keyring_inode_open(kr, &v1, FSCRYPT_EXT_INODE_DIR, 12, &fs, &dir), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	/* While incompletely removed, no new inode of any kind. */
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_remove(kr, id, NULL), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(dir);
	dir = NULL;
	ck_assert_int_eq(fscrypt_ext_keyring_inode_open(kr, &ctx, FSCRYPT_EXT_INODE_DIR, 12, &fs, &dir), FSCRYPT_EXT_ERR_KEY_REMOVED);
	ck_assert_ptr_null(dir);
	fscrypt_ext_extent_inode_close(f);
	ck_assert_int_eq(fscrypt_ext_keyring_inode_open(kr, &ctx, FSCRYPT_EXT_INODE_DIR, 12, &fs, &dir), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	fscrypt_ext_inode_free(ref);
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

/* ---- stress: derivers against removers and re-adders ---- */

#define N_KEYS 3
#define N_DERIVERS 4
#define N_CHURNERS 2
#define DERIVER_ITERS 1500
#define CHURN_ITERS 3000
#define MAX_SECONDS 4.0

struct stress {
	fscrypt_ext_keyring *kr;
	struct fscrypt_ext_fs_info fs;
	struct fscrypt_ext_context ctx[N_KEYS];
	struct fscrypt_ext_extent_context ext[N_KEYS]; /* one fixed extent per key */
	uint8_t want[N_KEYS][4096];                     /* its first unit of zeros, encrypted */
	struct timespec start;
	atomic_int failures;
	atomic_long opens, refused, derived;
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void stress_fail(struct stress *s, const char *what, int k, int err)
{
	fprintf(stderr, "stress: %s key %d: %s\n", what, k, fscrypt_ext_strerror(err));
	atomic_fetch_add(&s->failures, 1);
}

/* One open file: write a new extent, read the fixed one, check both against the oracle. */
static void derive_once(struct stress *s, int k, unsigned int iter)
{
	fscrypt_ext_extent_inode *f = NULL;
	fscrypt_ext_extent_info *ei = NULL, *nw = NULL;
	struct fscrypt_ext_extent_context e;
	uint8_t zero[4096] = { 0 }, ct[4096], back[4096];
	int err = fscrypt_ext_extent_inode_open(s->kr, &s->ctx[k], &s->fs, &f);

	if (err == FSCRYPT_EXT_ERR_KEY_REMOVED || err == FSCRYPT_EXT_ERR_KEY_NOT_FOUND) {
		atomic_fetch_add(&s->refused, 1);
		return;
	}
	if (err != FSCRYPT_EXT_OK) {
		stress_fail(s, "open", k, err);
		return;
	}
	atomic_fetch_add(&s->opens, 1);
	err = fscrypt_ext_extent_inode_load_extent(f, &s->ext[k], 0, &ei);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_encrypt(ei, 0, zero, ct, sizeof(ct));
	if (err != FSCRYPT_EXT_OK || memcmp(ct, s->want[k], sizeof(ct)) != 0)
		stress_fail(s, "load", k, err);
	err = fscrypt_ext_extent_inode_new_extent(f, &e, &nw);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_encrypt(nw, 4096, zero, ct, sizeof(ct));
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_extent_decrypt(nw, 4096, ct, back, sizeof(ct));
	if (err != FSCRYPT_EXT_OK || memcmp(back, zero, sizeof(zero)) != 0)
		stress_fail(s, "new extent", k, err);
	atomic_fetch_add(&s->derived, 2);
	/* Sometimes close the file before dropping the infos: their references must keep the key. */
	if (iter & 1) {
		fscrypt_ext_extent_inode_close(f);
		f = NULL;
	}
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_extent_info_put(nw);
	fscrypt_ext_extent_inode_close(f);
}

static void *deriver(void *arg)
{
	struct stress *s = arg;

	for (unsigned int i = 0; i < DERIVER_ITERS && elapsed(&s->start) < MAX_SECONDS; i++)
		derive_once(s, (int)(i % N_KEYS), i);
	return NULL;
}

static void *churner(void *arg)
{
	struct stress *s = arg;
	uint8_t raw[64], id[16];

	for (unsigned int i = 0; i < CHURN_ITERS && elapsed(&s->start) < MAX_SECONDS; i++) {
		int k = (int)(i % N_KEYS), err;

		if (i & 1) {
			err = fscrypt_ext_keyring_remove(s->kr, s->ctx[k].key_identifier, NULL);
			if (err != FSCRYPT_EXT_OK && err != FSCRYPT_EXT_ERR_KEY_NOT_FOUND)
				stress_fail(s, "remove", k, err);
		} else {
			raw_key((uint8_t)(40 + k), raw, 64);
			err = fscrypt_ext_keyring_add(s->kr, raw, 64, id);
			if (err != FSCRYPT_EXT_OK && err != FSCRYPT_EXT_ERR_KEY_EXISTS)
				stress_fail(s, "add", k, err);
		}
	}
	return NULL;
}

START_TEST(test_stress_threads)
{
	static struct stress s;
	pthread_t th[N_DERIVERS + N_CHURNERS];
	struct fscrypt_ext_keyring_stats st;

	memset(&s, 0, sizeof(s));
	fscrypt_ext_fs_info_ext4(&s.fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&s.kr), FSCRYPT_EXT_OK);
	for (int k = 0; k < N_KEYS; k++) {
		uint8_t id[16];

		add_key(s.kr, (uint8_t)(40 + k), 64, id);
		inode_ctx(id, &s.ctx[k]);
		ck_assert_int_eq(fscrypt_ext_extent_context_new(&s.ctx[k], &s.ext[k]), FSCRYPT_EXT_OK);
		reference_ct((uint8_t)(40 + k), &s.ctx[k], &s.ext[k], s.want[k]);
	}
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	for (int i = 0; i < N_DERIVERS + N_CHURNERS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, i < N_DERIVERS ? deriver : churner, &s), 0);
	for (int i = 0; i < N_DERIVERS + N_CHURNERS; i++)
		pthread_join(th[i], NULL);
	printf("stress: %ld opens, %ld refused, %ld extent keys derived in %.2f s (backend %s)\n",
	       atomic_load(&s.opens), atomic_load(&s.refused), atomic_load(&s.derived), elapsed(&s.start),
	       tu_backend());
	ck_assert_int_eq(atomic_load(&s.failures), 0);
	ck_assert_int_gt(atomic_load(&s.opens), 0);

	/* Quiescent: no user is left, so nothing may be incompletely removed, and every removal wiped. */
	ck_assert_int_eq(fscrypt_ext_keyring_stats(s.kr, &st), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(st.incompletely_removed, 0);
	for (int k = 0; k < N_KEYS; k++) {
		struct fscrypt_ext_key_status_info ks = status_of(s.kr, s.ctx[k].key_identifier);

		ck_assert_uint_eq(ks.user_count, 0);
		if (ks.status == FSCRYPT_EXT_KEY_STATUS_PRESENT)
			ck_assert_int_eq(fscrypt_ext_keyring_remove(s.kr, s.ctx[k].key_identifier, NULL), FSCRYPT_EXT_OK);
	}
	ck_assert_int_eq(fscrypt_ext_keyring_stats(s.kr, &st), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(st.present, 0);
	ck_assert_uint_eq(st.incompletely_removed, 0);
	ck_assert_uint_ge(st.secrets_wiped, N_KEYS);
	fscrypt_ext_keyring_free(s.kr);
}
END_TEST

/*
 * Loading a file's extents in one call: own-key runs in batches, a re-keyed
 * extent from its own key entry; every info holds one reference and decrypts
 * what the single loads decrypt; a failing extent leaves no reference behind.
 */
START_TEST(test_load_extents_batch)
{
	enum { N = 21, REKEYED = 5 };
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_extent_inode *f = NULL, *old_f = NULL;
	fscrypt_ext_extent_info *infos[N], *one = NULL, *w = NULL;
	struct fscrypt_ext_context ctx, old_ctx;
	struct fscrypt_ext_extent_context e[N];
	struct fscrypt_ext_fs_info fs;
	uint8_t id[16], old_id[16], pt[4096], a[4096], b[4096];
	size_t failed = 99;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	add_key(kr, 8, 64, id);
	add_key(kr, 9, 64, old_id);
	inode_ctx(id, &ctx);
	inode_ctx(old_id, &old_ctx);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &ctx, &fs, &f), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_open(kr, &old_ctx, &fs, &old_f), FSCRYPT_EXT_OK);
	for (size_t i = 0; i < N; i++) {
		ck_assert_int_eq(i == REKEYED ? fscrypt_ext_extent_inode_new_extent(old_f, &e[i], &w)
					      : fscrypt_ext_extent_inode_new_extent(f, &e[i], &w),
				 FSCRYPT_EXT_OK);
		fscrypt_ext_extent_info_put(w);
	}
	/* Without ALLOW_REKEYED the re-keyed extent fails, at its index, and nothing stays loaded. */
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extents(f, e, N, 0, infos, &failed), FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	ck_assert_uint_eq(failed, REKEYED);
	ck_assert_ptr_null(infos[0]);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	ck_status(kr, old_id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extents(f, e, N, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, infos, &failed),
			 FSCRYPT_EXT_OK);
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1 + N - 1);
	ck_status(kr, old_id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 2);
	tu_rand(pt, sizeof(pt));
	for (size_t i = 0; i < N; i++) {
		ck_assert_int_eq(fscrypt_ext_extent_inode_load_extent(f, &e[i], FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &one),
				 FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_extent_encrypt(infos[i], 0, pt, a, sizeof(pt)), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_extent_encrypt(one, 0, pt, b, sizeof(pt)), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "extent %zu of %d (backend %s)", i, N, tu_backend());
		fscrypt_ext_extent_info_put(one);
		fscrypt_ext_extent_info_put(infos[i]);
	}
	ck_status(kr, id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	ck_status(kr, old_id, FSCRYPT_EXT_KEY_STATUS_PRESENT, 1);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extents(f, e, 0, 0, NULL, NULL), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_inode_load_extents(NULL, e, 1, 0, infos, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext_extent_inode_close(f);
	fscrypt_ext_extent_inode_close(old_f);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("keyring");
	TCase *tc = tcase_create("lifecycle");
	TCase *tt = tcase_create("threads");

	tcase_add_test(tc, test_add_lookup_remove);
	tcase_add_test(tc, test_open_needs_present_key);
	tcase_add_test(tc, test_incomplete_removal);
	tcase_add_test(tc, test_readd_while_removing);
	tcase_add_test(tc, test_rekeyed_lookup);
	tcase_add_test(tc, test_free_with_open_users);
	tcase_add_test(tc, test_keyring_inode_open);
	tcase_add_test(tc, test_load_extents_batch);
	tcase_add_test(tt, test_stress_threads);
	tcase_set_timeout(tc, 120);
	tcase_set_timeout(tt, 120);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tt);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
