/* Tests for SM4 and its fscrypt modes: GB/T 32907 examples, kernel sm4_xts/sm4_cts vectors, own code against OpenSSL. */
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cipher.h"
#include "crypto/sm4.h"
#include "fscrypt_ext/fscrypt_ext.h"

static const enum fscrypt_ext__sm4_impl impls[] = { FSCRYPT_EXT__SM4_PORTABLE, FSCRYPT_EXT__SM4_OPENSSL };

static const char *impl_name(enum fscrypt_ext__sm4_impl i)
{
	return i == FSCRYPT_EXT__SM4_OPENSSL ? "openssl" : "portable";
}

/* Whether impl i can run; says so when OpenSSL has no SM4 (never a silent skip). */
static int impl_usable(enum fscrypt_ext__sm4_impl i)
{
	if (i == FSCRYPT_EXT__SM4_OPENSSL && !fscrypt_ext__sm4_openssl_available()) {
		printf("sm4: this OpenSSL has no SM4-ECB; only the portable code is tested\n");
		return 0;
	}
	return 1;
}

/* GB/T 32907-2016 Appendix A: one encryption, and 1,000,000 chained encryptions. */
START_TEST(test_sm4_standard)
{
	uint8_t kp[16], ct1[16], ct1m[16], buf[16];

	tu_hex_into("0123456789abcdeffedcba9876543210", kp, 16);
	tu_hex_into("681edf34d206965e86b3e94f536e4246", ct1, 16);
	tu_hex_into("595298c7c6fd271f0402f804c33d3f66", ct1m, 16);
	for (size_t i = 0; i < 2; i++) {
		struct fscrypt_ext__sm4_key k;
		/* The long run once per impl: the OpenSSL path always, ours on the portable-backend run only. */
		int long_run = impls[i] == FSCRYPT_EXT__SM4_OPENSSL || strcmp(tu_backend(), "portable") == 0;

		if (!impl_usable(impls[i]))
			continue;
		fscrypt_ext__sm4_setkey_impl(&k, kp, impls[i]);
		ck_assert_int_eq(k.impl, impls[i]);
		fscrypt_ext__sm4_ecb_encrypt(&k, kp, buf, 1);
		ck_assert_msg(memcmp(buf, ct1, 16) == 0, "GB/T 32907 example 1, %s", impl_name(impls[i]));
		fscrypt_ext__sm4_ecb_decrypt(&k, buf, buf, 1);
		ck_assert_msg(memcmp(buf, kp, 16) == 0, "GB/T 32907 example 1 decrypt, %s", impl_name(impls[i]));
		if (!long_run) {
			printf("sm4: 1,000,000-iteration example for %s runs in the portable-backend run\n",
			       impl_name(impls[i]));
			continue;
		}
		for (int n = 0; n < 1000000; n++)
			fscrypt_ext__sm4_ecb_encrypt(&k, buf, buf, 1);
		ck_assert_msg(memcmp(buf, ct1m, 16) == 0, "GB/T 32907 example 2 (10^6 iterations), %s",
			      impl_name(impls[i]));
	}
}
END_TEST

/* Own code and OpenSSL agree on random keys and block counts (ECB, CBC). */
START_TEST(test_sm4_portable_vs_openssl)
{
	static uint8_t in[64 * 16], a[64 * 16], b[64 * 16];

	if (!impl_usable(FSCRYPT_EXT__SM4_OPENSSL))
		return;
	for (int iter = 0; iter < 200; iter++) {
		uint8_t key[16], iv1[16], iv2[16];
		size_t n = tu_rand_u32() % 65;
		struct fscrypt_ext__sm4_key kp, ko;

		tu_rand(key, 16);
		tu_rand(iv1, 16);
		memcpy(iv2, iv1, 16);
		tu_rand(in, n * 16);
		fscrypt_ext__sm4_setkey_impl(&kp, key, FSCRYPT_EXT__SM4_PORTABLE);
		fscrypt_ext__sm4_setkey_impl(&ko, key, FSCRYPT_EXT__SM4_OPENSSL);
		fscrypt_ext__sm4_ecb_encrypt(&kp, in, a, n);
		fscrypt_ext__sm4_ecb_encrypt(&ko, in, b, n);
		ck_assert_msg(memcmp(a, b, n * 16) == 0, "ecb encrypt %zu blocks", n);
		fscrypt_ext__sm4_ecb_decrypt(&kp, in, a, n);
		fscrypt_ext__sm4_ecb_decrypt(&ko, in, b, n);
		ck_assert_msg(memcmp(a, b, n * 16) == 0, "ecb decrypt %zu blocks", n);
		fscrypt_ext__sm4_cbc_encrypt(&kp, iv1, in, a, n);
		fscrypt_ext__sm4_cbc_encrypt(&ko, iv2, in, b, n);
		ck_assert_msg(memcmp(a, b, n * 16) == 0 && memcmp(iv1, iv2, 16) == 0, "cbc encrypt %zu blocks", n);
	}
}
END_TEST

