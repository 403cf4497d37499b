/* VAES+AVX2 AES backend: XTS, ECB and CBC decryption two blocks per ymm register, and multi-stream CBC encryption. */
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)

#include <immintrin.h>
#include <stddef.h>

#include "crypto/aes.h"
#include "cpu.h"
#include "x86/aes_x86.h"

#define VAES_TARGET __attribute__((target("vaes,avx2,vpclmulqdq,aes,pclmul,sse4.1")))
#define VAES_INLINE VAES_TARGET static inline __attribute__((always_inline))

/*
 * Blocks per main-loop iteration: 8 ymm registers. VAESENC has a 4-cycle
 * latency and issues twice per cycle on Zen 3/4, so 8 independent registers
 * keep both AES pipes busy.
 */
#define NVEC 8
#define CHUNK_BLOCKS (2 * NVEC)
#define XTS_VEC 8


/* ---- key schedule: the AES-NI backend's (same u.hw layout) ---- */

/*
 * Keys hold the standard schedules only (480 bytes, no broadcast copies), so
 * the per-extent objects stay small (docs/per-extent-keys.md). The rounds
 * broadcast each round key as they load it (VBROADCASTI128 from memory: one
 * load uop, shared by the eight registers of a round).
 */
#define BK(rk, r) _mm256_broadcastsi128_si256(_mm_load_si128(&(rk)[r]))
#define ENC_SCHED(k) ((const __m128i *)(const void *)(k)->u.hw.enc)
#define DEC_SCHED(k) ((const __m128i *)(const void *)(k)->u.hw.dec)

VAES_TARGET static void vaes_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	fscrypt_ext__aesni_expand_key(k, key, key_len);
}

/* Encryption-only keys (the XTS tweak key): dec stays as it was (zero, or not even allocated). */
VAES_TARGET static void vaes_expand_key_enc(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	fscrypt_ext__aesni_expand_key_enc(k, key, key_len);
}

/* Several AES-256 keys side by side, two per ymm register (lib/x86/aes_ks_multi.h); no AVX-512 instruction. */
#define KSM_NAME vaes_expand_keys_256
#define KSM_TARGET VAES_TARGET
#define KSM_VEC __m256i
#define KSM_LANES 2
#define KSM_NREG 4
#define KSM_XOR _mm256_xor_si256
#define KSM_SHUF _mm256_shuffle_epi8
#define KSM_BSLLI _mm256_slli_si256
#define KSM_ENCLAST _mm256_aesenclast_epi128
#define KSM_SET1_32(x) _mm256_set1_epi32((int)(x))
#define KSM_ZERO _mm256_setzero_si256
/* No wide AESIMC: AESDEC(AESENCLAST(x, 0), 0) = InvMixColumns(x) (the S-box and row shifts cancel). */
#define KSM_IMC(x) _mm256_aesdec_epi128(_mm256_aesenclast_epi128((x), _mm256_setzero_si256()), _mm256_setzero_si256())
#define KSM_LOAD(p, off)                                                                                         \
	_mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)((p)[0] + (off)))), \
				_mm_loadu_si128((const __m128i *)(const void *)((p)[1] + (off))), 1)
#define KSM_STORE_LANE(dst, v, j) \
	_mm_store_si128((__m128i *)(void *)(dst), (j) ? _mm256_extracti128_si256((v), 1) : _mm256_castsi256_si128(v))
#include "x86/aes_ks_multi.h"

/* ---- helpers ---- */

VAES_INLINE __m256i load2(const uint8_t *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

VAES_INLINE void store2(uint8_t *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p, v);
}

/*
 * Multiplies both 128-bit lanes (little-endian GF(2^128) elements, IEEE 1619)
 * by x^k, 0 < k < 57: a 128-bit shift, with the bits shifted out reduced by
 * x^128 = x^7 + x^2 + x + 1 in one carry-less multiply.
 */
#define MUL_XK128(v, k)                                                                    \
	({                                                                                     \
		__m128i c_ = _mm_srli_epi64((v), 64 - (k));                                    \
		_mm_xor_si128(_mm_xor_si128(_mm_slli_epi64((v), (k)), _mm_slli_si128(c_, 8)), \
			      _mm_clmulepi64_si128(c_, _mm_set1_epi64x(0x87), 0x01));          \
	})

