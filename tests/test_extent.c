/* Check suite "extent": extent contexts, per-extent keys (btrfs v6 design), extent contents, re-keyed extents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"
#include "cipher.h"
#include "extent.h"
#include "secmem.h"

#define VEC_FILE FSCRYPT_EXT_TEST_VECTORS_DIR "/extent/extent-seed1.json"

/* Spec 10.6: MK = 00..3f, N = 10..1f; per-extent key with context byte 9, L = 64. */
#define SPEC_EXTENT_KEY_C9                                                                                     \
	"fc3b851ea05ba37c40077f7f15ef91d0d7452a0a989b670afb668bbac30ced690cf8402a58e7dd008811c06494f94846ec163c6e0b" \
	"7e61a2c6ed2991acc87468"

static fscrypt_ext_master_key *new_key(const uint8_t *raw, size_t len)
{
	fscrypt_ext_master_key *mk = NULL;

	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, len, &mk), FSCRYPT_EXT_OK);
	return mk;
}

static fscrypt_ext_master_key *seq_key(uint8_t start, size_t len)
{
	uint8_t raw[64];

	for (size_t i = 0; i < len; i++)
		raw[i] = (uint8_t)(start + i);
	return new_key(raw, len);
}

/* A v2 AES-256-XTS / AES-256-CTS inode context for mk (PAD_32, default data unit). */
static void inode_ctx_for(const fscrypt_ext_master_key *mk, uint8_t contents, uint8_t filenames, uint8_t flags,
			  uint8_t log2_du, struct fscrypt_ext_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->version = FSCRYPT_EXT_CONTEXT_V2;
	ctx->contents_mode = contents;
	ctx->filenames_mode = filenames;
	ctx->flags = flags;
	ctx->log2_data_unit_size = log2_du;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, ctx->key_identifier), FSCRYPT_EXT_OK);
	tu_rand(ctx->nonce, sizeof(ctx->nonce));
}

/* OpenSSL oracle: AES-256-XTS of one data unit with tweak le64(index). */
static void ossl_xts(const uint8_t key[64], uint64_t index, const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[16] = { 0 };
	int n = 0;

	for (int i = 0; i < 8; i++)
		iv[i] = (uint8_t)(index >> (8 * i));
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(EVP_CipherInit_ex(c, EVP_aes_256_xts(), NULL, key, iv, enc), 1);
	ck_assert_int_eq(EVP_CipherUpdate(c, out, &n, in, (int)len), 1);
	ck_assert_int_eq(n, (int)len);
	EVP_CIPHER_CTX_free(c);
}

/* The extent key computed independently with the public HKDF: info = "fscrypt\0" 9 nonce. */
static void expected_extent_key(const uint8_t *raw, size_t raw_len, const uint8_t nonce[16], uint8_t *key, size_t n)
{
	uint8_t info[9 + 16] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, 9 };

	memcpy(info + 9, nonce, 16);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(raw, raw_len, NULL, 0, info, sizeof(info), key, n), FSCRYPT_EXT_OK);
}

