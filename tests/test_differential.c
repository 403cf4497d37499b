/* Differential suite: every available AES backend against OpenSSL EVP on random keys, IVs, tweaks, lengths and alignments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "crypto/aes.h"
#include "crypto/dispatch.h"
#include "fscrypt_ext/fscrypt_ext.h"

#define MAX_LEN 4096
/* Buffers leave room for a misalignment of up to 15 bytes. */
#define BUF_LEN (MAX_LEN + 64)

static const EVP_CIPHER *evp_ecb(size_t klen)
{
	return klen == 16 ? EVP_aes_128_ecb() : klen == 24 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
}

static const EVP_CIPHER *evp_cbc(size_t klen)
{
	return klen == 16 ? EVP_aes_128_cbc() : klen == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
}

static void evp_crypt(const EVP_CIPHER *c, const uint8_t *key, const uint8_t *iv, const uint8_t *in, uint8_t *out,
		      size_t len, int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_CipherInit_ex(ctx, c, NULL, key, iv, enc), 1);
	ck_assert_int_eq(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
	ck_assert_int_eq(EVP_CipherUpdate(ctx, out, &n1, in, (int)len), 1);
	ck_assert_int_eq(EVP_CipherFinal_ex(ctx, out + n1, &n2), 1);
	ck_assert_uint_eq((size_t)(n1 + n2), len);
	EVP_CIPHER_CTX_free(ctx);
}

/* Linux cts(cbc(aes)) from OpenSSL CBC: one block is plain CBC; else CBC on zero padding, swap the last two, cut. */
static void evp_cts_encrypt(const uint8_t *key, size_t klen, const uint8_t *iv, const uint8_t *in, uint8_t *out,
			    size_t len)
{
	size_t nb = (len + 15) / 16;
	uint8_t *pad = calloc(nb, 16), *c = malloc(nb * 16);

	ck_assert_ptr_nonnull(pad);
	ck_assert_ptr_nonnull(c);
	memcpy(pad, in, len);
	evp_crypt(evp_cbc(klen), key, iv, pad, c, nb * 16, 1);
	if (nb > 1) {
		uint8_t t[16];

		memcpy(t, c + 16 * (nb - 1), 16);
		memmove(c + 16 * (nb - 1), c + 16 * (nb - 2), 16);
		memcpy(c + 16 * (nb - 2), t, 16);
	}
	memcpy(out, c, len);
	free(pad);
	free(c);
}

static size_t rand_range(size_t lo, size_t hi)
{
	return lo + tu_rand_u32() % (hi - lo + 1);
}

/* Random key whose two XTS halves differ (OpenSSL rejects equal halves). */
static void rand_key(uint8_t *key, size_t len)
{
	tu_rand(key, len);
	key[len / 2] ^= (uint8_t)(key[0] == key[len / 2] ? 1 : 0);
}

struct case_buf {
	uint8_t src[BUF_LEN], dst[BUF_LEN], ref[BUF_LEN];
	uint8_t *in, *out; /* misaligned views */
	size_t off;
	int in_place;
};

/* Picks a misalignment and in-place or not, and fills the input with len random bytes. */
static void setup_case(struct case_buf *b, size_t len)
{
	b->off = tu_rand_u32() % 16;
	b->in_place = (int)(tu_rand_u32() & 1);
	b->in = b->src + b->off;
	b->out = b->in_place ? b->in : b->dst + ((b->off + 7) % 16);
	tu_rand(b->in, len);
}

static size_t g_bytes;

static void diff_ecb(const struct fscrypt_ext__aes_impl *impl, int iters)
{
	static struct case_buf b;
	uint8_t key[32], plain[BUF_LEN];
	struct fscrypt_ext__aes_key k;

	for (int it = 0; it < iters; it++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3), nb = rand_range(1, MAX_LEN / 16), len = 16 * nb;

		rand_key(key, klen);
		setup_case(&b, len);
		memcpy(plain, b.in, len);
		evp_crypt(evp_ecb(klen), key, NULL, plain, b.ref, len, 1);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		fscrypt_ext__aes_ecb_encrypt(&k, b.in, b.out, nb);
		ck_assert_msg(memcmp(b.out, b.ref, len) == 0, "ECB encrypt: backend %s AES-%zu len %zu off %zu in_place %d",
			      impl->name, klen * 8, len, b.off, b.in_place);
		fscrypt_ext__aes_ecb_decrypt(&k, b.out, b.out, nb);
		ck_assert_msg(memcmp(b.out, plain, len) == 0, "ECB decrypt: backend %s AES-%zu len %zu off %zu",
			      impl->name, klen * 8, len, b.off);
		fscrypt_ext__aes_key_wipe(&k);
		g_bytes += 2 * len;
	}
}

