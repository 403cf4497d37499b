/* VAES+AVX-512 AES backend: XTS, ECB and CBC decryption four blocks per zmm register, round keys held in registers, masked tails. */
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)

#include <immintrin.h>
#include <stddef.h>

#include "crypto/aes.h"
#include "cpu.h"
#include "x86/aes_x86.h"

#define Z_TARGET __attribute__((target("vaes,avx512f,avx512bw,avx512vl,vpclmulqdq,avx2,aes,pclmul,sse4.1")))
#define Z_INLINE Z_TARGET static inline __attribute__((always_inline))

/*
 * Registers per main-loop iteration (4 blocks each). Zen 4 runs zmm VAES at
 * one per cycle (double-pumped) with a 4-5 cycle latency, so 8 independent
 * registers keep the AES unit busy; the 15 round keys stay in registers
 * beside them (32 zmm registers), which AVX2 cannot do.
 */
#define ZVEC 8
#define ZCHUNK (4 * ZVEC)

/*
 * Keys hold only the standard schedules (u.hw, the AES-NI layout): every
 * function here broadcasts the round keys into registers itself (the
 * VAES+AVX2 backend now keeps the same layout). An AES-256-XTS key writes
 * 720 bytes, which matters when thousands of extent keys are set up at once
 * (memory traffic bounds the batch).
 */
static void z_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	fscrypt_ext__aesni_expand_key(k, key, key_len);
}

static void z_expand_key_enc(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	fscrypt_ext__aesni_expand_key_enc(k, key, key_len);
}

/* One CBC stream is latency-bound (performance.md 3.2): the AES-NI code on u.hw is as fast as any. */
static void z_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
			  size_t nblocks)
{
	fscrypt_ext__aes_aesni.cbc_encrypt(k, iv, in, out, nblocks);
}

/* ---- helpers ---- */

/* Round keys 0..nr of one direction, each in all four lanes. */
Z_INLINE void load_keys(__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1], const uint8_t (*sched)[16], int nr)
{
	for (int r = 0; r <= nr; r++)
		rk[r] = _mm512_broadcast_i32x4(_mm_load_si128((const __m128i *)(const void *)sched[r]));
}

/* The stack copies of the round keys: zeroed through a volatile pointer the compiler cannot drop. */
Z_INLINE void wipe_keys(__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1])
{
	volatile __m512i *v = rk;

	for (int r = 0; r <= FSCRYPT_EXT__AES_MAX_ROUNDS; r++)
		v[r] = _mm512_setzero_si512();
}

Z_INLINE __m512i ld4(const uint8_t *p)
{
	return _mm512_loadu_si512((const void *)p);
}

Z_INLINE void st4(uint8_t *p, __m512i v)
{
	_mm512_storeu_si512((void *)p, v);
}

/* Byte mask for the first nb (1..4) blocks of a register. */
Z_INLINE __mmask64 blocks_mask(size_t nb)
{
	return nb >= 4 ? ~(__mmask64)0 : (((__mmask64)1 << (16 * nb)) - 1);
}

Z_INLINE __m512i crypt1(const __m512i *rk, int nr, __m512i x, int enc)
{
	x = _mm512_xor_si512(x, rk[0]);
	for (int r = 1; r < nr; r++)
		x = enc ? _mm512_aesenc_epi128(x, rk[r]) : _mm512_aesdec_epi128(x, rk[r]);
	return enc ? _mm512_aesenclast_epi128(x, rk[nr]) : _mm512_aesdeclast_epi128(x, rk[nr]);
}

/* ---- XTS ---- */

/*
 * The first tweaks of a call: lane i of register j is T * x^(4j + i), each
 * straight from T with per-lane shift counts (no multiplication chain delays
 * the first rounds). Bits shifted out of the high half are reduced with
 * x^128 = x^7 + x^2 + x + 1 (0x87) in one carry-less multiply.
 */
Z_INLINE void first_tweaks(__m128i t, __m512i tw[ZVEC])
{
	const __m512i poly = _mm512_set1_epi64(0x87);
	const __m512i tt = _mm512_broadcast_i32x4(t);

	for (int j = 0; j < ZVEC; j++) {
		long long b = 4 * j;
		__m512i k = _mm512_set_epi64(b + 3, b + 3, b + 2, b + 2, b + 1, b + 1, b, b);
		__m512i c = _mm512_srlv_epi64(tt, _mm512_sub_epi64(_mm512_set1_epi64(64), k));

		/* A shift by 64 gives 0, so lane 0 of register 0 is T itself. */
		tw[j] = _mm512_xor_si512(_mm512_xor_si512(_mm512_sllv_epi64(tt, k), _mm512_bslli_epi128(c, 8)),
					 _mm512_clmulepi64_epi128(c, poly, 0x01));
	}
}

