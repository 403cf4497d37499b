/* SHA-512 suite: every compiled-in SHA-512 backend (one-stream and multi-buffer), HMAC and HKDF on it, against OpenSSL on random inputs. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>

#include "crypto/sha512.h"
#include "hkdf.h"
#include "hmac_sha512.h"
#include "fscrypt_ext/fscrypt_ext.h"
#include "testutil.h"

#define MAXLEN 1100

static size_t g_runnable;

static void ref_sha512(const uint8_t *m, size_t len, uint8_t out[64])
{
	unsigned int olen = 0;

	ck_assert(EVP_Digest(m, len, out, &olen, EVP_sha512(), NULL) == 1 && olen == 64);
}

static void ref_hmac(const uint8_t *key, size_t klen, const uint8_t *m, size_t len, uint8_t out[64])
{
	static const uint8_t nokey[1];
	unsigned int olen = 0;

	ck_assert(HMAC(EVP_sha512(), klen ? key : nokey, (int)klen, m, len, out, &olen) != NULL && olen == 64);
}

static void ref_hkdf_expand(const uint8_t prk[64], const uint8_t *info, size_t info_len, uint8_t *out, size_t len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA512", 0),
		OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)prk, 64),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len),
		OSSL_PARAM_construct_end(),
	};

	ck_assert(kdf != NULL && ctx != NULL);
	ck_assert(EVP_KDF_derive(ctx, out, len, params) == 1);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

/* Every length 0..MAXLEN through the streaming API (split at a random point), and the one-shot. */
static void check_lengths(const struct fscrypt_ext__sha512_impl *impl)
{
	static uint8_t msg[MAXLEN];
	uint8_t ref[64], out[64];

	tu_rand(msg, sizeof(msg));
	for (size_t len = 0; len <= MAXLEN; len++) {
		struct fscrypt_ext__sha512_ctx c;
		size_t split = len ? tu_rand_u32() % (len + 1) : 0;

		ref_sha512(msg, len, ref);
		fscrypt_ext__sha512(msg, len, out);
		ck_assert_msg(memcmp(out, ref, 64) == 0, "SHA-512 one-shot: backend %s len %zu", impl->name, len);
		fscrypt_ext__sha512_init(&c);
		fscrypt_ext__sha512_update(&c, msg, split);
		fscrypt_ext__sha512_update(&c, msg + split, len - split);
		fscrypt_ext__sha512_final(&c, out);
		ck_assert_msg(memcmp(out, ref, 64) == 0, "SHA-512 streaming: backend %s len %zu split %zu", impl->name,
			      len, split);
	}
}

/* The multi-buffer path on 1..3 widths of streams (groups, short groups, dummy lanes) against the portable compression. */
static void check_multi(const struct fscrypt_ext__sha512_impl *impl)
{
	enum { MAXN = 3 * FSCRYPT_EXT__SHA512_MAX_LANES + 1, NB = 3 };
	static uint8_t data[MAXN][NB * 128 + 1];
	uint64_t h[MAXN][8], ref[MAXN][8];
	const uint8_t *p[MAXN];

	for (size_t n = 1; n <= MAXN; n++) {
		for (size_t nb = 0; nb <= NB; nb++) {
			for (size_t i = 0; i < n; i++) {
				tu_rand(data[i], sizeof(data[i]));
				tu_rand(h[i], sizeof(h[i]));
				memcpy(ref[i], h[i], sizeof(h[i]));
				/* Odd streams start one byte in: unaligned input. */
				p[i] = data[i] + (i & 1);
				fscrypt_ext__sha512_portable.blocks(ref[i], p[i], nb);
			}
			fscrypt_ext__sha512_blocks_n(h, p, nb, n);
			for (size_t i = 0; i < n; i++)
				ck_assert_msg(memcmp(h[i], ref[i], sizeof(h[i])) == 0,
					      "SHA-512 multi: backend %s (%u lanes) stream %zu of %zu, %zu blocks",
					      impl->name, impl->lanes, i, n, nb);
		}
	}
	if (impl->blocks_multi != NULL) {
		/* The raw multi-buffer call, each lane on different data. */
		for (size_t i = 0; i < impl->lanes; i++) {
			tu_rand(data[i], sizeof(data[i]));
			memcpy(h[i], fscrypt_ext__sha512_iv, sizeof(h[i]));
			memcpy(ref[i], h[i], sizeof(h[i]));
			p[i] = data[i];
			fscrypt_ext__sha512_portable.blocks(ref[i], p[i], NB);
		}
		impl->blocks_multi(h, p, NB);
		for (size_t i = 0; i < impl->lanes; i++)
			ck_assert_msg(memcmp(h[i], ref[i], sizeof(h[i])) == 0, "SHA-512 raw multi: backend %s lane %zu",
				      impl->name, i);
	}
}

