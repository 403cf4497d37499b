/* NH (Adiantum parameters) with AVX2: two 16-byte units per vector, key words stored pre-permuted for vpmuludq. */
#if defined(__x86_64__)

#include <immintrin.h>

#include "../cpu.h"
#include "../crypto/le_fast.h"
#include "../crypto/nh.h"

#define AVX2_TARGET __attribute__((target("avx2")))

/*
 * Each 16-byte unit is handled as words (0, 2, 1, 3): the message by one
 * vpshufd per 32 bytes, the key once at key setup. A sum t = m + k then
 * holds the stride-2 pairs in the low and high halves of each 64-bit lane,
 * so vpmuludq(t, t >> 32) gives t0 * t2 and t1 * t3 directly.
 */
static void nh_avx2_load_key(uint32_t *key, const uint8_t *bytes)
{
	size_t i;

	for (i = 0; i < FSCRYPT_EXT__NH_KEY_WORDS; i += 4) {
		key[i] = fscrypt_ext__load_le32(bytes + 4 * i);
		key[i + 1] = fscrypt_ext__load_le32(bytes + 4 * i + 8);
		key[i + 2] = fscrypt_ext__load_le32(bytes + 4 * i + 4);
		key[i + 3] = fscrypt_ext__load_le32(bytes + 4 * i + 12);
	}
}

#define NH_PASS(m, kp, acc)                                                                          \
	do {                                                                                         \
		__m256i t_ = _mm256_add_epi32(m, kp);                                                \
		acc = _mm256_add_epi64(acc, _mm256_mul_epu32(t_, _mm256_srli_epi64(t_, 32)));        \
	} while (0)

AVX2_TARGET static void nh_avx2_hash(const uint32_t *key, const uint8_t *msg, size_t len,
				     uint8_t out[FSCRYPT_EXT__NH_HASH_BYTES])
{
	const uint8_t *k = (const uint8_t *)key;
	__m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
	__m256i a2 = _mm256_setzero_si256(), a3 = _mm256_setzero_si256();
	__m256i m, x01, x23;
	__m128i r01, r23;

	for (; len >= 32; len -= 32, msg += 32, k += 32) {
		m = _mm256_shuffle_epi32(_mm256_loadu_si256((const __m256i *)msg), 0xd8);
		NH_PASS(m, _mm256_loadu_si256((const __m256i *)k), a0);
		NH_PASS(m, _mm256_loadu_si256((const __m256i *)(k + 16)), a1);
		NH_PASS(m, _mm256_loadu_si256((const __m256i *)(k + 32)), a2);
		NH_PASS(m, _mm256_loadu_si256((const __m256i *)(k + 48)), a3);
	}
	if (len != 0) {
		/* One unit left: it runs in the low lane; the zero high lane adds zero products. */
		m = _mm256_zextsi128_si256(_mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)msg), 0xd8));
		NH_PASS(m, _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)k)), a0);
		NH_PASS(m, _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 16))), a1);
		NH_PASS(m, _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 32))), a2);
		NH_PASS(m, _mm256_zextsi128_si256(_mm_loadu_si128((const __m128i *)(k + 48))), a3);
	}
	/* Pass p's sum is the sum of the four 64-bit lanes of a<p>. */
	x01 = _mm256_add_epi64(_mm256_unpacklo_epi64(a0, a1), _mm256_unpackhi_epi64(a0, a1));
	x23 = _mm256_add_epi64(_mm256_unpacklo_epi64(a2, a3), _mm256_unpackhi_epi64(a2, a3));
	r01 = _mm_add_epi64(_mm256_castsi256_si128(x01), _mm256_extracti128_si256(x01, 1));
	r23 = _mm_add_epi64(_mm256_castsi256_si128(x23), _mm256_extracti128_si256(x23, 1));
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
	.needs = FSCRYPT_EXT__CPU_AVX2,
	.available = nh_avx2_available,
	.load_key = nh_avx2_load_key,
	.hash = nh_avx2_hash,
};

#endif
