/* SM4 with GFNI and AVX2: the S-box as GF2P8AFFINEQB then GF2P8AFFINEINVQB, 8 or 16 blocks at once in YMM registers. */
#if defined(FSCRYPT_EXT_HAVE_SM4_GFNI)
#include <immintrin.h>
#include <string.h>

#include "cpu.h"
#include "x86/sm4_x86.h"

#define TARGET __attribute__((target("gfni,avx2")))

/*
 * The SM4 field GF(2^8)/0x1f5 and the AES field GF(2^8)/0x11b are
 * isomorphic, so S_sm4(x) = Post(Inv_aes(Pre(x))) with Pre and Post affine
 * maps over GF(2): Pre maps x into the AES field after SM4's input affine
 * transform, Post maps back before SM4's output one. GF2P8AFFINEQB computes
 * Pre and GF2P8AFFINEINVQB computes Post(Inv_aes(.)), both inside registers.
 * Byte 7-i of each matrix is the row for output bit i. Derived offline;
 * tests/test_sm4.c checks them against GB/T 32907 and OpenSSL.
 */
#define PRE_MATRIX 0x4c287db91a22505dLL
#define PRE_CONST 0x3e
#define POST_MATRIX ((long long)0xf3ab34a974a6b589ULL)
#define POST_CONST 0xd3

struct sm4_consts {
	__m256i pre, post, rol8, rol16, rol24, bswap;
};

#define LANE_MASK(a, b, c, d) a, b, c, d, a + 4, b + 4, c + 4, d + 4, a + 8, b + 8, c + 8, d + 8, a + 12, b + 12, c + 12, d + 12

TARGET static inline void load_consts(struct sm4_consts *c)
{
	c->pre = _mm256_set1_epi64x(PRE_MATRIX);
	c->post = _mm256_set1_epi64x(POST_MATRIX);
	c->rol8 = _mm256_setr_epi8(LANE_MASK(3, 0, 1, 2), LANE_MASK(3, 0, 1, 2));
	c->rol16 = _mm256_setr_epi8(LANE_MASK(2, 3, 0, 1), LANE_MASK(2, 3, 0, 1));
	c->rol24 = _mm256_setr_epi8(LANE_MASK(1, 2, 3, 0), LANE_MASK(1, 2, 3, 0));
	c->bswap = _mm256_setr_epi8(LANE_MASK(3, 2, 1, 0), LANE_MASK(3, 2, 1, 0));
}

TARGET static inline __m256i sbox(__m256i x, const struct sm4_consts *c)
{
	return _mm256_gf2p8affineinv_epi64_epi8(_mm256_gf2p8affine_epi64_epi8(x, c->pre, PRE_CONST), c->post, POST_CONST);
}

/* L(t) = t ^ rol(t, 2) ^ rol(t, 10) ^ rol(t, 18) ^ rol(t, 24) = t ^ rol(t, 24) ^ rol(t ^ rol(t, 8) ^ rol(t, 16), 2). */
TARGET static inline __m256i lin(__m256i t, const struct sm4_consts *c)
{
	__m256i u = _mm256_xor_si256(t, _mm256_xor_si256(_mm256_shuffle_epi8(t, c->rol8), _mm256_shuffle_epi8(t, c->rol16)));

	u = _mm256_or_si256(_mm256_slli_epi32(u, 2), _mm256_srli_epi32(u, 30));
	return _mm256_xor_si256(_mm256_xor_si256(t, _mm256_shuffle_epi8(t, c->rol24)), u);
}

/*
 * Eight blocks in: x[i] holds word i of blocks 0, 2, 4, 6 (low lane) and
 * 1, 3, 5, 7 (high lane); store8 undoes exactly this order.
 */
