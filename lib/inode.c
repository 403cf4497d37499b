/* Inode key objects and file contents encryption by data units (the kernel's fscrypt_crypt_data_unit(); IVs in docs/iv-methods.md). */
#include "inode_internal.h"
#include "key.h"
#include "policy_internal.h"

void fscrypt_ext__inode_iv(const struct fscrypt_ext_inode *inode, uint64_t index, uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE])
{
	uint8_t flags = inode->ctx.flags;

	memset(iv, 0, FSCRYPT_EXT__MAX_IV_SIZE);
	if (inode->ctx.version == FSCRYPT_EXT_CONTEXT_V2 && (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64)) {
		index |= inode->ino << 32;
	} else if (inode->ctx.version == FSCRYPT_EXT_CONTEXT_V2 && (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)) {
		/* Wraps modulo 2^32, as the kernel's (u32)(ci_hashed_ino + index). */
		index = (uint32_t)(inode->keys.hashed_ino + (uint32_t)index);
	} else if (flags & FSCRYPT_EXT_FLAG_DIRECT_KEY) {
		memcpy(iv + 8, inode->ctx.nonce, FSCRYPT_EXT_NONCE_SIZE);
	}
	fscrypt_ext__put_le64(iv, index);
}

static bool iv_ino_lblk(const struct fscrypt_ext_context *ctx)
{
	return ctx->version == FSCRYPT_EXT_CONTEXT_V2 &&
	       (ctx->flags & (FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32));
}

/* The key a loaded inode must be unlocked with: v2 identifier, or (checked) v1 descriptor. */
static int check_key_matches(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk, bool check_v1)
{
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V2)
		return memcmp(ctx->key_identifier, fscrypt_ext__master_key_id(mk), FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) == 0
			       ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_WRONG_KEY;
	if (check_v1 &&
	    memcmp(ctx->key_descriptor, fscrypt_ext__master_key_desc(mk), FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE) != 0)
		return FSCRYPT_EXT_ERR_WRONG_KEY;
	return FSCRYPT_EXT_OK;
}

