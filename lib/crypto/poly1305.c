/* Poly1305's polynomial evaluation mod 2^130 - 5 (portable, constant time) for Adiantum: 44-bit limbs with 128-bit products, or 26-bit limbs. */
#include "poly1305.h"
#include "le_fast.h"

void fscrypt_ext__poly1305_init(struct fscrypt_ext__poly1305_state *st)
{
	memset(st, 0, sizeof(*st));
}

#if defined(FSCRYPT_EXT__POLY1305_LIMBS64)

typedef unsigned __int128 u128;

#define M44 0xfffffffffffull
#define M42 0x3ffffffffffull

static void poly1305_block(uint64_t h[3], const struct fscrypt_ext__poly1305_key *k, const uint8_t *m, uint64_t hibit)
{
	const uint64_t r0 = k->r[0], r1 = k->r[1], r2 = k->r[2], s1 = k->s[0], s2 = k->s[1];
	uint64_t m0 = fscrypt_ext__load_le64(m), m1 = fscrypt_ext__load_le64(m + 8);
	uint64_t h0, h1, h2, c;
	u128 d0, d1, d2;

	h0 = h[0] + (m0 & M44);
	h1 = h[1] + (((m0 >> 44) | (m1 << 20)) & M44);
	h2 = h[2] + (((m1 >> 24) & M42) | (hibit << 40));

	d0 = (u128)h0 * r0 + (u128)h1 * s2 + (u128)h2 * s1;
	d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s2;
	d2 = (u128)h0 * r2 + (u128)h1 * r1 + (u128)h2 * r0;

	c = (uint64_t)(d0 >> 44); h0 = (uint64_t)d0 & M44; d1 += c;
	c = (uint64_t)(d1 >> 44); h1 = (uint64_t)d1 & M44; d2 += c;
	c = (uint64_t)(d2 >> 42); h2 = (uint64_t)d2 & M42;
	h0 += c * 5;
	h1 += h0 >> 44;
	h0 &= M44;

	h[0] = h0; h[1] = h1; h[2] = h2;
}

void fscrypt_ext__poly1305_setkey(struct fscrypt_ext__poly1305_key *k, const uint8_t r[16])
{
	/* Clamping as RFC 8439: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff. */
	uint64_t t0 = fscrypt_ext__load_le64(r) & 0x0ffffffc0fffffffull;
	uint64_t t1 = fscrypt_ext__load_le64(r + 8) & 0x0ffffffc0ffffffcull;
	static const uint8_t zero[16];

	k->r[0] = t0 & M44;
	k->r[1] = ((t0 >> 44) | (t1 << 20)) & M44;
	k->r[2] = (t1 >> 24) & M42;
	/* Limb products at weight 2^132 wrap to 2^130 * 4 = 5 * 4 mod p. */
	k->s[0] = k->r[1] * 20;
	k->s[1] = k->r[2] * 20;
	/* r^2 = (0 + r) * r, by the block step with a zero block and no 2^128 bit. */
	memcpy(k->r2, k->r, sizeof(k->r2));
	poly1305_block(k->r2, k, zero, 0);
	k->s2[0] = k->r2[1] * 20;
	k->s2[1] = k->r2[2] * 20;
}

/* h = (h + m0) * r^2 + m1 * r for two full blocks (both with the 2^128 bit). */
static void poly1305_2blocks(uint64_t h[3], const struct fscrypt_ext__poly1305_key *k, const uint8_t *m)
{
	const uint64_t r0 = k->r[0], r1 = k->r[1], r2 = k->r[2], s1 = k->s[0], s2 = k->s[1];
	const uint64_t q0 = k->r2[0], q1 = k->r2[1], q2 = k->r2[2], t1 = k->s2[0], t2 = k->s2[1];
	uint64_t m0 = fscrypt_ext__load_le64(m), m1 = fscrypt_ext__load_le64(m + 8);
	uint64_t n0 = fscrypt_ext__load_le64(m + 16), n1 = fscrypt_ext__load_le64(m + 24);
	uint64_t a0, a1, a2, b0, b1, b2, c;
	u128 d0, d1, d2;

	a0 = h[0] + (m0 & M44);
	a1 = h[1] + (((m0 >> 44) | (m1 << 20)) & M44);
	a2 = h[2] + (((m1 >> 24) & M42) | (1ull << 40));
	b0 = n0 & M44;
	b1 = ((n0 >> 44) | (n1 << 20)) & M44;
	b2 = ((n1 >> 24) & M42) | (1ull << 40);

	d0 = (u128)a0 * q0 + (u128)a1 * t2 + (u128)a2 * t1 + (u128)b0 * r0 + (u128)b1 * s2 + (u128)b2 * s1;
	d1 = (u128)a0 * q1 + (u128)a1 * q0 + (u128)a2 * t2 + (u128)b0 * r1 + (u128)b1 * r0 + (u128)b2 * s2;
	d2 = (u128)a0 * q2 + (u128)a1 * q1 + (u128)a2 * q0 + (u128)b0 * r2 + (u128)b1 * r1 + (u128)b2 * r0;

	c = (uint64_t)(d0 >> 44); a0 = (uint64_t)d0 & M44; d1 += c;
	c = (uint64_t)(d1 >> 44); a1 = (uint64_t)d1 & M44; d2 += c;
	c = (uint64_t)(d2 >> 42); a2 = (uint64_t)d2 & M42;
	a0 += c * 5;
	a1 += a0 >> 44;
	a0 &= M44;

	h[0] = a0; h[1] = a1; h[2] = a2;
}

