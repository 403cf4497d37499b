/* XCTR for HCTR2 on x86-64: AES-NI (8 blocks in flight) and VAES+AVX2 (16 in 8 ymm), on the x86 AES backends' round keys. */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)

#include <immintrin.h>

#include "../crypto/xctr.h"

#define AESNI_TARGET __attribute__((target("aes,sse4.1")))

/* Keystream block i is E(s ^ le128(i)); i fits in 64 bits, so only the low half of s changes. */
AESNI_TARGET static inline __m128i ctr_block(__m128i s, uint64_t i)
{
	return _mm_xor_si128(s, _mm_cvtsi64_si128((long long)i));
}

/* Eight keystream blocks XORed into 128 bytes; written out so the blocks stay in registers. */
#define XMM_ROUND8(f, k)                                                                                      \
	do {                                                                                                  \
		b0 = f(b0, k); b1 = f(b1, k); b2 = f(b2, k); b3 = f(b3, k);                                   \
		b4 = f(b4, k); b5 = f(b5, k); b6 = f(b6, k); b7 = f(b7, k);                                   \
	} while (0)
#define XMM_OUT(i, b) \
	_mm_storeu_si128((__m128i *)(out + 16 * (i)), _mm_xor_si128(b, _mm_loadu_si128((const __m128i *)(in + 16 * (i)))))

AESNI_TARGET static inline void aesni_8blocks(const __m128i *rk, unsigned int nr, __m128i s, uint64_t ctr, const uint8_t *in,
					      uint8_t *out)
{
	__m128i k = rk[0];
	__m128i b0 = _mm_xor_si128(ctr_block(s, ctr + 0), k), b1 = _mm_xor_si128(ctr_block(s, ctr + 1), k);
	__m128i b2 = _mm_xor_si128(ctr_block(s, ctr + 2), k), b3 = _mm_xor_si128(ctr_block(s, ctr + 3), k);
	__m128i b4 = _mm_xor_si128(ctr_block(s, ctr + 4), k), b5 = _mm_xor_si128(ctr_block(s, ctr + 5), k);
	__m128i b6 = _mm_xor_si128(ctr_block(s, ctr + 6), k), b7 = _mm_xor_si128(ctr_block(s, ctr + 7), k);

	for (unsigned int r = 1; r < nr; r++) {
		k = rk[r];
		XMM_ROUND8(_mm_aesenc_si128, k);
	}
	k = rk[nr];
	XMM_ROUND8(_mm_aesenclast_si128, k);
	XMM_OUT(0, b0); XMM_OUT(1, b1); XMM_OUT(2, b2); XMM_OUT(3, b3);
	XMM_OUT(4, b4); XMM_OUT(5, b5); XMM_OUT(6, b6); XMM_OUT(7, b7);
}

/* out = in ^ ks for len bytes, 16 at a time where possible. */
AESNI_TARGET static void xor_keystream(const uint8_t *in, uint8_t *out, const uint8_t *ks, size_t len)
{
	size_t j = 0;

	for (; j + 16 <= len; j += 16)
		_mm_storeu_si128((__m128i *)(out + j), _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + j)),
								     _mm_loadu_si128((const __m128i *)(ks + j))));
	for (; j < len; j++)
		out[j] = in[j] ^ ks[j];
}

/*
 * The last partial group: eight blocks are computed in parallel (no slower
 * than one, whose latency is all rounds), then len < 128 bytes are used.
 */
AESNI_TARGET static void aesni_tail(const __m128i *rk, unsigned int nr, __m128i s, uint64_t ctr, const uint8_t *in,
				    uint8_t *out, size_t len)
{
	uint8_t ks[128];

	memset(ks, 0, sizeof(ks));
	aesni_8blocks(rk, nr, s, ctr, ks, ks);
	xor_keystream(in, out, ks, len);
	fscrypt_ext__wipe(ks, sizeof(ks));
}

AESNI_TARGET void fscrypt_ext__xctr_aesni(const struct fscrypt_ext__aes_key *k, const uint8_t s_bytes[16],
					  const uint8_t *in, uint8_t *out, size_t len)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	const unsigned int nr = k->rounds;
	const __m128i s = _mm_loadu_si128((const __m128i *)s_bytes);
	uint64_t ctr = 1;

	for (; len >= 128; len -= 128, in += 128, out += 128, ctr += 8)
		aesni_8blocks(rk, nr, s, ctr, in, out);
	if (len)
		aesni_tail(rk, nr, s, ctr, in, out, len);
}

#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

