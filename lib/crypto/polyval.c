/* Portable constant-time POLYVAL and the POLYVAL implementation table. */
#include "polyval.h"
#include "dispatch.h"


/*
 * Carry-less 32x32 -> 64 multiply with integer multiplies: each operand is
 * split into four masks with one bit in every four, so the integer products
 * hold at most 8 terms per 4-bit digit and never carry into a bit we keep.
 * No table lookups and no branches on the data.
 */
static uint64_t clmul32(uint32_t x, uint32_t y)
{
	uint64_t x0 = x & 0x11111111u, x1 = x & 0x22222222u, x2 = x & 0x44444444u, x3 = x & 0x88888888u;
	uint64_t y0 = y & 0x11111111u, y1 = y & 0x22222222u, y2 = y & 0x44444444u, y3 = y & 0x88888888u;
	uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
	uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
	uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
	uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);

	return (z0 & 0x1111111111111111ULL) | (z1 & 0x2222222222222222ULL) | (z2 & 0x4444444444444444ULL) |
	       (z3 & 0x8888888888888888ULL);
}

/* 64x64 -> 128 by Karatsuba over clmul32. */
static void clmul64(uint64_t x, uint64_t y, uint64_t *lo, uint64_t *hi)
{
	uint32_t x0 = (uint32_t)x, x1 = (uint32_t)(x >> 32), y0 = (uint32_t)y, y1 = (uint32_t)(y >> 32);
	uint64_t l = clmul32(x0, y0), h = clmul32(x1, y1);
	uint64_t m = clmul32(x0 ^ x1, y0 ^ y1) ^ l ^ h;

	*lo = l ^ (m << 32);
	*hi = h ^ (m >> 32);
}

/*
 * a * b * x^-128 modulo x^128 + x^127 + x^126 + x^121 + 1. The 256-bit
 * product is reduced Montgomery-style one 64-bit word at a time: adding
 * w * g (g the polynomial) clears word w and adds w * (x^121 + x^126 + x^127)
 * and w * x^128 to the two words above it.
 */
static void polyval_mul64(uint64_t r[2], const uint64_t a[2], const uint64_t b[2])
{
	uint64_t l0, l1, h0, h1, m0, m1, w0, w1, w2, w3;

	clmul64(a[0], b[0], &l0, &l1);
	clmul64(a[1], b[1], &h0, &h1);
	clmul64(a[0] ^ a[1], b[0] ^ b[1], &m0, &m1);
	m0 ^= l0 ^ h0;
	m1 ^= l1 ^ h1;
	w0 = l0;
	w1 = l1 ^ m0;
	w2 = h0 ^ m1;
	w3 = h1;

	w1 ^= (w0 << 57) ^ (w0 << 62) ^ (w0 << 63);
	w2 ^= w0 ^ (w0 >> 7) ^ (w0 >> 2) ^ (w0 >> 1);
	w2 ^= (w1 << 57) ^ (w1 << 62) ^ (w1 << 63);
	w3 ^= w1 ^ (w1 >> 7) ^ (w1 >> 2) ^ (w1 >> 1);
	r[0] = w2;
	r[1] = w3;
}

void fscrypt_ext__polyval_mul(uint8_t out[16], const uint8_t a[16], const uint8_t b[16])
{
	uint64_t x[2] = { fscrypt_ext__le64(a), fscrypt_ext__le64(a + 8) };
	uint64_t y[2] = { fscrypt_ext__le64(b), fscrypt_ext__le64(b + 8) };
	uint64_t r[2];

	polyval_mul64(r, x, y);
	fscrypt_ext__put_le64(out, r[0]);
	fscrypt_ext__put_le64(out + 8, r[1]);
	fscrypt_ext__wipe(x, sizeof(x));
	fscrypt_ext__wipe(y, sizeof(y));
	fscrypt_ext__wipe(r, sizeof(r));
}

static int portable_available(void)
{
	return 1;
}

static void portable_setkey(struct fscrypt_ext__polyval_key *k)
{
	(void)k;
}

static void portable_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data, size_t nblocks)
{
	uint64_t h[2] = { fscrypt_ext__le64(k->h), fscrypt_ext__le64(k->h + 8) };
	uint64_t s[2] = { fscrypt_ext__le64(acc), fscrypt_ext__le64(acc + 8) };

	for (size_t i = 0; i < nblocks; i++, data += 16) {
		s[0] ^= fscrypt_ext__le64(data);
		s[1] ^= fscrypt_ext__le64(data + 8);
		polyval_mul64(s, s, h);
	}
	fscrypt_ext__put_le64(acc, s[0]);
	fscrypt_ext__put_le64(acc + 8, s[1]);
	fscrypt_ext__wipe(h, sizeof(h));
	fscrypt_ext__wipe(s, sizeof(s));
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_portable = {
	.name = "portable",
	.available = portable_available,
	.setkey = portable_setkey,
	.update = portable_update,
};

/* The powers are built with the portable product; SIMD backends may rearrange them in their setkey. */
void fscrypt_ext__polyval_setkey(struct fscrypt_ext__polyval_key *k, const uint8_t h[16],
				 const struct fscrypt_ext__polyval_impl *impl)
{
	memcpy(k->h, h, 16);
	k->impl = impl != NULL ? impl : fscrypt_ext__dispatch()->polyval;
	if (k->impl != &fscrypt_ext__polyval_portable) {
		memcpy(k->powers[0], h, 16);
		for (int i = 1; i < FSCRYPT_EXT__POLYVAL_POWERS; i++)
			fscrypt_ext__polyval_mul(k->powers[i], k->powers[i - 1], h);
	}
	k->impl->setkey(k);
}

void fscrypt_ext__polyval_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
				 size_t nblocks)
{
	if (nblocks)
		k->impl->update(k, acc, data, nblocks);
}