void fscrypt_ext__poly1305_blocks(struct fscrypt_ext__poly1305_state *st, const struct fscrypt_ext__poly1305_key *k,
				  const uint8_t *msg, size_t nblocks)
{
	for (; nblocks >= 2; nblocks -= 2, msg += 2 * FSCRYPT_EXT__POLY1305_BLOCK)
		poly1305_2blocks(st->h, k, msg);
	if (nblocks)
		poly1305_block(st->h, k, msg, 1);
}

void fscrypt_ext__poly1305_emit(const struct fscrypt_ext__poly1305_state *st, uint8_t out[16])
{
	uint64_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2];
	uint64_t g0, g1, g2, c, mask;

	/* Carry fully (twice round the top), then subtract p = 2^130 - 5 if h >= p, selected without a branch. */
	c = h1 >> 44; h1 &= M44; h2 += c;
	c = h2 >> 42; h2 &= M42; h0 += c * 5;
	c = h0 >> 44; h0 &= M44; h1 += c;
	c = h1 >> 44; h1 &= M44; h2 += c;
	c = h2 >> 42; h2 &= M42; h0 += c * 5;
	c = h0 >> 44; h0 &= M44; h1 += c;

	g0 = h0 + 5; c = g0 >> 44; g0 &= M44;
	g1 = h1 + c; c = g1 >> 44; g1 &= M44;
	g2 = h2 + c - (1ull << 42);

	mask = (g2 >> 63) - 1; /* all ones when g2 did not borrow, i.e. h >= p */
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);

	fscrypt_ext__store_le64(out, h0 | (h1 << 44));
	fscrypt_ext__store_le64(out + 8, (h1 >> 20) | (h2 << 24));
}

#else

#define LIMB_MASK 0x3ffffffu

void fscrypt_ext__poly1305_setkey(struct fscrypt_ext__poly1305_key *k, const uint8_t r[16])
{
	/* Clamping as RFC 8439: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff. */
	uint32_t t0 = fscrypt_ext__load_le32(r) & 0x0fffffffu;
	uint32_t t1 = fscrypt_ext__load_le32(r + 4) & 0x0ffffffcu;
	uint32_t t2 = fscrypt_ext__load_le32(r + 8) & 0x0ffffffcu;
	uint32_t t3 = fscrypt_ext__load_le32(r + 12) & 0x0ffffffcu;
	int i;

	k->r[0] = t0 & LIMB_MASK;
	k->r[1] = ((t0 >> 26) | (t1 << 6)) & LIMB_MASK;
	k->r[2] = ((t1 >> 20) | (t2 << 12)) & LIMB_MASK;
	k->r[3] = ((t2 >> 14) | (t3 << 18)) & LIMB_MASK;
	k->r[4] = t3 >> 8;
	for (i = 0; i < 4; i++)
		k->s[i] = k->r[i + 1] * 5;
}

