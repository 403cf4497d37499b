/*
 * Internal: the multi-buffer SHA-512 compression, one stream per 64-bit vector
 * lane, instantiated by sha512_avx2.c (4 lanes) and sha512_avx512.c (8 lanes).
 * The includer defines MB_T (vector type), MB_LANES, MB_TARGET, MB_NAME and the
 * operations MB_ADD, MB_XOR3, MB_CH, MB_MAJ, MB_ROR, MB_SHR, MB_SET1, MB_LOADA
 * and MB_STOREA (aligned load/store of MB_LANES uint64_t).
 */
#include <string.h>

#include "crypto/sha512.h"

#define MB_ROUND(a, b, c, d, e, f, g, h, kw)                                                                        \
	do {                                                                                                        \
		MB_T t1_ = MB_ADD(MB_ADD((h), MB_XOR3(MB_ROR((e), 14), MB_ROR((e), 18), MB_ROR((e), 41))),         \
				  MB_ADD(MB_CH((e), (f), (g)), (kw)));                                              \
		(d) = MB_ADD((d), t1_);                                                                             \
		(h) = MB_ADD(t1_, MB_ADD(MB_XOR3(MB_ROR((a), 28), MB_ROR((a), 34), MB_ROR((a), 39)),               \
					 MB_MAJ((a), (b), (c))));                                                   \
	} while (0)

/* Round r, then (when sched) schedule word r + 16. */
#define MB_R(a, b, c, d, e, f, g, h, r, sched)                                                                     \
	do {                                                                                                       \
		MB_ROUND(a, b, c, d, e, f, g, h, MB_ADD(w[r], MB_SET1(fscrypt_ext__sha512_k[r])));                 \
		if (sched)                                                                                         \
			w[(r) + 16] = MB_ADD(MB_ADD(w[r], MB_XOR3(MB_ROR(w[(r) + 14], 19), MB_ROR(w[(r) + 14], 61),   \
								  MB_SHR(w[(r) + 14], 6))),                        \
					     MB_ADD(w[(r) + 9], MB_XOR3(MB_ROR(w[(r) + 1], 1), MB_ROR(w[(r) + 1], 8),    \
									MB_SHR(w[(r) + 1], 7))));                  \
	} while (0)

MB_TARGET static void MB_NAME(uint64_t (*st)[8], const uint8_t *const *data, size_t nblocks)
{
	/* Row i holds word i of every lane: the transposition into and out of lane order goes through it. */
	__attribute__((aligned(64))) uint64_t tr[16][MB_LANES];
	MB_T s[8], w[80];
	size_t blk;
	int i, l, t;

	for (i = 0; i < 8; i++) {
		for (l = 0; l < MB_LANES; l++)
			tr[i][l] = st[l][i];
		s[i] = MB_LOADA(tr[i]);
	}
	for (blk = 0; blk < nblocks; blk++) {
		MB_T a, b, c, d, e, f, g, h;

		for (i = 0; i < 16; i++) {
			for (l = 0; l < MB_LANES; l++) {
				uint64_t v;

				memcpy(&v, data[l] + FSCRYPT_EXT__SHA512_BLOCK * blk + 8 * i, 8);
				tr[i][l] = __builtin_bswap64(v);
			}
			w[i] = MB_LOADA(tr[i]);
		}
		/*
		 * Word t + 16 of the schedule is computed right after round t
		 * uses word t: its inputs (t + 14 and older) are at least two
		 * rounds old, so the schedule's latency hides behind the rounds
		 * instead of running as a serial chain through memory first.
		 */
		a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
		for (t = 0; t < 64; t += 8) {
			MB_R(a, b, c, d, e, f, g, h, t + 0, 1);
			MB_R(h, a, b, c, d, e, f, g, t + 1, 1);
			MB_R(g, h, a, b, c, d, e, f, t + 2, 1);
			MB_R(f, g, h, a, b, c, d, e, t + 3, 1);
			MB_R(e, f, g, h, a, b, c, d, t + 4, 1);
			MB_R(d, e, f, g, h, a, b, c, t + 5, 1);
			MB_R(c, d, e, f, g, h, a, b, t + 6, 1);
			MB_R(b, c, d, e, f, g, h, a, t + 7, 1);
		}
		for (; t < 80; t += 8) {
			MB_R(a, b, c, d, e, f, g, h, t + 0, 0);
			MB_R(h, a, b, c, d, e, f, g, t + 1, 0);
			MB_R(g, h, a, b, c, d, e, f, t + 2, 0);
			MB_R(f, g, h, a, b, c, d, e, t + 3, 0);
			MB_R(e, f, g, h, a, b, c, d, t + 4, 0);
			MB_R(d, e, f, g, h, a, b, c, t + 5, 0);
			MB_R(c, d, e, f, g, h, a, b, t + 6, 0);
			MB_R(b, c, d, e, f, g, h, a, t + 7, 0);
		}
		s[0] = MB_ADD(s[0], a), s[1] = MB_ADD(s[1], b), s[2] = MB_ADD(s[2], c), s[3] = MB_ADD(s[3], d);
		s[4] = MB_ADD(s[4], e), s[5] = MB_ADD(s[5], f), s[6] = MB_ADD(s[6], g), s[7] = MB_ADD(s[7], h);
	}
	for (i = 0; i < 8; i++) {
		MB_STOREA(tr[i], s[i]);
		for (l = 0; l < MB_LANES; l++)
			st[l][i] = tr[i][l];
	}
	/* tr and w held message words and chaining values (HMAC key material). */
	memset(tr, 0, sizeof(tr));
	memset(w, 0, sizeof(w));
	__asm__ volatile("" : : "r"(tr), "r"(w) : "memory");
}

#undef MB_ROUND
#undef MB_R
