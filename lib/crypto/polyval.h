/* Internal POLYVAL (RFC 8452 section 3) for HCTR2: one key type and one implementation table (portable, PCLMULQDQ, VPCLMULQDQ, PMULL). */
#ifndef FSCRYPT_EXT_CRYPTO_POLYVAL_H
#define FSCRYPT_EXT_CRYPTO_POLYVAL_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

#define FSCRYPT_EXT__POLYVAL_POWERS 16

/*
 * A POLYVAL key. h is the raw 16-byte key; the SIMD backends also keep
 * h^1..h^16 (powers[i] = h^(i+1) under POLYVAL's product a*b*x^-128) so
 * that up to sixteen blocks share one reduction. Wipe with fscrypt_ext__wipe().
 */
struct fscrypt_ext__polyval_key {
	FSCRYPT_EXT__ALIGN(32) uint8_t powers[FSCRYPT_EXT__POLYVAL_POWERS][16];
	uint8_t h[16];
	const struct fscrypt_ext__polyval_impl *impl;
};

struct fscrypt_ext__polyval_impl {
	const char *name; /* "portable", "pclmul", "vpclmul-avx2", "vpclmul-avx512", "pmull" */
	unsigned int needs;        /* FSCRYPT_EXT__CPU_* bits it uses (the dispatch's profiles filter on them) */
	int (*available)(void);
	void (*setkey)(struct fscrypt_ext__polyval_key *k);
	/* For each 16-byte block X: acc = (acc ^ X) * h * x^-128. nblocks may be 0. */
	void (*update)(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data, size_t nblocks);
};

/* All compiled-in implementations, best first, NULL-terminated; the portable one is last. */
extern const struct fscrypt_ext__polyval_impl *const fscrypt_ext__polyval_impls[];
extern const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_portable;

/* The best implementation this CPU runs. */
const struct fscrypt_ext__polyval_impl *fscrypt_ext__polyval_best(void);
/* The implementation by name, or NULL if not compiled in or not runnable here. */
const struct fscrypt_ext__polyval_impl *fscrypt_ext__polyval_find(const char *name);

void fscrypt_ext__polyval_setkey(struct fscrypt_ext__polyval_key *k, const uint8_t h[16],
				 const struct fscrypt_ext__polyval_impl *impl);
void fscrypt_ext__polyval_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
				 size_t nblocks);

/* Portable field product a * b * x^-128 on 128-bit little-endian values (also used to build the powers). */
void fscrypt_ext__polyval_mul(uint8_t out[16], const uint8_t a[16], const uint8_t b[16]);

#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
extern const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_pclmul;
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
extern const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_vpclmul;
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
extern const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_vpclmul_avx512;
#endif
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_ARMCE)
extern const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_pmull;
#endif

#endif
