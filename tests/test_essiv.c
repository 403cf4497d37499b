/* Tests for AES-128-CBC-ESSIV (fscrypt contents mode 5): kernel vectors, the spec's ESSIV IV, and OpenSSL as the oracle. */
#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cipher.h"
#include "crypto/essiv.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* OpenSSL composition: IV' = AES-256-ECB_{SHA-256(key)}(iv), then AES-CBC with key. */
static void openssl_essiv(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in, uint8_t *out,
			  size_t len, int enc)
{
	uint8_t salt[32], iv2[16];
	int outl = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *cbc = key_len == 16 ? EVP_aes_128_cbc() : key_len == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();

	ck_assert_ptr_nonnull(ctx);
	SHA256(key, key_len, salt);
	ck_assert(EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, salt, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	ck_assert(EVP_EncryptUpdate(ctx, iv2, &outl, iv, 16) == 1 && outl == 16);
	ck_assert(EVP_CipherInit_ex(ctx, cbc, NULL, key, iv2, enc) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	if (len)
		ck_assert(EVP_CipherUpdate(ctx, out, &outl, in, (int)len) == 1 && (size_t)outl == len);
	EVP_CIPHER_CTX_free(ctx);
}

START_TEST(test_essiv_vector_file)
{
	struct json_object *root = json_object_from_file(FSCRYPT_EXT_TEST_VECTORS_DIR "/primitives/aes-cbc-essiv.json");
	struct json_object *vecs;
	size_t n;

	ck_assert_msg(root != NULL, "cannot read aes-cbc-essiv.json");
	ck_assert(json_object_object_get_ex(root, "vectors", &vecs));
	n = json_object_array_length(vecs);
	ck_assert_uint_ge(n, 2);
	for (size_t v = 0; v < n; v++) {
		struct json_object *o = json_object_array_get_idx(vecs, v), *f;
		const char *fields[4] = { "key", "iv", "plaintext", "ciphertext" };
		uint8_t *b[4], *buf;
		size_t l[4];

		for (int i = 0; i < 4; i++) {
			ck_assert(json_object_object_get_ex(o, fields[i], &f));
			b[i] = tu_hex(json_object_get_string(f), &l[i]);
		}
		ck_assert_uint_eq(l[0], 16);
		buf = malloc(l[2]);
		ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(b[0], b[1], b[2], buf, l[2]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[3], l[2]) == 0, "essiv vector %zu encrypt, len %zu, backend %s", v, l[2],
			      tu_backend());
		ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_decrypt(b[0], b[1], b[3], buf, l[3]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[2], l[2]) == 0, "essiv vector %zu decrypt, backend %s", v, tu_backend());
		free(buf);
		for (int i = 0; i < 4; i++)
			free(b[i]);
	}
	json_object_put(root);
}
END_TEST

/* essiv_aes_cbc_tv_template entries with AES-192/256 data keys (the kernel template accepts them). */
START_TEST(test_essiv_kernel_wide_keys)
{
	static const char *nist_pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
				     "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	static const struct {
		const char *key, *ct;
	} v[] = {
		{ "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
		  "966da97a42e601c717fca741d3380be55148f77e5e26a9fe45721cd9deabf34d"
		  "3947c54f973a55638029644c33e8218a6aef6b6a8f43c0cbf0f36e7454449244" },
		{ "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		  "2452f14874d0a793759b6346c01c1e174ddc5b3a27932a63f7f1c7b354565b50"
		  "a331a58bd6fdb63c8bf6f245050cc8bb320b261ce98b02c0b26f37a75ba8a942" },
	};
	uint8_t iv[16] = { 0, 1, 2, 3, 4, 5, 6, 7 }, buf[64];

	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(v); i++) {
		size_t kl, pl, cl;
		uint8_t *key = tu_hex(v[i].key, &kl), *pt = tu_hex(nist_pt, &pl), *ct = tu_hex(v[i].ct, &cl);
		struct fscrypt_ext__aes_key k[2];

		ck_assert_int_eq(fscrypt_ext__essiv_setkeys(&k[0], &k[1], key, kl), FSCRYPT_EXT_OK);
		fscrypt_ext__essiv_encrypt(&k[0], &k[1], iv, pt, buf, pl);
		ck_assert_msg(memcmp(buf, ct, cl) == 0, "kernel essiv vector with %zu-byte key, backend %s", kl,
			      tu_backend());
		fscrypt_ext__essiv_decrypt(&k[0], &k[1], iv, buf, buf, cl);
		ck_assert_msg(memcmp(buf, pt, pl) == 0, "kernel essiv vector %zu-byte key decrypt", kl);
		fscrypt_ext__wipe(k, sizeof(k));
		free(key);
		free(pt);
		free(ct);
	}
}
END_TEST