static void diff_cbc(const struct fscrypt_ext__aes_impl *impl, int iters)
{
	static struct case_buf b;
	uint8_t key[32], iv[16], v[16], plain[BUF_LEN];
	struct fscrypt_ext__aes_key k;

	for (int it = 0; it < iters; it++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3), nb = rand_range(1, MAX_LEN / 16), len = 16 * nb;
		size_t split = rand_range(0, nb);

		rand_key(key, klen);
		tu_rand(iv, 16);
		setup_case(&b, len);
		memcpy(plain, b.in, len);
		evp_crypt(evp_cbc(klen), key, iv, plain, b.ref, len, 1);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		/* Two chained calls: the IV buffer must carry the chain across the split. */
		memcpy(v, iv, 16);
		fscrypt_ext__aes_cbc_encrypt(&k, v, b.in, b.out, split);
		fscrypt_ext__aes_cbc_encrypt(&k, v, b.in + 16 * split, b.out + 16 * split, nb - split);
		ck_assert_msg(memcmp(b.out, b.ref, len) == 0,
			      "CBC encrypt: backend %s AES-%zu len %zu split %zu off %zu in_place %d", impl->name, klen * 8,
			      len, split, b.off, b.in_place);
		ck_assert_msg(memcmp(v, b.ref + len - 16, 16) == 0, "CBC encrypt IV out: backend %s len %zu", impl->name,
			      len);
		memcpy(v, iv, 16);
		fscrypt_ext__aes_cbc_decrypt(&k, v, b.out, b.out, split);
		fscrypt_ext__aes_cbc_decrypt(&k, v, b.out + 16 * split, b.out + 16 * split, nb - split);
		ck_assert_msg(memcmp(b.out, plain, len) == 0, "CBC decrypt: backend %s AES-%zu len %zu split %zu off %zu",
			      impl->name, klen * 8, len, split, b.off);
		ck_assert_msg(memcmp(v, b.ref + len - 16, 16) == 0, "CBC decrypt IV out: backend %s len %zu", impl->name,
			      len);
		/* Out of place decryption against OpenSSL too. */
		evp_crypt(evp_cbc(klen), key, iv, b.ref, plain, len, 0);
		memcpy(v, iv, 16);
		fscrypt_ext__aes_cbc_decrypt(&k, v, b.ref, b.dst, nb);
		ck_assert_msg(memcmp(b.dst, plain, len) == 0, "CBC decrypt (out of place): backend %s AES-%zu len %zu",
			      impl->name, klen * 8, len);
		fscrypt_ext__aes_key_wipe(&k);
		g_bytes += 3 * len;
	}
}

/* Batched CBC (n independent streams): each stream against OpenSSL CBC, IVs updated, in place allowed. */
static void diff_cbc_multi(const struct fscrypt_ext__aes_impl *impl, int iters)
{
	enum { MAX_STREAMS = 21, MAX_BLOCKS = 17 };
	static uint8_t data[MAX_STREAMS][MAX_BLOCKS * 16 + 1], res[MAX_STREAMS][MAX_BLOCKS * 16 + 1],
		ref[MAX_STREAMS][MAX_BLOCKS * 16];
	uint8_t key[32], ivs[MAX_STREAMS][16], iv0[MAX_STREAMS][16];
	const uint8_t *in[MAX_STREAMS];
	uint8_t *out[MAX_STREAMS];
	struct fscrypt_ext__aes_key k;

	for (int it = 0; it < iters; it++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3), n = rand_range(1, MAX_STREAMS), nb = rand_range(1, MAX_BLOCKS);
		int in_place = (int)(tu_rand_u32() & 1);

		rand_key(key, klen);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		for (size_t i = 0; i < n; i++) {
			/* Odd offsets: streams are not 16-byte aligned. */
			tu_rand(data[i] + 1, 16 * nb);
			tu_rand(iv0[i], 16);
			memcpy(ivs[i], iv0[i], 16);
			evp_crypt(evp_cbc(klen), key, iv0[i], data[i] + 1, ref[i], 16 * nb, 1);
			in[i] = data[i] + 1;
			out[i] = in_place ? data[i] + 1 : res[i] + 1;
		}
		fscrypt_ext__aes_cbc_encrypt_multi(&k, ivs, in, out, nb, n);
		for (size_t i = 0; i < n; i++) {
			ck_assert_msg(memcmp(out[i], ref[i], 16 * nb) == 0,
				      "CBC multi: backend %s AES-%zu stream %zu of %zu, %zu blocks, in_place %d", impl->name,
				      klen * 8, i, n, nb, in_place);
			ck_assert_msg(memcmp(ivs[i], ref[i] + 16 * (nb - 1), 16) == 0,
				      "CBC multi IV out: backend %s stream %zu of %zu", impl->name, i, n);
			g_bytes += 16 * nb;
		}
		fscrypt_ext__aes_key_wipe(&k);
	}
}

