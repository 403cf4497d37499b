/* XCTR for HCTR2 on x86-64 with AES-NI (8 blocks in flight) and VAES+AVX2 (16 blocks in 8 ymm), using the x86 AES backends' standard round keys. */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)

#include <immintrin.h>

#include "../crypto/hctr2.h"

#define AESNI_TARGET __attribute__((target("aes,sse4.1")))

/* Keystream block i is E(s ^ le128(i)); i fits in 64 bits, so only the low half of s changes. */
AESNI_TARGET static inline __m128i ctr_block(__m128i s, uint64_t i)
{
	return _mm_xor_si128(s, _mm_cvtsi64_si128((long long)i));
}

/* Encrypts up to 8 counter blocks starting at ctr and XORs the first len bytes of keystream into in -> out. */
AESNI_TARGET static void aesni_tail(const __m128i *rk, unsigned int nr, __m128i s, uint64_t ctr, const uint8_t *in,
				    uint8_t *out, size_t len)
{
	uint8_t ks[16 * 8];
	size_t n = (len + 15) / 16;

	for (size_t j = 0; j < n; j++) {
		__m128i b = _mm_xor_si128(ctr_block(s, ctr + j), rk[0]);

		for (unsigned int r = 1; r < nr; r++)
			b = _mm_aesenc_si128(b, rk[r]);
		_mm_storeu_si128((__m128i *)(ks + 16 * j), _mm_aesenclast_si128(b, rk[nr]));
	}
	for (size_t j = 0; j < len; j++)
		out[j] = in[j] ^ ks[j];
	fscrypt_ext__wipe(ks, sizeof(ks));
}

AESNI_TARGET void fscrypt_ext__xctr_aesni(const struct fscrypt_ext__aes_key *k, const uint8_t s_bytes[16],
					  const uint8_t *in, uint8_t *out, size_t len)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	const unsigned int nr = k->rounds;
	const __m128i s = _mm_loadu_si128((const __m128i *)s_bytes);
	uint64_t ctr = 1;

	for (; len >= 128; len -= 128, in += 128, out += 128, ctr += 8) {
		__m128i b[8];

		for (int j = 0; j < 8; j++)
			b[j] = _mm_xor_si128(ctr_block(s, ctr + (uint64_t)j), rk[0]);
		for (unsigned int r = 1; r < nr; r++)
			for (int j = 0; j < 8; j++)
				b[j] = _mm_aesenc_si128(b[j], rk[r]);
		for (int j = 0; j < 8; j++) {
			b[j] = _mm_aesenclast_si128(b[j], rk[nr]);
			_mm_storeu_si128((__m128i *)(out + 16 * j),
					 _mm_xor_si128(b[j], _mm_loadu_si128((const __m128i *)(in + 16 * j))));
		}
	}
	if (len)
		aesni_tail(rk, nr, s, ctr, in, out, len);
}

#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

#define VAES_TARGET __attribute__((target("vaes,avx2,aes,sse4.1")))

VAES_TARGET void fscrypt_ext__xctr_vaes_avx2(const struct fscrypt_ext__aes_key *k, const uint8_t s_bytes[16],
					     const uint8_t *in, uint8_t *out, size_t len)
{
	const unsigned int nr = k->rounds;
	const __m128i s = _mm_loadu_si128((const __m128i *)s_bytes);
	const __m256i s2 = _mm256_broadcastsi128_si256(s);
	const __m256i step = _mm256_set_epi64x(0, 16, 0, 16);
	__m256i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1];
	/* Lane counters (as 64-bit integers, then XORed into s): ymm j holds blocks ctr+2j and ctr+2j+1. */
	__m256i c[8];
	uint64_t ctr = 1;

	for (unsigned int r = 0; r <= nr; r++)
		rk[r] = _mm256_broadcastsi128_si256(_mm_load_si128((const __m128i *)k->u.hw.enc[r]));
	for (int j = 0; j < 8; j++)
		c[j] = _mm256_set_epi64x(0, (long long)(2 * j + 2), 0, (long long)(2 * j + 1));
	for (; len >= 256; len -= 256, in += 256, out += 256, ctr += 16) {
		__m256i b[8];

		for (int j = 0; j < 8; j++) {
			b[j] = _mm256_xor_si256(_mm256_xor_si256(s2, c[j]), rk[0]);
			c[j] = _mm256_add_epi64(c[j], step);
		}
		for (unsigned int r = 1; r < nr; r++)
			for (int j = 0; j < 8; j++)
				b[j] = _mm256_aesenc_epi128(b[j], rk[r]);
		for (int j = 0; j < 8; j++) {
			b[j] = _mm256_aesenclast_epi128(b[j], rk[nr]);
			_mm256_storeu_si256((__m256i *)(out + 32 * j),
					    _mm256_xor_si256(b[j], _mm256_loadu_si256((const __m256i *)(in + 32 * j))));
		}
	}
	/* Fewer than 16 blocks left: the xmm code finishes with the same counters. */
	{
		const __m128i *rk128 = (const __m128i *)(const void *)k->u.hw.enc;

		for (; len >= 128; len -= 128, in += 128, out += 128, ctr += 8) {
			__m128i b[8];

			for (int j = 0; j < 8; j++)
				b[j] = _mm_xor_si128(ctr_block(s, ctr + (uint64_t)j), rk128[0]);
			for (unsigned int r = 1; r < nr; r++)
				for (int j = 0; j < 8; j++)
					b[j] = _mm_aesenc_si128(b[j], rk128[r]);
			for (int j = 0; j < 8; j++) {
				b[j] = _mm_aesenclast_si128(b[j], rk128[nr]);
				_mm_storeu_si128((__m128i *)(out + 16 * j),
						 _mm_xor_si128(b[j], _mm_loadu_si128((const __m128i *)(in + 16 * j))));
			}
		}
		if (len)
			aesni_tail(rk128, nr, s, ctr, in, out, len);
	}
	fscrypt_ext__wipe(rk, sizeof(rk));
}

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */

#endif /* __x86_64__ && FSCRYPT_EXT_HAVE_AESNI */
