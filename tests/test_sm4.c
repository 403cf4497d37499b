/* Tests for SM4 and its fscrypt modes: GB/T 32907 examples, kernel sm4_xts/sm4_cts vectors, every implementation (portable, AES-NI, GFNI) against OpenSSL as an oracle. */
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cipher.h"
#include "crypto/sm4.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* SM4-ECB from OpenSSL: the oracle (its table-based code is never used by the library). */
static void openssl_ecb(const uint8_t key[16], int enc, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	EVP_CIPHER *ecb = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0;

	ck_assert_msg(ecb != NULL && ctx != NULL, "this OpenSSL has no SM4-ECB oracle");
	ck_assert(EVP_CipherInit_ex2(ctx, ecb, key, NULL, enc, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	if (nblocks)
		ck_assert(EVP_CipherUpdate(ctx, out, &outl, in, (int)(16 * nblocks)) == 1 && (size_t)outl == 16 * nblocks);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ecb);
}

/* Every implementation this CPU runs is tested in every run; says which are compiled in but not runnable here. */
static size_t usable_impls(const struct fscrypt_ext__sm4_impl **out)
{
	size_t n = 0;

	for (size_t i = 0; fscrypt_ext__sm4_impls[i] != NULL; i++) {
		if (fscrypt_ext__sm4_impls[i]->available())
			out[n++] = fscrypt_ext__sm4_impls[i];
		else
			printf("sm4: %s is compiled in but this CPU cannot run it\n", fscrypt_ext__sm4_impls[i]->name);
	}
	ck_assert_uint_ge(n, 1);
	return n;
}

#define MAX_IMPLS 8

/* The selection: never OpenSSL, portable last, FSCRYPT_EXT_BACKEND=portable forces the bitsliced code. */
START_TEST(test_sm4_selection)
{
	const struct fscrypt_ext__sm4_impl *sel = fscrypt_ext__sm4_selected();
	const char *env = getenv("FSCRYPT_EXT_BACKEND");
	size_t n = 0;

	while (fscrypt_ext__sm4_impls[n] != NULL)
		n++;
	ck_assert_ptr_eq(fscrypt_ext__sm4_impls[n - 1], &fscrypt_ext__sm4_portable);
	ck_assert_ptr_eq(fscrypt_ext__sm4_find(sel->name), sel);
	ck_assert(sel->available());
	if (env != NULL && fscrypt_ext__sm4_find(env) != NULL && fscrypt_ext__sm4_find(env)->available())
		ck_assert_msg(strcmp(sel->name, env) == 0, "FSCRYPT_EXT_BACKEND=%s but SM4 runs %s", env, sel->name);
	printf("sm4: selected implementation %s (FSCRYPT_EXT_BACKEND=%s)\n", sel->name, env ? env : "");
}
END_TEST

/*
 * GB/T 32907-2016 Appendix A: example 1 on every implementation; a
 * 10,000-step chain on every implementation against the same chain through
 * OpenSSL; the 1,000,000-iteration example on the fastest one (the portable
 * code would take minutes in the sanitizer build).
 */
START_TEST(test_sm4_standard)
{
	const struct fscrypt_ext__sm4_impl *impls[MAX_IMPLS];
	size_t n = usable_impls(impls);
	uint8_t kp[16], ct1[16], ct1m[16], buf[16], ref[16];
	struct fscrypt_ext__sm4_key k;

	tu_hex_into("0123456789abcdeffedcba9876543210", kp, 16);
	tu_hex_into("681edf34d206965e86b3e94f536e4246", ct1, 16);
	tu_hex_into("595298c7c6fd271f0402f804c33d3f66", ct1m, 16);
	memcpy(ref, kp, 16);
	for (int i = 0; i < 10000; i++)
		openssl_ecb(kp, 1, ref, ref, 1);
	for (size_t i = 0; i < n; i++) {
		fscrypt_ext__sm4_setkey_impl(&k, kp, impls[i]);
		ck_assert_ptr_eq(k.impl, impls[i]);
		fscrypt_ext__sm4_ecb_encrypt(&k, kp, buf, 1);
		ck_assert_msg(memcmp(buf, ct1, 16) == 0, "GB/T 32907 example 1, %s", impls[i]->name);
		fscrypt_ext__sm4_ecb_decrypt(&k, buf, buf, 1);
		ck_assert_msg(memcmp(buf, kp, 16) == 0, "GB/T 32907 example 1 decrypt, %s", impls[i]->name);
		for (int j = 0; j < 10000; j++)
			fscrypt_ext__sm4_ecb_encrypt(&k, buf, buf, 1);
		ck_assert_msg(memcmp(buf, ref, 16) == 0, "10,000-step chain vs OpenSSL, %s", impls[i]->name);
	}
	fscrypt_ext__sm4_setkey_impl(&k, kp, impls[0]);
	memcpy(buf, kp, 16);
	for (int i = 0; i < 1000000; i++)
		fscrypt_ext__sm4_ecb_encrypt(&k, buf, buf, 1);
	ck_assert_msg(memcmp(buf, ct1m, 16) == 0, "GB/T 32907 example 2 (10^6 iterations), %s", k.impl->name);
}
END_TEST

/* Every implementation against OpenSSL on random keys and block counts 0..70 (ECB both ways, CBC); unaligned, in place. */
START_TEST(test_sm4_impls_vs_openssl)
{
	static uint8_t in[70 * 16 + 1], a[70 * 16 + 1], b[70 * 16];
	const struct fscrypt_ext__sm4_impl *impls[MAX_IMPLS];
	size_t nimpl = usable_impls(impls);

	for (int iter = 0; iter < 300; iter++) {
		uint8_t key[16], iv1[16], iv2[16];
		size_t n = iter < 71 ? (size_t)iter : tu_rand_u32() % 71;
		const struct fscrypt_ext__sm4_impl *impl = impls[iter % nimpl];
		struct fscrypt_ext__sm4_key k;
		uint32_t rk_port[32];

		tu_rand(key, 16);
		tu_rand(iv1, 16);
		memcpy(iv2, iv1, 16);
		tu_rand(in + 1, n * 16);
		fscrypt_ext__sm4_setkey_impl(&k, key, impl);
		fscrypt_ext__sm4_portable.expand(rk_port, key);
		ck_assert_msg(memcmp(k.rk, rk_port, sizeof(rk_port)) == 0, "%s key schedule vs portable", impl->name);
		fscrypt_ext__sm4_ecb_encrypt(&k, in + 1, a + 1, n);
		openssl_ecb(key, 1, in + 1, b, n);
		ck_assert_msg(memcmp(a + 1, b, n * 16) == 0, "%s ecb encrypt %zu blocks", impl->name, n);
		memcpy(a, b, n * 16);
		fscrypt_ext__sm4_ecb_decrypt(&k, a, a, n);
		ck_assert_msg(memcmp(a, in + 1, n * 16) == 0, "%s ecb in-place decrypt %zu blocks", impl->name, n);
		openssl_ecb(key, 0, in + 1, b, n);
		fscrypt_ext__sm4_ecb_decrypt(&k, in + 1, a, n);
		ck_assert_msg(memcmp(a, b, n * 16) == 0, "%s ecb decrypt %zu blocks", impl->name, n);
		/* CBC encryption: chain through OpenSSL's ECB by hand. */
		fscrypt_ext__sm4_cbc_encrypt(&k, iv1, in + 1, a, n);
		for (size_t i = 0; i < n; i++) {
			for (int j = 0; j < 16; j++)
				b[16 * i + j] = in[1 + 16 * i + j] ^ iv2[j];
			openssl_ecb(key, 1, b + 16 * i, b + 16 * i, 1);
			memcpy(iv2, b + 16 * i, 16);
		}
		ck_assert_msg(memcmp(a, b, n * 16) == 0 && memcmp(iv1, iv2, 16) == 0, "%s cbc encrypt %zu blocks",
			      impl->name, n);
		fscrypt_ext__wipe(&k, sizeof(k));
	}
}
END_TEST

/* Runs every vector of a file through the public API and through each implementation. */
static void run_vector_file(const char *file, const char *type, int xts)
{
	const struct fscrypt_ext__sm4_impl *impls[MAX_IMPLS];
	size_t nimpl = usable_impls(impls);
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
		for (size_t i = 0; i < nimpl; i++) {
			struct fscrypt_ext__sm4_key k[2];

			fscrypt_ext__sm4_setkey_impl(&k[0], b[0], impls[i]);
			if (xts) {
				fscrypt_ext__sm4_setkey_impl(&k[1], b[0] + 16, impls[i]);
				fscrypt_ext__sm4_xts_encrypt(&k[0], &k[1], b[1], b[2], buf + 1, l[2]);
			} else {
				fscrypt_ext__sm4_cbc_cts_encrypt(&k[0], b[1], b[2], buf + 1, l[2]);
			}
			ck_assert_msg(memcmp(buf + 1, b[3], l[2]) == 0, "%s vector %zu with %s", type, v,
				      impls[i]->name);
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

/* Random lengths: every implementation against the portable one and (for CTS) against the OpenSSL oracle; in place. */
START_TEST(test_sm4_modes_differential)
{
	static uint8_t pt[700], ref[700], buf[701];
	const struct fscrypt_ext__sm4_impl *impls[MAX_IMPLS];
	size_t nimpl = usable_impls(impls);

	for (int iter = 0; iter < 150; iter++) {
		size_t len = 16 + tu_rand_u32() % 600;
		uint8_t key[32], iv[16];
		struct fscrypt_ext__sm4_key k[2][2];
		const struct fscrypt_ext__sm4_impl *impl = impls[iter % nimpl];

		tu_rand(key, 32);
		tu_rand(iv, 16);
		tu_rand(pt, len);
		fscrypt_ext__sm4_setkey_impl(&k[0][0], key, &fscrypt_ext__sm4_portable);
		fscrypt_ext__sm4_setkey_impl(&k[0][1], key + 16, &fscrypt_ext__sm4_portable);
		fscrypt_ext__sm4_setkey_impl(&k[1][0], key, impl);
		fscrypt_ext__sm4_setkey_impl(&k[1][1], key + 16, impl);
		fscrypt_ext__sm4_xts_encrypt(&k[0][0], &k[0][1], iv, pt, ref, len);
		fscrypt_ext__sm4_xts_encrypt(&k[1][0], &k[1][1], iv, pt, buf + 1, len);
		ck_assert_msg(memcmp(ref, buf + 1, len) == 0, "sm4-xts portable vs %s, len %zu", impl->name, len);
		memcpy(buf, ref, len);
		fscrypt_ext__sm4_xts_decrypt(&k[1][0], &k[1][1], iv, buf, buf, len);
		ck_assert_msg(memcmp(buf, pt, len) == 0, "sm4-xts in-place decrypt len %zu, %s", len, impl->name);

		fscrypt_ext__sm4_cbc_cts_encrypt(&k[0][0], iv, pt, ref, len);
		fscrypt_ext__sm4_cbc_cts_encrypt(&k[1][0], iv, pt, buf + 1, len);
		ck_assert_msg(memcmp(ref, buf + 1, len) == 0, "sm4-cts portable vs %s, len %zu", impl->name, len);
		openssl_cts(key, iv, pt, buf, len);
		ck_assert_msg(memcmp(ref, buf, len) == 0, "sm4-cts vs OpenSSL SM4-CBC composition, len %zu", len);
		memcpy(buf, ref, len);
		fscrypt_ext__sm4_cbc_cts_decrypt(&k[1][0], iv, buf, buf, len);
		ck_assert_msg(memcmp(buf, pt, len) == 0, "sm4-cts in-place decrypt len %zu, %s", len, impl->name);
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
	tcase_add_test(tc, test_sm4_selection);
	tcase_add_test(tc, test_sm4_standard);
	tcase_add_test(tc, test_sm4_impls_vs_openssl);
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
