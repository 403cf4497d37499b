/* fscrypt-ext tool: `kat` helpers for fscrypt-level vectors, the master key, block size and an inode opened as a filesystem tool does. */
#include <stdint.h>

#include "kat/kat.h"

/* Imports the vector's master_key (test data, not a secret worth locking twice). */
fscrypt_ext_master_key *kat_master_key(struct kat_vec *v)
{
	fscrypt_ext_master_key *mk = NULL;
	size_t len;
	uint8_t *raw = kat_hex(v, "master_key", &len);

	if (raw == NULL)
		return NULL;
	if (!kat_lib_ok(v, "fscrypt_ext_master_key_new", fscrypt_ext_master_key_new(raw, len, &mk)))
		return NULL;
	return mk;
}

bool kat_block_size(struct kat_vec *v, uint32_t *block_size)
{
	uint64_t n = 4096;

	if (kat_has(v, "block_size") && !kat_u64(v, "block_size", &n))
		return false;
	if (n == 0 || n > UINT32_MAX) {
		kat_fail(v, "malformed vector: block_size %llu out of range", (unsigned long long)n);
		return false;
	}
	*block_size = (uint32_t)n;
	return true;
}

/*
 * Whether the kernel would refuse this master key for the inode's mode
 * (keysetup: v1 needs the mode's key size, v2 its security strength). Worked
 * out here from the mode table, not from the call under test.
 */
bool kat_kernel_refuses_key_size(const struct fscrypt_ext_context *ctx, enum fscrypt_ext_inode_type type,
				    size_t key_len)
{
	struct fscrypt_ext_mode_info mi;
	unsigned int mode = type == FSCRYPT_EXT_INODE_REG ? ctx->contents_mode : ctx->filenames_mode;

	if (fscrypt_ext_mode_info(mode, &mi) != FSCRYPT_EXT_OK)
		return false;
	return key_len < (ctx->version == FSCRYPT_EXT_CONTEXT_V1 ? mi.key_size : mi.security_strength);
}

/*
 * context + master_key + ino + fs_uuid (+ block_size) -> a prepared inode, as
 * a filesystem tool opens one: parse the on-disk context, then key setup with
 * the filesystem's properties (ext4 defaults). KAT_PASS when it is open.
 */
enum kat_result kat_open_inode(struct kat_vec *v, const char *ctx_field, enum fscrypt_ext_inode_type type,
				      bool casefolded, fscrypt_ext_master_key **mk_out, fscrypt_ext_inode **out)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	uint32_t block_size;
	uint64_t ino = 0;
	uint8_t *raw;
	size_t len;
	int err;

	raw = kat_hex(v, ctx_field, &len);
	if (raw == NULL || !kat_block_size(v, &block_size))
		return KAT_FAIL;
	if (!kat_lib_ok(v, "fscrypt_ext_context_parse", fscrypt_ext_context_parse(raw, len, &ctx)))
		return KAT_FAIL;
	fscrypt_ext_fs_info_ext4(&fs, block_size);
	if (kat_has(v, "fs_uuid") && !kat_hex_fixed(v, "fs_uuid", fs.uuid, sizeof(fs.uuid)))
		return KAT_FAIL;
	if (kat_has(v, "ino") && !kat_u64(v, "ino", &ino))
		return KAT_FAIL;
	mk = kat_master_key(v);
	if (mk == NULL)
		return KAT_FAIL;
	/*
	 * The kernel never compares a v1 descriptor with the key (userspace picks descriptors; the
	 * reference vectors use arbitrary ones), so v1 inodes open unchecked as the kernel would.
	 */
	err = fscrypt_ext_inode_open_ex(&ctx, mk, type, ino, &fs,
					(ctx.version == FSCRYPT_EXT_CONTEXT_V1 ? FSCRYPT_EXT_OPEN_V1_UNCHECKED : 0) |
						(casefolded ? FSCRYPT_EXT_OPEN_CASEFOLDED : 0),
					out);
	if (err == FSCRYPT_EXT_ERR_KEY_SIZE &&
	    kat_kernel_refuses_key_size(&ctx, type, fscrypt_ext_master_key_size(mk))) {
		fscrypt_ext_master_key_free(mk);
		return kat_skip(v, "master key shorter than the kernel accepts for the mode (no such inode can exist)");
	}
	if (!kat_lib_ok(v, "fscrypt_ext_inode_open", err)) {
		fscrypt_ext_master_key_free(mk);
		return KAT_FAIL;
	}
	*mk_out = mk;
	return KAT_PASS;
}

void kat_close_inode(fscrypt_ext_master_key *mk, fscrypt_ext_inode *inode)
{
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
}
