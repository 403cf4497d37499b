/* ChaCha with AVX2: eight blocks in parallel, one block per 32-bit lane (Adiantum's XChaCha12 on x86-64). */
#if defined(__x86_64__)

#include <immintrin.h>

#include "../cpu.h"
#include "../crypto/chacha.h"

/* Rotations by 16 and 8 are byte shuffles, cheaper than two shifts and an or. */
#define ROT16_MASK _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2, \
				   13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2)
#define ROT8_MASK _mm256_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3, \
				  14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3)

#define CHACHA_X8_TARGET __attribute__((target("avx2")))
#define CHACHA_X8_NAME(x) chacha_avx2_##x
#define CHACHA_X8_CONSTANTS const __m256i r16 = ROT16_MASK, r8 = ROT8_MASK;
#define CHACHA_X8_ROTL16(x) _mm256_shuffle_epi8(x, r16)
#define CHACHA_X8_ROTL8(x) _mm256_shuffle_epi8(x, r8)
#define CHACHA_X8_ROTL(x, n) _mm256_or_si256(_mm256_slli_epi32(x, n), _mm256_srli_epi32(x, 32 - (n)))

#include "chacha_x8_template.h"

static int chacha_avx2_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_AVX2) != 0;
}

const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_avx2 = {
	.name = "avx2",
	.needs = FSCRYPT_EXT__CPU_AVX2,
	.available = chacha_avx2_available,
	.xor_stream = chacha_avx2_xor,
};

#endif
