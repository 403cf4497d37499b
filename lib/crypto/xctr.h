/* Internal XCTR (the counter mode inside HCTR2; the kernel's xctr(aes)): the generic code and the x86 backends. */
#ifndef FSCRYPT_EXT_CRYPTO_XCTR_H
#define FSCRYPT_EXT_CRYPTO_XCTR_H

#include "aes.h"

/*
 * XCTR: out = in ^ keystream, keystream block i (i = 1, 2, ...) being
 * E(s ^ le128(i)). len is any length; in == out allowed.
 */
typedef void (*fscrypt_ext__xctr_fn)(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
				     uint8_t *out, size_t len);

/*
 * One XCTR implementation. An accelerated one reads the AES round keys
 * directly, so it only serves keys expanded by the AES backend `aes` (and
 * those sharing its key layout are listed as separate rows); NULL = any key
 * (the generic code goes through the key's own ECB).
 */
struct fscrypt_ext__xctr_impl {
	const char *name;
	unsigned int needs; /* FSCRYPT_EXT__CPU_* bits */
	const struct fscrypt_ext__aes_impl *aes;
	fscrypt_ext__xctr_fn crypt;
};

/* Through the key's ECB: works with every AES backend. */
void fscrypt_ext__xctr_generic(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in, uint8_t *out,
			       size_t len);
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
/* Need k->impl to be an x86 backend (standard round keys in k->u.hw.enc). */
void fscrypt_ext__xctr_aesni(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in, uint8_t *out,
			     size_t len);
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
void fscrypt_ext__xctr_vaes_avx2(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
				 uint8_t *out, size_t len);
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512)
/* 32 blocks in 8 zmm per iteration; reads k->u.hw.enc (any x86 backend's key). */
void fscrypt_ext__xctr_vaes_avx512(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
				   uint8_t *out, size_t len);
#endif

#endif