/* Runs every vector of a file through the public API and through each implementation. */
static void run_vector_file(const char *file, const char *type, int xts)
{
	char path[512];
	struct json_object *root, *vecs;
	size_t n;

	snprintf(path, sizeof(path), "%s/primitives/%s", FSCRYPT_EXT_TEST_VECTORS_DIR, file);
	root = json_object_from_file(path);
	ck_assert_msg(root != NULL, "cannot read %s", path);
	ck_assert(json_object_object_get_ex(root, "vectors", &vecs));
	n = json_object_array_length(vecs);
	ck_assert_uint_ge(n, 5);
	for (size_t v = 0; v < n; v++) {
		struct json_object *o = json_object_array_get_idx(vecs, v), *f;
		const char *fields[4] = { "key", xts ? "tweak" : "iv", "plaintext", "ciphertext" };
		uint8_t *b[4], *buf;
		size_t l[4];

		ck_assert(json_object_object_get_ex(o, "type", &f));
		ck_assert_str_eq(json_object_get_string(f), type);
		for (int i = 0; i < 4; i++) {
			ck_assert(json_object_object_get_ex(o, fields[i], &f));
			b[i] = tu_hex(json_object_get_string(f), &l[i]);
		}
		buf = malloc(l[2] + 1);
		if (xts)
			ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(b[0], l[0], b[1], b[2], buf, l[2]), FSCRYPT_EXT_OK);
		else
			ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_encrypt(b[0], l[0], b[1], b[2], buf, l[2]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[3], l[2]) == 0, "%s vector %zu (%zu bytes) encrypt", type, v, l[2]);
		if (xts)
			ck_assert_int_eq(fscrypt_ext_sm4_xts_decrypt(b[0], l[0], b[1], b[3], buf, l[3]), FSCRYPT_EXT_OK);
		else
			ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_decrypt(b[0], l[0], b[1], b[3], buf, l[3]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[2], l[2]) == 0, "%s vector %zu decrypt", type, v);
		for (size_t i = 0; i < 2; i++) {
			struct fscrypt_ext__sm4_key k[2];

			if (!impl_usable(impls[i]))
				continue;
			fscrypt_ext__sm4_setkey_impl(&k[0], b[0], impls[i]);
			if (xts) {
				fscrypt_ext__sm4_setkey_impl(&k[1], b[0] + 16, impls[i]);
				fscrypt_ext__sm4_xts_encrypt(&k[0], &k[1], b[1], b[2], buf + 1, l[2]);
			} else {
				fscrypt_ext__sm4_cbc_cts_encrypt(&k[0], b[1], b[2], buf + 1, l[2]);
			}
			ck_assert_msg(memcmp(buf + 1, b[3], l[2]) == 0, "%s vector %zu with %s", type, v,
				      impl_name(impls[i]));
		}
		free(buf);
		for (int i = 0; i < 4; i++)
			free(b[i]);
	}
	json_object_put(root);
}

START_TEST(test_sm4_xts_vectors)
{
	run_vector_file("sm4-xts.json", "sm4-xts", 1);
}
END_TEST

START_TEST(test_sm4_cts_vectors)
{
	run_vector_file("sm4-cbc-cts.json", "sm4-cbc-cts", 0);
}
END_TEST

