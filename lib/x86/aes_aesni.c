/* AES-NI backend: key expansion, ECB, CBC and XTS with eight blocks in flight to hide the AESENC latency. */
#if defined(FSCRYPT_EXT_HAVE_AESNI)
#include <immintrin.h>

#include "cpu.h"
#include "crypto/aes.h"
#include "x86/aes_x86.h"

#define AESNI_TARGET __attribute__((target("aes,sse4.1,ssse3,pclmul")))

static int aesni_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_SSSE3;

	return (fscrypt_ext__cpu_features() & need) == need;
}

AESNI_TARGET static inline __m128i ld(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

AESNI_TARGET static inline void st(uint8_t *p, __m128i v)
{
	_mm_storeu_si128((__m128i *)(void *)p, v);
}

/*
 * AES key schedule (FIPS-197 5.2) in registers: AESKEYGENASSIST gives
 * SubWord/RotWord/rcon without tables, and each round key goes straight to
 * its slot, with its AESIMC image for the equivalent inverse cipher in the
 * same pass. No word array on the stack, so nothing to wipe.
 */

/* The four words of prev XORed cumulatively (w0, w0^w1, ...), XORed with the broadcast word t. */
AESNI_TARGET static inline __m128i ks_next(__m128i prev, __m128i t)
{
	prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
	prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 8));
	return _mm_xor_si128(prev, t);
}

/*
 * Stores round key r; with_dec (a constant at every call) also stores its
 * slot of the decryption schedule: dec[nr - r] = InvMixColumns(enc[r]),
 * except the outer two keys, which AESDEC/AESDECLAST use as they are.
 */
AESNI_TARGET static inline __attribute__((always_inline)) void ks_put(struct fscrypt_ext__aes_key *k, unsigned int nr,
								      unsigned int r, __m128i v, int with_dec)
{
	_mm_store_si128((__m128i *)(void *)k->u.hw.enc[r], v);
	if (with_dec)
		_mm_store_si128((__m128i *)(void *)k->u.hw.dec[nr - r], (r == 0 || r == nr) ? v : _mm_aesimc_si128(v));
}

/* Round key i from i-1 (AES-128): word 3 of AESKEYGENASSIST is RotWord(SubWord(w3)) ^ rcon. */
#define KS128(i, rcon)                                                                                    \
	do {                                                                                              \
		a = ks_next(a, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(a, rcon), 0xff));              \
		ks_put(k, 10, i, a, with_dec);                                                            \
	} while (0)

AESNI_TARGET static inline __attribute__((always_inline)) void ks_expand128(struct fscrypt_ext__aes_key *k,
									    const uint8_t *key, int with_dec)
{
	__m128i a = ld(key);

	ks_put(k, 10, 0, a, with_dec);
	KS128(1, 0x01); KS128(2, 0x02); KS128(3, 0x04); KS128(4, 0x08); KS128(5, 0x10);
	KS128(6, 0x20); KS128(7, 0x40); KS128(8, 0x80); KS128(9, 0x1b); KS128(10, 0x36);
}

/*
 * Round keys i and i+1 (AES-256): the even key takes RotWord(SubWord(w7)) ^
 * rcon (word 3), the odd one SubWord alone of the new w3 (word 2, rcon 0).
 */
#define KS256(i, rcon)                                                                                    \
	do {                                                                                              \
		a = ks_next(a, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(b, rcon), 0xff));              \
		ks_put(k, 14, i, a, with_dec);                                                            \
		if ((i) < 14) {                                                                           \
			b = ks_next(b, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(a, 0), 0xaa));         \
			ks_put(k, 14, (i) + 1, b, with_dec);                                              \
		}                                                                                         \
	} while (0)

AESNI_TARGET static inline __attribute__((always_inline)) void ks_expand256(struct fscrypt_ext__aes_key *k,
									    const uint8_t *key, int with_dec)
{
	__m128i a = ld(key), b = ld(key + 16);

	ks_put(k, 14, 0, a, with_dec);
	ks_put(k, 14, 1, b, with_dec);
	KS256(2, 0x01); KS256(4, 0x02); KS256(6, 0x04); KS256(8, 0x08);
	KS256(10, 0x10); KS256(12, 0x20); KS256(14, 0x40);
}

