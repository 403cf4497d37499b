/* AES suite: FIPS-197 known answers, key schedules, XTS/CTS standard vectors, bad arguments, backend API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "crypto/aes.h"
#include "fscrypt_ext/fscrypt_ext.h"

struct ecb_kat {
	const char *key, *pt, *ct;
};

/* FIPS-197 Appendix C.1-C.3 and the Appendix B cipher example. */
static const struct ecb_kat fips197[] = {
	{ "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a" },
	{ "000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff",
	  "dda97ca4864cdfe06eaf70a0ec0d7191" },
	{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff",
	  "8ea2b7ca516745bfeafc49904b496089" },
	{ "2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32" },
};

/* Runs f for every backend this CPU can run (the one selected by FSCRYPT_EXT_BACKEND first). */
#define FOR_EACH_IMPL(impl)                                                                                            \
	for (size_t impl##_i = 0; fscrypt_ext__aes_impls[impl##_i] != NULL; impl##_i++)                                 \
		for (const struct fscrypt_ext__aes_impl *impl = fscrypt_ext__aes_impls[impl##_i]; impl != NULL && impl->available(); impl = NULL)

static void check_ecb_kat(const struct fscrypt_ext__aes_impl *impl, const struct ecb_kat *v)
{
	struct fscrypt_ext__aes_key k;
	uint8_t *key, *pt, *ct, buf[16 * 9];
	size_t klen, n;

	key = tu_hex(v->key, &klen);
	pt = tu_hex(v->pt, &n);
	ct = tu_hex(v->ct, &n);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
	ck_assert_ptr_eq(k.impl, impl);
	ck_assert_uint_eq(k.rounds, klen / 4 + 6);
	/* Nine copies: covers the 8-wide and 4-wide paths plus a remainder. */
	for (int i = 0; i < 9; i++)
		memcpy(buf + 16 * i, pt, 16);
	fscrypt_ext__aes_ecb_encrypt(&k, buf, buf, 9);
	for (int i = 0; i < 9; i++)
		ck_assert_msg(memcmp(buf + 16 * i, ct, 16) == 0, "backend %s AES-%zu encrypt block %d", impl->name,
			      klen * 8, i);
	fscrypt_ext__aes_ecb_decrypt(&k, buf, buf, 9);
	for (int i = 0; i < 9; i++)
		ck_assert_msg(memcmp(buf + 16 * i, pt, 16) == 0, "backend %s AES-%zu decrypt block %d", impl->name,
			      klen * 8, i);
	fscrypt_ext__aes_key_wipe(&k);
	free(key);
	free(pt);
	free(ct);
}

START_TEST(test_fips197_internal)
{
	FOR_EACH_IMPL(impl)
	{
		for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(fips197); i++)
			check_ecb_kat(impl, &fips197[i]);
	}
}
END_TEST

START_TEST(test_fips197_public)
{
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(fips197); i++) {
		uint8_t *key, *pt, *ct, out[16];
		size_t klen, n;

		key = tu_hex(fips197[i].key, &klen);
		pt = tu_hex(fips197[i].pt, &n);
		ct = tu_hex(fips197[i].ct, &n);
		ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, klen, pt, out, 16), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, ct, 16) == 0, "backend %s AES-%zu public encrypt", tu_backend(), klen * 8);
		ck_assert_int_eq(fscrypt_ext_aes_ecb_decrypt(key, klen, out, out, 16), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, pt, 16) == 0, "backend %s AES-%zu public decrypt", tu_backend(), klen * 8);
		free(key);
		free(pt);
		free(ct);
	}
}
END_TEST

/*
 * FIPS-197 Appendix A: the last expanded word w[4 * Nr + 3] for the three
 * example keys. Hardware schedules are standard round keys, so the last
 * word can be read directly; every backend must also give the first and
 * last round key the right effect on a block (checked through encryption).
 */
