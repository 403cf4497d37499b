/* Template: AES-256 key expansion of several independent keys at once, one key per 128-bit lane (included by the x86 AES backends). */
/*
 * The including file defines, for its vector width:
 *   KSM_NAME       the function to define
 *   KSM_TARGET     its target attribute
 *   KSM_VEC        the vector type; KSM_LANES 128-bit lanes (keys) per vector
 *   KSM_NREG       vectors expanded side by side (their chains interleave)
 *   KSM_XOR(a, b), KSM_SHUF(a, m) (PSHUFB within lanes), KSM_BSLLI(a, n)
 *   (byte shift left within lanes), KSM_ENCLAST(a, k), KSM_SET1_32(x),
 *   KSM_ZERO(), KSM_IMC(a) (InvMixColumns of every lane),
 *   KSM_LOAD(p) (lane j from p[j], 16 bytes, unaligned),
 *   KSM_STORE_LANE(dst, v, j) (lane j, j a constant, to 16-byte aligned dst).
 *
 * Each step of FIPS-197 5.2 needs SubWord (with RotWord and rcon every
 * other step) of the last word of the previous round key. AESKEYGENASSIST
 * does that for one key per instruction, with a long latency. Here a PSHUFB
 * copies that word (rotated where RotWord applies) into all four columns of
 * every lane; AESENCLAST with a zero round key is then SubBytes (ShiftRows
 * permutes bytes within rows across columns, a no-op on four equal columns),
 * so one wide AESENCLAST serves every key of a register. The schedules are
 * byte for byte those of the single expansion (lib/x86/aes_aesni.c), which
 * the tests check on random keys.
 */

#define KSM_GROUP (KSM_LANES * KSM_NREG)
#define KSM_CAT_(a, b) a##b
#define KSM_CAT(a, b) KSM_CAT_(a, b)
/* A PSHUFB mask that gives bytes b0..b3 of its lane in every column. */
#define KSM_SHUF_MASK(b0, b1, b2, b3) KSM_SET1_32((uint32_t)(b0) | (uint32_t)(b1) << 8 | (uint32_t)(b2) << 16 | (uint32_t)(b3) << 24)

/* w0, w0^w1, w0^w1^w2, w0^..^w3 in every lane, XORed with t. */
#define KSM_NEXT(prev, t) KSM_XOR(KSM_XOR(KSM_XOR((prev), KSM_BSLLI((prev), 4)), \
					  KSM_BSLLI(KSM_XOR((prev), KSM_BSLLI((prev), 4)), 8)), (t))

/*
 * Round key r of every valid key in v[]: enc[r], and for the keys that
 * decrypt dec[14 - r] (InvMixColumns except for the outer two keys, which
 * AESDEC/AESDECLAST use as they are). dec_bits has bit i set for group key
 * i that needs a decryption schedule; m keys of the group are real. full
 * (a constant at each call) promises m == KSM_GROUP and registers whose
 * lanes all decrypt or all do not, so no store needs a test.
 */
KSM_TARGET static inline __attribute__((always_inline)) void KSM_CAT(KSM_NAME, _put)(
	struct fscrypt_ext__aes_key *const *k, size_t m, uint32_t dec_bits, unsigned int r, const KSM_VEC v[KSM_NREG],
	int full)
{
#pragma GCC unroll 4
	for (unsigned int g = 0; g < KSM_NREG; g++) {
		uint32_t lanes = (UINT32_C(1) << KSM_LANES) - 1;
		uint32_t dec = (dec_bits >> (g * KSM_LANES)) & lanes;
		KSM_VEC d = v[g];

		if (!full && g * KSM_LANES >= m)
			break;
		if (dec != 0 && r != 0 && r != 14)
			d = KSM_IMC(v[g]);
#pragma GCC unroll 4
		for (unsigned int j = 0; j < KSM_LANES; j++) {
			size_t i = g * KSM_LANES + j;

			if (!full && i >= m)
				break;
			KSM_STORE_LANE(k[i]->u.hw.enc[r], v[g], j);
			if (full ? dec != 0 : ((dec >> j) & 1) != 0)
				KSM_STORE_LANE(k[i]->u.hw.dec[14 - r], d, j);
		}
	}
}