/* h = (h + m) * r for one 16-byte block m with its top bit (hibit << 24 in limb 4). */
static void poly1305_block(uint32_t h[5], const struct fscrypt_ext__poly1305_key *k, const uint8_t *m, uint32_t hibit)
{
	const uint32_t r0 = k->r[0], r1 = k->r[1], r2 = k->r[2], r3 = k->r[3], r4 = k->r[4];
	const uint32_t s1 = k->s[0], s2 = k->s[1], s3 = k->s[2], s4 = k->s[3];
	uint32_t t0 = fscrypt_ext__load_le32(m), t1 = fscrypt_ext__load_le32(m + 4);
	uint32_t t2 = fscrypt_ext__load_le32(m + 8), t3 = fscrypt_ext__load_le32(m + 12);
	uint32_t h0, h1, h2, h3, h4;
	uint64_t d0, d1, d2, d3, d4, c;

	h0 = h[0] + (t0 & LIMB_MASK);
	h1 = h[1] + (((t0 >> 26) | (t1 << 6)) & LIMB_MASK);
	h2 = h[2] + (((t1 >> 20) | (t2 << 12)) & LIMB_MASK);
	h3 = h[3] + (((t2 >> 14) | (t3 << 18)) & LIMB_MASK);
	h4 = h[4] + ((t3 >> 8) | (hibit << 24));

	d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 + (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
	d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 + (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
	d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 + (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
	d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 + (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
	d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 + (uint64_t)h3 * r1 + (uint64_t)h4 * r0;

	c = d0 >> 26; h0 = (uint32_t)d0 & LIMB_MASK; d1 += c;
	c = d1 >> 26; h1 = (uint32_t)d1 & LIMB_MASK; d2 += c;
	c = d2 >> 26; h2 = (uint32_t)d2 & LIMB_MASK; d3 += c;
	c = d3 >> 26; h3 = (uint32_t)d3 & LIMB_MASK; d4 += c;
	c = d4 >> 26; h4 = (uint32_t)d4 & LIMB_MASK;
	/* 2^130 = 5 mod p */
	h0 += (uint32_t)c * 5;
	h1 += h0 >> 26;
	h0 &= LIMB_MASK;

	h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4;
}

void fscrypt_ext__poly1305_emit(const struct fscrypt_ext__poly1305_state *st, uint8_t out[16])
{
	uint32_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3], h4 = st->h[4];
	uint32_t g0, g1, g2, g3, g4, c, mask;

	/* Carry fully, then subtract p = 2^130 - 5 if h >= p (selected by mask, no branch). */
	c = h1 >> 26; h1 &= LIMB_MASK; h2 += c;
	c = h2 >> 26; h2 &= LIMB_MASK; h3 += c;
	c = h3 >> 26; h3 &= LIMB_MASK; h4 += c;
	c = h4 >> 26; h4 &= LIMB_MASK; h0 += c * 5;
	c = h0 >> 26; h0 &= LIMB_MASK; h1 += c;

	g0 = h0 + 5; c = g0 >> 26; g0 &= LIMB_MASK;
	g1 = h1 + c; c = g1 >> 26; g1 &= LIMB_MASK;
	g2 = h2 + c; c = g2 >> 26; g2 &= LIMB_MASK;
	g3 = h3 + c; c = g3 >> 26; g3 &= LIMB_MASK;
	g4 = h4 + c - (1u << 26);

	mask = (g4 >> 31) - 1; /* all ones when g4 did not borrow, i.e. h >= p */
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);
	h3 = (h3 & ~mask) | (g3 & mask);
	h4 = (h4 & ~mask) | (g4 & mask);

	fscrypt_ext__store_le32(out, h0 | (h1 << 26));
	fscrypt_ext__store_le32(out + 4, (h1 >> 6) | (h2 << 20));
	fscrypt_ext__store_le32(out + 8, (h2 >> 12) | (h3 << 14));
	fscrypt_ext__store_le32(out + 12, (h3 >> 18) | (h4 << 8));
}

void fscrypt_ext__poly1305_blocks(struct fscrypt_ext__poly1305_state *st, const struct fscrypt_ext__poly1305_key *k,
				  const uint8_t *msg, size_t nblocks)
{
	for (; nblocks > 0; nblocks--, msg += FSCRYPT_EXT__POLY1305_BLOCK)
		poly1305_block(st->h, k, msg, 1);
}

#endif


void fscrypt_ext__poly1305_partial(struct fscrypt_ext__poly1305_state *st, const struct fscrypt_ext__poly1305_key *k,
				   const uint8_t *msg, size_t len)
{
	uint8_t buf[FSCRYPT_EXT__POLY1305_BLOCK] = { 0 };

	memcpy(buf, msg, len);
	buf[len] = 1;
	poly1305_block(st->h, k, buf, 0);
	fscrypt_ext__wipe(buf, sizeof(buf));
}
