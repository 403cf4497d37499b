/* Internal SHA-512 (FIPS 180-4): compression backends (portable, BMI2, multi-buffer AVX2/AVX-512, ARMv8.2) and whole messages. */
#ifndef FSCRYPT_EXT_CRYPTO_SHA512_H
#define FSCRYPT_EXT_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define FSCRYPT_EXT__SHA512_BLOCK 128
#define FSCRYPT_EXT__SHA512_LEN 64
/* Most streams one multi-buffer call hashes at once (the AVX-512 width). */
#define FSCRYPT_EXT__SHA512_MAX_LANES 8

/* The 80 round constants and the initial hash value (FIPS 180-4 section 4.2.3 / 5.3.5). */
extern const uint64_t fscrypt_ext__sha512_k[80];
extern const uint64_t fscrypt_ext__sha512_iv[8];

/*
 * One SHA-512 backend.
 * blocks: nblocks whole 128-byte blocks into one chaining value h.
 * blocks_multi (optional, NULL when lanes == 1): `lanes` independent streams,
 * stream i's chaining value h[i] over nblocks blocks at data[i]; every stream
 * has the same block count.
 */
struct fscrypt_ext__sha512_impl {
	const char *name;     /* "portable", "bmi2", "avx2-asm", "avx512-asm", "avx2-x4", "avx512-x8", "armv8-sha512" */
	unsigned int needs;   /* FSCRYPT_EXT__CPU_* bits it uses (the dispatch's profiles filter on them) */
	int (*available)(void);
	void (*blocks)(uint64_t h[8], const uint8_t *data, size_t nblocks);
	unsigned int lanes;
	void (*blocks_multi)(uint64_t (*h)[8], const uint8_t *const *data, size_t nblocks);
	/*
	 * Optional (NULL: two calls of blocks): out = the digest of one padded
	 * block hashed from inner, then of that digest (padded) hashed from
	 * outer, i.e. HMAC of a short message from its prepared pad states.
	 */
	void (*hmac_block)(const uint64_t inner[8], const uint64_t outer[8], const uint8_t block[FSCRYPT_EXT__SHA512_BLOCK],
			   uint8_t out[FSCRYPT_EXT__SHA512_LEN]);
	/*
	 * Optional (NULL without blocks_multi): `lanes` HMAC-SHA512s under one
	 * key of messages that fit one block after the key block (lens[i] <=
	 * 111). inner/outer are the chaining values after the ipad/opad blocks,
	 * msgs[i] stream i's message (read in place: no bytes past lens[i]),
	 * out[i] its 64-byte MAC. Both compressions in one call, the padding made
	 * and the inner digest kept in registers.
	 */
	void (*hmac_multi)(const uint64_t inner[8], const uint64_t outer[8], const uint8_t *const *msgs,
			   const size_t *lens, uint8_t *const *out);
};

/* The table lives in crypto/dispatch.c, best first; the portable one is last and always available. */
extern const struct fscrypt_ext__sha512_impl *const fscrypt_ext__sha512_impls[];
extern const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_portable;

/* The backend in use: the dispatch's choice (crypto/dispatch.c; FSCRYPT_EXT_BACKEND profiles or sha512=NAME). */
const struct fscrypt_ext__sha512_impl *fscrypt_ext__sha512_selected(void);
/* The compiled-in backend with this name, or NULL. */
const struct fscrypt_ext__sha512_impl *fscrypt_ext__sha512_find(const char *name);
/* Makes impl (runnable here) the dispatch's SHA-512; NULL the best runnable one (tests). */
void fscrypt_ext__sha512_select(const struct fscrypt_ext__sha512_impl *impl);

/* The single-stream compression of the selected backend. */
void fscrypt_ext__sha512_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks);

/*
 * n independent streams of nblocks blocks each: h[i] over data[i]. Runs the
 * multi-buffer compression in groups of its width (short groups padded with
 * a dummy stream when that is cheaper than the single-stream path).
 */
void fscrypt_ext__sha512_blocks_n(uint64_t (*h)[8], const uint8_t *const *data, size_t nblocks, size_t n);

/*
 * Zeroes the stack just below the caller's frame, where a multi-buffer
 * kernel it called kept chaining values and message words (register
 * spills and the feed-forward copies no named wipe reaches): 4 KiB, more
 * than either kernel's frame. Call it from the function that called the
 * kernel, after the last call.
 */
#define FSCRYPT_EXT__SHA512_KERNEL_STACK 4096
void fscrypt_ext__sha512_wipe_kernel_stack(void);

/* Streaming hash for messages of any length (HMAC keys and messages over one block). */
struct fscrypt_ext__sha512_ctx {
	uint64_t h[8];
	uint64_t total; /* bytes so far (messages here stay below 2^61 bytes) */
	size_t fill;
	uint8_t buf[FSCRYPT_EXT__SHA512_BLOCK];
};

void fscrypt_ext__sha512_init(struct fscrypt_ext__sha512_ctx *c);
/* Starts from a chaining value after `done` bytes (a multiple of 128): the HMAC pad states. */
void fscrypt_ext__sha512_init_from(struct fscrypt_ext__sha512_ctx *c, const uint64_t h[8], uint64_t done);
void fscrypt_ext__sha512_update(struct fscrypt_ext__sha512_ctx *c, const uint8_t *data, size_t len);
/* Writes the digest and wipes the context. */
void fscrypt_ext__sha512_final(struct fscrypt_ext__sha512_ctx *c, uint8_t out[FSCRYPT_EXT__SHA512_LEN]);
void fscrypt_ext__sha512(const uint8_t *data, size_t len, uint8_t out[FSCRYPT_EXT__SHA512_LEN]);

/*
 * The last block of a message whose final len (<= 111) bytes are already in
 * b: appends the padding and the bit count of total bytes. One compression
 * follows; HMAC over short messages uses this instead of the streaming API.
 */
void fscrypt_ext__sha512_pad_block(uint8_t b[FSCRYPT_EXT__SHA512_BLOCK], size_t len, uint64_t total);
/* The big-endian digest of a chaining value. */
void fscrypt_ext__sha512_digest(const uint64_t h[8], uint8_t out[FSCRYPT_EXT__SHA512_LEN]);

#endif