/* One group of up to KSM_GROUP keys (see _put for m, dec_bits, full). */
KSM_TARGET static inline __attribute__((always_inline)) void KSM_CAT(KSM_NAME, _group)(
	struct fscrypt_ext__aes_key *const *k, const uint8_t *const *src, size_t m, uint32_t dec_bits, int full)
{
	const KSM_VEC rot3 = KSM_SHUF_MASK(13, 14, 15, 12); /* RotWord(w3) in every column */
	const KSM_VEC sub3 = KSM_SHUF_MASK(12, 13, 14, 15); /* w3 in every column */
	const KSM_VEC zero = KSM_ZERO();
	KSM_VEC a[KSM_NREG], b[KSM_NREG];

#pragma GCC unroll 4
	for (unsigned int g = 0; g < KSM_NREG; g++) {
		a[g] = KSM_LOAD(src + g * KSM_LANES, 0);
		b[g] = KSM_LOAD(src + g * KSM_LANES, 16);
	}
	KSM_CAT(KSM_NAME, _put)(k, m, dec_bits, 0, a, full);
	KSM_CAT(KSM_NAME, _put)(k, m, dec_bits, 1, b, full);
	/* Unrolled: every schedule offset becomes a constant. */
#pragma GCC unroll 7
	for (unsigned int r = 2; r <= 14; r += 2) {
		const uint32_t rcon = UINT32_C(1) << (r / 2 - 1);

		/* Even round keys: SubWord(RotWord(w7)) ^ rcon; odd ones: SubWord(w3) of the new key. */
#pragma GCC unroll 4
		for (unsigned int g = 0; g < KSM_NREG; g++)
			a[g] = KSM_NEXT(a[g], KSM_XOR(KSM_ENCLAST(KSM_SHUF(b[g], rot3), zero), KSM_SET1_32(rcon)));
		KSM_CAT(KSM_NAME, _put)(k, m, dec_bits, r, a, full);
		if (r == 14)
			break;
#pragma GCC unroll 4
		for (unsigned int g = 0; g < KSM_NREG; g++)
			b[g] = KSM_NEXT(b[g], KSM_ENCLAST(KSM_SHUF(a[g], sub3), zero));
		KSM_CAT(KSM_NAME, _put)(k, m, dec_bits, r + 1, b, full);
	}
}

KSM_TARGET static void KSM_NAME(struct fscrypt_ext__aes_key *const *k, const uint8_t *const *key, size_t n,
				uint32_t enc_only)
{
	/* Padding for the lanes of a short last group: a public key whose schedule is never stored. */
	static const uint8_t pad_key[32];
	const uint32_t lanes = (UINT32_C(1) << KSM_LANES) - 1;

	for (size_t base = 0; base < n; base += KSM_GROUP) {
		size_t m = n - base < KSM_GROUP ? n - base : KSM_GROUP;
		uint32_t dec_bits = ~(enc_only >> base);
		const uint8_t *src[KSM_GROUP];
		int uniform = m == KSM_GROUP;

		for (size_t i = 0; i < KSM_GROUP; i++)
			src[i] = i < m ? key[base + i] : pad_key;
		for (unsigned int g = 0; g < KSM_NREG && uniform; g++) {
			uint32_t d = (dec_bits >> (g * KSM_LANES)) & lanes;

			uniform = d == 0 || d == lanes;
		}
		if (uniform)
			KSM_CAT(KSM_NAME, _group)(k + base, src, m, dec_bits, 1);
		else
			KSM_CAT(KSM_NAME, _group)(k + base, src, m, dec_bits, 0);
	}
}

#undef KSM_NEXT
#undef KSM_GROUP
#undef KSM_SHUF_MASK
#undef KSM_NAME
#undef KSM_TARGET
#undef KSM_VEC
#undef KSM_LANES
#undef KSM_NREG
#undef KSM_XOR
#undef KSM_SHUF
#undef KSM_BSLLI
#undef KSM_ENCLAST
#undef KSM_SET1_32
#undef KSM_ZERO
#undef KSM_IMC
#undef KSM_LOAD
#undef KSM_STORE_LANE
