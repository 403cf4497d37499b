/*
 * libfscrypt-ext: no-key names, the names the kernel shows for entries of a
 * directory whose key is absent. They need no key: base64url (no padding)
 * of the filesystem's two 32-bit hash words (little-endian) and the
 * ciphertext, or, past 149 bytes of ciphertext, its first 149 bytes and the
 * SHA-256 of the rest.
 */
#ifndef FSCRYPT_EXT_NOKEY_H
#define FSCRYPT_EXT_NOKEY_H

#include <stdbool.h>

#include <fscrypt_ext/common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FSCRYPT_EXT_NOKEY_NAME_BYTES 149
/* Longest encoded no-key name (189 raw bytes). */
#define FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED 252

/* A decoded no-key name. */
struct fscrypt_ext_nokey_name {
	uint32_t hash;        /* first dirhash word (0 if the filesystem gives none) */
	uint32_t minor_hash;  /* second dirhash word */
	uint8_t bytes[FSCRYPT_EXT_NOKEY_NAME_BYTES];
	size_t bytes_len;     /* ciphertext bytes held (all of it when !has_sha256) */
	bool has_sha256;      /* the ciphertext was longer than 149 bytes */
	uint8_t sha256[32];   /* SHA-256 of ciphertext[149..] when has_sha256 */
};

/*
 * Encodes ct (16..255 bytes, else CORRUPT as the kernel's EUCLEAN) into out
 * (NUL-terminated; at most FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1 bytes needed,
 * else BUFFER_TOO_SMALL). *out_len excludes the NUL. INVALID_ARG for NULL.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_nokey_name_encode(const uint8_t *ct, size_t ct_len, uint32_t hash, uint32_t minor_hash,
			      char *out, size_t out_cap, size_t *out_len);

/*
 * Decodes an encoded name. NO_KEY_NAME when it is not one Linux 6.18 would
 * accept: over 252 characters, a character outside base64url, non-zero
 * leftover bits, or a decoded size below 9, above 157 and not 189.
 * INVALID_ARG for NULL out (or NULL name with name_len > 0). *out untouched on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_nokey_name_decode(const char *name, size_t name_len, struct fscrypt_ext_nokey_name *out);

/* True when the stored ciphertext ct is the entry nk names (the kernel's fscrypt_match_name rule, hashes aside); false for NULL. */
FSCRYPT_EXT_API bool
fscrypt_ext_nokey_name_matches(const struct fscrypt_ext_nokey_name *nk, const uint8_t *ct, size_t ct_len);

#ifdef __cplusplus
}
#endif
#endif