/* Every lane times x^ZCHUNK (= x^32): a 4-byte shift, the 4 bytes shifted out reduced with one carry-less multiply. */
Z_INLINE __m512i mul_x32(__m512i t, __m512i poly)
{
	return _mm512_xor_si512(_mm512_bslli_epi128(t, 4), _mm512_clmulepi64_epi128(_mm512_bsrli_epi128(t, 12), poly, 0x00));
}

/*
 * 8 registers (32 blocks) per iteration, rounds unrolled, keys in registers.
 * The tweak XORs fold into round 0 and the last round key
 * (vaesenclast(x, k ^ t)); tweaks advance by x^32 per iteration.
 */
Z_INLINE void xts_main(const __m512i *rk, const int nr, __m512i t[ZVEC], const uint8_t *in, uint8_t *out,
		       size_t nchunks, int enc)
{
	const __m512i poly = _mm512_set1_epi64(0x87);
	int j, r;

	for (; nchunks; nchunks--, in += 64 * ZVEC, out += 64 * ZVEC) {
		__m512i x[ZVEC];

#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			x[j] = _mm512_ternarylogic_epi64(ld4(in + 64 * j), t[j], rk[0], 0x96);
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < ZVEC; j++)
				x[j] = enc ? _mm512_aesenc_epi128(x[j], rk[r]) : _mm512_aesdec_epi128(x[j], rk[r]);
		}
#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++) {
			__m512i lk = _mm512_xor_si512(rk[nr], t[j]);

			st4(out + 64 * j, enc ? _mm512_aesenclast_epi128(x[j], lk) : _mm512_aesdeclast_epi128(x[j], lk));
			t[j] = mul_x32(t[j], poly);
		}
	}
}

Z_INLINE void xts_crypt_nr(const struct fscrypt_ext__aes_key *k, const int nr, uint8_t tweak[16], const uint8_t *in,
			   uint8_t *out, size_t nblocks, int enc)
{
	__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1], t[ZVEC];
	size_t nchunks = nblocks / ZCHUNK, rest = nblocks % ZCHUNK, j;
	FSCRYPT_EXT__ALIGN(64) uint8_t tws[ZVEC * 64];

	load_keys(rk, enc ? k->u.hw.enc : k->u.hw.dec, nr);
	first_tweaks(_mm_loadu_si128((const __m128i *)(const void *)tweak), t);
	xts_main(rk, nr, t, in, out, nchunks, enc);
	in += 16 * ZCHUNK * nchunks;
	out += 16 * ZCHUNK * nchunks;
	/* The tail: up to 4 blocks per register with masked loads and stores, tweaks from t[j]. */
	for (j = 0; 4 * j < rest; j++) {
		size_t nb = rest - 4 * j < 4 ? rest - 4 * j : 4;
		__mmask64 m = blocks_mask(nb);
		__m512i x = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, in + 64 * j), t[j]);

		x = _mm512_xor_si512(crypt1(rk, nr, x, enc), t[j]);
		_mm512_mask_storeu_epi8(out + 64 * j, m, x);
	}
	/* The tweak of the block after the last: lane (rest % 4) of register rest / 4. */
	for (j = 0; j < ZVEC; j++)
		_mm512_store_si512((void *)(tws + 64 * j), t[j]);
	memcpy(tweak, tws + 16 * rest, 16);
	wipe_keys(rk);
}

Z_INLINE void xts_crypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
			size_t nblocks, int enc)
{
	if (nblocks == 0)
		return;
	if (k->rounds == 14)
		xts_crypt_nr(k, 14, tweak, in, out, nblocks, enc);
	else if (k->rounds == 10)
		xts_crypt_nr(k, 10, tweak, in, out, nblocks, enc);
	else
		xts_crypt_nr(k, 12, tweak, in, out, nblocks, enc);
}

Z_TARGET static void z_xts_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
				   uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 1);
}

Z_TARGET static void z_xts_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in,
				   uint8_t *out, size_t nblocks)
{
	xts_crypt(k, tweak, in, out, nblocks, 0);
}

