/* HMAC-SHA512 on prepared ipad/opad states, on OpenSSL's SHA-512 block function (libsodium where that is absent). */
#include "hmac_sha512.h"

/*
 * OpenSSL's low-level SHA-512 (SHA512_Transform) is deprecated since 3.0 but
 * present in every 3.x build unless configured with no-deprecated. Its block
 * function is assembly (AVX2/BMI2 on x86-64, NEON/SHA512 on arm64), about
 * about twice libsodium's portable C per compression (measured with `fscrypt-ext bench`),
 * and it lets a short HMAC cost exactly its two compressions: no padding
 * logic or length bookkeeping per call (HKDF expand, hkdf.c).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/opensslv.h>
#include <openssl/opensslconf.h>

#if OPENSSL_VERSION_MAJOR == 3 && !defined(OPENSSL_NO_DEPRECATED_3_0)
#define HMAC512_OPENSSL 1
#include <openssl/sha.h>
#else
#include <sodium.h>
#endif

#define SHA512_BLOCK 128

#if defined(HMAC512_OPENSSL)

struct hmac512_state {
	SHA512_CTX inner, outer;
};

_Static_assert(sizeof(struct hmac512_state) <= sizeof(((struct fscrypt_ext__hmac512 *)0)->state),
	       "SHA512_CTX pair does not fit struct fscrypt_ext__hmac512");

static inline void put_be64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "unknown byte order"
#endif
	memcpy(p, &v, 8);
}

static void digest_out(const SHA512_CTX *c, uint8_t out[64])
{
	for (int i = 0; i < 8; i++)
		put_be64(out + 8 * i, (uint64_t)c->h[i]);
}

/* The state after one key block XORed with pad (0x36 ipad, 0x5c opad). */
static void pad_state(SHA512_CTX *c, const uint8_t k[SHA512_BLOCK], uint8_t pad)
{
	uint8_t b[SHA512_BLOCK];

	for (int i = 0; i < SHA512_BLOCK; i++)
		b[i] = k[i] ^ pad;
	SHA512_Init(c);
	SHA512_Update(c, b, sizeof(b)); /* a whole block: hashed now, and counted for the long-message path */
	fscrypt_ext__wipe(b, sizeof(b));
}

void fscrypt_ext__hmac512_init(struct fscrypt_ext__hmac512 *h, const uint8_t *key, size_t key_len)
{
	struct hmac512_state *s = (struct hmac512_state *)(void *)h->state;
	uint8_t k[SHA512_BLOCK] = { 0 };

	if (key_len > SHA512_BLOCK)
		SHA512(key, key_len, k);
	else if (key_len)
		memcpy(k, key, key_len);
	memset(h, 0, sizeof(*h));
	pad_state(&s->inner, k, 0x36);
	pad_state(&s->outer, k, 0x5c);
	fscrypt_ext__wipe(k, sizeof(k));
}

/* Pads and hashes the last len (<= 111) bytes of a message of total bytes (key block included), which are in b. */
static void final_block(SHA512_CTX *c, uint8_t b[SHA512_BLOCK], size_t len, uint64_t total)
{
	b[len] = 0x80;
	memset(b + len + 1, 0, SHA512_BLOCK - len - 1);
	/* 128-bit big-endian bit count; messages here never exceed 2^61 bytes. */
	put_be64(b + SHA512_BLOCK - 8, total * 8);
	SHA512_Transform(c, b);
}

void fscrypt_ext__hmac512_parts(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *parts,
				const size_t *lens, size_t n, uint8_t out[FSCRYPT_EXT__HMAC512_LEN])
{
	const struct hmac512_state *s = (const struct hmac512_state *)(const void *)h->state;
	uint8_t b[SHA512_BLOCK];
	size_t total = 0, i;
	SHA512_CTX c;

	for (i = 0; i < n; i++)
		total += lens[i];
	if (total <= SHA512_BLOCK - 17) {
		/* One block: the whole message, its padding and length (the HKDF-Expand case). */
		size_t off = 0;

		for (i = 0; i < n; i++) {
			if (lens[i])
				memcpy(b + off, parts[i], lens[i]);
			off += lens[i];
		}
		/* SHA512_Transform reads and writes only the chaining value h. */
		memcpy(c.h, s->inner.h, sizeof(c.h));
		final_block(&c, b, total, SHA512_BLOCK + total);
		digest_out(&c, b);
	} else {
		memcpy(&c, &s->inner, sizeof(c));
		for (i = 0; i < n; i++)
			SHA512_Update(&c, parts[i], lens[i]);
		SHA512_Final(b, &c);
	}
	/* b[0..64) is the inner digest. */
	memcpy(c.h, s->outer.h, sizeof(c.h));
	final_block(&c, b, FSCRYPT_EXT__HMAC512_LEN, SHA512_BLOCK + FSCRYPT_EXT__HMAC512_LEN);
	digest_out(&c, out);
	fscrypt_ext__wipe(c.h, sizeof(c.h));
	if (total > SHA512_BLOCK - 17)
		fscrypt_ext__wipe(&c, sizeof(c));
	fscrypt_ext__wipe(b, sizeof(b));
}

#else /* libsodium */

_Static_assert(sizeof(crypto_auth_hmacsha512_state) <= sizeof(((struct fscrypt_ext__hmac512 *)0)->state),
	       "HMAC-SHA512 state does not fit struct fscrypt_ext__hmac512");

void fscrypt_ext__hmac512_init(struct fscrypt_ext__hmac512 *h, const uint8_t *key, size_t key_len)
{
	static const uint8_t no_key[1];

	memset(h, 0, sizeof(*h));
	crypto_auth_hmacsha512_init((crypto_auth_hmacsha512_state *)(void *)h->state, key_len ? key : no_key,
				    key_len);
}

void fscrypt_ext__hmac512_parts(const struct fscrypt_ext__hmac512 *h, const uint8_t *const *parts,
				const size_t *lens, size_t n, uint8_t out[FSCRYPT_EXT__HMAC512_LEN])
{
	crypto_auth_hmacsha512_state st;

	memcpy(&st, h->state, sizeof(st));
	for (size_t i = 0; i < n; i++)
		if (lens[i])
			crypto_auth_hmacsha512_update(&st, parts[i], lens[i]);
	crypto_auth_hmacsha512_final(&st, out);
	fscrypt_ext__wipe(&st, sizeof(st));
}

#endif