START_TEST(test_parse_serialize)
{
	uint8_t buf[40], out[40];
	struct fscrypt_ext_extent_context c, c2;
	size_t n = 0;

	tu_rand(buf, sizeof(buf));
	buf[0] = 1;
	ck_assert_int_eq(fscrypt_ext_extent_context_parse(buf, 34, &c), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(c.version, 1);
	ck_assert_uint_eq(c.contents_mode, buf[1]);
	ck_assert_mem_eq(c.key_identifier, buf + 2, 16);
	ck_assert_mem_eq(c.nonce, buf + 18, 16);
	memset(out, 0xaa, sizeof(out));
	ck_assert_int_eq(fscrypt_ext_extent_context_serialize(&c, out, sizeof(out), &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 34);
	ck_assert_mem_eq(out, buf, 34);
	ck_assert_uint_eq(out[34], 0xaa);

	/* Length must be exactly 34. */
	for (size_t len = 0; len < 34; len++)
		ck_assert_msg(fscrypt_ext_extent_context_parse(buf, len, &c2) == FSCRYPT_EXT_ERR_TRUNCATED,
			      "length %zu", len);
	ck_assert_int_eq(fscrypt_ext_extent_context_parse(buf, 35, &c2), FSCRYPT_EXT_ERR_OVERSIZED);
	ck_assert_int_eq(fscrypt_ext_extent_context_parse(buf, 40, &c2), FSCRYPT_EXT_ERR_OVERSIZED);
	/* Version 1 only (the v5/v6 doc text's "V2" is a known mix-up). */
	for (unsigned int v = 0; v < 256; v++) {
		buf[0] = (uint8_t)v;
		if (v != 1)
			ck_assert_msg(fscrypt_ext_extent_context_parse(buf, 34, &c2) == FSCRYPT_EXT_ERR_BAD_VERSION,
				      "version %u", v);
	}
	ck_assert_int_eq(fscrypt_ext_extent_context_parse(NULL, 34, &c2), FSCRYPT_EXT_ERR_INVALID_ARG);

	ck_assert_int_eq(fscrypt_ext_extent_context_serialize(&c, out, 33, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	c2 = c;
	c2.version = 2;
	ck_assert_int_eq(fscrypt_ext_extent_context_serialize(&c2, out, sizeof(out), &n), FSCRYPT_EXT_ERR_BAD_VERSION);
}
END_TEST

START_TEST(test_policy_check)
{
	fscrypt_ext_master_key *mk = seq_key(0, 64);
	struct fscrypt_ext_context ctx, bad;
	static const struct {
		uint8_t flags;
		int err;
	} flag_cases[] = {
		{ 0x00, FSCRYPT_EXT_OK },
		{ 0x01, FSCRYPT_EXT_OK },
		{ 0x02, FSCRYPT_EXT_OK },
		{ 0x03, FSCRYPT_EXT_OK },
		{ FSCRYPT_EXT_FLAG_DIRECT_KEY, FSCRYPT_EXT_ERR_EXTENT_POLICY },
		{ FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, FSCRYPT_EXT_ERR_EXTENT_POLICY },
		{ FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, FSCRYPT_EXT_ERR_EXTENT_POLICY },
		{ FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | 0x03, FSCRYPT_EXT_ERR_EXTENT_POLICY },
		{ 0x20, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS },
		{ 0x80, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS },
	};

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &ctx);
	for (size_t i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		bad = ctx;
		bad.flags = flag_cases[i].flags;
		ck_assert_msg(fscrypt_ext_extent_policy_check(&bad) == flag_cases[i].err, "flags 0x%02x: got %d want %d",
			      bad.flags, fscrypt_ext_extent_policy_check(&bad), flag_cases[i].err);
	}
	/* v1 contexts cannot carry extents, whatever their flags. */
	bad = ctx;
	bad.version = FSCRYPT_EXT_CONTEXT_V1;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_EXTENT_POLICY);
	bad.flags = FSCRYPT_EXT_FLAG_DIRECT_KEY;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_EXTENT_POLICY);
	bad = ctx;
	bad.version = 3;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_BAD_VERSION);
	bad = ctx;
	bad.reserved[2] = 1;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_RESERVED_BITS);
	bad = ctx;
	bad.contents_mode = FSCRYPT_EXT_MODE_AES_256_HCTR2;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	bad.contents_mode = 3;
	ck_assert_int_eq(fscrypt_ext_extent_policy_check(&bad), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);

	/* The same errors come out of validation, context creation and loading. */
	{
		struct fscrypt_ext_extent_context e;
		struct fscrypt_ext_extent_info *ei = NULL;
		struct fscrypt_ext_fs_info fs;

		fscrypt_ext_fs_info_ext4(&fs, 4096);
		ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
		bad = ctx;
		bad.flags = FSCRYPT_EXT_FLAG_IV_INO_LBLK_32;
		ck_assert_int_eq(fscrypt_ext_extent_context_new(&bad, &e), FSCRYPT_EXT_ERR_EXTENT_POLICY);
		ck_assert_int_eq(fscrypt_ext_extent_context_validate(&e, &bad, 0), FSCRYPT_EXT_ERR_EXTENT_POLICY);
		ck_assert_int_eq(fscrypt_ext_extent_info_load(&bad, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_ERR_EXTENT_POLICY);
		ck_assert_ptr_null(ei);
		bad.flags = FSCRYPT_EXT_FLAG_DIRECT_KEY;
		ck_assert_int_eq(fscrypt_ext_extent_info_new(&bad, &fs, mk, &e, &ei), FSCRYPT_EXT_ERR_EXTENT_POLICY);
		ck_assert_ptr_null(ei);
	}
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_validate)
{
	fscrypt_ext_master_key *mk = seq_key(0, 64);
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e, bad;

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_HCTR2, 0x02, 0, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(e.version, 1);
	ck_assert_uint_eq(e.contents_mode, FSCRYPT_EXT_MODE_AES_256_XTS);
	ck_assert_mem_eq(e.key_identifier, ctx.key_identifier, 16);
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&e, &ctx, 0), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&e, &ctx, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED),
			 FSCRYPT_EXT_OK);

	bad = e;
	bad.contents_mode = FSCRYPT_EXT_MODE_ADIANTUM;
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&bad, &ctx, 0), FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	/* Re-keying never excuses a different mode. */
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&bad, &ctx, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED),
			 FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	for (int i = 0; i < 16; i++) {
		bad = e;
		bad.key_identifier[i] ^= 0x40;
		ck_assert_msg(fscrypt_ext_extent_context_validate(&bad, &ctx, 0) == FSCRYPT_EXT_ERR_EXTENT_MISMATCH,
			      "identifier byte %d flipped", i);
		ck_assert_msg(fscrypt_ext_extent_context_validate(&bad, &ctx, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED) ==
				      FSCRYPT_EXT_OK,
			      "identifier byte %d flipped, re-keying allowed", i);
	}
	bad = e;
	bad.version = 2;
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&bad, &ctx, 0), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(&e, &ctx, 0x2), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_extent_context_validate(NULL, &ctx, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* The nonce is random: two new extents differ. */
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &bad), FSCRYPT_EXT_OK);
	ck_assert_mem_ne(bad.nonce, e.nonce, 16);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Every single-bit flip of a stored context: version -> BAD_VERSION, mode/identifier -> EXTENT_MISMATCH, nonce -> OK. */
