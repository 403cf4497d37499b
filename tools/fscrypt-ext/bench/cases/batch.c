/* fscrypt-ext tool: `bench` batched key setup rows, 8 derivations in one call and the 4096 extent keys of one file, against OpenSSL one at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/kdf.h>
#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

#define X8 8
#define FILE_EXTENTS 4096

struct batch_state {
	struct bench_env *env;
	EVP_KDF_CTX *kctx;
	EVP_CIPHER_CTX *cctx;
	uint8_t nonces[X8][16];
	const uint8_t *infos[X8];
	uint8_t lib_keys[X8][64], evp_keys[X8][64];
	uint8_t *lib_outs[X8];
	struct fscrypt_ext_extent_context *ectxs; /* FILE_EXTENTS of them */
	fscrypt_ext_extent_info **infos_out;
	uint8_t key[64];
};

/* 8 per-file keys (HKDF context 2, 16-byte nonces) in one call. */
static int lib_x8_op(void *arg)
{
	struct batch_state *s = arg;

	return fscrypt_ext_master_key_derive_batch(s->env->mk, 2, s->infos, 16, s->lib_outs, 64, X8);
}

/* The same 8 keys with EVP_KDF, one at a time on a reused context. */
static int evp_x8_op(void *arg)
{
	struct batch_state *s = arg;

	for (int i = 0; i < X8; i++)
		if (bench_evp_hkdf(s->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, s->env->prk, sizeof(s->env->prk), 2,
				   s->nonces[i], s->evp_keys[i], 64) != 0)
			return -1;
	return 0;
}

/* The same with a fresh EVP_KDF context per key, as code deriving one key per call does. */
static int evp_x8_fresh_op(void *arg)
{
	struct batch_state *s = arg;

	for (int i = 0; i < X8; i++) {
		EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(s->env->kdf);
		int err = kctx == NULL ? -1
				       : bench_evp_hkdf(kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, s->env->prk,
							sizeof(s->env->prk), 2, s->nonces[i], s->evp_keys[i], 64);

		EVP_KDF_CTX_free(kctx);
		if (err != 0)
			return -1;
	}
	return 0;
}

/* Opening a file with 4096 extents: every extent info loaded in one batch call, then released. */
static int lib_file_op(void *arg)
{
	struct batch_state *s = arg;
	int err = fscrypt_ext_extent_info_load_batch(&s->env->ctx, &s->env->fs, s->ectxs, FILE_EXTENTS, s->env->mk, 0,
						     s->infos_out, NULL);

	if (err == FSCRYPT_EXT_OK)
		for (size_t i = 0; i < FILE_EXTENTS; i++)
			fscrypt_ext_extent_info_put(s->infos_out[i]);
	return err;
}

/* OpenSSL per extent: EVP_KDF expand (context 9, the extent nonce), then the AES-256-XTS key set. */
static int evp_file_op(void *arg)
{
	struct batch_state *s = arg;

	for (size_t i = 0; i < FILE_EXTENTS; i++) {
		if (bench_evp_hkdf(s->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, s->env->prk, sizeof(s->env->prk), 9,
				   s->ectxs[i].nonce, s->key, sizeof(s->key)) != 0 ||
		    EVP_EncryptInit_ex(s->cctx, EVP_aes_256_xts(), NULL, s->key, NULL) != 1)
			return -1;
	}
	return 0;
}

/* The rows in print order; bytes are the key bytes one op derives (so cycles/byte compare across rows). */
static const struct batch_row {
	const char *benchmark;
	const char *impl;
	const char *baseline;
	double bytes;
	int (*lib)(void *arg);
	int (*base)(void *arg);
} rows[] = {
	{ "key-derivation-64-x8", "hkdf-sha512-batch", "openssl-evp-kdf-hkdf", 64 * X8, lib_x8_op, evp_x8_op },
	{ "key-derivation-64-x8", "hkdf-sha512-batch", "openssl-evp-kdf-hkdf-new-ctx", 64 * X8, lib_x8_op,
	  evp_x8_fresh_op },
	{ "extent-file-open-4096", "extent-info-batch", "openssl-evp-kdf+xts-key", 64.0 * FILE_EXTENTS, lib_file_op,
	  evp_file_op },
};

/*
 * The 8 batch keys equal EVP_KDF's; unit 0 of every 64th extent (and the
 * last) of the batch-loaded file equals OpenSSL XTS under its EVP key.
 */
