/* fscrypt-ext tool: `bench` wide-block rows, Adiantum (4 KiB units, names) and HCTR2 (names, 4064-byte symlink targets). */
#include <string.h>

#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

/* A directory/file context with these modes under the bench master key. */
static struct fscrypt_ext_context wide_ctx(const struct bench_env *env, uint8_t contents, uint8_t filenames)
{
	struct fscrypt_ext_context ctx = env->ctx;

	ctx.contents_mode = contents;
	ctx.filenames_mode = filenames;
	ctx.flags = FSCRYPT_EXT_FLAG_PAD_32;
	return ctx;
}

/*
 * Adiantum contents, 4 KiB units: the library's inode path against OpenSSL ChaCha20.
 * Self-check: each unit equals the Adiantum primitive (itself checked against google's
 * vectors) under the key OpenSSL's HKDF derives, with the unit index as the 32-byte tweak.
 */
static int adiantum_contents(struct bench *b, struct bench_env *env, const char *backend)
{
	struct fscrypt_ext_context ctx = wide_ctx(env, FSCRYPT_EXT_MODE_ADIANTUM, FSCRYPT_EXT_MODE_ADIANTUM);
	struct bench_lib_units lu = { .in = env->plain, .out = env->lib_out, .len = BENCH_BUF_SIZE, .enc = true };
	struct bench_ossl_units ou = { .in = env->plain, .out = env->ossl_out, .len = BENCH_BUF_SIZE, .du = 4096 };
	struct bench_side lib = { bench_lib_units_op, &lu }, base = { bench_ossl_chacha_op, &ou };
	uint8_t key[32], tweak[32];
	int err, ret = -1;

	err = fscrypt_ext_inode_open(&ctx, env->mk, FSCRYPT_EXT_INODE_REG, 12, &env->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "adiantum: inode_open");
		return -1;
	}
	if (bench_file_key(env, &ctx, key, sizeof(key)) != 0 || (ou.ctx = bench_evp_ctx("ChaCha20", key, 1)) == NULL) {
		cli_err("adiantum: OpenSSL set-up failed");
		goto out;
	}
	if (bench_lib_units_op(&lu) != 0)
		goto out;
	for (size_t off = 0; off < BENCH_BUF_SIZE; off += 4096) {
		memset(tweak, 0, sizeof(tweak));
		bench_unit_iv(tweak, off / 4096);
		if (fscrypt_ext_adiantum_encrypt(key, tweak, sizeof(tweak), env->plain + off, env->ossl_out + off, 4096) !=
		    FSCRYPT_EXT_OK)
			goto out;
	}
	if (!bench_same("adiantum-encrypt-4096", backend, env->lib_out, env->ossl_out, BENCH_BUF_SIZE))
		goto out;
	if (bench_compare(b, "adiantum-encrypt-4096", backend, "openssl-chacha20", BENCH_BUF_SIZE, &lib, &base) != 0)
		goto out;
	/* Decrypt the (checked) ciphertext, kept where neither side's timing runs overwrite it. */
	memcpy(env->plain + BENCH_BUF_SIZE, env->lib_out, BENCH_BUF_SIZE);
	lu.enc = false;
	lu.in = env->plain + BENCH_BUF_SIZE;
	lu.out = env->lib_out;
	if (bench_lib_units_op(&lu) != 0 ||
	    !bench_same("adiantum-decrypt-4096", backend, lu.out, env->plain, BENCH_BUF_SIZE))
		goto out;
	ret = bench_compare(b, "adiantum-decrypt-4096", backend, "openssl-chacha20", BENCH_BUF_SIZE, &lib, &base);
out:
	EVP_CIPHER_CTX_free(ou.ctx);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	return ret;
}

/* Name rows: a 32-byte name with a wide-block filenames mode against OpenSSL AES-256-CTS, both directions. */
static const struct wide_name_row {
	uint8_t mode;
	const char *enc_name, *dec_name;
} name_rows[] = {
	{ FSCRYPT_EXT_MODE_ADIANTUM, "adiantum-name-encrypt-32", "adiantum-name-decrypt-32" },
	{ FSCRYPT_EXT_MODE_AES_256_HCTR2, "aes-256-hctr2-name-encrypt-32", "aes-256-hctr2-name-decrypt-32" },
};

/* The expected name: the primitive under the OpenSSL-derived key with an all-zero tweak. */
static int wide_primitive(uint8_t mode, const uint8_t key[32], const uint8_t *in, uint8_t *out, size_t len)
{
	static const uint8_t tweak[32];

	return mode == FSCRYPT_EXT_MODE_ADIANTUM ? fscrypt_ext_adiantum_encrypt(key, tweak, 32, in, out, len)
						 : fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, in, out, len);
}

