/* SM4 block cipher (GB/T 32907-2016): the constant-time bitsliced portable code, keys, ECB, CBC, and the block-cipher view for XTS/CTS. */
#include "sm4.h"

#include <string.h>

#include "blockmode.h"
#include "dispatch.h"

/*
 * The S-box of GB/T 32907 is S(x) = A(I(A(x) ^ 0xd3)) ^ 0xd3, where I is
 * inversion in GF(2^8) modulo x^8+x^7+x^6+x^5+x^4+x^2+1 (0x1f5) and A is the
 * circulant matrix of 0xa7. The portable code computes it bitsliced: 64 S-box
 * inputs (16 blocks of one round) are turned into eight 64-bit bit planes,
 * so every step is an AND or XOR of whole words and no secret ever becomes
 * an address or a branch condition.
 */

/* The bitsliced helpers have fixed trip counts: fully unrolled, their arrays live in registers. */
#define UNROLL _Pragma("GCC unroll 16")

/* Exchanges the bits of a selected by mask << n with the bits of b selected by mask. */
#define SWAPMOVE(a, b, mask, n)                                 \
	do {                                                    \
		uint64_t swap_t = (((a) >> (n)) ^ (b)) & (mask); \
		(b) ^= swap_t;                                  \
		(a) ^= swap_t << (n);                           \
	} while (0)

/*
 * Transposes each byte column of w[0..7] as an 8x8 bit matrix: afterwards
 * w[k] holds bit k of every one of the 64 bytes. It is its own inverse.
 */
static void bs_transpose(uint64_t w[8])
{
	UNROLL
	for (int j = 0; j < 8; j += 2)
		SWAPMOVE(w[j], w[j + 1], 0x5555555555555555ULL, 1);
	UNROLL
	for (int j = 0; j < 8; j += 4) {
		SWAPMOVE(w[j], w[j + 2], 0x3333333333333333ULL, 2);
		SWAPMOVE(w[j + 1], w[j + 3], 0x3333333333333333ULL, 2);
	}
	UNROLL
	for (int j = 0; j < 4; j++)
		SWAPMOVE(w[j], w[j + 4], 0x0f0f0f0f0f0f0f0fULL, 4);
}

/* Folds c[8..14] back with x^8 = x^7 + x^6 + x^5 + x^4 + x^2 + 1. */
static inline void bs_reduce(uint64_t r[8], uint64_t c[15])
{
	UNROLL
	for (int k = 14; k >= 8; k--) {
		c[k - 1] ^= c[k];
		c[k - 2] ^= c[k];
		c[k - 3] ^= c[k];
		c[k - 4] ^= c[k];
		c[k - 6] ^= c[k];
		c[k - 8] ^= c[k];
	}
	memcpy(r, c, 8 * sizeof(uint64_t));
}

static inline void bs_mul(uint64_t r[8], const uint64_t a[8], const uint64_t b[8])
{
	uint64_t c[15] = { 0 };

	UNROLL
	for (int i = 0; i < 8; i++)
		UNROLL
		for (int j = 0; j < 8; j++)
			c[i + j] ^= a[i] & b[j];
	bs_reduce(r, c);
}

/* x^2, x^4 and x^16: squaring is linear over GF(2), so each power of two is one XOR network (generated offline). */
static inline void bs_pow2(uint64_t r[8], const uint64_t x[8])
{
	r[0] = x[0] ^ x[4];
	r[1] = x[5] ^ x[7];
	r[2] = x[1] ^ x[4] ^ x[5];
	r[3] = x[5] ^ x[6] ^ x[7];
	r[4] = x[2] ^ x[4] ^ x[5] ^ x[6];
	r[5] = x[4] ^ x[5] ^ x[6];
	r[6] = x[3] ^ x[4] ^ x[6];
	r[7] = x[4] ^ x[6];
}

