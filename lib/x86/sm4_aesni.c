/* SM4 with AES-NI: the S-box as AESENCLAST between two affine maps done with PSHUFB nibble tables, 4 or 8 blocks at once. */
#if defined(FSCRYPT_EXT_HAVE_SM4_AESNI)
#include <immintrin.h>
#include <string.h>

#include "cpu.h"
#include "x86/sm4_x86.h"

#define TARGET __attribute__((target("aes,ssse3")))

/*
 * The SM4 field GF(2^8)/0x1f5 and the AES field GF(2^8)/0x11b are
 * isomorphic, so S_sm4(x) = Post(SubBytes_aes(Pre(x))) with Pre and Post
 * affine maps over GF(2): Pre maps x to the AES field after SM4's input
 * affine transform, Post undoes AES's affine transform and maps back before
 * SM4's output one. Each affine map is two 16-entry tables indexed by the
 * low and high nibble; PSHUFB looks them up inside a register, so the secret
 * never becomes a memory address. The tables were derived offline; tests/test_sm4.c
 * checks the result against GB/T 32907 and OpenSSL on random inputs.
 */
#define PRE_LO 0x3e, 0xb2, 0x0e, 0x82, 0xbb, 0x37, 0x8b, 0x07, 0xa1, 0x2d, 0x91, 0x1d, 0x24, 0xa8, 0x14, 0x98
#define PRE_HI 0x00, 0xdc, 0x2e, 0xf2, 0xc5, 0x19, 0xeb, 0x37, 0x08, 0xd4, 0x26, 0xfa, 0xcd, 0x11, 0xe3, 0x3f
#define POST_LO 0x6c, 0xd4, 0xa6, 0x1e, 0x52, 0xea, 0x98, 0x20, 0x0b, 0xb3, 0xc1, 0x79, 0x35, 0x8d, 0xff, 0x47
#define POST_HI 0x00, 0xe0, 0x50, 0xb0, 0x9d, 0x7d, 0xcd, 0x2d, 0xc0, 0x20, 0x90, 0x70, 0x5d, 0xbd, 0x0d, 0xed

struct sm4_consts {
	__m128i pre_lo, pre_hi, post_lo, post_hi, nib, inv_shift_rows, rol8, rol16, rol24, bswap;
};

TARGET static inline void load_consts(struct sm4_consts *c)
{
	c->pre_lo = _mm_setr_epi8(PRE_LO);
	c->pre_hi = _mm_setr_epi8(PRE_HI);
	c->post_lo = _mm_setr_epi8(POST_LO);
	c->post_hi = _mm_setr_epi8(POST_HI);
	c->nib = _mm_set1_epi8(0x0f);
	/* AESENCLAST applies ShiftRows before SubBytes; this puts every byte back. */
	c->inv_shift_rows = _mm_setr_epi8(0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3);
	c->rol8 = _mm_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
	c->rol16 = _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
	c->rol24 = _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
	c->bswap = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

TARGET static inline __m128i affine(__m128i x, __m128i lo, __m128i hi, __m128i nib)
{
	return _mm_xor_si128(_mm_shuffle_epi8(lo, _mm_and_si128(x, nib)),
			     _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(x, 4), nib)));
}

TARGET static inline __m128i sbox(__m128i x, const struct sm4_consts *c)
{
	x = affine(x, c->pre_lo, c->pre_hi, c->nib);
	x = _mm_shuffle_epi8(_mm_aesenclast_si128(x, _mm_setzero_si128()), c->inv_shift_rows);
	return affine(x, c->post_lo, c->post_hi, c->nib);
}

/* L(t) = t ^ rol(t, 2) ^ rol(t, 10) ^ rol(t, 18) ^ rol(t, 24) = t ^ rol(t, 24) ^ rol(t ^ rol(t, 8) ^ rol(t, 16), 2). */
TARGET static inline __m128i lin(__m128i t, const struct sm4_consts *c)
{
	__m128i u = _mm_xor_si128(t, _mm_xor_si128(_mm_shuffle_epi8(t, c->rol8), _mm_shuffle_epi8(t, c->rol16)));

	u = _mm_or_si128(_mm_slli_epi32(u, 2), _mm_srli_epi32(u, 30));
	return _mm_xor_si128(_mm_xor_si128(t, _mm_shuffle_epi8(t, c->rol24)), u);
}

