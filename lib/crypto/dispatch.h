/* Internal: which implementation of each primitive runs, picked once from the CPU's features (crypto/dispatch.c). */
#ifndef FSCRYPT_EXT_CRYPTO_DISPATCH_H
#define FSCRYPT_EXT_CRYPTO_DISPATCH_H

#include <stddef.h>

#include "aes.h"
#include "chacha.h"
#include "nh.h"
#include "polyval.h"
#include "sha512.h"
#include "sm4.h"
#include "xctr.h"

/*
 * The choice new keys use. Each key records the code it was set up with, so
 * a later change (forcing, in tests) never mixes two implementations' key
 * layouts within one key.
 */
struct fscrypt_ext__dispatch {
	const struct fscrypt_ext__aes_impl *aes;
	const struct fscrypt_ext__sm4_impl *sm4;
	const struct fscrypt_ext__chacha_impl *chacha;
	const struct fscrypt_ext__nh_impl *nh;
	const struct fscrypt_ext__polyval_impl *polyval;
	const struct fscrypt_ext__sha512_impl *sha512;
	const struct fscrypt_ext__xctr_impl *xctr;     /* the one serving keys of `aes` */
	const struct fscrypt_ext__poly1305_impl *poly1305;
};

/* Poly1305 has one (portable) implementation so far; the row keeps it listed like the others. */
struct fscrypt_ext__poly1305_impl {
	const char *name;
	unsigned int needs;
};

/*
 * The current choice: on first call detects the CPU and applies
 * FSCRYPT_EXT_BACKEND (fscrypt_ext__init makes that first call). Never NULL;
 * lock-free afterwards.
 */
const struct fscrypt_ext__dispatch *fscrypt_ext__dispatch(void);

/*
 * Applies a FSCRYPT_EXT_BACKEND-style specification (see
 * include/fscrypt_ext/backend.h): "auto", a profile name ("portable",
 * "aesni", "vaes-avx2", "vaes-avx512", "armv8-ce") or a comma-separated list of those and
 * primitive=implementation pairs. All or nothing: on error nothing changes.
 * Returns FSCRYPT_EXT_OK, FSCRYPT_EXT_ERR_INVALID_ARG (NULL) or
 * FSCRYPT_EXT_ERR_NOT_SUPPORTED (empty, unknown or not runnable here).
 */
int fscrypt_ext__dispatch_force(const char *spec);

/*
 * The i-th primitive's name ("aes", "sm4", "chacha", "nh", "polyval", "xctr",
 * "poly1305") and the name of its current implementation; NULL past the end.
 */
const char *fscrypt_ext__dispatch_primitive(size_t i, const char **impl);

/* The XCTR implementation for keys expanded by aes (the best this CPU runs; generic at worst). */
fscrypt_ext__xctr_fn fscrypt_ext__xctr_for(const struct fscrypt_ext__aes_impl *aes);

/* AES backends by name (tests, benchmarks), and the automatic choice ignoring FSCRYPT_EXT_BACKEND. */
const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_find(const char *name);
const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_auto(void);
/* Makes impl the AES backend new keys use (other primitives unchanged); NULL restores the automatic choice of all. */
void fscrypt_ext__aes_select(const struct fscrypt_ext__aes_impl *impl);

#endif
