/* NH (Adiantum parameters) with AVX2: two 16-byte units per vector, the four passes paired by 64-bit unpacks. */
#if defined(__x86_64__)

#include <immintrin.h>

#include "../cpu.h"
#include "../crypto/nh.h"

#define AVX2_TARGET __attribute__((target("avx2")))

/*
 * For passes p and q: t = message + key shifted by p (or q) units. Unpacking
 * the 64-bit halves of tp and tq puts words (0,1) of both next to words (2,3),
 * so one vpmuludq gives the word-0 x word-2 products of both passes and a
 * second, after a 32-bit shift, the word-1 x word-3 products.
 */
#define NH_PAIR(m, kp, kq, acc_a, acc_b)                                                 \
	do {                                                                             \
		__m256i tp = _mm256_add_epi32(m, kp), tq = _mm256_add_epi32(m, kq);      \
		__m256i lo = _mm256_unpacklo_epi64(tp, tq), hi = _mm256_unpackhi_epi64(tp, tq); \
		acc_a = _mm256_add_epi64(acc_a, _mm256_mul_epu32(lo, hi));               \
		acc_b = _mm256_add_epi64(acc_b, _mm256_mul_epu32(_mm256_srli_epi64(lo, 32), \
								 _mm256_srli_epi64(hi, 32))); \
	} while (0)

AVX2_TARGET static void nh_avx2_hash(const uint32_t *key, const uint8_t *msg, size_t len,
				     uint8_t out[FSCRYPT_EXT__NH_HASH_BYTES])
{
	const uint8_t *k = (const uint8_t *)key;
	__m256i a01 = _mm256_setzero_si256(), b01 = _mm256_setzero_si256();
	__m256i a23 = _mm256_setzero_si256(), b23 = _mm256_setzero_si256();
	__m256i m, k0, k1, k2, k3, s01, s23;
	__m128i r01, r23;

	for (; len >= 32; len -= 32, msg += 32, k += 32) {
		m = _mm256_loadu_si256((const __m256i *)msg);
		k0 = _mm256_loadu_si256((const __m256i *)k);
		k1 = _mm256_loadu_si256((const __m256i *)(k + 16));
		k2 = _mm256_loadu_si256((const __m256i *)(k + 32));
		k3 = _mm256_loadu_si256((const __m256i *)(k + 48));
		NH_PAIR(m, k0, k1, a01, b01);
		NH_PAIR(m, k2, k3, a23, b23);
	}
	if (len != 0) {
		/* One unit left: it runs in the low lane; the zero high lane adds zero products. */
		m = _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)msg));
		k0 = _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)k));
		k1 = _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 16)));
		k2 = _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 32)));
		k3 = _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 48)));
		NH_PAIR(m, k0, k1, a01, b01);
		NH_PAIR(m, k2, k3, a23, b23);
	}
	s01 = _mm256_add_epi64(a01, b01);
	s23 = _mm256_add_epi64(a23, b23);
	r01 = _mm_add_epi64(_mm256_castsi256_si128(s01), _mm256_extracti128_si256(s01, 1));
	r23 = _mm_add_epi64(_mm256_castsi256_si128(s23), _mm256_extracti128_si256(s23, 1));
	/* x86 is little-endian: the lanes are the four le64 sums in pass order. */
	_mm_storeu_si128((__m128i *)out, r01);
	_mm_storeu_si128((__m128i *)(out + 16), r23);
}

static int nh_avx2_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_AVX2) != 0;
}

const struct fscrypt_ext__nh_impl fscrypt_ext__nh_avx2 = {
	.name = "avx2",
	.available = nh_avx2_available,
	.hash = nh_avx2_hash,
};

#endif
