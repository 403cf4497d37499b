/* Internal: AES-256-XTS over several data units per call, their tweaks encrypted together. */
#ifndef FSCRYPT_EXT_CRYPTO_XTS_UNITS_H
#define FSCRYPT_EXT_CRYPTO_XTS_UNITS_H

#include "cipher.h"

/* The fscrypt mode hooks (struct fscrypt_ext__mode.encrypt_units / decrypt_units) for AES-XTS; state in c->u.xts. */
void fscrypt_ext__xts_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n);
void fscrypt_ext__xts_decrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n);

#endif
