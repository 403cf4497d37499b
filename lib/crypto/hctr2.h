/* Internal HCTR2 (Crowley, Huckleberry, Biggers 2021) with AES: XCTR + POLYVAL; fscrypt filenames mode 10 uses AES-256 and a 32-byte tweak. */
#ifndef FSCRYPT_EXT_CRYPTO_HCTR2_H
#define FSCRYPT_EXT_CRYPTO_HCTR2_H

#include "aes.h"
#include "polyval.h"

struct fscrypt_ext__cipher;

/*
 * XCTR: out = in ^ keystream, keystream block i (i = 1, 2, ...) being
 * E(s ^ le128(i)). len is any length; in == out allowed.
 */
typedef void (*fscrypt_ext__xctr_fn)(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
				     uint8_t *out, size_t len);

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
void fscrypt_ext__xctr_vaes_avx512(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in,
				   uint8_t *out, size_t len);
#endif

struct fscrypt_ext__hctr2_key {
	struct fscrypt_ext__aes_key aes;
	struct fscrypt_ext__polyval_key polyval; /* keyed with h = E(0^16) */
	uint8_t l[16];                           /* E(le128(1)) */
	fscrypt_ext__xctr_fn xctr;
};

/*
 * key_len 16/24/32 (else FSCRYPT_EXT_ERR_INVALID_ARG). The POLYVAL and XCTR
 * code follow the AES backend of the key (portable AES gets portable POLYVAL).
 */
int fscrypt_ext__hctr2_setkey(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len);
/* Same with an explicit POLYVAL implementation (differential tests); NULL = follow the AES backend. */
int fscrypt_ext__hctr2_setkey_impl(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len,
				   const struct fscrypt_ext__aes_impl *aes, const struct fscrypt_ext__polyval_impl *polyval);
void fscrypt_ext__hctr2_key_wipe(struct fscrypt_ext__hctr2_key *k);

/* len >= 16 (shorter inputs are left alone); any tweak length; in == out allowed. */
void fscrypt_ext__hctr2_encrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__hctr2_decrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len);

/* fscrypt mode 10 hooks (lib/modes.c): AES-256 key, 32-byte IV as tweak. */
int fscrypt_ext__hctr2_mode_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__hctr2_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);
void fscrypt_ext__hctr2_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);

#endif
