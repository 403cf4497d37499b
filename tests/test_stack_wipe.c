/* Check suite "stack_wipe": after the one-shot primitives return, no raw key half and no XTS tweak is left in the stack below the caller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static void mul_x(uint8_t t[16])
{
	uint8_t carry = t[15] >> 7;

	for (int i = 15; i > 0; i--)
		t[i] = (uint8_t)((t[i] << 1) | (t[i - 1] >> 7));
	t[0] = (uint8_t)((t[0] << 1) ^ (carry ? 0x87 : 0));
}

/* One SM4 block through OpenSSL (test oracle). */
static void sm4_oracle(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0;

	ck_assert_msg(c != NULL && ctx != NULL, "this OpenSSL has no SM4-ECB");
	ck_assert(EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	ck_assert(EVP_EncryptUpdate(ctx, out, &outl, in, 16) == 1 && outl == 16);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
}

enum op { AES_XTS_ENC, AES_XTS_DEC, SM4_XTS_ENC, SM4_XTS_DEC, AES_ECB, SM4_CTS };

static const char *op_name(enum op o)
{
	static const char *const n[] = { "aes-xts encrypt", "aes-xts decrypt", "sm4-xts encrypt", "sm4-xts decrypt",
					 "aes-ecb", "sm4-cbc-cts" };
	return n[o];
}

static __attribute__((noinline)) int run_op(enum op o, const uint8_t *key, size_t key_len, const uint8_t iv[16],
					    const uint8_t *in, uint8_t *out, size_t len)
{
	switch (o) {
	case AES_XTS_ENC:
		return fscrypt_ext_aes_xts_encrypt(key, key_len, iv, in, out, len);
	case AES_XTS_DEC:
		return fscrypt_ext_aes_xts_decrypt(key, key_len, iv, in, out, len);
	case SM4_XTS_ENC:
		return fscrypt_ext_sm4_xts_encrypt(key, key_len, iv, in, out, len);
	case SM4_XTS_DEC:
		return fscrypt_ext_sm4_xts_decrypt(key, key_len, iv, in, out, len);
	case AES_ECB:
		return fscrypt_ext_aes_ecb_encrypt(key, key_len, in, out, len);
	case SM4_CTS:
		return fscrypt_ext_sm4_cbc_cts_encrypt(key, key_len, iv, in, out, len);
	}
	return -1;
}

/* Key halves, the first two tweaks, on lengths with and without ciphertext stealing. */
static void check_op(enum op o, size_t key_len, size_t len)
{
	static uint8_t in[4096], out[4096];
	uint8_t key[64], iv[16], t0[16] = { 0 }, t1[16];
	const uint8_t *pats[4];
	size_t lens[4], npat = 0;
	const char *names[4] = { "first key half", "second key half", "tweak T0", "tweak T1" }, *which = NULL;
	long off = 0;
	int hit;
	int xts = o == AES_XTS_ENC || o == AES_XTS_DEC || o == SM4_XTS_ENC || o == SM4_XTS_DEC;

	tu_rand(key, sizeof(key));
	tu_rand(iv, sizeof(iv));
	tu_rand(in, len);
	if (xts) {
		/* T0 = E(tweak key, iv), computed before the fill so this call's leftovers are overwritten. */
		if (o == AES_XTS_ENC || o == AES_XTS_DEC)
			ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key + key_len / 2, key_len / 2, iv, t0, 16),
					 FSCRYPT_EXT_OK);
		else
			sm4_oracle(key + 16, iv, t0);
	}
	memcpy(t1, t0, 16);
	mul_x(t1);
	pats[npat] = key;
	lens[npat++] = xts ? key_len / 2 : key_len;
	if (xts) {
		pats[npat] = key + key_len / 2;
		lens[npat++] = key_len / 2;
		pats[npat] = t0;
		lens[npat++] = 16;
		pats[npat] = t1;
		lens[npat++] = 16;
	}
	tu_stack_fill();
	ck_assert_int_eq(run_op(o, key, key_len, iv, in, out, len), FSCRYPT_EXT_OK);
	hit = tu_stack_find(pats, lens, npat, &off);
	which = hit >= 0 ? names[hit] : NULL;
	ck_assert_msg(hit < 0,
		      "%s (key %zu bytes, %zu bytes, backend %s): %s left on the stack, %ld bytes into the probe",
		      op_name(o), key_len, len, tu_backend(), which, off);
}

START_TEST(test_one_shot_leaves_nothing)
{
	static const size_t lens[] = { 16, 64, 100, 4096 };

	if (tu_under_asan()) {
		printf("stack_wipe: ASan moves locals to its own stacks; this check runs in the plain build\n");
		return;
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		check_op(AES_XTS_ENC, 64, lens[i]);
		check_op(AES_XTS_DEC, 64, lens[i]);
		check_op(AES_XTS_ENC, 32, lens[i]);
		check_op(SM4_XTS_ENC, 32, lens[i]);
		check_op(SM4_XTS_DEC, 32, lens[i]);
		check_op(SM4_CTS, 16, lens[i] > 255 ? 255 : lens[i]);
	}
	check_op(AES_ECB, 16, 64);
	check_op(AES_ECB, 32, 64);
}
END_TEST

/* The probe itself works: a deliberately leaky function is caught (the check can fail). */
static __attribute__((noinline)) void leaky(const uint8_t *secret)
{
	volatile uint8_t copy[64];

	for (int i = 0; i < 64; i++)
		copy[i] = secret[i];
	__asm__ volatile("" : : "r"(copy) : "memory");
}

START_TEST(test_probe_detects_leak)
{
	uint8_t secret[64];
	const uint8_t *pats[1] = { secret };
	size_t lens[1] = { 64 };
	long off = 0;

	if (tu_under_asan()) {
		printf("stack_wipe: ASan moves locals to its own stacks; the probe self-test runs in the plain build\n");
		return;
	}
	tu_rand(secret, sizeof(secret));
	tu_stack_fill();
	leaky(secret);
	ck_assert_msg(tu_stack_find(pats, lens, 1, &off) == 0, "the stack probe missed a planted copy");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("stack_wipe");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_probe_detects_leak);
	tcase_add_test(tc, test_one_shot_leaves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
