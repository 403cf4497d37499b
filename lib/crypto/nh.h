/* Internal NH hash with Adiantum's parameters (4 passes, stride 2, 1 KiB messages): portable code and SIMD backends. */
#ifndef FSCRYPT_EXT_CRYPTO_NH_H
#define FSCRYPT_EXT_CRYPTO_NH_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"
#include "chacha.h" /* FSCRYPT_EXT__HAVE_ARM_NEON */

/*
 * Adiantum paper section 6.3 / Linux include/crypto/nh.h: a message unit is
 * 16 bytes, a message is at most 64 units, each of the 4 passes uses the key
 * shifted by one more unit, so the key is 64 + 3 units = 1072 bytes, and the
 * hash is 4 little-endian 64-bit sums = 32 bytes.
 */
#define FSCRYPT_EXT__NH_UNIT 16
#define FSCRYPT_EXT__NH_MESSAGE_BYTES 1024
#define FSCRYPT_EXT__NH_KEY_BYTES 1072
#define FSCRYPT_EXT__NH_KEY_WORDS (FSCRYPT_EXT__NH_KEY_BYTES / 4)
#define FSCRYPT_EXT__NH_HASH_BYTES 32

struct fscrypt_ext__nh_impl {
	const char *name;          /* "portable", "avx2", "neon" */
	unsigned int needs;        /* FSCRYPT_EXT__CPU_* bits it uses (the dispatch's profiles filter on them) */
	int (*available)(void);    /* 1 if this CPU can run it */
	/* The 1072 key bytes into 268 words, in the order this backend's hash reads them. */
	void (*load_key)(uint32_t *key, const uint8_t *bytes);
	/* NH of msg; len is a multiple of 16 in 16..1024. key comes from this backend's load_key. */
	void (*hash)(const uint32_t *key, const uint8_t *msg, size_t len, uint8_t out[FSCRYPT_EXT__NH_HASH_BYTES]);
};

extern const struct fscrypt_ext__nh_impl fscrypt_ext__nh_portable;
#if defined(__x86_64__)
extern const struct fscrypt_ext__nh_impl fscrypt_ext__nh_avx2;
#endif
#if FSCRYPT_EXT__HAVE_ARM_NEON
extern const struct fscrypt_ext__nh_impl fscrypt_ext__nh_neon;
#endif
/* Best first, NULL-terminated; the portable one is last and always available. */
extern const struct fscrypt_ext__nh_impl *const fscrypt_ext__nh_impls[];
/* The first entry of the table this CPU runs (crypto/dispatch.c; ignores FSCRYPT_EXT_BACKEND). */
const struct fscrypt_ext__nh_impl *fscrypt_ext__nh_best(void);

#endif