static int wide_name(struct bench *b, struct bench_env *env, const struct wide_name_row *row, const char *backend)
{
	struct fscrypt_ext_context ctx = wide_ctx(
		env, row->mode == FSCRYPT_EXT_MODE_ADIANTUM ? FSCRYPT_EXT_MODE_ADIANTUM : FSCRYPT_EXT_MODE_AES_256_XTS,
		row->mode);
	struct bench_lib_name ln = { .in = env->plain, .out = env->lib_out, .len = 32, .enc = true };
	struct bench_ossl_name on = { .in = env->plain, .out = env->ossl_out, .len = 32 };
	struct bench_side lib = { bench_lib_name_op, &ln }, base = { bench_ossl_name_op, &on };
	uint8_t key[32], want[32];
	int err, ret = -1;

	for (size_t i = 0; i < 32; i++)
		env->plain[i] = (uint8_t)('a' + i % 26);
	err = fscrypt_ext_inode_open(&ctx, env->mk, FSCRYPT_EXT_INODE_DIR, 13, &env->fs, &ln.dir);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s: inode_open", row->enc_name);
		return -1;
	}
	if (bench_file_key(env, &ctx, key, sizeof(key)) != 0 || (on.ctx = bench_cts_ctx(key, 1)) == NULL) {
		cli_err("%s: OpenSSL set-up failed", row->enc_name);
		goto out;
	}
	err = wide_primitive(row->mode, key, env->plain, want, 32);
	if (err != FSCRYPT_EXT_OK || bench_lib_name_op(&ln) != 0 || !bench_same(row->enc_name, backend, ln.out, want, 32))
		goto out;
	if (bench_compare(b, row->enc_name, backend, "openssl-evp-aes-256-cts", 32, &lib, &base) != 0)
		goto out;
	memcpy(env->plain + 64, want, 32);
	ln.in = env->plain + 64;
	ln.enc = false;
	if (bench_lib_name_op(&ln) != 0 || !bench_same(row->dec_name, backend, ln.out, env->plain, 32))
		goto out;
	ret = bench_compare(b, row->dec_name, backend, "openssl-evp-aes-256-cts", 32, &lib, &base);
out:
	EVP_CIPHER_CTX_free(on.ctx);
	fscrypt_ext_inode_free(ln.dir);
	sodium_memzero(key, sizeof(key));
	return ret;
}

/*
 * HCTR2 on a 4064-byte symlink target (the largest fscrypt wide block: one HCTR2 call over
 * the padded target) against OpenSSL AES-256-XTS on 4064 bytes.
 */
static int hctr2_link(struct bench *b, struct bench_env *env, const char *backend)
{
	enum { TARGET = 4064 };
	struct fscrypt_ext_context ctx = wide_ctx(env, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_HCTR2);
	struct bench_lib_link ll = { .in = env->plain, .out = env->lib_out, .len = TARGET, .enc = true };
	struct bench_ossl_units ou = { .in = env->plain, .out = env->ossl_out, .len = TARGET, .du = TARGET };
	struct bench_side lib = { bench_lib_link_op, &ll }, base = { bench_ossl_units_op, &ou };
	uint8_t key[64], tweak[32] = { 0 };
	int err, ret = -1;

	for (size_t i = 0; i < TARGET; i++) /* a symlink target has no NUL */
		env->plain[i] = (uint8_t)(env->plain[i] | 1);
	err = fscrypt_ext_inode_open(&ctx, env->mk, FSCRYPT_EXT_INODE_SYMLINK, 14, &env->fs, &ll.link);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "hctr2: inode_open");
		return -1;
	}
	if (bench_file_key(env, &ctx, key, sizeof(key)) != 0 ||
	    (ou.ctx = bench_evp_ctx("AES-256-XTS", key, 1)) == NULL) {
		cli_err("hctr2: OpenSSL set-up failed");
		goto out;
	}
	/* The stored target is a 2-byte little-endian length, then the ciphertext. */
	if (bench_lib_link_op(&ll) != 0 ||
	    fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, env->plain, env->ossl_out, TARGET) != FSCRYPT_EXT_OK ||
	    env->lib_out[0] != (TARGET & 0xff) || env->lib_out[1] != (TARGET >> 8) ||
	    !bench_same("aes-256-hctr2-encrypt-4064", backend, env->lib_out + 2, env->ossl_out, TARGET))
		goto out;
	if (bench_compare(b, "aes-256-hctr2-encrypt-4064", backend, "openssl-evp-aes-256-xts", TARGET, &lib, &base) != 0)
		goto out;
	memcpy(env->plain + BENCH_BUF_SIZE, env->lib_out, TARGET + 2);
	ll.in = env->plain + BENCH_BUF_SIZE;
	ll.len = TARGET + 2;
	ll.enc = false;
	if (bench_lib_link_op(&ll) != 0 ||
	    !bench_same("aes-256-hctr2-decrypt-4064", backend, ll.out, env->plain, TARGET))
		goto out;
	ret = bench_compare(b, "aes-256-hctr2-decrypt-4064", backend, "openssl-evp-aes-256-xts", TARGET, &lib, &base);
out:
	EVP_CIPHER_CTX_free(ou.ctx);
	fscrypt_ext_inode_free(ll.link);
	sodium_memzero(key, sizeof(key));
	return ret;
}

int bench_wide(struct bench *b, struct bench_env *env, const char *backend)
{
	int ret = adiantum_contents(b, env, backend);

	for (size_t i = 0; ret == 0 && i < CLI_ARRAY_SIZE(name_rows); i++)
		ret = wide_name(b, env, &name_rows[i], backend);
	if (ret == 0)
		ret = hctr2_link(b, env, backend);
	/* Restore the random plaintext the other families expect (names and targets overwrote it). */
	randombytes_buf(env->plain, BENCH_BUF_SIZE);
	return ret;
}
