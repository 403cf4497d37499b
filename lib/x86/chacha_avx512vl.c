/* ChaCha with AVX-512VL on 256-bit vectors: the AVX2 eight-block code with single-instruction rotations and 32 registers. */
#if defined(__x86_64__)

#include <immintrin.h>

#include "../cpu.h"
#include "../crypto/chacha.h"

#define CHACHA_X8_TARGET __attribute__((target("avx2,avx512f,avx512vl")))
#define CHACHA_X8_NAME(x) chacha_avx512vl_##x
#define CHACHA_X8_CONSTANTS
#define CHACHA_X8_ROTL16(x) _mm256_rol_epi32(x, 16)
#define CHACHA_X8_ROTL8(x) _mm256_rol_epi32(x, 8)
#define CHACHA_X8_ROTL(x, n) _mm256_rol_epi32(x, n)

#include "chacha_x8_template.h"

/*
 * lib/cpu.h has no AVX-512 bit; the compiler runtime's check includes the
 * OS-enabled ZMM/opmask state (XCR0), so the result is safe to act on.
 */
static int chacha_avx512vl_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_AVX2) != 0 &&
	       __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}

const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_avx512vl = {
	.name = "avx512vl",
	.needs = FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512,
	.available = chacha_avx512vl_available,
	.xor_stream = chacha_avx512vl_xor,
};

#endif
