/* Key-derive suite: fscrypt_ext_master_key_derive() (and the prepared HMAC-SHA512 under it) against OpenSSL's HKDF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* RFC 5869 HKDF-SHA512 with no salt, info = "fscrypt\0" || context || info, as OpenSSL computes it. */
static void openssl_hkdf(const uint8_t *ikm, size_t ikm_len, uint8_t context, const uint8_t *info, size_t info_len,
			 uint8_t *out, size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	uint8_t *full = malloc(9 + info_len + 1);
	OSSL_PARAM p[4];

	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(full);
	memcpy(full, "fscrypt", 8);
	full[8] = context;
	if (info_len)
		memcpy(full + 9, info, info_len);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA512", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_len);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, full, 9 + info_len);
	p[3] = OSSL_PARAM_construct_end();
	ck_assert_int_eq(EVP_KDF_derive(ctx, out, out_len, p), 1);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	free(full);
}

START_TEST(test_matches_openssl)
{
	static const size_t key_lens[] = { 16, 32, 64 };
	static const size_t out_lens[] = { 1, 16, 32, 63, 64, 65, 128, 200, 1000 };
	uint8_t raw[64], info[300], got[1000], want[1000];

	for (int it = 0; it < 120; it++) {
		size_t kl = key_lens[it % 3], ol = out_lens[(size_t)it % (sizeof(out_lens) / sizeof(out_lens[0]))];
		/* Lengths around the one-block fast path (message <= 111 bytes) and well beyond it. */
		size_t il = it < 60 ? (size_t)it * 2 : tu_rand_u32() % sizeof(info);
		uint8_t context = (uint8_t)(it % 10);
		fscrypt_ext_master_key *mk;

		tu_rand(raw, kl);
		tu_rand(info, il);
		ck_assert_int_eq(fscrypt_ext_master_key_new(raw, kl, &mk), FSCRYPT_EXT_OK);
		memset(got, 0xa5, sizeof(got));
		ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, context, info, il, got, ol), FSCRYPT_EXT_OK);
		openssl_hkdf(raw, kl, context, info, il, want, ol);
		ck_assert_msg(memcmp(got, want, ol) == 0, "derive: key %zu context %u info %zu out %zu differs from OpenSSL",
			      kl, context, il, ol);
		ck_assert_msg(ol == sizeof(got) || got[ol] == 0xa5, "derive: wrote past out_len %zu", ol);
		fscrypt_ext_master_key_free(mk);
	}
}
END_TEST

/* Context 1 with empty info is the key identifier the library reports. */
START_TEST(test_identifier_is_context_1)
{
	uint8_t raw[64], id[16], derived[16];
	fscrypt_ext_master_key *mk;

	tu_rand(raw, sizeof(raw));
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, id), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 1, NULL, 0, derived, sizeof(derived)), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(id, derived, 16) == 0, "context 1 derivation differs from the key identifier");
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Context 2 with the inode nonce is the per-file key: AES-256-XTS with it matches the inode's contents. */
START_TEST(test_per_file_key_drives_inode)
{
	uint8_t raw[64], key[64], iv[16] = { 0 }, in[4096], got[4096], want[4096];
	struct fscrypt_ext_context ctx = { 0 };
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *inode;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0;

	ck_assert_ptr_nonnull(c);
	tu_rand(raw, sizeof(raw));
	tu_rand(in, sizeof(in));
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	ctx.version = 2;
	ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, ctx.key_identifier), FSCRYPT_EXT_OK);
	tu_rand(ctx.nonce, sizeof(ctx.nonce));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 3 * 4096, in, got, sizeof(in)), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, ctx.nonce, 16, key, sizeof(key)), FSCRYPT_EXT_OK);
	iv[0] = 3; /* data unit index 3, little-endian */
	ck_assert_int_eq(EVP_EncryptInit_ex(c, EVP_aes_256_xts(), NULL, key, iv), 1);
	ck_assert_int_eq(EVP_EncryptUpdate(c, want, &n, in, sizeof(in)), 1);
	ck_assert_msg(memcmp(got, want, sizeof(got)) == 0, "per-file key: backend %s", tu_backend());
	EVP_CIPHER_CTX_free(c);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_bad_arguments)
{
	uint8_t raw[32] = { 1 }, out[64], info[4] = { 0 };
	fscrypt_ext_master_key *mk;

	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	memset(out, 0x5a, sizeof(out));
	ck_assert_int_eq(fscrypt_ext_master_key_derive(NULL, 2, info, 4, out, 64), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, info, 4, NULL, 64), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, NULL, 4, out, 64), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, info, 4, out, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, info, 4, out, 255 * 64 + 1), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* Failures leave the output untouched. */
	for (size_t i = 0; i < sizeof(out); i++)
		ck_assert_uint_eq(out[i], 0x5a);
	ck_assert_int_eq(fscrypt_ext_master_key_derive(mk, 2, NULL, 0, out, 64), FSCRYPT_EXT_OK);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("key_derive");
	TCase *tc = tcase_create("hkdf");

	tcase_add_test(tc, test_matches_openssl);
	tcase_add_test(tc, test_identifier_is_context_1);
	tcase_add_test(tc, test_per_file_key_drives_inode);
	tcase_add_test(tc, test_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
