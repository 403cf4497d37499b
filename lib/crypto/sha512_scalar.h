/* Internal: the one-stream SHA-512 compression as an inline body, compiled plain (portable) and with BMI2 (rorx) in lib/x86/. */
#ifndef FSCRYPT_EXT_CRYPTO_SHA512_SCALAR_H
#define FSCRYPT_EXT_CRYPTO_SHA512_SCALAR_H

#include <string.h>

#include "crypto/sha512.h"
#include "internal.h"

static inline uint64_t sha512_ror(uint64_t x, unsigned int n)
{
	return (x >> n) | (x << (64 - n));
}

static inline uint64_t sha512_load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "unknown byte order"
#endif
	return v;
}

/*
 * One round, the working variables passed in rotated order so no moves are
 * needed between rounds: Ch as ((f ^ g) & e) ^ g, Maj as ((a | b) & c) | (a & b).
 */
#define SHA512_SCALAR_ROUND(a, b, c, d, e, f, g, h, kw)                                                         \
	do {                                                                                                    \
		uint64_t t1_ = (h) + (sha512_ror(e, 14) ^ sha512_ror(e, 18) ^ sha512_ror(e, 41)) +             \
			       ((((f) ^ (g)) & (e)) ^ (g)) + (kw);                                             \
		(d) += t1_;                                                                                     \
		(h) = t1_ + (sha512_ror(a, 28) ^ sha512_ror(a, 34) ^ sha512_ror(a, 39)) +                       \
		      ((((a) | (b)) & (c)) | ((a) & (b)));                                                      \
	} while (0)

/* w[j] of the rolling 16-word schedule becomes W[t] for t >= 16. */
#define SHA512_SCALAR_SCHED(w, j)                                                                              \
	((w)[(j)&15] += (sha512_ror((w)[((j) + 14) & 15], 19) ^ sha512_ror((w)[((j) + 14) & 15], 61) ^          \
			 ((w)[((j) + 14) & 15] >> 6)) +                                                         \
			(w)[((j) + 9) & 15] +                                                                  \
			(sha512_ror((w)[((j) + 1) & 15], 1) ^ sha512_ror((w)[((j) + 1) & 15], 8) ^              \
			 ((w)[((j) + 1) & 15] >> 7)))

#define SHA512_SCALAR_8ROUNDS(t, j, W)                                                            \
	do {                                                                                      \
		SHA512_SCALAR_ROUND(a, b, c, d, e, f, g, h, fscrypt_ext__sha512_k[(t) + (j) + 0] + W((j) + 0)); \
		SHA512_SCALAR_ROUND(h, a, b, c, d, e, f, g, fscrypt_ext__sha512_k[(t) + (j) + 1] + W((j) + 1)); \
		SHA512_SCALAR_ROUND(g, h, a, b, c, d, e, f, fscrypt_ext__sha512_k[(t) + (j) + 2] + W((j) + 2)); \
		SHA512_SCALAR_ROUND(f, g, h, a, b, c, d, e, fscrypt_ext__sha512_k[(t) + (j) + 3] + W((j) + 3)); \
		SHA512_SCALAR_ROUND(e, f, g, h, a, b, c, d, fscrypt_ext__sha512_k[(t) + (j) + 4] + W((j) + 4)); \
		SHA512_SCALAR_ROUND(d, e, f, g, h, a, b, c, fscrypt_ext__sha512_k[(t) + (j) + 5] + W((j) + 5)); \
		SHA512_SCALAR_ROUND(c, d, e, f, g, h, a, b, fscrypt_ext__sha512_k[(t) + (j) + 6] + W((j) + 6)); \
		SHA512_SCALAR_ROUND(b, c, d, e, f, g, h, a, fscrypt_ext__sha512_k[(t) + (j) + 7] + W((j) + 7)); \
	} while (0)

static inline __attribute__((always_inline)) void sha512_scalar_blocks(uint64_t st[8], const uint8_t *p,
								       size_t nblocks)
{
	for (; nblocks; nblocks--, p += FSCRYPT_EXT__SHA512_BLOCK) {
		uint64_t w[16];
		uint64_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
		int i, t;

		for (i = 0; i < 16; i++)
			w[i] = sha512_load_be64(p + 8 * i);
#define SHA512_W_PLAIN(j) w[j]
#define SHA512_W_NEXT(j) SHA512_SCALAR_SCHED(w, j)
		SHA512_SCALAR_8ROUNDS(0, 0, SHA512_W_PLAIN);
		SHA512_SCALAR_8ROUNDS(0, 8, SHA512_W_PLAIN);
		for (t = 16; t < 80; t += 16) {
			SHA512_SCALAR_8ROUNDS(t, 0, SHA512_W_NEXT);
			SHA512_SCALAR_8ROUNDS(t, 8, SHA512_W_NEXT);
		}
#undef SHA512_W_PLAIN
#undef SHA512_W_NEXT
		st[0] += a, st[1] += b, st[2] += c, st[3] += d;
		st[4] += e, st[5] += f, st[6] += g, st[7] += h;
		/* The message schedule is derived from secret input (HMAC keys): wipe it. */
		fscrypt_ext__wipe_inline(w, sizeof(w));
	}
}

#endif