static void diff_xts(const struct fscrypt_ext__aes_impl *impl, int iters)
{
	static struct case_buf b;
	uint8_t key[64], iv[16], plain[BUF_LEN];
	struct fscrypt_ext__aes_key dk, tk;

	for (int it = 0; it < iters; it++) {
		size_t klen = (tu_rand_u32() & 1) ? 64 : 32;
		/* Half the cases are whole data units (the fscrypt case), half arbitrary lengths >= 16. */
		size_t len = (tu_rand_u32() & 1) ? 16 * rand_range(1, MAX_LEN / 16) : rand_range(16, MAX_LEN);

		rand_key(key, klen);
		tu_rand(iv, 16);
		setup_case(&b, len);
		memcpy(plain, b.in, len);
		evp_crypt(klen == 32 ? EVP_aes_128_xts() : EVP_aes_256_xts(), key, iv, plain, b.ref, len, 1);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&dk, key, klen / 2, impl), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&tk, key + klen / 2, klen / 2, impl), FSCRYPT_EXT_OK);
		fscrypt_ext__aes_xts_encrypt(&dk, &tk, iv, b.in, b.out, len);
		ck_assert_msg(memcmp(b.out, b.ref, len) == 0, "XTS encrypt: backend %s AES-%zu len %zu off %zu in_place %d",
			      impl->name, klen * 4, len, b.off, b.in_place);
		fscrypt_ext__aes_xts_decrypt(&dk, &tk, iv, b.out, b.out, len);
		ck_assert_msg(memcmp(b.out, plain, len) == 0, "XTS decrypt: backend %s AES-%zu len %zu off %zu",
			      impl->name, klen * 4, len, b.off);
		fscrypt_ext__aes_key_wipe(&dk);
		fscrypt_ext__aes_key_wipe(&tk);
		g_bytes += 2 * len;
	}
}

static void diff_cts(const struct fscrypt_ext__aes_impl *impl, int iters)
{
	static struct case_buf b;
	uint8_t key[32], iv[16], plain[BUF_LEN];
	struct fscrypt_ext__aes_key k;

	for (int it = 0; it < iters; it++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3);
		/* Filenames are short: weight lengths 16..255 as heavily as the long ones. */
		size_t len = (tu_rand_u32() & 1) ? rand_range(16, 255) : rand_range(16, MAX_LEN);

		rand_key(key, klen);
		tu_rand(iv, 16);
		setup_case(&b, len);
		memcpy(plain, b.in, len);
		evp_cts_encrypt(key, klen, iv, plain, b.ref, len);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		fscrypt_ext__aes_cbc_cts_encrypt(&k, iv, b.in, b.out, len);
		ck_assert_msg(memcmp(b.out, b.ref, len) == 0, "CTS encrypt: backend %s AES-%zu len %zu off %zu in_place %d",
			      impl->name, klen * 8, len, b.off, b.in_place);
		fscrypt_ext__aes_cbc_cts_decrypt(&k, iv, b.out, b.out, len);
		ck_assert_msg(memcmp(b.out, plain, len) == 0, "CTS decrypt: backend %s AES-%zu len %zu off %zu",
			      impl->name, klen * 8, len, b.off);
		fscrypt_ext__aes_key_wipe(&k);
		g_bytes += 2 * len;
	}
}