#define VAES_TARGET __attribute__((target("vaes,avx2,aes,sse4.1")))
/* Counter block s ^ le128(i), already XORed with round key 0 (k). */
#define YMM_CTR(c) _mm256_xor_si256(_mm256_xor_si256(s2, c), k)
#define YMM_OUT(i, b) \
	_mm256_storeu_si256((__m256i *)(out + 32 * (i)), _mm256_xor_si256(b, _mm256_loadu_si256((const __m256i *)(in + 32 * (i)))))
#define YMM_KS(i, b) _mm256_storeu_si256((__m256i *)(ks + 32 * (i)), b)

VAES_TARGET static void xctr_vaes_from(const struct fscrypt_ext__aes_key *key, const uint8_t s_bytes[16], uint64_t ctr,
				       const uint8_t *in, uint8_t *out, size_t len)
{
	const unsigned int nr = key->rounds;
	const __m128i s = _mm_loadu_si128((const __m128i *)s_bytes);
	const __m256i s2 = _mm256_broadcastsi128_si256(s);
	const __m256i step = _mm256_set_epi64x(0, 16, 0, 16);
	__m256i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1];
	/* Lane counters (as 64-bit integers, then XORed into s): cj holds blocks ctr+2j and ctr+2j+1. */
	const __m256i base = _mm256_set_epi64x(0, (long long)(ctr + 1), 0, (long long)ctr);
	__m256i c0 = base, c1 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 2, 0, 2));
	__m256i c2 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 4, 0, 4));
	__m256i c3 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 6, 0, 6));
	__m256i c4 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 8, 0, 8));
	__m256i c5 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 10, 0, 10));
	__m256i c6 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 12, 0, 12));
	__m256i c7 = _mm256_add_epi64(base, _mm256_set_epi64x(0, 14, 0, 14));

	if (len > 128) {
		uint8_t ks[256];

		for (unsigned int r = 0; r <= nr; r++)
			rk[r] = _mm256_broadcastsi128_si256(_mm_load_si128((const __m128i *)key->u.hw.enc[r]));
		while (len > 128) {
			__m256i k = rk[0];
			__m256i b0 = YMM_CTR(c0), b1 = YMM_CTR(c1), b2 = YMM_CTR(c2), b3 = YMM_CTR(c3);
			__m256i b4 = YMM_CTR(c4), b5 = YMM_CTR(c5), b6 = YMM_CTR(c6), b7 = YMM_CTR(c7);

			c0 = _mm256_add_epi64(c0, step); c1 = _mm256_add_epi64(c1, step);
			c2 = _mm256_add_epi64(c2, step); c3 = _mm256_add_epi64(c3, step);
			c4 = _mm256_add_epi64(c4, step); c5 = _mm256_add_epi64(c5, step);
			c6 = _mm256_add_epi64(c6, step); c7 = _mm256_add_epi64(c7, step);
			for (unsigned int r = 1; r < nr; r++) {
				k = rk[r];
				XMM_ROUND8(_mm256_aesenc_epi128, k);
			}
			k = rk[nr];
			XMM_ROUND8(_mm256_aesenclast_epi128, k);
			if (len < 256) {
				/* The last group (under 16 blocks): keystream aside, then only what is needed. */
				YMM_KS(0, b0); YMM_KS(1, b1); YMM_KS(2, b2); YMM_KS(3, b3);
				YMM_KS(4, b4); YMM_KS(5, b5); YMM_KS(6, b6); YMM_KS(7, b7);
				xor_keystream(in, out, ks, len);
				fscrypt_ext__wipe(ks, sizeof(ks));
				len = 0;
				break;
			}
			YMM_OUT(0, b0); YMM_OUT(1, b1); YMM_OUT(2, b2); YMM_OUT(3, b3);
			YMM_OUT(4, b4); YMM_OUT(5, b5); YMM_OUT(6, b6); YMM_OUT(7, b7);
			len -= 256;
			in += 256;
			out += 256;
			ctr += 16;
		}
		fscrypt_ext__wipe(rk, sizeof(rk));
	}
	/* Up to 8 blocks left (or a short message): the xmm code finishes with the same counters. */
	if (len) {
		const __m128i *rk128 = (const __m128i *)(const void *)key->u.hw.enc;

		if (len == 128)
			aesni_8blocks(rk128, nr, s, ctr, in, out);
		else
			aesni_tail(rk128, nr, s, ctr, in, out, len);
	}
}

VAES_TARGET void fscrypt_ext__xctr_vaes_avx2(const struct fscrypt_ext__aes_key *key, const uint8_t s_bytes[16],
					     const uint8_t *in, uint8_t *out, size_t len)
{
	xctr_vaes_from(key, s_bytes, 1, in, out, len);
}

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */

#endif /* __x86_64__ && FSCRYPT_EXT_HAVE_AESNI */
