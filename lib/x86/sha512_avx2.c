/* Multi-buffer SHA-512 with AVX2: four independent streams, one per 64-bit lane of a ymm register. */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86)

#include <immintrin.h>

#include "cpu.h"
#include "x86/sha512_x86.h"

#define MB_T __m256i
#define MB_LANES 4
#define MB_TARGET __attribute__((target("avx2")))
#define MB_NAME sha512_avx2_x4
#define MB_FIX sha512_avx2_x4_fix
#define MB_HMAC_NAME hmac512_avx2_x4
#define MB_WIPE_MEMORY 1
#define MB_ADD(a, b) _mm256_add_epi64((a), (b))
#define MB_XOR(a, b) _mm256_xor_si256((a), (b))
#define MB_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
/* AVX2 has no 64-bit rotate: two shifts and an OR; the rotate by 8 is one byte shuffle. */
#define MB_ROR(x, n) _mm256_or_si256(_mm256_srli_epi64((x), (n)), _mm256_slli_epi64((x), 64 - (n)))
#define MB_ROR8(x)                                                                                                   \
	_mm256_shuffle_epi8((x), _mm256_set_epi64x(0x080f0e0d0c0b0a09LL, 0x0007060504030201LL, 0x080f0e0d0c0b0a09LL, \
						   0x0007060504030201LL))
#define MB_SIGMA1(e) MB_XOR3(MB_ROR((e), 14), MB_ROR((e), 18), MB_ROR((e), 41))
#define MB_SIGMA0(a) MB_XOR3(MB_ROR((a), 28), MB_ROR((a), 34), MB_ROR((a), 39))
#define MB_SSIG0(x) MB_XOR3(MB_ROR((x), 1), MB_ROR8(x), _mm256_srli_epi64((x), 7))
#define MB_SSIG1(x) MB_XOR3(MB_ROR((x), 19), MB_ROR((x), 61), _mm256_srli_epi64((x), 6))
/*
 * Ch(e, f, g) = ((f ^ g) & e) ^ g. Maj(a, b, c) = ((a ^ b) & (b ^ c)) ^ b,
 * where b ^ c is the round before's a ^ b: two operations instead of four.
 */
#define MB_CH(e, f, g) _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256((f), (g)), (e)), (g))
#define MB_MAJ(a, b, c, ab, bc) ((void)(c), _mm256_xor_si256(_mm256_and_si256((ab), (bc)), (b)))
#define MB_SET1(k) _mm256_set1_epi64x((long long)(k))

/* 4x4 transpose of 64-bit words: r[l] holds 4 words of lane l, c[i] word i of every lane (its own inverse). */
MB_TARGET static inline void transpose4(__m256i c[4], const __m256i r[4])
{
	__m256i t0 = _mm256_unpacklo_epi64(r[0], r[1]), t1 = _mm256_unpackhi_epi64(r[0], r[1]);
	__m256i t2 = _mm256_unpacklo_epi64(r[2], r[3]), t3 = _mm256_unpackhi_epi64(r[2], r[3]);

	c[0] = _mm256_permute2x128_si256(t0, t2, 0x20);
	c[1] = _mm256_permute2x128_si256(t1, t3, 0x20);
	c[2] = _mm256_permute2x128_si256(t0, t2, 0x31);
	c[3] = _mm256_permute2x128_si256(t1, t3, 0x31);
}

#define MB_LOAD_STATE(s, st)                                                                                        \
	do {                                                                                                       \
		__m256i r_[4];                                                                                     \
		for (int q_ = 0; q_ < 8; q_ += 4) {                                                                \
			for (int l_ = 0; l_ < 4; l_++)                                                             \
				r_[l_] = _mm256_loadu_si256((const __m256i *)(const void *)((st)[l_] + q_));       \
			transpose4((s) + q_, r_);                                                                  \
		}                                                                                                  \
	} while (0)

#define MB_STORE_STATE(st, s)                                                                                       \
	do {                                                                                                       \
		__m256i r_[4];                                                                                     \
		for (int q_ = 0; q_ < 8; q_ += 4) {                                                                \
			transpose4(r_, (s) + q_);                                                                  \
			for (int l_ = 0; l_ < 4; l_++)                                                             \
				_mm256_storeu_si256((__m256i *)(void *)((st)[l_] + q_), r_[l_]);                   \
		}                                                                                                  \
	} while (0)

/* Big-endian words: a byte reversal inside every 64-bit word. */
#define MB_LOAD_MSG(w, data, off)                                                                                   \
	do {                                                                                                       \
		const __m256i bs_ = _mm256_set_epi64x(0x08090a0b0c0d0e0fLL, 0x0001020304050607LL,                 \
						      0x08090a0b0c0d0e0fLL, 0x0001020304050607LL);                \
		__m256i r_[4];                                                                                     \
		for (int q_ = 0; q_ < 16; q_ += 4) {                                                               \
			for (int l_ = 0; l_ < 4; l_++)                                                             \
				r_[l_] = _mm256_shuffle_epi8(                                                      \
					_mm256_loadu_si256((const __m256i *)(const void *)((data)[l_] + (off) + 8 * q_)), bs_); \
			transpose4((w) + q_, r_);                                                                  \
		}                                                                                                  \
	} while (0)

/* The padded HMAC inner blocks, assembled in memory (AVX2 has no byte-masked loads); wiped after loading. */
#define MB_LOAD_HMAC_MSG(w, msgs, lens)                                                                             \
	do {                                                                                                       \
		uint8_t blk_[4][FSCRYPT_EXT__SHA512_BLOCK];                                                        \
		const uint8_t *p_[4];                                                                              \
		for (int l_ = 0; l_ < 4; l_++) {                                                                   \
			if ((lens)[l_])                                                                            \
				memcpy(blk_[l_], (msgs)[l_], (lens)[l_]);                                          \
			fscrypt_ext__sha512_pad_block(blk_[l_], (lens)[l_], FSCRYPT_EXT__SHA512_BLOCK + (lens)[l_]); \
			p_[l_] = blk_[l_];                                                                         \
		}                                                                                                  \
		MB_LOAD_MSG((w), p_, 0);                                                                           \
		fscrypt_ext__wipe_inline(blk_, sizeof(blk_));                                                      \
	} while (0)

#define MB_STORE_DIGEST(out, s)                                                                                     \
	do {                                                                                                       \
		const __m256i bs_ = _mm256_set_epi64x(0x08090a0b0c0d0e0fLL, 0x0001020304050607LL,                 \
						      0x08090a0b0c0d0e0fLL, 0x0001020304050607LL);                \
		__m256i r_[4];                                                                                     \
		for (int q_ = 0; q_ < 8; q_ += 4) {                                                                \
			transpose4(r_, (s) + q_);                                                                  \
			for (int l_ = 0; l_ < 4; l_++)                                                             \
				_mm256_storeu_si256((__m256i *)(void *)((out)[l_] + 8 * q_),                       \
						    _mm256_shuffle_epi8(r_[l_], bs_));                             \
		}                                                                                                  \
	} while (0)

#include "x86/sha512_mb_template.h"

static int avx2_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_BMI2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx2 = {
	.name = "avx2-x4",
	.needs = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_BMI2,
	.available = avx2_available,
	.blocks = FSCRYPT_EXT__SHA512_AVX2_ONE_STREAM,
	.hmac_block = FSCRYPT_EXT__SHA512_AVX2_HMAC,
	.lanes = 4,
	.blocks_multi = sha512_avx2_x4,
	.hmac_multi = hmac512_avx2_x4,
};

#endif
