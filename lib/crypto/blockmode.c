/* CBC, XTS with ciphertext stealing and CBC-CS3 composed over a block cipher's vtable, once for AES and SM4. */
#include "crypto/blockmode.h"

/* Blocks handled per chunk by the composed modes (bounded stack use, enough for one batched ECB call). */
#define CHUNK_BLOCKS 32

void fscrypt_ext__bc_cbc_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t iv[16],
				 const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint8_t x[16];

	if (bc->cbc_encrypt != NULL) {
		bc->cbc_encrypt(key, iv, in, out, nblocks);
		return;
	}
	for (size_t i = 0; i < nblocks; i++) {
		fscrypt_ext__xor16(x, in + 16 * i, iv);
		bc->ecb_encrypt(key, x, out + 16 * i, 1);
		memcpy(iv, out + 16 * i, 16);
	}
	fscrypt_ext__wipe(x, sizeof(x));
}

void fscrypt_ext__bc_cbc_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t iv[16],
				 const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint8_t c[CHUNK_BLOCKS * 16];

	if (bc->cbc_decrypt != NULL) {
		bc->cbc_decrypt(key, iv, in, out, nblocks);
		return;
	}
	while (nblocks > 0) {
		size_t n = nblocks < CHUNK_BLOCKS ? nblocks : CHUNK_BLOCKS;

		/* Keep the ciphertext: in place, out overwrites it before it is chained. */
		memcpy(c, in, 16 * n);
		bc->ecb_decrypt(key, c, out, n);
		fscrypt_ext__xor16(out, out, iv);
		for (size_t i = 1; i < n; i++)
			fscrypt_ext__xor16(out + 16 * i, out + 16 * i, c + 16 * (i - 1));
		memcpy(iv, c + 16 * (n - 1), 16);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
}

/* Whole blocks, out = E(in ^ T) ^ T with T advancing; composed chunk-wise so the cipher sees many blocks per call. */
static void xts_composed(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t tweak[16],
			 const uint8_t *in, uint8_t *out, size_t nblocks, int enc)
{
	uint8_t t[CHUNK_BLOCKS * 16], buf[CHUNK_BLOCKS * 16];

	while (nblocks > 0) {
		size_t n = nblocks < CHUNK_BLOCKS ? nblocks : CHUNK_BLOCKS;

		for (size_t i = 0; i < n; i++) {
			memcpy(t + 16 * i, tweak, 16);
			fscrypt_ext__xts_mul_x(tweak);
			fscrypt_ext__xor16(buf + 16 * i, in + 16 * i, t + 16 * i);
		}
		if (enc)
			bc->ecb_encrypt(key, buf, buf, n);
		else
			bc->ecb_decrypt(key, buf, buf, n);
		for (size_t i = 0; i < n; i++)
			fscrypt_ext__xor16(out + 16 * i, buf + 16 * i, t + 16 * i);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
	fscrypt_ext__wipe(buf, sizeof(buf));
	fscrypt_ext__wipe(t, sizeof(t));
}

void fscrypt_ext__bc_xts_blocks(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t tweak[16],
				const uint8_t *in, uint8_t *out, size_t nblocks, bool enc)
{
	if (enc && bc->xts_encrypt != NULL)
		bc->xts_encrypt(key, tweak, in, out, nblocks);
	else if (!enc && bc->xts_decrypt != NULL)
		bc->xts_decrypt(key, tweak, in, out, nblocks);
	else
		xts_composed(bc, key, tweak, in, out, nblocks, enc);
}

/*
 * Ciphertext stealing for a final partial block of tail bytes: encryption
 * makes CC from the last full block with T(m-1), emits its first tail bytes
 * as the short last block, and encrypts the partial plaintext padded with the
 * rest of CC under T(m) into the last full position. Decryption undoes it,
 * using T(m) before T(m-1).
 */
static void xts_crypt(const struct fscrypt_ext__blockcipher *bc, const void *data_key, const void *tweak_key,
		      const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	uint8_t t[16], t_next[16], cc[16], pp[16];
	size_t nfull = len / 16, tail = len % 16;

	if (len < 16)
		return;
	bc->ecb_encrypt(tweak_key, iv, t, 1);
	if (tail == 0) {
		fscrypt_ext__bc_xts_blocks(bc, data_key, t, in, out, nfull, enc);
		fscrypt_ext__wipe(t, sizeof(t));
		return;
	}
	fscrypt_ext__bc_xts_blocks(bc, data_key, t, in, out, nfull - 1, enc);
	in += 16 * (nfull - 1);
	out += 16 * (nfull - 1);
	memcpy(t_next, t, 16);
	fscrypt_ext__xts_mul_x(t_next);
	/* t is T(m-1) for the last full block, t_next is T(m). */
	fscrypt_ext__bc_xts_blocks(bc, data_key, enc ? t : t_next, in, cc, 1, enc);
	memcpy(pp, in + 16, tail);
	memcpy(pp + tail, cc + tail, 16 - tail);
	memcpy(out + 16, cc, tail);
	fscrypt_ext__bc_xts_blocks(bc, data_key, enc ? t_next : t, pp, out, 1, enc);
	fscrypt_ext__wipe(cc, sizeof(cc));
	fscrypt_ext__wipe(pp, sizeof(pp));
	fscrypt_ext__wipe(t, sizeof(t));
	fscrypt_ext__wipe(t_next, sizeof(t_next));
}

void fscrypt_ext__bc_xts_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *data_key, const void *tweak_key,
				 const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	xts_crypt(bc, data_key, tweak_key, iv, in, out, len, 1);
}

