/* Internal: the prepared inode object shared by contents (inode.c) and filenames (fname.c). */
#ifndef FSCRYPT_EXT_INODE_INTERNAL_H
#define FSCRYPT_EXT_INODE_INTERNAL_H

#include "keysetup.h"
#include "fscrypt_ext/inode.h"

struct fscrypt_ext_inode {
	struct fscrypt_ext__inode_keys keys; /* first: keeps the cipher state 64-byte aligned */
	struct fscrypt_ext_context ctx;
	enum fscrypt_ext_inode_type type;
	uint64_t ino;
	unsigned int du_bits;
};

/*
 * The IV of data unit (or name, index 0) `index` (docs/iv-methods.md; the kernel's fscrypt_generate_iv()), zero-filled
 * to FSCRYPT_EXT__MAX_IV_SIZE. The caller has checked index against the policy.
 */
void fscrypt_ext__inode_iv(const struct fscrypt_ext_inode *inode, uint64_t index,
			   uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE]);

/*
 * Every check fscrypt_ext_inode_open_ex makes (flags FSCRYPT_EXT_OPEN_*), in
 * its order, without deriving anything: on success *mode is the mode the
 * inode's key is for.
 */
int fscrypt_ext__inode_check(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
			     enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
			     unsigned int flags, const struct fscrypt_ext__mode **mode);
/* The non-key fields of a prepared inode (context, type, number, data unit size). */
void fscrypt_ext__inode_fill(struct fscrypt_ext_inode *inode, const struct fscrypt_ext_context *ctx,
			     enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs);

/* The padded length of a name_len-byte name (or target) under the inode's padding, capped at max_len. */
size_t fscrypt_ext__fname_padded_size(const struct fscrypt_ext_inode *inode, size_t name_len, size_t max_len);

/*
 * Decrypts a whole name or symlink ciphertext (padding included) into buf
 * (ct_len bytes, a secret buffer of the caller). NOT_SUPPORTED when the
 * filenames mode cannot.
 */
int fscrypt_ext__fname_decrypt_padded(const struct fscrypt_ext_inode *inode, const uint8_t *ct, size_t ct_len,
				      uint8_t *buf);

#endif
