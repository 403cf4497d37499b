/*
 * ChaCha, eight blocks in parallel on 256-bit vectors (one block per 32-bit
 * lane), as a template: the including file defines CHACHA_X8_TARGET (the
 * function target attribute), CHACHA_X8_NAME(x) (a unique name),
 * CHACHA_X8_CONSTANTS (declarations the rotations need), CHACHA_X8_ROTL16,
 * CHACHA_X8_ROTL8 and CHACHA_X8_ROTL(x, n). It defines CHACHA_X8_NAME(xor),
 * an xor_stream function for struct fscrypt_ext__chacha_impl.
 */
#include <immintrin.h>

#include "../crypto/chacha.h"

#define QR(a, b, c, d)                                                  \
	do {                                                            \
		a = _mm256_add_epi32(a, b); d = _mm256_xor_si256(d, a); \
		d = CHACHA_X8_ROTL16(d);                                \
		c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); \
		b = CHACHA_X8_ROTL(b, 12);                              \
		a = _mm256_add_epi32(a, b); d = _mm256_xor_si256(d, a); \
		d = CHACHA_X8_ROTL8(d);                                 \
		c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); \
		b = CHACHA_X8_ROTL(b, 7);                               \
	} while (0)

/* Transposes eight rows of eight words into eight columns (x[i] lane j -> y[j] word i). */
CHACHA_X8_TARGET static inline void CHACHA_X8_NAME(transpose8)(__m256i x[8])
{
	__m256i t0 = _mm256_unpacklo_epi32(x[0], x[1]), t1 = _mm256_unpackhi_epi32(x[0], x[1]);
	__m256i t2 = _mm256_unpacklo_epi32(x[2], x[3]), t3 = _mm256_unpackhi_epi32(x[2], x[3]);
	__m256i t4 = _mm256_unpacklo_epi32(x[4], x[5]), t5 = _mm256_unpackhi_epi32(x[4], x[5]);
	__m256i t6 = _mm256_unpacklo_epi32(x[6], x[7]), t7 = _mm256_unpackhi_epi32(x[6], x[7]);
	__m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
	__m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
	__m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
	__m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);

	x[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
	x[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
	x[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
	x[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
	x[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
	x[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
	x[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
	x[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

/*
 * Eight blocks of keystream starting at the state's counter: ks[2b] and
 * ks[2b + 1] are the two halves of block b. The caller makes sure the low
 * counter word does not wrap inside the batch.
 */
CHACHA_X8_TARGET static void CHACHA_X8_NAME(keystream)(const uint32_t state[16], __m256i ks[16], int rounds)
{
	CHACHA_X8_CONSTANTS
	__m256i x0 = _mm256_set1_epi32((int)state[0]), x1 = _mm256_set1_epi32((int)state[1]);
	__m256i x2 = _mm256_set1_epi32((int)state[2]), x3 = _mm256_set1_epi32((int)state[3]);
	__m256i x4 = _mm256_set1_epi32((int)state[4]), x5 = _mm256_set1_epi32((int)state[5]);
	__m256i x6 = _mm256_set1_epi32((int)state[6]), x7 = _mm256_set1_epi32((int)state[7]);
	__m256i x8 = _mm256_set1_epi32((int)state[8]), x9 = _mm256_set1_epi32((int)state[9]);
	__m256i x10 = _mm256_set1_epi32((int)state[10]), x11 = _mm256_set1_epi32((int)state[11]);
	__m256i ctr = _mm256_add_epi32(_mm256_set1_epi32((int)state[12]), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
	__m256i x12 = ctr, x13 = _mm256_set1_epi32((int)state[13]);
	__m256i x14 = _mm256_set1_epi32((int)state[14]), x15 = _mm256_set1_epi32((int)state[15]);
	__m256i lo[8], hi[8];
	int i;

	for (i = 0; i < rounds; i += 2) {
		QR(x0, x4, x8, x12);
		QR(x1, x5, x9, x13);
		QR(x2, x6, x10, x14);
		QR(x3, x7, x11, x15);
		QR(x0, x5, x10, x15);
		QR(x1, x6, x11, x12);
		QR(x2, x7, x8, x13);
		QR(x3, x4, x9, x14);
	}
	lo[0] = _mm256_add_epi32(x0, _mm256_set1_epi32((int)state[0]));
	lo[1] = _mm256_add_epi32(x1, _mm256_set1_epi32((int)state[1]));
	lo[2] = _mm256_add_epi32(x2, _mm256_set1_epi32((int)state[2]));
	lo[3] = _mm256_add_epi32(x3, _mm256_set1_epi32((int)state[3]));
	lo[4] = _mm256_add_epi32(x4, _mm256_set1_epi32((int)state[4]));
	lo[5] = _mm256_add_epi32(x5, _mm256_set1_epi32((int)state[5]));
	lo[6] = _mm256_add_epi32(x6, _mm256_set1_epi32((int)state[6]));
	lo[7] = _mm256_add_epi32(x7, _mm256_set1_epi32((int)state[7]));
	hi[0] = _mm256_add_epi32(x8, _mm256_set1_epi32((int)state[8]));
	hi[1] = _mm256_add_epi32(x9, _mm256_set1_epi32((int)state[9]));
	hi[2] = _mm256_add_epi32(x10, _mm256_set1_epi32((int)state[10]));
	hi[3] = _mm256_add_epi32(x11, _mm256_set1_epi32((int)state[11]));
	hi[4] = _mm256_add_epi32(x12, ctr);
	hi[5] = _mm256_add_epi32(x13, _mm256_set1_epi32((int)state[13]));
	hi[6] = _mm256_add_epi32(x14, _mm256_set1_epi32((int)state[14]));
	hi[7] = _mm256_add_epi32(x15, _mm256_set1_epi32((int)state[15]));
	CHACHA_X8_NAME(transpose8)(lo);
	CHACHA_X8_NAME(transpose8)(hi);
	for (i = 0; i < 8; i++) {
		ks[2 * i] = lo[i];
		ks[2 * i + 1] = hi[i];
	}
}

CHACHA_X8_TARGET static void CHACHA_X8_NAME(xor_bytes)(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t n)
{
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		_mm256_storeu_si256((__m256i *)(out + i),
				    _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(in + i)),
						     _mm256_loadu_si256((const __m256i *)(ks + i))));
	for (; i < n; i++)
		out[i] = in[i] ^ ks[i];
}

CHACHA_X8_TARGET static void CHACHA_X8_NAME(xor)(uint32_t state[16], const uint8_t *in, uint8_t *out, size_t len, int rounds)
{
	__m256i ks[16];
	size_t i, n;

	/* A single block is cheaper in scalar code; from two blocks on, an eight-lane batch wins (measured on Zen 4). */
	while (len > FSCRYPT_EXT__CHACHA_BLOCK) {
		if (state[12] > UINT32_MAX - 8) {
			/* The low counter word would wrap inside the batch: carry it block by block. */
			n = len < 8 * FSCRYPT_EXT__CHACHA_BLOCK ? len : 8 * FSCRYPT_EXT__CHACHA_BLOCK;
			fscrypt_ext__chacha_portable.xor_stream(state, in, out, n, rounds);
		} else {
			CHACHA_X8_NAME(keystream)(state, ks, rounds);
			if (len >= 8 * FSCRYPT_EXT__CHACHA_BLOCK) {
				n = 8 * FSCRYPT_EXT__CHACHA_BLOCK;
				for (i = 0; i < 16; i++)
					_mm256_storeu_si256((__m256i *)(out + 32 * i),
							    _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(in + 32 * i)),
									     ks[i]));
			} else {
				n = len;
				CHACHA_X8_NAME(xor_bytes)(out, in, (const uint8_t *)ks, n);
			}
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