/* T * x^n for 0 <= n < 16, n public. */
VAES_TARGET static __m128i mul_x_small(__m128i t, unsigned int n)
{
	if (n & 1)
		t = MUL_XK128(t, 1);
	if (n & 2)
		t = MUL_XK128(t, 2);
	if (n & 4)
		t = MUL_XK128(t, 4);
	if (n & 8)
		t = MUL_XK128(t, 8);
	return t;
}

/*
 * The first tweaks of a call, [T * x^j, T * x^(j+1)] for j = 0, 2, ..., 14,
 * straight from T with per-lane shift counts: no chain of multiplications
 * delays the first AES rounds (which matters for 512-byte data units).
 */
VAES_INLINE void first_tweaks(__m128i t, __m256i tw[XTS_VEC])
{
	const __m256i poly = _mm256_set1_epi64x(0x87);
	__m256i tt = _mm256_broadcastsi128_si256(t);
	int j;

#pragma GCC unroll 8
	for (j = 0; j < XTS_VEC; j++) {
		__m256i k = _mm256_set_epi64x(2 * j + 1, 2 * j + 1, 2 * j, 2 * j);
		__m256i c = _mm256_srlv_epi64(tt, _mm256_sub_epi64(_mm256_set1_epi64x(64), k));

		/* A shift by 64 gives 0, so j = 0's low lane is T itself. */
		tw[j] = _mm256_xor_si256(_mm256_xor_si256(_mm256_sllv_epi64(tt, k), _mm256_slli_si256(c, 8)),
					 _mm256_clmulepi64_epi128(c, poly, 0x01));
	}
}

/* ---- XTS ---- */

/* Both lanes times x^(2 * XTS_VEC): a byte shift, the bytes shifted out reduced with one carry-less multiply. */
VAES_INLINE __m256i mul_x16(__m256i t, __m256i poly)
{
	return _mm256_xor_si256(_mm256_slli_si256(t, 2), _mm256_clmulepi64_epi128(_mm256_srli_si256(t, 14), poly, 0x00));
}

/*
 * 8 registers (16 blocks) per iteration, every round unrolled, round keys
 * broadcast from memory as each round starts (BK): 8 independent registers keep both AES pipes busy (VAESENC
 * latency 4, throughput 2). Measured on Zen 4 against 4 and 6 registers per
 * iteration, 8 was best (0.30 cycles/byte at 4 KiB). Tweaks advance by x^16
 * per register per iteration; their XORs fold into the round-0 key and the
 * last round key (vaesenclast(k ^ t, x)).
 */
VAES_INLINE void xts_main(const __m128i *rk, const int nr, __m256i t[XTS_VEC], const uint8_t *in, uint8_t *out,
			  size_t nchunks, int enc)
{
	const __m256i poly = _mm256_set1_epi64x(0x87);
	int j, r;

	for (; nchunks; nchunks--, in += 32 * XTS_VEC, out += 32 * XTS_VEC) {
		__m256i x[XTS_VEC];

#pragma GCC unroll 8
		for (j = 0; j < XTS_VEC; j++)
			x[j] = _mm256_xor_si256(load2(in + 32 * j), _mm256_xor_si256(t[j], BK(rk, 0)));
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < XTS_VEC; j++)
				x[j] = enc ? _mm256_aesenc_epi128(x[j], BK(rk, r)) : _mm256_aesdec_epi128(x[j], BK(rk, r));
		}
#pragma GCC unroll 8
		for (j = 0; j < XTS_VEC; j++) {
			__m256i lk = _mm256_xor_si256(BK(rk, nr), t[j]);

			store2(out + 32 * j, enc ? _mm256_aesenclast_epi128(x[j], lk) : _mm256_aesdeclast_epi128(x[j], lk));
			t[j] = mul_x16(t[j], poly);
		}
	}
}

