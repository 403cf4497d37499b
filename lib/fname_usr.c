/* The names a user sees: decrypted with the key, or the kernel's no-key form without it (fscrypt_fname_disk_to_usr). */
#include "inode_internal.h"
#include "nokey_internal.h"
#include "fscrypt_ext/nokey.h"

#define FNAME_MIN_LEN 16
#define SYMLINK_HEADER 2

/* "." and ".." are stored in plaintext in encrypted directories and shown as they are. */
static bool is_dot_dotdot(const uint8_t *ct, size_t len)
{
	return (len == 1 && ct[0] == '.') || (len == 2 && ct[0] == '.' && ct[1] == '.');
}

FSCRYPT_EXT_API int fscrypt_ext_fname_disk_to_usr(const fscrypt_ext_inode *dir, const uint8_t *ct, size_t ct_len,
						  uint32_t hash, uint32_t minor_hash, uint8_t *out, size_t out_cap,
						  size_t *out_len)
{
	if (ct == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (is_dot_dotdot(ct, ct_len)) {
		if (out_cap < ct_len)
			return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
		memcpy(out, ct, ct_len);
		*out_len = ct_len;
		return FSCRYPT_EXT_OK;
	}
	if (ct_len < FNAME_MIN_LEN || ct_len > FSCRYPT_EXT_NAME_MAX)
		return FSCRYPT_EXT_ERR_CORRUPT;
	if (dir != NULL)
		return fscrypt_ext_fname_decrypt(dir, ct, ct_len, out, out_cap, out_len);
	return fscrypt_ext__nokey_encode(ct, ct_len, hash, minor_hash, (char *)out, out_cap, out_len);
}

FSCRYPT_EXT_API int fscrypt_ext_symlink_disk_to_usr(const fscrypt_ext_inode *link, const uint8_t *disk,
						    size_t disk_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
	size_t ct_len;

	if (disk == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (link != NULL)
		return fscrypt_ext_symlink_decrypt(link, disk, disk_len, out, out_cap, out_len);
	/* fscrypt_get_symlink() without the key: the same framing rules, then hashes 0/0. */
	if (disk_len < SYMLINK_HEADER + 1)
		return FSCRYPT_EXT_ERR_CORRUPT;
	ct_len = (size_t)disk[0] | ((size_t)disk[1] << 8);
	if (ct_len < FNAME_MIN_LEN || ct_len > disk_len - SYMLINK_HEADER)
		return FSCRYPT_EXT_ERR_CORRUPT;
	return fscrypt_ext__nokey_encode(disk + SYMLINK_HEADER, ct_len, 0, 0, (char *)out, out_cap, out_len);
}
