/*
 * libfscrypt-ext: which implementation runs.
 *
 * AES backends are chosen once, at initialisation, best first among those
 * this CPU supports: "vaes-avx2", "aesni", "armv8-ce", then "portable" (the
 * constant-time fallback, always present). The environment variable
 * FSCRYPT_EXT_BACKEND=<name> forces one at start-up (ignored when the CPU
 * cannot run it, with the automatic choice kept).
 */
#ifndef FSCRYPT_EXT_BACKEND_H
#define FSCRYPT_EXT_BACKEND_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Name of the AES backend new keys use. */
FSCRYPT_EXT_API const char *fscrypt_ext_backend_name(void);

/*
 * The i-th AES backend compiled in, best first (NULL past the end), and
 * whether this CPU can run it.
 */
FSCRYPT_EXT_API const char *fscrypt_ext_backend_at(size_t i, int *available);

/*
 * Forces the backend new keys use ("auto" restores the automatic choice).
 * NOT_SUPPORTED when it is not compiled in or this CPU cannot run it.
 * For tests and benchmarks; not thread-safe with concurrent key setup.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_backend_force(const char *name);

#ifdef __cplusplus
}
#endif
#endif