VAES_INLINE void xts_crypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
			   uint8_t *out, size_t nblocks, int enc)
{
	const __m128i *rk = enc ? ENC_SCHED(k) : DEC_SCHED(k);
	unsigned int nr = k->rounds;
	__m256i t[XTS_VEC];
	size_t nchunks = nblocks / (2 * XTS_VEC), rest = nblocks % (2 * XTS_VEC);

	if (nblocks == 0)
		return;
	first_tweaks(_mm_loadu_si128((const __m128i *)(const void *)tweak), t);
	if (nchunks) {
		if (nr == 14)
			xts_main(rk, 14, t, in, out, nchunks, enc);
		else if (nr == 10)
			xts_main(rk, 10, t, in, out, nchunks, enc);
		else
			xts_main(rk, 12, t, in, out, nchunks, enc);
		in += 16 * 2 * XTS_VEC * nchunks;
		out += 16 * 2 * XTS_VEC * nchunks;
	}
	if (rest) {
		/* The tail runs through the same code on a stack copy; the extra blocks are discarded. */
		FSCRYPT_EXT__ALIGN(32) uint8_t buf[32 * XTS_VEC];
		__m256i tt[XTS_VEC];
		memcpy(tt, t, sizeof(tt));

		memcpy(buf, in, 16 * rest);
		memset(buf + 16 * rest, 0, sizeof(buf) - 16 * rest);
		if (nr == 14)
			xts_main(rk, 14, tt, buf, buf, 1, enc);
		else if (nr == 10)
			xts_main(rk, 10, tt, buf, buf, 1, enc);
		else
			xts_main(rk, 12, tt, buf, buf, 1, enc);
		memcpy(out, buf, 16 * rest);
		fscrypt_ext__wipe(buf, sizeof(buf));
		fscrypt_ext__wipe(tt, sizeof(tt));
	}
	_mm_storeu_si128((__m128i *)(void *)tweak, mul_x_small(_mm256_castsi256_si128(t[0]), (unsigned int)rest));
	fscrypt_ext__wipe(t, sizeof(t));
	/* The round keys' stack copies: zeroed with vector stores the compiler may not drop. */
}

VAES_TARGET static void vaes_xts_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
					 uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 1);
}

VAES_TARGET static void vaes_xts_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
					 uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 0);
}

/* ---- ECB ---- */

VAES_INLINE void ecb_chunk(const __m128i *rk, unsigned int nr, const uint8_t *in, uint8_t *out, int enc)
{
	__m256i x[NVEC], key = BK(rk, 0);
	unsigned int r;
	int j;

#pragma GCC unroll 8
	for (j = 0; j < NVEC; j++)
		x[j] = _mm256_xor_si256(load2(in + 32 * j), key);
	for (r = 1; r < nr; r++) {
		key = BK(rk, r);
		if (enc) {
#pragma GCC unroll 8
			for (j = 0; j < NVEC; j++)
				x[j] = _mm256_aesenc_epi128(x[j], key);
		} else {
#pragma GCC unroll 8
			for (j = 0; j < NVEC; j++)
				x[j] = _mm256_aesdec_epi128(x[j], key);
		}
	}
	key = BK(rk, nr);
#pragma GCC unroll 8
	for (j = 0; j < NVEC; j++)
		store2(out + 32 * j, enc ? _mm256_aesenclast_epi128(x[j], key) : _mm256_aesdeclast_epi128(x[j], key));
}

/* Two blocks (or one, in the low lane) for short tails. */
VAES_INLINE __m256i crypt_pair(const __m128i *rk, unsigned int nr, __m256i x, int enc)
{
	unsigned int r;

	x = _mm256_xor_si256(x, BK(rk, 0));
	for (r = 1; r < nr; r++)
		x = enc ? _mm256_aesenc_epi128(x, BK(rk, r)) : _mm256_aesdec_epi128(x, BK(rk, r));
	return enc ? _mm256_aesenclast_epi128(x, BK(rk, nr)) : _mm256_aesdeclast_epi128(x, BK(rk, nr));
}

VAES_INLINE void ecb_crypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks,
			   int enc)
{
	const __m128i *rk = enc ? ENC_SCHED(k) : DEC_SCHED(k);
	unsigned int nr = k->rounds;

	for (; nblocks >= CHUNK_BLOCKS; nblocks -= CHUNK_BLOCKS, in += 16 * CHUNK_BLOCKS, out += 16 * CHUNK_BLOCKS)
		ecb_chunk(rk, nr, in, out, enc);
	for (; nblocks >= 2; nblocks -= 2, in += 32, out += 32)
		store2(out, crypt_pair(rk, nr, load2(in), enc));
	if (nblocks) {
		__m256i x = _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)in));

		x = crypt_pair(rk, nr, x, enc);
		_mm_storeu_si128((__m128i *)(void *)out, _mm256_castsi256_si128(x));
	}
}

VAES_TARGET static void vaes_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
					 size_t nblocks)
{
	ecb_crypt(k, in, out, nblocks, 1);
}

