/* SM4 block cipher: OpenSSL's EVP SM4-ECB when available, else our own constant-time code (S-box computed, never looked up). */
#include "sm4.h"

#include <pthread.h>
#include <openssl/evp.h>

#include "blockmode.h"
#include "dispatch.h"

/*
 * The S-box of GB/T 32907 is S(x) = A(I(A(x) ^ 0xd3)) ^ 0xd3, where I is
 * inversion in GF(2^8) modulo x^8+x^7+x^6+x^5+x^4+x^2+1 (0x1f5) and A is the
 * circulant matrix of 0xa7. Computing it with bit operations on eight bytes at
 * once keeps secret data out of memory addresses.
 */
#define LANE_LSB 0x0101010101010101ULL

static uint64_t gf_mul8(uint64_t a, uint64_t b)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++) {
		r ^= a & (((b >> i) & LANE_LSB) * 0xff);
		a = ((a & 0x7f7f7f7f7f7f7f7fULL) << 1) ^ (((a >> 7) & LANE_LSB) * 0xf5);
	}
	return r;
}

static uint64_t rotr8_lanes(uint64_t x, unsigned int n)
{
	uint64_t lo = (uint64_t)(0xffu >> n) * LANE_LSB;

	return ((x >> n) & lo) | ((x << (8 - n)) & ~lo);
}

static uint64_t affine8(uint64_t x)
{
	/* Row 0xa7 has bits 0, 1, 2, 5 and 7 set. */
	return x ^ rotr8_lanes(x, 1) ^ rotr8_lanes(x, 2) ^ rotr8_lanes(x, 5) ^ rotr8_lanes(x, 7) ^ (0xd3 * LANE_LSB);
}

/* x^254 = x^-1 (and 0 -> 0) by the chain 1,2,3,6,12,15,30,60,120,240,252,254. */
static uint64_t gf_inv8(uint64_t x)
{
	uint64_t x2 = gf_mul8(x, x), x3 = gf_mul8(x2, x), x12, x15, t;

	x12 = gf_mul8(x3, x3);
	x12 = gf_mul8(x12, x12);
	x15 = gf_mul8(x12, x3);
	t = x15;
	for (int i = 0; i < 4; i++)
		t = gf_mul8(t, t);
	t = gf_mul8(t, x12);
	return gf_mul8(t, x2);
}

static uint64_t sbox8(uint64_t x)
{
	return affine8(gf_inv8(affine8(x)));
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

static inline uint32_t lin_round(uint32_t b)
{
	return b ^ rol32(b, 2) ^ rol32(b, 10) ^ rol32(b, 18) ^ rol32(b, 24);
}

static inline uint32_t lin_key(uint32_t b)
{
	return b ^ rol32(b, 13) ^ rol32(b, 23);
}

static const uint32_t sm4_fk[4] = { 0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc };

/* CK_i byte j = (4i + j) * 7 mod 256. */
static uint32_t sm4_ck(unsigned int i)
{
	uint32_t v = 0;

	for (unsigned int j = 0; j < 4; j++)
		v = (v << 8) | (((4 * i + j) * 7) & 0xff);
	return v;
}

static void portable_expand(uint32_t rk[32], const uint8_t key[16])
{
	uint32_t k[4];

	for (int i = 0; i < 4; i++)
		k[i] = be32(key + 4 * i) ^ sm4_fk[i];
	for (unsigned int i = 0; i < 32; i++) {
		uint32_t t = (uint32_t)sbox8(k[1] ^ k[2] ^ k[3] ^ sm4_ck(i));

		rk[i] = k[0] ^ lin_key(t);
		k[0] = k[1];
		k[1] = k[2];
		k[2] = k[3];
		k[3] = rk[i];
	}
	fscrypt_ext__wipe(k, sizeof(k));
}

/* Two blocks at a time: their S-box inputs share one 64-bit word. */
static void portable_crypt2(const uint32_t rk[32], int decrypt, const uint8_t *in0, uint8_t *out0,
			    const uint8_t *in1, uint8_t *out1)
{
	uint32_t a[4], b[4];

	for (int i = 0; i < 4; i++) {
		a[i] = be32(in0 + 4 * i);
		b[i] = be32(in1 + 4 * i);
	}
	for (unsigned int r = 0; r < 32; r++) {
		uint32_t key = rk[decrypt ? 31 - r : r];
		uint64_t s = sbox8(((uint64_t)(b[1] ^ b[2] ^ b[3] ^ key) << 32) | (a[1] ^ a[2] ^ a[3] ^ key));
		uint32_t na = a[0] ^ lin_round((uint32_t)s), nb = b[0] ^ lin_round((uint32_t)(s >> 32));

		a[0] = a[1]; a[1] = a[2]; a[2] = a[3]; a[3] = na;
		b[0] = b[1]; b[1] = b[2]; b[2] = b[3]; b[3] = nb;
	}
	/* Output is the last four words in reverse order. */
	for (int i = 0; i < 4; i++) {
		put_be32(out0 + 4 * i, a[3 - i]);
		put_be32(out1 + 4 * i, b[3 - i]);
	}
	fscrypt_ext__wipe(a, sizeof(a));
	fscrypt_ext__wipe(b, sizeof(b));
}

static void portable_ecb(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint8_t spare[16];

	for (; nblocks >= 2; nblocks -= 2, in += 32, out += 32)
		portable_crypt2(rk, decrypt, in, out, in + 16, out + 16);
	if (nblocks) {
		memcpy(spare, in, 16);
		portable_crypt2(rk, decrypt, in, out, spare, spare);
		fscrypt_ext__wipe(spare, sizeof(spare));
	}
}

/* ---- OpenSSL ---- */

static EVP_CIPHER *openssl_sm4;
static pthread_once_t openssl_once = PTHREAD_ONCE_INIT;

/* Returns how many blocks were done (all of them unless EVP failed); the caller finishes the rest. */
static size_t openssl_ecb(const EVP_CIPHER *cipher, const uint8_t key[16], int enc, const uint8_t *in, uint8_t *out,
			  size_t nblocks)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	size_t done = 0;
	int ok = ctx != NULL && EVP_CipherInit_ex2(ctx, cipher, key, NULL, enc, NULL) == 1 &&
		 EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;

	while (ok && done < nblocks) {
		size_t n = nblocks - done > (1u << 20) ? (1u << 20) : nblocks - done;
		int outl = 0;

		ok = EVP_CipherUpdate(ctx, out + 16 * done, &outl, in + 16 * done, (int)(n * 16)) == 1 &&
		     (size_t)outl == n * 16;
		if (ok)
			done += n;
	}
	EVP_CIPHER_CTX_free(ctx); /* frees and cleanses the schedule */
	return done;
}

