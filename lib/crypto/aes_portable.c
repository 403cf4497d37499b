/* Portable constant-time AES-128/192/256: bitsliced over four blocks, no table lookups, no secret branches. */
#include <string.h>

#include "crypto/aes.h"

/*
 * State layout: eight 64-bit bit planes q[0..7]; plane b holds bit b of all
 * 64 bytes of four blocks. Byte i (FIPS-197 order, i = row + 4 * column) of
 * block j sits at bit 4 * i + j, so one column is a 16-bit lane and one row
 * step inside a column is a 4-bit rotate. Round keys are stored the same way,
 * replicated into the four block positions: u.sw[8 * round + plane].
 */

/* Exchanges the bits of *a selected by (m << s) with the bits of *b selected by m. */
static inline void swap_bits(uint64_t *a, uint64_t *b, uint64_t m, unsigned int s)
{
	uint64_t t = ((*a >> s) ^ *b) & m;

	*b ^= t;
	*a ^= t << s;
}

/* Transposes the 8x8 bit matrix formed by byte k of q[0..7], for all eight k (an involution). */
static void transpose8(uint64_t q[8])
{
	for (unsigned int i = 0; i < 8; i += 2)
		swap_bits(&q[i], &q[i + 1], 0x5555555555555555ULL, 1);
	for (unsigned int i = 0; i < 8; i += 4) {
		swap_bits(&q[i], &q[i + 2], 0x3333333333333333ULL, 2);
		swap_bits(&q[i + 1], &q[i + 3], 0x3333333333333333ULL, 2);
	}
	for (unsigned int i = 0; i < 4; i++)
		swap_bits(&q[i], &q[i + 4], 0x0f0f0f0f0f0f0f0fULL, 4);
}

/*
 * Word 4 * (i & 1) + j gets byte i of block j at byte position i >> 1; the
 * transpose then moves bit b of that byte to plane b, bit 4 * i + j.
 */
static void load_blocks(uint64_t q[8], const uint8_t *const blk[4])
{
	memset(q, 0, 8 * sizeof(q[0]));
	for (unsigned int j = 0; j < 4; j++)
		for (unsigned int i = 0; i < 16; i++)
			q[4 * (i & 1) + j] |= (uint64_t)blk[j][i] << (8 * (i >> 1));
	transpose8(q);
}

static void store_blocks(uint64_t q[8], uint8_t *const blk[4])
{
	transpose8(q);
	for (unsigned int j = 0; j < 4; j++)
		for (unsigned int i = 0; i < 16; i++)
			blk[j][i] = (uint8_t)(q[4 * (i & 1) + j] >> (8 * (i >> 1)));
}

/*
 * The AES S-box on 64 bytes in parallel, as a Boolean circuit (32 AND, 78
 * XOR/XNOR): Boyar and Peralta's 110-gate forward S-box, as published by the
 * NIST circuit complexity project. Input u0 is the most significant bit.
 */