START_TEST(test_key_expansion_appendix_a)
{
	static const struct {
		const char *key;
		uint32_t last_word; /* big-endian as printed in FIPS-197 */
	} v[] = {
		{ "2b7e151628aed2a6abf7158809cf4f3c", 0xb6630ca6 },
		{ "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 0x01002202 },
		{ "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 0x706c631e },
	};

	FOR_EACH_IMPL(impl)
	{
		if (strcmp(impl->name, "portable") == 0)
			continue; /* bitsliced schedule; covered by the known answers */
		for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(v); i++) {
			struct fscrypt_ext__aes_key k;
			uint8_t *key;
			size_t klen;
			const uint8_t *w;
			uint32_t got;

			key = tu_hex(v[i].key, &klen);
			ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
			w = &k.u.hw.enc[k.rounds][12];
			got = (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
			ck_assert_msg(got == v[i].last_word, "backend %s AES-%zu last word %08x, want %08x", impl->name,
				      klen * 8, got, v[i].last_word);
			/* Round key 0 is the cipher key itself. */
			ck_assert_msg(memcmp(k.u.hw.enc[0], key, 16) == 0, "backend %s round key 0", impl->name);
			fscrypt_ext__aes_key_wipe(&k);
			free(key);
		}
	}
}
END_TEST

/* Keys that stress the schedule (all zero, all ones, one bit set) must agree across every backend. */
START_TEST(test_key_expansion_edge_keys)
{
	uint8_t key[32], pt[64], ref[64], out[64], back[64];

	tu_rand(pt, sizeof(pt));
	for (int pattern = 0; pattern < 4; pattern++) {
		for (size_t klen = 16; klen <= 32; klen += 8) {
			struct fscrypt_ext__aes_key k;

			memset(key, pattern == 1 ? 0xff : 0, sizeof(key));
			if (pattern == 2)
				key[klen - 1] = 0x80;
			if (pattern == 3)
				key[0] = 0x01;
			ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, &fscrypt_ext__aes_portable), FSCRYPT_EXT_OK);
			fscrypt_ext__aes_ecb_encrypt(&k, pt, ref, 4);
			fscrypt_ext__aes_key_wipe(&k);
			FOR_EACH_IMPL(impl)
			{
				ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
				fscrypt_ext__aes_ecb_encrypt(&k, pt, out, 4);
				ck_assert_msg(memcmp(out, ref, 64) == 0, "backend %s AES-%zu key pattern %d", impl->name,
					      klen * 8, pattern);
				fscrypt_ext__aes_ecb_decrypt(&k, out, back, 4);
				ck_assert_msg(memcmp(back, pt, 64) == 0, "backend %s AES-%zu key pattern %d decrypt",
					      impl->name, klen * 8, pattern);
				fscrypt_ext__aes_key_wipe(&k);
			}
		}
	}
}
END_TEST

START_TEST(test_setkey_bad_lengths)
{
	static const size_t bad[] = { 0, 1, 15, 17, 23, 25, 31, 33, 48, 64 };
	struct fscrypt_ext__aes_key k;
	uint8_t key[64] = { 0 };

	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(bad); i++)
		ck_assert_msg(fscrypt_ext__aes_setkey(&k, key, bad[i]) == FSCRYPT_EXT_ERR_INVALID_ARG, "key length %zu",
			      bad[i]);
	ck_assert_int_eq(fscrypt_ext__aes_setkey(&k, NULL, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkey(NULL, key, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, 16, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

/* Runs every vector of a bundled file of one type through the public primitives, both directions. */
static int run_vector_file(const char *name)
{
	char path[512], *text, *p;
	FILE *f;
	long size;
	int count = 0;

	snprintf(path, sizeof(path), "%s/primitives/%s", FSCRYPT_EXT_TEST_VECTORS_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)size + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = 0;
	fclose(f);
	/* A tiny scanner for our own flat files: each vector is one object with string fields. */
	for (p = strstr(text, "\"type\""); p != NULL; p = strstr(p + 1, "\"type\"")) {
		char *end = strchr(p, '}');
		char field[5][8192];
		static const char *const names[5] = { "\"key\"", "\"tweak\"", "\"iv\"", "\"plaintext\"", "\"ciphertext\"" };
		uint8_t *key, *tweak = NULL, *pt, *ct, *out;
		size_t klen, tlen = 0, plen, clen;
		int is_xts = strncmp(p, "\"type\": \"aes-xts\"", 17) == 0;
		int is_cts = strncmp(p, "\"type\": \"aes-cbc-cts\"", 21) == 0;

		ck_assert_ptr_nonnull(end);
		for (int i = 0; i < 5; i++) {
			char *q = strstr(p, names[i]);

			field[i][0] = 0;
			if (q != NULL && q < end) {
				q = strchr(q + strlen(names[i]), '"') + 1;
				size_t n = (size_t)(strchr(q, '"') - q);

				ck_assert_uint_lt(n, sizeof(field[i]));
				memcpy(field[i], q, n);
				field[i][n] = 0;
			}
		}
		key = tu_hex(field[0], &klen);
		if (is_xts)
			tweak = tu_hex(field[1], &tlen);
		if (is_cts)
			tweak = tu_hex(field[2], &tlen);
		pt = tu_hex(field[3], &plen);
		ct = tu_hex(field[4], &clen);
		ck_assert_uint_eq(plen, clen);
		out = malloc(plen + 1);
		if (is_xts) {
			ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, klen, tweak, pt, out, plen), FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(out, ct, plen) == 0, "%s vector %d (len %zu) encrypt, backend %s", name, count,
				      plen, tu_backend());
			ck_assert_int_eq(fscrypt_ext_aes_xts_decrypt(key, klen, tweak, out, out, plen), FSCRYPT_EXT_OK);
		} else if (is_cts) {
			ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, klen, tweak, pt, out, plen), FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(out, ct, plen) == 0, "%s vector %d (len %zu) encrypt, backend %s", name, count,
				      plen, tu_backend());
			ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_decrypt(key, klen, tweak, out, out, plen), FSCRYPT_EXT_OK);
		} else {
			ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, klen, pt, out, plen), FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(out, ct, plen) == 0, "%s vector %d encrypt, backend %s", name, count, tu_backend());
			ck_assert_int_eq(fscrypt_ext_aes_ecb_decrypt(key, klen, out, out, plen), FSCRYPT_EXT_OK);
		}
		ck_assert_msg(memcmp(out, pt, plen) == 0, "%s vector %d (len %zu) decrypt, backend %s", name, count, plen,
			      tu_backend());
		free(key);
		free(tweak);
		free(pt);
		free(ct);
		free(out);
		count++;
	}
	free(text);
	return count;
}