static inline void bs_pow4(uint64_t r[8], const uint64_t x[8])
{
	r[0] = x[0] ^ x[2] ^ x[5] ^ x[6];
	r[1] = x[5];
	r[2] = x[2] ^ x[5] ^ x[7];
	r[3] = x[3] ^ x[4] ^ x[5] ^ x[6];
	r[4] = x[1] ^ x[2] ^ x[3] ^ x[5] ^ x[6];
	r[5] = x[2] ^ x[3] ^ x[4] ^ x[6];
	r[6] = x[2] ^ x[3] ^ x[6] ^ x[7];
	r[7] = x[2] ^ x[3] ^ x[5];
}

static inline void bs_pow16(uint64_t r[8], const uint64_t x[8])
{
	r[0] = x[0] ^ x[4] ^ x[6];
	r[1] = x[2] ^ x[3] ^ x[4] ^ x[6];
	r[2] = x[2] ^ x[4] ^ x[6] ^ x[7];
	r[3] = x[1] ^ x[2] ^ x[7];
	r[4] = x[2] ^ x[3] ^ x[5] ^ x[6];
	r[5] = x[1] ^ x[2] ^ x[3] ^ x[4] ^ x[5] ^ x[6];
	r[6] = x[2] ^ x[3] ^ x[4] ^ x[5];
	r[7] = x[7];
}

/* A(x) ^ 0xd3: output bit p is the XOR of input bits p, p+1, p+2, p+5 and p+7 (mod 8); 0xd3 flips bits 0, 1, 4, 6, 7. */
static void bs_affine(uint64_t x[8])
{
	uint64_t y[8];

	UNROLL
	for (int p = 0; p < 8; p++)
		y[p] = x[p] ^ x[(p + 1) & 7] ^ x[(p + 2) & 7] ^ x[(p + 5) & 7] ^ x[(p + 7) & 7];
	UNROLL
	for (int p = 0; p < 8; p++)
		x[p] = y[p] ^ ((0xd3 >> p) & 1 ? ~0ULL : 0);
}

/* x^254 = x^-1 (and 0 -> 0) as 2, 3 = 2+1, 12 = 3*4, 15 = 12+3, 240 = 15*16, 252 = 240+12, 254 = 252+2. */
static void bs_inv(uint64_t x[8])
{
	uint64_t x2[8], x3[8], x12[8], t[8];

	bs_pow2(x2, x);
	bs_mul(x3, x2, x);
	bs_pow4(x12, x3);
	bs_mul(t, x12, x3);
	bs_pow16(x3, t);
	bs_mul(t, x3, x12);
	bs_mul(x, t, x2);
}

/* The S-box on each byte of the 16 words v[] (unused words are harmless). */
static void bs_sbox16(uint32_t v[16])
{
	uint64_t w[8];

	for (int i = 0; i < 8; i++)
		w[i] = (uint64_t)v[2 * i] | ((uint64_t)v[2 * i + 1] << 32);
	bs_transpose(w);
	bs_affine(w);
	bs_inv(w);
	bs_affine(w);
	bs_transpose(w);
	for (int i = 0; i < 8; i++) {
		v[2 * i] = (uint32_t)w[i];
		v[2 * i + 1] = (uint32_t)(w[i] >> 32);
	}
}

