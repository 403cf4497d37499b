/* Internal carry-less multiply helpers for POLYVAL on x86-64 (PCLMULQDQ, VPCLMULQDQ), shared by the POLYVAL and fused HCTR2 code. */
#ifndef FSCRYPT_EXT_X86_CLMUL_X86_H
#define FSCRYPT_EXT_X86_CLMUL_X86_H

#include <immintrin.h>

#include "../crypto/polyval.h"

#define PCLMUL_TARGET __attribute__((target("pclmul,sse2")))

/*
 * Montgomery reduction of the 256-bit product (hi:lo) by x^128 modulo
 * x^128 + x^127 + x^126 + x^121 + 1: each low 64-bit word w is cleared by
 * adding w * g, i.e. w * 0xc200000000000000 (x^121 + x^126 + x^127 seen from
 * the next word) plus w itself two words up (x^128).
 */
PCLMUL_TARGET static inline __m128i reduce128(__m128i lo, __m128i hi)
{
	const __m128i g = _mm_set_epi64x(0, (long long)0xc200000000000000ULL);
	__m128i t = _mm_clmulepi64_si128(lo, g, 0x00);
	__m128i s = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), t);
	__m128i u = _mm_clmulepi64_si128(s, g, 0x00);

	return _mm_xor_si128(_mm_xor_si128(hi, _mm_shuffle_epi32(s, 0x4e)), u);
}

/* Schoolbook 128x128 product, accumulated unreduced into lo, mid, hi. */
PCLMUL_TARGET static inline void mul_acc128(__m128i x, __m128i h, __m128i *lo, __m128i *mid, __m128i *hi)
{
	*lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(x, h, 0x00));
	*hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(x, h, 0x11));
	*mid = _mm_xor_si128(*mid, _mm_xor_si128(_mm_clmulepi64_si128(x, h, 0x01), _mm_clmulepi64_si128(x, h, 0x10)));
}

/* Karatsuba form: hk holds h_lo ^ h_hi in its low half; mid is corrected once, after summing (kara_finish128). */
PCLMUL_TARGET static inline void kara_acc128(__m128i x, __m128i h, __m128i hk, __m128i *lo, __m128i *mid, __m128i *hi)
{
	__m128i xk = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e));

	*lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(x, h, 0x00));
	*hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(x, h, 0x11));
	*mid = _mm_xor_si128(*mid, _mm_clmulepi64_si128(xk, hk, 0x00));
}

PCLMUL_TARGET static inline __m128i kara_key128(__m128i h)
{
	return _mm_xor_si128(h, _mm_shuffle_epi32(h, 0x4e));
}

PCLMUL_TARGET static inline __m128i finish128(__m128i lo, __m128i mid, __m128i hi)
{
	lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
	hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
	return reduce128(lo, hi);
}

PCLMUL_TARGET static inline __m128i kara_finish128(__m128i lo, __m128i mid, __m128i hi)
{
	return finish128(lo, _mm_xor_si128(mid, _mm_xor_si128(lo, hi)), hi);
}

#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

#define VPCLMUL_TARGET __attribute__((target("vpclmulqdq,avx2,pclmul")))

VPCLMUL_TARGET static inline void mul_acc256(__m256i x, __m256i h, __m256i *lo, __m256i *mid, __m256i *hi)
{
	*lo = _mm256_xor_si256(*lo, _mm256_clmulepi64_epi128(x, h, 0x00));
	*hi = _mm256_xor_si256(*hi, _mm256_clmulepi64_epi128(x, h, 0x11));
	*mid = _mm256_xor_si256(*mid, _mm256_xor_si256(_mm256_clmulepi64_epi128(x, h, 0x01),
						       _mm256_clmulepi64_epi128(x, h, 0x10)));
}

/* Two blocks per ymm: lane 0 holds block 2j (times h^(8-2j)), lane 1 block 2j+1 (times h^(7-2j)). */
VPCLMUL_TARGET static inline __m128i fold_lanes(__m256i v)
{
	return _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

/*
 * Karatsuba form: three products per block; hk holds h_lo ^ h_hi in the low
 * half of each lane. The middle terms are corrected once, after summing.
 */
VPCLMUL_TARGET static inline void kara_acc256(__m256i x, __m256i h, __m256i hk, __m256i *lo, __m256i *mid, __m256i *hi)
{
	__m256i xk = _mm256_xor_si256(x, _mm256_shuffle_epi32(x, 0x4e));

	*lo = _mm256_xor_si256(*lo, _mm256_clmulepi64_epi128(x, h, 0x00));
	*hi = _mm256_xor_si256(*hi, _mm256_clmulepi64_epi128(x, h, 0x11));
	*mid = _mm256_xor_si256(*mid, _mm256_clmulepi64_epi128(xk, hk, 0x00));
}

VPCLMUL_TARGET static inline __m256i kara_key(__m256i h)
{
	return _mm256_xor_si256(h, _mm256_shuffle_epi32(h, 0x4e));
}

VPCLMUL_TARGET static inline __m128i kara_finish(__m256i lo, __m256i mid, __m256i hi)
{
	mid = _mm256_xor_si256(mid, _mm256_xor_si256(lo, hi));
	return finish128(fold_lanes(lo), fold_lanes(mid), fold_lanes(hi));
}

VPCLMUL_TARGET static inline __m256i ymm_pair(const struct fscrypt_ext__polyval_key *k, int lo_power, int hi_power)
{
	return _mm256_set_m128i(_mm_load_si128((const __m128i *)k->powers[hi_power - 1]),
				_mm_load_si128((const __m128i *)k->powers[lo_power - 1]));
}

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */

#endif
