/* ChaCha with NEON on arm64: four blocks in parallel, one block per 32-bit lane (Adiantum's XChaCha12). */
#include "../crypto/chacha.h"

#if FSCRYPT_EXT__HAVE_ARM_NEON

#include <arm_neon.h>

#include "../cpu.h"

static inline uint32x4_t rotl16(uint32x4_t x)
{
	return vreinterpretq_u32_u16(vrev32q_u16(vreinterpretq_u16_u32(x)));
}

#define ROTL(x, n) vsriq_n_u32(vshlq_n_u32(x, n), x, 32 - (n))

#define QR(a, b, c, d)                                           \
	do {                                                     \
		a = vaddq_u32(a, b); d = veorq_u32(d, a);        \
		d = rotl16(d);                                   \
		c = vaddq_u32(c, d); b = veorq_u32(b, c);        \
		b = ROTL(b, 12);                                 \
		a = vaddq_u32(a, b); d = veorq_u32(d, a);        \
		d = ROTL(d, 8);                                  \
		c = vaddq_u32(c, d); b = veorq_u32(b, c);        \
		b = ROTL(b, 7);                                  \
	} while (0)

/* Rows x[0..3] (word i, lane = block) to columns: x[j] = words 0..3 of block j. */
static inline void transpose4(uint32x4_t x[4])
{
	uint32x4_t t0 = vtrn1q_u32(x[0], x[1]), t1 = vtrn2q_u32(x[0], x[1]);
	uint32x4_t t2 = vtrn1q_u32(x[2], x[3]), t3 = vtrn2q_u32(x[2], x[3]);

	x[0] = vreinterpretq_u32_u64(vtrn1q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2)));
	x[1] = vreinterpretq_u32_u64(vtrn1q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3)));
	x[2] = vreinterpretq_u32_u64(vtrn2q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2)));
	x[3] = vreinterpretq_u32_u64(vtrn2q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3)));
}

/* Four blocks of keystream from the state's counter into ks (256 bytes); the low counter word must not wrap. */
static void chacha4_keystream(const uint32_t state[16], uint8_t ks[256], int rounds)
{
	static const uint32_t lane_offsets[4] = { 0, 1, 2, 3 };
	uint32x4_t x[16], in[16];
	int i, g, b;

	for (i = 0; i < 16; i++)
		in[i] = vdupq_n_u32(state[i]);
	in[12] = vaddq_u32(in[12], vld1q_u32(lane_offsets));
	for (i = 0; i < 16; i++)
		x[i] = in[i];
	for (i = 0; i < rounds; i += 2) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		x[i] = vaddq_u32(x[i], in[i]);
	for (g = 0; g < 4; g++) {
		transpose4(&x[4 * g]);
		for (b = 0; b < 4; b++)
			vst1q_u8(ks + 64 * b + 16 * g, vreinterpretq_u8_u32(x[4 * g + b]));
	}
}

static void chacha_neon_xor(uint32_t state[16], const uint8_t *in, uint8_t *out, size_t len, int rounds)
{
	uint8_t ks[4 * FSCRYPT_EXT__CHACHA_BLOCK];
	size_t i, n;

	/* One or two blocks: the scalar code beats a half-empty four-lane batch. */
	while (len > 2 * FSCRYPT_EXT__CHACHA_BLOCK) {
		n = len < sizeof(ks) ? len : sizeof(ks);
		if (state[12] > UINT32_MAX - 4) {
			/* The low counter word would wrap inside the batch: carry it block by block. */
			fscrypt_ext__chacha_portable.xor_stream(state, in, out, n, rounds);
		} else {
			chacha4_keystream(state, ks, rounds);
			for (i = 0; i + 16 <= n; i += 16)
				vst1q_u8(out + i, veorq_u8(vld1q_u8(in + i), vld1q_u8(ks + i)));
			for (; i < n; i++)
				out[i] = in[i] ^ ks[i];
			state[12] += (uint32_t)((n + FSCRYPT_EXT__CHACHA_BLOCK - 1) / FSCRYPT_EXT__CHACHA_BLOCK);
		}
		in += n;
		out += n;
		len -= n;
	}
	if (len > 0)
		fscrypt_ext__chacha_portable.xor_stream(state, in, out, len, rounds);
	fscrypt_ext__wipe(ks, sizeof(ks));
}

static int chacha_neon_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_ARM_NEON) != 0;
}

const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_neon = {
	.name = "neon",
	.needs = FSCRYPT_EXT__CPU_ARM_NEON,
	.available = chacha_neon_available,
	.xor_stream = chacha_neon_xor,
};

#endif
