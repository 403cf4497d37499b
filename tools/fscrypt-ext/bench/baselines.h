/* fscrypt-ext tool: `bench` baselines, fscrypt's derivations and per-unit IVs re-done with OpenSSL and libsodium. */
#ifndef FSCRYPT_EXT_CLI_BENCH_BASELINES_H
#define FSCRYPT_EXT_CLI_BENCH_BASELINES_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "bench/bench.h"

/* The test inode and the buffers; prints its own error. bench_env_free() is safe after a failed init. */
int bench_env_init(struct bench_env *env);
void bench_env_free(struct bench_env *env);

/*
 * HKDF-SHA512 as fscrypt uses it: info = "fscrypt\0" || context byte || 16-byte nonce.
 * mode: EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND or EVP_KDF_HKDF_MODE_EXPAND_ONLY.
 */
int bench_evp_hkdf(EVP_KDF_CTX *kctx, int mode, const uint8_t *key, size_t key_len, uint8_t context,
		   const uint8_t nonce[16], uint8_t *out, size_t out_len);
/* The per-file key the library derives for ctx (HKDF context 2), computed by OpenSSL. */
int bench_file_key(const struct bench_env *env, const struct fscrypt_ext_context *ctx, uint8_t *key, size_t len);

/* An EVP cipher context keyed for cipher with padding off; NULL on failure. */
EVP_CIPHER_CTX *bench_evp_ctx(const char *cipher, const uint8_t *key, int enc);
/* AES-256-CBC-CTS in the CS3 variant (fscrypt's filenames mode); NULL on failure. */
EVP_CIPHER_CTX *bench_cts_ctx(const uint8_t key[32], int enc);

/* fscrypt v2 per-file IV: the data unit index, little-endian, zero-padded to 16 bytes. */
void bench_unit_iv(uint8_t iv[16], uint64_t index);

/* OpenSSL over data units, one EVP call per unit with that unit's IV. */
struct bench_ossl_units {
	EVP_CIPHER_CTX *ctx;
	EVP_CIPHER_CTX *essiv;  /* AES-256-ECB keyed by SHA-256(key) turns the IV into ESSIV's, or NULL */
	const uint8_t *in;
	uint8_t *out;
	size_t len, du;
};
int bench_ossl_units_op(void *arg);
/* OpenSSL ChaCha20 per unit (32-bit counter 0, the unit index as nonce): the stream-cipher floor for Adiantum. */
int bench_ossl_chacha_op(void *arg);

/* OpenSSL on one name with a zero IV, as fscrypt encrypts names under per-file keys. */
struct bench_ossl_name {
	EVP_CIPHER_CTX *ctx;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
};
int bench_ossl_name_op(void *arg);

#endif
