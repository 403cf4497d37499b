/* Opening ordinary (non-extent) inodes with a master key found in the keyring. */
#include "keyring.h"

FSCRYPT_EXT_API int fscrypt_ext_keyring_inode_open(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
						   enum fscrypt_ext_inode_type type, uint64_t ino,
						   const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out)
{
	struct fscrypt_ext__key_entry *e;
	int err;

	if (kr == NULL || ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (ctx->version != FSCRYPT_EXT_CONTEXT_V2)
		return ctx->version == FSCRYPT_EXT_CONTEXT_V1 ? FSCRYPT_EXT_ERR_NOT_SUPPORTED : FSCRYPT_EXT_ERR_BAD_VERSION;
	/* Refused once removal has started, as the kernel refuses to set up new inodes. */
	err = fscrypt_ext__keyring_acquire(kr, ctx->key_identifier, &e);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext_inode_open(ctx, fscrypt_ext__key_entry_key(e), type, ino, fs, out);
	fscrypt_ext__key_entry_release(e);
	return err;
}