static void sub_bytes(uint64_t q[8])
{
	uint64_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4], u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
	uint64_t s0, s1, s2, s3, s4, s5, s6, s7;
	uint64_t t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
	uint64_t t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27, t28;
	uint64_t t29, t30, t31, t32, t33, t34, t35, t36, t37, t38, t39, t40, t41, t42;
	uint64_t t43, t44, t45, t46, t47, t48, t49, t50, t51, t52, t53, t54, t55, t56;
	uint64_t t57, t58, t59, t60, t61, t62, t63, t64, t65, t66, t67, t68, t69, t70;
	uint64_t t71, t72, t73, t74, t75, t76, t77, t78, t79, t80, t81, t82, t83, t84;
	uint64_t t85, t86, t87, t88, t89, t90, t91, t92, t93, t94, t95, t96, t97, t98;
	uint64_t t99, t100, t101, t102;

	t1 = u4 ^ u5;
	t2 = u0 ^ u6;
	t3 = u0 ^ u3;
	t4 = u3 ^ u5;
	t5 = u0 ^ u5;
	t6 = u1 ^ u4;
	t7 = t2 ^ t4;
	t8 = u6 ^ t1;
	t9 = u2 ^ t8;
	t10 = u1 ^ t8;
	t11 = t1 ^ t7;
	t12 = t7 & t1;
	t13 = u7 ^ t10;
	t14 = u7 ^ t11;
	t15 = t9 ^ t11;
	t16 = t6 ^ t12;
	t17 = t2 & t9;
	t18 = t3 & t10;
	t19 = t9 ^ t13;
	t20 = t10 ^ t15;
	t21 = t17 ^ t18;
	t22 = t16 ^ t18;
	t23 = t4 & t15;
	t24 = u3 ^ t19;
	t25 = u6 ^ t19;
	t26 = u0 ^ t19;
	t27 = t9 ^ t21;
	t28 = t2 ^ t23;
	t29 = t5 & t20;
	t30 = t7 ^ t24;
	t31 = u0 ^ t29;
	t32 = t27 ^ t28;
	t33 = t24 & u7;
	t34 = t25 & t19;
	t35 = t26 & t13;
	t36 = t32 ^ t34;
	t37 = u2 ^ t31;
	t38 = t27 ^ t31;
	t39 = t30 & t14;
	t40 = t39 ^ t23;
	t41 = t33 ^ t37;
	t42 = t35 ^ t38;
	t43 = t22 ^ t40;
	t44 = t40 ^ t41;
	t45 = t22 ^ t41;
	t46 = t36 ^ t42;
	t47 = t43 & t36;
	t48 = t42 ^ t47;
	t49 = t45 ^ t47;
	t50 = t44 & t48;
	t51 = t49 & t46;
	t52 = t47 ^ t51;
	t53 = t47 ^ t50;
	t54 = t42 ^ t51;
	t55 = t50 ^ t45;
	t56 = t54 ^ t55;
	t57 = t42 & t52;
	t58 = t45 & t53;
	t59 = t54 & u7;
	t60 = t55 & t13;
	t61 = t54 & t24;
	t62 = t55 & t26;
	t63 = t36 ^ t57;
	t64 = t43 ^ t58;
	t65 = t56 & t10;
	t66 = t56 & t3;
	t67 = t63 ^ t54;
	t68 = t64 ^ t55;
	t69 = t63 ^ t64;
	t70 = t63 & t11;
	t71 = t64 & t9;
	t72 = t63 & t7;
	t73 = t64 & t2;
	t74 = t67 ^ t68;
	t75 = t65 ^ t71;
	t76 = t70 ^ t71;
	t77 = t62 ^ t73;
	t78 = t67 & t14;
	t79 = t68 & t19;
	t80 = t69 & t15;
	t81 = t67 & t30;
	t82 = t68 & t25;
	t83 = t69 & t4;
	t84 = t78 ^ t79;
	t85 = t80 ^ t79;
	t86 = t83 ^ t66;
	t87 = t59 ^ t76;
	t88 = t74 & t20;
	t89 = t74 & t5;
	t90 = t75 ^ t85;
	t91 = t88 ^ t85;
	t92 = t81 ^ t86;
	t93 = t82 ^ t86;
	t94 = t84 ^ t76;
	t95 = t60 ^ t87;
	t96 = t89 ^ t90;
	t97 = t72 ^ t92;
	t98 = t61 ^ t92;
	t99 = t93 ^ t73;
	t100 = t91 ^ t87;
	t101 = t96 ^ t66;
	s0 = t90 ^ t97;
	s3 = t94 ^ t97;
	s7 = ~(t99 ^ t95);
	t102 = t77 ^ t100;
	s1 = ~(t90 ^ s3);
	s4 = s3 ^ t95;
	s6 = s7 ^ t100;
	s2 = ~(t101 ^ t102);
	s5 = t98 ^ t102;

	q[7] = s0;
	q[6] = s1;
	q[5] = s2;
	q[4] = s3;
	q[3] = s4;
	q[2] = s5;
	q[1] = s6;
	q[0] = s7;
}

/*
 * The inverse S-box as its own circuit (32 AND, 80 XOR/XNOR), from the
 * same NIST collection (aes-invsbox-a32-ad5-g112); u0 is the most
 * significant bit.
 */
