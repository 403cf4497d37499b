/* Internal declaration of the arm64 AES backend (ARMv8 Crypto Extensions), for the dispatch table. */
#ifndef FSCRYPT_EXT_ARM_AES_ARM_H
#define FSCRYPT_EXT_ARM_AES_ARM_H

#include "crypto/aes.h"

#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_ARMCE)
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_armce;
#endif

#endif
