/* Internal: HMAC-SHA512 with the key's inner and outer hash states prepared once (2 SHA-512 compressions per short message). */
#ifndef FSCRYPT_EXT_HMAC_SHA512_H
#define FSCRYPT_EXT_HMAC_SHA512_H

#include "internal.h"

#define FSCRYPT_EXT__HMAC512_LEN 64

/*
 * The prepared key: the SHA-512 states after the ipad and the opad blocks.
 * Opaque; large enough for OpenSSL's SHA512_CTX pair or libsodium's state.
 * Wipe with fscrypt_ext__wipe().
 */
struct fscrypt_ext__hmac512 {
	FSCRYPT_EXT__ALIGN(64) uint8_t state[448];
};

/* Prepares the key (any length; keys longer than 128 bytes are hashed first, as HMAC says). */
void fscrypt_ext__hmac512_init(struct fscrypt_ext__hmac512 *h, const uint8_t *key, size_t key_len);

/* out = HMAC(key, parts[0] || ... || parts[n-1]); parts with length 0 may be NULL. */
void fscrypt_ext__hmac512_parts(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *parts,
				const size_t *lens, size_t n, uint8_t out[FSCRYPT_EXT__HMAC512_LEN]);

#endif
