/*
 * Internal: the multi-buffer SHA-512 compression and one-block HMAC, one stream
 * per 64-bit vector lane, instantiated by sha512_avx2.c (4 lanes) and sha512_avx512.c (8 lanes).
 * The includer defines MB_T (vector type), MB_LANES, MB_TARGET, MB_NAME, the
 * operations MB_ADD, MB_XOR, MB_SIGMA0/1 (the round functions Σ0/Σ1),
 * MB_SSIG0/1 (the schedule functions σ0/σ1), MB_CH, MB_MAJ(a, b, c, x, y)
 * (x = a ^ b just computed, y = b ^ c from the round before, for backends
 * that reuse them), MB_SET1, and the lane-order conversions
 * MB_LOAD_STATE(s, st), MB_STORE_STATE(st, s), MB_LOAD_MSG(w, data, off)
 * (16 big-endian message words of every lane at data[l] + off, transposed)
 * MB_LOAD_HMAC_MSG(w, msgs, lens) (the same for one padded HMAC inner block)
 * and MB_STORE_DIGEST(out, s) (lane l's big-endian digest to out[l]);
 * MB_HMAC_NAME names the HMAC entry, MB_FIX a helper.
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
#include "internal.h"

/*
 * The value of x, hidden from the compiler's reassociation of sums (no
 * instruction), where the backend asks for it (MB_PIN_ORDER). Both backends'
 * rounds are bound by e's chain more than by throughput on Zen 5 (every
 * vector op has 2 cycles of latency there): adding d + T1 last instead of
 * the shorter chain below costs the AVX2 kernel 30% (measured).
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
		MB_T hk_ = MB_ADD((h), MB_ADD(w[(t) & 15], MB_SET1(k[(t) & 15])));                                       \
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

/* One compression of the window w into the chaining values s (80 rounds and the feed-forward). */
#define MB_COMPRESS(s, w)                                                                                          \
	do {                                                                                                       \
		MB_T a = (s)[0], b = (s)[1], c = (s)[2], d = (s)[3], e = (s)[4], f = (s)[5], g = (s)[6], h = (s)[7]; \
		MB_T bc = MB_XOR(b, c);                                                                            \
		/*                                                                                                 \
		 * Opaque to the compiler: otherwise it hoists the 80 broadcasts of                                \
		 * the constants out of the loop into a 5 KiB table on the stack,                                  \
		 * built on every call, instead of adding them from memory.                                        \
		 */                                                                                                \
		const uint64_t *k = fscrypt_ext__sha512_k;                                                         \
                                                                                                                   \
		/* 16 rounds per pass (the window's period): compact code that stays in the op cache. */          \
		for (int r_ = 0; r_ < 64; r_ += 16, k += 16) {                                                     \
			__asm__("" : "+r"(k));                                                                     \
			MB_R8(0, 1);                                                                               \
			MB_R8(8, 1);                                                                               \
		}                                                                                                  \
		MB_R8(0, 0);                                                                                       \
		MB_R8(8, 0);                                                                                       \
		(s)[0] = MB_ADD((s)[0], a), (s)[1] = MB_ADD((s)[1], b), (s)[2] = MB_ADD((s)[2], c);                \
		(s)[3] = MB_ADD((s)[3], d), (s)[4] = MB_ADD((s)[4], e), (s)[5] = MB_ADD((s)[5], f);                \
		(s)[6] = MB_ADD((s)[6], g), (s)[7] = MB_ADD((s)[7], h);                                            \
	} while (0)

/*
 * With 16 registers (AVX2) the window and the chaining values live in
 * these arrays: message words and chaining values are HMAC key material.
 * With 32 (AVX-512) nothing of them reaches the stack (checked in the
 * object code), and taking the arrays' address would force them there.
 */
#ifdef MB_WIPE_MEMORY
#define MB_WIPE(w, s)                                                                                              \
	do {                                                                                                       \
		fscrypt_ext__wipe_inline((w), sizeof(w));                                                          \
		fscrypt_ext__wipe_inline((s), sizeof(s));                                                          \
	} while (0)
#else
#define MB_WIPE(w, s) ((void)0)
#endif

MB_TARGET static void MB_NAME(uint64_t (*st)[8], const uint8_t *const *data, size_t nblocks)
{
	MB_T s[8], w[16];
	size_t blk;

	MB_LOAD_STATE(s, st);
	for (blk = 0; blk < nblocks; blk++) {
		MB_LOAD_MSG(w, data, FSCRYPT_EXT__SHA512_BLOCK * blk);
		MB_COMPRESS(s, w);
	}
	MB_STORE_STATE(st, s);
	MB_WIPE(w, s);
}

/*
 * HMAC-SHA512 of one-block messages under one key, MB_LANES at a time:
 * msgs[l] (lens[l] <= 111 bytes) is lane l's message after the key block,
 * out[l] receives its 64-byte MAC. MB_LOAD_HMAC_MSG pads it. The pad states are the same in
 * every lane (broadcast, no transposition); the inner digest words are the
 * outer block's first 8 words as they stand (no digest bytes, no byte
 * swaps), and its last 8 words are constants (padding and length).
 */
MB_TARGET static void MB_HMAC_NAME(const uint64_t inner[8], const uint64_t outer[8], const uint8_t *const *msgs,
				   const size_t *lens, uint8_t *const *out)
{
	MB_T s[8], w[16];

	/* Constant indices only (no loops over i): the arrays then stay in registers on AVX-512. */
	s[0] = MB_SET1(inner[0]), s[1] = MB_SET1(inner[1]), s[2] = MB_SET1(inner[2]), s[3] = MB_SET1(inner[3]);
	s[4] = MB_SET1(inner[4]), s[5] = MB_SET1(inner[5]), s[6] = MB_SET1(inner[6]), s[7] = MB_SET1(inner[7]);
	MB_LOAD_HMAC_MSG(w, msgs, lens);
	{
		MB_COMPRESS(s, w);
		w[0] = s[0], w[1] = s[1], w[2] = s[2], w[3] = s[3], w[4] = s[4], w[5] = s[5], w[6] = s[6], w[7] = s[7];
		s[0] = MB_SET1(outer[0]), s[1] = MB_SET1(outer[1]), s[2] = MB_SET1(outer[2]);
		s[3] = MB_SET1(outer[3]), s[4] = MB_SET1(outer[4]), s[5] = MB_SET1(outer[5]);
		s[6] = MB_SET1(outer[6]), s[7] = MB_SET1(outer[7]);
		/* 0x80 after the 64 digest bytes; the length: key block + digest, in bits. */
		w[8] = MB_SET1(0x8000000000000000ULL);
		w[9] = MB_XOR(w[8], w[8]);
		w[10] = w[9], w[11] = w[9], w[12] = w[9], w[13] = w[9], w[14] = w[9];
		w[15] = MB_SET1((FSCRYPT_EXT__SHA512_BLOCK + FSCRYPT_EXT__SHA512_LEN) * 8ULL);
		MB_COMPRESS(s, w);
	}
	MB_STORE_DIGEST(out, s);
	MB_WIPE(w, s);
}

#undef MB_R
#undef MB_R8
#undef MB_COMPRESS
#undef MB_WIPE