TARGET static inline __m256i ld(const uint8_t *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* The input, XORed with the XTS tweaks tw when there are any (tw == NULL for ECB). */
TARGET static inline __m256i ld_in(const uint8_t *in, const uint8_t *tw, size_t off)
{
	return tw != NULL ? _mm256_xor_si256(ld(in + off), ld(tw + off)) : ld(in + off);
}

TARGET static inline void load8(__m256i x[4], const uint8_t *in, const uint8_t *tw, const struct sm4_consts *c)
{
	__m256i b0 = _mm256_shuffle_epi8(ld_in(in, tw, 0), c->bswap);
	__m256i b1 = _mm256_shuffle_epi8(ld_in(in, tw, 32), c->bswap);
	__m256i b2 = _mm256_shuffle_epi8(ld_in(in, tw, 64), c->bswap);
	__m256i b3 = _mm256_shuffle_epi8(ld_in(in, tw, 96), c->bswap);
	__m256i t0 = _mm256_unpacklo_epi32(b0, b1), t1 = _mm256_unpacklo_epi32(b2, b3);
	__m256i t2 = _mm256_unpackhi_epi32(b0, b1), t3 = _mm256_unpackhi_epi32(b2, b3);

	x[0] = _mm256_unpacklo_epi64(t0, t1);
	x[1] = _mm256_unpackhi_epi64(t0, t1);
	x[2] = _mm256_unpacklo_epi64(t2, t3);
	x[3] = _mm256_unpackhi_epi64(t2, t3);
}

/* The output block is the last four words in reverse order: transpose (x3, x2, x1, x0) back. */
TARGET static inline void st_out(uint8_t *out, const uint8_t *tw, size_t off, __m256i v)
{
	if (tw != NULL)
		v = _mm256_xor_si256(v, ld(tw + off));
	_mm256_storeu_si256((__m256i *)(void *)(out + off), v);
}

TARGET static inline void store8(uint8_t *out, const uint8_t *tw, const __m256i x[4], const struct sm4_consts *c)
{
	__m256i t0 = _mm256_unpacklo_epi32(x[3], x[2]), t1 = _mm256_unpacklo_epi32(x[1], x[0]);
	__m256i t2 = _mm256_unpackhi_epi32(x[3], x[2]), t3 = _mm256_unpackhi_epi32(x[1], x[0]);

	st_out(out, tw, 0, _mm256_shuffle_epi8(_mm256_unpacklo_epi64(t0, t1), c->bswap));
	st_out(out, tw, 32, _mm256_shuffle_epi8(_mm256_unpackhi_epi64(t0, t1), c->bswap));
	st_out(out, tw, 64, _mm256_shuffle_epi8(_mm256_unpacklo_epi64(t2, t3), c->bswap));
	st_out(out, tw, 96, _mm256_shuffle_epi8(_mm256_unpackhi_epi64(t2, t3), c->bswap));
}

/* One round: a ^= L(S(b ^ c ^ d ^ k)). Four of them rotate the roles of the four words. */
#define ROUND(a, b, c, d, k) a = _mm256_xor_si256(a, lin(sbox(_mm256_xor_si256(_mm256_xor_si256(b, c), _mm256_xor_si256(d, k)), &c_), &c_))
#define ROUNDS4(x, k) do {                           \
		ROUND(x[0], x[1], x[2], x[3], k[0]);  \
		ROUND(x[1], x[2], x[3], x[0], k[1]);  \
		ROUND(x[2], x[3], x[0], x[1], k[2]);  \
		ROUND(x[3], x[0], x[1], x[2], k[3]);  \
	} while (0)

/* Round keys r..r+3 broadcast, in reverse order for decryption. */
#define ROUND_KEYS(k, r) do {                                                     \
		for (int i_ = 0; i_ < 4; i_++)                                     \
			k[i_] = _mm256_set1_epi32((int)rk[decrypt ? 31 - (r) - i_ : (r) + i_]); \
	} while (0)

/* Sixteen blocks as two independent sets of eight, so two S-box chains overlap. */
/* tw: NULL, or the 16 XTS tweaks XORed in before and after (XTS's whole-block step, fused). */
TARGET static void crypt16(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, const uint8_t *tw)
{
	struct sm4_consts c_;
	__m256i x[4], y[4];

	load_consts(&c_);
	load8(x, in, tw, &c_);
	load8(y, in + 128, tw ? tw + 128 : NULL, &c_);
	for (int r = 0; r < 32; r += 4) {
		__m256i k[4];

		ROUND_KEYS(k, r);
		ROUNDS4(x, k);
		ROUNDS4(y, k);
	}
	store8(out, tw, x, &c_);
	store8(out + 128, tw ? tw + 128 : NULL, y, &c_);
}

TARGET static void crypt8(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, const uint8_t *tw)
{
	struct sm4_consts c_;
	__m256i x[4];

	load_consts(&c_);
	load8(x, in, tw, &c_);
	for (int r = 0; r < 32; r += 4) {
		__m256i k[4];

		ROUND_KEYS(k, r);
		ROUNDS4(x, k);
	}
	store8(out, tw, x, &c_);
}