/*
 * AES-192 (no fscrypt mode uses it): six words per step, kept as a = w0..w3
 * and the low half of b = w4, w5; word 1 of AESKEYGENASSIST(b) is
 * RotWord(SubWord(w5)) ^ rcon. The words are stored contiguously, so round
 * key r is bytes 16r.. of the schedule whatever the six-word phase.
 */
#define KS192(i, rcon)                                                                                    \
	do {                                                                                              \
		a = ks_next(a, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(b, rcon), 0x55));              \
		b = _mm_xor_si128(_mm_xor_si128(b, _mm_slli_si128(b, 4)), _mm_shuffle_epi32(a, 0xff));    \
		_mm_storeu_si128((__m128i *)(void *)(w + 24 * (i)), a);                                   \
		if ((i) < 8)                                                                              \
			_mm_storel_epi64((__m128i *)(void *)(w + 24 * (i) + 16), b);                      \
	} while (0)

AESNI_TARGET static inline __attribute__((always_inline)) void ks_expand192(struct fscrypt_ext__aes_key *k,
									    const uint8_t *key, int with_dec)
{
	uint8_t *w = &k->u.hw.enc[0][0];
	__m128i a = ld(key), b = _mm_loadl_epi64((const __m128i *)(const void *)(key + 16));

	_mm_storeu_si128((__m128i *)(void *)w, a);
	_mm_storel_epi64((__m128i *)(void *)(w + 16), b);
	KS192(1, 0x01); KS192(2, 0x02); KS192(3, 0x04); KS192(4, 0x08);
	KS192(5, 0x10); KS192(6, 0x20); KS192(7, 0x40); KS192(8, 0x80);
	if (with_dec)
		for (unsigned int r = 0; r <= 12; r++)
			ks_put(k, 12, r, _mm_load_si128((const __m128i *)(const void *)k->u.hw.enc[r]), 1);
}

/* Both schedules (AESENC and AESDEC). Shared with the VAES backend, whose u.hw layout is the same. */
AESNI_TARGET void fscrypt_ext__aesni_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	if (key_len == 32)
		ks_expand256(k, key, 1);
	else if (key_len == 16)
		ks_expand128(k, key, 1);
	else
		ks_expand192(k, key, 1);
	k->rounds = (unsigned int)(key_len / 4 + 6);
}

/* The encryption schedule only, for keys that never decrypt (the XTS tweak key); u.hw.dec is not written. */
AESNI_TARGET void fscrypt_ext__aesni_expand_key_enc(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	if (key_len == 32)
		ks_expand256(k, key, 0);
	else if (key_len == 16)
		ks_expand128(k, key, 0);
	else
		ks_expand192(k, key, 0);
	k->rounds = (unsigned int)(key_len / 4 + 6);
}

/* Several AES-256 keys side by side, one per xmm register, four chains interleaved (lib/x86/aes_ks_multi.h). */
#define KSM_NAME aesni_expand_keys_256
#define KSM_TARGET AESNI_TARGET
#define KSM_VEC __m128i
#define KSM_LANES 1
#define KSM_NREG 4
#define KSM_XOR _mm_xor_si128
#define KSM_SHUF _mm_shuffle_epi8
#define KSM_BSLLI _mm_slli_si128
#define KSM_ENCLAST _mm_aesenclast_si128
#define KSM_SET1_32(x) _mm_set1_epi32((int)(x))
#define KSM_ZERO _mm_setzero_si128
#define KSM_IMC _mm_aesimc_si128
#define KSM_LOAD(p, off) _mm_loadu_si128((const __m128i *)(const void *)((p)[0] + (off)))
#define KSM_STORE_LANE(dst, v, j) _mm_store_si128((__m128i *)(void *)(dst), (v))
#include "x86/aes_ks_multi.h"

