/* Internal: policy helpers shared by policy.c, context.c, the text form and key setup. */
#ifndef FSCRYPT_EXT_POLICY_INTERNAL_H
#define FSCRYPT_EXT_POLICY_INTERNAL_H

#include <stdbool.h>

#include "internal.h"
#include "fscrypt_ext/policy.h"

/* The error for a version byte that is not 0/2 (policy) or 1/2 (context): BAD_VERSION up to 2, UNKNOWN_VERSION above. */
int fscrypt_ext__version_error(uint8_t version);
/* floor(log2(v)) for v > 0. */
unsigned int fscrypt_ext__log2(uint32_t v);
/* The block size is a power of two in 512..65536. */
bool fscrypt_ext__fs_info_ok(const struct fscrypt_ext_fs_info *fs);
/*
 * log2 of the contents data unit size, the one rule every caller uses (the
 * kernel's fscrypt_policy_du_bits()): a v2 policy's nonzero
 * log2_data_unit_size, else the filesystem block size.
 */
unsigned int fscrypt_ext__du_bits(bool v2, uint8_t log2_data_unit_size, const struct fscrypt_ext_fs_info *fs);
/* The same for a policy and for an inode context. */
unsigned int fscrypt_ext__policy_du_bits(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs);
unsigned int fscrypt_ext__context_du_bits(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs);

/*
 * The bytes after the version byte that a policy struct and a context share
 * (the kernel's fscrypt_policy_v1/v2 and fscrypt_context_v1/v2): modes and flags at 1..3, then v1: the descriptor
 * at 4..11; v2: log2_data_unit_size at 4, reserved at 5..7 and the identifier
 * at 8..23. They end at the policy size (12 or 24), where a context's nonce
 * starts. read leaves p->version alone; write leaves buf[0] alone.
 */
void fscrypt_ext__policy_body_read(const uint8_t *buf, bool v2, struct fscrypt_ext_policy *p);
void fscrypt_ext__policy_body_write(const struct fscrypt_ext_policy *p, bool v2, uint8_t *buf);

/*
 * The shape rules policies and contexts share: a non-empty buffer whose
 * version byte is known (size_of returns its exact size, 0 if unknown) and
 * whose length is exactly that size. INVALID_ARG (NULL buf with len > 0),
 * TRUNCATED, BAD_VERSION/UNKNOWN_VERSION, OVERSIZED; *want gets the size on success.
 */
int fscrypt_ext__wire_shape(const uint8_t *buf, size_t len, size_t (*size_of)(uint8_t version), size_t *want);

#endif