START_TEST(test_bitflips)
{
	fscrypt_ext_master_key *mk = seq_key(0x41, 32);
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e, got;
	uint8_t buf[34], flipped[34];

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_context_serialize(&e, buf, sizeof(buf), NULL), FSCRYPT_EXT_OK);
	for (int bit = 0; bit < 34 * 8; bit++) {
		int byte = bit / 8, err, want;

		memcpy(flipped, buf, sizeof(buf));
		flipped[byte] ^= (uint8_t)(1 << (bit % 8));
		err = fscrypt_ext_extent_context_parse(flipped, sizeof(flipped), &got);
		if (err == FSCRYPT_EXT_OK)
			err = fscrypt_ext_extent_context_validate(&got, &ctx, 0);
		want = byte == 0 ? FSCRYPT_EXT_ERR_BAD_VERSION : byte < 18 ? FSCRYPT_EXT_ERR_EXTENT_MISMATCH : FSCRYPT_EXT_OK;
		ck_assert_msg(err == want, "bit %d (byte %d): got %s, want %s", bit, byte, fscrypt_ext_strerror(err),
			      fscrypt_ext_strerror(want));
	}
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Every vector of the bundled file, both directions, through the public API. */
START_TEST(test_vectors)
{
	struct json_object *root = json_object_from_file(VEC_FILE), *vecs;
	size_t count;

	ck_assert_msg(root != NULL, "cannot read %s", VEC_FILE);
	ck_assert(json_object_object_get_ex(root, "vectors", &vecs));
	count = json_object_array_length(vecs);
	ck_assert_uint_gt(count, 0);
	for (size_t i = 0; i < count; i++) {
		struct json_object *v = json_object_array_get_idx(vecs, i), *f;
		const char *names[] = { "inode_context", "extent_context", "master_key", "plaintext", "ciphertext" };
		uint8_t *b[5];
		size_t l[5];
		struct fscrypt_ext_context ictx;
		struct fscrypt_ext_extent_context ectx;
		struct fscrypt_ext_fs_info fs;
		fscrypt_ext_master_key *mk;
		fscrypt_ext_extent_info *ei = NULL;
		uint64_t off, bs;
		uint8_t *out;
		int err;

		ck_assert(json_object_object_get_ex(v, "type", &f));
		ck_assert_str_eq(json_object_get_string(f), "extent");
		for (int k = 0; k < 5; k++) {
			ck_assert_msg(json_object_object_get_ex(v, names[k], &f), "vector %zu: no %s", i, names[k]);
			b[k] = tu_hex(json_object_get_string(f), &l[k]);
		}
		ck_assert(json_object_object_get_ex(v, "block_size", &f));
		bs = (uint64_t)json_object_get_int64(f);
		ck_assert(json_object_object_get_ex(v, "extent_offset", &f));
		off = (uint64_t)json_object_get_int64(f);
		fscrypt_ext_fs_info_ext4(&fs, (uint32_t)bs);
		ck_assert_int_eq(fscrypt_ext_context_parse(b[0], l[0], &ictx), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_extent_context_parse(b[1], l[1], &ectx), FSCRYPT_EXT_OK);
		mk = new_key(b[2], l[2]);
		err = fscrypt_ext_extent_info_load(&ictx, &fs, &ectx, mk, 0, &ei);
		ck_assert_msg(err == FSCRYPT_EXT_OK, "vector %zu: mode %u flags 0x%02x du %u: load: %s (backend %s)", i,
			      ictx.contents_mode, ictx.flags, ictx.log2_data_unit_size, fscrypt_ext_strerror(err),
			      tu_backend());
		ck_assert_uint_eq(l[3], l[4]);
		out = malloc(l[3] + 1);
		ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, off, b[3], out, l[3]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, b[4], l[3]) == 0, "vector %zu: mode %u offset %llu len %zu: encrypt (backend %s)",
			      i, ictx.contents_mode, (unsigned long long)off, l[3], tu_backend());
		ck_assert_int_eq(fscrypt_ext_extent_decrypt(ei, off, b[4], out, l[4]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, b[3], l[3]) == 0, "vector %zu: mode %u offset %llu len %zu: decrypt (backend %s)",
			      i, ictx.contents_mode, (unsigned long long)off, l[3], tu_backend());
		free(out);
		fscrypt_ext_extent_info_put(ei);
		fscrypt_ext_master_key_free(mk);
		for (int k = 0; k < 5; k++)
			free(b[k]);
	}
	json_object_put(root);
}
END_TEST

