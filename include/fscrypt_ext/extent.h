/*
 * libfscrypt-ext: per-extent encryption (the btrfs design): extent contexts, per-extent keys, extent contents.
 *
 * STATUS: this follows the btrfs encryption series as last posted (v6, Feb
 * 2026), which the kernel has NOT merged. The on-disk layout and the HKDF
 * context byte (9; v5 used 8) may still change upstream. See docs/per-extent-keys.md.
 *
 * Design. A regular file on an extent-based filesystem keeps its normal v2
 * inode context (policy, master key identifier, nonce), but its contents are
 * never encrypted with the inode's key. Every file extent carries its own
 * 34-byte extent context instead:
 *
 *   off size field
 *     0    1 version               FSCRYPT_EXT_EXTENT_CONTEXT_V1 (1)
 *     1    1 contents mode         must equal the inode's contents mode
 *     2   16 master key identifier equals the inode's (see re-keyed extents)
 *    18   16 nonce                 random per extent
 *
 * extent key = HKDF-SHA512-Expand(PRK(master key), "fscrypt\0" || 9 || nonce,
 * L = contents mode key size). The context byte 9 (one named constant in the
 * library, FSCRYPT_EXT__HKDF_PER_EXTENT_KEY) is the v6 series' choice and is
 * NOT an upstream kernel value; v5 used 8, which upstream now uses for
 * hardware-wrapped key identifiers. The IV of a data unit is its index counted
 * from the START OF THE EXTENT (le64, zero-padded to the mode's IV size): no
 * nonce, no inode number. So nothing in an extent's key or IV depends on the
 * inode, and any number of inodes (reflinks, snapshots) can share the extent.
 *
 * New data, new extent. Because the IV is only the unit's index inside the
 * extent and the key only the extent's nonce, encrypting DIFFERENT plaintext
 * at the same offset of the same extent reuses a (key, IV) pair: with XTS
 * that leaks which 16-byte blocks changed, and with any mode it breaks the
 * design's security argument. Never re-encrypt an existing extent with new
 * data: write new data to a new extent (fscrypt_ext_extent_info_new or
 * fscrypt_ext_extent_inode_new_extent, fresh nonce), as a copy-on-write
 * filesystem does anyway. Re-encrypting the SAME plaintext (a retry) is safe.
 *
 * Only v2 policies without DIRECT_KEY, IV_INO_LBLK_64 or IV_INO_LBLK_32 can
 * carry extents (FSCRYPT_EXT_ERR_EXTENT_POLICY otherwise), as in the posted
 * series. The data unit size is the inode's (2^log2_data_unit_size, else the
 * block size); the posted btrfs code only handles data unit = sector size,
 * this library counts whole data units of any allowed size.
 *
 * Re-keyed extents (opt-in, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED; NOT in the
 * kernel design). Sweet Tea Dorminy's argument in the 2023 thread: after
 * snapshotting an encrypted subvolume one wants new data under a new master
 * key without re-encrypting the shared, copy-on-write extents. With the flag,
 * an extent may name a master key other than its inode's; its key is then
 * derived from THAT master key (looked up by identifier). New extents always
 * use the inode's current policy and key.
 *
 * Security trade-off of re-keyed extents:
 *  - a file's plaintext then depends on several master keys; removing the
 *    inode's key does not lock the old extents, only removing every key the
 *    extents name does;
 *  - whoever can write extent contexts can point an inode at any extent whose
 *    key the reader has loaded (the kernel design rejects this by requiring the
 *    identifier to equal the inode's): a file may then show data that was
 *    written under another, possibly less protected, key. Only allow re-keyed
 *    extents for trees whose metadata you trust (your own snapshots);
 *  - data written before the re-key remains readable by holders of the old key.
 */
#ifndef FSCRYPT_EXT_EXTENT_H
#define FSCRYPT_EXT_EXTENT_H

#include <fscrypt_ext/common.h>
#include <fscrypt_ext/key.h>
#include <fscrypt_ext/policy.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FSCRYPT_EXT_EXTENT_CONTEXT_V1 1
#define FSCRYPT_EXT_EXTENT_CONTEXT_SIZE 34
#define FSCRYPT_EXT_EXTENT_NONCE_SIZE 16

/* Flags for validation and loading. */
/* Accept an extent whose master key identifier differs from its inode's (re-keyed extents, above). */
#define FSCRYPT_EXT_EXTENT_ALLOW_REKEYED 0x1u

