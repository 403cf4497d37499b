/* NH (Adiantum parameters) with NEON on arm64: one 16-byte unit per vector, umlal on its two halves per pass. */
#include "../crypto/nh.h"

#if FSCRYPT_EXT__HAVE_ARM_NEON

#include <arm_neon.h>

#include "../cpu.h"

/* Plain little-endian words: t = m + k has the stride-2 pairs in its low and high halves. */
static void nh_neon_load_key(uint32_t *key, const uint8_t *bytes)
{
	size_t i;

	for (i = 0; i < FSCRYPT_EXT__NH_KEY_WORDS; i++)
		key[i] = fscrypt_ext__le32(bytes + 4 * i);
}

#define NH_PASS(m, kp, acc)                                                         \
	do {                                                                        \
		uint32x4_t t_ = vaddq_u32(m, kp);                                   \
		acc = vmlal_u32(acc, vget_low_u32(t_), vget_high_u32(t_));          \
	} while (0)

static void nh_neon_hash(const uint32_t *key, const uint8_t *msg, size_t len, uint8_t out[FSCRYPT_EXT__NH_HASH_BYTES])
{
	uint64x2_t a0 = vdupq_n_u64(0), a1 = a0, a2 = a0, a3 = a0;
	uint64x2_t b0 = a0, b1 = a0, b2 = a0, b3 = a0;
	uint32x4_t m, n;
	uint64_t sums[4];
	int p;

	/* Two units per step into two sets of accumulators, for independent multiply chains. */
	for (; len >= 32; len -= 32, msg += 32, key += 8) {
		m = vreinterpretq_u32_u8(vld1q_u8(msg));
		n = vreinterpretq_u32_u8(vld1q_u8(msg + 16));
		NH_PASS(m, vld1q_u32(key), a0);
		NH_PASS(m, vld1q_u32(key + 4), a1);
		NH_PASS(m, vld1q_u32(key + 8), a2);
		NH_PASS(m, vld1q_u32(key + 12), a3);
		NH_PASS(n, vld1q_u32(key + 4), b0);
		NH_PASS(n, vld1q_u32(key + 8), b1);
		NH_PASS(n, vld1q_u32(key + 12), b2);
		NH_PASS(n, vld1q_u32(key + 16), b3);
	}
	if (len != 0) {
		m = vreinterpretq_u32_u8(vld1q_u8(msg));
		NH_PASS(m, vld1q_u32(key), a0);
		NH_PASS(m, vld1q_u32(key + 4), a1);
		NH_PASS(m, vld1q_u32(key + 8), a2);
		NH_PASS(m, vld1q_u32(key + 12), a3);
	}
	sums[0] = vaddvq_u64(vaddq_u64(a0, b0));
	sums[1] = vaddvq_u64(vaddq_u64(a1, b1));
	sums[2] = vaddvq_u64(vaddq_u64(a2, b2));
	sums[3] = vaddvq_u64(vaddq_u64(a3, b3));
	for (p = 0; p < 4; p++)
		fscrypt_ext__put_le64(out + 8 * p, sums[p]);
}

static int nh_neon_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_ARM_NEON) != 0;
}

const struct fscrypt_ext__nh_impl fscrypt_ext__nh_neon = {
	.name = "neon",
	.needs = FSCRYPT_EXT__CPU_ARM_NEON,
	.available = nh_neon_available,
	.load_key = nh_neon_load_key,
	.hash = nh_neon_hash,
};

#endif
