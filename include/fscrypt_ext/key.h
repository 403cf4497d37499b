/*
 * libfscrypt-ext: master keys.
 *
 * A master key is 16 to 64 raw bytes. The library copies it into guarded,
 * locked memory (libsodium), computes its v2 identifier and conventional v1
 * descriptor once, prepares the HKDF-SHA512 state (v2 key derivations), and
 * wipes everything when the key is freed. The raw bytes are kept, read-only,
 * because v1 policies derive per-file keys from them.
 */
#ifndef FSCRYPT_EXT_KEY_H
#define FSCRYPT_EXT_KEY_H

#include <fscrypt_ext/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fscrypt_ext_master_key fscrypt_ext_master_key;

/*
 * Imports len raw bytes (FSCRYPT_EXT_MIN_KEY_SIZE..FSCRYPT_EXT_MAX_KEY_SIZE).
 * Errors: INVALID_ARG (NULL), KEY_SIZE (bad length), LOCKED_MEMORY, NOMEM, CRYPTO.
 * The caller should wipe its own copy of raw afterwards.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_master_key_new(const uint8_t *raw, size_t len, fscrypt_ext_master_key **out);

/* Wipes and frees. NULL is allowed. */
FSCRYPT_EXT_API void fscrypt_ext_master_key_free(fscrypt_ext_master_key *mk);

/* Length of the raw key in bytes (0 for NULL). */
FSCRYPT_EXT_API size_t fscrypt_ext_master_key_size(const fscrypt_ext_master_key *mk);

/*
 * The v2 key identifier the kernel returns from FS_IOC_ADD_ENCRYPTION_KEY:
 * HKDF-SHA512(key, salt = none, info = "fscrypt\0" 0x01), 16 bytes.
 * Computed at import; INVALID_ARG for NULL arguments.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_master_key_identifier(const fscrypt_ext_master_key *mk, uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]);

/*
 * The conventional v1 descriptor (e4crypt, google/fscrypt): the first 8 bytes
 * of SHA-512(SHA-512(key)). The kernel itself never checks v1 descriptors.
 * Computed at import; INVALID_ARG for NULL arguments.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_master_key_descriptor(const fscrypt_ext_master_key *mk, uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]);

/*
 * A raw v2 subkey: HKDF-SHA512-Expand(PRK(mk), "fscrypt\0" || context || info,
 * out_len), exactly what the kernel derives with that HKDF context byte (the
 * kernel's fscrypt_hkdf_expand(); e.g. context 2 with the 16-byte inode nonce is the per-file key).
 * For tools and known-answer tests; file and extent code should use inode.h
 * and extent.h. INVALID_ARG for NULL, out_len 0 or out_len > 255 * 64.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_master_key_derive(const fscrypt_ext_master_key *mk, uint8_t context, const uint8_t *info,
			      size_t info_len, uint8_t *out, size_t out_len);

/*
 * n derivations under one master key and context byte at once: outs[i] =
 * fscrypt_ext_master_key_derive(mk, context, infos[i], info_len, out_len).
 * The keys are computed side by side on the multi-buffer SHA-512 (8 lanes
 * with AVX-512, 4 with AVX2; one at a time elsewhere), several times faster
 * per key than n single calls for out_len <= 64 and info_len <= 101.
 * INVALID_ARG as the single call, or for a NULL infos[i] (with info_len > 0)
 * or outs[i]; outputs are then unspecified.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_master_key_derive_batch(const fscrypt_ext_master_key *mk, uint8_t context, const uint8_t *const *infos,
				    size_t info_len, uint8_t *const *outs, size_t out_len, size_t n);

#ifdef __cplusplus
}
#endif
#endif
