/* Internal AES-128-CBC-ESSIV(SHA-256) as Linux essiv(cbc(aes),sha256): fscrypt contents mode 5. */
#ifndef FSCRYPT_EXT_CRYPTO_ESSIV_H
#define FSCRYPT_EXT_CRYPTO_ESSIV_H

#include "aes.h"

struct fscrypt_ext__cipher;

/*
 * Expands data (AES with key; fscrypt uses 16 bytes, the kernel template also
 * takes 24 and 32) and essiv (AES-256 keyed by SHA-256(key)). Returns an fscrypt_ext_error.
 */
int fscrypt_ext__essiv_setkeys(struct fscrypt_ext__aes_key *data, struct fscrypt_ext__aes_key *essiv, const uint8_t *key,
			       size_t key_len);
/* The IV CBC actually uses: AES-256-Encrypt(essiv key, iv) (spec section 6). */
void fscrypt_ext__essiv_iv(const struct fscrypt_ext__aes_key *essiv, const uint8_t iv[16], uint8_t out[16]);
/* len a multiple of 16; in == out allowed. */
void fscrypt_ext__essiv_encrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__essiv_decrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

/* fscrypt mode hooks (lib/modes.c), state in c->u.essiv. */
int fscrypt_ext__essiv_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__essiv_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);
void fscrypt_ext__essiv_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);

#endif