/* HMAC for keys of 0..200 bytes and messages of 0..300, one at a time and in batches of every size up to 17. */
static void check_hmac(const struct fscrypt_ext__sha512_impl *impl)
{
	static uint8_t key[200], msg[17][300];
	uint8_t ref[17][64], out[17][64];
	const uint8_t *m[17];
	size_t lens[17];

	for (int iter = 0; iter < 300; iter++) {
		struct fscrypt_ext__hmac512 h;
		size_t klen = iter < 201 ? (size_t)iter : tu_rand_u32() % 201;
		/* Every batch size 1..17 twice first: once all short (every lane count through the HMAC kernel), once mixed. */
		size_t n = iter < 34 ? 1 + (size_t)iter % 17 : 1 + tu_rand_u32() % 17;
		bool all_short = iter < 17;

		tu_rand(key, sizeof(key));
		fscrypt_ext__hmac512_init(&h, key, klen);
		for (size_t i = 0; i < n; i++) {
			/* Mostly short (the multi-buffer case), with some long ones mixed in. */
			lens[i] = all_short || tu_rand_u32() % 4 ? tu_rand_u32() % 112 : tu_rand_u32() % 301;
			tu_rand(msg[i], lens[i] + 1);
			m[i] = msg[i];
			ref_hmac(key, klen, msg[i], lens[i], ref[i]);
		}
		{
			const uint8_t *parts[2] = { msg[0], msg[0] + lens[0] / 3 };
			size_t plens[2] = { lens[0] / 3, lens[0] - lens[0] / 3 };

			fscrypt_ext__hmac512_parts(&h, parts, plens, 2, out[0]);
			ck_assert_msg(memcmp(out[0], ref[0], 64) == 0, "HMAC parts: backend %s key %zu msg %zu",
				      impl->name, klen, lens[0]);
		}
		fscrypt_ext__hmac512_n(&h, m, lens, n, out);
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(memcmp(out[i], ref[i], 64) == 0, "HMAC batch: backend %s key %zu msg %zu (%zu of %zu)",
				      impl->name, klen, lens[i], i, n);
		fscrypt_ext__wipe(&h, sizeof(h));
	}
}

/*
 * The backend's raw HMAC kernel (hmac_multi): every lane a different
 * one-block message (lengths 0..111 across lanes and rounds; random bytes
 * after each, which must not count), against
 * OpenSSL's HMAC; the pad states are computed here from the key.
 */
static void check_hmac_kernel(const struct fscrypt_ext__sha512_impl *impl)
{
	uint8_t key[128], kb[128], blk[FSCRYPT_EXT__SHA512_MAX_LANES][128];
	uint8_t out[FSCRYPT_EXT__SHA512_MAX_LANES][64], ref[64];
	const uint8_t *p[FSCRYPT_EXT__SHA512_MAX_LANES];
	uint8_t *o[FSCRYPT_EXT__SHA512_MAX_LANES];
	uint64_t inner[8], outer[8];
	size_t len[FSCRYPT_EXT__SHA512_MAX_LANES];

	if (impl->hmac_multi == NULL)
		return;
	for (int iter = 0; iter < 40; iter++) {
		size_t klen = 1 + tu_rand_u32() % 128;

		tu_rand(key, klen);
		memset(kb, 0, sizeof(kb));
		memcpy(kb, key, klen);
		for (int i = 0; i < 128; i++)
			kb[i] ^= 0x36;
		memcpy(inner, fscrypt_ext__sha512_iv, sizeof(inner));
		fscrypt_ext__sha512_portable.blocks(inner, kb, 1);
		for (int i = 0; i < 128; i++)
			kb[i] ^= 0x36 ^ 0x5c;
		memcpy(outer, fscrypt_ext__sha512_iv, sizeof(outer));
		fscrypt_ext__sha512_portable.blocks(outer, kb, 1);
		for (size_t l = 0; l < impl->lanes; l++) {
			len[l] = (size_t)(iter * 7 + (int)l * 13) % 112;
			tu_rand(blk[l], 128);
			p[l] = blk[l];
			o[l] = out[l];
		}
		impl->hmac_multi(inner, outer, p, len, o);
		for (size_t l = 0; l < impl->lanes; l++) {
			ref_hmac(key, klen, blk[l], len[l], ref);
			ck_assert_msg(memcmp(out[l], ref, 64) == 0, "HMAC kernel: backend %s key %zu lane %zu msg %zu",
				      impl->name, klen, l, len[l]);
		}
	}
}

