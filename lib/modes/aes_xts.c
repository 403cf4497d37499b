/* fscrypt mode 1, AES-256-XTS: its key state (sized to its backend, batched setkey) and several data units per call. */
#include "modes/modes.h"

static size_t tweak_offset(const struct fscrypt_ext__aes_impl *aes)
{
	return (fscrypt_ext__aes_key_size(aes, 0) + 63) & ~(size_t)63;
}

_Static_assert(sizeof(((struct fscrypt_ext__cipher *)0)->u.xts) <= sizeof(((struct fscrypt_ext__cipher *)0)->u),
	       "XTS state too large");

/* The data key's backend fixes the layout; tweak_offset never exceeds the data key's own size (aes.c clamps it). */
struct fscrypt_ext__aes_key *fscrypt_ext__xts_tweak_key(struct fscrypt_ext__cipher *c,
							 const struct fscrypt_ext__aes_impl *aes)
{
	return (struct fscrypt_ext__aes_key *)(void *)((uint8_t *)&c->u.xts.data + tweak_offset(aes));
}

/* On every data unit: the offset its setkey recorded, not recomputed. */
const struct fscrypt_ext__aes_key *fscrypt_ext__xts_tweak_key_const(const struct fscrypt_ext__cipher *c)
{
	return (const struct fscrypt_ext__aes_key *)(const void *)((const uint8_t *)&c->u.xts.data + c->aux);
}

size_t fscrypt_ext__xts_state_size(const struct fscrypt_ext__aes_impl *aes)
{
	return tweak_offset(aes) + fscrypt_ext__aes_key_size(aes, FSCRYPT_EXT__AES_ENC_ONLY);
}

/*
 * The 64-byte key is the data key followed by the tweak key, as Linux
 * xts(aes) splits it. The tweak key only ever encrypts the IV, so it gets no
 * decryption schedule. Runs only from fscrypt_ext__cipher_init*, on a state
 * it has just cleared (ZEROED).
 */
int fscrypt_ext__xts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	const struct fscrypt_ext__aes_impl *aes = c->aes != NULL ? c->aes : fscrypt_ext__aes_selected();
	int err = fscrypt_ext__aes_setkey_ex(&c->u.xts.data, key, 32, aes, FSCRYPT_EXT__AES_ZEROED);

	c->aux = (uint32_t)tweak_offset(aes);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__aes_setkey_ex(fscrypt_ext__xts_tweak_key(c, aes), key + 32, 32, aes,
						 FSCRYPT_EXT__AES_ZEROED | FSCRYPT_EXT__AES_ENC_ONLY);
	return err;
}

/*
 * n states' data keys (both schedules) and tweak keys (encryption only) as
 * one batch of 2n AES-256 expansions: the data keys first, so that no
 * register of a wide backend mixes keys that decrypt with keys that do not.
 */
int fscrypt_ext__xts_setkey_n(struct fscrypt_ext__cipher *const *c, const uint8_t *const *key, size_t n)
{
	const struct fscrypt_ext__aes_impl *aes;
	struct fscrypt_ext__aes_key *k[32];
	size_t off;
	const uint8_t *raw[32];

	if (n == 0)
		return FSCRYPT_EXT_OK;
	if (n > 16)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	aes = c[0]->aes != NULL ? c[0]->aes : fscrypt_ext__aes_selected();
	off = tweak_offset(aes);
	for (size_t i = 0; i < n; i++) {
		c[i]->aux = (uint32_t)off;
		k[i] = &c[i]->u.xts.data;
		k[n + i] = (struct fscrypt_ext__aes_key *)(void *)((uint8_t *)&c[i]->u.xts.data + off);
		raw[i] = key[i];
		raw[n + i] = key[i] + 32;
	}
	return fscrypt_ext__aes_setkeys_256(k, raw, 2 * n, aes, FSCRYPT_EXT__AES_ZEROED,
					    (n == 16 ? UINT32_MAX : (UINT32_C(1) << (2 * n)) - 1) & ~((UINT32_C(1) << n) - 1));
}

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
	const struct fscrypt_ext__aes_key *data = &c->u.xts.data, *tweak = fscrypt_ext__xts_tweak_key_const(c);
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
