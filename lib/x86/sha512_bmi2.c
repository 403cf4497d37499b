/* SHA-512 compression on x86-64 with BMI2: the portable rounds compiled so rotations become rorx (no flags, 3 operands). */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86)

#include "cpu.h"
#include "crypto/sha512_scalar.h"
#include "x86/sha512_x86.h"

__attribute__((target("bmi2"))) void fscrypt_ext__sha512_bmi2_blocks(uint64_t h[8], const uint8_t *data,
								     size_t nblocks)
{
	sha512_scalar_blocks(h, data, nblocks);
}

static int bmi2_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_BMI2) != 0;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_bmi2 = {
	.name = "bmi2",
	.needs = FSCRYPT_EXT__CPU_BMI2,
	.available = bmi2_available,
	.blocks = fscrypt_ext__sha512_bmi2_blocks,
	.lanes = 1,
	.blocks_multi = NULL,
};

#endif