/* HKDF-Expand with fscrypt's prefix, batched, against EVP_KDF with the same PRK and info. */
static void check_hkdf(const struct fscrypt_ext__sha512_impl *impl)
{
	static const size_t okm_lens[] = { 16, 32, 64, 65, 100 };
	uint8_t ikm[64], prk[64], info[20][9 + 120], okm[20][100], ref[100], single[100];
	const uint8_t *infos[20];
	uint8_t *okms[20];

	for (int iter = 0; iter < 60; iter++) {
		struct fscrypt_ext__hkdf h;
		size_t okm_len = okm_lens[iter % 5], n = 1 + tu_rand_u32() % 20;
		/* 101 is the longest info whose message (prefix, info, counter) fits one block with its padding. */
		size_t info_len = iter % 7 == 6 ? 110 : iter % 7 == 5 ? 101 + (size_t)(iter & 1) : tu_rand_u32() % 33;
		uint8_t ctx = (uint8_t)(1 + tu_rand_u32() % 9);

		tu_rand(ikm, sizeof(ikm));
		ck_assert(fscrypt_ext__hkdf_init(&h, ikm, sizeof(ikm)) == FSCRYPT_EXT_OK);
		/* PRK = HMAC(zero-length salt, ikm). */
		ref_hmac(NULL, 0, ikm, sizeof(ikm), prk);
		for (size_t i = 0; i < n; i++) {
			tu_rand(info[i] + 9, info_len);
			infos[i] = info[i] + 9;
			okms[i] = okm[i];
		}
		ck_assert(fscrypt_ext__hkdf_expand_n(&h, ctx, infos, info_len, okms, okm_len, n) == FSCRYPT_EXT_OK);
		for (size_t i = 0; i < n; i++) {
			memcpy(info[i], "fscrypt", 8);
			info[i][8] = ctx;
			ref_hkdf_expand(prk, info[i], 9 + info_len, ref, okm_len);
			ck_assert_msg(memcmp(okm[i], ref, okm_len) == 0,
				      "HKDF expand batch: backend %s ctx %u info %zu okm %zu (%zu of %zu)", impl->name, ctx,
				      info_len, okm_len, i, n);
			/* One key at a time (the single-derivation path). */
			memset(single, 0xa5, sizeof(single));
			ck_assert(fscrypt_ext__hkdf_expand(&h, ctx, infos[i], info_len, single, okm_len) == FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(single, ref, okm_len) == 0 && (okm_len == sizeof(single) || single[okm_len] == 0xa5),
				      "HKDF expand single: backend %s ctx %u info %zu okm %zu", impl->name, ctx, info_len,
				      okm_len);
		}
		fscrypt_ext__hkdf_wipe(&h);
	}
}

/*
 * Every row's one-stream compression (the assembly ones, and the one the
 * multi-buffer rows use for lone streams) against the portable C on random
 * chaining values, 0..9 blocks, data at every offset 0..7; the words around
 * h and the input must stay untouched.
 */