/* Byte 9 pinned against the spec's worked value, and the IV against OpenSSL XTS per data unit. */
START_TEST(test_key_and_iv_oracle)
{
	uint8_t raw[64], key[64], pt[4 * 4096], ct[4 * 4096], want[4096];
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *ei = NULL;
	uint8_t spec_key[64];

	for (int i = 0; i < 64; i++)
		raw[i] = (uint8_t)i;
	mk = new_key(raw, sizeof(raw));
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0x03, 0, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
	for (int i = 0; i < 16; i++)
		e.nonce[i] = (uint8_t)(0x10 + i);
	expected_extent_key(raw, sizeof(raw), e.nonce, key, sizeof(key));
	tu_hex_into(SPEC_EXTENT_KEY_C9, spec_key, sizeof(spec_key));
	ck_assert_mem_eq(key, spec_key, 64);

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(fscrypt_ext_extent_info_data_unit_size(ei), 4096);
	tu_rand(pt, sizeof(pt));
	/* Units 5..8 of the extent: IVs 5..8, whatever file or inode the extent belongs to. */
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 5 * 4096, pt, ct, sizeof(pt)), FSCRYPT_EXT_OK);
	for (int u = 0; u < 4; u++) {
		ossl_xts(key, 5 + (uint64_t)u, pt + 4096 * u, want, 4096, 1);
		ck_assert_msg(memcmp(ct + 4096 * u, want, 4096) == 0, "unit %d (backend %s)", 5 + u, tu_backend());
	}
	/* A run equals its pieces; in place works. */
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 7 * 4096, pt + 2 * 4096, want, 4096), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(want, ct + 2 * 4096, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_decrypt(ei, 5 * 4096, ct, ct, sizeof(ct)), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(ct, pt, sizeof(pt));
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* log2_data_unit_size = 9 on a 4096-byte-block filesystem: units of 512, indices per 512 bytes. */
START_TEST(test_subblock_units)
{
	uint8_t raw[32], key[64], pt[2048], ct[2048], want[512];
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *ei = NULL;

	tu_rand(raw, sizeof(raw));
	mk = new_key(raw, sizeof(raw));
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 9, &ctx);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&ctx, &fs, mk, &e, &ei), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(fscrypt_ext_extent_info_data_unit_size(ei), 512);
	expected_extent_key(raw, sizeof(raw), e.nonce, key, sizeof(key));
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 1536, pt, ct, sizeof(pt)), FSCRYPT_EXT_OK);
	for (int u = 0; u < 4; u++) {
		ossl_xts(key, 3 + (uint64_t)u, pt + 512 * u, want, 512, 1);
		ck_assert_msg(memcmp(ct + 512 * u, want, 512) == 0, "du 512 unit %d (backend %s)", 3 + u, tu_backend());
	}
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 256, pt, ct, 512), FSCRYPT_EXT_ERR_ALIGNMENT);
	/* The filesystem decides whether sub-block units exist at all. */
	fs.subblock_data_units = false;
	fscrypt_ext_extent_info_put(ei);
	ei = NULL;
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	ck_assert_ptr_null(ei);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_alignment_and_args)
{
	fscrypt_ext_master_key *mk = seq_key(7, 64);
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *ei = NULL;
	uint8_t buf[8192] = { 0 };

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &ctx);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&ctx, &fs, mk, &e, &ei), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 1, buf, buf, 4096), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, buf, buf, 4095), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_extent_decrypt(ei, 4096, buf, buf, 100), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, UINT64_MAX - 4095, buf, buf, 8192), FSCRYPT_EXT_ERR_RANGE);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, NULL, buf, 4096), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(NULL, 0, buf, buf, 4096), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, buf, buf, 0), FSCRYPT_EXT_OK);
	/* The largest unit index still works. */
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, UINT64_MAX - 8191, buf, buf, 4096), FSCRYPT_EXT_OK);
	fscrypt_ext_extent_info_put(ei);
	ei = NULL;
	/* A mode this inode does not use is refused; an unimplemented mode would be NOT_SUPPORTED, never silent. */
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, NULL, &e, mk, 0, &ei), FSCRYPT_EXT_ERR_INVALID_ARG);
	fs.block_size = 3000;
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_ptr_null(ei);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_refcount)
{
	fscrypt_ext_master_key *mk = seq_key(3, 32);
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_extent_context e, e2;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *ei = NULL, *again = NULL;
	uint8_t pt[4096], ct1[4096], ct2[4096];

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &ctx);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&ctx, &fs, mk, &e, &ei), FSCRYPT_EXT_OK);
	/* Infos made from a caller-owned key do not borrow it. */
	fscrypt_ext_master_key_free(mk);
	ck_assert_ptr_eq(fscrypt_ext_extent_info_get(ei), ei);
	ck_assert_ptr_eq(fscrypt_ext_extent_info_get(ei), ei);
	ck_assert_ptr_null(fscrypt_ext_extent_info_get(NULL));
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_extent_info_put(ei);
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ei, 0, pt, ct1, sizeof(pt)), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_context(ei, &e2), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(&e2, &e, sizeof(e));
	/* The stored context reloads to the same key. */
	mk = seq_key(3, 32);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e2, mk, 0, &again), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(again, 0, pt, ct2, sizeof(pt)), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(ct1, ct2, sizeof(ct1));
	ck_assert_mem_ne(ct1, pt, sizeof(pt));
	fscrypt_ext_extent_info_put(again);
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_extent_info_put(NULL);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Two infos of one inode differ (nonces); the same nonce under another inode gives the same key (reflink). */
START_TEST(test_inode_independence)
{
	fscrypt_ext_master_key *mk = seq_key(9, 64);
	struct fscrypt_ext_context a, b;
	struct fscrypt_ext_extent_context e1, e2;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *i1 = NULL, *i2 = NULL, *ib = NULL;
	uint8_t pt[4096] = { 0 }, c1[4096], c2[4096], cb[4096];

	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &a);
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0x03, 0, &b);
	ck_assert_mem_ne(a.nonce, b.nonce, 16);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&a, &fs, mk, &e1, &i1), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&a, &fs, mk, &e2, &i2), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&b, &fs, &e1, mk, 0, &ib), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(i1, 0, pt, c1, 4096), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(i2, 0, pt, c2, 4096), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(ib, 0, pt, cb, 4096), FSCRYPT_EXT_OK);
	ck_assert_mem_ne(c1, c2, 4096);
	ck_assert_mem_eq(c1, cb, 4096);
	fscrypt_ext_extent_info_put(i1);
	fscrypt_ext_extent_info_put(i2);
	fscrypt_ext_extent_info_put(ib);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_rekeyed)
{
	fscrypt_ext_master_key *old_key = seq_key(0x20, 64), *new_key_ = seq_key(0x60, 64);
	struct fscrypt_ext_context snap_old, snap_new;
	struct fscrypt_ext_extent_context e_old, e_new;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_extent_info *w = NULL, *r = NULL, *n = NULL;
	uint8_t pt[8192], ct[8192], back[8192];

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	/* An extent written under the old key ... */
	inode_ctx_for(old_key, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0, 0, &snap_old);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&snap_old, &fs, old_key, &e_old, &w), FSCRYPT_EXT_OK);
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_extent_encrypt(w, 0, pt, ct, sizeof(pt)), FSCRYPT_EXT_OK);
	/* ... shared into a snapshot whose inode now names the new key. */
	snap_new = snap_old;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(new_key_, snap_new.key_identifier), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&snap_new, &fs, &e_old, old_key, 0, &r),
			 FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&snap_new, &fs, &e_old, new_key_, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &r),
			 FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&snap_new, &fs, &e_old, old_key, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, &r),
			 FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_decrypt(r, 0, ct, back, sizeof(ct)), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(back, pt, sizeof(pt));
	/* New extents of the snapshot use its current key, never the old one. */
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&snap_new, &fs, old_key, &e_new, &n), FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_int_eq(fscrypt_ext_extent_info_new(&snap_new, &fs, new_key_, &e_new, &n), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(e_new.key_identifier, snap_new.key_identifier, 16);
	ck_assert_mem_ne(e_new.key_identifier, e_old.key_identifier, 16);
	fscrypt_ext_extent_info_put(w);
	fscrypt_ext_extent_info_put(r);
	fscrypt_ext_extent_info_put(n);
	fscrypt_ext_master_key_free(old_key);
	fscrypt_ext_master_key_free(new_key_);
}
END_TEST

