/* Filenames and symlink targets: padding, encryption with the directory's key, on-disk symlink form, dirhash (the kernel's fs/crypto/fname.c). */
#include "inode_internal.h"
#include "policy_internal.h"
#include "key.h"

/* FSCRYPT_FNAME_MIN_MSG_LEN: names shorter than one AES block are padded up to it. */
#define FNAME_MIN_LEN 16
/* struct fscrypt_symlink_data header: le16 ciphertext length. */
#define SYMLINK_HEADER 2

/* __fscrypt_fname_encrypted_size(): max(len, 16) rounded up to the padding, capped at max_len. */
size_t fscrypt_ext__fname_padded_size(const fscrypt_ext_inode *inode, size_t name_len, size_t max_len)
{
	size_t padding = (size_t)4 << (inode->ctx.flags & FSCRYPT_EXT_FLAG_PAD_MASK);
	size_t len = name_len < FNAME_MIN_LEN ? FNAME_MIN_LEN : name_len;

	len = (len + padding - 1) / padding * padding;
	return len < max_len ? len : max_len;
}

FSCRYPT_EXT_API int fscrypt_ext_fname_encrypted_size(const fscrypt_ext_inode *dir, size_t name_len, size_t max_len,
						     size_t *out_len)
{
	if (dir == NULL || out_len == NULL || name_len == 0 || max_len < FNAME_MIN_LEN)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (name_len > max_len)
		return FSCRYPT_EXT_ERR_NAME_TOO_LONG;
	*out_len = fscrypt_ext__fname_padded_size(dir, name_len, max_len);
	return FSCRYPT_EXT_OK;
}

/* NUL-pads the name to enc_len and encrypts it as one message with the index-0 IV. */
static int encrypt_padded(const fscrypt_ext_inode *inode, const uint8_t *name, size_t name_len, size_t enc_len,
			  uint8_t *out)
{
	const struct fscrypt_ext__mode *m = inode->keys.cipher.mode;
	uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE];
	uint8_t *buf;

	if (m->encrypt_name == NULL)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	buf = fscrypt_ext__alloc_secret(enc_len);
	if (buf == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	memcpy(buf, name, name_len < enc_len ? name_len : enc_len);
	fscrypt_ext__inode_iv(inode, 0, iv);
	m->encrypt_name(&inode->keys.cipher, iv, buf, out, enc_len);
	fscrypt_ext__free_secret(buf, enc_len);
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__fname_decrypt_padded(const fscrypt_ext_inode *inode, const uint8_t *ct, size_t ct_len, uint8_t *buf)
{
	const struct fscrypt_ext__mode *m = inode->keys.cipher.mode;
	uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE];

	if (m->decrypt_name == NULL)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	fscrypt_ext__inode_iv(inode, 0, iv);
	m->decrypt_name(&inode->keys.cipher, iv, ct, buf, ct_len);
	return FSCRYPT_EXT_OK;
}

