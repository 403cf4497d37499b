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
