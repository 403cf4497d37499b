/* Internal SM4 (GB/T 32907-2016) block cipher and the modes fscrypt uses with it (XTS, CBC-CS3, via crypto/blockmode.c). */
#ifndef FSCRYPT_EXT_CRYPTO_SM4_H
#define FSCRYPT_EXT_CRYPTO_SM4_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

struct fscrypt_ext__blockcipher;

/* Which code runs the SM4 block function. */
enum fscrypt_ext__sm4_impl {
	FSCRYPT_EXT__SM4_PORTABLE = 0, /* our own constant-time code */
	FSCRYPT_EXT__SM4_OPENSSL = 1,  /* EVP "SM4-ECB" from the installed OpenSSL */
};

/*
 * An SM4 key: the 32 round keys for our own code plus the raw key, which the
 * OpenSSL path hands to EVP on each call (cipher states have no destructor,
 * so no EVP context may outlive a call). Wipe with fscrypt_ext__wipe().
 */
struct fscrypt_ext__sm4_key {
	uint32_t rk[32];
	uint8_t raw[16];
	enum fscrypt_ext__sm4_impl impl;
};

/* The implementation new keys use (crypto/dispatch.c): OpenSSL when it provides SM4 and passes a self-test, else portable. */
enum fscrypt_ext__sm4_impl fscrypt_ext__sm4_default_impl(void);
/* 1 if this OpenSSL has a working SM4-ECB. */
int fscrypt_ext__sm4_openssl_available(void);

void fscrypt_ext__sm4_setkey(struct fscrypt_ext__sm4_key *k, const uint8_t key[16]);
/* Forces an implementation (tests); falls back to portable if OpenSSL lacks SM4. */
void fscrypt_ext__sm4_setkey_impl(struct fscrypt_ext__sm4_key *k, const uint8_t key[16], enum fscrypt_ext__sm4_impl impl);

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
