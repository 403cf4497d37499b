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

#define MB_SCHED(j)                                                                                                 \
	(w[(j)&15] = MB_ADD(MB_ADD(w[(j)&15],                                                                       \
				   MB_XOR3(MB_ROR(w[((j) + 14) & 15], 19), MB_ROR(w[((j) + 14) & 15], 61),          \
					   MB_SHR(w[((j) + 14) & 15], 6))),                                         \
			    MB_ADD(w[((j) + 9) & 15], MB_XOR3(MB_ROR(w[((j) + 1) & 15], 1),                         \
							      MB_ROR(w[((j) + 1) & 15], 8),                         \
							      MB_SHR(w[((j) + 1) & 15], 7)))))

#define MB_KW(t, j, W) MB_ADD(MB_SET1(fscrypt_ext__sha512_k[(t) + (j)]), W(j))

#define MB_8ROUNDS(t, j, W)                                                        \
	do {                                                                       \
		MB_ROUND(a, b, c, d, e, f, g, h, MB_KW(t, (j) + 0, W));            \
		MB_ROUND(h, a, b, c, d, e, f, g, MB_KW(t, (j) + 1, W));            \
		MB_ROUND(g, h, a, b, c, d, e, f, MB_KW(t, (j) + 2, W));            \
		MB_ROUND(f, g, h, a, b, c, d, e, MB_KW(t, (j) + 3, W));            \
		MB_ROUND(e, f, g, h, a, b, c, d, MB_KW(t, (j) + 4, W));            \
		MB_ROUND(d, e, f, g, h, a, b, c, MB_KW(t, (j) + 5, W));            \
		MB_ROUND(c, d, e, f, g, h, a, b, MB_KW(t, (j) + 6, W));            \
		MB_ROUND(b, c, d, e, f, g, h, a, MB_KW(t, (j) + 7, W));            \
	} while (0)

#define MB_W_PLAIN(j) w[j]
#define MB_W_NEXT(j) MB_SCHED(j)

MB_TARGET static void MB_NAME(uint64_t (*st)[8], const uint8_t *const *data, size_t nblocks)
{
	/* Row i holds word i of every lane: the transposition into and out of lane order goes through it. */
	__attribute__((aligned(64))) uint64_t tr[16][MB_LANES];
	MB_T s[8];
	size_t blk;
	int i, l, t;

	for (i = 0; i < 8; i++) {
		for (l = 0; l < MB_LANES; l++)
			tr[i][l] = st[l][i];
		s[i] = MB_LOADA(tr[i]);
	}
	for (blk = 0; blk < nblocks; blk++) {
		MB_T w[16], a, b, c, d, e, f, g, h;

		for (i = 0; i < 16; i++) {
			for (l = 0; l < MB_LANES; l++) {
				uint64_t v;

				memcpy(&v, data[l] + FSCRYPT_EXT__SHA512_BLOCK * blk + 8 * i, 8);
				tr[i][l] = __builtin_bswap64(v);
			}
			w[i] = MB_LOADA(tr[i]);
		}
		a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
		MB_8ROUNDS(0, 0, MB_W_PLAIN);
		MB_8ROUNDS(0, 8, MB_W_PLAIN);
		for (t = 16; t < 80; t += 16) {
			MB_8ROUNDS(t, 0, MB_W_NEXT);
			MB_8ROUNDS(t, 8, MB_W_NEXT);
		}
		s[0] = MB_ADD(s[0], a), s[1] = MB_ADD(s[1], b), s[2] = MB_ADD(s[2], c), s[3] = MB_ADD(s[3], d);
		s[4] = MB_ADD(s[4], e), s[5] = MB_ADD(s[5], f), s[6] = MB_ADD(s[6], g), s[7] = MB_ADD(s[7], h);
	}
	for (i = 0; i < 8; i++) {
		MB_STOREA(tr[i], s[i]);
		for (l = 0; l < MB_LANES; l++)
			st[l][i] = tr[i][l];
	}
	/* tr held message words and chaining values (HMAC key material). */
	memset(tr, 0, sizeof(tr));
	__asm__ volatile("" : : "r"(tr) : "memory");
}

#undef MB_ROUND
#undef MB_SCHED
#undef MB_KW
#undef MB_8ROUNDS
#undef MB_W_PLAIN
#undef MB_W_NEXT
