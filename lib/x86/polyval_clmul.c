/* POLYVAL on x86-64 with PCLMULQDQ (xmm) and VPCLMULQDQ+AVX2 (ymm): eight blocks per reduction using h^1..h^8. */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)

#include <immintrin.h>

#include "../cpu.h"
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

PCLMUL_TARGET static inline __m128i finish128(__m128i lo, __m128i mid, __m128i hi)
{
	lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
	hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
	return reduce128(lo, hi);
}

PCLMUL_TARGET static void pclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);
	__m128i h[FSCRYPT_EXT__POLYVAL_POWERS];

	for (int i = 0; i < FSCRYPT_EXT__POLYVAL_POWERS; i++)
		h[i] = _mm_load_si128((const __m128i *)k->powers[i]);
	for (; nblocks >= 8; nblocks -= 8, data += 128) {
		__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

		mul_acc128(_mm_xor_si128(a, _mm_loadu_si128((const __m128i *)data)), h[7], &lo, &mid, &hi);
		for (int j = 1; j < 8; j++)
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 16 * j)), h[7 - j], &lo, &mid, &hi);
		a = finish128(lo, mid, hi);
	}
	for (; nblocks; nblocks--, data += 16) {
		__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

		mul_acc128(_mm_xor_si128(a, _mm_loadu_si128((const __m128i *)data)), h[0], &lo, &mid, &hi);
		a = finish128(lo, mid, hi);
	}
	_mm_storeu_si128((__m128i *)acc, a);
}

static int pclmul_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_PCLMUL) != 0;
}

static void clmul_setkey(struct fscrypt_ext__polyval_key *k)
{
	(void)k; /* the generic setkey already stored h^1..h^8 in the layout used here */
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_pclmul = {
	.name = "pclmul",
	.available = pclmul_available,
	.setkey = clmul_setkey,
	.update = pclmul_update,
};

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
VPCLMUL_TARGET static void vpclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					  size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);
	__m256i h[4];

	for (int j = 0; j < 4; j++)
		h[j] = _mm256_set_m128i(_mm_load_si128((const __m128i *)k->powers[6 - 2 * j]),
					_mm_load_si128((const __m128i *)k->powers[7 - 2 * j]));
	for (; nblocks >= 8; nblocks -= 8, data += 128) {
		__m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
		__m256i x0 = _mm256_loadu_si256((const __m256i *)data);

		x0 = _mm256_xor_si256(x0, _mm256_zextsi128_si256(a));
		mul_acc256(x0, h[0], &lo, &mid, &hi);
		for (int j = 1; j < 4; j++)
			mul_acc256(_mm256_loadu_si256((const __m256i *)(data + 32 * j)), h[j], &lo, &mid, &hi);
		a = finish128(_mm_xor_si128(_mm256_castsi256_si128(lo), _mm256_extracti128_si256(lo, 1)),
			      _mm_xor_si128(_mm256_castsi256_si128(mid), _mm256_extracti128_si256(mid, 1)),
			      _mm_xor_si128(_mm256_castsi256_si128(hi), _mm256_extracti128_si256(hi, 1)));
	}
	_mm_storeu_si128((__m128i *)acc, a);
	if (nblocks)
		pclmul_update(k, acc, data, nblocks);
}

static int vpclmul_available(void)
{
	unsigned int need = FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_vpclmul = {
	.name = "vpclmul-avx2",
	.available = vpclmul_available,
	.setkey = clmul_setkey,
	.update = vpclmul_update,
};

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */

#endif /* __x86_64__ && FSCRYPT_EXT_HAVE_AESNI */