static void gfni_crypt(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint8_t pad[128];

	for (; nblocks >= 16; nblocks -= 16, in += 256, out += 256)
		crypt16(rk, decrypt, in, out, NULL);
	if (nblocks >= 8) {
		crypt8(rk, decrypt, in, out, NULL);
		nblocks -= 8;
		in += 128;
		out += 128;
	}
	if (nblocks) {
		memset(pad, 0, sizeof(pad));
		memcpy(pad, in, 16 * nblocks);
		crypt8(rk, decrypt, pad, pad, NULL);
		memcpy(out, pad, 16 * nblocks);
		fscrypt_ext__wipe(pad, sizeof(pad));
	}
}

/* n tweaks T, T*x, ... into tw (XTS's little-endian GF(2^128) doubling); t advances past them. */
static void xts_tweaks(uint8_t *tw, uint64_t t[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t carry = t[1] >> 63;

		fscrypt_ext__put_le64(tw + 16 * i, t[0]);
		fscrypt_ext__put_le64(tw + 16 * i + 8, t[1]);
		t[1] = (t[1] << 1) | (t[0] >> 63);
		t[0] = (t[0] << 1) ^ (0x87 & (0 - carry));
	}
}

/* Whole-block XTS with the tweak XORs fused into the 16-block code; tweak holds T and is left at T * x^nblocks. */
static void gfni_xts(const uint32_t rk[32], int decrypt, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		     size_t nblocks)
{
	FSCRYPT_EXT__ALIGN(32) uint8_t tw[256];
	uint8_t pad[256];
	uint64_t t[2] = { fscrypt_ext__le64(tweak), fscrypt_ext__le64(tweak + 8) };

	for (; nblocks >= 16; nblocks -= 16, in += 256, out += 256) {
		xts_tweaks(tw, t, 16);
		crypt16(rk, decrypt, in, out, tw);
	}
	if (nblocks) {
		size_t n = nblocks > 8 ? 16 : 8;

		memset(pad, 0, sizeof(pad));
		memset(tw, 0, sizeof(tw));
		memcpy(pad, in, 16 * nblocks);
		xts_tweaks(tw, t, nblocks);
		if (n == 16)
			crypt16(rk, decrypt, pad, pad, tw);
		else
			crypt8(rk, decrypt, pad, pad, tw);
		memcpy(out, pad, 16 * nblocks);
		fscrypt_ext__wipe(pad, sizeof(pad));
	}
	fscrypt_ext__put_le64(tweak, t[0]);
	fscrypt_ext__put_le64(tweak + 8, t[1]);
	fscrypt_ext__wipe(tw, sizeof(tw));
	fscrypt_ext__wipe(t, sizeof(t));
}

/* The key schedule with the same S-box, one word in lane 0 per round. */
TARGET static void gfni_expand(uint32_t rk[32], const uint8_t key[16])
{
	const __m128i pre = _mm_set1_epi64x(PRE_MATRIX), post = _mm_set1_epi64x(POST_MATRIX);
	uint32_t k[4];

	for (int i = 0; i < 4; i++)
		k[i] = ((uint32_t)key[4 * i] << 24 | (uint32_t)key[4 * i + 1] << 16 | (uint32_t)key[4 * i + 2] << 8 |
			key[4 * i + 3]) ^ fscrypt_ext__sm4_fk((unsigned int)i);
	for (unsigned int i = 0; i < 32; i++) {
		__m128i v = _mm_cvtsi32_si128((int)(k[1] ^ k[2] ^ k[3] ^ fscrypt_ext__sm4_ck(i)));
		uint32_t t = (uint32_t)_mm_cvtsi128_si32(
			_mm_gf2p8affineinv_epi64_epi8(_mm_gf2p8affine_epi64_epi8(v, pre, PRE_CONST), post, POST_CONST));

		rk[i] = k[0] ^ t ^ ((t << 13) | (t >> 19)) ^ ((t << 23) | (t >> 9));
		k[0] = k[1];
		k[1] = k[2];
		k[2] = k[3];
		k[3] = rk[i];
	}
	fscrypt_ext__wipe(k, sizeof(k));
}

static int gfni_available(void)
{
	unsigned int need = FSCRYPT_EXT__CPU_GFNI | FSCRYPT_EXT__CPU_AVX2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_gfni = {
	.name = "gfni",
	.needs = FSCRYPT_EXT__CPU_GFNI | FSCRYPT_EXT__CPU_AVX2,
	.available = gfni_available,
	.expand = gfni_expand,
	.crypt = gfni_crypt,
	.xts = gfni_xts,
};
#endif
