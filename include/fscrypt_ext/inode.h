/*
 * libfscrypt-ext: per-inode keys and the operations on them.
 *
 * fscrypt_ext_inode_open() does what the kernel does when it loads an
 * encrypted inode: validate the context against the filesystem, check the
 * master key, derive the inode's key (v1 AES-128-ECB KDF, v2 HKDF per-file
 * key, DIRECT_KEY, IV_INO_LBLK_64/32 per-mode keys) and prepare the cipher.
 * The object is immutable afterwards: any number of threads may use it at
 * once. Free it with fscrypt_ext_inode_free(), which wipes the keys.
 */
#ifndef FSCRYPT_EXT_INODE_H
#define FSCRYPT_EXT_INODE_H

#include "common.h"
#include "key.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which key an inode needs: regular files use the contents mode, the others the filenames mode. */
enum fscrypt_ext_inode_type {
	FSCRYPT_EXT_INODE_REG = 1,
	FSCRYPT_EXT_INODE_DIR = 2,
	FSCRYPT_EXT_INODE_SYMLINK = 3,
};

typedef struct fscrypt_ext_inode fscrypt_ext_inode;

/*
 * Prepares the key of inode number ino.
 * Errors: the validation errors of fscrypt_ext_context_validate(); WRONG_KEY
 * when mk's identifier (v2) or descriptor (v1) is not the context's; KEY_SIZE
 * when mk is shorter than the mode needs (v1: its key size, v2: its security
 * strength); RANGE when the policy needs a 32-bit inode number and ino is
 * larger; NOT_SUPPORTED for a mode this build cannot run; INVALID_ARG for
 * NULL arguments or an unknown type; NOMEM. *out is untouched on failure.
 * v1 descriptors are matched by the conventional SHA-512 rule; use
 * fscrypt_ext_inode_open_v1_unchecked() for keys with home-made descriptors.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_inode_open(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
		       enum fscrypt_ext_inode_type type, uint64_t ino,
		       const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out);

/* As fscrypt_ext_inode_open(), without comparing a v1 descriptor with the key (the kernel never does). */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_inode_open_v1_unchecked(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
				    enum fscrypt_ext_inode_type type, uint64_t ino,
				    const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out);

/*
 * Opens n inodes under one master key at once: the entries of one directory
 * (tools walking whole images: extract, check, import). Each inode i is
 * fscrypt_ext_inode_open(&ctxs[i], mk, types[i], inos[i], fs) with the same
 * checks in the same order; all inodes are checked before any key is
 * derived. Per-file keys (v2 without DIRECT_KEY or IV_INO_LBLK_*) and the
 * directories' dirhash keys are derived side by side on the multi-buffer
 * SHA-512 (8 lanes with AVX-512, 4 with AVX2); other inodes take the single
 * path. All or nothing: on failure every out[i] is NULL and *failed (may be
 * NULL) is the index of the inode whose error is returned. n may be 0.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_inode_open_batch(const struct fscrypt_ext_context *ctxs, const enum fscrypt_ext_inode_type *types,
			     const uint64_t *inos, size_t n, const fscrypt_ext_master_key *mk,
			     const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out, size_t *failed);

/* Wipes and frees. NULL is allowed. */
FSCRYPT_EXT_API void fscrypt_ext_inode_free(fscrypt_ext_inode *inode);

/* The contents data unit size in bytes (2^log2_data_unit_size, else the block size); 0 for NULL. */
FSCRYPT_EXT_API size_t fscrypt_ext_inode_data_unit_size(const fscrypt_ext_inode *inode);

