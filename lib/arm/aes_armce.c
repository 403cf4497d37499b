/* ARMv8 Crypto Extensions AES backend: key schedule, ECB, CBC and XTS with 8 blocks interleaved. */
#if defined(FSCRYPT_EXT_HAVE_ARMCE)

#include <arm_neon.h>

#include "crypto/aes.h"
#include "cpu.h"

#define CE_TARGET __attribute__((target("+crypto")))
#define CE_INLINE CE_TARGET static inline __attribute__((always_inline))

/*
 * Blocks in flight: AESE+AESMC pairs fuse on most cores and have a 2-4 cycle
 * latency at 1-2 per cycle, so 8 independent blocks cover it (the kernel and
 * OpenSSL use 4-5; 8 costs nothing with 32 NEON registers).
 */
#define NBLK 8

extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_armce;

/* ---- key schedule (layout shared with the x86 backends: dec[i] is used in decryption round i) ---- */

/*
 * SubWord(w): AESE with a zero key is SubBytes(ShiftRows(x)); with w in every
 * column ShiftRows changes nothing, so no secret-indexed table is read.
 */
CE_TARGET static uint32_t ce_sub_word(uint32_t w)
{
	uint8x16_t v = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(w)), vdupq_n_u8(0));

	return vgetq_lane_u32(vreinterpretq_u32_u8(v), 0);
}

CE_TARGET static void ce_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	uint32_t w[4 * (FSCRYPT_EXT__AES_MAX_ROUNDS + 1)];
	unsigned int nk = (unsigned int)(key_len / 4), rounds = nk + 6, total = 4 * (rounds + 1);
	uint32_t rcon = 1;
	unsigned int i;

	for (i = 0; i < nk; i++)
		w[i] = fscrypt_ext__le32(key + 4 * i);
	for (i = nk; i < total; i++) {
		uint32_t t = w[i - 1];

		if (i % nk == 0) {
			t = ce_sub_word(t);
			t = ((t >> 8) | (t << 24)) ^ rcon; /* RotWord after SubWord: they commute */
			rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11b);
		} else if (nk > 6 && i % nk == 4) {
			t = ce_sub_word(t);
		}
		w[i] = w[i - nk] ^ t;
	}
	for (i = 0; i < total; i++)
		fscrypt_ext__put_le32(&k->u.hw.enc[i / 4][4 * (i % 4)], w[i]);
	/* Equivalent inverse cipher: reversed order, InvMixColumns on the inner keys. */
	memcpy(k->u.hw.dec[0], k->u.hw.enc[rounds], 16);
	for (i = 1; i < rounds; i++)
		vst1q_u8(k->u.hw.dec[i], vaesimcq_u8(vld1q_u8(k->u.hw.enc[rounds - i])));
	memcpy(k->u.hw.dec[rounds], k->u.hw.enc[0], 16);
	k->rounds = rounds;
	fscrypt_ext__wipe(w, sizeof(w));
}

/* ---- one block and NBLK blocks ---- */

CE_INLINE uint8x16_t enc1(const uint8_t (*rk)[16], unsigned int nr, uint8x16_t x)
{
	unsigned int r;

	for (r = 0; r + 1 < nr; r++)
		x = vaesmcq_u8(vaeseq_u8(x, vld1q_u8(rk[r])));
	return veorq_u8(vaeseq_u8(x, vld1q_u8(rk[nr - 1])), vld1q_u8(rk[nr]));
}

CE_INLINE uint8x16_t dec1(const uint8_t (*rk)[16], unsigned int nr, uint8x16_t x)
{
	unsigned int r;

	for (r = 0; r + 1 < nr; r++)
		x = vaesimcq_u8(vaesdq_u8(x, vld1q_u8(rk[r])));
	return veorq_u8(vaesdq_u8(x, vld1q_u8(rk[nr - 1])), vld1q_u8(rk[nr]));
}

/* x[] in place; the last key XOR is left to the caller (XTS folds its tweak in there). */
CE_INLINE void enc_n(const uint8_t (*rk)[16], unsigned int nr, uint8x16_t x[NBLK])
{
	unsigned int r;
	int j;

	for (r = 0; r + 1 < nr; r++) {
		uint8x16_t key = vld1q_u8(rk[r]);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vaesmcq_u8(vaeseq_u8(x[j], key));
	}
	{
		uint8x16_t key = vld1q_u8(rk[nr - 1]);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vaeseq_u8(x[j], key);
	}
}

