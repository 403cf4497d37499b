/* Opening ordinary (non-extent) inodes with a master key found in the keyring. */
#include "keyring.h"

FSCRYPT_EXT_API int fscrypt_ext_keyring_inode_open_ex(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
						      enum fscrypt_ext_inode_type type, uint64_t ino,
						      const struct fscrypt_ext_fs_info *fs, unsigned int flags,
						      fscrypt_ext_inode **out)
{
	struct fscrypt_ext__key_entry *e;
	int err;

	if (kr == NULL || ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* Refused once removal has started, as the kernel refuses to set up new inodes. */
	err = fscrypt_ext__keyring_acquire_for(kr, ctx, &e);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* A v1 key was added under the descriptor the caller chose: the kernel never checks it against the key. */
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V1)
		flags |= FSCRYPT_EXT_OPEN_V1_UNCHECKED;
	err = fscrypt_ext_inode_open_ex(ctx, fscrypt_ext__key_entry_key(e), type, ino, fs, flags, out);
	fscrypt_ext__key_entry_release(e);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_inode_open(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
						   enum fscrypt_ext_inode_type type, uint64_t ino,
						   const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out)
{
	return fscrypt_ext_keyring_inode_open_ex(kr, ctx, type, ino, fs, 0, out);
}