/* Decrypts and keeps the bytes before the first NUL (fname_decrypt: strnlen). */
static int decrypt_unpad(const fscrypt_ext_inode *inode, const uint8_t *ct, size_t ct_len, uint8_t *out,
			 size_t *out_len)
{
	uint8_t *buf;
	size_t n;
	int err;

	buf = fscrypt_ext__alloc_secret(ct_len);
	if (buf == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__fname_decrypt_padded(inode, ct, ct_len, buf);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext__free_secret(buf, ct_len);
		return err;
	}
	n = strnlen((const char *)buf, ct_len);
	memcpy(out, buf, n);
	*out_len = n;
	fscrypt_ext__free_secret(buf, ct_len);
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_fname_encrypt(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len,
					      uint8_t *out, size_t out_cap, size_t *out_len)
{
	size_t enc_len;
	int err;

	if (dir == NULL || name == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (dir->type != FSCRYPT_EXT_INODE_DIR)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	err = fscrypt_ext_fname_encrypted_size(dir, name_len, FSCRYPT_EXT_NAME_MAX, &enc_len);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (out_cap < enc_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	err = encrypt_padded(dir, name, name_len, enc_len, out);
	if (err == FSCRYPT_EXT_OK)
		*out_len = enc_len;
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_fname_decrypt(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
					      uint8_t *out, size_t out_cap, size_t *out_len)
{
	if (dir == NULL || ct == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (dir->type != FSCRYPT_EXT_INODE_DIR)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	/* fscrypt_fname_disk_to_usr(): shorter than one block cannot be a ciphertext (EUCLEAN). */
	if (ct_len < FNAME_MIN_LEN || ct_len > FSCRYPT_EXT_NAME_MAX)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (out_cap < ct_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	return decrypt_unpad(dir, ct, ct_len, out, out_len);
}

/*
 * fscrypt_prepare_symlink(): the stored form (le16 length, ciphertext) plus
 * the NUL the kernel still counts must fit max_disk_len, so the target is
 * padded as a name with max_len = max_disk_len - 3 (ext4 4K: 4093 bytes).
 */
FSCRYPT_EXT_API int fscrypt_ext_symlink_encrypt(const fscrypt_ext_inode *link, const uint8_t *target,
						size_t target_len, size_t max_disk_len, uint8_t *out, size_t out_cap,
						size_t *out_len)
{
	size_t max_len, enc_len;
	int err;

	if (link == NULL || target == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (link->type != FSCRYPT_EXT_INODE_SYMLINK)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (max_disk_len < SYMLINK_HEADER + 1 + FNAME_MIN_LEN || max_disk_len > 65536 + SYMLINK_HEADER + 1)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	max_len = max_disk_len - SYMLINK_HEADER - 1;
	err = fscrypt_ext_fname_encrypted_size(link, target_len, max_len, &enc_len);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (enc_len > UINT16_MAX)
		return FSCRYPT_EXT_ERR_NAME_TOO_LONG;
	if (out_cap < SYMLINK_HEADER + enc_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	err = encrypt_padded(link, target, target_len, enc_len, out + SYMLINK_HEADER);
	if (err != FSCRYPT_EXT_OK)
		return err;
	fscrypt_ext__put_le16(out, (uint16_t)enc_len);
	*out_len = SYMLINK_HEADER + enc_len;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_get_symlink(): a zero or overlong stored length, a short ciphertext or an empty target is corrupt. */
FSCRYPT_EXT_API int fscrypt_ext_symlink_decrypt(const fscrypt_ext_inode *link, const uint8_t *disk, size_t disk_len,
						uint8_t *out, size_t out_cap, size_t *out_len)
{
	size_t ct_len, n;
	int err;

	if (link == NULL || disk == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (link->type != FSCRYPT_EXT_INODE_SYMLINK)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (disk_len < SYMLINK_HEADER + 1)
		return FSCRYPT_EXT_ERR_CORRUPT;
	ct_len = (size_t)disk[0] | ((size_t)disk[1] << 8);
	if (ct_len < FNAME_MIN_LEN || ct_len > disk_len - SYMLINK_HEADER)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (out_cap < ct_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	err = decrypt_unpad(link, disk + SYMLINK_HEADER, ct_len, out, &n);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (n == 0)
		return FSCRYPT_EXT_ERR_CORRUPT;
	*out_len = n;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_fname_siphash(): SipHash-2-4 of the name under the directory's context-5 key. */
FSCRYPT_EXT_API int fscrypt_ext_dirhash(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len,
					uint64_t *hash)
{
	if (dir == NULL || hash == NULL || (name == NULL && name_len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (dir->type != FSCRYPT_EXT_INODE_DIR)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (!dir->keys.has_dirhash_key)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	*hash = fscrypt_ext__siphash(dir->keys.dirhash_key, name, name_len);
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_dirhash_from_context(const struct fscrypt_ext_context *dir_ctx,
						     const fscrypt_ext_master_key *mk, const uint8_t *name,
						     size_t name_len, uint64_t *hash)
{
	uint8_t key[FSCRYPT_EXT__SIPHASH_KEY_SIZE];
	int err;

	if (dir_ctx == NULL || mk == NULL || hash == NULL || (name == NULL && name_len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (dir_ctx->version != FSCRYPT_EXT_CONTEXT_V2)
		return dir_ctx->version == FSCRYPT_EXT_CONTEXT_V1 ? FSCRYPT_EXT_ERR_NOT_SUPPORTED
								  : fscrypt_ext__version_error(dir_ctx->version);
	if (memcmp(dir_ctx->key_identifier, fscrypt_ext__master_key_id(mk), FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
		return FSCRYPT_EXT_ERR_WRONG_KEY;
	err = fscrypt_ext__derive_dirhash_key(fscrypt_ext__master_key_hkdf(mk), dir_ctx->nonce, key);
	if (err == FSCRYPT_EXT_OK)
		*hash = fscrypt_ext__siphash(key, name, name_len);
	fscrypt_ext__wipe(key, sizeof(key));
	return err;
}
