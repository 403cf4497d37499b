/* fscrypt mode 5, AES-128-CBC-ESSIV: unit hooks, and several data units at once with their CBC chains interleaved. */
#include "modes/modes.h"
#include "crypto/essiv.h"

int fscrypt_ext__essiv_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	return fscrypt_ext__essiv_setkeys(&c->u.essiv.data, &c->u.essiv.essiv, key, 16);
}

void fscrypt_ext__essiv_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len)
{
	fscrypt_ext__essiv_encrypt(&c->u.essiv.data, &c->u.essiv.essiv, iv, in, out, len);
}

void fscrypt_ext__essiv_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len)
{
	fscrypt_ext__essiv_decrypt(&c->u.essiv.data, &c->u.essiv.essiv, iv, in, out, len);
}

/*
 * One CBC chain is latency-bound (every block waits for the one before), so
 * independent data units are the only parallelism ESSIV encryption has:
 * 8-16 streams fill the AES pipes.
 */
#define ESSIV_STREAMS 16

void fscrypt_ext__essiv_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				      uint8_t *out, size_t len, size_t n)
{
	uint8_t chain[ESSIV_STREAMS][16];
	const uint8_t *src[ESSIV_STREAMS];
	uint8_t *dst[ESSIV_STREAMS];

	while (n > 0) {
		size_t m = n < ESSIV_STREAMS ? n : ESSIV_STREAMS;

		for (size_t i = 0; i < m; i++) {
			memcpy(chain[i], ivs + i * FSCRYPT_EXT__MAX_IV_SIZE, 16);
			src[i] = in + i * len;
			dst[i] = out + i * len;
		}
		/* The IVs CBC uses: AES-256 under the ESSIV key, all m in one parallel ECB call. */
		fscrypt_ext__aes_ecb_encrypt(&c->u.essiv.essiv, chain[0], chain[0], m);
		fscrypt_ext__aes_cbc_encrypt_multi(&c->u.essiv.data, chain, src, dst, len / 16, m);
		ivs += m * FSCRYPT_EXT__MAX_IV_SIZE;
		in += m * len;
		out += m * len;
		n -= m;
	}
	fscrypt_ext__wipe(chain, sizeof(chain));
}