/* Four blocks in, word i of each block in lane order out (x[i] = word i of blocks 0..3). */
TARGET static inline __m128i ld(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* The input, XORed with the XTS tweaks tw when there are any (tw == NULL for ECB). */
TARGET static inline __m128i ld_in(const uint8_t *in, const uint8_t *tw, size_t off)
{
	return tw != NULL ? _mm_xor_si128(ld(in + off), ld(tw + off)) : ld(in + off);
}

TARGET static inline void load4(__m128i x[4], const uint8_t *in, const uint8_t *tw, const struct sm4_consts *c)
{
	__m128i b0 = _mm_shuffle_epi8(ld_in(in, tw, 0), c->bswap);
	__m128i b1 = _mm_shuffle_epi8(ld_in(in, tw, 16), c->bswap);
	__m128i b2 = _mm_shuffle_epi8(ld_in(in, tw, 32), c->bswap);
	__m128i b3 = _mm_shuffle_epi8(ld_in(in, tw, 48), c->bswap);
	__m128i t0 = _mm_unpacklo_epi32(b0, b1), t1 = _mm_unpacklo_epi32(b2, b3);
	__m128i t2 = _mm_unpackhi_epi32(b0, b1), t3 = _mm_unpackhi_epi32(b2, b3);

	x[0] = _mm_unpacklo_epi64(t0, t1);
	x[1] = _mm_unpackhi_epi64(t0, t1);
	x[2] = _mm_unpacklo_epi64(t2, t3);
	x[3] = _mm_unpackhi_epi64(t2, t3);
}

/* The output block is the last four words in reverse order: transpose (x3, x2, x1, x0) back. */
TARGET static inline void st_out(uint8_t *out, const uint8_t *tw, size_t off, __m128i v)
{
	if (tw != NULL)
		v = _mm_xor_si128(v, ld(tw + off));
	_mm_storeu_si128((__m128i *)(void *)(out + off), v);
}

TARGET static inline void store4(uint8_t *out, const uint8_t *tw, const __m128i x[4], const struct sm4_consts *c)
{
	__m128i t0 = _mm_unpacklo_epi32(x[3], x[2]), t1 = _mm_unpacklo_epi32(x[1], x[0]);
	__m128i t2 = _mm_unpackhi_epi32(x[3], x[2]), t3 = _mm_unpackhi_epi32(x[1], x[0]);

	st_out(out, tw, 0, _mm_shuffle_epi8(_mm_unpacklo_epi64(t0, t1), c->bswap));
	st_out(out, tw, 16, _mm_shuffle_epi8(_mm_unpackhi_epi64(t0, t1), c->bswap));
	st_out(out, tw, 32, _mm_shuffle_epi8(_mm_unpacklo_epi64(t2, t3), c->bswap));
	st_out(out, tw, 48, _mm_shuffle_epi8(_mm_unpackhi_epi64(t2, t3), c->bswap));
}

/* One round: a ^= L(S(b ^ c ^ d ^ k)). Four of them rotate the roles of the four words. */
#define ROUND(a, b, c, d, k) a = _mm_xor_si128(a, lin(sbox(_mm_xor_si128(_mm_xor_si128(b, c), _mm_xor_si128(d, k)), &c_), &c_))
#define ROUNDS4(x, k) do {                           \
		ROUND(x[0], x[1], x[2], x[3], k[0]);  \
		ROUND(x[1], x[2], x[3], x[0], k[1]);  \
		ROUND(x[2], x[3], x[0], x[1], k[2]);  \
		ROUND(x[3], x[0], x[1], x[2], k[3]);  \
	} while (0)

/* Round keys r..r+3 broadcast, in reverse order for decryption. */
#define ROUND_KEYS(k, r) do {                                                     \
		for (int i_ = 0; i_ < 4; i_++)                                     \
			k[i_] = _mm_set1_epi32((int)rk[decrypt ? 31 - (r) - i_ : (r) + i_]); \
	} while (0)

