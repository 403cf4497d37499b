/* Multi-buffer SHA-512 with AVX-512: eight streams per zmm register, native 64-bit rotates (vprorq) and 3-input logic (vpternlogq). */
#if defined(FSCRYPT_EXT_HAVE_SHA512_X86)

#include <immintrin.h>

#include "cpu.h"
#include "x86/sha512_x86.h"

#define MB_T __m512i
#define MB_LANES 8
#define MB_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx2")))
#define MB_NAME sha512_avx512_x8
#define MB_FIX sha512_avx512_x8_fix
#define MB_HMAC_NAME hmac512_avx512_x8
#define MB_PIN_ORDER 1
#define MB_ADD(a, b) _mm512_add_epi64((a), (b))
#define MB_XOR(a, b) _mm512_xor_si512((a), (b))
/*
 * vpternlogq truth tables (bit index = 4a + 2b + c): 0x96 a ^ b ^ c, 0xca
 * a ? b : c (Ch), 0xe8 majority. (Ch as ((f ^ g) & e) ^ g with the fresh
 * XOR as the overwritten operand, to spare the register copy, measured
 * 8% slower: the copy is eliminated at rename.)
 */
#define MB_XOR3(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0x96)
#define MB_ROR(x, n) _mm512_ror_epi64((x), (n))
#define MB_SIGMA1(e) MB_XOR3(MB_ROR((e), 14), MB_ROR((e), 18), MB_ROR((e), 41))
#define MB_SIGMA0(a) MB_XOR3(MB_ROR((a), 28), MB_ROR((a), 34), MB_ROR((a), 39))
#define MB_SSIG0(x) MB_XOR3(MB_ROR((x), 1), MB_ROR((x), 8), _mm512_srli_epi64((x), 7))
#define MB_SSIG1(x) MB_XOR3(MB_ROR((x), 19), MB_ROR((x), 61), _mm512_srli_epi64((x), 6))
#define MB_CH(e, f, g) _mm512_ternarylogic_epi64((e), (f), (g), 0xca)
#define MB_MAJ(a, b, c, ab, bc) ((void)(ab), (void)(bc), _mm512_ternarylogic_epi64((a), (b), (c), 0xe8))
#define MB_SET1(k) _mm512_set1_epi64((long long)(k))

/*
 * 8x8 transpose of 64-bit words: r[l] holds 8 words of lane l in, c[i]
 * word i of every lane out (its own inverse). Pairs, then quads, then
 * halves: 24 shuffles instead of 64 scalar loads and stores per direction.
 */
MB_TARGET static inline void transpose8(__m512i c[8], const __m512i r[8])
{
	const __m512i q0 = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), q1 = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
	const __m512i h0 = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), h1 = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
	/* t0: words 0 2 4 6 of lanes 0, 1 interleaved; t1: words 1 3 5 7; t2, t3 lanes 2, 3; ... */
	__m512i t0 = _mm512_unpacklo_epi64(r[0], r[1]), t1 = _mm512_unpackhi_epi64(r[0], r[1]);
	__m512i t2 = _mm512_unpacklo_epi64(r[2], r[3]), t3 = _mm512_unpackhi_epi64(r[2], r[3]);
	__m512i t4 = _mm512_unpacklo_epi64(r[4], r[5]), t5 = _mm512_unpackhi_epi64(r[4], r[5]);
	__m512i t6 = _mm512_unpacklo_epi64(r[6], r[7]), t7 = _mm512_unpackhi_epi64(r[6], r[7]);
	/* u0: words 0, 4 of lanes 0..3; u1: words 2, 6; u2: 1, 5; u3: 3, 7; u4..u7 the same for lanes 4..7. */
	__m512i u0 = _mm512_permutex2var_epi64(t0, q0, t2), u1 = _mm512_permutex2var_epi64(t0, q1, t2);
	__m512i u2 = _mm512_permutex2var_epi64(t1, q0, t3), u3 = _mm512_permutex2var_epi64(t1, q1, t3);
	__m512i u4 = _mm512_permutex2var_epi64(t4, q0, t6), u5 = _mm512_permutex2var_epi64(t4, q1, t6);
	__m512i u6 = _mm512_permutex2var_epi64(t5, q0, t7), u7 = _mm512_permutex2var_epi64(t5, q1, t7);

	c[0] = _mm512_permutex2var_epi64(u0, h0, u4);
	c[4] = _mm512_permutex2var_epi64(u0, h1, u4);
	c[2] = _mm512_permutex2var_epi64(u1, h0, u5);
	c[6] = _mm512_permutex2var_epi64(u1, h1, u5);
	c[1] = _mm512_permutex2var_epi64(u2, h0, u6);
	c[5] = _mm512_permutex2var_epi64(u2, h1, u6);
	c[3] = _mm512_permutex2var_epi64(u3, h0, u7);
	c[7] = _mm512_permutex2var_epi64(u3, h1, u7);
}

/* Constant indices throughout (no loops over lanes): the compiler keeps the rows in registers. */
#define MB_EACH8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

#define MB_LOAD_STATE(s, st)                                                                                        \
	do {                                                                                                       \
		uint64_t(*st_)[8] = (st);                                                                          \
		__m512i r_[8];                                                                                     \
		MB_EACH8(MB_LOAD_STATE_ROW_)                                                                       \
		transpose8((s), r_);                                                                               \
	} while (0)