/*
 * Encrypts or decrypts len bytes of whole data units of a regular file,
 * starting at byte file_offset. file_offset and len must be multiples of the
 * data unit size (ALIGNMENT). in == out is allowed; other overlap is not.
 * The caller zero-pads the file's last unit, as the kernel's page cache does.
 * Errors, checked before anything is written: INVALID_ARG (NULL inode, or
 * NULL in/out with len > 0), WRONG_TYPE (not a regular file), ALIGNMENT,
 * RANGE (the run passes 2^64 bytes, or a unit index does not fit the IV
 * method: 32 bits for IV_INO_LBLK_*), NOT_SUPPORTED (a filenames-only mode).
 * len 0 is a successful no-op.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_encrypt_data_units(const fscrypt_ext_inode *inode, uint64_t file_offset,
			       const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_decrypt_data_units(const fscrypt_ext_inode *inode, uint64_t file_offset,
			       const uint8_t *in, uint8_t *out, size_t len);

/* NAME_MAX: the longest directory entry name, plain or encrypted. */
#define FSCRYPT_EXT_NAME_MAX 255

/*
 * The encrypted length of a name_len-byte name under the directory's padding:
 * max(name_len, 16) rounded up to the padding, capped at max_len.
 * NAME_TOO_LONG when name_len > max_len; INVALID_ARG when name_len is 0,
 * max_len < 16 or a pointer is NULL.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_encrypted_size(const fscrypt_ext_inode *dir, size_t name_len, size_t max_len, size_t *out_len);

/*
 * Encrypts a directory entry name with a directory's inode (type DIR).
 * out needs fscrypt_ext_fname_encrypted_size(dir, name_len, FSCRYPT_EXT_NAME_MAX) bytes
 * (BUFFER_TOO_SMALL); name == out is allowed. INVALID_ARG (NULL), WRONG_TYPE,
 * the size errors above.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_encrypt(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len,
			  uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * Decrypts a stored name; the result is the plaintext up to its first NUL
 * (possibly empty). CORRUPT when ct_len < 16 or > 255. out needs ct_len bytes
 * (BUFFER_TOO_SMALL); ct == out is allowed. INVALID_ARG (NULL), WRONG_TYPE.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_decrypt(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
			  uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * Symlink targets in their on-disk form: le16 ciphertext length, then the
 * ciphertext. max_disk_len is the filesystem's limit for the stored form
 * (ext4: the block size); the target is padded as a name with max_len =
 * max_disk_len - 3 (the 2-byte header and the NUL the kernel still counts:
 * 4093 bytes on 4 KiB ext4, checked against Linux 6.18). Symlink inodes
 * (type SYMLINK) only. out gets the header and the ciphertext, not the NUL
 * the kernel appends. Errors: INVALID_ARG (NULL, target_len 0, max_disk_len
 * outside 19..65539), WRONG_TYPE, NAME_TOO_LONG, BUFFER_TOO_SMALL.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_symlink_encrypt(const fscrypt_ext_inode *link, const uint8_t *target, size_t target_len,
			    size_t max_disk_len, uint8_t *out, size_t out_cap, size_t *out_len);
/*
 * As fscrypt_get_symlink(): CORRUPT when disk_len < 3, the stored length is
 * below 16 or runs past disk_len, or the target decrypts to an empty string.
 * out needs the stored length (BUFFER_TOO_SMALL). INVALID_ARG, WRONG_TYPE.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_symlink_decrypt(const fscrypt_ext_inode *link, const uint8_t *disk, size_t disk_len,
			    uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * The casefolded-directory hash: SipHash-2-4 of the (already casefolded)
 * name under the directory's dirhash key (HKDF context 5). v2 only
 * (NOT_SUPPORTED for v1). ext4 stores hash = high 32 bits, minor = low 32.
 * INVALID_ARG (NULL), WRONG_TYPE (not a directory).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_dirhash(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len, uint64_t *hash);

/*
 * The same hash straight from a directory's context and its master key,
 * without preparing the directory's filenames cipher: only the v2 identifier
 * must match (WRONG_KEY) and the context must be v2 (NOT_SUPPORTED for v1,
 * BAD_VERSION for others).
 * No mode or key-size rule applies, since the dirhash key is always a
 * 16-byte HKDF output (tools that only need hashes, synthetic vectors).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_dirhash_from_context(const struct fscrypt_ext_context *dir_ctx, const fscrypt_ext_master_key *mk,
				 const uint8_t *name, size_t name_len, uint64_t *hash);

#ifdef __cplusplus
}
#endif
#endif
