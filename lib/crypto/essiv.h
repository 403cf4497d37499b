/* Internal CBC-ESSIV(SHA-256) over AES as Linux essiv(cbc(aes),sha256). */
#ifndef FSCRYPT_EXT_CRYPTO_ESSIV_H
#define FSCRYPT_EXT_CRYPTO_ESSIV_H

#include "aes.h"

/*
 * Expands data (AES with key; fscrypt uses 16 bytes, the kernel template also
 * takes 24 and 32) and essiv (AES-256 keyed by SHA-256(key)). Returns an fscrypt_ext_error.
 */
int fscrypt_ext__essiv_setkeys(struct fscrypt_ext__aes_key *data, struct fscrypt_ext__aes_key *essiv, const uint8_t *key,
			       size_t key_len);
/* The IV CBC actually uses: AES-256-Encrypt(essiv key, iv) (the kernel's essiv template). */
void fscrypt_ext__essiv_iv(const struct fscrypt_ext__aes_key *essiv, const uint8_t iv[16], uint8_t out[16]);
/* len a multiple of 16; in == out allowed. */
void fscrypt_ext__essiv_encrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__essiv_decrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

#endif