VAES_TARGET static void vaes_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
					 size_t nblocks)
{
	ecb_crypt(k, in, out, nblocks, 0);
}

/* ---- CBC ---- */

/* One stream is latency-bound (each block waits for the one before); xmm is as fast as ymm here. */
VAES_TARGET static void vaes_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
					 uint8_t *out, size_t nblocks)
{
	const __m128i *rk = (const __m128i *)(const void *)k->u.hw.enc;
	unsigned int nr = k->rounds, r;
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)iv);
	size_t i;

	for (i = 0; i < nblocks; i++) {
		__m128i x = _mm_xor_si128(c, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(in + 16 * i)),
							   _mm_load_si128(&rk[0])));

		for (r = 1; r < nr; r++)
			x = _mm_aesenc_si128(x, _mm_load_si128(&rk[r]));
		c = _mm_aesenclast_si128(x, _mm_load_si128(&rk[nr]));
		_mm_storeu_si128((__m128i *)(void *)(out + 16 * i), c);
	}
	_mm_storeu_si128((__m128i *)(void *)iv, c);
}

/*
 * 16 blocks; prev is the ciphertext block before them. Results are written
 * last register first: in place, register j's store overwrites only blocks
 * that no lower register still needs as its chaining value.
 */
VAES_INLINE __m128i cbc_dec_chunk(const __m128i *rk, unsigned int nr, __m128i prev, const uint8_t *in,
				  uint8_t *out)
{
	__m256i x[NVEC], key = BK(rk, 0);
	__m128i last = _mm_loadu_si128((const __m128i *)(const void *)(in + 16 * (CHUNK_BLOCKS - 1)));
	unsigned int r;
	int j;

#pragma GCC unroll 8
	for (j = 0; j < NVEC; j++)
		x[j] = _mm256_xor_si256(load2(in + 32 * j), key);
	for (r = 1; r < nr; r++) {
		key = BK(rk, r);
#pragma GCC unroll 8
		for (j = 0; j < NVEC; j++)
			x[j] = _mm256_aesdec_epi128(x[j], key);
	}
	key = BK(rk, nr);
#pragma GCC unroll 8
	for (j = NVEC - 1; j >= 1; j--)
		store2(out + 32 * j, _mm256_aesdeclast_epi128(x[j], _mm256_xor_si256(key, load2(in + 32 * j - 16))));
	{
		__m256i p0 = _mm256_inserti128_si256(_mm256_castsi128_si256(prev),
						     _mm_loadu_si128((const __m128i *)(const void *)in), 1);

		store2(out, _mm256_aesdeclast_epi128(x[0], _mm256_xor_si256(key, p0)));
	}
	return last;
}

VAES_TARGET static void vaes_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
					 uint8_t *out, size_t nblocks)
{
	const __m128i *rk = DEC_SCHED(k);
	unsigned int nr = k->rounds;
	__m128i prev = _mm_loadu_si128((const __m128i *)(const void *)iv);

	for (; nblocks >= CHUNK_BLOCKS; nblocks -= CHUNK_BLOCKS, in += 16 * CHUNK_BLOCKS, out += 16 * CHUNK_BLOCKS)
		prev = cbc_dec_chunk(rk, nr, prev, in, out);
	for (; nblocks; nblocks--, in += 16, out += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)in);
		__m256i x = crypt_pair(rk, nr, _mm256_castsi128_si256(c), 0);

		_mm_storeu_si128((__m128i *)(void *)out, _mm_xor_si128(_mm256_castsi256_si128(x), prev));
		prev = c;
	}
	_mm_storeu_si128((__m128i *)(void *)iv, prev);
}

/* ---- multi-stream CBC encryption ---- */

VAES_INLINE __m256i load_lanes(const uint8_t *lo, const uint8_t *hi)
{
	return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)lo)),
				       _mm_loadu_si128((const __m128i *)(const void *)hi), 1);
}

VAES_INLINE void store_lanes(uint8_t *lo, uint8_t *hi, __m256i v)
{
	_mm_storeu_si128((__m128i *)(void *)lo, _mm256_castsi256_si128(v));
	_mm_storeu_si128((__m128i *)(void *)hi, _mm256_extracti128_si256(v, 1));
}

/*
 * nv registers of two streams each (2 * nv streams), all nblocks long; nv and
 * nr are constants after inlining, so every round is unrolled. The chain
 * carries C ^ K0 ^ P_next: the next plaintext and round key 0 fold into the
 * last round key (vaesenclast(s, K_last ^ K0 ^ P_next)), so nothing but AES
 * rounds sits on the serial path.
 */