#define X8(op)                                                                                                         \
	do {                                                                                                           \
		b0 = op(b0, kk);                                                                                       \
		b1 = op(b1, kk);                                                                                       \
		b2 = op(b2, kk);                                                                                       \
		b3 = op(b3, kk);                                                                                       \
		b4 = op(b4, kk);                                                                                       \
		b5 = op(b5, kk);                                                                                       \
		b6 = op(b6, kk);                                                                                       \
		b7 = op(b7, kk);                                                                                       \
	} while (0)

/* One block through all rounds (rk: enc or dec schedule). */
AESNI_TARGET static inline __m128i aesni_enc1(const __m128i *rk, unsigned int nr, __m128i b)
{
	b = _mm_xor_si128(b, rk[0]);
	for (unsigned int r = 1; r < nr; r++)
		b = _mm_aesenc_si128(b, rk[r]);
	return _mm_aesenclast_si128(b, rk[nr]);
}

AESNI_TARGET static inline __m128i aesni_dec1(const __m128i *rk, unsigned int nr, __m128i b)
{
	b = _mm_xor_si128(b, rk[0]);
	for (unsigned int r = 1; r < nr; r++)
		b = _mm_aesdec_si128(b, rk[r]);
	return _mm_aesdeclast_si128(b, rk[nr]);
}

AESNI_TARGET static void aesni_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
					   size_t nblocks)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	const unsigned int nr = k->rounds;

	for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
		__m128i kk = rk[0];
		__m128i b0 = _mm_xor_si128(ld(in), kk), b1 = _mm_xor_si128(ld(in + 16), kk);
		__m128i b2 = _mm_xor_si128(ld(in + 32), kk), b3 = _mm_xor_si128(ld(in + 48), kk);
		__m128i b4 = _mm_xor_si128(ld(in + 64), kk), b5 = _mm_xor_si128(ld(in + 80), kk);
		__m128i b6 = _mm_xor_si128(ld(in + 96), kk), b7 = _mm_xor_si128(ld(in + 112), kk);

		for (unsigned int r = 1; r < nr; r++) {
			kk = rk[r];
			X8(_mm_aesenc_si128);
		}
		kk = rk[nr];
		X8(_mm_aesenclast_si128);
		st(out, b0);
		st(out + 16, b1);
		st(out + 32, b2);
		st(out + 48, b3);
		st(out + 64, b4);
		st(out + 80, b5);
		st(out + 96, b6);
		st(out + 112, b7);
	}
	for (; nblocks > 0; nblocks--, in += 16, out += 16)
		st(out, aesni_enc1(rk, nr, ld(in)));
}

AESNI_TARGET static void aesni_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
					   size_t nblocks)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.dec;
	const unsigned int nr = k->rounds;

	for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
		__m128i kk = rk[0];
		__m128i b0 = _mm_xor_si128(ld(in), kk), b1 = _mm_xor_si128(ld(in + 16), kk);
		__m128i b2 = _mm_xor_si128(ld(in + 32), kk), b3 = _mm_xor_si128(ld(in + 48), kk);
		__m128i b4 = _mm_xor_si128(ld(in + 64), kk), b5 = _mm_xor_si128(ld(in + 80), kk);
		__m128i b6 = _mm_xor_si128(ld(in + 96), kk), b7 = _mm_xor_si128(ld(in + 112), kk);

		for (unsigned int r = 1; r < nr; r++) {
			kk = rk[r];
			X8(_mm_aesdec_si128);
		}
		kk = rk[nr];
		X8(_mm_aesdeclast_si128);
		st(out, b0);
		st(out + 16, b1);
		st(out + 32, b2);
		st(out + 48, b3);
		st(out + 64, b4);
		st(out + 80, b5);
		st(out + 96, b6);
		st(out + 112, b7);
	}
	for (; nblocks > 0; nblocks--, in += 16, out += 16)
		st(out, aesni_dec1(rk, nr, ld(in)));
}

