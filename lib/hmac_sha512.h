/* Internal: HMAC-SHA512 with the key's inner and outer hash states prepared once (2 SHA-512 compressions per short message). */
#ifndef FSCRYPT_EXT_HMAC_SHA512_H
#define FSCRYPT_EXT_HMAC_SHA512_H

#include "internal.h"

#define FSCRYPT_EXT__HMAC512_LEN 64
/* Longest message that, with its padding, fits the one block after the key block. */
#define FSCRYPT_EXT__HMAC512_SHORT_MAX 111

/*
 * The prepared key: the SHA-512 chaining values after the ipad and the opad
 * blocks (crypto/sha512.c). Opaque; wipe with fscrypt_ext__wipe().
 */
struct fscrypt_ext__hmac512 {
	FSCRYPT_EXT__ALIGN(64) uint8_t state[448];
};

/* Prepares the key (any length; keys longer than 128 bytes are hashed first, as HMAC says). */
void fscrypt_ext__hmac512_init(struct fscrypt_ext__hmac512 *h, const uint8_t *key, size_t key_len);

/* out = HMAC(key, parts[0] || ... || parts[n-1]); parts with length 0 may be NULL. */
void fscrypt_ext__hmac512_parts(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *parts,
				const size_t *lens, size_t n, uint8_t out[FSCRYPT_EXT__HMAC512_LEN]);

/*
 * out = HMAC(key, b[0..len)) for len <= FSCRYPT_EXT__HMAC512_SHORT_MAX, the
 * message already in place in a 128-byte block whose bytes from len on are
 * zero (a fixed-size memset the compiler inlines): pads it there and hashes it
 * (the backend's hmac_block where it has one, else two compressions with the
 * outer block built in b, whose inner digest is then wiped). The single
 * HKDF-Expand path: no copies of the message.
 */
void fscrypt_ext__hmac512_block(const struct fscrypt_ext__hmac512 *h, uint8_t b[128], size_t len,
				uint8_t out[FSCRYPT_EXT__HMAC512_LEN]);

/*
 * out[i] = HMAC(key, msgs[i]) for n messages under one key, hashed side by
 * side on the multi-buffer SHA-512 where the CPU has one. Messages longer
 * than FSCRYPT_EXT__HMAC512_SHORT_MAX take the one-at-a-time path.
 */
void fscrypt_ext__hmac512_n(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *msgs, const size_t *lens,
			    size_t n, uint8_t (*out)[FSCRYPT_EXT__HMAC512_LEN]);

#endif
