/* Internal: block-cipher modes written once (CBC, XTS with ciphertext stealing, CBC-CS3) over any 16-byte block cipher. */
#ifndef FSCRYPT_EXT_CRYPTO_BLOCKMODE_H
#define FSCRYPT_EXT_CRYPTO_BLOCKMODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

/*
 * A 16-byte block cipher as the modes see it: key is the cipher's own key
 * object (struct fscrypt_ext__aes_key, struct fscrypt_ext__sm4_key...).
 * Every function works on whole blocks, nblocks may be 0, in == out allowed.
 * The ECB entries are required; the others are optional fast paths (a
 * vectorised backend's own CBC or whole-block XTS) and NULL means "compose
 * from ECB". IV and tweak buffers are advanced so that calls chain; a
 * whole-block XTS entry gets the already-encrypted tweak T and leaves
 * T * x^nblocks in it.
 */
struct fscrypt_ext__blockcipher {
	void (*ecb_encrypt)(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*ecb_decrypt)(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*cbc_encrypt)(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*cbc_decrypt)(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*xts_encrypt)(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*xts_decrypt)(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks);
};

static inline void fscrypt_ext__xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
	for (unsigned int i = 0; i < 16; i++)
		d[i] = a[i] ^ b[i];
}

/*
 * T * x in GF(2^128) with XTS's little-endian bit order (x^128 = x^7 + x^2 +
 * x + 1), as the kernel's gf128mul_x_ble().
 */
static inline void fscrypt_ext__xts_mul_x(uint8_t t[16])
{
	uint64_t lo = fscrypt_ext__le64(t), hi = fscrypt_ext__le64(t + 8);
	uint64_t carry = hi >> 63;

	hi = (hi << 1) | (lo >> 63);
	lo = (lo << 1) ^ (0x87 & (0 - carry));
	fscrypt_ext__put_le64(t, lo);
	fscrypt_ext__put_le64(t + 8, hi);
}

/* CBC on whole blocks through bc's own CBC entry, or composed from its ECB. */
void fscrypt_ext__bc_cbc_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t iv[16],
				 const uint8_t *in, uint8_t *out, size_t nblocks);
void fscrypt_ext__bc_cbc_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t iv[16],
				 const uint8_t *in, uint8_t *out, size_t nblocks);

/* Whole-block XTS: the tweak holds T (already encrypted) and is advanced; bc's XTS entry or composed from ECB. */
void fscrypt_ext__bc_xts_blocks(const struct fscrypt_ext__blockcipher *bc, const void *key, uint8_t tweak[16],
				const uint8_t *in, uint8_t *out, size_t nblocks, bool enc);

/*
 * XTS (IEEE 1619, the kernel's xts template) with ciphertext stealing when len
 * is not a multiple of 16: data_key encrypts the data, tweak_key (same
 * cipher) encrypts the 16-byte IV into the first tweak. len >= 16 (shorter
 * inputs are left alone).
 */
void fscrypt_ext__bc_xts_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *data_key, const void *tweak_key,
				 const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__bc_xts_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *data_key, const void *tweak_key,
				 const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

/*
 * CBC-CS3, the kernel's cts(cbc(...)): len >= 16; exactly one block is plain
 * CBC, otherwise the last two ciphertext blocks are swapped (also for
 * block-aligned lengths) and the result cut to len.
 */
void fscrypt_ext__bc_cbc_cts_encrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, const uint8_t iv[16],
				     const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__bc_cbc_cts_decrypt(const struct fscrypt_ext__blockcipher *bc, const void *key, const uint8_t iv[16],
				     const uint8_t *in, uint8_t *out, size_t len);

#endif