void fscrypt_ext__bc_xts_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *data_key, const void *tweak_key,
				 const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	xts_crypt(bc, data_key, tweak_key, iv, in, out, len, 0);
}

void fscrypt_ext__bc_cbc_cts_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, const uint8_t iv[16],
				     const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t v[16], p[32], c[32];
	size_t nblocks = (len + 15) / 16, tail = len - 16 * (nblocks - 1);

	if (len < 16)
		return;
	memcpy(v, iv, 16);
	if (len == 16) {
		fscrypt_ext__bc_cbc_encrypt(bc, key, v, in, out, 1);
		fscrypt_ext__wipe(v, sizeof(v));
		return;
	}
	fscrypt_ext__bc_cbc_encrypt(bc, key, v, in, out, nblocks - 2);
	in += 16 * (nblocks - 2);
	out += 16 * (nblocks - 2);
	/* CBC over C_{n-1}'s plaintext and the zero-padded last one, then swap and cut. */
	memset(p, 0, sizeof(p));
	memcpy(p, in, 16 + tail);
	fscrypt_ext__bc_cbc_encrypt(bc, key, v, p, c, 2);
	memcpy(out, c + 16, 16);
	memcpy(out + 16, c, tail);
	fscrypt_ext__wipe(p, sizeof(p));
	fscrypt_ext__wipe(c, sizeof(c));
	fscrypt_ext__wipe(v, sizeof(v));
}

void fscrypt_ext__bc_cbc_cts_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, const uint8_t iv[16],
				     const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t v[16], d[16], c[32], p[32];
	size_t nblocks = (len + 15) / 16, tail = len - 16 * (nblocks - 1);

	if (len < 16)
		return;
	memcpy(v, iv, 16);
	if (len == 16) {
		fscrypt_ext__bc_cbc_decrypt(bc, key, v, in, out, 1);
		fscrypt_ext__wipe(v, sizeof(v));
		return;
	}
	fscrypt_ext__bc_cbc_decrypt(bc, key, v, in, out, nblocks - 2);
	in += 16 * (nblocks - 2);
	out += 16 * (nblocks - 2);
	/* in[0..16) is E(P_n padded ^ C_{n-1}); in[16..16+tail) is the head of C_{n-1}. */
	bc->ecb_decrypt(key, in, d, 1);
	memcpy(c, in + 16, tail);
	memcpy(c + tail, d + tail, 16 - tail);
	memcpy(c + 16, in, 16);
	/* Now c = C_{n-1} || C_n' and plain CBC decryption gives P_{n-1} || (P_n padded). */
	fscrypt_ext__bc_cbc_decrypt(bc, key, v, c, p, 2);
	memcpy(out, p, 16 + tail);
	fscrypt_ext__wipe(d, sizeof(d));
	fscrypt_ext__wipe(p, sizeof(p));
	fscrypt_ext__wipe(v, sizeof(v));
}
