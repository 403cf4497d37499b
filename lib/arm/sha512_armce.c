/* SHA-512 compression with the ARMv8.2 SHA512 instructions (SHA512H/H2/SU0/SU1): two rounds per instruction pair. */
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_SHA512_ARMCE)

#include <arm_neon.h>

#include "cpu.h"
#include "crypto/sha512.h"

/* GCC 12 declares the SHA-512 intrinsics under arch=armv8.2-a+sha3 (FEAT_SHA512 comes with +sha3). */
#define SHA512CE_TARGET __attribute__((target("arch=armv8.2-a+sha3")))

/*
 * The state lives in four registers as {a, b}, {c, d}, {e, f}, {g, h} (lane
 * 0 first). For rounds t and t + 1 with kw = {K[t] + W[t], K[t+1] + W[t+1]}:
 * SHA512H(Qd = {g + kw1, h + kw0}, Qn = {f, g}, Vm = {d, e}) gives
 * T = {T1(t+1), T1(t)}; SHA512H2(Qd = T, Qn = {c, d}, Vm = {a, b}) gives the
 * new {a, b}; the new {e, f} is {c, d} + T; {c, d} and {g, h} take the old
 * {a, b} and {e, f}. The schedule keeps 8 pairs {W[2i], W[2i+1]}; the pair
 * for t >= 16 is SHA512SU1(SHA512SU0({W[t-16], W[t-15]}, {W[t-14], .}),
 * {W[t-2], W[t-1]}, {W[t-7], W[t-6]}).
 */
SHA512CE_TARGET static void armce_blocks(uint64_t h[8], const uint8_t *p, size_t nblocks)
{
	uint64x2_t ab = vld1q_u64(h), cd = vld1q_u64(h + 2), ef = vld1q_u64(h + 4), gh = vld1q_u64(h + 6);

	for (; nblocks; nblocks--, p += FSCRYPT_EXT__SHA512_BLOCK) {
		const uint64x2_t ab0 = ab, cd0 = cd, ef0 = ef, gh0 = gh;
		uint64x2_t w[8];
		int i;

		for (i = 0; i < 8; i++)
			w[i] = vreinterpretq_u64_u8(vrev64q_u8(vld1q_u8(p + 16 * i)));
#pragma GCC unroll 40
		for (i = 0; i < 40; i++) {
			uint64x2_t kw, t, nab;

			if (i >= 8)
				w[i % 8] = vsha512su1q_u64(vsha512su0q_u64(w[i % 8], w[(i + 1) % 8]), w[(i + 7) % 8],
							   vextq_u64(w[(i + 4) % 8], w[(i + 5) % 8], 1));
			kw = vaddq_u64(w[i % 8], vld1q_u64(&fscrypt_ext__sha512_k[2 * i]));
			t = vsha512hq_u64(vaddq_u64(gh, vextq_u64(kw, kw, 1)), vextq_u64(ef, gh, 1), vextq_u64(cd, ef, 1));
			nab = vsha512h2q_u64(t, cd, ab);
			gh = ef;
			ef = vaddq_u64(cd, t);
			cd = ab;
			ab = nab;
		}
		ab = vaddq_u64(ab, ab0);
		cd = vaddq_u64(cd, cd0);
		ef = vaddq_u64(ef, ef0);
		gh = vaddq_u64(gh, gh0);
	}
	vst1q_u64(h, ab);
	vst1q_u64(h + 2, cd);
	vst1q_u64(h + 4, ef);
	vst1q_u64(h + 6, gh);
}

static int armce_available(void)
{
	return (fscrypt_ext__cpu_features() & FSCRYPT_EXT__CPU_ARM_SHA512) != 0;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_armce = {
	.name = "armv8-sha512",
	.needs = FSCRYPT_EXT__CPU_ARM_SHA512,
	.available = armce_available,
	.blocks = armce_blocks,
	.lanes = 1,
	.blocks_multi = NULL,
};

#endif
