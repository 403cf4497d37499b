/* Internal declarations of the x86 SM4 backends: S-box through AES-NI (SSSE3 + AESENCLAST) or GFNI (+AVX2). */
#ifndef FSCRYPT_EXT_X86_SM4_X86_H
#define FSCRYPT_EXT_X86_SM4_X86_H

#include "crypto/sm4.h"

#if defined(FSCRYPT_EXT_HAVE_SM4_AESNI)
extern const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_aesni;
#endif
#if defined(FSCRYPT_EXT_HAVE_SM4_GFNI)
extern const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_gfni;
#endif

#endif
