/* Internal Adiantum (Linux adiantum(xchacha12,aes)): key setup and wide-block encryption with a tweak. */
#ifndef FSCRYPT_EXT_CRYPTO_ADIANTUM_H
#define FSCRYPT_EXT_CRYPTO_ADIANTUM_H

#include <stddef.h>
#include <stdint.h>

#include "aes.h"
#include "chacha.h"
#include "nh.h"
#include "poly1305.h"

#define FSCRYPT_EXT__ADIANTUM_KEY_SIZE 32
#define FSCRYPT_EXT__ADIANTUM_MIN_LEN 16

/*
 * Everything derived from the 32-byte key (Adiantum paper section 5; Linux
 * adiantum_setkey): the XChaCha12 key itself, then from its keystream under
 * the nonce 1 || 0^23: the AES-256 key, the Poly1305 key for the tweak, the
 * Poly1305 key for the NH outputs and the NH key, in that order.
 */
struct fscrypt_ext__adiantum_key {
	struct fscrypt_ext__aes_key aes;
	uint32_t stream_key[FSCRYPT_EXT__CHACHA_KEY_WORDS];
	struct fscrypt_ext__poly1305_key tweak_poly;
	struct fscrypt_ext__poly1305_key msg_poly;
	uint32_t nh_key[FSCRYPT_EXT__NH_KEY_WORDS];
	const struct fscrypt_ext__chacha_impl *chacha;
	const struct fscrypt_ext__nh_impl *nh;
};

/*
 * Derives k from key (32 bytes) with the XChaCha, NH and AES code the
 * dispatch chose (crypto/dispatch.h). Returns an fscrypt_ext_error.
 */
int fscrypt_ext__adiantum_setkey(struct fscrypt_ext__adiantum_key *k, const uint8_t key[32]);
/* The same with given XChaCha, NH and AES backends (differential tests). */
int fscrypt_ext__adiantum_setkey_impl(struct fscrypt_ext__adiantum_key *k, const uint8_t key[32],
				      const struct fscrypt_ext__chacha_impl *chacha,
				      const struct fscrypt_ext__nh_impl *nh,
				      const struct fscrypt_ext__aes_impl *aes);
void fscrypt_ext__adiantum_key_wipe(struct fscrypt_ext__adiantum_key *k);

/* One wide block of len >= 16 bytes; any tweak length (fscrypt: 32); in == out allowed. */
void fscrypt_ext__adiantum_encrypt(const struct fscrypt_ext__adiantum_key *k, const uint8_t *tweak, size_t tweak_len,
				   const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__adiantum_decrypt(const struct fscrypt_ext__adiantum_key *k, const uint8_t *tweak, size_t tweak_len,
				   const uint8_t *in, uint8_t *out, size_t len);

/* NH-Poly1305 (Linux nhpoly1305) of msg under k's message keys: the message half of Adiantum's hash. */
void fscrypt_ext__adiantum_nhpoly1305(const struct fscrypt_ext__adiantum_key *k, const uint8_t *msg, size_t len,
				      uint8_t out[16]);

#endif
