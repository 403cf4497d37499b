/* Stored sizes of names and symlink targets from a policy alone, for writers planning entries before any key is open. */
#include "fscrypt_ext/fscrypt_ext.h"

#include "internal.h"

#define FNAME_MIN_LEN 16        /* one cipher block: shorter names are padded up to it */
#define SYMLINK_HEADER 2        /* the le16 ciphertext length before a stored target */
#define SYMLINK_DISK_MIN 19     /* header + 16-byte ciphertext + the kernel's NUL */
#define SYMLINK_DISK_MAX 65539

/* __fscrypt_fname_encrypted_size() with the padding of policy flags. */
static size_t padded(uint8_t flags, size_t len, size_t max_len)
{
	size_t padding = (size_t)4 << (flags & FSCRYPT_EXT_FLAG_PAD_MASK);

	if (len < FNAME_MIN_LEN)
		len = FNAME_MIN_LEN;
	len = (len + padding - 1) / padding * padding;
	return len < max_len ? len : max_len;
}

static bool known_version(const struct fscrypt_ext_policy *p)
{
	return p->version == FSCRYPT_EXT_POLICY_V1 || p->version == FSCRYPT_EXT_POLICY_V2;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_fname_size(const struct fscrypt_ext_policy *p, size_t name_len,
						  size_t max_len, size_t *out_len)
{
	if (p == NULL || out_len == NULL || name_len == 0 || max_len < FNAME_MIN_LEN)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (!known_version(p))
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (name_len > max_len)
		return FSCRYPT_EXT_ERR_NAME_TOO_LONG;
	*out_len = padded(p->flags, name_len, max_len);
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_symlink_size(const struct fscrypt_ext_policy *p, size_t target_len,
						    size_t max_disk_len, size_t *out_len)
{
	/* The kernel pads the target as a name whose limit leaves room for the header and its NUL. */
	size_t max_len;

	if (p == NULL || out_len == NULL || target_len == 0 || max_disk_len < SYMLINK_DISK_MIN ||
	    max_disk_len > SYMLINK_DISK_MAX)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (!known_version(p))
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	max_len = max_disk_len - SYMLINK_HEADER - 1;
	if (target_len > max_len)
		return FSCRYPT_EXT_ERR_NAME_TOO_LONG;
	*out_len = SYMLINK_HEADER + padded(p->flags, target_len, max_len);
	return FSCRYPT_EXT_OK;
}