/* CBC-CS3 oracle: OpenSSL SM4-CBC of the zero-padded message, then the CS3 swap (spec section 7). */
static void openssl_cts(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	size_t n = (len + 15) / 16, tail = len - 16 * (n - 1);
	uint8_t *pad = calloc(n, 16), *ct = malloc(16 * n);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *cbc = EVP_CIPHER_fetch(NULL, "SM4-CBC", NULL);
	int outl = 0;

	ck_assert_ptr_nonnull(cbc);
	memcpy(pad, in, len);
	ck_assert(EVP_EncryptInit_ex2(ctx, cbc, key, iv, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	ck_assert(EVP_EncryptUpdate(ctx, ct, &outl, pad, (int)(16 * n)) == 1);
	if (n == 1) {
		memcpy(out, ct, 16);
	} else {
		memcpy(out, ct, 16 * (n - 2));
		memcpy(out + 16 * (n - 2), ct + 16 * (n - 1), 16);
		memcpy(out + 16 * (n - 1), ct + 16 * (n - 2), tail);
	}
	EVP_CIPHER_free(cbc);
	EVP_CIPHER_CTX_free(ctx);
	free(pad);
	free(ct);
}

/* Random lengths: both implementations against each other and (for CTS) against the OpenSSL oracle; in place. */
START_TEST(test_sm4_modes_differential)
{
	static uint8_t pt[700], ref[700], buf[701];

	for (int iter = 0; iter < 150; iter++) {
		size_t len = 16 + tu_rand_u32() % 600;
		uint8_t key[32], iv[16];
		struct fscrypt_ext__sm4_key k[2][2];

		tu_rand(key, 32);
		tu_rand(iv, 16);
		tu_rand(pt, len);
		for (size_t i = 0; i < 2; i++) {
			fscrypt_ext__sm4_setkey_impl(&k[i][0], key, impls[i]);
			fscrypt_ext__sm4_setkey_impl(&k[i][1], key + 16, impls[i]);
		}
		fscrypt_ext__sm4_xts_encrypt(&k[0][0], &k[0][1], iv, pt, ref, len);
		fscrypt_ext__sm4_xts_encrypt(&k[1][0], &k[1][1], iv, pt, buf + 1, len);
		ck_assert_msg(memcmp(ref, buf + 1, len) == 0, "sm4-xts portable vs %s, len %zu", impl_name(k[1][0].impl),
			      len);
		memcpy(buf, ref, len);
		fscrypt_ext__sm4_xts_decrypt(&k[1][0], &k[1][1], iv, buf, buf, len);
		ck_assert_msg(memcmp(buf, pt, len) == 0, "sm4-xts in-place decrypt len %zu", len);

		fscrypt_ext__sm4_cbc_cts_encrypt(&k[0][0], iv, pt, ref, len);
		fscrypt_ext__sm4_cbc_cts_encrypt(&k[1][0], iv, pt, buf + 1, len);
		ck_assert_msg(memcmp(ref, buf + 1, len) == 0, "sm4-cts portable vs %s, len %zu", impl_name(k[1][0].impl),
			      len);
		if (fscrypt_ext__sm4_openssl_available()) {
			openssl_cts(key, iv, pt, buf, len);
			ck_assert_msg(memcmp(ref, buf, len) == 0, "sm4-cts vs OpenSSL SM4-CBC composition, len %zu", len);
		}
		memcpy(buf, ref, len);
		fscrypt_ext__sm4_cbc_cts_decrypt(&k[0][0], iv, buf, buf, len);
		ck_assert_msg(memcmp(buf, pt, len) == 0, "sm4-cts in-place decrypt len %zu", len);
		fscrypt_ext__wipe(k, sizeof(k));
	}
}
END_TEST

/* Modes 7 and 8 through the mode table equal the primitives. */
START_TEST(test_sm4_modes_table)
{
	const struct fscrypt_ext__mode *m7 = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_SM4_XTS);
	const struct fscrypt_ext__mode *m8 = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_SM4_CTS);
	struct fscrypt_ext__cipher *c = fscrypt_ext__alloc_secret(sizeof(*c));
	uint8_t key[32], iv[16], pt[4096], a[4096], b[4096];

	ck_assert_ptr_nonnull(c);
	ck_assert(m7 != NULL && m7->encrypt_unit != NULL && m8 != NULL && m8->encrypt_name != NULL);
	tu_rand(key, 32);
	tu_rand(iv, 16);
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext__cipher_init(c, m7, key), FSCRYPT_EXT_OK);
	for (size_t len = 512; len <= 4096; len *= 2) {
		m7->encrypt_unit(c, iv, pt, a, len);
		ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(key, 32, iv, pt, b, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(a, b, len) == 0, "mode 7 unit of %zu bytes", len);
		m7->decrypt_unit(c, iv, a, a, len);
		ck_assert(memcmp(a, pt, len) == 0);
	}
	fscrypt_ext__cipher_wipe(c);
	ck_assert_int_eq(fscrypt_ext__cipher_init(c, m8, key), FSCRYPT_EXT_OK);
	for (size_t len = 16; len <= 255; len += 13) {
		m8->encrypt_name(c, iv, pt, a, len);
		ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_encrypt(key, 16, iv, pt, b, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(a, b, len) == 0, "mode 8 name of %zu bytes", len);
		m8->decrypt_name(c, iv, a, a, len);
		ck_assert(memcmp(a, pt, len) == 0);
	}
	fscrypt_ext__cipher_wipe(c);
	fscrypt_ext__free_secret(c, sizeof(*c));
}
END_TEST

