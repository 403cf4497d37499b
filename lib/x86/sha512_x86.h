/* Internal: the x86 single-stream SHA-512 compressions (C with BMI2 rorx, and the assembly in sha512_x86_64.S), shared by the multi-buffer backends for lone streams. */
#ifndef FSCRYPT_EXT_X86_SHA512_X86_H
#define FSCRYPT_EXT_X86_SHA512_X86_H

#include "crypto/sha512.h"

/* Callers check FSCRYPT_EXT__CPU_BMI2. */
void fscrypt_ext__sha512_bmi2_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks);

#if defined(FSCRYPT_EXT_HAVE_SHA512_ASM)
/* lib/x86/sha512_x86_64.S. Callers check AVX, AVX2 and BMI2; the second also AVX-512 (F/BW/VL). */
void fscrypt_ext__sha512_x86_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks);
void fscrypt_ext__sha512_x86_blocks_avx512vl(uint64_t h[8], const uint8_t *data, size_t nblocks);
/* The hmac_block of struct fscrypt_ext__sha512_impl: both compressions of a short HMAC in one call. */
void fscrypt_ext__sha512_x86_hmac(const uint64_t inner[8], const uint64_t outer[8], const uint8_t block[128],
				  uint8_t out[64]);
void fscrypt_ext__sha512_x86_hmac_avx512vl(const uint64_t inner[8], const uint64_t outer[8], const uint8_t block[128],
					   uint8_t out[64]);
/* The one-stream code of the multi-buffer rows: the fastest that needs no more than each row does. */
#define FSCRYPT_EXT__SHA512_AVX2_ONE_STREAM fscrypt_ext__sha512_x86_blocks
#define FSCRYPT_EXT__SHA512_AVX512_ONE_STREAM fscrypt_ext__sha512_x86_blocks_avx512vl
#define FSCRYPT_EXT__SHA512_AVX2_HMAC fscrypt_ext__sha512_x86_hmac
#define FSCRYPT_EXT__SHA512_AVX512_HMAC fscrypt_ext__sha512_x86_hmac_avx512vl
#else
#define FSCRYPT_EXT__SHA512_AVX2_ONE_STREAM fscrypt_ext__sha512_bmi2_blocks
#define FSCRYPT_EXT__SHA512_AVX512_ONE_STREAM fscrypt_ext__sha512_bmi2_blocks
#define FSCRYPT_EXT__SHA512_AVX2_HMAC NULL
#define FSCRYPT_EXT__SHA512_AVX512_HMAC NULL
#endif

#endif
