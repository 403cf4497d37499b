/* SHA-512: round constants, the portable compression, the dispatch accessors, streaming and padding helpers. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"
#include "crypto/dispatch.h"
#include "crypto/sha512.h"
#include "crypto/sha512_scalar.h"

/* First 64 bits of the fractional parts of the cube roots of the first 80 primes. */
const uint64_t fscrypt_ext__sha512_k[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
	0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL
};

/* First 64 bits of the fractional parts of the square roots of the first 8 primes. */
const uint64_t fscrypt_ext__sha512_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL
};

static void portable_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	sha512_scalar_blocks(h, data, nblocks);
}

static int always(void)
{
	return 1;
}

const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_portable = {
	.name = "portable",
	.needs = 0,
	.available = always,
	.blocks = portable_blocks,
	.lanes = 1,
	.blocks_multi = NULL,
};

/* ---- backend choice: a row of the one dispatch (crypto/dispatch.c) ---- */

const struct fscrypt_ext__sha512_impl *fscrypt_ext__sha512_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; fscrypt_ext__sha512_impls[i] != NULL; i++)
		if (strcmp(fscrypt_ext__sha512_impls[i]->name, name) == 0)
			return fscrypt_ext__sha512_impls[i];
	return NULL;
}

const struct fscrypt_ext__sha512_impl *fscrypt_ext__sha512_selected(void)
{
	return fscrypt_ext__dispatch()->sha512;
}

void fscrypt_ext__sha512_select(const struct fscrypt_ext__sha512_impl *impl)
{
	char spec[64];
	size_t i = 0;

	if (impl == NULL) {
		while (fscrypt_ext__sha512_impls[i + 1] != NULL && !fscrypt_ext__sha512_impls[i]->available())
			i++;
		impl = fscrypt_ext__sha512_impls[i];
	}
	snprintf(spec, sizeof(spec), "sha512=%s", impl->name);
	(void)fscrypt_ext__dispatch_force(spec);
}

void fscrypt_ext__sha512_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	fscrypt_ext__sha512_selected()->blocks(h, data, nblocks);
}

/*
 * A multi-buffer call costs the same whatever the number of live lanes:
 * measured on Zen 5 (December 2026), a whole AVX-512 x8 call about 1.1
 * single-stream (BMI2) compressions and an AVX2 x4 call about 2.3. A short
 * group of at least this many streams goes through it, padded with dummy
 * lanes.
 */
static size_t min_group(const struct fscrypt_ext__sha512_impl *impl)
{
	return impl->lanes >= 8 ? 2 : 3;
}

__attribute__((noinline)) void fscrypt_ext__sha512_wipe_kernel_stack(void)
{
	uint8_t area[FSCRYPT_EXT__SHA512_KERNEL_STACK];

	fscrypt_ext__wipe(area, sizeof(area));
	__asm__ volatile("" : : "r"(area) : "memory");
}

void fscrypt_ext__sha512_blocks_n(uint64_t (*h)[8], const uint8_t *const *data, size_t nblocks, size_t n)
{
	const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_selected();
	size_t lanes = impl->lanes;
	bool multi = false;

	if (impl->blocks_multi != NULL) {
		for (; n >= lanes; n -= lanes, h += lanes, data += lanes, multi = true)
			impl->blocks_multi(h, data, nblocks);
		if (n >= min_group(impl)) {
			uint64_t hh[FSCRYPT_EXT__SHA512_MAX_LANES][8];
			const uint8_t *dd[FSCRYPT_EXT__SHA512_MAX_LANES];
			size_t i;

			for (i = 0; i < lanes; i++) {
				/* Dummy lanes rehash stream 0's input and are dropped. */
				memcpy(hh[i], h[i < n ? i : 0], sizeof(hh[i]));
				dd[i] = data[i < n ? i : 0];
			}
			impl->blocks_multi(hh, dd, nblocks);
			for (i = 0; i < n; i++)
				memcpy(h[i], hh[i], sizeof(hh[i]));
			fscrypt_ext__wipe(hh, sizeof(hh));
			n = 0;
			multi = true;
		}
	}
	for (; n; n--, h++, data++)
		impl->blocks(*h, *data, nblocks);
	if (multi)
		fscrypt_ext__sha512_wipe_kernel_stack();
}

