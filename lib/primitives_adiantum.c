/* Public one-shot Adiantum (XChaCha12, AES-256) with any tweak length, for known-answer tests and tools. */
#include "internal.h"
#include "crypto/adiantum.h"
#include "fscrypt_ext/primitives.h"

static int adiantum_crypt(const uint8_t key[32], const uint8_t *tweak, size_t tweak_len,
			  const uint8_t *in, uint8_t *out, size_t len, int decrypt)
{
	struct fscrypt_ext__adiantum_key *k;
	int err;

	if (key == NULL || in == NULL || out == NULL || (tweak == NULL && tweak_len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len < FSCRYPT_EXT__ADIANTUM_MIN_LEN)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	k = fscrypt_ext__alloc_secret(sizeof(*k));
	if (k == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__adiantum_setkey(k, key);
	if (err == FSCRYPT_EXT_OK) {
		if (decrypt)
			fscrypt_ext__adiantum_decrypt(k, tweak, tweak_len, in, out, len);
		else
			fscrypt_ext__adiantum_encrypt(k, tweak, tweak_len, in, out, len);
	}
	fscrypt_ext__free_secret(k, sizeof(*k));
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_adiantum_encrypt(const uint8_t key[32], const uint8_t *tweak, size_t tweak_len,
						 const uint8_t *in, uint8_t *out, size_t len)
{
	return adiantum_crypt(key, tweak, tweak_len, in, out, len, 0);
}

FSCRYPT_EXT_API int fscrypt_ext_adiantum_decrypt(const uint8_t key[32], const uint8_t *tweak, size_t tweak_len,
						 const uint8_t *in, uint8_t *out, size_t len)
{
	return adiantum_crypt(key, tweak, tweak_len, in, out, len, 1);
}
