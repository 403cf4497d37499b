/* Key setup suite: HKDF-SHA512 (spec 10.2), every derivation of spec 10.6, key identifiers and descriptors. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"
#include "hkdf.h"
#include "key.h"
#include "keysetup.h"

/* Spec 10.6 inputs: MK = 00..3f, MK32 = 00..1f, N = 10..1f, U = 00112233..eeff. */
static uint8_t MK[64], NONCE[16], UUID[16];

static void setup_inputs(void)
{
	for (int i = 0; i < 64; i++)
		MK[i] = (uint8_t)i;
	for (int i = 0; i < 16; i++)
		NONCE[i] = (uint8_t)(0x10 + i);
	for (int i = 0; i < 16; i++)
		UUID[i] = (uint8_t)(0x11 * i);
}

static fscrypt_ext_master_key *new_key(const uint8_t *raw, size_t len)
{
	fscrypt_ext_master_key *mk = NULL;

	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, len, &mk), FSCRYPT_EXT_OK);
	ck_assert_ptr_nonnull(mk);
	return mk;
}

static void assert_hex(const uint8_t *got, size_t n, const char *want, const char *what)
{
	char *h = tu_tohex(got, n);

	ck_assert_msg(strcmp(h, want) == 0, "%s (backend %s): got %s want %s", what, tu_backend(), h, want);
	free(h);
}

static void check_hkdf(const char *ikm_hex, const char *salt_hex, const char *info_hex, const char *okm_hex)
{
	size_t ikm_len, salt_len, info_len, okm_len;
	uint8_t *ikm = tu_hex(ikm_hex, &ikm_len), *salt = tu_hex(salt_hex, &salt_len);
	uint8_t *info = tu_hex(info_hex, &info_len), *okm = tu_hex(okm_hex, &okm_len);
	uint8_t out[64];

	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(ikm, ikm_len, salt_len ? salt : NULL, salt_len, info, info_len, out,
						 okm_len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(out, okm, okm_len) == 0, "HKDF salt=%s info=%s", salt_hex, info_hex);
	free(ikm);
	free(salt);
	free(info);
	free(okm);
}

START_TEST(test_hkdf_rfc_style_vectors)
{
	check_hkdf("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
		   "f0f1f2f3f4f5f6f7f8f9",
		   "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c1481579338da362cb8d9f925d7cb");
	check_hkdf("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		   "f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf90fff22d04836d0e2343bac");
	check_hkdf("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		   "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
		   "", "1407d46013d98bc6decefcfee55f0f90b0c7f63d68eb1a80eaf07e953cfc0a3a5240a155d6e4daa965bb");
}
END_TEST

/* The fscrypt HKDF (prepared state, prefix) equals the generic one with info = "fscrypt\0" || ctx || info. */
START_TEST(test_hkdf_fscrypt_matches_generic)
{
	struct fscrypt_ext__hkdf h;
	uint8_t info[9 + 17], ext[17], a[200], b[200];

	memcpy(info, "fscrypt\0", 8);
	for (size_t len = 1; len <= sizeof(a); len += 13) {
		for (uint8_t c = 1; c <= 9; c++) {
			info[8] = c;
			memcpy(ext, UUID, 16);
			ext[16] = c;
			memcpy(info + 9, ext, 17);
			ck_assert_int_eq(fscrypt_ext__hkdf_init(&h, MK, 64), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext__hkdf_expand(&h, c, ext, 17, a, len), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, info, sizeof(info), b, len),
					 FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(a, b, len) == 0, "context %u length %zu", c, len);
			fscrypt_ext__hkdf_wipe(&h);
		}
	}
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, NULL, 0, a, 255 * 64 + 1),
			 FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_identifier_and_descriptor)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64), *mk32 = new_key(MK, 32);
	uint8_t id[16], desc[8];

	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, id), FSCRYPT_EXT_OK);
	assert_hex(id, 16, "8699c2c53707405da5aba5ae4d8583c0", "identifier(MK)");
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk32, id), FSCRYPT_EXT_OK);
	assert_hex(id, 16, "37d7d76a59400083289c185526730d34", "identifier(MK32)");
	ck_assert_int_eq(fscrypt_ext_master_key_descriptor(mk, desc), FSCRYPT_EXT_OK);
	assert_hex(desc, 8, "04334e23057a6e2d", "descriptor(MK)");
	ck_assert_uint_eq(fscrypt_ext_master_key_size(mk), 64);
	ck_assert_uint_eq(fscrypt_ext_master_key_size(mk32), 32);
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(NULL, id), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_descriptor(NULL, desc), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_descriptor(mk, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_uint_eq(fscrypt_ext_master_key_size(NULL), 0);
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext_master_key_free(mk32);
	fscrypt_ext_master_key_free(NULL);
}
END_TEST