/* A parsed extent context (see the layout above). */
struct fscrypt_ext_extent_context {
	uint8_t version;       /* FSCRYPT_EXT_EXTENT_CONTEXT_V1 */
	uint8_t contents_mode; /* enum fscrypt_ext_mode */
	uint8_t key_identifier[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	uint8_t nonce[FSCRYPT_EXT_EXTENT_NONCE_SIZE];
};

/*
 * Parses exactly FSCRYPT_EXT_EXTENT_CONTEXT_SIZE bytes: TRUNCATED (shorter),
 * OVERSIZED (longer), BAD_VERSION (version byte not 1). Strict: the posted
 * kernel code only refuses shorter buffers.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_context_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_extent_context *out);

/* Writes the 34 bytes; *out_len (may be NULL) gets 34. BUFFER_TOO_SMALL, BAD_VERSION. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_context_serialize(const struct fscrypt_ext_extent_context *ctx, uint8_t *buf, size_t buf_len,
				     size_t *out_len);

/*
 * Whether an inode context can carry per-extent keys: OK, or
 * EXTENT_POLICY (v1 context, DIRECT_KEY, IV_INO_LBLK_64, IV_INO_LBLK_32),
 * BAD_VERSION (unknown context version), UNSUPPORTED_FLAGS (unknown flag
 * bits), RESERVED_BITS, UNSUPPORTED_MODES (contents mode not a contents mode).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_policy_check(const struct fscrypt_ext_context *inode_ctx);

/*
 * Strict validation of an extent against its owning inode's context, in this
 * order: the inode's policy (fscrypt_ext_extent_policy_check), the extent's
 * version (BAD_VERSION), contents mode equal to the inode's (EXTENT_MISMATCH),
 * master key identifier equal to the inode's (EXTENT_MISMATCH unless flags
 * has FSCRYPT_EXT_EXTENT_ALLOW_REKEYED). INVALID_ARG for unknown flag bits.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_context_validate(const struct fscrypt_ext_extent_context *ectx,
				    const struct fscrypt_ext_context *inode_ctx, unsigned int flags);

/*
 * The context of a new extent of this inode: its contents mode and key
 * identifier and a fresh random nonce (the kernel's
 * fscrypt_context_for_new_extent). EXTENT_POLICY etc. as _policy_check.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_context_new(const struct fscrypt_ext_context *inode_ctx, struct fscrypt_ext_extent_context *out);

/*
 * An extent info: the prepared per-extent key, immutable once made, shared
 * by reference count (atomic: _get and _put may be called from any thread;
 * encrypt/decrypt may run on several threads at once). The last _put wipes
 * the key. Infos made through a keyring (keyring.h) also hold an active
 * reference on their master key in that keyring; infos made from a
 * caller-owned master key hold no reference to it (the caller may free the
 * master key at once).
 */
typedef struct fscrypt_ext_extent_info fscrypt_ext_extent_info;

/*
 * Derives the key of an existing extent: the inode context is checked against
 * fs (fscrypt_ext_context_validate), the extent against the inode
 * (fscrypt_ext_extent_context_validate with flags), and mk must be the key the
 * extent names (WRONG_KEY otherwise; with ALLOW_REKEYED that is the extent's
 * key, not necessarily the inode's). NOT_SUPPORTED when this build has no
 * contents implementation of the mode.
 * Like the kernel's setup of an extent key, this does not re-check the master
 * key's length against the mode: that rule (length >= security strength)
 * belongs to opening the inode (fscrypt_ext_inode_open,
 * fscrypt_ext_extent_inode_open in keyring.h).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_info_load(const struct fscrypt_ext_context *inode_ctx, const struct fscrypt_ext_fs_info *fs,
			     const struct fscrypt_ext_extent_context *ectx, const fscrypt_ext_master_key *mk,
			     unsigned int flags, fscrypt_ext_extent_info **out);

/*
 * fscrypt_ext_extent_info_load for n extents of one file (its extent tree,
 * read at open), with the same checks in the same order for every extent;
 * the n keys are derived side by side (multi-buffer HKDF-SHA512: 8 lanes
 * with AVX-512, 4 with AVX2) and several times faster per extent than n
 * single loads. All or nothing: on success out[0..n) hold n new infos (put
 * each one); on failure every out[i] is NULL, the error is that of the first
 * extent that failed and *failed (may be NULL) is its index. Extents naming
 * another master key (re-keyed, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED) fail with
 * WRONG_KEY here: load them one by one with their own key, or through an
 * open extent inode (keyring.h), which takes them from the keyring.
 * n may be 0.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_info_load_batch(const struct fscrypt_ext_context *inode_ctx, const struct fscrypt_ext_fs_info *fs,
				   const struct fscrypt_ext_extent_context *ectxs, size_t n,
				   const fscrypt_ext_master_key *mk, unsigned int flags, fscrypt_ext_extent_info **out,
				   size_t *failed);

/*
 * A new extent of this inode: makes its context (fresh nonce, written to
 * *ectx_out, to be stored by the filesystem) and its info. mk must be the
 * inode's key (WRONG_KEY).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_info_new(const struct fscrypt_ext_context *inode_ctx, const struct fscrypt_ext_fs_info *fs,
			    const fscrypt_ext_master_key *mk, struct fscrypt_ext_extent_context *ectx_out,
			    fscrypt_ext_extent_info **out);

/* Takes one more reference; returns ei (NULL stays NULL). */
FSCRYPT_EXT_API fscrypt_ext_extent_info *fscrypt_ext_extent_info_get(fscrypt_ext_extent_info *ei);
/* Drops one reference; the last one wipes and frees. NULL is allowed. */
FSCRYPT_EXT_API void fscrypt_ext_extent_info_put(fscrypt_ext_extent_info *ei);

/* The extent's context (for storing it), its data unit size in bytes. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_info_context(const fscrypt_ext_extent_info *ei, struct fscrypt_ext_extent_context *out);
FSCRYPT_EXT_API size_t fscrypt_ext_extent_info_data_unit_size(const fscrypt_ext_extent_info *ei);

/*
 * Encrypts or decrypts len bytes of whole data units starting extent_offset
 * bytes into the extent (both multiples of the data unit size, else
 * ALIGNMENT; RANGE when extent_offset + len overflows). Data unit i of the
 * extent uses IV le64(i) zero-padded. in == out is allowed; other overlap is not.
 * Encrypt each offset of an extent once: new data goes to a new extent (see
 * "New data, new extent" at the top of this header).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_encrypt(const fscrypt_ext_extent_info *ei, uint64_t extent_offset, const uint8_t *in,
			   uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_decrypt(const fscrypt_ext_extent_info *ei, uint64_t extent_offset, const uint8_t *in,
			   uint8_t *out, size_t len);

#ifdef __cplusplus
}
#endif
#endif
