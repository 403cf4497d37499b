/* fscrypt-ext tool: `bench` baselines, fscrypt's key derivation and per-unit IVs re-done with OpenSSL EVP. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sodium.h>

#include "bench/baselines.h"
#include "util.h"

int bench_evp_hkdf(EVP_KDF_CTX *kctx, int mode, const uint8_t *key, size_t key_len, uint8_t context,
		   const uint8_t nonce[16], uint8_t *out, size_t out_len)
{
	uint8_t info[25] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, context };
	OSSL_PARAM p[5], *q = p;

	memcpy(info + 9, nonce, 16);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA512", 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, key_len);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info));
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q = OSSL_PARAM_construct_end();
	return EVP_KDF_derive(kctx, out, out_len, p) == 1 ? 0 : -1;
}

/* PRK = HMAC-SHA512(64 zero bytes, raw): HKDF-Extract without a salt, done once as the library does. */
static int extract_prk(struct bench_env *env)
{
	EVP_KDF_CTX *kctx = env->kdf ? EVP_KDF_CTX_new(env->kdf) : NULL;
	int mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY, err;
	OSSL_PARAM p[4];

	if (kctx == NULL) {
		cli_err("OpenSSL has no HKDF");
		return -1;
	}
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA512", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, env->raw, sizeof(env->raw));
	p[2] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[3] = OSSL_PARAM_construct_end();
	err = EVP_KDF_derive(kctx, env->prk, sizeof(env->prk), p) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(kctx);
	return err;
}

int bench_env_init(struct bench_env *env)
{
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	int err;

	memset(env, 0, sizeof(*env));
	randombytes_buf(env->raw, sizeof(env->raw));
	err = fscrypt_ext_master_key_new(env->raw, sizeof(env->raw), &env->mk);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_master_key_identifier(env->mk, id);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "master key");
		return -1;
	}
	env->ctx.version = 2;
	env->ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	env->ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	env->ctx.flags = FSCRYPT_EXT_FLAG_PAD_32;
	memcpy(env->ctx.key_identifier, id, sizeof(id));
	randombytes_buf(env->ctx.nonce, sizeof(env->ctx.nonce));
	fscrypt_ext_fs_info_ext4(&env->fs, 4096);
	env->kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (extract_prk(env) != 0)
		return -1;
	env->plain = aligned_alloc(64, 2 * BENCH_BUF_SIZE);
	env->lib_out = aligned_alloc(64, BENCH_BUF_SIZE);
	env->ossl_out = aligned_alloc(64, BENCH_BUF_SIZE);
	if (env->plain == NULL || env->lib_out == NULL || env->ossl_out == NULL) {
		cli_err("out of memory");
		return -1;
	}
	randombytes_buf(env->plain, BENCH_BUF_SIZE);
	return 0;
}

void bench_env_free(struct bench_env *env)
{
	free(env->plain);
	free(env->lib_out);
	free(env->ossl_out);
	fscrypt_ext_master_key_free(env->mk);
	EVP_KDF_free(env->kdf);
	sodium_memzero(env, sizeof(*env));
}

int bench_file_key(const struct bench_env *env, const struct fscrypt_ext_context *ctx, uint8_t *key, size_t len)
{
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(env->kdf);
	int err;

	if (kctx == NULL)
		return -1;
	err = bench_evp_hkdf(kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, env->prk, sizeof(env->prk), 2, ctx->nonce, key, len);
	EVP_KDF_CTX_free(kctx);
	return err;
}

EVP_CIPHER_CTX *bench_evp_ctx(const char *cipher, const uint8_t *key, int enc)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, cipher, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (c == NULL || ctx == NULL || EVP_CipherInit_ex(ctx, c, NULL, key, NULL, enc) != 1) {
		EVP_CIPHER_free(c);
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_CIPHER_free(c);
	return ctx;
}

EVP_CIPHER_CTX *bench_cts_ctx(const uint8_t key[32], int enc)
{
	EVP_CIPHER_CTX *ctx = bench_evp_ctx("AES-256-CBC-CTS", key, enc);
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE, (char *)"CS3", 0),
			    OSSL_PARAM_construct_end() };

	if (ctx != NULL && EVP_CIPHER_CTX_set_params(ctx, p) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void bench_unit_iv(uint8_t iv[16], uint64_t index)
{
	memset(iv, 0, 16);
	for (int i = 0; i < 8; i++)
		iv[i] = (uint8_t)(index >> (8 * i));
}

int bench_ossl_units_op(void *arg)
{
	struct bench_ossl_units *u = arg;
	uint8_t iv[16];
	int outl;

	for (size_t off = 0; off < u->len; off += u->du) {
		bench_unit_iv(iv, off / u->du);
		if (u->essiv != NULL && EVP_EncryptUpdate(u->essiv, iv, &outl, iv, 16) != 1)
			return -1;
		if (EVP_CipherInit_ex(u->ctx, NULL, NULL, NULL, iv, -1) != 1 ||
		    EVP_CipherUpdate(u->ctx, u->out + off, &outl, u->in + off, (int)u->du) != 1)
			return -1;
	}
	return 0;
}

int bench_ossl_chacha_op(void *arg)
{
	struct bench_ossl_units *u = arg;
	uint8_t iv[16] = { 0 };
	int outl;

	for (size_t off = 0; off < u->len; off += u->du) {
		uint64_t index = off / u->du;

		for (int i = 0; i < 8; i++) /* 32-bit block counter 0, then the unit index as the nonce */
			iv[4 + i] = (uint8_t)(index >> (8 * i));
		if (EVP_CipherInit_ex(u->ctx, NULL, NULL, NULL, iv, -1) != 1 ||
		    EVP_CipherUpdate(u->ctx, u->out + off, &outl, u->in + off, (int)u->du) != 1)
			return -1;
	}
	return 0;
}

int bench_ossl_name_op(void *arg)
{
	struct bench_ossl_name *n = arg;
	static const uint8_t zero_iv[16];
	int outl;

	return EVP_CipherInit_ex(n->ctx, NULL, NULL, NULL, zero_iv, -1) == 1 &&
			       EVP_CipherUpdate(n->ctx, n->out, &outl, n->in, (int)n->len) == 1
		       ? 0
		       : -1;
}
