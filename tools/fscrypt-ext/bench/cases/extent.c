/* fscrypt-ext tool: `bench` per-extent rows, loading an extent's key (HKDF context 9 + AES-256-XTS key schedule) against OpenSSL. */
#include <stdio.h>
#include <string.h>

#include <openssl/kdf.h>
#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

/* What the rows' operations share: one extent context of the bench inode. */
struct extent_state {
	struct bench_env *env;
	struct fscrypt_ext_extent_context ectx;
	EVP_KDF_CTX *kctx;
	EVP_CIPHER_CTX *cctx;
	uint8_t key[64];
};

/* What each new or loaded extent costs the library. */
static int lib_load_op(void *arg)
{
	struct extent_state *e = arg;
	fscrypt_ext_extent_info *ei = NULL;
	int err = fscrypt_ext_extent_info_load(&e->env->ctx, &e->env->fs, &e->ectx, e->env->mk, 0, &ei);

	fscrypt_ext_extent_info_put(ei);
	return err;
}

/* The same with OpenSSL: EVP_KDF expand with context 9 and the extent nonce, then the XTS key set. */
static int evp_load_op(void *arg)
{
	struct extent_state *e = arg;

	if (bench_evp_hkdf(e->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, e->env->prk, sizeof(e->env->prk), 9, e->ectx.nonce,
			   e->key, sizeof(e->key)) != 0)
		return -1;
	return EVP_EncryptInit_ex(e->cctx, EVP_aes_256_xts(), NULL, e->key, NULL) == 1 ? 0 : -1;
}

/* The rows, in print order; the implementation is printed as "impl/<backend>". */
static const struct extent_row {
	const char *benchmark;
	const char *impl;
	const char *baseline;
	double bytes;
	int (*lib)(void *arg);
	int (*base)(void *arg);
} rows[] = {
	{ "extent-info-setup", "extent-info", "openssl-evp-kdf+xts-key", 64, lib_load_op, evp_load_op },
};

/* Unit 0 of the extent under the library's key equals OpenSSL XTS under the EVP-derived key. */
static bool extent_check(struct extent_state *e, const char *impl)
{
	struct bench_env *env = e->env;
	fscrypt_ext_extent_info *ei = NULL;
	uint8_t iv[16] = { 0 };
	int n = 0;
	bool ok;

	ok = evp_load_op(e) == 0 &&
	     fscrypt_ext_extent_info_load(&env->ctx, &env->fs, &e->ectx, env->mk, 0, &ei) == FSCRYPT_EXT_OK &&
	     fscrypt_ext_extent_encrypt(ei, 0, env->plain, env->lib_out, 4096) == FSCRYPT_EXT_OK &&
	     EVP_EncryptInit_ex(e->cctx, NULL, NULL, NULL, iv) == 1 &&
	     EVP_EncryptUpdate(e->cctx, env->ossl_out, &n, env->plain, 4096) == 1;
	fscrypt_ext_extent_info_put(ei);
	if (!ok) {
		cli_err("extent-info-setup: the first run failed");
		return false;
	}
	return bench_same("extent-info-setup", impl, env->lib_out, env->ossl_out, 4096);
}

int bench_extent(struct bench *b, struct bench_env *env, const char *backend)
{
	struct extent_state e = { .env = env };
	char impl[48];
	int ret = -1;

	snprintf(impl, sizeof(impl), "extent-info/%s", backend);
	e.kctx = EVP_KDF_CTX_new(env->kdf);
	e.cctx = EVP_CIPHER_CTX_new();
	if (e.kctx == NULL || e.cctx == NULL || fscrypt_ext_extent_context_new(&env->ctx, &e.ectx) != FSCRYPT_EXT_OK) {
		cli_err("extent-info-setup: set-up failed");
		goto out;
	}
	if (!extent_check(&e, impl))
		goto out;
	for (size_t i = 0; i < CLI_ARRAY_SIZE(rows); i++) {
		struct bench_side lib = { rows[i].lib, &e }, base = { rows[i].base, &e };

		snprintf(impl, sizeof(impl), "%s/%s", rows[i].impl, backend);
		if (bench_compare(b, rows[i].benchmark, impl, rows[i].baseline, rows[i].bytes, &lib, &base) != 0)
			goto out;
	}
	ret = 0;
out:
	EVP_KDF_CTX_free(e.kctx);
	EVP_CIPHER_CTX_free(e.cctx);
	sodium_memzero(&e, sizeof(e));
	return ret;
}
