/* Internal Poly1305 polynomial hash without the final "+ s" (Adiantum's hash parts): 44-bit limbs where the compiler has 128-bit integers, else 26-bit limbs. */
#ifndef FSCRYPT_EXT_CRYPTO_POLY1305_H
#define FSCRYPT_EXT_CRYPTO_POLY1305_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

#define FSCRYPT_EXT__POLY1305_BLOCK 16

#if defined(__SIZEOF_INT128__) && !defined(FSCRYPT_EXT_POLY1305_32BIT)
#define FSCRYPT_EXT__POLY1305_LIMBS64 1
/*
 * The clamped multiplier r in limbs of 44, 44 and 42 bits, 20 * r[1..2] for
 * the reduction, and the same for r^2 (two blocks per step, two independent
 * multiplications instead of one dependent chain).
 */
struct fscrypt_ext__poly1305_key {
	uint64_t r[3];
	uint64_t s[2];
	uint64_t r2[3];
	uint64_t s2[2];
};

/* The accumulator h (mod 2^130 - 5, not fully reduced). */
struct fscrypt_ext__poly1305_state {
	uint64_t h[3];
};
#else
/* The clamped multiplier r in five 26-bit limbs, and 5 * r[1..4] for the reduction. */
struct fscrypt_ext__poly1305_key {
	uint32_t r[5];
	uint32_t s[4];
};

/* The accumulator h (mod 2^130 - 5, not fully reduced). */
struct fscrypt_ext__poly1305_state {
	uint32_t h[5];
};
#endif

/* Clamps and loads the 16-byte little-endian r. */
void fscrypt_ext__poly1305_setkey(struct fscrypt_ext__poly1305_key *k, const uint8_t r[16]);
void fscrypt_ext__poly1305_init(struct fscrypt_ext__poly1305_state *st);
/* Full 16-byte blocks, each with the 2^128 bit set. */
void fscrypt_ext__poly1305_blocks(struct fscrypt_ext__poly1305_state *st, const struct fscrypt_ext__poly1305_key *k,
				  const uint8_t *msg, size_t nblocks);
/* A final block of 1..15 bytes, padded with 0x01 then zeros (RFC 8439). */
void fscrypt_ext__poly1305_partial(struct fscrypt_ext__poly1305_state *st, const struct fscrypt_ext__poly1305_key *k,
				   const uint8_t *msg, size_t len);
/* h fully reduced mod 2^130 - 5, low 128 bits, little-endian (no s added). */
void fscrypt_ext__poly1305_emit(const struct fscrypt_ext__poly1305_state *st, uint8_t out[16]);

#endif
