/* Extent contexts (btrfs series v6, not upstream): parse, serialise, check against the inode, create (docs/per-extent-keys.md). */
#include <sodium.h>

#include "internal.h"
#include "fscrypt_ext/extent.h"

/* Layout offsets of the 34-byte context (docs/per-extent-keys.md). */
#define ECTX_OFF_VERSION 0
#define ECTX_OFF_MODE 1
#define ECTX_OFF_ID 2
#define ECTX_OFF_NONCE (ECTX_OFF_ID + FSCRYPT_EXT_KEY_IDENTIFIER_SIZE)

_Static_assert(ECTX_OFF_NONCE + FSCRYPT_EXT_EXTENT_NONCE_SIZE == FSCRYPT_EXT_EXTENT_CONTEXT_SIZE,
	       "extent context layout is 34 bytes");

FSCRYPT_EXT_API int fscrypt_ext_extent_context_parse(const uint8_t *buf, size_t len,
						     struct fscrypt_ext_extent_context *out)
{
	struct fscrypt_ext_extent_context c;

	if ((buf == NULL && len != 0) || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len < FSCRYPT_EXT_EXTENT_CONTEXT_SIZE)
		return FSCRYPT_EXT_ERR_TRUNCATED;
	if (len > FSCRYPT_EXT_EXTENT_CONTEXT_SIZE)
		return FSCRYPT_EXT_ERR_OVERSIZED;
	/* FSCRYPT_EXTENT_CONTEXT_V1 is the only version the series defines. */
	if (buf[ECTX_OFF_VERSION] != FSCRYPT_EXT_EXTENT_CONTEXT_V1)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	c.version = buf[ECTX_OFF_VERSION];
	c.contents_mode = buf[ECTX_OFF_MODE];
	memcpy(c.key_identifier, buf + ECTX_OFF_ID, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	memcpy(c.nonce, buf + ECTX_OFF_NONCE, FSCRYPT_EXT_EXTENT_NONCE_SIZE);
	*out = c;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_context_serialize(const struct fscrypt_ext_extent_context *ctx, uint8_t *buf,
							 size_t buf_len, size_t *out_len)
{
	if (ctx == NULL || buf == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (ctx->version != FSCRYPT_EXT_EXTENT_CONTEXT_V1)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (buf_len < FSCRYPT_EXT_EXTENT_CONTEXT_SIZE)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	buf[ECTX_OFF_VERSION] = ctx->version;
	buf[ECTX_OFF_MODE] = ctx->contents_mode;
	memcpy(buf + ECTX_OFF_ID, ctx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	memcpy(buf + ECTX_OFF_NONCE, ctx->nonce, FSCRYPT_EXT_EXTENT_NONCE_SIZE);
	if (out_len != NULL)
		*out_len = FSCRYPT_EXT_EXTENT_CONTEXT_SIZE;
	return FSCRYPT_EXT_OK;
}

/*
 * The posted series (docs/per-extent-keys.md) refuses v1 policies and the v2 flags that put
 * per-mode keys or inode numbers into the IV: an extent's key and IV must not
 * depend on any one inode. PAD flags and every v2 mode pair are allowed.
 */
FSCRYPT_EXT_API int fscrypt_ext_extent_policy_check(const struct fscrypt_ext_context *inode_ctx)
{
	const uint8_t iv_flags = FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 |
				 FSCRYPT_EXT_FLAG_IV_INO_LBLK_32;
	struct fscrypt_ext_mode_info mi;

	if (inode_ctx == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (inode_ctx->version == FSCRYPT_EXT_CONTEXT_V1)
		return FSCRYPT_EXT_ERR_EXTENT_POLICY;
	if (inode_ctx->version != FSCRYPT_EXT_CONTEXT_V2)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (inode_ctx->flags & iv_flags)
		return FSCRYPT_EXT_ERR_EXTENT_POLICY;
	if (inode_ctx->flags & ~FSCRYPT_EXT_FLAG_PAD_MASK)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS;
	if (inode_ctx->reserved[0] | inode_ctx->reserved[1] | inode_ctx->reserved[2])
		return FSCRYPT_EXT_ERR_RESERVED_BITS;
	if (fscrypt_ext_mode_info(inode_ctx->contents_mode, &mi) != FSCRYPT_EXT_OK || !mi.for_contents)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	return FSCRYPT_EXT_OK;
}

/*
 * fscrypt_load_extent_info() in the series: version and mode must match, and
 * so must the key identifier -- unless the caller opted into re-keyed extents.
 */
FSCRYPT_EXT_API int fscrypt_ext_extent_context_validate(const struct fscrypt_ext_extent_context *ectx,
							const struct fscrypt_ext_context *inode_ctx, unsigned int flags)
{
	int err;

	if (ectx == NULL || inode_ctx == NULL || (flags & ~FSCRYPT_EXT_EXTENT_ALLOW_REKEYED))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_extent_policy_check(inode_ctx);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (ectx->version != FSCRYPT_EXT_EXTENT_CONTEXT_V1)
		return FSCRYPT_EXT_ERR_BAD_VERSION;
	if (ectx->contents_mode != inode_ctx->contents_mode)
		return FSCRYPT_EXT_ERR_EXTENT_MISMATCH;
	if (!(flags & FSCRYPT_EXT_EXTENT_ALLOW_REKEYED) &&
	    memcmp(ectx->key_identifier, inode_ctx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
		return FSCRYPT_EXT_ERR_EXTENT_MISMATCH;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_context_new(const struct fscrypt_ext_context *inode_ctx,
						   struct fscrypt_ext_extent_context *out)
{
	struct fscrypt_ext_extent_context c;
	int err;

	if (inode_ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext_extent_policy_check(inode_ctx);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* New extents always take the inode's current policy and key (never a re-keyed one). */
	c.version = FSCRYPT_EXT_EXTENT_CONTEXT_V1;
	c.contents_mode = inode_ctx->contents_mode;
	memcpy(c.key_identifier, inode_ctx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	randombytes_buf(c.nonce, sizeof(c.nonce));
	*out = c;
	return FSCRYPT_EXT_OK;
}