VAES_INLINE void cbc_multi_group(const __m128i *rk, const int nr, uint8_t (*ivs)[16], const uint8_t *const *in,
				 uint8_t *const *out, size_t nblocks, const int nv)
{
	__m256i x[NVEC], pk[NVEC];
	size_t b;
	int j, r;

#pragma GCC unroll 8
	for (j = 0; j < nv; j++)
		x[j] = _mm256_xor_si256(load_lanes(ivs[2 * j], ivs[2 * j + 1]),
					_mm256_xor_si256(BK(rk, 0), load_lanes(in[2 * j], in[2 * j + 1])));
	for (b = 0; b + 1 < nblocks; b++) {
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < nv; j++)
				x[j] = _mm256_aesenc_epi128(x[j], BK(rk, r));
		}
#pragma GCC unroll 8
		for (j = 0; j < nv; j++) {
			pk[j] = _mm256_xor_si256(BK(rk, 0), load_lanes(in[2 * j] + 16 * (b + 1), in[2 * j + 1] + 16 * (b + 1)));
			x[j] = _mm256_aesenclast_epi128(x[j], _mm256_xor_si256(BK(rk, nr), pk[j]));
			store_lanes(out[2 * j] + 16 * b, out[2 * j + 1] + 16 * b, _mm256_xor_si256(x[j], pk[j]));
		}
	}
#pragma GCC unroll 14
	for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
		for (j = 0; j < nv; j++)
			x[j] = _mm256_aesenc_epi128(x[j], BK(rk, r));
	}
#pragma GCC unroll 8
	for (j = 0; j < nv; j++) {
		x[j] = _mm256_aesenclast_epi128(x[j], BK(rk, nr));
		store_lanes(out[2 * j] + 16 * b, out[2 * j + 1] + 16 * b, x[j]);
		store_lanes(ivs[2 * j], ivs[2 * j + 1], x[j]);
	}
}

/* 2 * nv streams with the round count as a constant. */
#define CBC_MULTI(nv)                                                             \
	do {                                                                      \
		if (nr == 10)                                                     \
			cbc_multi_group(rk, 10, ivs, in, out, nblocks, nv);       \
		else if (nr == 14)                                                \
			cbc_multi_group(rk, 14, ivs, in, out, nblocks, nv);       \
		else                                                              \
			cbc_multi_group(rk, 12, ivs, in, out, nblocks, nv);       \
	} while (0)

VAES_TARGET static void vaes_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					       const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	const __m128i *rk = ENC_SCHED(k);
	unsigned int nr = k->rounds;

	if (nblocks == 0)
		return;
	for (; n >= 16; n -= 16, ivs += 16, in += 16, out += 16)
		CBC_MULTI(8);
	if (n >= 8) {
		CBC_MULTI(4);
		n -= 8, ivs += 8, in += 8, out += 8;
	}
	if (n >= 4) {
		CBC_MULTI(2);
		n -= 4, ivs += 4, in += 4, out += 4;
	}
	if (n >= 2) {
		CBC_MULTI(1);
		n -= 2, ivs += 2, in += 2, out += 2;
	}
	if (n)
		vaes_cbc_encrypt(k, ivs[0], in[0], out[0], nblocks);
}

static int vaes_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_AVX |
				  FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_VPCLMULQDQ;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__aes_impl fscrypt_ext__aes_vaes_avx2 = {
	.name = "vaes-avx2",
	.needs = FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_AVX2,
	.available = vaes_available,
	.expand_key = vaes_expand_key,
	.expand_key_enc = vaes_expand_key_enc,
	.ecb_encrypt = vaes_ecb_encrypt,
	.ecb_decrypt = vaes_ecb_decrypt,
	.cbc_encrypt = vaes_cbc_encrypt,
	.cbc_decrypt = vaes_cbc_decrypt,
	.xts_encrypt = vaes_xts_encrypt,
	.xts_decrypt = vaes_xts_decrypt,
	.cbc_encrypt_multi = vaes_cbc_encrypt_multi,
	.expand_keys_256 = vaes_expand_keys_256,
	.sched_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw),
	.sched_enc_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw.enc),
};

#endif /* FSCRYPT_EXT_HAVE_VAES_AVX2 */
