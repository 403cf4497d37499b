/* POLYVAL with VPCLMULQDQ on zmm: sixteen blocks per reduction, four per register (Karatsuba, three products per block). */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

#include "../cpu.h"
#include "clmul_x86.h"

#define Z_TARGET __attribute__((target("vpclmulqdq,avx512f,avx512bw,avx512vl,avx2,pclmul")))

/* Lane l of the result holds h^(p - l): the earliest block of a register gets the highest power. */
Z_TARGET static inline __m512i zmm_powers(const struct fscrypt_ext__polyval_key *k, int p)
{
	return _mm512_inserti64x4(_mm512_castsi256_si512(ymm_pair(k, p, p - 1)), ymm_pair(k, p - 2, p - 3), 1);
}

Z_TARGET static inline __m512i zkey(__m512i h)
{
	return _mm512_xor_si512(h, _mm512_shuffle_epi32(h, (_MM_PERM_ENUM)0x4e));
}

Z_TARGET static inline void zkara(__m512i x, __m512i h, __m512i hk, __m512i *lo, __m512i *mid, __m512i *hi)
{
	__m512i xk = _mm512_xor_si512(x, _mm512_shuffle_epi32(x, (_MM_PERM_ENUM)0x4e));

	*lo = _mm512_xor_si512(*lo, _mm512_clmulepi64_epi128(x, h, 0x00));
	*hi = _mm512_xor_si512(*hi, _mm512_clmulepi64_epi128(x, h, 0x11));
	*mid = _mm512_xor_si512(*mid, _mm512_clmulepi64_epi128(xk, hk, 0x00));
}

Z_TARGET static inline __m128i zfold(__m512i v)
{
	__m256i y = _mm256_xor_si256(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));

	return _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
}

Z_TARGET static void z_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
			      size_t nblocks)
{
	if (nblocks >= 16) {
		__m512i h[4], hk[4];
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)acc);
		volatile __m512i *wipe;

		for (int j = 0; j < 4; j++) {
			h[j] = zmm_powers(k, 16 - 4 * j);
			hk[j] = zkey(h[j]);
		}
		for (; nblocks >= 16; nblocks -= 16, data += 256) {
			__m512i lo = _mm512_setzero_si512(), mid = lo, hi = lo;
			__m512i x0 = _mm512_xor_si512(_mm512_loadu_si512((const void *)data), _mm512_zextsi128_si512(a));

			zkara(x0, h[0], hk[0], &lo, &mid, &hi);
			zkara(_mm512_loadu_si512((const void *)(data + 64)), h[1], hk[1], &lo, &mid, &hi);
			zkara(_mm512_loadu_si512((const void *)(data + 128)), h[2], hk[2], &lo, &mid, &hi);
			zkara(_mm512_loadu_si512((const void *)(data + 192)), h[3], hk[3], &lo, &mid, &hi);
			mid = _mm512_xor_si512(mid, _mm512_xor_si512(lo, hi));
			a = finish128(zfold(lo), zfold(mid), zfold(hi));
		}
		_mm_storeu_si128((__m128i *)(void *)acc, a);
		/* Powers of h are key material: no copy stays on the stack. */
		wipe = h;
		for (int j = 0; j < 4; j++)
			wipe[j] = _mm512_setzero_si512();
		wipe = hk;
		for (int j = 0; j < 4; j++)
			wipe[j] = _mm512_setzero_si512();
	}
	/* The last up to fifteen blocks: the ymm code, same key layout (h^1..h^16). */
	if (nblocks)
		fscrypt_ext__polyval_vpclmul.update(k, acc, data, nblocks);
}

static int z_available(void)
{
	unsigned int need = FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2 |
			    FSCRYPT_EXT__CPU_AVX512;

	return (fscrypt_ext__cpu_features() & need) == need;
}

static void z_setkey(struct fscrypt_ext__polyval_key *k)
{
	fscrypt_ext__polyval_vpclmul.setkey(k);
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_vpclmul_avx512 = {
	.name = "vpclmul-avx512",
	.needs = FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512,
	.available = z_available,
	.setkey = z_setkey,
	.update = z_update,
};

#endif
