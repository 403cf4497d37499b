/* fscrypt-ext tool: `bench` contents rows, an inode's data units through the library against OpenSSL per unit. */
#include <string.h>

#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

/* A contents mode and the OpenSSL cipher that computes the same units. */
struct contents_mode {
	uint8_t mode, filenames_mode;
	const char *evp_cipher;
	size_t key_len;         /* of the per-file key */
	bool essiv;             /* the baseline turns each unit's IV into ESSIV's */
};

static const struct contents_mode aes_256_xts = {
	FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, "AES-256-XTS", 64, false,
};
static const struct contents_mode aes_128_cbc_essiv = {
	FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV, FSCRYPT_EXT_MODE_AES_128_CTS, "AES-128-CBC", 16, true,
};

/* One row: len bytes of data units per op, encrypted or decrypted by the library in one call. */
static const struct contents_row {
	const char *name;
	const struct contents_mode *mode;
	unsigned int log2_du;
	size_t len;
	bool enc;
} rows[] = {
	{ "aes-256-xts-encrypt-4096", &aes_256_xts, 12, BENCH_BUF_SIZE, true },
	{ "aes-256-xts-decrypt-4096", &aes_256_xts, 12, BENCH_BUF_SIZE, false },
	{ "aes-256-xts-encrypt-512", &aes_256_xts, 9, BENCH_BUF_SIZE, true },
	{ "aes-256-xts-decrypt-512", &aes_256_xts, 9, BENCH_BUF_SIZE, false },
	/* ESSIV: one unit per call (a single CBC stream), 8 units per call (batched if the library batches), decrypt. */
	{ "aes-128-cbc-essiv-encrypt-4096", &aes_128_cbc_essiv, 12, 4096, true },
	{ "aes-128-cbc-essiv-encrypt-4096-x8", &aes_128_cbc_essiv, 12, 8 * 4096, true },
	{ "aes-128-cbc-essiv-decrypt-4096", &aes_128_cbc_essiv, 12, BENCH_BUF_SIZE, false },
};

/* The OpenSSL side keyed with the per-file key the library derives; false on failure. */
static bool ossl_setup(const struct contents_mode *m, const uint8_t *key, int enc, struct bench_ossl_units *ou)
{
	uint8_t essiv_key[32];

	if (m->essiv && ou->essiv == NULL) {
		crypto_hash_sha256(essiv_key, key, m->key_len);
		ou->essiv = bench_evp_ctx("AES-256-ECB", essiv_key, 1);
		sodium_memzero(essiv_key, sizeof(essiv_key));
		if (ou->essiv == NULL)
			return false;
	}
	EVP_CIPHER_CTX_free(ou->ctx);
	ou->ctx = bench_evp_ctx(m->evp_cipher, key, enc);
	return ou->ctx != NULL;
}

/*
 * The library encrypts/decrypts the row's bytes in one call; OpenSSL does the
 * same unit by unit. Decryption runs on the ciphertext OpenSSL made, so the
 * self-check covers both directions.
 */
static int contents_row(struct bench *b, struct bench_env *env, const struct contents_row *row, const char *backend)
{
	const struct contents_mode *m = row->mode;
	struct fscrypt_ext_context ctx = env->ctx;
	struct bench_lib_units lu = { .in = env->plain, .out = env->lib_out, .len = row->len, .enc = row->enc };
	struct bench_ossl_units ou = { .in = env->plain, .out = env->ossl_out, .len = row->len };
	struct bench_side lib = { bench_lib_units_op, &lu }, base = { bench_ossl_units_op, &ou };
	uint8_t key[64];
	int err, ret = -1;

	ctx.contents_mode = m->mode;
	ctx.filenames_mode = m->filenames_mode;
	ctx.log2_data_unit_size = (uint8_t)row->log2_du;
	ou.du = (size_t)1 << (row->log2_du ? row->log2_du : 12);
	err = fscrypt_ext_inode_open(&ctx, env->mk, FSCRYPT_EXT_INODE_REG, 12, &env->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s: inode_open", row->name);
		return -1;
	}
	if (bench_file_key(env, &ctx, key, m->key_len) != 0 || !ossl_setup(m, key, 1, &ou))
		goto setup_failed;
	if (!row->enc) {
		if (bench_ossl_units_op(&ou) != 0)
			goto setup_failed;
		memcpy(env->lib_out, env->ossl_out, row->len);
		if (!ossl_setup(m, key, 0, &ou))
			goto setup_failed;
		lu.in = ou.in = env->lib_out;
		lu.out = env->plain + BENCH_BUF_SIZE; /* the second half of the plaintext allocation */
		ou.out = env->ossl_out;
	}
	if (bench_lib_units_op(&lu) != 0 || bench_ossl_units_op(&ou) != 0) {
		cli_err("%s: the first run failed", row->name);
		goto out;
	}
	if (!bench_same(row->name, backend, lu.out, ou.out, row->len) ||
	    (!row->enc && !bench_same(row->name, backend, lu.out, env->plain, row->len)))
		goto out;
	ret = bench_compare(b, row->name, backend, "openssl-evp", (double)row->len, &lib, &base);
	goto out;
setup_failed:
	cli_err("%s: OpenSSL set-up failed", row->name);
out:
	EVP_CIPHER_CTX_free(ou.ctx);
	EVP_CIPHER_CTX_free(ou.essiv);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	return ret;
}

int bench_contents(struct bench *b, struct bench_env *env, const char *backend)
{
	for (size_t i = 0; i < CLI_ARRAY_SIZE(rows); i++)
		if (contents_row(b, env, &rows[i], backend) != 0)
			return -1;
	return 0;
}
