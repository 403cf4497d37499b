/* Internal: HKDF-SHA512 as fscrypt uses it, with the HMAC state keyed by PRK prepared once per master key. */
#ifndef FSCRYPT_EXT_HKDF_H
#define FSCRYPT_EXT_HKDF_H

#include "internal.h"

/*
 * HKDF context bytes ("fscrypt\0" || context || info). As the kernel's fscrypt_hkdf_expand().
 * Each carries its info layout and output length.
 */
#define FSCRYPT_EXT__HKDF_KEY_IDENTIFIER 1   /* info = empty; 16 bytes */
#define FSCRYPT_EXT__HKDF_PER_FILE_KEY 2     /* info = 16-byte inode nonce; mode key size */
#define FSCRYPT_EXT__HKDF_DIRECT_KEY 3       /* info = mode number (1 byte); mode key size */
#define FSCRYPT_EXT__HKDF_IV_INO_LBLK_64 4   /* info = mode number || 16-byte fs UUID; mode key size */
#define FSCRYPT_EXT__HKDF_DIRHASH_KEY 5      /* info = 16-byte directory nonce; 16 bytes (SipHash key) */
#define FSCRYPT_EXT__HKDF_IV_INO_LBLK_32 6   /* info = mode number || 16-byte fs UUID; mode key size */
#define FSCRYPT_EXT__HKDF_INODE_HASH_KEY 7   /* info = empty; 16 bytes (SipHash key) */
/*
 * Per-extent key: info = 16-byte extent nonce; contents mode key size.
 * Follows the btrfs encryption series v6 (Feb 2026, byte 9; v5 used 8, which
 * upstream now uses for hardware-wrapped key identifiers). NOT upstream.
 */
#define FSCRYPT_EXT__HKDF_PER_EXTENT_KEY 9

/* HMAC-SHA512 keyed by PRK, ready to expand. Opaque bytes large enough for either backend's state. */
struct fscrypt_ext__hkdf {
	FSCRYPT_EXT__ALIGN(64) uint8_t state[512];
};

/* Extract (no salt, as fscrypt) and prepare. */
int fscrypt_ext__hkdf_init(struct fscrypt_ext__hkdf *h, const uint8_t *ikm, size_t ikm_len);
/* okm = HKDF-Expand(PRK, "fscrypt\0" || context || info, okm_len); okm_len <= 255 * 64. */
int fscrypt_ext__hkdf_expand(const struct fscrypt_ext__hkdf *h, uint8_t context, const uint8_t *info,
			     size_t info_len, uint8_t *okm, size_t okm_len);
/*
 * okms[i] = fscrypt_ext__hkdf_expand(h, context, infos[i], info_len, okm_len)
 * for i < n, computed side by side on the multi-buffer SHA-512 (one HMAC per
 * key when okm_len <= 64 and the info is short, as for every fscrypt key).
 */
int fscrypt_ext__hkdf_expand_n(const struct fscrypt_ext__hkdf *h, uint8_t context, const uint8_t *const *infos,
			       size_t info_len, uint8_t *const *okms, size_t okm_len, size_t n);
void fscrypt_ext__hkdf_wipe(struct fscrypt_ext__hkdf *h);

#endif