/* ---- ECB ---- */

Z_INLINE void ecb_nr(const struct fscrypt_ext__aes_key *k, const int nr, const uint8_t *in, uint8_t *out,
		     size_t nblocks, int enc)
{
	__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1];
	int j, r;

	load_keys(rk, enc ? k->u.hw.enc : k->u.hw.dec, nr);
	for (; nblocks >= ZCHUNK; nblocks -= ZCHUNK, in += 16 * ZCHUNK, out += 16 * ZCHUNK) {
		__m512i x[ZVEC];

#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			x[j] = _mm512_xor_si512(ld4(in + 64 * j), rk[0]);
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < ZVEC; j++)
				x[j] = enc ? _mm512_aesenc_epi128(x[j], rk[r]) : _mm512_aesdec_epi128(x[j], rk[r]);
		}
#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			st4(out + 64 * j, enc ? _mm512_aesenclast_epi128(x[j], rk[nr]) : _mm512_aesdeclast_epi128(x[j], rk[nr]));
	}
	for (; nblocks; in += 64, out += 64) {
		size_t nb = nblocks < 4 ? nblocks : 4;
		__mmask64 m = blocks_mask(nb);

		_mm512_mask_storeu_epi8(out, m, crypt1(rk, nr, _mm512_maskz_loadu_epi8(m, in), enc));
		nblocks -= nb;
	}
	wipe_keys(rk);
}

Z_INLINE void ecb_crypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks, int enc)
{
	if (nblocks == 0)
		return;
	if (k->rounds == 14)
		ecb_nr(k, 14, in, out, nblocks, enc);
	else if (k->rounds == 10)
		ecb_nr(k, 10, in, out, nblocks, enc);
	else
		ecb_nr(k, 12, in, out, nblocks, enc);
}

Z_TARGET static void z_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
				   size_t nblocks)
{
	ecb_crypt(k, in, out, nblocks, 1);
}

Z_TARGET static void z_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out,
				   size_t nblocks)
{
	ecb_crypt(k, in, out, nblocks, 0);
}

/* ---- CBC decryption ---- */

/* {prev, c0, c1, c2}: each block's chaining value, prev (in lane 3 of pv) before the register's first block. */
Z_INLINE __m512i chain_of(__m512i c, __m512i pv)
{
	return _mm512_alignr_epi64(c, pv, 6);
}

/*
 * 32 blocks per iteration. Every chaining value is loaded before the first
 * store, so in-place decryption reads only ciphertext; the XOR with it folds
 * into the last round key (vaesdeclast(x, k ^ c_prev)).
 */
Z_INLINE void cbc_dec_nr(const struct fscrypt_ext__aes_key *k, const int nr, uint8_t iv[16], const uint8_t *in,
			 uint8_t *out, size_t nblocks)
{
	__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1];
	__m512i pv = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)iv));
	int j, r;

	load_keys(rk, k->u.hw.dec, nr);
	for (; nblocks >= ZCHUNK; nblocks -= ZCHUNK, in += 16 * ZCHUNK, out += 16 * ZCHUNK) {
		__m512i x[ZVEC], p[ZVEC];

		x[0] = ld4(in);
		p[0] = chain_of(x[0], pv);
#pragma GCC unroll 8
		for (j = 1; j < ZVEC; j++) {
			x[j] = ld4(in + 64 * j);
			p[j] = ld4(in + 64 * j - 16);
		}
		pv = x[ZVEC - 1];
#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			x[j] = _mm512_xor_si512(x[j], rk[0]);
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 8
			for (j = 0; j < ZVEC; j++)
				x[j] = _mm512_aesdec_epi128(x[j], rk[r]);
		}
#pragma GCC unroll 8
		for (j = 0; j < ZVEC; j++)
			st4(out + 64 * j, _mm512_aesdeclast_epi128(x[j], _mm512_xor_si512(rk[nr], p[j])));
	}
	for (; nblocks; in += 64, out += 64) {
		size_t nb = nblocks < 4 ? nblocks : 4;
		__mmask64 m = blocks_mask(nb);
		__m512i c = _mm512_maskz_loadu_epi8(m, in);
		__m512i p = chain_of(c, pv);

		long long lo = 2 * (long long)nb - 2, hi = lo + 1;

		/* The next register's chaining value: this one's last block, in every lane (lane 3 is used). */
		pv = _mm512_permutexvar_epi64(_mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo), c);
		_mm512_mask_storeu_epi8(out, m, _mm512_xor_si512(crypt1(rk, nr, c, 0), p));
		nblocks -= nb;
	}
	_mm_storeu_si128((__m128i *)(void *)iv, _mm512_extracti32x4_epi32(pv, 3));
	wipe_keys(rk);
}

