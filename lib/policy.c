/* Encryption policies: parse, serialise and validate exactly as Linux 6.18 fscrypt_supported_policy(). */
#include "internal.h"
#include "cipher.h"
#include "policy_internal.h"
#include "fscrypt_ext/policy.h"

FSCRYPT_EXT_API void fscrypt_ext_fs_info_ext4(struct fscrypt_ext_fs_info *fs, uint32_t block_size)
{
	if (fs == NULL)
		return;
	memset(fs, 0, sizeof(*fs));
	fs->block_size = block_size;
	fs->ino_bits = 32;
	fs->lblk_bits = 32;
	fs->stable_inodes = true;
	fs->subblock_data_units = true;
}

/*
 * Version 1 policies and version 0 contexts never existed: corrupt. Anything
 * above 2 may be a future format the kernel would recognise (e2fsck keeps
 * such inodes as "unrecognized" rather than clearing them).
 */
int fscrypt_ext__version_error(uint8_t version)
{
	return version > 2 ? FSCRYPT_EXT_ERR_UNKNOWN_VERSION : FSCRYPT_EXT_ERR_BAD_VERSION;
}

unsigned int fscrypt_ext__log2(uint32_t v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

bool fscrypt_ext__fs_info_ok(const struct fscrypt_ext_fs_info *fs)
{
	return fs != NULL && fs->block_size >= 512 && fs->block_size <= 65536 &&
	       (fs->block_size & (fs->block_size - 1)) == 0;
}

/* fscrypt_valid_enc_modes_v1(): the only pairs v1 will ever accept. */
static bool valid_modes_v1(uint8_t contents, uint8_t filenames)
{
	return (contents == FSCRYPT_EXT_MODE_AES_256_XTS && filenames == FSCRYPT_EXT_MODE_AES_256_CTS) ||
	       (contents == FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV && filenames == FSCRYPT_EXT_MODE_AES_128_CTS) ||
	       (contents == FSCRYPT_EXT_MODE_ADIANTUM && filenames == FSCRYPT_EXT_MODE_ADIANTUM);
}

/* fscrypt_valid_enc_modes_v2(): new pairs go to v2 only. */
static bool valid_modes_v2(uint8_t contents, uint8_t filenames)
{
	return (contents == FSCRYPT_EXT_MODE_AES_256_XTS && filenames == FSCRYPT_EXT_MODE_AES_256_HCTR2) ||
	       (contents == FSCRYPT_EXT_MODE_SM4_XTS && filenames == FSCRYPT_EXT_MODE_SM4_CTS) ||
	       valid_modes_v1(contents, filenames);
}

/*
 * supported_direct_key_modes(): the nonce goes into IV bytes 8..23, so the
 * mode needs a 24-byte IV or more (offsetofend of the IV nonce); only Adiantum.
 */
static int check_direct_key_modes(uint8_t contents, uint8_t filenames)
{
	const struct fscrypt_ext__mode *m;

	if (contents != filenames)
		return FSCRYPT_EXT_ERR_DIRECT_KEY_MODES;
	m = fscrypt_ext__mode_get(contents);
	if (m == NULL || m->iv_size < 24)
		return FSCRYPT_EXT_ERR_DIRECT_KEY_MODES;
	return FSCRYPT_EXT_OK;
}

unsigned int fscrypt_ext__du_bits(bool v2, uint8_t log2_data_unit_size, const struct fscrypt_ext_fs_info *fs)
{
	if (v2 && log2_data_unit_size != 0)
		return log2_data_unit_size;
	return fscrypt_ext__log2(fs->block_size);
}

unsigned int fscrypt_ext__policy_du_bits(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs)
{
	return fscrypt_ext__du_bits(p->version == FSCRYPT_EXT_POLICY_V2, p->log2_data_unit_size, fs);
}

unsigned int fscrypt_ext__context_du_bits(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs)
{
	return fscrypt_ext__du_bits(ctx->version == FSCRYPT_EXT_CONTEXT_V2, ctx->log2_data_unit_size, fs);
}

/*
 * supported_iv_ino_lblk_policy(): AES-256-XTS contents, stable and 32-bit
 * inode numbers, and every data unit index of a file within 32 bits. The
 * kernel's fls64(s_maxbytes - 1) - du_bits is lblk_bits + block bits - du_bits
 * for a filesystem whose largest file has 2^lblk_bits - 1 blocks.
 */
static int check_iv_ino_lblk(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs)
{
	unsigned int max_dun_bits;

	if (p->contents_mode != FSCRYPT_EXT_MODE_AES_256_XTS)
		return FSCRYPT_EXT_ERR_IV_INO_LBLK;
	if (!fs->stable_inodes)
		return FSCRYPT_EXT_ERR_IV_INO_LBLK;
	if (fs->ino_bits > 32)
		return FSCRYPT_EXT_ERR_IV_INO_LBLK;
	max_dun_bits = (unsigned int)fs->lblk_bits + fscrypt_ext__log2(fs->block_size);
	max_dun_bits = max_dun_bits > fscrypt_ext__policy_du_bits(p, fs) ?
			       max_dun_bits - fscrypt_ext__policy_du_bits(p, fs) : 0;
	if (max_dun_bits > 32)
		return FSCRYPT_EXT_ERR_IV_INO_LBLK;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_supported_v1_policy(), same order. */
static int validate_v1(const struct fscrypt_ext_policy *p, unsigned int dir_flags)
{
	int err;

	if (!valid_modes_v1(p->contents_mode, p->filenames_mode))
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	if (p->flags & ~(FSCRYPT_EXT_FLAG_PAD_MASK | FSCRYPT_EXT_FLAG_DIRECT_KEY))
		return FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS;
	if (p->flags & FSCRYPT_EXT_FLAG_DIRECT_KEY) {
		err = check_direct_key_modes(p->contents_mode, p->filenames_mode);
		if (err != FSCRYPT_EXT_OK)
			return err;
	}
	/* With v1 there is no way to derive dirhash keys. */
	if (dir_flags & FSCRYPT_EXT_DIR_CASEFOLDED)
		return FSCRYPT_EXT_ERR_CASEFOLD_V1;
	return FSCRYPT_EXT_OK;
}

static int validate_v2_data_unit(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs)
{
	unsigned int blkbits = fscrypt_ext__log2(fs->block_size);

	if (p->log2_data_unit_size == 0)
		return FSCRYPT_EXT_OK;
	if (!fs->subblock_data_units)
		return FSCRYPT_EXT_ERR_DATA_UNIT_SIZE;
	if (p->log2_data_unit_size > blkbits || p->log2_data_unit_size < 9)
		return FSCRYPT_EXT_ERR_DATA_UNIT_SIZE;
	/* The kernel cannot yet keep IV_INO_LBLK_32 wrap-around on a block boundary with sub-block units. */
	if (p->log2_data_unit_size != blkbits && (p->flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32))
		return FSCRYPT_EXT_ERR_DATA_UNIT_SIZE;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_supported_v2_policy(), same order. */
static int validate_v2(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs)
{
	const uint8_t exclusive = FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 |
				  FSCRYPT_EXT_FLAG_IV_INO_LBLK_32;
	uint8_t set;
	int err;

	if (!valid_modes_v2(p->contents_mode, p->filenames_mode))
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	if (p->flags & ~(FSCRYPT_EXT_FLAG_PAD_MASK | exclusive))
		return FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS;
	set = p->flags & exclusive;
	if (set & (set - 1))
		return FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS;
	err = validate_v2_data_unit(p, fs);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (p->flags & FSCRYPT_EXT_FLAG_DIRECT_KEY) {
		err = check_direct_key_modes(p->contents_mode, p->filenames_mode);
		if (err != FSCRYPT_EXT_OK)
			return err;
	}
	if (p->flags & (FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)) {
		err = check_iv_ino_lblk(p, fs);
		if (err != FSCRYPT_EXT_OK)
			return err;
	}
	if (p->reserved[0] | p->reserved[1] | p->reserved[2])
		return FSCRYPT_EXT_ERR_RESERVED_BITS;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_validate(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs)
{
	return fscrypt_ext_policy_validate_dir(p, fs, 0);
}

FSCRYPT_EXT_API int fscrypt_ext_policy_validate_dir(const struct fscrypt_ext_policy *p,
						    const struct fscrypt_ext_fs_info *fs, unsigned int dir_flags)
{
	if (p == NULL || !fscrypt_ext__fs_info_ok(fs) || (dir_flags & ~FSCRYPT_EXT_DIR_CASEFOLDED) != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	switch (p->version) {
	case FSCRYPT_EXT_POLICY_V1:
		return validate_v1(p, dir_flags);
	case FSCRYPT_EXT_POLICY_V2:
		return validate_v2(p, fs);
	default:
		return fscrypt_ext__version_error(p->version);
	}
}

void fscrypt_ext__policy_body_read(const uint8_t *buf, bool v2, struct fscrypt_ext_policy *p)
{
	p->contents_mode = buf[1];
	p->filenames_mode = buf[2];
	p->flags = buf[3];
	if (v2) {
		p->log2_data_unit_size = buf[4];
		memcpy(p->reserved, buf + 5, sizeof(p->reserved));
		memcpy(p->key_identifier, buf + 8, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	} else {
		memcpy(p->key_descriptor, buf + 4, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	}
}

void fscrypt_ext__policy_body_write(const struct fscrypt_ext_policy *p, bool v2, uint8_t *buf)
{
	buf[1] = p->contents_mode;
	buf[2] = p->filenames_mode;
	buf[3] = p->flags;
	if (v2) {
		buf[4] = p->log2_data_unit_size;
		memcpy(buf + 5, p->reserved, sizeof(p->reserved));
		memcpy(buf + 8, p->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	} else {
		memcpy(buf + 4, p->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	}
}

int fscrypt_ext__wire_shape(const uint8_t *buf, size_t len, size_t (*size_of)(uint8_t version), size_t *want)
{
	if (buf == NULL && len != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len == 0)
		return FSCRYPT_EXT_ERR_TRUNCATED;
	*want = size_of(buf[0]);
	if (*want == 0)
		return fscrypt_ext__version_error(buf[0]);
	if (len < *want)
		return FSCRYPT_EXT_ERR_TRUNCATED;
	return len > *want ? FSCRYPT_EXT_ERR_OVERSIZED : FSCRYPT_EXT_OK;
}

/* Expected struct size for a policy version byte, or 0. */
static size_t policy_size(uint8_t version)
{
	switch (version) {
	case FSCRYPT_EXT_POLICY_V1:
		return FSCRYPT_EXT_POLICY_V1_SIZE;
	case FSCRYPT_EXT_POLICY_V2:
		return FSCRYPT_EXT_POLICY_V2_SIZE;
	default:
		return 0;
	}
}

FSCRYPT_EXT_API int fscrypt_ext_policy_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_policy *out)
{
	struct fscrypt_ext_policy p;
	size_t want;
	int err;

	if (out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__wire_shape(buf, len, policy_size, &want);
	if (err != FSCRYPT_EXT_OK)
		return err;
	memset(&p, 0, sizeof(p));
	p.version = buf[0];
	fscrypt_ext__policy_body_read(buf, p.version == FSCRYPT_EXT_POLICY_V2, &p);
	*out = p;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_serialize(const struct fscrypt_ext_policy *p, uint8_t *buf, size_t buf_len,
						 size_t *out_len)
{
	size_t want;

	if (p == NULL || buf == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	want = policy_size(p->version);
	if (want == 0)
		return fscrypt_ext__version_error(p->version);
	if (buf_len < want)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	buf[0] = p->version;
	fscrypt_ext__policy_body_write(p, p->version == FSCRYPT_EXT_POLICY_V2, buf);
	if (out_len != NULL)
		*out_len = want;
	return FSCRYPT_EXT_OK;
}