START_TEST(test_blocks_vs_portable)
{
	enum { MAXB = 9 };
	static uint8_t data[MAXB * 128 + 8], copy[sizeof(data)];
	uint64_t h[10], ref[8];
	size_t tested = 0;

	for (size_t i = 0; fscrypt_ext__sha512_impls[i] != NULL; i++) {
		const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_impls[i];

		if (!impl->available())
			continue;
		for (int iter = 0; iter < 200; iter++) {
			size_t nb = (size_t)iter % (MAXB + 1), off = (size_t)(iter / 10) % 8;

			tu_rand(data, sizeof(data));
			memcpy(copy, data, sizeof(data));
			tu_rand(h, sizeof(h));
			memcpy(ref, h + 1, sizeof(ref));
			fscrypt_ext__sha512_portable.blocks(ref, data + off, nb);
			{
				uint64_t guard0 = h[0], guard9 = h[9];

				impl->blocks(h + 1, data + off, nb);
				ck_assert_msg(memcmp(h + 1, ref, sizeof(ref)) == 0,
					      "SHA-512 blocks: backend %s, %zu blocks at offset %zu", impl->name, nb, off);
				ck_assert_msg(h[0] == guard0 && h[9] == guard9,
					      "SHA-512 blocks: backend %s wrote outside h (%zu blocks)", impl->name, nb);
			}
			ck_assert_msg(memcmp(data, copy, sizeof(data)) == 0,
				      "SHA-512 blocks: backend %s changed its input (%zu blocks)", impl->name, nb);
		}
		printf("sha512: backend %s one-stream compression matched portable (0..%d blocks, offsets 0..7)\n",
		       impl->name, MAXB);
		for (int iter = 0; impl->hmac_block != NULL && iter < 100; iter++) {
			/* Its fused HMAC: inner hash of the block, outer hash of that digest, from random states. */
			uint64_t inner[8], outer[8], st[8];
			uint8_t outb[129], refb[128], got[64 + 1];
			size_t off = (size_t)iter % 2;

			tu_rand(inner, sizeof(inner));
			tu_rand(outer, sizeof(outer));
			tu_rand(outb, sizeof(outb));
			memcpy(st, inner, sizeof(st));
			fscrypt_ext__sha512_portable.blocks(st, outb + off, 1);
			fscrypt_ext__sha512_digest(st, refb);
			fscrypt_ext__sha512_pad_block(refb, 64, 128 + 64);
			memcpy(st, outer, sizeof(st));
			fscrypt_ext__sha512_portable.blocks(st, refb, 1);
			fscrypt_ext__sha512_digest(st, refb);
			got[64] = 0x5a;
			impl->hmac_block(inner, outer, outb + off, got);
			ck_assert_msg(memcmp(got, refb, 64) == 0 && got[64] == 0x5a,
				      "SHA-512 hmac_block: backend %s, block at offset %zu", impl->name, off);
		}
		tested++;
	}
	ck_assert(tested >= 1);
}
END_TEST

START_TEST(test_every_backend)
{
	size_t tested = 0;

	for (size_t i = 0; fscrypt_ext__sha512_impls[i] != NULL; i++) {
		const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_impls[i];

		if (!impl->available()) {
			printf("sha512: backend %s not runnable on this CPU, skipped\n", impl->name);
			continue;
		}
		fscrypt_ext__sha512_select(impl);
		check_lengths(impl);
		check_multi(impl);
		check_hmac(impl);
		check_hmac_kernel(impl);
		check_hkdf(impl);
		printf("sha512: backend %s (%u lanes) matched OpenSSL\n", impl->name, impl->lanes);
		tested++;
	}
	fscrypt_ext__sha512_select(NULL);
	ck_assert(tested >= 1);
	g_runnable = tested;
}
END_TEST

/*
 * The dispatch's choice: with no FSCRYPT_EXT_BACKEND the first runnable row;
 * under a profile, the matching generation (vaes-avx2 means the AVX2 paths
 * even on an AVX-512 CPU, portable means portable).
 */
START_TEST(test_dispatch_choice)
{
	const char *env = getenv("FSCRYPT_EXT_BACKEND");
	const struct fscrypt_ext__sha512_impl *best = NULL, *sel = fscrypt_ext__sha512_selected();

	for (size_t i = 0; fscrypt_ext__sha512_impls[i] != NULL && best == NULL; i++)
		if (fscrypt_ext__sha512_impls[i]->available())
			best = fscrypt_ext__sha512_impls[i];
	printf("sha512: backend profile %s runs %s\n", env ? env : "auto", sel->name);
	if (env == NULL)
		ck_assert_str_eq(sel->name, best->name);
	else if (strcmp(env, "portable") == 0)
		ck_assert_str_eq(sel->name, "portable");
	else if (strcmp(env, "vaes-avx2") == 0 && fscrypt_ext__sha512_find("avx2-x4") != NULL &&
		 fscrypt_ext__sha512_find("avx2-x4")->available())
		ck_assert_str_eq(sel->name, "avx2-x4");
	else if (strcmp(env, "vaes-avx512") == 0)
		ck_assert_str_eq(sel->name, "avx512-x8");
	ck_assert_ptr_eq(fscrypt_ext__sha512_find("portable"), &fscrypt_ext__sha512_portable);
	ck_assert_ptr_null(fscrypt_ext__sha512_find("no-such-backend"));
	/* Forcing one row alone. */
	fscrypt_ext__sha512_select(&fscrypt_ext__sha512_portable);
	ck_assert_ptr_eq(fscrypt_ext__sha512_selected(), &fscrypt_ext__sha512_portable);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("sha512");
	TCase *tc = tcase_create("sha512");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_every_backend);
	tcase_add_test(tc, test_blocks_vs_portable);
	tcase_add_test(tc, test_dispatch_choice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	(void)g_runnable;
	return tu_run(make_suite());
}
