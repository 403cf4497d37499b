/* Internal: every fscrypt key derivation (the kernel's fs/crypto/keysetup.c and keysetup_v1.c): v1 KDF, HKDF contexts 2-7, inode hashing. */
#ifndef FSCRYPT_EXT_KEYSETUP_H
#define FSCRYPT_EXT_KEYSETUP_H

#include <stdbool.h>

#include "internal.h"
#include "cipher.h"
#include "hkdf.h"
#include "fscrypt_ext/key.h"
#include "fscrypt_ext/policy.h"

#define FSCRYPT_EXT__MAX_MODE_KEY_SIZE 64
#define FSCRYPT_EXT__SIPHASH_KEY_SIZE 16

/*
 * v1 per-file key (keysetup_v1.c derive_key_aes): AES-128-ECB *encryption* of
 * the first key_size bytes of the master key, keyed by the 16-byte nonce.
 * key_size is a multiple of 16 and at most mk_len.
 */
int fscrypt_ext__derive_v1_key(const uint8_t *mk, size_t mk_len, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
			       uint8_t *out, size_t key_size);

/* HKDF context 2: per-file key from the inode nonce. */
int fscrypt_ext__derive_per_file_key(const struct fscrypt_ext__hkdf *h, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
				     uint8_t *out, size_t key_size);
/* HKDF context 3: v2 DIRECT_KEY per-mode key, info = mode number. */
int fscrypt_ext__derive_direct_key(const struct fscrypt_ext__hkdf *h, uint8_t mode, uint8_t *out, size_t key_size);
/* HKDF context 4 or 6: IV_INO_LBLK_64/32 per-(mode, filesystem) key, info = mode || fs UUID. */
int fscrypt_ext__derive_iv_ino_lblk_key(const struct fscrypt_ext__hkdf *h, uint8_t context, uint8_t mode,
					const uint8_t uuid[16], uint8_t *out, size_t key_size);
/* HKDF context 5: the directory's SipHash key, info = directory nonce. */
int fscrypt_ext__derive_dirhash_key(const struct fscrypt_ext__hkdf *h, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
				    uint8_t out[FSCRYPT_EXT__SIPHASH_KEY_SIZE]);
/* HKDF context 7: the master key's inode-hash SipHash key. */
int fscrypt_ext__derive_inode_hash_key(const struct fscrypt_ext__hkdf *h, uint8_t out[FSCRYPT_EXT__SIPHASH_KEY_SIZE]);
/*
 * SipHash-2-4 (libsodium) with the 64-bit result read little-endian: the
 * kernel's siphash() once its key words are le64_to_cpu'd (contexts 5, 7).
 */
uint64_t fscrypt_ext__siphash(const uint8_t key[FSCRYPT_EXT__SIPHASH_KEY_SIZE], const uint8_t *msg, size_t len);
/* IV_INO_LBLK_32: low 32 bits of SipHash-2-4(inode hash key, le64(ino)). */
uint32_t fscrypt_ext__hash_ino(const uint8_t key[FSCRYPT_EXT__SIPHASH_KEY_SIZE], uint64_t ino);

/*
 * fscrypt_valid_master_key_size(): a v1 context (version byte 1) needs the mode's key size, v2 its
 * security strength. KEY_SIZE otherwise.
 */
int fscrypt_ext__check_master_key_size(uint8_t ctx_version, const struct fscrypt_ext__mode *m, size_t mk_len);

/* What key setup produced for one inode. */
struct fscrypt_ext__inode_keys {
	struct fscrypt_ext__cipher cipher;
	uint32_t hashed_ino;                                /* IV_INO_LBLK_32 only */
	bool has_dirhash_key;                               /* v2 directories */
	uint8_t dirhash_key[FSCRYPT_EXT__SIPHASH_KEY_SIZE];
};

/*
 * Derives the key the kernel would use for this inode with mode m (contents
 * mode for regular files, filenames mode otherwise), prepares the cipher and,
 * where the policy needs them, the hashed inode number and dirhash key.
 * The context is assumed valid; ino must already be range-checked.
 */
int fscrypt_ext__setup_inode_keys(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
				  const struct fscrypt_ext__mode *m, bool is_dir, uint64_t ino,
				  const uint8_t uuid[16], struct fscrypt_ext__inode_keys *out);

/*
 * Whether this inode's keys are exactly a per-file key (HKDF context 2 from
 * its nonce) plus, for a directory, its dirhash key (context 5): v2 without
 * DIRECT_KEY or IV_INO_LBLK_*. Those are the inodes a batch can derive side
 * by side.
 */
bool fscrypt_ext__inode_keys_per_file(const struct fscrypt_ext_context *ctx);
/*
 * fscrypt_ext__setup_inode_keys for such an inode whose keys were derived
 * already: key is its per-file key (m->key_size bytes), dirhash_key its
 * dirhash key or NULL (not a directory).
 */
int fscrypt_ext__setup_inode_keys_derived(const struct fscrypt_ext__mode *m, const uint8_t *key,
					  const uint8_t *dirhash_key, struct fscrypt_ext__inode_keys *out);

#endif
