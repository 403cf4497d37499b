/* Internal HCTR2 (Crowley, Huckleberry, Biggers 2021) with AES: XCTR + POLYVAL; fscrypt filenames mode 10 uses AES-256 and a 32-byte tweak. */
#ifndef FSCRYPT_EXT_CRYPTO_HCTR2_H
#define FSCRYPT_EXT_CRYPTO_HCTR2_H

#include "aes.h"
#include "polyval.h"
#include "xctr.h"

struct fscrypt_ext__hctr2_key {
	struct fscrypt_ext__aes_key aes;
	struct fscrypt_ext__polyval_key polyval; /* keyed with h = E(0^16) */
	uint8_t l[16];                           /* E(le128(1)) */
	fscrypt_ext__xctr_fn xctr;
};

/*
 * key_len 16/24/32 (else FSCRYPT_EXT_ERR_INVALID_ARG). AES and POLYVAL are
 * the dispatch's choice (crypto/dispatch.h); XCTR is the one that reads the
 * AES key's round keys.
 */
int fscrypt_ext__hctr2_setkey(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len);
/* Same with explicit AES and POLYVAL implementations (differential tests); NULL = the dispatch's choice. */
int fscrypt_ext__hctr2_setkey_impl(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len,
				   const struct fscrypt_ext__aes_impl *aes, const struct fscrypt_ext__polyval_impl *polyval);
void fscrypt_ext__hctr2_key_wipe(struct fscrypt_ext__hctr2_key *k);

/* len >= 16 (shorter inputs are left alone); any tweak length; in == out allowed. */
void fscrypt_ext__hctr2_encrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__hctr2_decrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len);

#endif