static bool batch_check(struct batch_state *s)
{
	struct bench_env *env = s->env;
	bool ok = lib_x8_op(s) == 0 && evp_x8_op(s) == 0 &&
		  bench_same("key-derivation-64-x8", "hkdf-sha512-batch", s->lib_keys[0], s->evp_keys[0], sizeof(s->lib_keys));

	if (!ok)
		return false;
	if (fscrypt_ext_extent_info_load_batch(&env->ctx, &env->fs, s->ectxs, FILE_EXTENTS, env->mk, 0, s->infos_out,
					       NULL) != FSCRYPT_EXT_OK) {
		cli_err("extent-file-open-4096: the first run failed");
		return false;
	}
	for (size_t i = 0; ok && i < FILE_EXTENTS; i++) {
		uint8_t iv[16] = { 0 };
		int n = 0;

		if (i % 64 != 0 && i != FILE_EXTENTS - 1)
			continue;
		ok = bench_evp_hkdf(s->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, env->prk, sizeof(env->prk), 9, s->ectxs[i].nonce,
				    s->key, sizeof(s->key)) == 0 &&
		     EVP_EncryptInit_ex(s->cctx, EVP_aes_256_xts(), NULL, s->key, iv) == 1 &&
		     EVP_EncryptUpdate(s->cctx, env->ossl_out, &n, env->plain, 4096) == 1 &&
		     fscrypt_ext_extent_encrypt(s->infos_out[i], 0, env->plain, env->lib_out, 4096) == FSCRYPT_EXT_OK &&
		     bench_same("extent-file-open-4096", "extent-info-batch", env->lib_out, env->ossl_out, 4096);
	}
	for (size_t i = 0; i < FILE_EXTENTS; i++)
		fscrypt_ext_extent_info_put(s->infos_out[i]);
	return ok;
}

/* The SHA-512 implementation the library's HKDF runs on (the batch rows' speed depends on it more than on AES). */
static const char *sha512_impl(void)
{
	const char *prim, *impl;

	for (size_t i = 0; (prim = fscrypt_ext_backend_primitive(i, &impl)) != NULL; i++)
		if (strcmp(prim, "sha512") == 0)
			return impl;
	return "?";
}

int bench_batch(struct bench *b, struct bench_env *env, const char *backend)
{
	struct batch_state *s = calloc(1, sizeof(*s));
	int ret = -1;

	if (s == NULL) {
		cli_err("batch: out of memory");
		return -1;
	}
	s->env = env;
	s->kctx = EVP_KDF_CTX_new(env->kdf);
	s->cctx = EVP_CIPHER_CTX_new();
	s->ectxs = calloc(FILE_EXTENTS, sizeof(*s->ectxs));
	s->infos_out = calloc(FILE_EXTENTS, sizeof(*s->infos_out));
	if (s->kctx == NULL || s->cctx == NULL || s->ectxs == NULL || s->infos_out == NULL) {
		cli_err("batch: set-up failed");
		goto out;
	}
	for (int i = 0; i < X8; i++) {
		randombytes_buf(s->nonces[i], sizeof(s->nonces[i]));
		s->infos[i] = s->nonces[i];
		s->lib_outs[i] = s->lib_keys[i];
	}
	for (size_t i = 0; i < FILE_EXTENTS; i++) {
		if (fscrypt_ext_extent_context_new(&env->ctx, &s->ectxs[i]) != FSCRYPT_EXT_OK) {
			cli_err("batch: extent context failed");
			goto out;
		}
	}
	if (!batch_check(s))
		goto out;
	for (size_t i = 0; i < CLI_ARRAY_SIZE(rows); i++) {
		struct bench_side lib = { rows[i].lib, s }, base = { rows[i].base, s };
		char impl[48];

		/* e.g. "extent-info-batch/vaes-avx512+avx512-x8": the AES backend and the SHA-512 one. */
		snprintf(impl, sizeof(impl), "%s/%s+%s", rows[i].impl, backend, sha512_impl());
		if (bench_compare(b, rows[i].benchmark, impl, rows[i].baseline, rows[i].bytes, &lib, &base) != 0)
			goto out;
	}
	ret = 0;
out:
	EVP_KDF_CTX_free(s->kctx);
	EVP_CIPHER_CTX_free(s->cctx);
	free(s->ectxs);
	free(s->infos_out);
	sodium_memzero(s, sizeof(*s));
	free(s);
	return ret;
}
