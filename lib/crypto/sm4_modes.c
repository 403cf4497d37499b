/* SM4-XTS (mode 7, contents) and SM4-CBC-CS3 (mode 8, filenames), composed from the SM4 block function as Linux xts(sm4) and cts(cbc(sm4)). */
#include "sm4.h"

#include <assert.h>

#include "../cipher.h"

#define XTS_CHUNK 64

struct sm4_xts_state {
	struct fscrypt_ext__sm4_key data;
	struct fscrypt_ext__sm4_key tweak;
};

static_assert(sizeof(struct sm4_xts_state) <= FSCRYPT_EXT__CIPHER_STATE_SIZE, "SM4-XTS state too large");
static_assert(sizeof(struct fscrypt_ext__sm4_key) <= FSCRYPT_EXT__CIPHER_STATE_SIZE, "SM4 key too large");

/* Multiplies the tweak by x in GF(2^128), little-endian as IEEE 1619 (x^128 = x^7 + x^2 + x + 1). */
static void xts_mul_x(uint8_t t[16])
{
	uint64_t lo = fscrypt_ext__le64(t), hi = fscrypt_ext__le64(t + 8);
	uint64_t carry = hi >> 63;

	hi = (hi << 1) | (lo >> 63);
	lo = (lo << 1) ^ (0x87 & (0 - carry));
	fscrypt_ext__put_le64(t, lo);
	fscrypt_ext__put_le64(t + 8, hi);
}

static void xor16(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		out[i] = a[i] ^ b[i];
}

/* Whole blocks: out = E(in ^ T) ^ T with T advancing; batched so OpenSSL sees many blocks per call. */
static void xts_blocks(const struct fscrypt_ext__sm4_key *k, int enc, uint8_t t[16], const uint8_t *in, uint8_t *out,
		       size_t nblocks)
{
	uint8_t tw[XTS_CHUNK][16];

	if (k->impl->xts != NULL) {
		k->impl->xts(k->rk, !enc, t, in, out, nblocks);
		return;
	}
	while (nblocks) {
		size_t n = nblocks > XTS_CHUNK ? XTS_CHUNK : nblocks;

		for (size_t i = 0; i < n; i++) {
			memcpy(tw[i], t, 16);
			xor16(out + 16 * i, in + 16 * i, t);
			xts_mul_x(t);
		}
		if (enc)
			fscrypt_ext__sm4_ecb_encrypt(k, out, out, n);
		else
			fscrypt_ext__sm4_ecb_decrypt(k, out, out, n);
		for (size_t i = 0; i < n; i++)
			xor16(out + 16 * i, out + 16 * i, tw[i]);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
	fscrypt_ext__wipe(tw, sizeof(tw));
}

void fscrypt_ext__sm4_xts_encrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	size_t full = len / 16, rem = len % 16;
	uint8_t t[16], cc[16], pp[16];

	if (len < 16)
		return;
	fscrypt_ext__sm4_ecb_encrypt(tweak_key, iv, t, 1);
	if (rem == 0) {
		xts_blocks(data_key, 1, t, in, out, full);
		goto out;
	}
	/* Ciphertext stealing (IEEE 1619 section 5.3.2): the last full block borrows from the partial one. */
	xts_blocks(data_key, 1, t, in, out, full - 1);
	in += 16 * (full - 1);
	out += 16 * (full - 1);
	xts_blocks(data_key, 1, t, in, cc, 1);
	memcpy(pp, in + 16, rem);
	memcpy(pp + rem, cc + rem, 16 - rem);
	memcpy(out + 16, cc, rem);
	xts_blocks(data_key, 1, t, pp, out, 1);
out:
	fscrypt_ext__wipe(t, sizeof(t));
	fscrypt_ext__wipe(cc, sizeof(cc));
	fscrypt_ext__wipe(pp, sizeof(pp));
}

void fscrypt_ext__sm4_xts_decrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	size_t full = len / 16, rem = len % 16;
	uint8_t t[16], t_last[16], cc[16], pp[16];

	if (len < 16)
		return;
	fscrypt_ext__sm4_ecb_encrypt(tweak_key, iv, t, 1);
	if (rem == 0) {
		xts_blocks(data_key, 0, t, in, out, full);
		goto out;
	}
	xts_blocks(data_key, 0, t, in, out, full - 1);
	in += 16 * (full - 1);
	out += 16 * (full - 1);
	/* The last full ciphertext block was made with the tweak after this one. */
	memcpy(t_last, t, 16);
	xts_mul_x(t);
	xts_blocks(data_key, 0, t, in, pp, 1);
	memcpy(cc, in + 16, rem);
	memcpy(cc + rem, pp + rem, 16 - rem);
	memcpy(out + 16, pp, rem);
	xts_blocks(data_key, 0, t_last, cc, out, 1);
