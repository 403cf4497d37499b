/* fscrypt-ext tool: `bench` key-derivation rows, HKDF-SHA512 per-file keys and opening an inode, against OpenSSL and libsodium. */
#include <stdio.h>
#include <string.h>

#include <openssl/kdf.h>
#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

/* Everything the rows' operations share; every derivation is the 64-byte per-file XTS key (HKDF context 2). */
struct kdf_state {
	struct bench_env *env;
	EVP_KDF_CTX *kctx;                       /* reused across derivations */
	EVP_KDF_CTX *open_kctx;
	EVP_CIPHER_CTX *cctx;
	crypto_auth_hmacsha512_state prepared;   /* HMAC keyed with the PRK, prepared once */
	uint8_t lib_out[64], evp_out[64], sodium_out[64], open_key[64];
};

/* The derivation alone, from the prepared master key. */
static int lib_derive_op(void *arg)
{
	struct kdf_state *k = arg;

	return fscrypt_ext_master_key_derive(k->env->mk, 2, k->env->ctx.nonce, 16, k->lib_out, sizeof(k->lib_out));
}

/* What a filesystem pays per file: the derivation, the key check, and the AES-256-XTS key schedules. */
static int lib_open_op(void *arg)
{
	struct kdf_state *k = arg;
	fscrypt_ext_inode *inode;
	int err = fscrypt_ext_inode_open(&k->env->ctx, k->env->mk, FSCRYPT_EXT_INODE_REG, 12, &k->env->fs, &inode);

	fscrypt_ext_inode_free(inode);
	return err;
}

static int evp_kdf_op(void *arg)
{
	struct kdf_state *k = arg;

	return bench_evp_hkdf(k->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, k->env->prk, sizeof(k->env->prk), 2,
			      k->env->ctx.nonce, k->evp_out, sizeof(k->evp_out));
}

/* The same with a fresh EVP_KDF context per derivation, as code that derives one key per call does. */
static int evp_kdf_fresh_op(void *arg)
{
	struct kdf_state *k = arg;
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(k->env->kdf);
	int err;

	if (kctx == NULL)
		return -1;
	err = bench_evp_hkdf(kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, k->env->prk, sizeof(k->env->prk), 2, k->env->ctx.nonce,
			     k->evp_out, sizeof(k->evp_out));
	EVP_KDF_CTX_free(kctx);
	return err;
}

/* libsodium at its best: the PRK-keyed HMAC state copied per derivation, one HKDF-Expand block. */
static int sodium_op(void *arg)
{
	struct kdf_state *k = arg;
	crypto_auth_hmacsha512_state st;
	static const uint8_t prefix[9] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, 2 }, counter = 1;

	memcpy(&st, &k->prepared, sizeof(st));
	crypto_auth_hmacsha512_update(&st, prefix, sizeof(prefix));
	crypto_auth_hmacsha512_update(&st, k->env->ctx.nonce, 16);
	crypto_auth_hmacsha512_update(&st, &counter, 1);
	crypto_auth_hmacsha512_final(&st, k->sodium_out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

/* OpenSSL's equivalent of opening an inode: EVP_KDF expand, then the XTS key set into a cipher context. */
static int evp_open_op(void *arg)
{
	struct kdf_state *k = arg;

	if (bench_evp_hkdf(k->open_kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, k->env->prk, sizeof(k->env->prk), 2,
			   k->env->ctx.nonce, k->open_key, sizeof(k->open_key)) != 0)
		return -1;
	return EVP_EncryptInit_ex(k->cctx, EVP_aes_256_xts(), NULL, k->open_key, NULL) == 1 ? 0 : -1;
}

/*
 * The rows, in print order. impl_per_backend: the implementation is printed
 * as "impl/<backend>" (the row includes AES key schedules).
 */
static const struct kdf_row {
	const char *benchmark;
	const char *impl;
	bool impl_per_backend;
	const char *baseline;
	double bytes;
	int (*lib)(void *arg);
	int (*base)(void *arg);
} rows[] = {
	{ "key-derivation-64", "hkdf-sha512", false, "openssl-evp-kdf-hkdf", 64, lib_derive_op, evp_kdf_op },
	{ "key-derivation-64", "hkdf-sha512", false, "openssl-evp-kdf-hkdf-new-ctx", 64, lib_derive_op,
	  evp_kdf_fresh_op },
	{ "key-derivation-64", "hkdf-sha512", false, "libsodium-hmac-sha512", 64, lib_derive_op, sodium_op },
	{ "inode-open-aes-256-xts", "inode-open", true, "openssl-evp-kdf+xts-key", 64, lib_open_op, evp_open_op },
};

/* Every operation runs once; the per-file key must be the same from all three derivations. */
static bool kdf_check(struct kdf_state *k)
{
	if (evp_kdf_op(k) != 0 || sodium_op(k) != 0 || lib_derive_op(k) != 0 || evp_open_op(k) != 0 ||
	    lib_open_op(k) != 0) {
		cli_err("key-derivation-64: the first run failed");
		return false;
	}
	return bench_same("key-derivation-64 (libsodium)", "libsodium", k->sodium_out, k->evp_out, 64) &&
	       bench_same("key-derivation-64", "hkdf-sha512", k->lib_out, k->evp_out, 64);
}

int bench_kdf(struct bench *b, struct bench_env *env, const char *backend)
{
	struct kdf_state k = { .env = env };
	int ret = -1;

	k.kctx = EVP_KDF_CTX_new(env->kdf);
	k.open_kctx = EVP_KDF_CTX_new(env->kdf);
	k.cctx = EVP_CIPHER_CTX_new();
	crypto_auth_hmacsha512_init(&k.prepared, env->prk, sizeof(env->prk));
	if (k.kctx == NULL || k.open_kctx == NULL || k.cctx == NULL) {
		cli_err("key derivation: OpenSSL set-up failed");
		goto out;
	}
	if (!kdf_check(&k))
		goto out;
	for (size_t i = 0; i < CLI_ARRAY_SIZE(rows); i++) {
		struct bench_side lib = { rows[i].lib, &k }, base = { rows[i].base, &k };
		char impl[48];

		if (rows[i].impl_per_backend)
			snprintf(impl, sizeof(impl), "%s/%s", rows[i].impl, backend);
		else
			snprintf(impl, sizeof(impl), "%s", rows[i].impl);
		if (bench_compare(b, rows[i].benchmark, impl, rows[i].baseline, rows[i].bytes, &lib, &base) != 0)
			goto out;
	}
	ret = 0;
out:
	EVP_KDF_CTX_free(k.kctx);
	EVP_KDF_CTX_free(k.open_kctx);
	EVP_CIPHER_CTX_free(k.cctx);
	sodium_memzero(&k, sizeof(k));
	return ret;
}