Z_TARGET static void z_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in,
				   uint8_t *out, size_t nblocks)
{
	if (nblocks == 0)
		return;
	if (k->rounds == 14)
		cbc_dec_nr(k, 14, iv, in, out, nblocks);
	else if (k->rounds == 10)
		cbc_dec_nr(k, 10, iv, in, out, nblocks);
	else
		cbc_dec_nr(k, 12, iv, in, out, nblocks);
}

/* ---- multi-stream CBC encryption ---- */

/* Lane l of the result is block `b` of stream l (4 streams per register). */
Z_INLINE __m512i gather4(const uint8_t *const *p, size_t b)
{
	__m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(const void *)(p[0] + 16 * b)));

	v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(const void *)(p[1] + 16 * b)), 1);
	v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(const void *)(p[2] + 16 * b)), 2);
	return _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(const void *)(p[3] + 16 * b)), 3);
}

Z_INLINE void scatter4(uint8_t *const *p, size_t b, __m512i v)
{
	_mm_storeu_si128((__m128i *)(void *)(p[0] + 16 * b), _mm512_extracti32x4_epi32(v, 0));
	_mm_storeu_si128((__m128i *)(void *)(p[1] + 16 * b), _mm512_extracti32x4_epi32(v, 1));
	_mm_storeu_si128((__m128i *)(void *)(p[2] + 16 * b), _mm512_extracti32x4_epi32(v, 2));
	_mm_storeu_si128((__m128i *)(void *)(p[3] + 16 * b), _mm512_extracti32x4_epi32(v, 3));
}

Z_INLINE __m512i ivs4(uint8_t (*ivs)[16])
{
	const uint8_t *p[4] = { ivs[0], ivs[1], ivs[2], ivs[3] };

	return gather4(p, 0);
}

/*
 * 4 * nv streams (nv registers of 4), all nblocks long. The chain carries
 * C ^ K0 ^ P_next: the next plaintext and round key 0 fold into the last
 * round key, so only AES rounds sit on each stream's serial path; nv
 * registers interleave to cover the round latency.
 */
Z_INLINE void cbc_multi_group(const __m512i *rk, const int nr, uint8_t (*ivs)[16], const uint8_t *const *in,
			      uint8_t *const *out, size_t nblocks, const int nv)
{
	__m512i x[4], pk;
	size_t b;
	int j, r;

	for (j = 0; j < nv; j++)
		x[j] = _mm512_ternarylogic_epi64(ivs4(ivs + 4 * j), rk[0], gather4(in + 4 * j, 0), 0x96);
	for (b = 0;; b++) {
#pragma GCC unroll 14
		for (r = 1; r < nr; r++) {
#pragma GCC unroll 4
			for (j = 0; j < nv; j++)
				x[j] = _mm512_aesenc_epi128(x[j], rk[r]);
		}
		if (b + 1 == nblocks)
			break;
#pragma GCC unroll 4
		for (j = 0; j < nv; j++) {
			pk = _mm512_xor_si512(rk[0], gather4(in + 4 * j, b + 1));
			x[j] = _mm512_aesenclast_epi128(x[j], _mm512_xor_si512(rk[nr], pk));
			scatter4(out + 4 * j, b, _mm512_xor_si512(x[j], pk));
		}
	}
	for (j = 0; j < nv; j++) {
		uint8_t *iv_out[4] = { ivs[4 * j], ivs[4 * j + 1], ivs[4 * j + 2], ivs[4 * j + 3] };

		x[j] = _mm512_aesenclast_epi128(x[j], rk[nr]);
		scatter4(out + 4 * j, b, x[j]);
		scatter4(iv_out, 0, x[j]);
	}
}

#define Z_CBC_MULTI(nv)                                                           \
	do {                                                                      \
		if (nr == 10)                                                     \
			cbc_multi_group(rk, 10, ivs, in, out, nblocks, nv);       \
		else if (nr == 14)                                                \
			cbc_multi_group(rk, 14, ivs, in, out, nblocks, nv);       \
		else                                                              \
			cbc_multi_group(rk, 12, ivs, in, out, nblocks, nv);       \
	} while (0)

