/* fscrypt mode 1, AES-256-XTS over several data units per call: one parallel ECB call encrypts all their tweaks first. */
#include "modes/modes.h"

/*
 * Encrypting a unit's tweak is 10-14 dependent AES rounds (about 60 cycles)
 * that nothing else can overlap when units go one by one: a quarter of the
 * time of a 512-byte unit at the VAES rate (a unit takes 30-50 ns there).
 * Batched, 16 tweaks cost about one.
 */
#define XTS_UNITS_BATCH 16

static void xts_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in, uint8_t *out,
		      size_t len, size_t n, int enc)
{
	const struct fscrypt_ext__aes_key *data = &c->u.xts.data, *tweak = &c->u.xts.tweak;
	void (*blocks)(const struct fscrypt_ext__aes_key *, uint8_t *, const uint8_t *, uint8_t *, size_t) =
		enc ? data->impl->xts_encrypt : data->impl->xts_decrypt;
	uint8_t t[XTS_UNITS_BATCH][16];

	if (blocks == NULL || len % 16 != 0) {
		/* No whole-block XTS entry in this backend (or stealing needed): unit by unit. */
		for (size_t i = 0; i < n; i++, in += len, out += len, ivs += FSCRYPT_EXT__MAX_IV_SIZE) {
			if (enc)
				fscrypt_ext__aes_xts_encrypt(data, tweak, ivs, in, out, len);
			else
				fscrypt_ext__aes_xts_decrypt(data, tweak, ivs, in, out, len);
		}
		return;
	}
	while (n > 0) {
		size_t m = n < XTS_UNITS_BATCH ? n : XTS_UNITS_BATCH;

		for (size_t i = 0; i < m; i++)
			memcpy(t[i], ivs + i * FSCRYPT_EXT__MAX_IV_SIZE, 16);
		fscrypt_ext__aes_ecb_encrypt(tweak, t[0], t[0], m);
		for (size_t i = 0; i < m; i++, in += len, out += len)
			blocks(data, t[i], in, out, len / 16);
		ivs += m * FSCRYPT_EXT__MAX_IV_SIZE;
		n -= m;
	}
	fscrypt_ext__wipe(t, sizeof(t));
}

void fscrypt_ext__xts_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n)
{
	xts_units(c, ivs, in, out, len, n, 1);
}

void fscrypt_ext__xts_decrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n)
{
	xts_units(c, ivs, in, out, len, n, 0);
}
