/* Internal: policy helpers shared by policy.c, context.c, the text form and key setup. */
#ifndef FSCRYPT_EXT_POLICY_INTERNAL_H
#define FSCRYPT_EXT_POLICY_INTERNAL_H

#include <stdbool.h>

#include "internal.h"
#include "fscrypt_ext/policy.h"

/* floor(log2(v)) for v > 0. */
unsigned int fscrypt_ext__log2(uint32_t v);
/* The block size is a power of two in 512..65536. */
bool fscrypt_ext__fs_info_ok(const struct fscrypt_ext_fs_info *fs);
/* log2 of the contents data unit size: the v2 field, else the block size (fscrypt_policy_du_bits). */
unsigned int fscrypt_ext__policy_du_bits(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs);

#endif