/*
 * The batch load against one-by-one loads, for every batch size 0..40 and
 * every contents mode that carries extents: same ciphertext from every
 * info, keys checked against the public HKDF for XTS; errors name the first
 * failing extent and leave nothing behind.
 */
/*
 * An info holds only its mode's state: AES-256-XTS on the AES-NI and VAES
 * backends (schedules of 240 + 480 bytes) fits a 1 KiB secmem block, on
 * ARMv8-CE a 1.5 KiB one, on the portable one (960-byte bitsliced
 * schedules) a 3 KiB one; a mode with
 * a 4 KiB state (Adiantum) still gets all of it.
 */
START_TEST(test_info_size)
{
	uint8_t raw[64];
	struct fscrypt_ext_extent_context e;
	fscrypt_ext_extent_info *ei;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	const char *be = tu_backend();
	int hw = strcmp(be, "aesni") == 0 || strncmp(be, "vaes", 4) == 0;
	/* armv8-ce has no encryption-only schedule: its tweak key is a full 544-byte one. */
	size_t limit = hw ? 1024 : strcmp(be, "armv8-ce") == 0 ? 1536 : 3072;
	size_t sz;

	tu_rand(raw, sizeof(raw));
	mk = new_key(raw, sizeof(raw));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0x02, 0, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_OK);
	sz = fscrypt_ext__extent_info_alloc_size(ei);
	ck_assert_msg(fscrypt_ext__secmem_block_size(sz) <= limit, "XTS info %zu bytes (backend %s)", sz, be);
	fscrypt_ext_extent_info_put(ei);
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_ADIANTUM, FSCRYPT_EXT_MODE_ADIANTUM, 0x02, 0, &ctx);
	ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e, mk, 0, &ei), FSCRYPT_EXT_OK);
	sz = fscrypt_ext__extent_info_alloc_size(ei);
	ck_assert_msg(sz >= sizeof(struct fscrypt_ext__cipher), "Adiantum info %zu bytes (backend %s)", sz, be);
	fscrypt_ext_extent_info_put(ei);
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext__wipe(raw, sizeof(raw));
}
END_TEST

