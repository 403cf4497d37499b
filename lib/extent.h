/* Internal: making extent infos, shared by the stand-alone extent API and open extent inodes. */
#ifndef FSCRYPT_EXT_EXTENT_INTERNAL_H
#define FSCRYPT_EXT_EXTENT_INTERNAL_H

#include "internal.h"
#include "keyring.h"
#include "fscrypt_ext/extent.h"
#include "fscrypt_ext/key.h"

/*
 * Derives the per-extent key of ectx from mk and prepares it (docs/per-extent-keys.md).
 * ectx must already be validated against its inode; du_bits is the inode's
 * data unit size. entry (may be NULL) is an active reference the new info
 * takes over on success; on failure it stays the caller's.
 */
int fscrypt_ext__extent_info_make(const struct fscrypt_ext_extent_context *ectx, unsigned int du_bits,
				  const fscrypt_ext_master_key *mk, struct fscrypt_ext__key_entry *entry,
				  fscrypt_ext_extent_info **out);

/*
 * fscrypt_ext__extent_info_make for n extents of one file, all naming mk and
 * one contents mode (WRONG_KEY, EXTENT_MISMATCH otherwise), the keys derived
 * side by side (multi-buffer HKDF-SHA512). entries (may be NULL) holds one
 * active reference per extent, which info i takes over. All or nothing: on
 * failure every out[i] is NULL and the references stay the caller's.
 */
int fscrypt_ext__extent_info_make_batch(const struct fscrypt_ext_extent_context *ectxs, size_t n,
					unsigned int du_bits, const fscrypt_ext_master_key *mk,
					struct fscrypt_ext__key_entry *const *entries, fscrypt_ext_extent_info **out);

/* log2 of the inode's data unit size; the context must have validated against fs. */
unsigned int fscrypt_ext__extent_du_bits(const struct fscrypt_ext_context *inode_ctx,
					 const struct fscrypt_ext_fs_info *fs);

/* The bytes an info was allocated with (its mode's state only: tests check the size classes). */
size_t fscrypt_ext__extent_info_alloc_size(const fscrypt_ext_extent_info *ei);

#endif
