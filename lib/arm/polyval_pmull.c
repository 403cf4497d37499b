/* POLYVAL on arm64 with PMULL (ARMv8 crypto extensions): eight blocks per reduction using h^1..h^8. */
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_ARMCE)

#include <arm_neon.h>

#include "../cpu.h"
#include "../crypto/polyval.h"

#define PMULL_TARGET __attribute__((target("+crypto")))

PMULL_TARGET static inline uint64x2_t clmul_lo(uint64x2_t a, uint64x2_t b)
{
	return vreinterpretq_u64_p128(vmull_p64((poly64_t)vgetq_lane_u64(a, 0), (poly64_t)vgetq_lane_u64(b, 0)));
}

PMULL_TARGET static inline uint64x2_t clmul_hi(uint64x2_t a, uint64x2_t b)
{
	return vreinterpretq_u64_p128(vmull_high_p64(vreinterpretq_p64_u64(a), vreinterpretq_p64_u64(b)));
}

/* Schoolbook 128x128 product accumulated unreduced; mid holds the two cross terms. */
PMULL_TARGET static inline void mul_acc(uint64x2_t x, uint64x2_t h, uint64x2_t *lo, uint64x2_t *mid, uint64x2_t *hi)
{
	uint64x2_t hs = vextq_u64(h, h, 1);

	*lo = veorq_u64(*lo, clmul_lo(x, h));
	*hi = veorq_u64(*hi, clmul_hi(x, h));
	*mid = veorq_u64(*mid, veorq_u64(clmul_lo(x, hs), clmul_hi(x, hs)));
}

/*
 * Montgomery reduction by x^128 modulo x^128 + x^127 + x^126 + x^121 + 1:
 * each low 64-bit word w is cleared by adding w * 0xc200000000000000 one word
 * up and w itself two words up (as in the x86 and portable code).
 */
PMULL_TARGET static inline uint64x2_t finish(uint64x2_t lo, uint64x2_t mid, uint64x2_t hi)
{
	const uint64x2_t g = vdupq_n_u64(0xc200000000000000ULL);
	const uint64x2_t zero = vdupq_n_u64(0);
	uint64x2_t t, s, u;

	lo = veorq_u64(lo, vextq_u64(zero, mid, 1)); /* mid << 64 */
	hi = veorq_u64(hi, vextq_u64(mid, zero, 1)); /* mid >> 64 */
	t = clmul_lo(lo, g);
	s = veorq_u64(vextq_u64(lo, lo, 1), t);
	u = clmul_lo(s, g);
	return veorq_u64(veorq_u64(hi, vextq_u64(s, s, 1)), u);
}

PMULL_TARGET static void pmull_update(const struct fscrypt_ext__polyval_key *k, uint8_t acc[16], const uint8_t *data,
				      size_t nblocks)
{
	uint64x2_t a = vreinterpretq_u64_u8(vld1q_u8(acc));

	while (nblocks) {
		/* Up to eight blocks share one reduction: block j of r gets h^(r-j). */
		size_t r = nblocks < 8 ? nblocks : 8;
		uint64x2_t lo = vdupq_n_u64(0), mid = lo, hi = lo;

		for (size_t j = 0; j < r; j++) {
			uint64x2_t x = vreinterpretq_u64_u8(vld1q_u8(data + 16 * j));

			if (j == 0)
				x = veorq_u64(x, a);
			mul_acc(x, vreinterpretq_u64_u8(vld1q_u8(k->powers[r - 1 - j])), &lo, &mid, &hi);
		}
		a = finish(lo, mid, hi);
		data += 16 * r;
		nblocks -= r;
	}
	vst1q_u8(acc, vreinterpretq_u8_u64(a));
}

static int pmull_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_ARM_PMULL) != 0;
}

static void pmull_setkey(struct fscrypt_ext__polyval_key *k)
{
	(void)k; /* the generic setkey stored h^1..h^16 */
}

const struct fscrypt_ext__polyval_impl fscrypt_ext__polyval_pmull = {
	.name = "pmull",
	.needs = FSCRYPT_EXT__CPU_ARM_PMULL,
	.available = pmull_available,
	.setkey = pmull_setkey,
	.update = pmull_update,
};

#endif /* __aarch64__ && FSCRYPT_EXT_HAVE_ARMCE */