Z_TARGET static void z_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					 const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	__m512i rk[FSCRYPT_EXT__AES_MAX_ROUNDS + 1];
	const int nr = (int)k->rounds;

	if (nblocks == 0 || n == 0)
		return;
	load_keys(rk, k->u.hw.enc, nr);
	for (; n >= 16; n -= 16, ivs += 16, in += 16, out += 16)
		Z_CBC_MULTI(4);
	if (n >= 8) {
		Z_CBC_MULTI(2);
		n -= 8, ivs += 8, in += 8, out += 8;
	}
	if (n >= 4) {
		Z_CBC_MULTI(1);
		n -= 4, ivs += 4, in += 4, out += 4;
	}
	for (; n; n--, ivs++, in++, out++)
		z_cbc_encrypt(k, ivs[0], in[0], out[0], nblocks);
	wipe_keys(rk);
}

/* Lane j of v, j a constant 0..3 (the extract needs an immediate). */
Z_INLINE __m128i z_lane(__m512i v, unsigned int j)
{
	switch (j) {
	case 0:
		return _mm512_castsi512_si128(v);
	case 1:
		return _mm512_extracti32x4_epi32(v, 1);
	case 2:
		return _mm512_extracti32x4_epi32(v, 2);
	default:
		return _mm512_extracti32x4_epi32(v, 3);
	}
}

/* Several AES-256 keys side by side, four per zmm register (lib/x86/aes_ks_multi.h). */
#define KSM_NAME z_expand_keys_256
#define KSM_TARGET Z_TARGET
#define KSM_VEC __m512i
#define KSM_LANES 4
#define KSM_NREG 4
#define KSM_XOR _mm512_xor_si512
#define KSM_SHUF _mm512_shuffle_epi8
#define KSM_BSLLI _mm512_bslli_epi128
#define KSM_ENCLAST _mm512_aesenclast_epi128
#define KSM_SET1_32(x) _mm512_set1_epi32((int)(x))
#define KSM_ZERO _mm512_setzero_si512
/* No wide AESIMC: AESDEC(AESENCLAST(x, 0), 0) = InvMixColumns(x) (the S-box and row shifts cancel). */
#define KSM_IMC(x) _mm512_aesdec_epi128(_mm512_aesenclast_epi128((x), _mm512_setzero_si512()), _mm512_setzero_si512())
#define KSM_LOAD(p, off)                                                                                         \
	_mm512_inserti32x4(                                                                                      \
		_mm512_inserti32x4(                                                                              \
			_mm512_inserti32x4(                                                                      \
				_mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(const void *)((p)[0] + (off)))), \
				_mm_loadu_si128((const __m128i *)(const void *)((p)[1] + (off))), 1),            \
			_mm_loadu_si128((const __m128i *)(const void *)((p)[2] + (off))), 2),                    \
		_mm_loadu_si128((const __m128i *)(const void *)((p)[3] + (off))), 3)
#define KSM_STORE_LANE(dst, v, j) _mm_store_si128((__m128i *)(void *)(dst), z_lane((v), (j)))
#include "x86/aes_ks_multi.h"

static int z_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_PCLMUL | FSCRYPT_EXT__CPU_AVX |
				  FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_VPCLMULQDQ |
				  FSCRYPT_EXT__CPU_AVX512;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__aes_impl fscrypt_ext__aes_vaes_avx512 = {
	.name = "vaes-avx512",
	.needs = FSCRYPT_EXT__CPU_AESNI | FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_AVX2 |
		 FSCRYPT_EXT__CPU_AVX512,
	.available = z_available,
	.expand_key = z_expand_key,
	.expand_key_enc = z_expand_key_enc,
	.ecb_encrypt = z_ecb_encrypt,
	.ecb_decrypt = z_ecb_decrypt,
	.cbc_encrypt = z_cbc_encrypt,
	.cbc_decrypt = z_cbc_decrypt,
	.xts_encrypt = z_xts_encrypt,
	.xts_decrypt = z_xts_decrypt,
	.cbc_encrypt_multi = z_cbc_encrypt_multi,
	.expand_keys_256 = z_expand_keys_256,
	.sched_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw),
	.sched_enc_bytes = sizeof(((struct fscrypt_ext__aes_key *)0)->u.hw.enc),
};

#endif
