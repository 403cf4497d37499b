/* Public one-shot primitives for the other fscrypt modes: AES-128-CBC-ESSIV, HCTR2, SM4-XTS and SM4-CBC-CS3. */
#include "internal.h"
#include "crypto/essiv.h"
#include "crypto/hctr2.h"
#include "crypto/sm4.h"
#include "fscrypt_ext/primitives.h"

static int essiv(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	struct fscrypt_ext__aes_key k[2];
	int err;

	if (key == NULL || iv == NULL || (len != 0 && (in == NULL || out == NULL)))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len % 16 != 0)
		return FSCRYPT_EXT_ERR_ALIGNMENT;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__essiv_setkeys(&k[0], &k[1], key, 16);
	if (err == FSCRYPT_EXT_OK) {
		if (enc)
			fscrypt_ext__essiv_encrypt(&k[0], &k[1], iv, in, out, len);
		else
			fscrypt_ext__essiv_decrypt(&k[0], &k[1], iv, in, out, len);
	}
	fscrypt_ext__wipe(k, sizeof(k));
	fscrypt_ext__wipe_stack();
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_aes_cbc_essiv_encrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in,
						      uint8_t *out, size_t len)
{
	return essiv(key, iv, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_aes_cbc_essiv_decrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in,
						      uint8_t *out, size_t len)
{
	return essiv(key, iv, in, out, len, 0);
}

static int hctr2(const uint8_t *key, size_t key_len, const uint8_t *tweak, size_t tweak_len, const uint8_t *in,
		 uint8_t *out, size_t len, int enc)
{
	struct fscrypt_ext__hctr2_key *k;
	int err;

	if (key == NULL || (key_len != 16 && key_len != 24 && key_len != 32) || (tweak == NULL && tweak_len != 0) ||
	    in == NULL || out == NULL || len < 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	k = fscrypt_ext__alloc_secret(sizeof(*k));
	if (k == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__hctr2_setkey(k, key, key_len);
	if (err == FSCRYPT_EXT_OK) {
		if (enc)
			fscrypt_ext__hctr2_encrypt(k, tweak, tweak_len, in, out, len);
		else
			fscrypt_ext__hctr2_decrypt(k, tweak, tweak_len, in, out, len);
	}
	fscrypt_ext__free_secret(k, sizeof(*k));
	fscrypt_ext__wipe_stack();
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_hctr2_encrypt(const uint8_t *key, size_t key_len, const uint8_t *tweak, size_t tweak_len,
					      const uint8_t *in, uint8_t *out, size_t len)
{
	return hctr2(key, key_len, tweak, tweak_len, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_hctr2_decrypt(const uint8_t *key, size_t key_len, const uint8_t *tweak, size_t tweak_len,
					      const uint8_t *in, uint8_t *out, size_t len)
{
	return hctr2(key, key_len, tweak, tweak_len, in, out, len, 0);
}

/* Linux xts(sm4): the first 16 key bytes encrypt data, the last 16 the tweak. */
static int sm4_xts(const uint8_t *key, size_t key_len, const uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		   size_t len, int enc)
{
	struct fscrypt_ext__sm4_key k[2];
	int err;

	if (key == NULL || key_len != 32 || tweak == NULL || in == NULL || out == NULL || len < 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	fscrypt_ext__sm4_setkey(&k[0], key);
	fscrypt_ext__sm4_setkey(&k[1], key + 16);
	if (enc)
		fscrypt_ext__sm4_xts_encrypt(&k[0], &k[1], tweak, in, out, len);
	else
		fscrypt_ext__sm4_xts_decrypt(&k[0], &k[1], tweak, in, out, len);
	fscrypt_ext__wipe(k, sizeof(k));
	fscrypt_ext__wipe_stack();
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_sm4_xts_encrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
						const uint8_t *in, uint8_t *out, size_t len)
{
	return sm4_xts(key, key_len, tweak, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_sm4_xts_decrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
						const uint8_t *in, uint8_t *out, size_t len)
{
	return sm4_xts(key, key_len, tweak, in, out, len, 0);
}

static int sm4_cts(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in, uint8_t *out,
		   size_t len, int enc)
{
	struct fscrypt_ext__sm4_key k;
	int err;

	if (key == NULL || key_len != 16 || iv == NULL || in == NULL || out == NULL || len < 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	fscrypt_ext__sm4_setkey(&k, key);
	if (enc)
		fscrypt_ext__sm4_cbc_cts_encrypt(&k, iv, in, out, len);
	else
		fscrypt_ext__sm4_cbc_cts_decrypt(&k, iv, in, out, len);
	fscrypt_ext__wipe(&k, sizeof(k));
	fscrypt_ext__wipe_stack();
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_sm4_cbc_cts_encrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
						    const uint8_t *in, uint8_t *out, size_t len)
{
	return sm4_cts(key, key_len, iv, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_sm4_cbc_cts_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
						    const uint8_t *in, uint8_t *out, size_t len)
{
	return sm4_cts(key, key_len, iv, in, out, len, 0);
}
