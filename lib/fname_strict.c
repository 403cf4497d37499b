/* Strict name and symlink checks for fsck-grade tools: canonical padding and the VFS rules on names. */
#include "inode_internal.h"
#include "policy_internal.h"

#define FNAME_MIN_LEN 16
#define SYMLINK_HEADER 2

FSCRYPT_EXT_API int fscrypt_ext_name_check(const uint8_t *name, size_t len)
{
	if (name == NULL && len != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len == 0)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (len > FSCRYPT_EXT_NAME_MAX)
		return FSCRYPT_EXT_ERR_NAME_TOO_LONG;
	/* "." and ".." are stored in plaintext; as encrypted names they are forgeries. */
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (memchr(name, '/', len) != NULL || memchr(name, '\0', len) != NULL)
		return FSCRYPT_EXT_ERR_CORRUPT;
	return FSCRYPT_EXT_OK;
}

/*
 * The plaintext is the text up to the first NUL, then NULs only, and its
 * length must be the one the encrypting kernel would have chosen for that
 * text: anything else was not written by fscrypt_fname_encrypt() and can
 * never be found by a lookup of the visible name. Returns the text length.
 */
static int canonical_text(const fscrypt_ext_inode *inode, const uint8_t *pt, size_t ct_len, size_t max_len,
			  size_t *text_len)
{
	size_t n = strnlen((const char *)pt, ct_len);
	uint8_t tail = 0;

	for (size_t i = n; i < ct_len; i++)
		tail |= pt[i];
	if (tail != 0 || n == 0)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (fscrypt_ext__fname_padded_size(inode, n, max_len) != ct_len)
		return FSCRYPT_EXT_ERR_CORRUPT;
	*text_len = n;
	return FSCRYPT_EXT_OK;
}

/* Decrypts ct into a secret buffer, checks it and copies the text out; out untouched on failure. */
static int decrypt_strict(const fscrypt_ext_inode *inode, const uint8_t *ct, size_t ct_len, size_t max_len,
			  bool is_name, uint8_t *out, size_t *out_len)
{
	uint8_t *buf = fscrypt_ext__alloc_secret(ct_len);
	size_t n = 0;
	int err;

	if (buf == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__fname_decrypt_padded(inode, ct, ct_len, buf);
	if (err == FSCRYPT_EXT_OK)
		err = canonical_text(inode, buf, ct_len, max_len, &n);
	if (err == FSCRYPT_EXT_OK && is_name)
		err = fscrypt_ext_name_check(buf, n);
	if (err == FSCRYPT_EXT_OK) {
		memcpy(out, buf, n);
		*out_len = n;
	}
	fscrypt_ext__free_secret(buf, ct_len);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_fname_decrypt_strict(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
						     uint8_t *out, size_t out_cap, size_t *out_len)
{
	if (dir == NULL || ct == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (dir->type != FSCRYPT_EXT_INODE_DIR)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (ct_len < FNAME_MIN_LEN || ct_len > FSCRYPT_EXT_NAME_MAX)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (out_cap < ct_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	return decrypt_strict(dir, ct, ct_len, FSCRYPT_EXT_NAME_MAX, true, out, out_len);
}

FSCRYPT_EXT_API int fscrypt_ext_symlink_decrypt_strict(const fscrypt_ext_inode *link, const uint8_t *disk,
						       size_t disk_len, size_t max_disk_len, uint8_t *out,
						       size_t out_cap, size_t *out_len)
{
	size_t ct_len;

	if (link == NULL || disk == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (link->type != FSCRYPT_EXT_INODE_SYMLINK)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (max_disk_len < SYMLINK_HEADER + 1 + FNAME_MIN_LEN || max_disk_len > 65536 + SYMLINK_HEADER + 1)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (disk_len < SYMLINK_HEADER + 1)
		return FSCRYPT_EXT_ERR_CORRUPT;
	ct_len = (size_t)disk[0] | ((size_t)disk[1] << 8);
	/* Past the data read, under one block, or longer than fscrypt_prepare_symlink() allows. */
	if (ct_len < FNAME_MIN_LEN || ct_len > disk_len - SYMLINK_HEADER ||
	    ct_len > max_disk_len - SYMLINK_HEADER - 1)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (out_cap < ct_len)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	return decrypt_strict(link, disk + SYMLINK_HEADER, ct_len, max_disk_len - SYMLINK_HEADER - 1, false, out,
			      out_len);
}