static inline uint32_t rol32(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static inline uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static const uint32_t sm4_fk[4] = { 0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc };

uint32_t fscrypt_ext__sm4_fk(unsigned int i)
{
	return sm4_fk[i];
}

/* CK_i byte j = (4i + j) * 7 mod 256. */
uint32_t fscrypt_ext__sm4_ck(unsigned int i)
{
	uint32_t v = 0;

	for (unsigned int j = 0; j < 4; j++)
		v = (v << 8) | (((4 * i + j) * 7) & 0xff);
	return v;
}

/* The key schedule: one S-box word per round, so 15 of the 16 bitsliced words are idle. */
static __attribute__((noinline)) void portable_expand_words(uint32_t rk[32], const uint8_t key[16])
{
	uint32_t k[4], v[16] = { 0 };

	for (int i = 0; i < 4; i++)
		k[i] = be32(key + 4 * i) ^ sm4_fk[i];
	for (unsigned int i = 0; i < 32; i++) {
		uint32_t t;

		v[0] = k[1] ^ k[2] ^ k[3] ^ fscrypt_ext__sm4_ck(i);
		bs_sbox16(v);
		t = v[0];
		rk[i] = k[0] ^ t ^ rol32(t, 13) ^ rol32(t, 23);
		k[0] = k[1];
		k[1] = k[2];
		k[2] = k[3];
		k[3] = rk[i];
	}
	fscrypt_ext__wipe(k, sizeof(k));
	fscrypt_ext__wipe(v, sizeof(v));
}

/* The key words' spill slots are zeroed with the stack the schedule used. */
static void portable_expand(uint32_t rk[32], const uint8_t key[16])
{
	portable_expand_words(rk, key);
	fscrypt_ext__wipe_stack();
}

/* Up to 16 blocks at once: one round's 16 S-box words fill the 64-bit bit planes. */
static void portable_crypt16(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t n)
{
	uint32_t x[16][4], v[16] = { 0 };

	memset(x, 0, sizeof(x));
	for (size_t b = 0; b < n; b++)
		for (int i = 0; i < 4; i++)
			x[b][i] = be32(in + 16 * b + 4 * i);
	for (unsigned int r = 0; r < 32; r++) {
		uint32_t key = rk[decrypt ? 31 - r : r];

		for (int b = 0; b < 16; b++)
			v[b] = x[b][1] ^ x[b][2] ^ x[b][3] ^ key;
		bs_sbox16(v);
		for (int b = 0; b < 16; b++) {
			uint32_t t = v[b], nx = x[b][0] ^ t ^ rol32(t, 2) ^ rol32(t, 10) ^ rol32(t, 18) ^ rol32(t, 24);

			x[b][0] = x[b][1];
			x[b][1] = x[b][2];
			x[b][2] = x[b][3];
			x[b][3] = nx;
		}
	}
	/* The output is the last four words in reverse order. */
	for (size_t b = 0; b < n; b++)
		for (int i = 0; i < 4; i++)
			put_be32(out + 16 * b + 4 * i, x[b][3 - i]);
	fscrypt_ext__wipe(x, sizeof(x));
	fscrypt_ext__wipe(v, sizeof(v));
}

static void portable_crypt(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	while (nblocks) {
		size_t n = nblocks > 16 ? 16 : nblocks;

		portable_crypt16(rk, decrypt, in, out, n);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
}

static int portable_available(void)
{
	return 1;
}

const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_portable = {
	.name = "portable",
	.needs = 0,
	.available = portable_available,
	.expand = portable_expand,
	.crypt = portable_crypt,
};

const struct fscrypt_ext__sm4_impl *fscrypt_ext__sm4_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; fscrypt_ext__sm4_impls[i] != NULL; i++)
		if (strcmp(fscrypt_ext__sm4_impls[i]->name, name) == 0)
			return fscrypt_ext__sm4_impls[i];
	return NULL;
}

const struct fscrypt_ext__sm4_impl *fscrypt_ext__sm4_selected(void)
{
	return fscrypt_ext__dispatch()->sm4;
}

void fscrypt_ext__sm4_setkey_impl(struct fscrypt_ext__sm4_key *k, const uint8_t key[16],
				  const struct fscrypt_ext__sm4_impl *impl)
{
	if (impl == NULL)
		impl = fscrypt_ext__sm4_selected();
	impl->expand(k->rk, key);
	k->impl = impl;
}

void fscrypt_ext__sm4_setkey(struct fscrypt_ext__sm4_key *k, const uint8_t key[16])
{
	fscrypt_ext__sm4_setkey_impl(k, key, NULL);
}

void fscrypt_ext__sm4_ecb_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	if (nblocks)
		k->impl->crypt(k->rk, 0, in, out, nblocks);
}

