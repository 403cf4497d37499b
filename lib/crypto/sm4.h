/* Internal SM4 (GB/T 32907-2016) block cipher, its implementations, and the modes fscrypt uses with it (XTS, CBC-CS3, via crypto/blockmode.c). */
#ifndef FSCRYPT_EXT_CRYPTO_SM4_H
#define FSCRYPT_EXT_CRYPTO_SM4_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

struct fscrypt_ext__blockcipher;

/*
 * One SM4 implementation. Every one is constant time: no secret-indexed
 * memory access and no secret-dependent branch, in the key schedule too
 * (OpenSSL's table-based SM4 is only an oracle in the tests).
 */
struct fscrypt_ext__sm4_impl {
	const char *name;
	unsigned int needs; /* FSCRYPT_EXT__CPU_* bits (crypto/dispatch.c) */
	int (*available)(void);
	/* The 32 round keys of GB/T 32907 section 7.3. */
	void (*expand)(uint32_t rk[32], const uint8_t key[16]);
	/* ECB on nblocks whole blocks with the round keys in reverse order when decrypt; in == out allowed. */
	void (*crypt)(const uint32_t rk[32], int decrypt, const uint8_t *in, uint8_t *out, size_t nblocks);
	/*
	 * Optional whole-block XTS with the tweak work fused in: tweak holds the
	 * encrypted tweak T and is left at T * x^nblocks. NULL: composed from crypt.
	 */
	void (*xts)(const uint32_t rk[32], int decrypt, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		    size_t nblocks);
};

/* Best first, portable last, NULL-terminated (crypto/dispatch.c). */
extern const struct fscrypt_ext__sm4_impl *const fscrypt_ext__sm4_impls[];
extern const struct fscrypt_ext__sm4_impl fscrypt_ext__sm4_portable;

/* The compiled-in implementation with this name, or NULL (tests, benchmarks). */
const struct fscrypt_ext__sm4_impl *fscrypt_ext__sm4_find(const char *name);
/* The implementation new keys use: crypto/dispatch.c's choice (FSCRYPT_EXT_BACKEND, fscrypt_ext_backend_force). */
const struct fscrypt_ext__sm4_impl *fscrypt_ext__sm4_selected(void);

/* The key-schedule constants FK_i (i < 4) and CK_i (i < 32) of GB/T 32907 section 7.3, for the backends. */
uint32_t fscrypt_ext__sm4_fk(unsigned int i);
uint32_t fscrypt_ext__sm4_ck(unsigned int i);

/* An SM4 key: the round keys and the code that uses them. Wipe with fscrypt_ext__wipe(). */
struct fscrypt_ext__sm4_key {
	uint32_t rk[32];
	const struct fscrypt_ext__sm4_impl *impl;
};

void fscrypt_ext__sm4_setkey(struct fscrypt_ext__sm4_key *k, const uint8_t key[16]);
/* Forces an implementation (tests, bench); NULL means the selected one. The caller checks impl->available(). */
void fscrypt_ext__sm4_setkey_impl(struct fscrypt_ext__sm4_key *k, const uint8_t key[16],
				  const struct fscrypt_ext__sm4_impl *impl);

/* ECB on whole blocks; in == out allowed. */
void fscrypt_ext__sm4_ecb_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
void fscrypt_ext__sm4_ecb_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);

/* CBC on whole blocks; iv is updated so calls chain; in == out allowed. */
void fscrypt_ext__sm4_cbc_encrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks);
void fscrypt_ext__sm4_cbc_decrypt(const struct fscrypt_ext__sm4_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks);

/* SM4-XTS as Linux xts(sm4): data key, tweak key; len >= 16, ciphertext stealing. */
void fscrypt_ext__sm4_xts_encrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__sm4_xts_decrypt(const struct fscrypt_ext__sm4_key *data_key, const struct fscrypt_ext__sm4_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

/* SM4-CBC-CS3 as Linux cts(cbc(sm4)): len >= 16; 16 is one CBC block, else the last two blocks swap. */
void fscrypt_ext__sm4_cbc_cts_encrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len);
void fscrypt_ext__sm4_cbc_cts_decrypt(const struct fscrypt_ext__sm4_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len);

/* SM4 as a struct fscrypt_ext__blockcipher (crypto/blockmode.h); the key argument is a struct fscrypt_ext__sm4_key. */
extern const struct fscrypt_ext__blockcipher fscrypt_ext__sm4_blockcipher;

#endif