START_TEST(test_load_batch)
{
	static const uint8_t modes[] = { FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV,
					 FSCRYPT_EXT_MODE_ADIANTUM };
	enum { MAXN = 40 };
	uint8_t raw[64], key[64], pt[4096], a[4096], b[4096];
	struct fscrypt_ext_extent_context e[MAXN];
	fscrypt_ext_extent_info *batch[MAXN], *one;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk, *other = seq_key(0x70, 64);
	size_t failed;

	tu_rand(raw, sizeof(raw));
	mk = new_key(raw, sizeof(raw));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	tu_rand(pt, sizeof(pt));
	for (size_t mi = 0; mi < sizeof(modes); mi++) {
		uint8_t fn = modes[mi] == FSCRYPT_EXT_MODE_ADIANTUM ? FSCRYPT_EXT_MODE_ADIANTUM
			     : modes[mi] == FSCRYPT_EXT_MODE_AES_256_XTS ? FSCRYPT_EXT_MODE_AES_256_CTS
									 : FSCRYPT_EXT_MODE_AES_128_CTS;

		inode_ctx_for(mk, modes[mi], fn, 0x02, 0, &ctx);
		for (size_t n = 0; n <= MAXN; n++) {
			for (size_t i = 0; i < n; i++)
				ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e[i]), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, n, mk, 0, batch, &failed),
					 FSCRYPT_EXT_OK);
			for (size_t i = 0; i < n; i++) {
				ck_assert_int_eq(fscrypt_ext_extent_info_load(&ctx, &fs, &e[i], mk, 0, &one), FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext_extent_encrypt(batch[i], 4096 * i, pt, a, sizeof(pt)), FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext_extent_encrypt(one, 4096 * i, pt, b, sizeof(pt)), FSCRYPT_EXT_OK);
				ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "batch of %zu, extent %zu, mode %u (backend %s)", n, i,
					      modes[mi], tu_backend());
				/* The batch's decryption schedules (batched expansion) too. */
				ck_assert_int_eq(fscrypt_ext_extent_decrypt(batch[i], 4096 * i, a, b, sizeof(a)), FSCRYPT_EXT_OK);
				ck_assert_msg(memcmp(pt, b, sizeof(pt)) == 0, "batch of %zu, extent %zu, mode %u decrypt (backend %s)",
					      n, i, modes[mi], tu_backend());
				ck_assert_uint_eq(fscrypt_ext__extent_info_alloc_size(batch[i]),
						  fscrypt_ext__extent_info_alloc_size(one));
				if (modes[mi] == FSCRYPT_EXT_MODE_AES_256_XTS) {
					expected_extent_key(raw, sizeof(raw), e[i].nonce, key, sizeof(key));
					ossl_xts(key, i, pt, b, sizeof(pt), 1);
					ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "batch of %zu, extent %zu vs OpenSSL", n, i);
				}
				fscrypt_ext_extent_info_put(one);
				fscrypt_ext_extent_info_put(batch[i]);
			}
		}
	}
	/* Errors: the first failing extent's code and index; no info survives. */
	inode_ctx_for(mk, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 0x02, 0, &ctx);
	for (size_t i = 0; i < 20; i++)
		ck_assert_int_eq(fscrypt_ext_extent_context_new(&ctx, &e[i]), FSCRYPT_EXT_OK);
	e[13].version = 2;
	e[17].contents_mode = FSCRYPT_EXT_MODE_ADIANTUM;
	for (size_t i = 0; i < 20; i++)
		batch[i] = (fscrypt_ext_extent_info *)&ctx; /* must be overwritten with NULL */
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, 20, mk, 0, batch, &failed),
			 FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_uint_eq(failed, 13);
	for (size_t i = 0; i < 20; i++)
		ck_assert_ptr_null(batch[i]);
	e[13].version = FSCRYPT_EXT_EXTENT_CONTEXT_V1;
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, 20, mk, 0, batch, &failed),
			 FSCRYPT_EXT_ERR_EXTENT_MISMATCH);
	ck_assert_uint_eq(failed, 17);
	e[17].contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	/* A re-keyed extent: WRONG_KEY at its index (even when allowed: the batch uses one key). */
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(other, e[9].key_identifier), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, 20, mk, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED, batch,
							    &failed),
			 FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_uint_eq(failed, 9);
	ck_assert_ptr_null(batch[0]);
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, 9, other, 0, batch, &failed),
			 FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_uint_eq(failed, 0);
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, e, 1, mk, 0, NULL, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_extent_info_load_batch(&ctx, &fs, NULL, 0, mk, 0, NULL, NULL), FSCRYPT_EXT_OK);
	fscrypt_ext_master_key_free(other);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("extent");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_serialize);
	tcase_add_test(tc, test_policy_check);
	tcase_add_test(tc, test_validate);
	tcase_add_test(tc, test_bitflips);
	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_key_and_iv_oracle);
	tcase_add_test(tc, test_subblock_units);
	tcase_add_test(tc, test_alignment_and_args);
	tcase_add_test(tc, test_refcount);
	tcase_add_test(tc, test_inode_independence);
	tcase_add_test(tc, test_rekeyed);
	tcase_add_test(tc, test_load_batch);
	tcase_add_test(tc, test_info_size);
	tcase_set_timeout(tc, 120); /* a loaded 2-core machine; the work itself takes well under a second */
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
