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

/* Up to 16 blocks with one reduction: block j of r is multiplied by h^(r-j), the accumulator joins block 0. */
PCLMUL_TARGET static __m128i pclmul_tail(const struct fscrypt_ext__polyval_key *k, __m128i a, const uint8_t *data, size_t r)
{
	__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

	a = _mm_xor_si128(a, _mm_loadu_si128((const __m128i *)data));
	for (size_t j = 0; j < r; j++) {
		__m128i x = j ? _mm_loadu_si128((const __m128i *)(data + 16 * j)) : a;

		mul_acc128(x, _mm_load_si128((const __m128i *)k->powers[r - 1 - j]), &lo, &mid, &hi);
	}
	return finish128(lo, mid, hi);
}

PCLMUL_TARGET static void pclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);
	if (nblocks >= 8) {
		const __m128i h1 = _mm_load_si128((const __m128i *)k->powers[0]);
		const __m128i h2 = _mm_load_si128((const __m128i *)k->powers[1]);
		const __m128i h3 = _mm_load_si128((const __m128i *)k->powers[2]);
		const __m128i h4 = _mm_load_si128((const __m128i *)k->powers[3]);
		const __m128i h5 = _mm_load_si128((const __m128i *)k->powers[4]);
		const __m128i h6 = _mm_load_si128((const __m128i *)k->powers[5]);
		const __m128i h7 = _mm_load_si128((const __m128i *)k->powers[6]);
		const __m128i h8 = _mm_load_si128((const __m128i *)k->powers[7]);

		for (; nblocks >= 8; nblocks -= 8, data += 128) {
			__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

			/* Block j of the eight is multiplied by h^(8-j); the accumulator joins block 0. */
			mul_acc128(_mm_xor_si128(a, _mm_loadu_si128((const __m128i *)data)), h8, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 16)), h7, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 32)), h6, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 48)), h5, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 64)), h4, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 80)), h3, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 96)), h2, &lo, &mid, &hi);
			mul_acc128(_mm_loadu_si128((const __m128i *)(data + 112)), h1, &lo, &mid, &hi);
			a = finish128(lo, mid, hi);
		}
	}
	if (nblocks)
		a = pclmul_tail(k, a, data, nblocks);
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

/*
 * Sixteen blocks per reduction, two per ymm: the low lane of each pair holds
 * the earlier block and gets the higher power of h. Fewer than sixteen left:
 * one group of eight with the low eight powers, then the xmm tail.
 */
VPCLMUL_TARGET static void vpclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					  size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);

	if (nblocks >= 8) {
		const __m256i h87 = ymm_pair(k, 8, 7), h65 = ymm_pair(k, 6, 5);
		const __m256i h43 = ymm_pair(k, 4, 3), h21 = ymm_pair(k, 2, 1);

		if (nblocks >= 16) {
			const __m256i hgf = ymm_pair(k, 16, 15), hed = ymm_pair(k, 14, 13);
			const __m256i hcb = ymm_pair(k, 12, 11), ha9 = ymm_pair(k, 10, 9);
			const __m256i kk[8] = { kara_key(hgf), kara_key(hed), kara_key(hcb), kara_key(ha9),
						kara_key(h87), kara_key(h65), kara_key(h43), kara_key(h21) };

			for (; nblocks >= 16; nblocks -= 16, data += 256) {
				__m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
				__m256i x0;

				/* The accumulator's pair comes last: only it waits for the previous reduction. */
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 32)), hed, kk[1], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 64)), hcb, kk[2], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 96)), ha9, kk[3], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 128)), h87, kk[4], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 160)), h65, kk[5], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 192)), h43, kk[6], &lo, &mid, &hi);
				kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 224)), h21, kk[7], &lo, &mid, &hi);
				x0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)data), _mm256_zextsi128_si256(a));
				kara_acc256(x0, hgf, kk[0], &lo, &mid, &hi);
				a = kara_finish(lo, mid, hi);
			}
		}
		if (nblocks >= 8) {
			__m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
			__m256i x0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)data), _mm256_zextsi128_si256(a));

			mul_acc256(x0, h87, &lo, &mid, &hi);
			mul_acc256(_mm256_loadu_si256((const __m256i *)(data + 32)), h65, &lo, &mid, &hi);
			mul_acc256(_mm256_loadu_si256((const __m256i *)(data + 64)), h43, &lo, &mid, &hi);
			mul_acc256(_mm256_loadu_si256((const __m256i *)(data + 96)), h21, &lo, &mid, &hi);
			a = finish128(fold_lanes(lo), fold_lanes(mid), fold_lanes(hi));
			nblocks -= 8;
			data += 128;
		}
	}
	if (nblocks)
		a = pclmul_tail(k, a, data, nblocks);
	_mm_storeu_si128((__m128i *)acc, a);
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
