/* Preparing and wiping a per-mode cipher state (struct fscrypt_ext__cipher). */
#include "cipher.h"

static int cipher_init(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m, const uint8_t *key,
		       bool zeroed)
{
	int err;

	if (c == NULL || m == NULL || key == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (m->setkey == NULL)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	/* Mode setkeys rely on a cleared state (modes.c sets its AES keys with FSCRYPT_EXT__AES_ZEROED). */
	if (!zeroed)
		memset(c, 0, sizeof(*c));
	c->mode = m;
	err = m->setkey(c, key);
	if (err != FSCRYPT_EXT_OK)
		fscrypt_ext__cipher_wipe(c);
	return err;
}

int fscrypt_ext__cipher_init(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m, const uint8_t *key)
{
	return cipher_init(c, m, key, false);
}

int fscrypt_ext__cipher_init_zeroed(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m,
				    const uint8_t *key)
{
	return cipher_init(c, m, key, true);
}

void fscrypt_ext__cipher_wipe(struct fscrypt_ext__cipher *c)
{
	if (c != NULL)
		fscrypt_ext__wipe(c, sizeof(*c));
}
