/* fscrypt-ext tool: `bench` filename rows, a 32-byte name with AES-256-CTS (CBC-CS3) against OpenSSL. */
#include <string.h>

#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

#define NAME_LEN 32

int bench_names(struct bench *b, struct bench_env *env, const char *backend)
{
	struct bench_lib_name ln = { .in = env->plain, .out = env->lib_out, .len = NAME_LEN, .enc = true };
	struct bench_ossl_name on = { .in = env->plain, .out = env->ossl_out, .len = NAME_LEN };
	struct bench_side lib = { bench_lib_name_op, &ln }, base = { bench_ossl_name_op, &on };
	uint8_t key[32], name[NAME_LEN];
	int err, ret = -1;

	/* A name with no NUL, so decryption returns all of it. */
	for (size_t i = 0; i < sizeof(name); i++)
		name[i] = (uint8_t)('a' + i % 26);
	memcpy(env->plain, name, sizeof(name));
	err = fscrypt_ext_inode_open(&env->ctx, env->mk, FSCRYPT_EXT_INODE_DIR, 13, &env->fs, &ln.dir);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "filenames: inode_open");
		return -1;
	}
	if (bench_file_key(env, &env->ctx, key, sizeof(key)) != 0 || (on.ctx = bench_cts_ctx(key, 1)) == NULL) {
		cli_err("filenames: OpenSSL set-up failed");
		goto out;
	}
	if (bench_lib_name_op(&ln) != 0 || bench_ossl_name_op(&on) != 0 ||
	    !bench_same("aes-256-cts-encrypt-32", backend, ln.out, on.out, NAME_LEN))
		goto out;
	if (bench_compare(b, "aes-256-cts-encrypt-32", backend, "openssl-evp", NAME_LEN, &lib, &base) != 0)
		goto out;
	/* Decrypt the checked ciphertext, kept where neither side's output lands. */
	EVP_CIPHER_CTX_free(on.ctx);
	if ((on.ctx = bench_cts_ctx(key, 0)) == NULL)
		goto out;
	memcpy(env->plain + 64, env->ossl_out, NAME_LEN);
	ln.in = on.in = env->plain + 64;
	ln.enc = false;
	if (bench_lib_name_op(&ln) != 0 || bench_ossl_name_op(&on) != 0 ||
	    !bench_same("aes-256-cts-decrypt-32", backend, ln.out, on.out, NAME_LEN) ||
	    !bench_same("aes-256-cts-decrypt-32", backend, ln.out, name, NAME_LEN))
		goto out;
	ret = bench_compare(b, "aes-256-cts-decrypt-32", backend, "openssl-evp", NAME_LEN, &lib, &base);
out:
	EVP_CIPHER_CTX_free(on.ctx);
	fscrypt_ext_inode_free(ln.dir);
	sodium_memzero(key, sizeof(key));
	return ret;
}
