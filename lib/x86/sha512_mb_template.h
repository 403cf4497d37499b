/*
 * Internal: the multi-buffer SHA-512 compression, one stream per 64-bit vector
 * lane, instantiated by sha512_avx2.c (4 lanes) and sha512_avx512.c (8 lanes).
 * The includer defines MB_T (vector type), MB_LANES, MB_TARGET, MB_NAME, the
 * operations MB_ADD, MB_XOR, MB_SIGMA0/1 (the round functions Σ0/Σ1),
 * MB_SSIG0/1 (the schedule functions σ0/σ1), MB_CH, MB_MAJ(a, b, c, x, y)
 * (x = a ^ b just computed, y = b ^ c from the round before, for backends
 * that reuse them), MB_SET1, and the lane-order conversions
 * MB_LOAD_STATE(s, st), MB_STORE_STATE(st, s) and MB_LOAD_MSG(w, data, off)
 * (16 big-endian message words of every lane at data[l] + off, transposed).
 *
 * The schedule is a rolling window of 16 vectors: word t + 16 overwrites
 * word t right after round t consumed it, so with 32 registers (AVX-512)
 * state, window and temporaries all stay in registers and the 80 rounds are
 * unrolled with constant indices; the round constant is added from memory
 * (an embedded broadcast on AVX-512). The schedule's inputs (t + 14 and
 * older) are two or more rounds old, so its latency hides behind the rounds.
 */
#include <string.h>

#include "crypto/sha512.h"

/*
 * The value of x, hidden from the compiler's reassociation of sums (no
 * instruction) where the backend's rounds are latency-bound (MB_PIN_ORDER).
 */
MB_TARGET static inline MB_T MB_FIX(MB_T x)
{
#ifdef MB_PIN_ORDER
	__asm__("" : "+v"(x));
#endif
	return x;
}

/* Round t: a..h rotate by renaming; w[t & 15] is replaced by word t + 16 when sched. */
#define MB_R(a, b, c, d, e, f, g, h, t, sched)                                                                     \
	do {                                                                                                       \
		MB_T hk_ = MB_ADD((h), MB_ADD(w[(t) & 15], MB_SET1(k[t])));                                       \
		MB_T s1_ = MB_SIGMA1(e), ch_ = MB_CH((e), (f), (g));                                               \
		MB_T ab_ = MB_XOR((a), (b));                                                                      \
		/*                                                                                                 \
		 * e's chain is the critical one: rotate, 3-way XOR, one add. The                                  \
		 * compiler would reassociate the sums to add d + h + K + W last                                   \
		 * (four more cycles per round): MB_FIX pins the order.                                            \
		 */                                                                                                \
		MB_T t1_ = MB_ADD(MB_FIX(MB_ADD(hk_, ch_)), s1_);                                                  \
		(d) = MB_ADD(MB_FIX(MB_ADD(MB_FIX(MB_ADD((d), hk_)), ch_)), s1_);                                 \
		(h) = MB_ADD(MB_FIX(MB_ADD(t1_, MB_MAJ((a), (b), (c), ab_, bc))), MB_SIGMA0(a));                  \
		bc = ab_;                                                                                         \
		if (sched)                                                                                        \
			w[(t) & 15] = MB_ADD(MB_ADD(w[(t) & 15], MB_SSIG1(w[((t) + 14) & 15])),                   \
					     MB_ADD(w[((t) + 9) & 15], MB_SSIG0(w[((t) + 1) & 15])));             \
	} while (0)

#define MB_R8(t, sched)                                                                                            \
	do {                                                                                                       \
		MB_R(a, b, c, d, e, f, g, h, (t) + 0, sched);                                                     \
		MB_R(h, a, b, c, d, e, f, g, (t) + 1, sched);                                                     \
		MB_R(g, h, a, b, c, d, e, f, (t) + 2, sched);                                                     \
		MB_R(f, g, h, a, b, c, d, e, (t) + 3, sched);                                                     \
		MB_R(e, f, g, h, a, b, c, d, (t) + 4, sched);                                                     \
		MB_R(d, e, f, g, h, a, b, c, (t) + 5, sched);                                                     \
		MB_R(c, d, e, f, g, h, a, b, (t) + 6, sched);                                                     \
		MB_R(b, c, d, e, f, g, h, a, (t) + 7, sched);                                                     \
	} while (0)

MB_TARGET static void MB_NAME(uint64_t (*st)[8], const uint8_t *const *data, size_t nblocks)
{
	/* The message window: HMAC key material, wiped at the end (it lives in memory on AVX2). */
	MB_T s[8], w[16];
	size_t blk;

	MB_LOAD_STATE(s, st);
	for (blk = 0; blk < nblocks; blk++) {
		MB_T a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
		MB_T bc = MB_XOR(b, c);
		/*
		 * Opaque to the compiler: otherwise it hoists the 80 broadcasts of
		 * the constants out of the loop into a 5 KiB table on the stack,
		 * built on every call, instead of adding them from memory.
		 */
		const uint64_t *k = fscrypt_ext__sha512_k;

		__asm__("" : "+r"(k));

		MB_LOAD_MSG(w, data, FSCRYPT_EXT__SHA512_BLOCK * blk);
		MB_R8(0, 1);
		MB_R8(8, 1);
		MB_R8(16, 1);
		MB_R8(24, 1);
		MB_R8(32, 1);
		MB_R8(40, 1);
		MB_R8(48, 1);
		MB_R8(56, 1);
		MB_R8(64, 0);
		MB_R8(72, 0);
		s[0] = MB_ADD(s[0], a), s[1] = MB_ADD(s[1], b), s[2] = MB_ADD(s[2], c), s[3] = MB_ADD(s[3], d);
		s[4] = MB_ADD(s[4], e), s[5] = MB_ADD(s[5], f), s[6] = MB_ADD(s[6], g), s[7] = MB_ADD(s[7], h);
	}
	MB_STORE_STATE(st, s);
#ifdef MB_WIPE_MEMORY
	/*
	 * With 16 registers (AVX2) the window and the chaining values live in
	 * these arrays: message words and chaining values are HMAC key material.
	 * With 32 (AVX-512) nothing of them reaches the stack (checked in the
	 * object code), and taking the arrays' address would force them there.
	 */
	memset(w, 0, sizeof(w));
	memset(s, 0, sizeof(s));
	__asm__ volatile("" : : "r"(w), "r"(s) : "memory");
#endif
}

#undef MB_R
#undef MB_R8