static void inv_sub_bytes(uint64_t q[8])
{
	uint64_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4], u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
	uint64_t w0, w1, w2, w3, w4, w5, w6, w7;
	uint64_t t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
	uint64_t t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27, t28;
	uint64_t t29, t30, t31, t32, t33, t34, t35, t36, t37, t38, t39, t40, t41, t42;
	uint64_t t43, t44, t45, t46, t47, t48, t49, t50, t51, t52, t53, t54, t55, t56;
	uint64_t t57, t58, t59, t60, t61, t62, t63, t64, t65, t66, t67, t68, t69, t70;
	uint64_t t71, t72, t73, t74, t75, t76, t77, t78, t79, t80, t81, t82, t83, t84;
	uint64_t t85, t86, t87, t88, t89, t90, t91, t92, t93, t94, t95, t96, t97, t98;
	uint64_t t99, t100, t101, t102, t103, t104;

	t1 = u0 ^ u5;
	t2 = u3 ^ u4;
	t3 = ~(u1 ^ u3);
	t4 = ~(u0 ^ u1);
	t5 = u0 ^ u3;
	t6 = ~(u4 ^ u7);
	t7 = ~(u7 ^ t2);
	t8 = ~(u1 ^ t5);
	t9 = ~(u2 ^ t1);
	t10 = ~(u6 ^ t7);
	t11 = t8 ^ t7;
	t12 = u4 ^ t8;
	t13 = t8 ^ t9;
	t14 = t3 & t7;
	t15 = t5 & t8;
	t16 = t3 ^ t10;
	t17 = ~(u6 ^ t14);
	t18 = t15 ^ t12;
	t19 = t4 & t11;
	t20 = t2 ^ t16;
	t21 = t1 ^ t20;
	t22 = u2 ^ t20;
	t23 = t5 ^ t20;
	t24 = ~(u2 ^ t20);
	t25 = t9 & t20;
	t26 = t11 ^ t21;
	t27 = t7 ^ t24;
	t28 = t19 ^ t25;
	t29 = t16 & t22;
	t30 = t2 & t21;
	t31 = t13 & t23;
	t32 = t19 ^ t29;
	t33 = t18 ^ t26;
	t34 = t31 ^ t6;
	t35 = t30 ^ t24;
	t36 = t12 & t26;
	t37 = t10 & t27;
	t38 = t36 ^ t17;
	t39 = t36 ^ t33;
	t40 = t30 ^ t34;
	t41 = t37 ^ t35;
	t42 = t32 ^ t38;
	t43 = t39 ^ t40;
	t44 = t41 ^ t38;
	t45 = t28 ^ t40;
	t46 = t32 ^ t41;
	t47 = t28 ^ t39;
	t48 = t43 & t44;
	t49 = t48 ^ t45;
	t50 = t48 ^ t46;
	t51 = t42 & t49;
	t52 = t47 & t50;
	t53 = t51 ^ t46;
	t54 = t52 ^ t45;
	t55 = t48 ^ t52;
	t56 = t48 ^ t51;
	t57 = t53 ^ t54;
	t58 = t45 & t55;
	t59 = t46 & t56;
	t60 = t24 & t54;
	t61 = t20 & t53;
	t62 = t16 & t54;
	t63 = t9 & t53;
	t64 = t58 ^ t43;
	t65 = t59 ^ t44;
	t66 = t61 ^ t62;
	t67 = t21 & t57;
	t68 = t2 & t57;
	t69 = t54 ^ t64;
	t70 = t65 ^ t64;
	t71 = t61 ^ t68;
	t72 = t53 ^ t65;
	t73 = t10 & t64;
	t74 = t27 & t64;
	t75 = t23 & t65;
	t76 = t13 & t65;
	t77 = t67 ^ t73;
	t78 = t57 ^ t70;
	t79 = t60 ^ t74;
	t80 = t3 & t69;
	t81 = t12 & t70;
	t82 = t8 & t72;
	t83 = t7 & t69;
	t84 = t5 & t72;
	t85 = t26 & t70;
	t86 = t68 ^ t81;
	t87 = t74 ^ t83;
	t88 = t63 ^ t79;
	t89 = t11 & t78;
	t90 = t4 & t78;
	t91 = t80 ^ t86;
	t92 = t89 ^ t79;
	t93 = t90 ^ t71;
	t94 = t82 ^ t87;
	t95 = t84 ^ t86;
	t96 = t76 ^ t88;
	t97 = t85 ^ t87;
	t98 = t77 ^ t91;
	w7 = t75 ^ t93;
	t99 = t95 ^ t96;
	w0 = t98 ^ t92;
	t100 = t73 ^ w7;
	t101 = t66 ^ t99;
	w6 = t97 ^ t98;
	t102 = t76 ^ w0;
	w3 = w0 ^ t96;
	t103 = t93 ^ w6;
	w5 = t94 ^ t102;
	w4 = t103 ^ t99;
	t104 = w5 ^ t101;
	w1 = t100 ^ t104;
	w2 = t91 ^ t104;

	q[7] = w0;
	q[6] = w1;
	q[5] = w2;
	q[4] = w3;
	q[3] = w4;
	q[2] = w5;
	q[1] = w6;
	q[0] = w7;
}

