/* HMAC-SHA512 (RFC 2104) on prepared ipad/opad chaining values, over the library's own SHA-512 (crypto/sha512.c). */
#include "hmac_sha512.h"
#include "crypto/sha512.h"

#define BLOCK FSCRYPT_EXT__SHA512_BLOCK

/*
 * The chaining values after the key block XORed with ipad / opad: every
 * message then costs its own blocks plus one outer compression, and a short
 * one (HKDF-Expand, spec section 4) exactly two (performance.md 3.5).
 */
struct hmac512_state {
	uint64_t inner[8], outer[8];
};

_Static_assert(sizeof(struct hmac512_state) <= sizeof(((struct fscrypt_ext__hmac512 *)0)->state),
	       "HMAC-SHA512 state does not fit struct fscrypt_ext__hmac512");

static void pad_state(uint64_t st[8], const uint8_t k[BLOCK], uint8_t pad)
{
	uint8_t b[BLOCK];

	for (int i = 0; i < BLOCK; i++)
		b[i] = k[i] ^ pad;
	memcpy(st, fscrypt_ext__sha512_iv, 8 * sizeof(uint64_t));
	fscrypt_ext__sha512_blocks(st, b, 1);
	fscrypt_ext__wipe(b, sizeof(b));
}

void fscrypt_ext__hmac512_init(struct fscrypt_ext__hmac512 *h, const uint8_t *key, size_t key_len)
{
	struct hmac512_state *s = (struct hmac512_state *)(void *)h->state;
	uint8_t k[BLOCK] = { 0 };

	if (key_len > BLOCK)
		fscrypt_ext__sha512(key, key_len, k);
	else if (key_len)
		memcpy(k, key, key_len);
	memset(h, 0, sizeof(*h));
	pad_state(s->inner, k, 0x36);
	pad_state(s->outer, k, 0x5c);
	fscrypt_ext__wipe(k, sizeof(k));
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

/* The outer block after the 64-byte inner digest: its padding and the bit count of 128 + 64 bytes (0x600). */
static const uint8_t outer_tail[BLOCK - FSCRYPT_EXT__HMAC512_LEN] = { [0] = 0x80, [62] = 0x06 };

void fscrypt_ext__hmac512_block(const struct fscrypt_ext__hmac512 *h, uint8_t b[BLOCK], size_t len,
				uint8_t out[FSCRYPT_EXT__HMAC512_LEN])
{
	const struct hmac512_state *s = (const struct hmac512_state *)(const void *)h->state;
	/* One dispatch lookup for both compressions. */
	const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_selected();
	void (*blocks)(uint64_t *, const uint8_t *, size_t) = impl->blocks;
	uint64_t st[8];
	int i;

	/* The caller zeroed b[len..128): only the 0x80 and the bit count to add. */
	b[len] = 0x80;
	store_be64(b + BLOCK - 8, (uint64_t)(BLOCK + len) << 3);
	if (impl->hmac_block != NULL) {
		/* Both compressions in one call: b keeps only the caller's message and padding, nothing of the hashes. */
		impl->hmac_block(s->inner, s->outer, b, out);
		return;
	}
	memcpy(st, s->inner, sizeof(st));
	blocks(st, b, 1);
	/* The outer message is the inner digest: it goes in the same block, followed by the constant tail. */
	for (i = 0; i < 8; i++)
		store_be64(b + 8 * i, st[i]);
	memcpy(b + FSCRYPT_EXT__HMAC512_LEN, outer_tail, sizeof(outer_tail));
	memcpy(st, s->outer, sizeof(st));
	blocks(st, b, 1);
	for (i = 0; i < 8; i++)
		store_be64(out + 8 * i, st[i]);
	fscrypt_ext__wipe_inline(st, sizeof(st));
	/* Only the inner digest is left in b (the tail is constant). */
	fscrypt_ext__wipe_inline(b, FSCRYPT_EXT__HMAC512_LEN);
}

/* The outer hash: H(opad block || inner digest), one compression from the prepared state. */
static void outer(const struct hmac512_state *s, uint8_t b[BLOCK], uint8_t out[FSCRYPT_EXT__HMAC512_LEN])
{
	uint64_t st[8];

	fscrypt_ext__sha512_pad_block(b, FSCRYPT_EXT__HMAC512_LEN, BLOCK + FSCRYPT_EXT__HMAC512_LEN);
	memcpy(st, s->outer, sizeof(st));
	fscrypt_ext__sha512_blocks(st, b, 1);
	fscrypt_ext__sha512_digest(st, out);
	fscrypt_ext__wipe(st, sizeof(st));
}

void fscrypt_ext__hmac512_parts(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *parts,
				const size_t *lens, size_t n, uint8_t out[FSCRYPT_EXT__HMAC512_LEN])
{
	const struct hmac512_state *s = (const struct hmac512_state *)(const void *)h->state;
	uint8_t b[BLOCK];
	size_t total = 0, i;

	for (i = 0; i < n; i++)
		total += lens[i];
	if (total <= FSCRYPT_EXT__HMAC512_SHORT_MAX) {
		/* One block (HKDF-Extract of a short key, the T(i) of long HKDF outputs): both hashes at once. */
		uint8_t m[BLOCK] = { 0 };
		size_t off = 0;

		for (i = 0; i < n; i++) {
			if (lens[i])
				memcpy(m + off, parts[i], lens[i]);
			off += lens[i];
		}
		fscrypt_ext__hmac512_block(h, m, total, out);
		/* The message may be secret (an extract's key material). */
		fscrypt_ext__wipe(m, sizeof(m));
		return;
	}
	{
		struct fscrypt_ext__sha512_ctx c;

		fscrypt_ext__sha512_init_from(&c, s->inner, BLOCK);
		for (i = 0; i < n; i++)
			if (lens[i])
				fscrypt_ext__sha512_update(&c, parts[i], lens[i]);
		fscrypt_ext__sha512_final(&c, b); /* wipes c */
	}
	/* b[0..64) is the inner digest. */
	outer(s, b, out);
	fscrypt_ext__wipe(b, sizeof(b));
}

/*
 * Fewest live lanes for which one call of the backend's HMAC kernel (both
 * compressions of every lane) beats the single-stream path. Measured on
 * Zen 5: an AVX-512 x8 call costs about one single-stream HMAC (two
 * compressions and the padding), an AVX2 x4 call about two.
 */
static size_t hmac_min_live(const struct fscrypt_ext__sha512_impl *impl)
{
	return impl->lanes >= 8 ? 2 : 3;
}

/* Up to impl->lanes short messages, read in place, through the backend's HMAC kernel. */
static void hmac512_lanes(const struct fscrypt_ext__sha512_impl *impl, const struct hmac512_state *s,
			  const uint8_t *const *msgs, const size_t *lens, size_t n, uint8_t (*out)[FSCRYPT_EXT__HMAC512_LEN])
{
	static const uint8_t empty[1];
	uint8_t spare[FSCRYPT_EXT__HMAC512_LEN];
	const uint8_t *p[FSCRYPT_EXT__SHA512_MAX_LANES];
	size_t len[FSCRYPT_EXT__SHA512_MAX_LANES];
	uint8_t *o[FSCRYPT_EXT__SHA512_MAX_LANES];
	size_t i;

	for (i = 0; i < n; i++) {
		/* A zero-length message may come as NULL. */
		p[i] = lens[i] ? msgs[i] : empty;
		len[i] = lens[i];
		o[i] = out[i];
	}
	/* Idle lanes hash an empty message into a spare output. */
	for (; i < impl->lanes; i++) {
		p[i] = empty;
		len[i] = 0;
		o[i] = spare;
	}
	impl->hmac_multi(s->inner, s->outer, p, len, o);
	if (n < impl->lanes)
		fscrypt_ext__wipe(spare, sizeof(spare));
}

/* Up to FSCRYPT_EXT__SHA512_MAX_LANES short messages: both hashes run as one multi-stream call each. */
static void hmac512_group(const struct hmac512_state *s, const uint8_t *const *msgs, const size_t *lens, size_t n,
			  uint8_t (*out)[FSCRYPT_EXT__HMAC512_LEN])
{
	const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_selected();
	uint8_t b[FSCRYPT_EXT__SHA512_MAX_LANES][BLOCK];
	uint64_t st[FSCRYPT_EXT__SHA512_MAX_LANES][8];
	const uint8_t *p[FSCRYPT_EXT__SHA512_MAX_LANES] = { NULL };
	size_t i;

	if (impl->hmac_multi != NULL && n >= hmac_min_live(impl)) {
		for (; n >= hmac_min_live(impl); msgs += i, lens += i, out += i, n -= i) {
			i = n < impl->lanes ? n : impl->lanes;
			hmac512_lanes(impl, s, msgs, lens, i, out);
		}
		/* hmac512_lanes is inlined or not: either way its callee's frame lies below this one's. */
		fscrypt_ext__sha512_wipe_kernel_stack();
		if (n == 0)
			return;
	}
	for (i = 0; i < n; i++) {
		if (lens[i])
			memcpy(b[i], msgs[i], lens[i]);
		fscrypt_ext__sha512_pad_block(b[i], lens[i], BLOCK + lens[i]);
		memcpy(st[i], s->inner, sizeof(st[i]));
		p[i] = b[i];
	}
	fscrypt_ext__sha512_blocks_n(st, p, 1, n);
	for (i = 0; i < n; i++) {
		fscrypt_ext__sha512_digest(st[i], b[i]);
		fscrypt_ext__sha512_pad_block(b[i], FSCRYPT_EXT__HMAC512_LEN, BLOCK + FSCRYPT_EXT__HMAC512_LEN);
		memcpy(st[i], s->outer, sizeof(st[i]));
	}
	fscrypt_ext__sha512_blocks_n(st, p, 1, n);
	for (i = 0; i < n; i++)
		fscrypt_ext__sha512_digest(st[i], out[i]);
	fscrypt_ext__wipe(b, n * BLOCK);
	fscrypt_ext__wipe(st, sizeof(st));
}

void fscrypt_ext__hmac512_n(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *msgs, const size_t *lens,
			    size_t n, uint8_t (*out)[FSCRYPT_EXT__HMAC512_LEN])
{
	const struct hmac512_state *s = (const struct hmac512_state *)(const void *)h->state;

	while (n) {
		size_t g = 0;

		/* The longest run of short messages, at most one multi-buffer width. */
		while (g < n && g < FSCRYPT_EXT__SHA512_MAX_LANES && lens[g] <= FSCRYPT_EXT__HMAC512_SHORT_MAX)
			g++;
		if (g == 0) {
			fscrypt_ext__hmac512_parts(h, msgs, lens, 1, out[0]);
			g = 1;
		} else {
			hmac512_group(s, msgs, lens, g, out);
		}
		msgs += g, lens += g, out += g, n -= g;
	}
}