/* CBC encryption is serial; the plaintext XOR is folded into the first round key off the critical path. */
AESNI_TARGET static void aesni_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
					   uint8_t *out, size_t nblocks)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	const unsigned int nr = k->rounds;
	__m128i c = ld(iv);

	for (; nblocks > 0; nblocks--, in += 16, out += 16) {
		__m128i b = _mm_xor_si128(c, _mm_xor_si128(ld(in), rk[0]));

		for (unsigned int r = 1; r < nr; r++)
			b = _mm_aesenc_si128(b, rk[r]);
		c = _mm_aesenclast_si128(b, rk[nr]);
		st(out, c);
	}
	st(iv, c);
}

/*
 * n independent CBC streams (ESSIV units, filenames) eight at a time: one
 * stream is latency-bound, eight fill the AESENC pipeline.
 */
AESNI_TARGET static void aesni_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
						 const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	const unsigned int nr = k->rounds;
	size_t s = 0;

	for (; s + 8 <= n; s += 8) {
		const uint8_t *const *pi = in + s;
		uint8_t *const *po = out + s;
		__m128i b0 = ld(ivs[s]), b1 = ld(ivs[s + 1]), b2 = ld(ivs[s + 2]), b3 = ld(ivs[s + 3]);
		__m128i b4 = ld(ivs[s + 4]), b5 = ld(ivs[s + 5]), b6 = ld(ivs[s + 6]), b7 = ld(ivs[s + 7]);

		for (size_t j = 0; j < 16 * nblocks; j += 16) {
			__m128i kk = rk[0];

			b0 = _mm_xor_si128(b0, _mm_xor_si128(ld(pi[0] + j), kk));
			b1 = _mm_xor_si128(b1, _mm_xor_si128(ld(pi[1] + j), kk));
			b2 = _mm_xor_si128(b2, _mm_xor_si128(ld(pi[2] + j), kk));
			b3 = _mm_xor_si128(b3, _mm_xor_si128(ld(pi[3] + j), kk));
			b4 = _mm_xor_si128(b4, _mm_xor_si128(ld(pi[4] + j), kk));
			b5 = _mm_xor_si128(b5, _mm_xor_si128(ld(pi[5] + j), kk));
			b6 = _mm_xor_si128(b6, _mm_xor_si128(ld(pi[6] + j), kk));
			b7 = _mm_xor_si128(b7, _mm_xor_si128(ld(pi[7] + j), kk));
			for (unsigned int r = 1; r < nr; r++) {
				kk = rk[r];
				X8(_mm_aesenc_si128);
			}
			kk = rk[nr];
			X8(_mm_aesenclast_si128);
			st(po[0] + j, b0);
			st(po[1] + j, b1);
			st(po[2] + j, b2);
			st(po[3] + j, b3);
			st(po[4] + j, b4);
			st(po[5] + j, b5);
			st(po[6] + j, b6);
			st(po[7] + j, b7);
		}
		st(ivs[s], b0);
		st(ivs[s + 1], b1);
		st(ivs[s + 2], b2);
		st(ivs[s + 3], b3);
		st(ivs[s + 4], b4);
		st(ivs[s + 5], b5);
		st(ivs[s + 6], b6);
		st(ivs[s + 7], b7);
	}
	for (; s < n; s++)
		aesni_cbc_encrypt(k, ivs[s], in[s], out[s], nblocks);
}

/*
 * Eight blocks in flight. The chaining XOR is folded into the last round key
 * (AESDECLAST(x, k ^ c) = AESDECLAST(x, k) ^ c); every ciphertext block is
 * read before the first store, so in == out works.
 */