out:
	fscrypt_ext__wipe(t, sizeof(t));
	fscrypt_ext__wipe(t_last, sizeof(t_last));
	fscrypt_ext__wipe(cc, sizeof(cc));
	fscrypt_ext__wipe(pp, sizeof(pp));
}

/*
 * CBC-CS3 (spec section 7): for more than one block, CBC-encrypt the
 * zero-padded message and swap the last two ciphertext blocks, truncating the
 * new last one to the length of the final partial block.
 */
void fscrypt_ext__sm4_cbc_cts_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	uint8_t chain[16], last[16], prev[16];
	size_t nblocks, tail;

	if (len < 16)
		return;
	memcpy(chain, iv, 16);
	if (len == 16) {
		fscrypt_ext__sm4_cbc_encrypt(k, chain, in, out, 1);
		goto out;
	}
	nblocks = (len + 15) / 16;
	tail = len - 16 * (nblocks - 1);
	memset(last, 0, 16);
	memcpy(last, in + 16 * (nblocks - 1), tail);
	fscrypt_ext__sm4_cbc_encrypt(k, chain, in, out, nblocks - 2);
	fscrypt_ext__sm4_cbc_encrypt(k, chain, in + 16 * (nblocks - 2), prev, 1);
	fscrypt_ext__sm4_cbc_encrypt(k, chain, last, out + 16 * (nblocks - 2), 1);
	memcpy(out + 16 * (nblocks - 1), prev, tail);
out:
	fscrypt_ext__wipe(chain, sizeof(chain));
	fscrypt_ext__wipe(last, sizeof(last));
	fscrypt_ext__wipe(prev, sizeof(prev));
}

void fscrypt_ext__sm4_cbc_cts_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	uint8_t chain[16], cn[16], dn[16], cprev[16];
	size_t nblocks, tail;

	if (len < 16)
		return;
	memcpy(chain, iv, 16);
	if (len == 16) {
		fscrypt_ext__sm4_cbc_decrypt(k, chain, in, out, 1);
		goto out;
	}
	nblocks = (len + 15) / 16;
	tail = len - 16 * (nblocks - 1);
	memcpy(cn, in + 16 * (nblocks - 2), 16);           /* the swapped-in final block C_n */
	memcpy(cprev, in + 16 * (nblocks - 1), tail);      /* C_{n-1}, truncated */
	fscrypt_ext__sm4_cbc_decrypt(k, chain, in, out, nblocks - 2);
	/* D(C_n) = C_{n-1} ^ (P_n || 0): its tail restores the truncated bytes of C_{n-1}. */
	fscrypt_ext__sm4_ecb_decrypt(k, cn, dn, 1);
	memcpy(cprev + tail, dn + tail, 16 - tail);
	for (size_t j = 0; j < tail; j++)
		out[16 * (nblocks - 1) + j] = dn[j] ^ cprev[j];
	fscrypt_ext__sm4_cbc_decrypt(k, chain, cprev, out + 16 * (nblocks - 2), 1);
out:
	fscrypt_ext__wipe(chain, sizeof(chain));
	fscrypt_ext__wipe(cn, sizeof(cn));
	fscrypt_ext__wipe(dn, sizeof(dn));
	fscrypt_ext__wipe(cprev, sizeof(cprev));
}

/* ---- fscrypt mode hooks ---- */

/* Mode 7: the 32-byte key is the data key followed by the tweak key, as xts(sm4) splits it. */
int fscrypt_ext__sm4_xts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	struct sm4_xts_state *s = (struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_setkey(&s->data, key);
	fscrypt_ext__sm4_setkey(&s->tweak, key + 16);
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__sm4_xts_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	const struct sm4_xts_state *s = (const struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_xts_encrypt(&s->data, &s->tweak, iv, in, out, len);
}

void fscrypt_ext__sm4_xts_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	const struct sm4_xts_state *s = (const struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_xts_decrypt(&s->data, &s->tweak, iv, in, out, len);
}

int fscrypt_ext__sm4_cts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	fscrypt_ext__sm4_setkey((struct fscrypt_ext__sm4_key *)c->u.state, key);
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__sm4_cts_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	fscrypt_ext__sm4_cbc_cts_encrypt((const struct fscrypt_ext__sm4_key *)c->u.state, iv, in, out, len);
}

void fscrypt_ext__sm4_cts_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	fscrypt_ext__sm4_cbc_cts_decrypt((const struct fscrypt_ext__sm4_key *)c->u.state, iv, in, out, len);
}
