/* Internal: the master key object and the accessors key setup, extents and the keyring need. */
#ifndef FSCRYPT_EXT_KEY_INTERNAL_H
#define FSCRYPT_EXT_KEY_INTERNAL_H

#include "internal.h"
#include "hkdf.h"
#include "fscrypt_ext/key.h"

/*
 * The raw key and the PRK-keyed HMAC state live in separate libsodium
 * guarded allocations (guard pages, mlock, read-only after setup). The
 * identifier and descriptor are public values and live in the plain struct.
 */
struct fscrypt_ext_master_key {
	uint8_t *raw;                  /* sodium_malloc, read-only, raw_len bytes */
	size_t raw_len;
	struct fscrypt_ext__hkdf *hkdf; /* sodium_malloc, read-only */
	uint8_t identifier[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	uint8_t descriptor[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE];
};

/* HKDF state keyed by PRK(master key), for every v2 derivation (the kernel's fscrypt_hkdf_expand()). */
const struct fscrypt_ext__hkdf *fscrypt_ext__master_key_hkdf(const fscrypt_ext_master_key *mk);
/* The raw key bytes (read-only), for the v1 KDF and v1 DIRECT_KEY (the kernel's derive_key_aes() and DIRECT_KEY setup in keysetup_v1.c). */
const uint8_t *fscrypt_ext__master_key_raw(const fscrypt_ext_master_key *mk, size_t *len);
/* The 16-byte v2 identifier and the 8-byte conventional v1 descriptor, computed at import. */
const uint8_t *fscrypt_ext__master_key_id(const fscrypt_ext_master_key *mk);
const uint8_t *fscrypt_ext__master_key_desc(const fscrypt_ext_master_key *mk);

#endif