AESNI_TARGET static void aesni_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
					   uint8_t *out, size_t nblocks)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.dec;
	const unsigned int nr = k->rounds;
	__m128i prev = ld(iv);

	for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
		__m128i kk = rk[0];
		__m128i c0 = ld(in), c1 = ld(in + 16), c2 = ld(in + 32), c3 = ld(in + 48);
		__m128i c4 = ld(in + 64), c5 = ld(in + 80), c6 = ld(in + 96), c7 = ld(in + 112);
		__m128i b0 = _mm_xor_si128(c0, kk), b1 = _mm_xor_si128(c1, kk), b2 = _mm_xor_si128(c2, kk);
		__m128i b3 = _mm_xor_si128(c3, kk), b4 = _mm_xor_si128(c4, kk), b5 = _mm_xor_si128(c5, kk);
		__m128i b6 = _mm_xor_si128(c6, kk), b7 = _mm_xor_si128(c7, kk);

		for (unsigned int r = 1; r < nr; r++) {
			kk = rk[r];
			X8(_mm_aesdec_si128);
		}
		kk = rk[nr];
		b0 = _mm_aesdeclast_si128(b0, _mm_xor_si128(kk, prev));
		b1 = _mm_aesdeclast_si128(b1, _mm_xor_si128(kk, c0));
		b2 = _mm_aesdeclast_si128(b2, _mm_xor_si128(kk, c1));
		b3 = _mm_aesdeclast_si128(b3, _mm_xor_si128(kk, c2));
		b4 = _mm_aesdeclast_si128(b4, _mm_xor_si128(kk, c3));
		b5 = _mm_aesdeclast_si128(b5, _mm_xor_si128(kk, c4));
		b6 = _mm_aesdeclast_si128(b6, _mm_xor_si128(kk, c5));
		b7 = _mm_aesdeclast_si128(b7, _mm_xor_si128(kk, c6));
		prev = c7;
		st(out, b0);
		st(out + 16, b1);
		st(out + 32, b2);
		st(out + 48, b3);
		st(out + 64, b4);
		st(out + 80, b5);
		st(out + 96, b6);
		st(out + 112, b7);
	}
	for (; nblocks > 0; nblocks--, in += 16, out += 16) {
		__m128i c = ld(in);

		st(out, _mm_xor_si128(aesni_dec1(rk, nr, c), prev));
		prev = c;
	}
	st(iv, prev);
}

/*
 * T * x in GF(2^128), XTS bit order: shift each 64-bit half left by one; the
 * bit leaving the low half enters the high half, the bit leaving the top is
 * reduced as 0x87. The two carries come from the sign bits of dwords 1 and 3.
 */
AESNI_TARGET static inline __m128i xts_mul_x(__m128i t)
{
	__m128i carries = _mm_shuffle_epi32(_mm_srai_epi32(t, 31), 0x13);

	carries = _mm_and_si128(carries, _mm_set_epi32(0, 1, 0, 0x87));
	return _mm_xor_si128(_mm_add_epi64(t, t), carries);
}

/*
 * XTS over whole blocks, eight at a time. The next group's tweaks continue
 * the chain from the last one with the SIMD doubling above (a few cheap
 * vector ops each, off the AES critical path; measured faster here than one
 * carry-less multiply by x^8 per tweak, which competes with AESENC for the
 * same pipes). The tweak XOR after the last round is folded into its key.
 */
