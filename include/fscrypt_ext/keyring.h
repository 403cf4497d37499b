/*
 * libfscrypt-ext: a thread-safe keyring of master keys with the kernel's removal semantics, and open extent inodes.
 *
 * The keyring owns its master keys: it imports raw bytes itself and wipes
 * them. As in the kernel's filesystem keyring, v2 keys are found by their
 * 16-byte identifier (computed from the key) and v1 keys by the 8-byte
 * descriptor given when they are added (FS_IOC_ADD_ENCRYPTION_KEY with a
 * DESCRIPTOR key specifier); the two never collide.
 *
 * Open users. An open extent inode (fscrypt_ext_extent_inode_open) and every
 * extent info made from one hold an "active reference" on the master key they
 * use, as open inodes do in the kernel. Removing a key:
 *  - with no active references: the secret is wiped at once; status ABSENT;
 *  - otherwise the key becomes INCOMPLETELY_REMOVED (the kernel's behaviour
 *    for per-extent encryption in the posted btrfs series, and Eric Biggers'
 *    proposal in the 2023 thread): users that are already open keep deriving
 *    extent keys, so writes buffered in open files are not silently lost; new
 *    opens fail with FSCRYPT_EXT_ERR_KEY_REMOVED; the secret is wiped when the
 *    last active reference is dropped, and the key is then ABSENT.
 * Adding a key that is INCOMPLETELY_REMOVED makes it PRESENT again (as the
 * kernel does: its open users keep going, new opens succeed again); the
 * secret kept for the open users is the same key, so it is kept and the new
 * copy wiped. Adding a key that is PRESENT fails with KEY_EXISTS (the kernel
 * counts per-user claims instead; a library has no users to tell apart).
 *
 * Every function may be called from any thread at once. A keyring freed while
 * users are still open lives on until the last of them is closed.
 */
#ifndef FSCRYPT_EXT_KEYRING_H
#define FSCRYPT_EXT_KEYRING_H

#include <fscrypt_ext/common.h>
#include <fscrypt_ext/extent.h>
#include <fscrypt_ext/inode.h>
#include <fscrypt_ext/policy.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fscrypt_ext_keyring fscrypt_ext_keyring;

/* Key status values (the kernel's FS_IOC_GET_ENCRYPTION_KEY_STATUS numbers). */
enum fscrypt_ext_key_status {
	FSCRYPT_EXT_KEY_STATUS_ABSENT = 1,
	FSCRYPT_EXT_KEY_STATUS_PRESENT = 2,
	FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED = 3,
};

/* Set by fscrypt_ext_keyring_remove() when open users kept the key (the kernel's FILES_BUSY). */
#define FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY 0x1u

struct fscrypt_ext_key_status_info {
	uint32_t status;     /* enum fscrypt_ext_key_status */
	uint32_t user_count; /* active references (open extent inodes and extent infos) */
};

/* Counters, for tests and monitoring. */
struct fscrypt_ext_keyring_stats {
	uint32_t present;              /* keys with status PRESENT */
	uint32_t incompletely_removed; /* keys with status INCOMPLETELY_REMOVED */
	uint64_t secrets_wiped;        /* master key secrets wiped since the keyring was made */
};

FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_keyring_new(fscrypt_ext_keyring **out);

/*
 * Removes every key (as fscrypt_ext_keyring_remove) and gives up the caller's
 * handle. Keys still in use stay usable by their open users and are wiped,
 * with the keyring, when the last of them is closed. NULL is allowed.
 */
FSCRYPT_EXT_API void fscrypt_ext_keyring_free(fscrypt_ext_keyring *kr);

/*
 * Imports len raw bytes as a master key (fscrypt_ext_master_key_new) and adds
 * it; id (may be NULL) gets its identifier. KEY_EXISTS when it is already
 * PRESENT; an INCOMPLETELY_REMOVED key becomes PRESENT again (OK). Errors of
 * fscrypt_ext_master_key_new (KEY_SIZE...). The caller should wipe raw.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_add(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len,
			uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]);

/*
 * Adds a v1 key under the descriptor desc (the kernel does not check that the
 * descriptor has anything to do with the key: neither does this). Same
 * errors and states as fscrypt_ext_keyring_add(), per descriptor.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_add_v1(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len,
			   const uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]);

/* Removes a v1 key by descriptor, as fscrypt_ext_keyring_remove(). */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_remove_v1(fscrypt_ext_keyring *kr, const uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE],
			      uint32_t *removal_flags);