/*
 * fscrypt level: a v2 context with modes (7, 8) through the public inode API
 * equals the spec's composition done here by hand: per-file key =
 * HKDF-SHA512(master key, info "fscrypt\0" 0x02 nonce), SM4-XTS with the
 * data-unit index as IV for contents, SM4-CBC-CS3 with IV 0 for names.
 */
START_TEST(test_sm4_fscrypt_level)
{
	uint8_t raw[64], ctxb[40] = { 2, FSCRYPT_EXT_MODE_SM4_XTS, FSCRYPT_EXT_MODE_SM4_CTS, 0x02 /* PAD_16 */ };
	uint8_t info[25] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, 2 }, key[32], iv[16] = { 0 };
	uint8_t pt[8192], got[8192], want[8192], name[16] = { 'h', 'e', 'l', 'l', 'o' }, ename[64], wname[16];
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_inode *ino = NULL;
	size_t elen = 0;

	tu_rand(raw, sizeof(raw));
	tu_rand(ctxb + 24, 16);
	tu_rand(pt, sizeof(pt));
	memcpy(info + 9, ctxb + 24, 16);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, ctxb + 8), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_context_parse(ctxb, sizeof(ctxb), &ctx), FSCRYPT_EXT_OK);
	fscrypt_ext_fs_info_ext4(&fs, 4096);

	/* Contents: units 1 and 2 of inode 12. */
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, 12, &fs, &ino), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(ino, 4096, pt, got, sizeof(pt)), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(ino);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(raw, sizeof(raw), NULL, 0, info, sizeof(info), key, 32), FSCRYPT_EXT_OK);
	for (int u = 0; u < 2; u++) {
		iv[0] = (uint8_t)(u + 1);
		ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(key, 32, iv, pt + 4096 * u, want + 4096 * u, 4096),
				 FSCRYPT_EXT_OK);
	}
	ck_assert_msg(memcmp(got, want, sizeof(pt)) == 0, "SM4-XTS contents through the inode API");

	/* Filenames: the directory key is the 16-byte HKDF output for mode 8. */
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 12, &fs, &ino), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(ino, name, 5, ename, sizeof(ename), &elen), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(elen, 16);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(raw, sizeof(raw), NULL, 0, info, sizeof(info), key, 16), FSCRYPT_EXT_OK);
	memset(iv, 0, sizeof(iv));
	ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_encrypt(key, 16, iv, name, wname, 16), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(ename, wname, 16) == 0, "SM4-CTS filename through the inode API");
	fscrypt_ext_inode_free(ino);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_sm4_bad_args)
{
	uint8_t key[32] = { 0 }, iv[16] = { 0 }, buf[32] = { 0 };

	ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(NULL, 32, iv, buf, buf, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(key, 64, iv, buf, buf, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_xts_encrypt(key, 32, NULL, buf, buf, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_xts_decrypt(key, 32, iv, buf, buf, 15), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_encrypt(key, 32, iv, buf, buf, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_encrypt(key, 16, iv, NULL, buf, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_sm4_cbc_cts_decrypt(key, 16, iv, buf, buf, 15), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("sm4");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_sm4_standard);
	tcase_add_test(tc, test_sm4_portable_vs_openssl);
	tcase_add_test(tc, test_sm4_xts_vectors);
	tcase_add_test(tc, test_sm4_cts_vectors);
	tcase_add_test(tc, test_sm4_modes_differential);
	tcase_add_test(tc, test_sm4_modes_table);
	tcase_add_test(tc, test_sm4_fscrypt_level);
	tcase_add_test(tc, test_sm4_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
