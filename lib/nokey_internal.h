/* Internal: no-key name encoding without the directory-entry length cap (symlink targets). */
#ifndef FSCRYPT_EXT_NOKEY_INTERNAL_H
#define FSCRYPT_EXT_NOKEY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * The no-key form of ct (any length >= 16, else CORRUPT), NUL-terminated in
 * out; BUFFER_TOO_SMALL when out_cap cannot hold it and the NUL.
 */
int fscrypt_ext__nokey_encode(const uint8_t *ct, size_t ct_len, uint32_t hash, uint32_t minor_hash, char *out,
			      size_t out_cap, size_t *out_len);

#endif
