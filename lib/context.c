/* Inode encryption contexts (the on-disk xattr): parse, serialise, validate, create (the kernel's struct fscrypt_context_v1/v2). */
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

/*
 * fscrypt_new_context() and the parser: the policy fields under the context
 * version byte (policy 0 -> context 1, 2 -> 2), nonce left to the caller.
 */
static void context_from_policy(const struct fscrypt_ext_policy *p, uint8_t ctx_version, struct fscrypt_ext_context *c)
{
	memset(c, 0, sizeof(*c));
	c->version = ctx_version;
	c->contents_mode = p->contents_mode;
	c->filenames_mode = p->filenames_mode;
	c->flags = p->flags;
	if (ctx_version == FSCRYPT_EXT_CONTEXT_V2) {
		c->log2_data_unit_size = p->log2_data_unit_size;
		memcpy(c->reserved, p->reserved, sizeof(c->reserved));
		memcpy(c->key_identifier, p->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	} else {
		memcpy(c->key_descriptor, p->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	}
}

static bool reserved_set(const struct fscrypt_ext_context *c)
{
	return c->version == FSCRYPT_EXT_CONTEXT_V2 && (c->reserved[0] | c->reserved[1] | c->reserved[2]) != 0;
}

FSCRYPT_EXT_API int fscrypt_ext_context_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_context *out)
{
	struct fscrypt_ext_policy p;
	struct fscrypt_ext_context c;
	size_t want;
	int err;

	if (out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__wire_shape(buf, len, context_size, &want);
	if (err != FSCRYPT_EXT_OK)
		return err;
	memset(&p, 0, sizeof(p));
	fscrypt_ext__policy_body_read(buf, buf[0] == FSCRYPT_EXT_CONTEXT_V2, &p);
	context_from_policy(&p, buf[0], &c);
	memcpy(c.nonce, buf + want - FSCRYPT_EXT_NONCE_SIZE, FSCRYPT_EXT_NONCE_SIZE);
	/* The kernel keeps these bytes and the policy check refuses them; a parser can say so at once. */
	if (reserved_set(&c))
		return FSCRYPT_EXT_ERR_RESERVED_BITS;
	*out = c;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_context_serialize(const struct fscrypt_ext_context *ctx, uint8_t *buf, size_t buf_len,
						  size_t *out_len)
{
	struct fscrypt_ext_policy p;
	size_t want;

	if (ctx == NULL || buf == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	want = context_size(ctx->version);
	if (want == 0)
		return fscrypt_ext__version_error(ctx->version);
	if (buf_len < want)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	if (fscrypt_ext_context_to_policy(ctx, &p) != FSCRYPT_EXT_OK)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	buf[0] = ctx->version;
	fscrypt_ext__policy_body_write(&p, ctx->version == FSCRYPT_EXT_CONTEXT_V2, buf);
	memcpy(buf + want - FSCRYPT_EXT_NONCE_SIZE, ctx->nonce, FSCRYPT_EXT_NONCE_SIZE);
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
		return fscrypt_ext__version_error(ctx->version);
	}
	*out = p;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_context_validate(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs)
{
	return fscrypt_ext_context_validate_dir(ctx, fs, 0);
}

FSCRYPT_EXT_API int fscrypt_ext_context_validate_dir(const struct fscrypt_ext_context *ctx,
						     const struct fscrypt_ext_fs_info *fs, unsigned int dir_flags)
{
	struct fscrypt_ext_policy p;
	int err;

	if (ctx == NULL || !fscrypt_ext__fs_info_ok(fs))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_context_to_policy(ctx, &p);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* The shape first, as fscrypt_ext_context_parse() reports it, then the policy rules. */
	if (reserved_set(ctx))
		return FSCRYPT_EXT_ERR_RESERVED_BITS;
	return fscrypt_ext_policy_validate_dir(&p, fs, dir_flags);
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
	context_from_policy(p, p->version == FSCRYPT_EXT_POLICY_V1 ? FSCRYPT_EXT_CONTEXT_V1 : FSCRYPT_EXT_CONTEXT_V2, &c);
	randombytes_buf(c.nonce, sizeof(c.nonce));
	*out = c;
	return FSCRYPT_EXT_OK;
}