/* fscrypt-spec section 10.6: contents key 00..0f, index 0 -> the IV CBC really uses; also computed with OpenSSL. */
START_TEST(test_essiv_spec_iv)
{
	uint8_t key[16], iv[16] = { 0 }, got[16], want[16], salt[32];
	struct fscrypt_ext__aes_key k[2];
	int outl = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	ck_assert_int_eq(fscrypt_ext__essiv_setkeys(&k[0], &k[1], key, 16), FSCRYPT_EXT_OK);
	fscrypt_ext__essiv_iv(&k[1], iv, got);
	tu_hex_into("ae0e4eeac063684505721b0643b24ae3", want, 16);
	ck_assert_msg(memcmp(got, want, 16) == 0, "ESSIV IV of spec 10.6, backend %s", tu_backend());
	SHA256(key, 16, salt);
	ck_assert(EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, salt, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	ck_assert(EVP_EncryptUpdate(ctx, want, &outl, iv, 16) == 1);
	ck_assert(memcmp(got, want, 16) == 0);
	EVP_CIPHER_CTX_free(ctx);
	fscrypt_ext__wipe(k, sizeof(k));
}
END_TEST

/* Random keys, IVs and lengths 0..4096 against OpenSSL; in place and unaligned. */
START_TEST(test_essiv_differential)
{
	static uint8_t pt[4096], ref[4096], buf[4097];

	for (int iter = 0; iter < 120; iter++) {
		size_t len = iter < 8 ? 4096 : 16 * (tu_rand_u32() % 257);
		uint8_t key[16], iv[16];

		tu_rand(key, 16);
		tu_rand(iv, 16);
		tu_rand(pt, len);
		openssl_essiv(key, 16, iv, pt, ref, len, 1);
		ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, pt, buf + 1, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf + 1, ref, len) == 0, "essiv encrypt len %zu backend %s", len, tu_backend());
		memcpy(buf, ref, len);
		ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_decrypt(key, iv, buf, buf, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, pt, len) == 0, "essiv in-place decrypt len %zu backend %s", len, tu_backend());
		openssl_essiv(key, 16, iv, ref, buf, len, 0);
		ck_assert(memcmp(buf, pt, len) == 0);
	}
}
END_TEST

/* Mode 5 through the mode table equals the primitive (what contents encryption uses). */
START_TEST(test_essiv_mode5)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV);
	struct fscrypt_ext__cipher *c = fscrypt_ext__alloc_secret(sizeof(*c));
	uint8_t key[16], iv[16], pt[4096], a[4096], b[4096];

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(m->encrypt_unit);
	tu_rand(key, 16);
	tu_rand(iv, 16);
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext__cipher_init(c, m, key), FSCRYPT_EXT_OK);
	for (size_t len = 512; len <= 4096; len *= 2) {
		m->encrypt_unit(c, iv, pt, a, len);
		ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, pt, b, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(a, b, len) == 0, "mode 5 unit of %zu bytes, backend %s", len, tu_backend());
		m->decrypt_unit(c, iv, a, a, len);
		ck_assert(memcmp(a, pt, len) == 0);
	}
	fscrypt_ext__cipher_wipe(c);
	fscrypt_ext__free_secret(c, sizeof(*c));
}
END_TEST

START_TEST(test_essiv_bad_args)
{
	uint8_t key[16] = { 0 }, iv[16] = { 0 }, buf[32] = { 0 };

	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(NULL, iv, buf, buf, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, NULL, buf, buf, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, NULL, buf, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_decrypt(key, iv, buf, NULL, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, buf, buf, 17), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_decrypt(key, iv, buf, buf, 8), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, NULL, NULL, 0), FSCRYPT_EXT_OK);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("essiv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_essiv_vector_file);
	tcase_add_test(tc, test_essiv_kernel_wide_keys);
	tcase_add_test(tc, test_essiv_spec_iv);
	tcase_add_test(tc, test_essiv_differential);
	tcase_add_test(tc, test_essiv_mode5);
	tcase_add_test(tc, test_essiv_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
