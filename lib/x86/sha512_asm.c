/* Dispatch rows for the assembly SHA-512 compressions (sha512_x86_64.S): AVX2 and AVX-512VL message schedules, BMI2 rounds. */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86) && defined(FSCRYPT_EXT_HAVE_SHA512_ASM)

#include "cpu.h"
#include "x86/sha512_x86.h"

#define NEEDS_AVX2 (FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_BMI2)
#define NEEDS_AVX512 (NEEDS_AVX2 | FSCRYPT_EXT__CPU_AVX512)

static int avx2_asm_available(void)
{
	return (fscrypt_ext__cpu_features() & NEEDS_AVX2) == NEEDS_AVX2;
}

static int avx512_asm_available(void)
{
	return (fscrypt_ext__cpu_features() & NEEDS_AVX512) == NEEDS_AVX512;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx512_asm = {
	.name = "avx512-asm",
	.needs = NEEDS_AVX512,
	.available = avx512_asm_available,
	.blocks = fscrypt_ext__sha512_x86_blocks_avx512vl,
	.lanes = 1,
	.blocks_multi = NULL,
	.hmac_block = fscrypt_ext__sha512_x86_hmac_avx512vl,
};

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx2_asm = {
	.name = "avx2-asm",
	.needs = NEEDS_AVX2,
	.available = avx2_asm_available,
	.blocks = fscrypt_ext__sha512_x86_blocks,
	.lanes = 1,
	.blocks_multi = NULL,
	.hmac_block = fscrypt_ext__sha512_x86_hmac,
};

#endif