#define AESNI_XTS_BODY(OP, OPLAST, RK)                                                                                 \
	const __m128i *rk = (const __m128i *)(const void *)(RK);                                                       \
	const unsigned int nr = k->rounds;                                                                             \
	__m128i t0 = ld(tweak);                                                                                        \
	if (nblocks >= 8) {                                                                                            \
		__m128i t1 = xts_mul_x(t0), t2 = xts_mul_x(t1), t3 = xts_mul_x(t2), t4 = xts_mul_x(t3);                 \
		__m128i t5 = xts_mul_x(t4), t6 = xts_mul_x(t5), t7 = xts_mul_x(t6);                                     \
		for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {                                            \
			__m128i kk = rk[0];                                                                            \
			__m128i b0 = _mm_xor_si128(ld(in), _mm_xor_si128(t0, kk));                                     \
			__m128i b1 = _mm_xor_si128(ld(in + 16), _mm_xor_si128(t1, kk));                                \
			__m128i b2 = _mm_xor_si128(ld(in + 32), _mm_xor_si128(t2, kk));                                \
			__m128i b3 = _mm_xor_si128(ld(in + 48), _mm_xor_si128(t3, kk));                                \
			__m128i b4 = _mm_xor_si128(ld(in + 64), _mm_xor_si128(t4, kk));                                \
			__m128i b5 = _mm_xor_si128(ld(in + 80), _mm_xor_si128(t5, kk));                                \
			__m128i b6 = _mm_xor_si128(ld(in + 96), _mm_xor_si128(t6, kk));                                \
			__m128i b7 = _mm_xor_si128(ld(in + 112), _mm_xor_si128(t7, kk));                               \
			for (unsigned int r = 1; r < nr; r++) {                                                        \
				kk = rk[r];                                                                            \
				X8(OP);                                                                                \
			}                                                                                              \
			kk = rk[nr];                                                                                   \
			st(out, OPLAST(b0, _mm_xor_si128(kk, t0)));                                                    \
			st(out + 16, OPLAST(b1, _mm_xor_si128(kk, t1)));                                               \
			st(out + 32, OPLAST(b2, _mm_xor_si128(kk, t2)));                                               \
			st(out + 48, OPLAST(b3, _mm_xor_si128(kk, t3)));                                               \
			st(out + 64, OPLAST(b4, _mm_xor_si128(kk, t4)));                                               \
			st(out + 80, OPLAST(b5, _mm_xor_si128(kk, t5)));                                               \
			st(out + 96, OPLAST(b6, _mm_xor_si128(kk, t6)));                                               \
			st(out + 112, OPLAST(b7, _mm_xor_si128(kk, t7)));                                              \
			t0 = xts_mul_x(t7);                                                                            \
			t1 = xts_mul_x(t0);                                                                            \
			t2 = xts_mul_x(t1);                                                                            \
			t3 = xts_mul_x(t2);                                                                            \
			t4 = xts_mul_x(t3);                                                                            \
			t5 = xts_mul_x(t4);                                                                            \
			t6 = xts_mul_x(t5);                                                                            \
			t7 = xts_mul_x(t6);                                                                            \
		}                                                                                                      \
	}                                                                                                              \
	for (; nblocks > 0; nblocks--, in += 16, out += 16) {                                                          \
		__m128i b = _mm_xor_si128(ld(in), _mm_xor_si128(t0, rk[0]));                                           \
		for (unsigned int r = 1; r < nr; r++)                                                                  \
			b = OP(b, rk[r]);                                                                              \
		st(out, OPLAST(b, _mm_xor_si128(rk[nr], t0)));                                                         \
		t0 = xts_mul_x(t0);                                                                                    \
	}                                                                                                              \
	st(tweak, t0)

AESNI_TARGET static void aesni_xts_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
					   uint8_t *out, size_t nblocks)
{
	AESNI_XTS_BODY(_mm_aesenc_si128, _mm_aesenclast_si128, k->u.hw.enc);
}

AESNI_TARGET static void aesni_xts_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
					   uint8_t *out, size_t nblocks)
{
	AESNI_XTS_BODY(_mm_aesdec_si128, _mm_aesdeclast_si128, k->u.hw.dec);
}

const struct fscrypt_ext__aes_impl fscrypt_ext__aes_aesni = {
	.name = "aesni",
	.needs = FSCRYPT_EXT__CPU_AESNI,
	.available = aesni_available,
	.expand_key = fscrypt_ext__aesni_expand_key,
	.expand_key_enc = fscrypt_ext__aesni_expand_key_enc,
	.ecb_encrypt = aesni_ecb_encrypt,
	.ecb_decrypt = aesni_ecb_decrypt,
	.cbc_encrypt = aesni_cbc_encrypt,
	.cbc_decrypt = aesni_cbc_decrypt,
	.xts_encrypt = aesni_xts_encrypt,
	.xts_decrypt = aesni_xts_decrypt,
	.cbc_encrypt_multi = aesni_cbc_encrypt_multi,
	.expand_keys_256 = aesni_expand_keys_256,
	.sched_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw),
	.sched_enc_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw.enc),
};
#endif