/* Row r of every column moves left by r columns: a rotation of the whole word by 16 * r bits. */
static inline uint64_t rotr64(uint64_t x, unsigned int n)
{
	return (x >> n) | (x << (64 - n));
}

static void shift_rows(uint64_t q[8])
{
	const uint64_t row0 = 0x000f000f000f000fULL;

	for (unsigned int i = 0; i < 8; i++) {
		uint64_t x = q[i];

		q[i] = (x & row0) | rotr64(x & (row0 << 4), 16) | rotr64(x & (row0 << 8), 32) |
		       rotr64(x & (row0 << 12), 48);
	}
}

static void inv_shift_rows(uint64_t q[8])
{
	const uint64_t row0 = 0x000f000f000f000fULL;

	for (unsigned int i = 0; i < 8; i++) {
		uint64_t x = q[i];

		q[i] = (x & row0) | rotr64(x & (row0 << 4), 48) | rotr64(x & (row0 << 8), 32) |
		       rotr64(x & (row0 << 12), 16);
	}
}

/* Inside each column: row r gets row r + 1 (rot1) or row r + 2 (rot2). */
static inline uint64_t col_rot1(uint64_t x)
{
	return ((x >> 4) & 0x0fff0fff0fff0fffULL) | ((x << 12) & 0xf000f000f000f000ULL);
}

static inline uint64_t col_rot2(uint64_t x)
{
	return ((x >> 8) & 0x00ff00ff00ff00ffULL) | ((x << 8) & 0xff00ff00ff00ff00ULL);
}

/* Multiplication by x in GF(2^8) (reduction by 0x11b) on bit planes. */
static void xtime(const uint64_t t[8], uint64_t o[8])
{
	uint64_t h = t[7];

	o[7] = t[6];
	o[6] = t[5];
	o[5] = t[4];
	o[4] = t[3] ^ h;
	o[3] = t[2] ^ h;
	o[2] = t[1];
	o[1] = t[0] ^ h;
	o[0] = h;
}

/* b[r] = 2 a[r] + 3 a[r+1] + a[r+2] + a[r+3] = 2 (a[r] + a[r+1]) + a[r+1] + (a[r+2] + a[r+3]). */
static void mix_columns(uint64_t q[8])
{
	uint64_t r1[8], t[8], x[8];

	for (unsigned int i = 0; i < 8; i++) {
		r1[i] = col_rot1(q[i]);
		t[i] = q[i] ^ r1[i];
	}
	xtime(t, x);
	for (unsigned int i = 0; i < 8; i++)
		q[i] = x[i] ^ r1[i] ^ col_rot2(t[i]);
}

/* InvMixColumns = MixColumns after multiplying each column by 04 x^2 + 05 (FIPS-197 polynomials). */
static void inv_mix_columns(uint64_t q[8])
{
	uint64_t v[8], w[8];

	for (unsigned int i = 0; i < 8; i++)
		v[i] = q[i] ^ col_rot2(q[i]);
	xtime(v, w);
	xtime(w, v);
	for (unsigned int i = 0; i < 8; i++)
		q[i] ^= v[i];
	mix_columns(q);
}

static inline void add_round_key(uint64_t q[8], const uint64_t *rk)
{
	for (unsigned int i = 0; i < 8; i++)
		q[i] ^= rk[i];
}

static void encrypt4(const struct fscrypt_ext__aes_key *k, uint64_t q[8])
{
	const uint64_t *rk = k->u.sw;
	unsigned int r;

	add_round_key(q, rk);
	for (r = 1; r < k->rounds; r++) {
		sub_bytes(q);
		shift_rows(q);
		mix_columns(q);
		add_round_key(q, rk + 8 * r);
	}
	sub_bytes(q);
	shift_rows(q);
	add_round_key(q, rk + 8 * r);
}

static void decrypt4(const struct fscrypt_ext__aes_key *k, uint64_t q[8])
{
	const uint64_t *rk = k->u.sw;
	unsigned int r = k->rounds;

	add_round_key(q, rk + 8 * r);
	for (r = r - 1; r > 0; r--) {
		inv_shift_rows(q);
		inv_sub_bytes(q);
		add_round_key(q, rk + 8 * r);
		inv_mix_columns(q);
	}
	inv_shift_rows(q);
	inv_sub_bytes(q);
	add_round_key(q, rk);
}