CE_INLINE void dec_n(const uint8_t (*rk)[16], unsigned int nr, uint8x16_t x[NBLK])
{
	unsigned int r;
	int j;

	for (r = 0; r + 1 < nr; r++) {
		uint8x16_t key = vld1q_u8(rk[r]);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vaesimcq_u8(vaesdq_u8(x[j], key));
	}
	{
		uint8x16_t key = vld1q_u8(rk[nr - 1]);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vaesdq_u8(x[j], key);
	}
}

/* ---- ECB ---- */

CE_TARGET static void ce_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
				     size_t nblocks)
{
	const uint8_t(*rk)[16] = k->u.hw.enc;
	unsigned int nr = k->rounds;
	int j;

	for (; nblocks >= NBLK; nblocks -= NBLK, in += 16 * NBLK, out += 16 * NBLK) {
		uint8x16_t x[NBLK], last = vld1q_u8(rk[nr]);

#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vld1q_u8(in + 16 * j);
		enc_n(rk, nr, x);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			vst1q_u8(out + 16 * j, veorq_u8(x[j], last));
	}
	for (; nblocks; nblocks--, in += 16, out += 16)
		vst1q_u8(out, enc1(rk, nr, vld1q_u8(in)));
}

CE_TARGET static void ce_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
				     size_t nblocks)
{
	const uint8_t(*rk)[16] = k->u.hw.dec;
	unsigned int nr = k->rounds;
	int j;

	for (; nblocks >= NBLK; nblocks -= NBLK, in += 16 * NBLK, out += 16 * NBLK) {
		uint8x16_t x[NBLK], last = vld1q_u8(rk[nr]);

#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = vld1q_u8(in + 16 * j);
		dec_n(rk, nr, x);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			vst1q_u8(out + 16 * j, veorq_u8(x[j], last));
	}
	for (; nblocks; nblocks--, in += 16, out += 16)
		vst1q_u8(out, dec1(rk, nr, vld1q_u8(in)));
}

/* ---- CBC ---- */

CE_TARGET static void ce_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
				     uint8_t *out, size_t nblocks)
{
	const uint8_t(*rk)[16] = k->u.hw.enc;
	unsigned int nr = k->rounds;
	uint8x16_t c = vld1q_u8(iv);

	for (; nblocks; nblocks--, in += 16, out += 16) {
		c = enc1(rk, nr, veorq_u8(c, vld1q_u8(in)));
		vst1q_u8(out, c);
	}
	vst1q_u8(iv, c);
}

CE_TARGET static void ce_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
				     uint8_t *out, size_t nblocks)
{
	const uint8_t(*rk)[16] = k->u.hw.dec;
	unsigned int nr = k->rounds;
	uint8x16_t prev = vld1q_u8(iv);
	int j;

	for (; nblocks >= NBLK; nblocks -= NBLK, in += 16 * NBLK, out += 16 * NBLK) {
		uint8x16_t x[NBLK], c[NBLK], last = vld1q_u8(rk[nr]);

		/* All ciphertext is loaded before any store, so in == out works. */
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			x[j] = c[j] = vld1q_u8(in + 16 * j);
		dec_n(rk, nr, x);
		vst1q_u8(out, veorq_u8(x[0], veorq_u8(last, prev)));
#pragma GCC unroll 8
		for (j = 1; j < NBLK; j++)
			vst1q_u8(out + 16 * j, veorq_u8(x[j], veorq_u8(last, c[j - 1])));
		prev = c[NBLK - 1];
	}
	for (; nblocks; nblocks--, in += 16, out += 16) {
		uint8x16_t c = vld1q_u8(in);

		vst1q_u8(out, veorq_u8(dec1(rk, nr, c), prev));
		prev = c;
	}
	vst1q_u8(iv, prev);
}

/* ---- XTS ---- */

