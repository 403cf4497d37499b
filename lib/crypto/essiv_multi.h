/* Internal: AES-128-CBC-ESSIV encryption of several data units at once (interleaved CBC streams). */
#ifndef FSCRYPT_EXT_CRYPTO_ESSIV_MULTI_H
#define FSCRYPT_EXT_CRYPTO_ESSIV_MULTI_H

#include "cipher.h"

/* The fscrypt mode hook (struct fscrypt_ext__mode.encrypt_units) for ESSIV; state in c->u.essiv. */
void fscrypt_ext__essiv_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				      uint8_t *out, size_t len, size_t n);

#endif
