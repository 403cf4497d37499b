/* fscrypt-ext tool: `kat` handler for dirhash vectors (casefolded encrypted directories), from the context and through a prepared directory. */
#include "kat/kat.h"

/*
 * The dirhash key is a 16-byte HKDF output (context 5) that depends on the master key and the
 * directory nonce only, not on the directory's modes; so the hash is checked from the context
 * and the key directly. Where the kernel would also open the directory (key long enough for
 * its filenames mode), the prepared-inode path must give the same hash.
 */
enum kat_result kat_dirhash(struct kat_vec *v)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *dir = NULL;
	uint64_t want, got;
	size_t name_len, ctx_len;
	uint8_t *name, *raw;
	uint32_t block_size;
	int err;

	name = kat_hex(v, "name", &name_len);
	raw = kat_hex(v, "context", &ctx_len);
	if (name == NULL || raw == NULL || !kat_u64(v, "hash", &want) || !kat_block_size(v, &block_size))
		return KAT_FAIL;
	if (!kat_lib_ok(v, "fscrypt_ext_context_parse", fscrypt_ext_context_parse(raw, ctx_len, &ctx)))
		return KAT_FAIL;
	if ((mk = kat_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_dirhash_from_context",
		       fscrypt_ext_dirhash_from_context(&ctx, mk, name, name_len, &got)))
		kat_same_u64(v, "dirhash", want, got);
	fscrypt_ext_fs_info_ext4(&fs, block_size);
	/* only casefolded encrypted directories have a dirhash key */
	err = fscrypt_ext_inode_open_ex(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 0, &fs, FSCRYPT_EXT_OPEN_CASEFOLDED, &dir);
	if (err == FSCRYPT_EXT_OK) {
		if (kat_lib_ok(v, "fscrypt_ext_dirhash", fscrypt_ext_dirhash(dir, name, name_len, &got)))
			kat_same_u64(v, "dirhash (prepared directory)", want, got);
	} else if (!(err == FSCRYPT_EXT_ERR_KEY_SIZE &&
		     kat_kernel_refuses_key_size(&ctx, FSCRYPT_EXT_INODE_DIR, fscrypt_ext_master_key_size(mk)))) {
		kat_lib_ok(v, "fscrypt_ext_inode_open", err);
	}
	kat_close_inode(mk, dir);
	return kat_verdict(v);
}
