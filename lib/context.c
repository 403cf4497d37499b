/* Inode encryption contexts (the on-disk xattr): parse, serialise, validate, create (spec section 1.5-1.6). */
#include <sodium.h>

#include "internal.h"
#include "policy_internal.h"
#include "fscrypt_ext/policy.h"

/* fscrypt_context_size(): exactly 28 or 40 bytes by version byte, nothing else. */
static size_t context_size(uint8_t version)
{
	switch (version) {
	case FSCRYPT_EXT_CONTEXT_V1:
		return FSCRYPT_EXT_CONTEXT_V1_SIZE;
	case FSCRYPT_EXT_CONTEXT_V2:
		return FSCRYPT_EXT_CONTEXT_V2_SIZE;
	default:
		return 0;
	}
}

FSCRYPT_EXT_API int fscrypt_ext_context_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_context *out)
{
	struct fscrypt_ext_context c;
	size_t want;

	if ((buf == NULL && len != 0) || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len == 0)
		return FSCRYPT_EXT_ERR_TRUNCATED;
	want = context_size(buf[0]);
	if (want == 0)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (len < want)
		return FSCRYPT_EXT_ERR_TRUNCATED;
	if (len > want)
		return FSCRYPT_EXT_ERR_OVERSIZED;
	memset(&c, 0, sizeof(c));
	c.version = buf[0];
	c.contents_mode = buf[1];
	c.filenames_mode = buf[2];
	c.flags = buf[3];
	if (c.version == FSCRYPT_EXT_CONTEXT_V1) {
		memcpy(c.key_descriptor, buf + 4, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
		memcpy(c.nonce, buf + 12, FSCRYPT_EXT_NONCE_SIZE);
	} else {
		c.log2_data_unit_size = buf[4];
		memcpy(c.reserved, buf + 5, 3);
		memcpy(c.key_identifier, buf + 8, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
		memcpy(c.nonce, buf + 24, FSCRYPT_EXT_NONCE_SIZE);
		/* The kernel keeps these bytes and the policy check refuses them; a parser can say so at once. */
		if (c.reserved[0] | c.reserved[1] | c.reserved[2])
			return FSCRYPT_EXT_ERR_RESERVED_BITS;
	}
	*out = c;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_context_serialize(const struct fscrypt_ext_context *ctx, uint8_t *buf, size_t buf_len,
						  size_t *out_len)
{
	size_t want;

	if (ctx == NULL || buf == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	want = context_size(ctx->version);
	if (want == 0)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (buf_len < want)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	buf[0] = ctx->version;
	buf[1] = ctx->contents_mode;
	buf[2] = ctx->filenames_mode;
	buf[3] = ctx->flags;
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V1) {
		memcpy(buf + 4, ctx->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
		memcpy(buf + 12, ctx->nonce, FSCRYPT_EXT_NONCE_SIZE);
	} else {
		buf[4] = ctx->log2_data_unit_size;
		memcpy(buf + 5, ctx->reserved, 3);
		memcpy(buf + 8, ctx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
		memcpy(buf + 24, ctx->nonce, FSCRYPT_EXT_NONCE_SIZE);
	}
	if (out_len != NULL)
		*out_len = want;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_policy_from_context(): version 1 -> 0; v2 keeps the reserved bytes so validation sees them. */
FSCRYPT_EXT_API int fscrypt_ext_context_to_policy(const struct fscrypt_ext_context *ctx, struct fscrypt_ext_policy *out)
{
	struct fscrypt_ext_policy p;

	if (ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	memset(&p, 0, sizeof(p));
	p.contents_mode = ctx->contents_mode;
	p.filenames_mode = ctx->filenames_mode;
	p.flags = ctx->flags;
	switch (ctx->version) {
	case FSCRYPT_EXT_CONTEXT_V1:
		p.version = FSCRYPT_EXT_POLICY_V1;
		memcpy(p.key_descriptor, ctx->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
		break;
	case FSCRYPT_EXT_CONTEXT_V2:
		p.version = FSCRYPT_EXT_POLICY_V2;
		p.log2_data_unit_size = ctx->log2_data_unit_size;
		memcpy(p.reserved, ctx->reserved, 3);
		memcpy(p.key_identifier, ctx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
		break;
	default:
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	}
	*out = p;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_context_validate(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs)
{
	struct fscrypt_ext_policy p;
	int err;

	if (ctx == NULL || !fscrypt_ext__fs_info_ok(fs))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_context_to_policy(ctx, &p);
	if (err != FSCRYPT_EXT_OK)
		return err;
	return fscrypt_ext_policy_validate(&p, fs);
}

/* fscrypt_new_context(): copy the policy, add a fresh random nonce, zero the rest. */
FSCRYPT_EXT_API int fscrypt_ext_context_new(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
					    struct fscrypt_ext_context *out)
{
	struct fscrypt_ext_context c;
	int err;

	if (p == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_policy_validate(p, fs);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	memset(&c, 0, sizeof(c));
	c.contents_mode = p->contents_mode;
	c.filenames_mode = p->filenames_mode;
	c.flags = p->flags;
	if (p->version == FSCRYPT_EXT_POLICY_V1) {
		c.version = FSCRYPT_EXT_CONTEXT_V1;
		memcpy(c.key_descriptor, p->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	} else {
		c.version = FSCRYPT_EXT_CONTEXT_V2;
		c.log2_data_unit_size = p->log2_data_unit_size;
		memcpy(c.key_identifier, p->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	}
	randombytes_buf(c.nonce, sizeof(c.nonce));
	*out = c;
	return FSCRYPT_EXT_OK;
}