/*
 * The key a context needs (v1: by descriptor, v2: by identifier): *out gets
 * its status; KEY_NOT_FOUND (status ABSENT) when the keyring lacks it;
 * BAD_VERSION / UNKNOWN_VERSION for a context that names no key.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_lookup(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
			   struct fscrypt_ext_key_status_info *out);

/*
 * An independent copy of the master key a context needs (free it with
 * fscrypt_ext_master_key_free; it stays valid whatever happens to the
 * keyring), e.g. for fscrypt_ext_inode_open() or
 * fscrypt_ext_dirhash_from_context(). KEY_NOT_FOUND, KEY_REMOVED (removal
 * started), BAD_VERSION / UNKNOWN_VERSION, errors of fscrypt_ext_master_key_new.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_get_key(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
			    fscrypt_ext_master_key **out);

/*
 * Removes a key: wiped at once when unused; otherwise INCOMPLETELY_REMOVED
 * and *removal_flags (may be NULL) gets FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY.
 * Removing an INCOMPLETELY_REMOVED key again is allowed (OK, FILES_BUSY).
 * KEY_NOT_FOUND when the key is absent.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_remove(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
			   uint32_t *removal_flags);

/* The state of a key (ABSENT with user_count 0 when unknown). Never fails on a valid keyring. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_status(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
			   struct fscrypt_ext_key_status_info *out);

FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_stats(fscrypt_ext_keyring *kr, struct fscrypt_ext_keyring_stats *out);

/*
 * Opens an ordinary inode (a directory or symlink of any filesystem, a
 * regular file of a filesystem without per-extent keys) with its master key
 * taken from the keyring, exactly as fscrypt_ext_inode_open(); v1 contexts
 * find their key by descriptor (and, as in the kernel, the descriptor is not
 * checked against the key); KEY_NOT_FOUND, or KEY_REMOVED while the key is
 * INCOMPLETELY_REMOVED; BAD_VERSION / UNKNOWN_VERSION. The
 * inode keeps its own derived keys and holds NO active reference: free it to
 * drop them (the kernel likewise keeps the keys of inodes already set up
 * until they are evicted; here the caller decides when).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_inode_open(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
			       enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
			       fscrypt_ext_inode **out);
/* With fscrypt_ext_inode_open_ex() flags (FSCRYPT_EXT_OPEN_CASEFOLDED...). */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_keyring_inode_open_ex(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
				  enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
				  unsigned int flags, fscrypt_ext_inode **out);

/*
 * An open regular file of an extent-based filesystem: its inode context, the
 * filesystem facts, and an active reference on its master key.
 */
typedef struct fscrypt_ext_extent_inode fscrypt_ext_extent_inode;

/*
 * Opens a regular file for per-extent encryption, as the kernel does when it
 * sets up an inode: the context is validated against fs and must be able to
 * carry extents (EXTENT_POLICY); its key must be PRESENT in kr
 * (KEY_NOT_FOUND, or KEY_REMOVED while INCOMPLETELY_REMOVED) and at least as
 * long as the contents mode's security strength (KEY_SIZE).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_inode_open(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *inode_ctx,
			      const struct fscrypt_ext_fs_info *fs, fscrypt_ext_extent_inode **out);

/* Drops the file's active reference (the last one of a removed key wipes it). NULL is allowed. */
FSCRYPT_EXT_API void fscrypt_ext_extent_inode_close(fscrypt_ext_extent_inode *inode);

/*
 * A new extent for this file, always under the inode's current policy and
 * key (also while the key is INCOMPLETELY_REMOVED: the file is open).
 * *ectx_out gets the context to store with the extent.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_inode_new_extent(fscrypt_ext_extent_inode *inode, struct fscrypt_ext_extent_context *ectx_out,
				    fscrypt_ext_extent_info **out);

/*
 * Loads an existing extent of this file (validated as
 * fscrypt_ext_extent_context_validate with flags). An extent under the
 * inode's own key always loads while the file is open. With
 * FSCRYPT_EXT_EXTENT_ALLOW_REKEYED an extent naming another key takes that
 * key from the keyring: KEY_NOT_FOUND when it is absent, KEY_REMOVED when it
 * is INCOMPLETELY_REMOVED (this file never opened that key).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_inode_load_extent(fscrypt_ext_extent_inode *inode, const struct fscrypt_ext_extent_context *ectx,
				     unsigned int flags, fscrypt_ext_extent_info **out);

/*
 * fscrypt_ext_extent_inode_load_extent for n extents of this file (its
 * extent tree at open), the same checks per extent in order. Runs of
 * extents under the file's own key derive their keys side by side
 * (multi-buffer HKDF-SHA512), several times faster per extent; re-keyed
 * extents load one by one from the keyring. All or nothing: on failure
 * every out[i] is NULL and *failed (may be NULL) is the index of the extent
 * whose error is returned. n may be 0.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_extent_inode_load_extents(fscrypt_ext_extent_inode *inode, const struct fscrypt_ext_extent_context *ectxs,
				      size_t n, unsigned int flags, fscrypt_ext_extent_info **out, size_t *failed);

#ifdef __cplusplus
}
#endif
#endif