/* T * x in GF(2^128), little-endian bit order (IEEE 1619 5.2), without branches. */
CE_INLINE uint8x16_t xts_mul_x(uint8x16_t t)
{
	static const uint64_t poly[2] = { 0x87, 1 };
	uint64x2_t v = vreinterpretq_u64_u8(t);
	uint64x2_t carry = vreinterpretq_u64_s64(vshrq_n_s64(vreinterpretq_s64_u64(v), 63));

	/* The high half's carry folds into the low half as 0x87; the low half's carries into the high half. */
	carry = vandq_u64(vextq_u64(carry, carry, 1), vld1q_u64(poly));
	return vreinterpretq_u8_u64(veorq_u64(vshlq_n_u64(v, 1), carry));
}

CE_INLINE void xts_crypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
			 size_t nblocks, int enc)
{
	const uint8_t(*rk)[16] = enc ? k->u.hw.enc : k->u.hw.dec;
	unsigned int nr = k->rounds;
	uint8x16_t t = vld1q_u8(tweak);
	int j;

	for (; nblocks >= NBLK; nblocks -= NBLK, in += 16 * NBLK, out += 16 * NBLK) {
		uint8x16_t x[NBLK], tw[NBLK], last = vld1q_u8(rk[nr]);

#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++) {
			tw[j] = t;
			x[j] = veorq_u8(vld1q_u8(in + 16 * j), t);
			t = xts_mul_x(t);
		}
		if (enc)
			enc_n(rk, nr, x);
		else
			dec_n(rk, nr, x);
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			vst1q_u8(out + 16 * j, veorq_u8(x[j], veorq_u8(last, tw[j])));
	}
	for (; nblocks; nblocks--, in += 16, out += 16) {
		uint8x16_t x = veorq_u8(vld1q_u8(in), t);

		x = enc ? enc1(rk, nr, x) : dec1(rk, nr, x);
		vst1q_u8(out, veorq_u8(x, t));
		t = xts_mul_x(t);
	}
	vst1q_u8(tweak, t);
}

CE_TARGET static void ce_xts_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
				     uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 1);
}

CE_TARGET static void ce_xts_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
				     uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 0);
}

/* ---- multi-stream CBC encryption: NBLK streams in flight ---- */

CE_TARGET static void ce_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					   const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	const uint8_t(*rk)[16] = k->u.hw.enc;
	unsigned int nr = k->rounds;
	size_t b;
	int j;

	for (; n >= NBLK; n -= NBLK, ivs += NBLK, in += NBLK, out += NBLK) {
		uint8x16_t c[NBLK], last = vld1q_u8(rk[nr]);

#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			c[j] = vld1q_u8(ivs[j]);
		for (b = 0; b < nblocks; b++) {
#pragma GCC unroll 8
			for (j = 0; j < NBLK; j++)
				c[j] = veorq_u8(c[j], vld1q_u8(in[j] + 16 * b));
			enc_n(rk, nr, c);
#pragma GCC unroll 8
			for (j = 0; j < NBLK; j++) {
				c[j] = veorq_u8(c[j], last);
				vst1q_u8(out[j] + 16 * b, c[j]);
			}
		}
#pragma GCC unroll 8
		for (j = 0; j < NBLK; j++)
			vst1q_u8(ivs[j], c[j]);
	}
	for (; n; n--, ivs++, in++, out++)
		ce_cbc_encrypt(k, ivs[0], in[0], out[0], nblocks);
}

static int ce_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_ARM_AES) != 0;
}

const struct fscrypt_ext__aes_impl fscrypt_ext__aes_armce = {
	.name = "armv8-ce",
	.needs = FSCRYPT_EXT__CPU_ARM_AES,
	.available = ce_available,
	.expand_key = ce_expand_key,
	.ecb_encrypt = ce_ecb_encrypt,
	.ecb_decrypt = ce_ecb_decrypt,
	.cbc_encrypt = ce_cbc_encrypt,
	.cbc_decrypt = ce_cbc_decrypt,
	.xts_encrypt = ce_xts_encrypt,
	.xts_decrypt = ce_xts_decrypt,
	.cbc_encrypt_multi = ce_cbc_encrypt_multi,
	/* Both schedules in u.hw (no encryption-only variant: an ENC_ONLY key is a full one). */
	.sched_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw),
};

#endif /* FSCRYPT_EXT_HAVE_ARMCE */