/* The one-shot HKDF and SipHash refuse NULL buffers that have a length, and accept empty ones. */
START_TEST(test_primitive_arguments)
{
	uint8_t okm[16], key[16] = { 0 };
	uint64_t h;

	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(NULL, 1, NULL, 0, NULL, 0, okm, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 1, NULL, 0, okm, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, NULL, 1, okm, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, NULL, 0, NULL, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(NULL, 0, NULL, 0, NULL, 0, NULL, 0), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_siphash24(NULL, MK, 1, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_siphash24(key, NULL, 1, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_siphash24(key, MK, 1, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_siphash24(key, NULL, 0, &h), FSCRYPT_EXT_OK);
	/* SipHash-2-4 reference (Aumasson-Bernstein), empty message, key 00..0f. */
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	ck_assert_int_eq(fscrypt_ext_siphash24(key, NULL, 0, &h), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(h, 0x726fdb47dd0e0e31ull);
}
END_TEST

START_TEST(test_master_key_sizes)
{
	uint8_t raw[65] = { 0 };
	fscrypt_ext_master_key *mk = NULL;

	for (size_t len = 0; len <= 65; len++) {
		int want = (len >= 16 && len <= 64) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_KEY_SIZE;

		mk = NULL;
		ck_assert_msg(fscrypt_ext_master_key_new(raw, len, &mk) == want, "length %zu", len);
		ck_assert_msg((mk != NULL) == (want == FSCRYPT_EXT_OK), "length %zu output", len);
		fscrypt_ext_master_key_free(mk);
	}
	ck_assert_int_eq(fscrypt_ext_master_key_new(NULL, 32, &mk), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, 32, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_hkdf_contexts)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	const struct fscrypt_ext__hkdf *h = fscrypt_ext__master_key_hkdf(mk);
	uint8_t k[64];

	ck_assert_int_eq(fscrypt_ext__derive_per_file_key(h, NONCE, k, 64), FSCRYPT_EXT_OK);
	assert_hex(k, 64, "661abec4a365fe5730e9781264d00a9816f0b5f50e41e49f3200b78ed390ed410be87de1011e6342781b08ab011f12107a4c08eb07a5d9e0b6cce65d31463010", "ctx 2");
	ck_assert_int_eq(fscrypt_ext__derive_per_file_key(h, NONCE, k, 32), FSCRYPT_EXT_OK);
	assert_hex(k, 32, "661abec4a365fe5730e9781264d00a9816f0b5f50e41e49f3200b78ed390ed41", "ctx 2 L=32");
	ck_assert_int_eq(fscrypt_ext__derive_direct_key(h, 9, k, 32), FSCRYPT_EXT_OK);
	assert_hex(k, 32, "9efb31534e244dd4c251dd5d540c714ab1cfcfaf0008a870cc298b52b32b7d39", "ctx 3 mode 9");
	ck_assert_int_eq(fscrypt_ext__derive_iv_ino_lblk_key(h, FSCRYPT_EXT__HKDF_IV_INO_LBLK_64, 1, UUID, k, 64),
			 FSCRYPT_EXT_OK);
	assert_hex(k, 64, "93a596d8e91af1eb5374f930a93822c6c6c4385bcf59e501273086b81fc0db7908077731ceaebfb167cb6c2333c51932391366a2f4833802d0d3a9d448d71991", "ctx 4");
	ck_assert_int_eq(fscrypt_ext__derive_dirhash_key(h, NONCE, k), FSCRYPT_EXT_OK);
	assert_hex(k, 16, "f53dfdc5dab5cd30ca0d9c15dea69697", "ctx 5");
	ck_assert_int_eq(fscrypt_ext__derive_iv_ino_lblk_key(h, FSCRYPT_EXT__HKDF_IV_INO_LBLK_32, 1, UUID, k, 64),
			 FSCRYPT_EXT_OK);
	assert_hex(k, 64, "dd4e9a9659701f22f032a3bf74d8d65874f79cec482aca4671813b5a3b6e3d76108f5145b17d1186e59583df3a2b4e738b8eb89c7be5ab7a611001192734254d", "ctx 6");
	ck_assert_int_eq(fscrypt_ext__derive_inode_hash_key(h, k), FSCRYPT_EXT_OK);
	assert_hex(k, 16, "670f76f85d2f3cb8a67e0bba366c1014", "ctx 7");
	ck_assert_uint_eq(fscrypt_ext__hash_ino(k, 12), 0x8258b545u);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_v1_kdf)
{
	uint8_t k[64];

	ck_assert_int_eq(fscrypt_ext__derive_v1_key(MK, 64, NONCE, k, 64), FSCRYPT_EXT_OK);
	assert_hex(k, 64, "9c54d571702cfa0f03f36215676bab78b7ad78216c5569d6da1aab87f6dbc561d31dd57e62812cddabd1ccaa3c47979be82546cf4538181b3f0a24390107fd00", "v1 KDF");
	/* ECB: each 16-byte block independently, so a 32-byte key is the prefix. */
	ck_assert_int_eq(fscrypt_ext__derive_v1_key(MK, 64, NONCE, k, 32), FSCRYPT_EXT_OK);
	assert_hex(k, 32, "9c54d571702cfa0f03f36215676bab78b7ad78216c5569d6da1aab87f6dbc561", "v1 KDF 32");
	ck_assert_int_eq(fscrypt_ext__derive_v1_key(MK, 32, NONCE, k, 64), FSCRYPT_EXT_ERR_KEY_SIZE);
}
END_TEST

START_TEST(test_siphash_reference)
{
	uint8_t key[16], msg[64];
	uint64_t h;

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	ck_assert_int_eq(fscrypt_ext_siphash24(key, NULL, 0, &h), FSCRYPT_EXT_OK);
	ck_assert_msg(h == 0x726fdb47dd0e0e31ull, "siphash empty = %016llx", (unsigned long long)h);
	/* Reference vector 15 bytes: a9 35 9f 5b 82 46 55 e5 read LE... check against the 8-byte LE message path instead. */
	ck_assert_int_eq(fscrypt_ext_siphash24(key, msg, 8, &h), FSCRYPT_EXT_OK);
	ck_assert_uint_eq((uint32_t)h, fscrypt_ext__hash_ino(key, 0x0706050403020100ull));
}
END_TEST

/* Filename "hello" under PAD_32 with the ctx-2 AES-256-CTS key (spec 10.6), through the public inode API. */
START_TEST(test_cts_hello)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_inode *dir = NULL;
	uint8_t ct[64], pt[64];
	size_t n;

	memset(&ctx, 0, sizeof(ctx));
	ctx.version = FSCRYPT_EXT_CONTEXT_V2;
	ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	ctx.flags = FSCRYPT_EXT_FLAG_PAD_32;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, ctx.key_identifier), FSCRYPT_EXT_OK);
	memcpy(ctx.nonce, NONCE, 16);
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 2, &fs, &dir), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(dir, (const uint8_t *)"hello", 5, ct, sizeof(ct), &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 32);
	assert_hex(ct, 32, "d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7", "CTS hello");
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(dir, ct, n, pt, sizeof(pt), &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert(memcmp(pt, "hello", 5) == 0);
	fscrypt_ext_inode_free(dir);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_master_key_size_rules)
{
	const struct fscrypt_ext__mode *xts = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_AES_256_XTS);
	const struct fscrypt_ext__mode *cts128 = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_AES_128_CTS);

	ck_assert_ptr_nonnull(xts);
	ck_assert_ptr_nonnull(cts128);
	/* v1 needs the full mode key size, v2 only the security strength. */
	ck_assert_int_eq(fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V1, xts, 63), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_int_eq(fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V1, xts, 64), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V2, xts, 31), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_int_eq(fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V2, xts, 32), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V2, cts128, 16), FSCRYPT_EXT_OK);
}
END_TEST

