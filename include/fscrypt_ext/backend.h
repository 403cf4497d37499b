/*
 * libfscrypt-ext: which implementation runs.
 *
 * Every primitive (AES, SM4, ChaCha, NH, POLYVAL, XCTR, Poly1305, SHA-512)
 * has a table of implementations, best first, the portable constant-time
 * code last and always present. At initialisation each primitive takes the
 * first implementation whose CPU features this machine has; the AES
 * backends are "vaes-avx512", "vaes-avx2", "aesni", "armv8-ce" and
 * "portable". Keys remember the code they were set up with.
 *
 * The environment variable FSCRYPT_EXT_BACKEND, read once at start-up, and
 * fscrypt_ext_backend_force() take the same specification: a comma-separated
 * list, applied left to right, of
 *  - "auto": the automatic choice of every primitive;
 *  - a profile: "portable" makes every primitive run its portable code (no
 *    SIMD); an AES backend name ("aesni", "vaes-avx2", "vaes-avx512",
 *    "armv8-ce") takes that AES backend and lets the other primitives use
 *    only the CPU features of that generation ("aesni" rules out VAES,
 *    VPCLMULQDQ, GFNI and AVX-512, so POLYVAL, XCTR and SM4 step down too;
 *    "vaes-avx2" rules out AVX-512, so SHA-512 runs its 4-lane AVX2 code
 *    and, for one stream, its AVX2 assembly rather than the AVX-512VL one);
 *  - "primitive=implementation", e.g. "polyval=pclmul" or "sm4=portable"
 *    (SM4: "gfni", "aesni", "portable"; all constant time; SHA-512:
 *    "avx512-x8", "avx2-x4", "avx512-asm", "avx2-asm", "bmi2", "armv8-sha512",
 *    "portable")
 *    (names as fscrypt_ext_backend_primitive() reports them).
 * A specification that names something not compiled in, or not runnable on
 * this CPU, is rejected as a whole: the environment variable is then ignored
 * (the automatic choice stays) and the force call changes nothing.
 */
#ifndef FSCRYPT_EXT_BACKEND_H
#define FSCRYPT_EXT_BACKEND_H

#include <fscrypt_ext/common.h>

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
 * The i-th primitive ("aes", "sm4", "chacha", "nh", "polyval", "sha512",
 * "poly1305", "xctr"; NULL past the end) and, in *impl when impl is not NULL, the name of
 * the implementation new keys use for it.
 */
FSCRYPT_EXT_API const char *fscrypt_ext_backend_primitive(size_t i, const char **impl);

/*
 * Applies a specification as described above ("auto" restores the automatic
 * choice). NOT_SUPPORTED when a part is empty, unknown, not compiled in or
 * not runnable on this CPU (nothing changes then); INVALID_ARG for NULL.
 * For tests and benchmarks; not thread-safe with concurrent key setup.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_backend_force(const char *name);

#ifdef __cplusplus
}
#endif
#endif
