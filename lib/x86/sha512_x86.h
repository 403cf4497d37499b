/* Internal: the x86 single-stream SHA-512 compression with BMI2 rorx, shared by the multi-buffer backends for lone streams. */
#ifndef FSCRYPT_EXT_X86_SHA512_X86_H
#define FSCRYPT_EXT_X86_SHA512_X86_H

#include "crypto/sha512.h"

/* Callers check FSCRYPT_EXT__CPU_BMI2. */
void fscrypt_ext__sha512_bmi2_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks);

#endif
