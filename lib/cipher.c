/* Preparing and wiping a per-mode cipher state (struct fscrypt_ext__cipher), and running it over data units. */
#include <stddef.h>

#include "cipher.h"

/*
 * Wipes a cipher state that may have been allocated only as far as its mode
 * uses it (its AES backend pinned in c->aes, else the selected one).
 */
static void wipe_zeroed(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m)
{
	fscrypt_ext__wipe(c, fscrypt_ext__cipher_size(m, c->aes != NULL ? c->aes : fscrypt_ext__aes_selected()));
}

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
	if (err != FSCRYPT_EXT_OK) {
		if (zeroed)
			wipe_zeroed(c, m);
		else
			fscrypt_ext__cipher_wipe(c);
	}
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

int fscrypt_ext__cipher_init_zeroed_n(struct fscrypt_ext__cipher *const *c, const struct fscrypt_ext__mode *m,
				      const uint8_t *const *key, size_t n)
{
	bool same_aes = true;
	int err = FSCRYPT_EXT_OK;
	size_t i;

	if (n != 0 && (c == NULL || m == NULL || key == NULL))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		if (c[i] == NULL || key[i] == NULL)
			return FSCRYPT_EXT_ERR_INVALID_ARG;
		same_aes = same_aes && c[i]->aes == c[0]->aes;
	}
	if (m->setkey_n == NULL || !same_aes || n > 16 || n < 2) {
		for (i = 0; i < n && err == FSCRYPT_EXT_OK; i++)
			err = fscrypt_ext__cipher_init_zeroed(c[i], m, key[i]);
		if (err != FSCRYPT_EXT_OK)
			for (size_t j = 0; j + 1 < i; j++)
				wipe_zeroed(c[j], m);
		return err;
	}
	for (i = 0; i < n; i++)
		c[i]->mode = m;
	err = m->setkey_n(c, key, n);
	if (err != FSCRYPT_EXT_OK)
		for (i = 0; i < n; i++)
			wipe_zeroed(c[i], m);
	return err;
}

size_t fscrypt_ext__cipher_size(const struct fscrypt_ext__mode *m, const struct fscrypt_ext__aes_impl *aes)
{
	size_t used = m->state_size != NULL ? m->state_size(aes) : sizeof(((struct fscrypt_ext__cipher *)0)->u);

	if (used > sizeof(((struct fscrypt_ext__cipher *)0)->u))
		used = sizeof(((struct fscrypt_ext__cipher *)0)->u);
	return offsetof(struct fscrypt_ext__cipher, u) + used;
}

void fscrypt_ext__cipher_wipe(struct fscrypt_ext__cipher *c)
{
	if (c != NULL)
		fscrypt_ext__wipe(c, sizeof(*c));
}

/*
 * Several units per call of the mode's encrypt_units/decrypt_units hook (ESSIV:
 * interleaved CBC chains; XTS: tweaks encrypted together).
 */
#define CRYPT_BATCH_UNITS 16
static void crypt_units_batched(const struct fscrypt_ext__cipher *c, fscrypt_ext__unit_iv_fn make_iv,
				const void *iv_ctx, uint64_t index, const uint8_t *in, uint8_t *out, size_t len,
				size_t du, bool enc)
{
	uint8_t ivs[CRYPT_BATCH_UNITS][FSCRYPT_EXT__MAX_IV_SIZE];

	for (size_t off = 0; off < len;) {
		size_t n = (len - off) / du < CRYPT_BATCH_UNITS ? (len - off) / du : CRYPT_BATCH_UNITS;

		for (size_t i = 0; i < n; i++)
			make_iv(iv_ctx, index + i, ivs[i]);
		(enc ? c->mode->encrypt_units : c->mode->decrypt_units)(c, ivs[0], in + off, out + off, du, n);
		off += n * du;
		index += n;
	}
}

int fscrypt_ext__cipher_crypt_units(const struct fscrypt_ext__cipher *c, fscrypt_ext__unit_iv_fn make_iv,
				    const void *iv_ctx, uint64_t first_index, const uint8_t *in, uint8_t *out,
				    size_t len, size_t unit_size, bool enc)
{
	const struct fscrypt_ext__mode *m = c->mode;
	uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE];
	uint64_t index = first_index;

	if ((enc ? m->encrypt_unit : m->decrypt_unit) == NULL)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if ((enc ? m->encrypt_units : m->decrypt_units) != NULL && len > unit_size) {
		crypt_units_batched(c, make_iv, iv_ctx, index, in, out, len, unit_size, enc);
		return FSCRYPT_EXT_OK;
	}
	for (size_t off = 0; off < len; off += unit_size, index++) {
		make_iv(iv_ctx, index, iv);
		if (enc)
			m->encrypt_unit(c, iv, in + off, out + off, unit_size);
		else
			m->decrypt_unit(c, iv, in + off, out + off, unit_size);
	}
	return FSCRYPT_EXT_OK;
}
