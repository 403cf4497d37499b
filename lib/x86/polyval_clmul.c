/* POLYVAL on x86-64 with PCLMULQDQ (xmm, 8 blocks per reduction) and VPCLMULQDQ+AVX2 (ymm, 16 per reduction). */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)

#include "../cpu.h"
#include "clmul_x86.h"

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

#define LOAD_POWER(i) _mm_load_si128((const __m128i *)k->powers[(i) - 1])
#define KARA_BLOCK(j, h, hk) kara_acc128(_mm_loadu_si128((const __m128i *)(data + 16 * (j))), h, hk, &lo, &mid, &hi)

/* Eight blocks per reduction (block j gets h^(8-j)), Karatsuba: three products per block. */
PCLMUL_TARGET static void pclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);

	if (nblocks >= 8) {
		const __m128i h1 = LOAD_POWER(1), h2 = LOAD_POWER(2), h3 = LOAD_POWER(3), h4 = LOAD_POWER(4);
		const __m128i h5 = LOAD_POWER(5), h6 = LOAD_POWER(6), h7 = LOAD_POWER(7), h8 = LOAD_POWER(8);
		__m128i kk[8] = { kara_key128(h1), kara_key128(h2), kara_key128(h3), kara_key128(h4),
				  kara_key128(h5), kara_key128(h6), kara_key128(h7), kara_key128(h8) };

		for (; nblocks >= 8; nblocks -= 8, data += 128) {
			__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

			kara_acc128(_mm_xor_si128(a, _mm_loadu_si128((const __m128i *)data)), h8, kk[7], &lo, &mid, &hi);
			KARA_BLOCK(1, h7, kk[6]);
			KARA_BLOCK(2, h6, kk[5]);
			KARA_BLOCK(3, h5, kk[4]);
			KARA_BLOCK(4, h4, kk[3]);
			KARA_BLOCK(5, h3, kk[2]);
			KARA_BLOCK(6, h2, kk[1]);
			KARA_BLOCK(7, h1, kk[0]);
			a = kara_finish128(lo, mid, hi);
		}
		/* h^k are key material: no copy stays on the stack. */
		fscrypt_ext__wipe(kk, sizeof(kk));
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
	.needs = FSCRYPT_EXT__CPU_PCLMUL,
	.available = pclmul_available,
	.setkey = clmul_setkey,
	.update = pclmul_update,
};

#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

/*
 * The last r (1..15) blocks with one reduction: pairs in ymm (block j gets
 * h^(r-j)), an odd last block in xmm; the accumulator joins block 0.
 */
VPCLMUL_TARGET static __m128i vpclmul_tail(const struct fscrypt_ext__polyval_key *k, __m128i a, const uint8_t *data,
					   size_t r)
{
	__m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
	__m128i lo1 = _mm_setzero_si128(), mid1 = lo1, hi1 = lo1;
	size_t j = 0;

	for (; j + 2 <= r; j += 2) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(data + 16 * j));

		if (j == 0)
			x = _mm256_xor_si256(x, _mm256_zextsi128_si256(a));
		mul_acc256(x, ymm_pair(k, (int)(r - j), (int)(r - j - 1)), &lo, &mid, &hi);
	}
	if (j < r) {
		/* The odd last block gets h^1 (and the accumulator if it is the only block). */
		__m128i x = _mm_loadu_si128((const __m128i *)(data + 16 * j));

		if (j == 0)
			x = _mm_xor_si128(x, a);
		mul_acc128(x, _mm_load_si128((const __m128i *)k->powers[0]), &lo1, &mid1, &hi1);
	}
	return finish128(_mm_xor_si128(fold_lanes(lo), lo1), _mm_xor_si128(fold_lanes(mid), mid1),
			 _mm_xor_si128(fold_lanes(hi), hi1));
}

/*
 * Sixteen blocks per reduction, two per ymm: the low lane of each pair holds
 * the earlier block and gets the higher power of h (Karatsuba, three
 * products per block). The last up to fifteen blocks take one more reduction.
 */
VPCLMUL_TARGET static void vpclmul_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
					  size_t nblocks)
{
	__m128i a = _mm_loadu_si128((const __m128i *)acc);

	if (nblocks >= 16) {
		const __m256i hgf = ymm_pair(k, 16, 15), hed = ymm_pair(k, 14, 13);
		const __m256i hcb = ymm_pair(k, 12, 11), ha9 = ymm_pair(k, 10, 9);
		const __m256i h87 = ymm_pair(k, 8, 7), h65 = ymm_pair(k, 6, 5);
		const __m256i h43 = ymm_pair(k, 4, 3), h21 = ymm_pair(k, 2, 1);
		__m256i kk[8] = { kara_key(hgf), kara_key(hed), kara_key(hcb), kara_key(ha9),
				  kara_key(h87), kara_key(h65), kara_key(h43), kara_key(h21) };

		for (; nblocks >= 16; nblocks -= 16, data += 256) {
			__m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
			__m256i x0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)data), _mm256_zextsi128_si256(a));

			kara_acc256(x0, hgf, kk[0], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 32)), hed, kk[1], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 64)), hcb, kk[2], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 96)), ha9, kk[3], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 128)), h87, kk[4], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 160)), h65, kk[5], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 192)), h43, kk[6], &lo, &mid, &hi);
			kara_acc256(_mm256_loadu_si256((const __m256i *)(data + 224)), h21, kk[7], &lo, &mid, &hi);
			a = kara_finish(lo, mid, hi);
		}
		/* h^k are key material: no copy stays on the stack. */
		fscrypt_ext__wipe(kk, sizeof(kk));
	}
	if (nblocks)
		a = vpclmul_tail(k, a, data, nblocks);
	_mm_storeu_si128((__m128i *)acc, a);
}

static int vpclmul_available(void)
{
	unsigned int need = FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_vpclmul = {
	.name = "vpclmul-avx2",
	.needs = FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2,
	.available = vpclmul_available,
	.setkey = clmul_setkey,
	.update = vpclmul_update,
};

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */

#endif /* __x86_64__ && FSCRYPT_EXT_HAVE_AESNI */