/* Every length 16..300 once, for XTS and CTS, so each tail size meets every block count near the 8-way edges. */
static void diff_all_short_lengths(const struct fscrypt_ext__aes_impl *impl)
{
	uint8_t key[64], iv[16], in[300], ref[300], out[300];
	struct fscrypt_ext__aes_key dk, tk;

	rand_key(key, 64);
	tu_rand(iv, 16);
	tu_rand(in, sizeof(in));
	ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&dk, key, 32, impl), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&tk, key + 32, 32, impl), FSCRYPT_EXT_OK);
	for (size_t len = 16; len <= sizeof(in); len++) {
		evp_crypt(EVP_aes_256_xts(), key, iv, in, ref, len, 1);
		fscrypt_ext__aes_xts_encrypt(&dk, &tk, iv, in, out, len);
		ck_assert_msg(memcmp(out, ref, len) == 0, "XTS encrypt: backend %s AES-256 len %zu", impl->name, len);
		fscrypt_ext__aes_xts_decrypt(&dk, &tk, iv, out, out, len);
		ck_assert_msg(memcmp(out, in, len) == 0, "XTS decrypt: backend %s AES-256 len %zu", impl->name, len);
		evp_cts_encrypt(key, 32, iv, in, ref, len);
		fscrypt_ext__aes_cbc_cts_encrypt(&dk, iv, in, out, len);
		ck_assert_msg(memcmp(out, ref, len) == 0, "CTS encrypt: backend %s AES-256 len %zu", impl->name, len);
		fscrypt_ext__aes_cbc_cts_decrypt(&dk, iv, out, out, len);
		ck_assert_msg(memcmp(out, in, len) == 0, "CTS decrypt: backend %s AES-256 len %zu", impl->name, len);
		g_bytes += 4 * len;
	}
	fscrypt_ext__aes_key_wipe(&dk);
	fscrypt_ext__aes_key_wipe(&tk);
}

START_TEST(test_all_backends_vs_openssl)
{
	int tested = 0;

	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++) {
		const struct fscrypt_ext__aes_impl *impl = fscrypt_ext__aes_impls[i];

		if (!impl->available()) {
			printf("differential: backend %s not runnable on this CPU\n", impl->name);
			continue;
		}
		g_bytes = 0;
		diff_ecb(impl, 200);
		diff_cbc(impl, 200);
		diff_cbc_multi(impl, 100);
		diff_xts(impl, 600);
		diff_cts(impl, 300);
		diff_all_short_lengths(impl);
		printf("differential: backend %s matched OpenSSL on %zu bytes\n", impl->name, g_bytes);
		ck_assert_uint_gt(g_bytes, 1000000);
		tested++;
	}
	/* The portable backend always runs, so at least one backend was compared. */
	ck_assert_int_ge(tested, 1);
}
END_TEST

/* The public one-shot primitives use the selected backend; check them against OpenSSL as well. */
START_TEST(test_public_primitives_vs_openssl)
{
	static uint8_t in[MAX_LEN], ref[MAX_LEN], out[MAX_LEN];
	uint8_t key[64], iv[16];

	for (int it = 0; it < 100; it++) {
		size_t len = rand_range(16, MAX_LEN), klen = (it & 1) ? 64 : 32;

		rand_key(key, klen);
		tu_rand(iv, 16);
		tu_rand(in, len);
		evp_crypt(klen == 32 ? EVP_aes_128_xts() : EVP_aes_256_xts(), key, iv, in, ref, len, 1);
		ck_assert_int_eq(fscrypt_ext_aes_xts_encrypt(key, klen, iv, in, out, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, ref, len) == 0, "public XTS: backend %s key %zu len %zu", tu_backend(), klen, len);
		evp_cts_encrypt(key, klen / 2, iv, in, ref, len);
		ck_assert_int_eq(fscrypt_ext_aes_cbc_cts_encrypt(key, klen / 2, iv, in, out, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, ref, len) == 0, "public CTS: backend %s key %zu len %zu", tu_backend(), klen / 2,
			      len);
		len &= ~(size_t)15;
		evp_crypt(evp_ecb(klen / 2), key, NULL, in, ref, len, 1);
		ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(key, klen / 2, in, out, len), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, ref, len) == 0, "public ECB: backend %s key %zu len %zu", tu_backend(), klen / 2,
			      len);
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("differential");
	TCase *tc = tcase_create("openssl");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_all_backends_vs_openssl);
	tcase_add_test(tc, test_public_primitives_vs_openssl);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
