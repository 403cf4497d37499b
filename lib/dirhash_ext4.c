/* The hash pair ext4 stores for an entry of a casefolded, encrypted directory (__ext4fs_dirhash, DX_HASH_SIPHASH). */
#include "inode_internal.h"

/* EXT4_HTREE_EOF_32BIT: the hash value htree readdir reserves for "end of directory". */
#define EXT4_HTREE_EOF_32BIT 0x7fffffffu

FSCRYPT_EXT_API void fscrypt_ext_ext4_dirhash_from_siphash(uint64_t siphash, uint32_t *hash, uint32_t *minor_hash)
{
	uint32_t h = (uint32_t)(siphash >> 32);

	/* Bit 0 carries the htree collision flag, so every hash has it clear; EOF<<1 is remapped below it. */
	h &= ~(uint32_t)1;
	if (h == (EXT4_HTREE_EOF_32BIT << 1))
		h = (EXT4_HTREE_EOF_32BIT - 1) << 1;
	if (hash != NULL)
		*hash = h;
	if (minor_hash != NULL)
		*minor_hash = (uint32_t)siphash;
}

FSCRYPT_EXT_API int fscrypt_ext_ext4_dirhash(const fscrypt_ext_inode *dir, const uint8_t *name, size_t name_len,
					     uint32_t *hash, uint32_t *minor_hash)
{
	uint64_t h;
	int err;

	if (hash == NULL || minor_hash == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_dirhash(dir, name, name_len, &h);
	if (err != FSCRYPT_EXT_OK)
		return err;
	fscrypt_ext_ext4_dirhash_from_siphash(h, hash, minor_hash);
	return FSCRYPT_EXT_OK;
}
