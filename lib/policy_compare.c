/* Policy comparison, "is this child permitted here", and context inheritance for new inodes (spec 1-2). */
#include <sodium.h>

#include "internal.h"
#include "policy_internal.h"
#include "fscrypt_ext/policy.h"

/*
 * The bytes a policy of this version carries, in wire order (the kernel
 * compares exactly these with memcmp). 0 for versions that are not 0 or 2.
 */
static size_t policy_wire(const struct fscrypt_ext_policy *p, uint8_t buf[FSCRYPT_EXT_POLICY_MAX_SIZE])
{
	size_t n = 0;

	if (p->version != FSCRYPT_EXT_POLICY_V1 && p->version != FSCRYPT_EXT_POLICY_V2)
		return 0;
	if (fscrypt_ext_policy_serialize(p, buf, FSCRYPT_EXT_POLICY_MAX_SIZE, &n) != FSCRYPT_EXT_OK)
		return 0;
	return n;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_compare(const struct fscrypt_ext_policy *a, const struct fscrypt_ext_policy *b)
{
	uint8_t wa[FSCRYPT_EXT_POLICY_MAX_SIZE], wb[FSCRYPT_EXT_POLICY_MAX_SIZE];
	size_t na, nb;
	int c;

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	na = policy_wire(a, wa);
	nb = policy_wire(b, wb);
	/* Same version, so the same size (both 0 for an unknown version: equal by version byte). */
	if (na == 0 || na != nb)
		return 0;
	c = memcmp(wa, wb, na);
	return (c > 0) - (c < 0);
}

FSCRYPT_EXT_API bool fscrypt_ext_policies_equal(const struct fscrypt_ext_policy *a, const struct fscrypt_ext_policy *b)
{
	/* fscrypt_policies_equal() never equates policies it cannot size. */
	if (a == NULL || b == NULL || (a->version != FSCRYPT_EXT_POLICY_V1 && a->version != FSCRYPT_EXT_POLICY_V2))
		return false;
	return fscrypt_ext_policy_compare(a, b) == 0;
}

FSCRYPT_EXT_API bool fscrypt_ext_context_permitted(const struct fscrypt_ext_context *parent,
						   const struct fscrypt_ext_context *child,
						   enum fscrypt_ext_file_kind child_kind)
{
	struct fscrypt_ext_policy pp, cp;

	/* No restrictions on unencrypted directories, nor on special files (never encrypted). */
	if (parent == NULL || child_kind == FSCRYPT_EXT_KIND_SPECIAL)
		return true;
	/* An unencrypted child in an encrypted directory would leak plaintext. */
	if (child == NULL)
		return false;
	/* fscrypt_get_policy() failing on either side: not permitted. */
	if (fscrypt_ext_context_to_policy(parent, &pp) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_context_to_policy(child, &cp) != FSCRYPT_EXT_OK)
		return false;
	return fscrypt_ext_policies_equal(&pp, &cp);
}

FSCRYPT_EXT_API int fscrypt_ext_context_inherit(const struct fscrypt_ext_context *parent,
						const struct fscrypt_ext_fs_info *fs, struct fscrypt_ext_context *child)
{
	struct fscrypt_ext_policy p;
	int err;

	if (parent == NULL || fs == NULL || child == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* The kernel takes the policy from the parent's set-up key info, so the parent validated. */
	err = fscrypt_ext_context_validate(parent, fs);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext_context_to_policy(parent, &p);
	if (err != FSCRYPT_EXT_OK)
		return err;
	return fscrypt_ext_context_new(&p, fs, child);
}
