/* Public one-shot AES primitives (ECB, XTS, CBC-CS3) with argument checks; expanded keys live on the stack and are wiped. */
#include "internal.h"
#include "crypto/aes.h"
#include "fscrypt_ext/primitives.h"

static int aes_key_len_ok(size_t key_len)
{
	return key_len == 16 || key_len == 24 || key_len == 32;
}

static int aes_ecb(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	struct fscrypt_ext__aes_key k;
	int err;

	if (key == NULL || !aes_key_len_ok(key_len) || (len != 0 && (in == NULL || out == NULL)))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len % 16 != 0)
		return FSCRYPT_EXT_ERR_ALIGNMENT;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__aes_setkey(&k, key, key_len);
	if (err == FSCRYPT_EXT_OK) {
		if (enc)
			fscrypt_ext__aes_ecb_encrypt(&k, in, out, len / 16);
		else
			fscrypt_ext__aes_ecb_decrypt(&k, in, out, len / 16);
	}
	fscrypt_ext__aes_key_wipe(&k);
	fscrypt_ext__wipe_stack();
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_aes_ecb_encrypt(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out,
						size_t len)
{
	return aes_ecb(key, key_len, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_aes_ecb_decrypt(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out,
						size_t len)
{
	return aes_ecb(key, key_len, in, out, len, 0);
}

/* Linux xts(aes): the first half of the key encrypts data, the second half encrypts the tweak. */
static int aes_xts(const uint8_t *key, size_t key_len, const uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		   size_t len, int enc)
{
	struct fscrypt_ext__aes_key k[2];
	int err;

	if (key == NULL || (key_len != 32 && key_len != 64) || tweak == NULL || in == NULL || out == NULL || len < 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__aes_setkey(&k[0], key, key_len / 2);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__aes_setkey(&k[1], key + key_len / 2, key_len / 2);
	if (err == FSCRYPT_EXT_OK) {
		if (enc)
			fscrypt_ext__aes_xts_encrypt(&k[0], &k[1], tweak, in, out, len);
		else
			fscrypt_ext__aes_xts_decrypt(&k[0], &k[1], tweak, in, out, len);
	}
	fscrypt_ext__wipe(k, sizeof(k));
	fscrypt_ext__wipe_stack();
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_aes_xts_encrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
						const uint8_t *in, uint8_t *out, size_t len)
{
	return aes_xts(key, key_len, tweak, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_aes_xts_decrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
						const uint8_t *in, uint8_t *out, size_t len)
{
	return aes_xts(key, key_len, tweak, in, out, len, 0);
}

static int aes_cbc_cts(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in, uint8_t *out,
		       size_t len, int enc)
{
	struct fscrypt_ext__aes_key k;
	int err;

	if (key == NULL || !aes_key_len_ok(key_len) || iv == NULL || in == NULL || out == NULL || len < 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__aes_setkey(&k, key, key_len);
	if (err == FSCRYPT_EXT_OK) {
		if (enc)
			fscrypt_ext__aes_cbc_cts_encrypt(&k, iv, in, out, len);
		else
			fscrypt_ext__aes_cbc_cts_decrypt(&k, iv, in, out, len);
	}
	fscrypt_ext__aes_key_wipe(&k);
	fscrypt_ext__wipe_stack();
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_aes_cbc_cts_encrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
						    const uint8_t *in, uint8_t *out, size_t len)
{
	return aes_cbc_cts(key, key_len, iv, in, out, len, 1);
}

FSCRYPT_EXT_API int fscrypt_ext_aes_cbc_cts_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
						    const uint8_t *in, uint8_t *out, size_t len)
{
	return aes_cbc_cts(key, key_len, iv, in, out, len, 0);
}
