/*
 * libfscrypt-ext: per-inode keys and the operations on them.
 *
 * fscrypt_ext_inode_open() does what the kernel does when it loads an
 * encrypted inode: validate the context against the filesystem, check the
 * master key, derive the inode's key (v1 AES-128-ECB KDF, v2 HKDF per-file
 * key, DIRECT_KEY, IV_INO_LBLK_64/32 per-mode keys) and prepare the cipher.
 * The object is immutable afterwards: any number of threads may use it at
 * once. Free it with fscrypt_ext_inode_free(), which wipes the keys.
 *
 * Lifetimes. An open inode owns copies of everything it needs: the context
 * (copied), the filesystem facts it uses (block size, UUID: read once at
 * open) and its derived keys (derived at open, in locked memory). It keeps
 * no pointer to the caller's context, fs info or master key: all three may be
 * changed or freed as soon as the open call returns, and freeing the master
 * key does not lock inodes already open (as in the kernel, where removing a
 * key only stops new opens; free the inodes to drop their keys).
 */
#ifndef FSCRYPT_EXT_INODE_H
#define FSCRYPT_EXT_INODE_H

#include <fscrypt_ext/common.h>
#include <fscrypt_ext/key.h>
#include <fscrypt_ext/policy.h>

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
 * Errors: the validation errors of fscrypt_ext_context_validate(); NO_FS_UUID
 * for an IV_INO_LBLK_64/32 context when fs->uuid is all zero; WRONG_KEY
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

/* Flags of fscrypt_ext_inode_open_ex(). */
#define FSCRYPT_EXT_OPEN_CASEFOLDED 0x1u     /* a casefolded directory (type DIR only: WRONG_TYPE otherwise); v1 refused */
#define FSCRYPT_EXT_OPEN_V1_UNCHECKED 0x100u /* do not compare a v1 descriptor with the key */

