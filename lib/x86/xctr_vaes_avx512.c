/* XCTR for HCTR2 with VAES+AVX-512: 32 keystream blocks in 8 zmm per iteration, round keys in registers, a masked tail. */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512)

#include <immintrin.h>

#include "../crypto/xctr.h"

#define Z_TARGET __attribute__((target("vaes,avx512f,avx512bw,avx512vl,avx2,aes,sse4.1")))
#define ZVEC 8

/* Keystream block i is E(s ^ le128(i)) (i = 1, 2, ...): lane l of counter register j holds i = ctr + 4j + l. */
Z_TARGET static inline __attribute__((always_inline)) void xctr_nr(const struct fscrypt_ext__aes_key *key, const int nr,
								   const uint8_t s_bytes[16], const uint8_t *in,
								   uint8_t *out, size_t len)
{
	const __m512i s = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)s_bytes));
	const __m512i step = _mm512_set_epi64(0, 4 * ZVEC, 0, 4 * ZVEC, 0, 4 * ZVEC, 0, 4 * ZVEC);
	__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1], c[ZVEC];
	volatile __m512i *wipe = rk;
	int j, r;

	for (r = 0; r <= nr; r++)
		rk[r] = _mm512_broadcast_i32x4(_mm_load_si128((const __m128i *)(const void *)key->u.hw.enc[r]));
	for (j = 0; j < ZVEC; j++)
		c[j] = _mm512_set_epi64(0, 4 * j + 4, 0, 4 * j + 3, 0, 4 * j + 2, 0, 4 * j + 1);
	for (; len >= 64 * ZVEC; len -= 64 * ZVEC, in += 64 * ZVEC, out += 64 * ZVEC) {
		__m512i x[ZVEC];

#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++) {
			x[j] = _mm512_ternarylogic_epi64(s, c[j], rk[0], 0x96);
			c[j] = _mm512_add_epi64(c[j], step);
		}
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < ZVEC; j++)
				x[j] = _mm512_aesenc_epi128(x[j], rk[r]);
		}
		/* vaesenclast(x, k) ^ in == vaesenclast(x, k ^ in). */
#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			_mm512_storeu_si512((void *)(out + 64 * j),
					    _mm512_aesenclast_epi128(x[j], _mm512_xor_si512(rk[nr], _mm512_loadu_si512((const void *)(in + 64 * j)))));
	}
	/* Under 32 blocks left: one register at a time, the last one byte-masked. */
	for (j = 0; len; j++) {
		size_t n = len < 64 ? len : 64;
		__mmask64 m = n == 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
		__m512i x = _mm512_ternarylogic_epi64(s, c[j], rk[0], 0x96);

		for (r = 1; r < nr; r++)
			x = _mm512_aesenc_epi128(x, rk[r]);
		x = _mm512_aesenclast_epi128(x, _mm512_xor_si512(rk[nr], _mm512_maskz_loadu_epi8(m, in)));
		_mm512_mask_storeu_epi8(out, m, x);
		len -= n, in += n, out += n;
	}
	for (r = 0; r <= FSCRYPT_EXT__AES_MAX_ROUNDS; r++)
		wipe[r] = _mm512_setzero_si512();
}

Z_TARGET void fscrypt_ext__xctr_vaes_avx512(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
					    uint8_t *out, size_t len)
{
	if (k->rounds == 14)
		xctr_nr(k, 14, s, in, out, len);
	else if (k->rounds == 10)
		xctr_nr(k, 10, s, in, out, len);
	else
		xctr_nr(k, 12, s, in, out, len);
}

#endif