#define MB_LOAD_STATE_ROW_(l) r_[l] = _mm512_loadu_si512((const void *)st_[l]);

#define MB_STORE_STATE(st, s)                                                                                       \
	do {                                                                                                       \
		uint64_t(*st_)[8] = (st);                                                                          \
		__m512i r_[8];                                                                                     \
		transpose8(r_, (s));                                                                               \
		MB_EACH8(MB_STORE_STATE_ROW_)                                                                      \
	} while (0)
#define MB_STORE_STATE_ROW_(l) _mm512_storeu_si512((void *)st_[l], r_[l]);

/* Big-endian words: a byte reversal inside every 64-bit word. */
#define MB_BSWAP64 _mm512_set4_epi64(0x08090a0b0c0d0e0fLL, 0x0001020304050607LL, 0x08090a0b0c0d0e0fLL, 0x0001020304050607LL)

#define MB_LOAD_MSG(w, data, off)                                                                                   \
	do {                                                                                                       \
		const __m512i bs_ = MB_BSWAP64;                                                                    \
		__m512i r_[8];                                                                                     \
		const uint8_t *const *d_ = (data);                                                                 \
		size_t o_ = (off);                                                                                 \
		MB_EACH8(MB_LOAD_MSG_ROW_)                                                                         \
		transpose8((w), r_);                                                                               \
		o_ += 64;                                                                                          \
		MB_EACH8(MB_LOAD_MSG_ROW_)                                                                         \
		transpose8((w) + 8, r_);                                                                           \
	} while (0)
#define MB_LOAD_MSG_ROW_(l) r_[l] = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(d_[l] + o_)), bs_);

/*
 * The padded inner block of an HMAC message of len <= 111 bytes, built in
 * registers: byte-masked loads (which neither read nor fault past len),
 * 0x80 at byte len, the bit count of key block + message in word 15. A
 * block assembled in memory instead would be read back right after its
 * narrow stores, which the CPU cannot forward (measured: +20 ns per key).
 */
#define MB_LOAD_HMAC_MSG(w, msgs, lens)                                                                             \
	do {                                                                                                       \
		const __m512i bs_ = MB_BSWAP64, pad_ = _mm512_set1_epi8((char)0x80);                               \
		const uint8_t *const *m_ = (msgs);                                                                 \
		const size_t *n_ = (lens);                                                                         \
		__m512i r_[8], q_[8];                                                                              \
		MB_EACH8(MB_LOAD_HMAC_ROW_)                                                                        \
		transpose8((w), r_);                                                                               \
		transpose8((w) + 8, q_);                                                                           \
	} while (0)
#define MB_LOAD_HMAC_ROW_(l)                                                                                        \
	{                                                                                                          \
		size_t len_ = n_[l];                                                                               \
		__mmask64 lo_ = len_ >= 64 ? ~0ULL : (1ULL << len_) - 1;                                           \
		__mmask64 hi_ = len_ > 64 ? (1ULL << (len_ - 64)) - 1 : 0;                                         \
		__m512i a_ = _mm512_maskz_loadu_epi8(lo_, (const void *)m_[l]);                                   \
		__m512i b_ = _mm512_maskz_loadu_epi8(hi_, (const void *)(m_[l] + (len_ > 64 ? 64 : 0)));          \
		if (len_ < 64)                                                                                     \
			a_ = _mm512_mask_mov_epi8(a_, 1ULL << len_, pad_);                                         \
		else                                                                                               \
			b_ = _mm512_mask_mov_epi8(b_, 1ULL << (len_ - 64), pad_);                                  \
		r_[l] = _mm512_shuffle_epi8(a_, bs_);                                                              \
		q_[l] = _mm512_mask_mov_epi64(_mm512_shuffle_epi8(b_, bs_), 0x80,                                  \
					      _mm512_set1_epi64((long long)((FSCRYPT_EXT__SHA512_BLOCK + len_) * 8))); \
	}

#define MB_STORE_DIGEST(out, s)                                                                                     \
	do {                                                                                                       \
		const __m512i bs_ = MB_BSWAP64;                                                                    \
		uint8_t *const *out_ = (out);                                                                      \
		__m512i r_[8];                                                                                     \
		transpose8(r_, (s));                                                                               \
		MB_EACH8(MB_STORE_DIGEST_ROW_)                                                                     \
	} while (0)
#define MB_STORE_DIGEST_ROW_(l) _mm512_storeu_si512((void *)out_[l], _mm512_shuffle_epi8(r_[l], bs_));

#include "x86/sha512_mb_template.h"

static int avx512_available(void)
{
	const unsigned int need = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512 |
				  FSCRYPT_EXT__CPU_BMI2;

	return (fscrypt_ext__cpu_features() & need) == need;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx512 = {
	.name = "avx512-x8",
	.needs = FSCRYPT_EXT__CPU_AVX | FSCRYPT_EXT__CPU_AVX2 | FSCRYPT_EXT__CPU_AVX512 | FSCRYPT_EXT__CPU_BMI2,
	.available = avx512_available,
	.blocks = FSCRYPT_EXT__SHA512_AVX512_ONE_STREAM,
	.hmac_block = FSCRYPT_EXT__SHA512_AVX512_HMAC,
	.lanes = 8,
	.blocks_multi = sha512_avx512_x8,
	.hmac_multi = hmac512_avx512_x8,
};

#endif
