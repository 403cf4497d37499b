/* Internal: active references on keyring entries, for open extent inodes and extent infos. */
#ifndef FSCRYPT_EXT_KEYRING_INTERNAL_H
#define FSCRYPT_EXT_KEYRING_INTERNAL_H

#include "internal.h"
#include "fscrypt_ext/key.h"
#include "fscrypt_ext/keyring.h"

/* One master key in a keyring; lives while PRESENT or while it has active references. */
struct fscrypt_ext__key_entry;

/*
 * A new active reference for a new user (opening a file, or a re-keyed
 * extent's key): KEY_NOT_FOUND when absent, KEY_REMOVED when incompletely
 * removed, as the kernel refuses new opens once removal has started.
 */
int fscrypt_ext__keyring_acquire(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
				 struct fscrypt_ext__key_entry **out);
/* As fscrypt_ext__keyring_acquire() for the key a context names (v1 descriptor or v2 identifier). */
int fscrypt_ext__keyring_acquire_for(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
				     struct fscrypt_ext__key_entry **out);
/* One more active reference for a holder of one (an open file making an extent info); never fails. */
void fscrypt_ext__key_entry_hold(struct fscrypt_ext__key_entry *e);
/* Drops an active reference; the last one of a removed key wipes its secret. */
void fscrypt_ext__key_entry_release(struct fscrypt_ext__key_entry *e);
/* The master key; valid while the caller holds an active reference. */
const fscrypt_ext_master_key *fscrypt_ext__key_entry_key(const struct fscrypt_ext__key_entry *e);

#endif