/* ---- whole messages ---- */

static void put_be64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

void fscrypt_ext__sha512_digest(const uint64_t h[8], uint8_t out[FSCRYPT_EXT__SHA512_LEN])
{
	for (int i = 0; i < 8; i++)
		put_be64(out + 8 * i, h[i]);
}

void fscrypt_ext__sha512_pad_block(uint8_t b[FSCRYPT_EXT__SHA512_BLOCK], size_t len, uint64_t total)
{
	b[len] = 0x80;
	memset(b + len + 1, 0, FSCRYPT_EXT__SHA512_BLOCK - len - 1);
	/* The 128-bit big-endian bit count; its high half is zero below 2^61 bytes. */
	put_be64(b + FSCRYPT_EXT__SHA512_BLOCK - 8, total << 3);
}

void fscrypt_ext__sha512_init_from(struct fscrypt_ext__sha512_ctx *c, const uint64_t h[8], uint64_t done)
{
	memcpy(c->h, h, sizeof(c->h));
	c->total = done;
	c->fill = 0;
}

void fscrypt_ext__sha512_init(struct fscrypt_ext__sha512_ctx *c)
{
	fscrypt_ext__sha512_init_from(c, fscrypt_ext__sha512_iv, 0);
}

void fscrypt_ext__sha512_update(struct fscrypt_ext__sha512_ctx *c, const uint8_t *data, size_t len)
{
	const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_selected();

	c->total += len;
	if (c->fill) {
		size_t take = FSCRYPT_EXT__SHA512_BLOCK - c->fill < len ? FSCRYPT_EXT__SHA512_BLOCK - c->fill : len;

		memcpy(c->buf + c->fill, data, take);
		c->fill += take, data += take, len -= take;
		if (c->fill < FSCRYPT_EXT__SHA512_BLOCK)
			return;
		impl->blocks(c->h, c->buf, 1);
		c->fill = 0;
	}
	if (len >= FSCRYPT_EXT__SHA512_BLOCK) {
		size_t n = len / FSCRYPT_EXT__SHA512_BLOCK;

		impl->blocks(c->h, data, n);
		data += n * FSCRYPT_EXT__SHA512_BLOCK, len -= n * FSCRYPT_EXT__SHA512_BLOCK;
	}
	if (len)
		memcpy(c->buf, data, len);
	c->fill = len;
}

void fscrypt_ext__sha512_final(struct fscrypt_ext__sha512_ctx *c, uint8_t out[FSCRYPT_EXT__SHA512_LEN])
{
	const struct fscrypt_ext__sha512_impl *impl = fscrypt_ext__sha512_selected();

	if (c->fill > FSCRYPT_EXT__SHA512_BLOCK - 17) {
		/* No room for the length: the padding spills into one more block. */
		c->buf[c->fill] = 0x80;
		memset(c->buf + c->fill + 1, 0, FSCRYPT_EXT__SHA512_BLOCK - c->fill - 1);
		impl->blocks(c->h, c->buf, 1);
		memset(c->buf, 0, FSCRYPT_EXT__SHA512_BLOCK);
		put_be64(c->buf + FSCRYPT_EXT__SHA512_BLOCK - 8, c->total << 3);
	} else {
		fscrypt_ext__sha512_pad_block(c->buf, c->fill, c->total);
	}
	impl->blocks(c->h, c->buf, 1);
	fscrypt_ext__sha512_digest(c->h, out);
	fscrypt_ext__wipe(c, sizeof(*c));
}

void fscrypt_ext__sha512(const uint8_t *data, size_t len, uint8_t out[FSCRYPT_EXT__SHA512_LEN])
{
	struct fscrypt_ext__sha512_ctx c;

	fscrypt_ext__sha512_init(&c);
	fscrypt_ext__sha512_update(&c, data, len);
	fscrypt_ext__sha512_final(&c, out);
}
