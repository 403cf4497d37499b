/* fscrypt-ext tool: `bench` SM4 family: SM4-XTS (mode 7) against XTS composed from OpenSSL's SM4-ECB (its 3.0 has no SM4-XTS). */
#include <string.h>

#include <sodium.h>

#include "bench/baselines.h"
#include "bench/cases/cases.h"
#include "util.h"

struct ossl_sm4_xts {
	EVP_CIPHER_CTX *data, *tweak; /* SM4-ECB encryption with each key half */
	const uint8_t *in;
	uint8_t *out;
	size_t len;
};

/* Per 4 KiB unit: T = E(tweak key, IV), the 256 tweaks by doubling, one ECB call between two XORs. */
static int ossl_sm4_xts_op(void *arg)
{
	struct ossl_sm4_xts *u = arg;
	uint8_t iv[16], tw[4096];
	int outl;

	for (size_t off = 0; off < u->len; off += 4096) {
		bench_unit_iv(iv, off / 4096);
		if (EVP_EncryptUpdate(u->tweak, tw, &outl, iv, 16) != 1)
			return -1;
		for (size_t i = 16; i < 4096; i += 16) {
			/* T(i) = T(i-1) * x in GF(2^128), little-endian (IEEE 1619). */
			unsigned int carry = tw[i - 1] >> 7;

			for (size_t j = 15; j > 0; j--)
				tw[i + j] = (uint8_t)((tw[i - 16 + j] << 1) | (tw[i - 16 + j - 1] >> 7));
			tw[i] = (uint8_t)((tw[i - 16] << 1) ^ (carry ? 0x87 : 0));
		}
		for (size_t i = 0; i < 4096; i++)
			u->out[off + i] = u->in[off + i] ^ tw[i];
		if (EVP_EncryptUpdate(u->data, u->out + off, &outl, u->out + off, 4096) != 1)
			return -1;
		for (size_t i = 0; i < 4096; i++)
			u->out[off + i] ^= tw[i];
	}
	return 0;
}

/*
 * SM4-XTS encryption of 4 KiB units through the public inode API. The
 * library's SM4 code follows the backend profile: portable (bitsliced),
 * aesni (AESENCLAST S-box), and GFNI under vaes-avx2 when the CPU has it.
 */
int bench_sm4(struct bench *b, struct bench_env *env, const char *backend)
{
	struct fscrypt_ext_context ctx = env->ctx;
	struct bench_lib_units lu = { .in = env->plain, .out = env->lib_out, .len = BENCH_BUF_SIZE, .enc = true };
	struct ossl_sm4_xts ou = { .in = env->plain, .out = env->ossl_out, .len = BENCH_BUF_SIZE };
	struct bench_side lib = { bench_lib_units_op, &lu }, base = { ossl_sm4_xts_op, &ou };
	uint8_t key[32];
	int err, ret = -1;

	ctx.contents_mode = FSCRYPT_EXT_MODE_SM4_XTS;
	ctx.filenames_mode = FSCRYPT_EXT_MODE_SM4_CTS;
	err = fscrypt_ext_inode_open(&ctx, env->mk, FSCRYPT_EXT_INODE_REG, 12, &env->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "sm4-xts: inode_open");
		return -1;
	}
	if (bench_file_key(env, &ctx, key, sizeof(key)) == 0) {
		ou.data = bench_evp_ctx("SM4-ECB", key, 1);
		ou.tweak = bench_evp_ctx("SM4-ECB", key + 16, 1);
	}
	if (ou.data == NULL || ou.tweak == NULL)
		cli_err("sm4-xts: OpenSSL has no SM4-ECB");
	else if (bench_lib_units_op(&lu) != 0 || ossl_sm4_xts_op(&ou) != 0)
		cli_err("sm4-xts: the first run failed");
	else if (bench_same("sm4-xts-encrypt-4096", backend, lu.out, ou.out, BENCH_BUF_SIZE))
		ret = bench_compare(b, "sm4-xts-encrypt-4096", backend, "openssl-sm4-ecb", (double)BENCH_BUF_SIZE, &lib,
				    &base);
	EVP_CIPHER_CTX_free(ou.data);
	EVP_CIPHER_CTX_free(ou.tweak);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	return ret;
}