START_TEST(test_mode_info)
{
	struct fscrypt_ext_mode_info mi;
	static const struct {
		unsigned int mode;
		uint8_t key, strength, iv;
	} want[] = { { 1, 64, 32, 16 }, { 4, 32, 32, 16 }, { 5, 16, 16, 16 }, { 6, 16, 16, 16 },
		     { 7, 32, 16, 16 }, { 8, 16, 16, 16 }, { 9, 32, 32, 32 }, { 10, 32, 32, 32 } };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(fscrypt_ext_mode_info(want[i].mode, &mi), FSCRYPT_EXT_OK);
		ck_assert_msg(mi.key_size == want[i].key && mi.security_strength == want[i].strength &&
				      mi.iv_size == want[i].iv && mi.name != NULL,
			      "mode %u", want[i].mode);
	}
	for (unsigned int m = 0; m < 300; m++) {
		bool known = m == 1 || (m >= 4 && m <= 10);

		ck_assert_msg((fscrypt_ext_mode_info(m, &mi) == FSCRYPT_EXT_OK) == known, "mode %u", m);
	}
	ck_assert_int_eq(fscrypt_ext_mode_info(1, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_strerror_and_version)
{
	for (int e = 0; e >= -32; e--) {
		const char *s = fscrypt_ext_strerror(e), *n = fscrypt_ext_error_name(e);

		if (e == -31) {
			/* Reserved (was FSCRYPT_EXT_ERR_BUSY, never returned): no message, no name. */
			ck_assert_str_eq(s, "unknown error");
			ck_assert_ptr_null(n);
			continue;
		}
		ck_assert_msg(s != NULL && strcmp(s, "unknown error") != 0, "error %d has no message", e);
		ck_assert_msg(n != NULL && strncmp(n, e == 0 ? "FSCRYPT_EXT_OK" : "FSCRYPT_EXT_ERR_", strlen(e == 0 ? "FSCRYPT_EXT_OK" : "FSCRYPT_EXT_ERR_")) == 0,
			      "error %d has name %s", e, n != NULL ? n : "(null)");
	}
	ck_assert_str_eq(fscrypt_ext_error_name(FSCRYPT_EXT_ERR_CORRUPT), "FSCRYPT_EXT_ERR_CORRUPT");
	ck_assert_str_eq(fscrypt_ext_error_name(FSCRYPT_EXT_ERR_NO_KEY_NAME), "FSCRYPT_EXT_ERR_NO_KEY_NAME");
	ck_assert_ptr_null(fscrypt_ext_error_name(-1000));
	ck_assert_ptr_null(fscrypt_ext_error_name(1));
	ck_assert_str_eq(fscrypt_ext_strerror(-1000), "unknown error");
	ck_assert_str_eq(fscrypt_ext_version_string(), FSCRYPT_EXT_VERSION_STRING);
	ck_assert_uint_eq(fscrypt_ext_version_number(), FSCRYPT_EXT_VERSION_NUMBER);
	ck_assert_int_eq(fscrypt_ext_init(), FSCRYPT_EXT_OK);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("keysetup");
	TCase *tc = tcase_create("core");

	setup_inputs();
	tcase_add_test(tc, test_hkdf_rfc_style_vectors);
	tcase_add_test(tc, test_hkdf_fscrypt_matches_generic);
	tcase_add_test(tc, test_identifier_and_descriptor);
	tcase_add_test(tc, test_master_key_sizes);
	tcase_add_test(tc, test_primitive_arguments);
	tcase_add_test(tc, test_hkdf_contexts);
	tcase_add_test(tc, test_v1_kdf);
	tcase_add_test(tc, test_siphash_reference);
	tcase_add_test(tc, test_cts_hello);
	tcase_add_test(tc, test_master_key_size_rules);
	tcase_add_test(tc, test_mode_info);
	tcase_add_test(tc, test_strerror_and_version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