/* SubWord of the key schedule through the same circuit (lane j = byte j of the word). */
static uint32_t sub_word(uint32_t w)
{
	uint64_t q[8];
	uint32_t r = 0;

	for (unsigned int b = 0; b < 8; b++) {
		q[b] = 0;
		for (unsigned int j = 0; j < 4; j++)
			q[b] |= (uint64_t)((w >> (8 * j + b)) & 1) << j;
	}
	sub_bytes(q);
	for (unsigned int b = 0; b < 8; b++)
		for (unsigned int j = 0; j < 4; j++)
			r |= (uint32_t)((q[b] >> j) & 1) << (8 * j + b);
	fscrypt_ext__wipe(q, sizeof(q));
	return r;
}

/* FIPS-197 5.2 key expansion on little-endian words (byte 0 of a word is its low byte). */
static __attribute__((noinline)) void expand_key_words(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	static const uint8_t rcon[10] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };
	const unsigned int nk = (unsigned int)(key_len / 4), nr = nk + 6;
	uint32_t w[4 * (FSCRYPT_EXT__AES_MAX_ROUNDS + 1)];
	uint8_t rkb[16];
	const uint8_t *blk[4] = { rkb, rkb, rkb, rkb };

	for (unsigned int i = 0; i < nk; i++)
		w[i] = fscrypt_ext__le32(key + 4 * i);
	for (unsigned int i = nk; i < 4 * (nr + 1); i++) {
		uint32_t t = w[i - 1];

		if (i % nk == 0)
			t = sub_word((t >> 8) | (t << 24)) ^ rcon[i / nk - 1];
		else if (nk > 6 && i % nk == 4)
			t = sub_word(t);
		w[i] = w[i - nk] ^ t;
	}
	k->rounds = nr;
	for (unsigned int r = 0; r <= nr; r++) {
		for (unsigned int c = 0; c < 4; c++)
			fscrypt_ext__put_le32(rkb + 4 * c, w[4 * r + c]);
		load_blocks(k->u.sw + 8 * r, blk);
	}
	fscrypt_ext__wipe(w, sizeof(w));
	fscrypt_ext__wipe(rkb, sizeof(rkb));
}

/*
 * The expansion's raw key words pass through registers and the compiler's
 * spill slots (load_blocks, sub_word), which no named wipe reaches: the
 * stack it used is zeroed as a whole when it returns.
 */
static void portable_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	expand_key_words(k, key, key_len);
	fscrypt_ext__wipe_stack();
}

/* Runs fn on nblocks blocks, four at a time; a short last group is padded with zero blocks. */
static void portable_ecb(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks,
			 void (*fn)(const struct fscrypt_ext__aes_key *, uint64_t *))
{
	uint64_t q[8];

	while (nblocks >= 4) {
		const uint8_t *src[4] = { in, in + 16, in + 32, in + 48 };
		uint8_t *dst[4] = { out, out + 16, out + 32, out + 48 };

		load_blocks(q, src);
		fn(k, q);
		store_blocks(q, dst);
		in += 64;
		out += 64;
		nblocks -= 4;
	}
	if (nblocks > 0) {
		uint8_t buf[64];
		const uint8_t *src[4] = { buf, buf + 16, buf + 32, buf + 48 };
		uint8_t *dst[4] = { buf, buf + 16, buf + 32, buf + 48 };

		memset(buf, 0, sizeof(buf));
		memcpy(buf, in, 16 * nblocks);
		load_blocks(q, src);
		fn(k, q);
		store_blocks(q, dst);
		memcpy(out, buf, 16 * nblocks);
		fscrypt_ext__wipe(buf, sizeof(buf));
	}
	fscrypt_ext__wipe(q, sizeof(q));
}

static void portable_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	portable_ecb(k, in, out, nblocks, encrypt4);
}

static void portable_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	portable_ecb(k, in, out, nblocks, decrypt4);
}

static int portable_available(void)
{
	return 1;
}

const struct fscrypt_ext__aes_impl fscrypt_ext__aes_portable = {
	.name = "portable",
	.available = portable_available,
	.expand_key = portable_expand_key,
	.ecb_encrypt = portable_ecb_encrypt,
	.ecb_decrypt = portable_ecb_decrypt,
};