void fscrypt_ext__sm4_ecb_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	if (nblocks)
		k->impl->crypt(k->rk, 1, in, out, nblocks);
}

/* CBC encryption is serial: one block per call. */
void fscrypt_ext__sm4_cbc_encrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	uint8_t x[16];

	for (size_t i = 0; i < nblocks; i++) {
		for (int j = 0; j < 16; j++)
			x[j] = in[16 * i + j] ^ iv[j];
		k->impl->crypt(k->rk, 0, x, iv, 1);
		memcpy(out + 16 * i, iv, 16);
	}
	fscrypt_ext__wipe(x, sizeof(x));
}

/* CBC decryption is parallel: one ECB call per chunk; the chunk's ciphertext is kept so in == out works. */
void fscrypt_ext__sm4_cbc_decrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	uint8_t ct[64 * 16];

	while (nblocks) {
		size_t n = nblocks > 64 ? 64 : nblocks;

		memcpy(ct, in, 16 * n);
		k->impl->crypt(k->rk, 1, ct, out, n);
		for (size_t i = 0; i < n; i++)
			for (int j = 0; j < 16; j++)
				out[16 * i + j] ^= i ? ct[16 * (i - 1) + j] : iv[j];
		memcpy(iv, ct + 16 * (n - 1), 16);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
}

/* ---- the block-cipher view of an SM4 key, and the modes composed on it (crypto/blockmode.c) ---- */

static void bc_ecb_enc(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_ecb_encrypt(key, in, out, nblocks);
}

static void bc_ecb_dec(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_ecb_decrypt(key, in, out, nblocks);
}

static void bc_cbc_enc(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_cbc_encrypt(key, iv, in, out, nblocks);
}

static void bc_cbc_dec(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_cbc_decrypt(key, iv, in, out, nblocks);
}

/* Implementations without a fused XTS get blockmode.c's composition from ECB. */
static const struct fscrypt_ext__blockcipher sm4_ecb_only = {
	.ecb_encrypt = bc_ecb_enc,
	.ecb_decrypt = bc_ecb_dec,
};

static void bc_xts(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks, int enc)
{
	const struct fscrypt_ext__sm4_key *k = key;

	if (k->impl->xts != NULL)
		k->impl->xts(k->rk, !enc, tweak, in, out, nblocks);
	else
		fscrypt_ext__bc_xts_blocks(&sm4_ecb_only, key, tweak, in, out, nblocks, enc != 0);
}

static void bc_xts_enc(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	bc_xts(key, tweak, in, out, nblocks, 1);
}

static void bc_xts_dec(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	bc_xts(key, tweak, in, out, nblocks, 0);
}

const struct fscrypt_ext__blockcipher fscrypt_ext__sm4_blockcipher = {
	.ecb_encrypt = bc_ecb_enc,
	.ecb_decrypt = bc_ecb_dec,
	.cbc_encrypt = bc_cbc_enc,
	.cbc_decrypt = bc_cbc_dec,
	.xts_encrypt = bc_xts_enc,
	.xts_decrypt = bc_xts_dec,
};

void fscrypt_ext__sm4_xts_encrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	fscrypt_ext__bc_xts_encrypt(&fscrypt_ext__sm4_blockcipher, data_key, tweak_key, iv, in, out, len);
}

void fscrypt_ext__sm4_xts_decrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	fscrypt_ext__bc_xts_decrypt(&fscrypt_ext__sm4_blockcipher, data_key, tweak_key, iv, in, out, len);
}

void fscrypt_ext__sm4_cbc_cts_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	fscrypt_ext__bc_cbc_cts_encrypt(&fscrypt_ext__sm4_blockcipher, k, iv, in, out, len);
}

void fscrypt_ext__sm4_cbc_cts_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	fscrypt_ext__bc_cbc_cts_decrypt(&fscrypt_ext__sm4_blockcipher, k, iv, in, out, len);
}