/* Uses OpenSSL's SM4 only if it gives the GB/T 32907 example answer. */
static void openssl_probe(void)
{
	static const uint8_t kp[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
					0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
	static const uint8_t ct[16] = { 0x68, 0x1e, 0xdf, 0x34, 0xd2, 0x06, 0x96, 0x5e,
					0x86, 0xb3, 0xe9, 0x4f, 0x53, 0x6e, 0x42, 0x46 };
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
	uint8_t buf[16];

	if (c == NULL)
		return;
	if (openssl_ecb(c, kp, 1, kp, buf, 1) == 1 && memcmp(buf, ct, 16) == 0)
		openssl_sm4 = c;
	else
		EVP_CIPHER_free(c);
}

int fscrypt_ext__sm4_openssl_available(void)
{
	pthread_once(&openssl_once, openssl_probe);
	return openssl_sm4 != NULL;
}

enum fscrypt_ext__sm4_impl fscrypt_ext__sm4_default_impl(void)
{
	return fscrypt_ext__dispatch()->sm4->impl;
}

void fscrypt_ext__sm4_setkey_impl(struct fscrypt_ext__sm4_key *k, const uint8_t key[16], enum fscrypt_ext__sm4_impl impl)
{
	/* The round keys are always expanded: they are the fallback if EVP ever fails. */
	portable_expand(k->rk, key);
	memcpy(k->raw, key, 16);
	k->impl = impl == FSCRYPT_EXT__SM4_OPENSSL && fscrypt_ext__sm4_openssl_available() ? FSCRYPT_EXT__SM4_OPENSSL
											  : FSCRYPT_EXT__SM4_PORTABLE;
}

void fscrypt_ext__sm4_setkey(struct fscrypt_ext__sm4_key *k, const uint8_t key[16])
{
	fscrypt_ext__sm4_setkey_impl(k, key, fscrypt_ext__sm4_default_impl());
}

static void sm4_ecb(const struct fscrypt_ext__sm4_key *k, int enc, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	size_t done = 0;

	if (nblocks == 0)
		return;
	if (k->impl == FSCRYPT_EXT__SM4_OPENSSL)
		done = openssl_ecb(openssl_sm4, k->raw, enc, in, out, nblocks);
	portable_ecb(k->rk, !enc, in + 16 * done, out + 16 * done, nblocks - done);
}

void fscrypt_ext__sm4_ecb_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	sm4_ecb(k, 1, in, out, nblocks);
}

void fscrypt_ext__sm4_ecb_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	sm4_ecb(k, 0, in, out, nblocks);
}


/* CBC encryption is serial: one EVP context for the whole chain, one block per update. */
static size_t openssl_cbc_encrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t x[16];
	size_t done = 0;
	int ok = ctx != NULL && EVP_CipherInit_ex2(ctx, openssl_sm4, k->raw, NULL, 1, NULL) == 1 &&
		 EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;

	for (; ok && done < nblocks; done++) {
		int outl = 0;

		for (int j = 0; j < 16; j++)
			x[j] = in[16 * done + j] ^ iv[j];
		ok = EVP_CipherUpdate(ctx, x, &outl, x, 16) == 1 && outl == 16;
		if (!ok)
			break;
		memcpy(iv, x, 16);
		memcpy(out + 16 * done, x, 16);
	}
	EVP_CIPHER_CTX_free(ctx);
	fscrypt_ext__wipe(x, sizeof(x));
	return done;
}

void fscrypt_ext__sm4_cbc_encrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	uint8_t x[16];
	size_t i = 0;

	if (nblocks == 0)
		return;
	if (k->impl == FSCRYPT_EXT__SM4_OPENSSL)
		i = openssl_cbc_encrypt(k, iv, in, out, nblocks);
	for (; i < nblocks; i++) {
		for (int j = 0; j < 16; j++)
			x[j] = in[16 * i + j] ^ iv[j];
		portable_ecb(k->rk, 0, x, iv, 1);
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
		sm4_ecb(k, 0, ct, out, n);
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
	sm4_ecb(key, 1, in, out, nblocks);
}

static void bc_ecb_dec(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	sm4_ecb(key, 0, in, out, nblocks);
}

static void bc_cbc_enc(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_cbc_encrypt(key, iv, in, out, nblocks);
}

static void bc_cbc_dec(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	fscrypt_ext__sm4_cbc_decrypt(key, iv, in, out, nblocks);
}

const struct fscrypt_ext__blockcipher fscrypt_ext__sm4_blockcipher = {
	.ecb_encrypt = bc_ecb_enc,
	.ecb_decrypt = bc_ecb_dec,
	.cbc_encrypt = bc_cbc_enc,
	.cbc_decrypt = bc_cbc_dec,
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
