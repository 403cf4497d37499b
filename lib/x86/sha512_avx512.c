/* Multi-buffer SHA-512 with AVX-512: eight streams per zmm register, native 64-bit rotates (vprorq) and 3-input logic (vpternlogq). */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86)

#include <immintrin.h>

#include "cpu.h"
#include "x86/sha512_x86.h"

#define MB_T __m512i
#define MB_LANES 8
#define MB_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx2")))
#define MB_NAME sha512_avx512_x8
#define MB_ADD(a, b) _mm512_add_epi64((a), (b))
/* vpternlogq truth tables (bit index = 4a + 2b + c): 0x96 a^b^c, 0xca a?b:c (Ch), 0xe8 majority. */
#define MB_XOR3(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0x96)
#define MB_CH(e, f, g) _mm512_ternarylogic_epi64((e), (f), (g), 0xca)
#define MB_MAJ(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0xe8)
#define MB_ROR(x, n) _mm512_ror_epi64((x), (n))
#define MB_SHR(x, n) _mm512_srli_epi64((x), (n))
#define MB_SET1(k) _mm512_set1_epi64((long long)(k))
#define MB_LOADA(p) _mm512_load_si512((const void *)(p))
#define MB_STOREA(p, v) _mm512_store_si512((void *)(p), (v))

#include "x86/sha512_mb_template.h"

static int avx512_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512 |
				  FSCRYPT_EXT__CPU_BMI2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx512 = {
	.name = "avx512-x8",
	.needs = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512 | FSCRYPT_EXT__CPU_BMI2,
	.available = avx512_available,
	.blocks = FSCRYPT_EXT__SHA512_AVX512_ONE_STREAM,
	.hmac_block = FSCRYPT_EXT__SHA512_AVX512_HMAC,
	.lanes = 8,
	.blocks_multi = sha512_avx512_x8,
};

#endif