START_TEST(test_vector_files)
{
	ck_assert_int_eq(run_vector_file("aes-fips197.json"), 4);
	ck_assert_int_eq(run_vector_file("aes-xts-ieee1619.json"), 19);
	ck_assert_int_eq(run_vector_file("aes-cbc-cts-rfc3962.json"), 6);
}
END_TEST

/* Exactly one block: CTS is plain CBC, no swap (Linux cts(cbc(aes)) with len == 16). */
START_TEST(test_cts_one_block)
{
	uint8_t key[16], iv[16], pt[16], ct[16], x[16];

	tu_rand(key, 16);
	tu_rand(iv, 16);
	tu_rand(pt, 16);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, 16, iv, pt, ct, 16), FSCRYPT_EXT_OK);
	for (int i = 0; i < 16; i++)
		x[i] = pt[i] ^ iv[i];
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 16, x, x, 16), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(ct, x, 16) == 0, "backend %s: 16-byte CTS must equal one CBC block", tu_backend());
}
END_TEST

START_TEST(test_bad_arguments)
{
	uint8_t key[64] = { 0 }, iv[16] = { 0 }, in[64] = { 0 }, out[64], before[64];

	memset(out, 0xa5, sizeof(out));
	memcpy(before, out, sizeof(out));
	/* ECB */
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(NULL, 16, in, out, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 20, in, out, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_decrypt(key, 64, in, out, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 16, NULL, out, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 16, in, NULL, 16), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 16, in, out, 15), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_decrypt(key, 32, in, out, 17), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, 16, in, out, 0), FSCRYPT_EXT_OK);
	/* XTS */
	ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, 48, iv, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, 16, iv, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(NULL, 64, iv, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, 64, NULL, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_decrypt(key, 64, iv, in, out, 15), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_decrypt(key, 32, iv, in, out, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, 64, iv, NULL, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* CBC-CTS */
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, 16, iv, in, out, 15), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_decrypt(key, 32, iv, in, out, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, 16, NULL, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, 64, iv, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(NULL, 16, iv, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_msg(memcmp(out, before, sizeof(out)) == 0, "output changed by a failed call");
}
END_TEST

START_TEST(test_backend_api)
{
	const char *name, *orig = fscrypt_ext_backend_name();
	int avail = -1, found_portable = 0;
	size_t i;

	ck_assert_ptr_nonnull(orig);
	for (i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		ck_assert(avail == 0 || avail == 1);
		if (avail) {
			ck_assert_int_eq(fscrypt_ext_backend_force(name), FSCRYPT_EXT_OK);
			ck_assert_str_eq(fscrypt_ext_backend_name(), name);
			ck_assert_str_eq(fscrypt_ext__aes_selected()->name, name);
		} else {
			ck_assert_int_eq(fscrypt_ext_backend_force(name), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
		}
		found_portable = strcmp(name, "portable") == 0;
	}
	/* The portable backend is last and always available. */
	ck_assert_msg(found_portable, "portable must be the last backend");
	ck_assert_ptr_null(fscrypt_ext_backend_at(i, &avail));
	ck_assert_int_eq(avail, 0);
	ck_assert_int_eq(fscrypt_ext_backend_force("no-such-backend"), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(fscrypt_ext_backend_force(NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_backend_force("auto"), FSCRYPT_EXT_OK);
	{
		/* "auto" picks the first available backend in table order. */
		const char *first = NULL;

		for (i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++)
			if (avail && first == NULL)
				first = name;
		ck_assert_str_eq(fscrypt_ext_backend_name(), first);
	}
	/* Keys remember the backend that expanded them. */
	{
		struct fscrypt_ext__aes_key k;
		uint8_t key[16] = { 1 };

		ck_assert_int_eq(fscrypt_ext_backend_force("portable"), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext__aes_setkey(&k, key, 16), FSCRYPT_EXT_OK);
		ck_assert_ptr_eq(k.impl, &fscrypt_ext__aes_portable);
		fscrypt_ext__aes_key_wipe(&k);
	}
	ck_assert_int_eq(fscrypt_ext_backend_force(orig), FSCRYPT_EXT_OK);
	ck_assert_str_eq(fscrypt_ext_backend_name(), orig);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("aes");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fips197_internal);
	tcase_add_test(tc, test_fips197_public);
	tcase_add_test(tc, test_key_expansion_appendix_a);
	tcase_add_test(tc, test_key_expansion_edge_keys);
	tcase_add_test(tc, test_setkey_bad_lengths);
	tcase_add_test(tc, test_vector_files);
	tcase_add_test(tc, test_cts_one_block);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_backend_api);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