static int check_open_args(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
			   enum fscrypt_ext_inode_type type, const struct fscrypt_ext_fs_info *fs)
{
	if (ctx == NULL || mk == NULL || fs == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (type != FSCRYPT_EXT_INODE_REG && type != FSCRYPT_EXT_INODE_DIR && type != FSCRYPT_EXT_INODE_SYMLINK)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	return FSCRYPT_EXT_OK;
}

/* IV_INO_LBLK_64/32 keys mix in the UUID: a zero one is "unknown", never what the kernel used. */
static bool uuid_is_zero(const uint8_t uuid[16])
{
	uint8_t acc = 0;

	for (size_t i = 0; i < 16; i++)
		acc |= uuid[i];
	return acc == 0;
}

int fscrypt_ext__inode_check(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
			     enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
			     unsigned int flags, const struct fscrypt_ext__mode **mode)
{
	const struct fscrypt_ext__mode *m;
	int err = check_open_args(ctx, mk, type, fs);

	if (err == FSCRYPT_EXT_OK && (flags & ~(FSCRYPT_EXT_OPEN_CASEFOLDED | FSCRYPT_EXT_OPEN_V1_UNCHECKED)) != 0)
		err = FSCRYPT_EXT_ERR_INVALID_ARG;
	/* Only a directory can be casefolded (ext4 refuses +F elsewhere). */
	if (err == FSCRYPT_EXT_OK && (flags & FSCRYPT_EXT_OPEN_CASEFOLDED) && type != FSCRYPT_EXT_INODE_DIR)
		err = FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__init();
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_context_validate_dir(ctx, fs, flags & FSCRYPT_EXT_OPEN_CASEFOLDED ?
								FSCRYPT_EXT_DIR_CASEFOLDED : 0);
	if (err == FSCRYPT_EXT_OK)
		err = check_key_matches(ctx, mk, !(flags & FSCRYPT_EXT_OPEN_V1_UNCHECKED));
	if (err == FSCRYPT_EXT_OK && iv_ino_lblk(ctx) && uuid_is_zero(fs->uuid))
		err = FSCRYPT_EXT_ERR_NO_FS_UUID;
	if (err != FSCRYPT_EXT_OK)
		return err;
	m = fscrypt_ext__mode_get(type == FSCRYPT_EXT_INODE_REG ? ctx->contents_mode : ctx->filenames_mode);
	if (m == NULL)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	err = fscrypt_ext__check_master_key_size(ctx->version, m, fscrypt_ext_master_key_size(mk));
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* IV_INO_LBLK_* put (or hash) a 32-bit inode number into the IV. */
	if (iv_ino_lblk(ctx) && ino > UINT32_MAX)
		return FSCRYPT_EXT_ERR_RANGE;
	*mode = m;
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__inode_fill(fscrypt_ext_inode *inode, const struct fscrypt_ext_context *ctx,
			     enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs)
{
	inode->ctx = *ctx;
	inode->type = type;
	inode->ino = ino;
	inode->du_bits = fscrypt_ext__context_du_bits(ctx, fs);
}

static int inode_open(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
		      enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs,
		      unsigned int flags, fscrypt_ext_inode **out)
{
	const struct fscrypt_ext__mode *m = NULL;
	fscrypt_ext_inode *inode;
	int err = out == NULL ? FSCRYPT_EXT_ERR_INVALID_ARG
			      : fscrypt_ext__inode_check(ctx, mk, type, ino, fs, flags, &m);

	if (err != FSCRYPT_EXT_OK)
		return err;
	inode = fscrypt_ext__alloc_secret(sizeof(*inode));
	if (inode == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__setup_inode_keys(ctx, mk, m, type == FSCRYPT_EXT_INODE_DIR, ino, fs->uuid, &inode->keys);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext__free_secret(inode, sizeof(*inode));
		return err;
	}
	fscrypt_ext__inode_fill(inode, ctx, type, ino, fs);
	*out = inode;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_inode_open(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
					   enum fscrypt_ext_inode_type type, uint64_t ino,
					   const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out)
{
	return inode_open(ctx, mk, type, ino, fs, 0, out);
}

FSCRYPT_EXT_API int fscrypt_ext_inode_open_ex(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
					      enum fscrypt_ext_inode_type type, uint64_t ino,
					      const struct fscrypt_ext_fs_info *fs, unsigned int flags,
					      fscrypt_ext_inode **out)
{
	return inode_open(ctx, mk, type, ino, fs, flags, out);
}

FSCRYPT_EXT_API int fscrypt_ext_inode_open_v1_unchecked(const struct fscrypt_ext_context *ctx,
							const fscrypt_ext_master_key *mk,
							enum fscrypt_ext_inode_type type, uint64_t ino,
							const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out)
{
	return inode_open(ctx, mk, type, ino, fs, FSCRYPT_EXT_OPEN_V1_UNCHECKED, out);
}

FSCRYPT_EXT_API void fscrypt_ext_inode_free(fscrypt_ext_inode *inode)
{
	if (inode != NULL)
		fscrypt_ext__free_secret(inode, sizeof(*inode));
}

FSCRYPT_EXT_API size_t fscrypt_ext_inode_data_unit_size(const fscrypt_ext_inode *inode)
{
	return inode != NULL ? (size_t)1 << inode->du_bits : 0;
}

/* Checks a run of data units; *first gets the index of its first unit. */
static int check_units(const fscrypt_ext_inode *inode, uint64_t file_offset, const uint8_t *in, const uint8_t *out,
		       size_t len, uint64_t *first)
{
	uint64_t du = (uint64_t)1 << inode->du_bits;
	uint64_t last;

	if (inode->type != FSCRYPT_EXT_INODE_REG)
		return FSCRYPT_EXT_ERR_WRONG_TYPE;
	if (len != 0 && (in == NULL || out == NULL))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if ((file_offset & (du - 1)) != 0 || ((uint64_t)len & (du - 1)) != 0)
		return FSCRYPT_EXT_ERR_ALIGNMENT;
	if (len != 0 && file_offset + (uint64_t)len - 1 < file_offset)
		return FSCRYPT_EXT_ERR_RANGE;
	*first = file_offset >> inode->du_bits;
	last = len != 0 ? (file_offset + (uint64_t)len - 1) >> inode->du_bits : *first;
	if (iv_ino_lblk(&inode->ctx) && last > UINT32_MAX)
		return FSCRYPT_EXT_ERR_RANGE;
	return FSCRYPT_EXT_OK;
}

static void inode_unit_iv(const void *inode, uint64_t index, uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE])
{
	fscrypt_ext__inode_iv(inode, index, iv);
}

static int crypt_units(const fscrypt_ext_inode *inode, uint64_t file_offset, const uint8_t *in, uint8_t *out,
		       size_t len, bool enc)
{
	uint64_t index;
	int err;

	if (inode == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = check_units(inode, file_offset, in, out, len, &index);
	if (err != FSCRYPT_EXT_OK)
		return err;
	return fscrypt_ext__cipher_crypt_units(&inode->keys.cipher, inode_unit_iv, inode, index, in, out, len,
					       (size_t)1 << inode->du_bits, enc);
}

FSCRYPT_EXT_API int fscrypt_ext_encrypt_data_units(const fscrypt_ext_inode *inode, uint64_t file_offset,
						   const uint8_t *in, uint8_t *out, size_t len)
{
	return crypt_units(inode, file_offset, in, out, len, true);
}

FSCRYPT_EXT_API int fscrypt_ext_decrypt_data_units(const fscrypt_ext_inode *inode, uint64_t file_offset,
						   const uint8_t *in, uint8_t *out, size_t len)
{
	return crypt_units(inode, file_offset, in, out, len, false);
}
