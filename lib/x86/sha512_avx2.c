/* Multi-buffer SHA-512 with AVX2: four independent streams, one per 64-bit lane of a ymm register. */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86)

#include <immintrin.h>

#include "cpu.h"
#include "x86/sha512_x86.h"

#define MB_T __m256i
#define MB_LANES 4
#define MB_TARGET __attribute__((target("avx2")))
#define MB_NAME sha512_avx2_x4
#define MB_ADD(a, b) _mm256_add_epi64((a), (b))
#define MB_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
/* Ch(e, f, g) = ((f ^ g) & e) ^ g; Maj(a, b, c) = ((a ^ b) & (b ^ c)) ^ b. */
#define MB_CH(e, f, g) _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256((f), (g)), (e)), (g))
#define MB_MAJ(a, b, c) _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256((a), (b)), _mm256_xor_si256((b), (c))), (b))
/* AVX2 has no 64-bit rotate: two shifts and an OR. */
#define MB_ROR(x, n) _mm256_or_si256(_mm256_srli_epi64((x), (n)), _mm256_slli_epi64((x), 64 - (n)))
#define MB_SHR(x, n) _mm256_srli_epi64((x), (n))
#define MB_SET1(k) _mm256_set1_epi64x((long long)(k))
#define MB_LOADA(p) _mm256_load_si256((const __m256i *)(const void *)(p))
#define MB_STOREA(p, v) _mm256_store_si256((__m256i *)(void *)(p), (v))

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
};

#endif
