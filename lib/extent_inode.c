/* Open regular files of an extent-based filesystem: active key references, new and loaded extents (docs/per-extent-keys.md). */
#include <stdlib.h>

#include "extent.h"
#include "keyring.h"
#include "key.h"
#include "keysetup.h"

/* Immutable after open; the active reference keeps the key's secret for this file's extents. */
struct fscrypt_ext_extent_inode {
	fscrypt_ext_keyring *kr;
	struct fscrypt_ext__key_entry *entry;
	struct fscrypt_ext_context ctx;
	unsigned int du_bits;
};

/* fscrypt_valid_master_key_size() for v2 (keysetup.c's one rule): at least the contents mode's security strength. */
static int check_key_size(const struct fscrypt_ext__key_entry *e, uint8_t contents_mode)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(contents_mode);

	if (m == NULL)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	return fscrypt_ext__check_master_key_size(FSCRYPT_EXT_CONTEXT_V2, m,
						  fscrypt_ext_master_key_size(fscrypt_ext__key_entry_key(e)));
}

FSCRYPT_EXT_API int fscrypt_ext_extent_inode_open(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *inode_ctx,
						  const struct fscrypt_ext_fs_info *fs, fscrypt_ext_extent_inode **out)
{
	fscrypt_ext_extent_inode *inode;
	struct fscrypt_ext__key_entry *e;
	int err;

	if (kr == NULL || inode_ctx == NULL || fs == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_extent_policy_check(inode_ctx);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_context_validate(inode_ctx, fs);
	if (err != FSCRYPT_EXT_OK)
		return err;
	inode = calloc(1, sizeof(*inode));
	if (inode == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__keyring_acquire(kr, inode_ctx->key_identifier, &e);
	if (err == FSCRYPT_EXT_OK) {
		err = check_key_size(e, inode_ctx->contents_mode);
		if (err != FSCRYPT_EXT_OK)
			fscrypt_ext__key_entry_release(e);
	}
	if (err != FSCRYPT_EXT_OK) {
		free(inode);
		return err;
	}
	inode->kr = kr;
	inode->entry = e;
	inode->ctx = *inode_ctx;
	inode->du_bits = fscrypt_ext__extent_du_bits(inode_ctx, fs);
	*out = inode;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API void fscrypt_ext_extent_inode_close(fscrypt_ext_extent_inode *inode)
{
	struct fscrypt_ext__key_entry *e;

	if (inode == NULL)
		return;
	e = inode->entry;
	free(inode);
	/* Last: this may free the keyring when its owner has already let go. */
	fscrypt_ext__key_entry_release(e);
}

/* An info under entry e, which gets one more active reference for it. */
static int make_with_entry(const struct fscrypt_ext_extent_context *ectx, unsigned int du_bits,
			   struct fscrypt_ext__key_entry *e, fscrypt_ext_extent_info **out)
{
	int err = fscrypt_ext__extent_info_make(ectx, du_bits, fscrypt_ext__key_entry_key(e), e, out);

	if (err != FSCRYPT_EXT_OK)
		fscrypt_ext__key_entry_release(e);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_inode_new_extent(fscrypt_ext_extent_inode *inode,
							 struct fscrypt_ext_extent_context *ectx_out,
							 fscrypt_ext_extent_info **out)
{
	struct fscrypt_ext_extent_context c;
	int err;

	if (inode == NULL || ectx_out == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_extent_context_new(&inode->ctx, &c);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* Allowed while the key is incompletely removed: this file is open (docs/per-extent-keys.md). */
	fscrypt_ext__key_entry_hold(inode->entry);
	err = make_with_entry(&c, inode->du_bits, inode->entry, out);
	if (err == FSCRYPT_EXT_OK)
		*ectx_out = c;
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_inode_load_extent(fscrypt_ext_extent_inode *inode,
							  const struct fscrypt_ext_extent_context *ectx, unsigned int flags,
							  fscrypt_ext_extent_info **out)
{
	struct fscrypt_ext__key_entry *e;
	int err;

	if (inode == NULL || ectx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_extent_context_validate(ectx, &inode->ctx, flags);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (memcmp(ectx->key_identifier, inode->ctx.key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) == 0) {
		fscrypt_ext__key_entry_hold(inode->entry);
		e = inode->entry;
	} else {
		/* A re-keyed extent: a new use of another key, refused once its removal has started. */
		err = fscrypt_ext__keyring_acquire(inode->kr, ectx->key_identifier, &e);
		if (err != FSCRYPT_EXT_OK)
			return err;
	}
	return make_with_entry(ectx, inode->du_bits, e, out);
}

#define LOAD_GROUP 8

/*
 * Runs of extents under the file's own key go through the batched
 * derivation, LOAD_GROUP at a time (the multi-buffer width); a re-keyed
 * extent takes the single path with its own key entry.
 */
FSCRYPT_EXT_API int fscrypt_ext_extent_inode_load_extents(fscrypt_ext_extent_inode *inode,
							   const struct fscrypt_ext_extent_context *ectxs, size_t n,
							   unsigned int flags, fscrypt_ext_extent_info **out,
							   size_t *failed)
{
	size_t i = 0, j;
	int err = FSCRYPT_EXT_OK;

	if (failed != NULL)
		*failed = 0;
	if (inode == NULL || (n != 0 && (ectxs == NULL || out == NULL)))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	for (j = 0; j < n; j++)
		out[j] = NULL;
	while (i < n && err == FSCRYPT_EXT_OK) {
		struct fscrypt_ext__key_entry *entries[LOAD_GROUP];
		size_t g = 0;

		/* The run of own-key extents starting at i, each validated as the single call would. */
		while (i + g < n && g < LOAD_GROUP) {
			err = fscrypt_ext_extent_context_validate(&ectxs[i + g], &inode->ctx, flags);
			if (err != FSCRYPT_EXT_OK ||
			    memcmp(ectxs[i + g].key_identifier, inode->ctx.key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
				break;
			g++;
		}
		if (g == 0) {
			if (err == FSCRYPT_EXT_OK)
				err = fscrypt_ext_extent_inode_load_extent(inode, &ectxs[i], flags, &out[i]);
			if (err == FSCRYPT_EXT_OK)
				i++;
			continue;
		}
		err = FSCRYPT_EXT_OK; /* a later extent's error is reported when the run reaches it */
		for (j = 0; j < g; j++) {
			fscrypt_ext__key_entry_hold(inode->entry);
			entries[j] = inode->entry;
		}
		err = fscrypt_ext__extent_info_make_batch(ectxs + i, g, inode->du_bits,
							  fscrypt_ext__key_entry_key(inode->entry), entries, out + i);
		if (err != FSCRYPT_EXT_OK) {
			for (j = 0; j < g; j++)
				fscrypt_ext__key_entry_release(entries[j]);
			break;
		}
		i += g;
	}
	if (err != FSCRYPT_EXT_OK) {
		if (failed != NULL)
			*failed = i;
		for (j = 0; j < i; j++) {
			fscrypt_ext_extent_info_put(out[j]);
			out[j] = NULL;
		}
	}
	return err;
}