/* Eight blocks as two independent sets of four, so two S-box chains overlap. */
/* tw: NULL, or the 8 XTS tweaks XORed in before and after (XTS's whole-block step, fused). */
TARGET static void crypt8(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, const uint8_t *tw)
{
	struct sm4_consts c_;
	__m128i x[4], y[4];

	load_consts(&c_);
	load4(x, in, tw, &c_);
	load4(y, in + 64, tw ? tw + 64 : NULL, &c_);
	for (int r = 0; r < 32; r += 4) {
		__m128i k[4];

		ROUND_KEYS(k, r);
		ROUNDS4(x, k);
		ROUNDS4(y, k);
	}
	store4(out, tw, x, &c_);
	store4(out + 64, tw ? tw + 64 : NULL, y, &c_);
}

TARGET static void crypt4(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, const uint8_t *tw)
{
	struct sm4_consts c_;
	__m128i x[4];

	load_consts(&c_);
	load4(x, in, tw, &c_);
	for (int r = 0; r < 32; r += 4) {
		__m128i k[4];

		ROUND_KEYS(k, r);
		ROUNDS4(x, k);
	}
	store4(out, tw, x, &c_);
}

static void aesni_crypt(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint8_t pad[64];

	for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128)
		crypt8(rk, decrypt, in, out, NULL);
	if (nblocks >= 4) {
		crypt4(rk, decrypt, in, out, NULL);
		nblocks -= 4;
		in += 64;
		out += 64;
	}
	if (nblocks) {
		memset(pad, 0, sizeof(pad));
		memcpy(pad, in, 16 * nblocks);
		crypt4(rk, decrypt, pad, pad, NULL);
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

/* Whole-block XTS with the tweak XORs fused into the 8-block code; tweak holds T and is left at T * x^nblocks. */
static void aesni_xts(const uint32_t rk[32], int decrypt, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		      size_t nblocks)
{
	uint8_t tw[128], pad[128];
	uint64_t t[2] = { fscrypt_ext__le64(tweak), fscrypt_ext__le64(tweak + 8) };

	for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
		xts_tweaks(tw, t, 8);
		crypt8(rk, decrypt, in, out, tw);
	}
	if (nblocks) {
		memset(pad, 0, sizeof(pad));
		memset(tw, 0, sizeof(tw));
		memcpy(pad, in, 16 * nblocks);
		xts_tweaks(tw, t, nblocks);
		if (nblocks > 4)
			crypt8(rk, decrypt, pad, pad, tw);
		else
			crypt4(rk, decrypt, pad, pad, tw);
		memcpy(out, pad, 16 * nblocks);
		fscrypt_ext__wipe(pad, sizeof(pad));
	}
	fscrypt_ext__put_le64(tweak, t[0]);
	fscrypt_ext__put_le64(tweak + 8, t[1]);
	fscrypt_ext__wipe(tw, sizeof(tw));
	fscrypt_ext__wipe(t, sizeof(t));
}

/* The key schedule with the same S-box, one word in lane 0 per round. */
TARGET static void aesni_expand(uint32_t rk[32], const uint8_t key[16])
{
	struct sm4_consts c;
	uint32_t k[4];

	load_consts(&c);
	for (int i = 0; i < 4; i++)
		k[i] = ((uint32_t)key[4 * i] << 24 | (uint32_t)key[4 * i + 1] << 16 | (uint32_t)key[4 * i + 2] << 8 |
			key[4 * i + 3]) ^ fscrypt_ext__sm4_fk((unsigned int)i);
	for (unsigned int i = 0; i < 32; i++) {
		uint32_t t = (uint32_t)_mm_cvtsi128_si32(
			sbox(_mm_cvtsi32_si128((int)(k[1] ^ k[2] ^ k[3] ^ fscrypt_ext__sm4_ck(i))), &c));

		rk[i] = k[0] ^ t ^ ((t << 13) | (t >> 19)) ^ ((t << 23) | (t >> 9));
		k[0] = k[1];
		k[1] = k[2];
		k[2] = k[3];
		k[3] = rk[i];
	}
	fscrypt_ext__wipe(k, sizeof(k));
}

static int aesni_available(void)
{
	unsigned int need = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_SSSE3;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_aesni = {
	.name = "aesni",
	.needs = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_SSSE3,
	.available = aesni_available,
	.expand = aesni_expand,
	.crypt = aesni_crypt,
	.xts = aesni_xts,
};
#endif