/*
 * fscrypt_ext_inode_open() with flags (FSCRYPT_EXT_OPEN_*; unknown bits are
 * INVALID_ARG). Casefolding is a per-directory fact, so it is given here,
 * not in struct fscrypt_ext_fs_info.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_inode_open_ex(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
			  enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
			  unsigned int flags, fscrypt_ext_inode **out);

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
 * (possibly empty), as the kernel shows it. CORRUPT when ct_len < 16 or > 255.
 * out needs ct_len bytes (BUFFER_TOO_SMALL); ct == out is allowed.
 * INVALID_ARG (NULL), WRONG_TYPE. It hides what follows a NUL: checkers
 * want fscrypt_ext_fname_decrypt_strict().
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_decrypt(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
			  uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * The rules the VFS enforces on a directory entry name before fscrypt ever
 * sees it (the kernel trusts them; an fsck cannot): CORRUPT for an empty
 * name, "." or "..", or a name containing '/' or NUL; NAME_TOO_LONG over 255
 * bytes; INVALID_ARG for NULL with len > 0.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_name_check(const uint8_t *name, size_t len);

/*
 * Strict decryption of a stored name, for fsck: as fscrypt_ext_fname_decrypt(),
 * then CORRUPT unless the plaintext is exactly what fscrypt_ext_fname_encrypt()
 * would write for its text: the bytes after the first NUL are all NUL
 * (canonical padding), ct_len is the padded length the directory's policy
 * gives that text (fscrypt_ext_fname_encrypted_size), and the text passes
 * fscrypt_ext_name_check(). A stored "abc\0XYZ" is CORRUPT here although the
 * kernel would list it as "abc". out is untouched on failure. No kernel
 * function does this (the kernel decrypts with fname_decrypt and trusts the
 * VFS); e2fsck does not either.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_decrypt_strict(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
				 uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * What a user sees for a stored name, as the kernel's
 * fscrypt_fname_disk_to_usr(): "." and ".." (stored in plaintext) as they
 * are; CORRUPT for other names under 16 or over 255 bytes; with the
 * directory's open inode (dir != NULL) the decrypted name
 * (fscrypt_ext_fname_decrypt); without (dir == NULL) the no-key name built
 * from hash, minor_hash and the ciphertext (nokey.h), NUL-terminated.
 * A buffer of FSCRYPT_EXT_NAME_MAX + 1 bytes always suffices
 * (BUFFER_TOO_SMALL otherwise). INVALID_ARG for NULL ct, out or out_len.
 *
 * Which hashes ext4 passes (the no-key name must use the same ones to look
 * like the kernel's listing; lookups accept any):
 *  - casefolded encrypted directory: the hash pair stored in the entry after
 *    the name (fscrypt_ext_ext4_dirhash() computes it with the key);
 *  - htree readdir path (dir_index feature and an indexed directory, or any
 *    directory of exactly one block): ext4's dirhash of the CIPHERTEXT with
 *    the legacy/half-MD4/TEA hash of the dx root (s_def_hash_version for an
 *    unindexed one-block directory), with s_hash_seed and the unsigned
 *    variant when the superblock says so (libext2fs: ext2fs_dirhash2());
 *  - linear readdir (no dir_index, or an unindexed multi-block directory):
 *    0 and 0.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_fname_disk_to_usr(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len, uint32_t hash,
			      uint32_t minor_hash, uint8_t *out, size_t out_cap, size_t *out_len);

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
 * Strict symlink decryption, for fsck: as fscrypt_ext_symlink_decrypt(), also
 * CORRUPT when the stored length exceeds what fscrypt_ext_symlink_encrypt()
 * allows for max_disk_len (ext4: the block size), the padding after the
 * target's first NUL is not all NUL, or the stored length is not the padded
 * length of the target. A '/' is of course allowed. INVALID_ARG also for
 * max_disk_len outside 19..65539. out untouched on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_symlink_decrypt_strict(const fscrypt_ext_inode *link, const uint8_t *disk, size_t disk_len,
				   size_t max_disk_len, uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * What readlink() shows, as the kernel's fscrypt_get_symlink(): with the
 * link's open inode, fscrypt_ext_symlink_decrypt(); without (link == NULL),
 * the no-key form: the stored length is checked as with the key (CORRUPT
 * when disk_len < 3, the length is under 16 or runs past disk_len), then the
 * ciphertext is encoded as a no-key name with both hash words 0 (base64url
 * of 8 zero bytes and the ciphertext, or of its first 149 bytes and the
 * SHA-256 of the rest past 149 bytes), NUL-terminated. Without the key the
 * output needs at most FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1 bytes; with it,
 * the stored length. BUFFER_TOO_SMALL, INVALID_ARG (NULL disk/out/out_len).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_symlink_disk_to_usr(const fscrypt_ext_inode *link, const uint8_t *disk, size_t disk_len,
				uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * The casefolded-directory hash: SipHash-2-4 of the (already casefolded)
 * name under the directory's dirhash key (HKDF context 5), as the kernel's
 * fscrypt_fname_siphash(). v2 only (NOT_SUPPORTED for v1).
 * INVALID_ARG (NULL), WRONG_TYPE (not a directory).
 * ext4 does NOT store these 64 bits as they are: use
 * fscrypt_ext_ext4_dirhash() for the pair ext4 writes after the name.
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

/*
 * The (hash, minor_hash) pair ext4 stores after the name in an entry of a
 * casefolded, encrypted directory and uses in its htree, exactly as
 * __ext4fs_dirhash() computes it for DX_HASH_SIPHASH: hash = the high 32 bits
 * of fscrypt_ext_dirhash() with bit 0 cleared (ext4 reserves it), and the
 * end-of-directory value 0xfffffffe remapped to 0xfffffffc; minor_hash = the
 * low 32 bits, unchanged. name must already be casefolded (ext4 hashes the
 * casefolded name). Errors as fscrypt_ext_dirhash(); INVALID_ARG for NULL
 * outputs.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_ext4_dirhash(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len, uint32_t *hash,
			 uint32_t *minor_hash);
/* The same adjustment of a 64-bit SipHash value (e.g. from fscrypt_ext_dirhash_from_context); NULL outputs are skipped. */
FSCRYPT_EXT_API void fscrypt_ext_ext4_dirhash_from_siphash(uint64_t siphash, uint32_t *hash, uint32_t *minor_hash);

#ifdef __cplusplus
}
#endif
#endif
