/* Constant-time check under valgrind memcheck: keys and plaintexts are marked undefined, so any branch or address that depends on them is reported. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <valgrind/memcheck.h>

#include "fscrypt_ext/fscrypt_ext.h"
#include "key.h"
#include "crypto/sm4.h"

/*
 * Memcheck tracks definedness bit by bit through every computation. A value
 * computed from an undefined byte is undefined, and memcheck reports a
 * conditional jump on one ("Conditional jump or move depends on
 * uninitialised value(s)") and an address made from one ("Use of
 * uninitialised value of size 8"). Marking the secrets undefined thus turns
 * memcheck into a checker for secret-dependent branches and table indices.
 * Outputs are marked defined again before the program looks at them: the
 * program's own checks are not under test.
 */
#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int failures;

static void step(const char *name)
{
	/* On stderr, in order with valgrind's reports, so each report is attributed to a case. */
	fprintf(stderr, "ct: case %s\n", name);
}

static void check(int ok, const char *what, int err)
{
	if (!ok) {
		fprintf(stderr, "ct: FAILED %s (error %d: %s)\n", what, err, fscrypt_ext_strerror(err));
		failures++;
	}
}

/* A fixed, public filler: the values do not matter, only their definedness. */
static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 31 * i + (i >> 8));
}

/* Encrypts a secret plaintext under a secret key, decrypts it back, and compares with everything public again. */
typedef int (*oneshot_fn)(const uint8_t *key, size_t key_len, const uint8_t *iv, const uint8_t *in, uint8_t *out,
			  size_t len);

static void roundtrip(const char *name, oneshot_fn enc, oneshot_fn dec, size_t key_len, size_t len)
{
	static uint8_t pt[4096], ct[4096], back[4096];
	uint8_t key[64], iv[32];
	int e1, e2;

	step(name);
	fill(key, sizeof(key), 1);
	fill(iv, sizeof(iv), 2);
	fill(pt, len, 3);
	SECRET(key, sizeof(key));
	SECRET(pt, len);
	e1 = enc(key, key_len, iv, pt, ct, len);
	e2 = dec(key, key_len, iv, ct, back, len);
	PUBLIC(key, sizeof(key));
	PUBLIC(pt, len);
	PUBLIC(ct, len);
	PUBLIC(back, len);
	check(e1 == FSCRYPT_EXT_OK && e2 == FSCRYPT_EXT_OK && memcmp(back, pt, len) == 0, name, e1 ? e1 : e2);
}

/* Adapters to one signature (the key length or tweak length each primitive takes). */
static int aes_ecb_enc(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)iv;
	return fscrypt_ext_aes_ecb_encrypt(k, kl, in, out, len);
}
static int aes_ecb_dec(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)iv;
	return fscrypt_ext_aes_ecb_decrypt(k, kl, in, out, len);
}
static int essiv_enc(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)kl;
	return fscrypt_ext_aes_cbc_essiv_encrypt(k, iv, in, out, len);
}
static int essiv_dec(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)kl;
	return fscrypt_ext_aes_cbc_essiv_decrypt(k, iv, in, out, len);
}
static int adiantum_enc(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)kl;
	return fscrypt_ext_adiantum_encrypt(k, iv, 32, in, out, len);
}
static int adiantum_dec(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	(void)kl;
	return fscrypt_ext_adiantum_decrypt(k, iv, 32, in, out, len);
}
static int hctr2_enc(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	return fscrypt_ext_hctr2_encrypt(k, kl, iv, 32, in, out, len);
}
static int hctr2_dec(const uint8_t *k, size_t kl, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	return fscrypt_ext_hctr2_decrypt(k, kl, iv, 32, in, out, len);
}

static void primitives(void)
{
	roundtrip("aes-128-ecb (key expansion, encrypt, decrypt)", aes_ecb_enc, aes_ecb_dec, 16, 64);
	roundtrip("aes-192-ecb", aes_ecb_enc, aes_ecb_dec, 24, 48);
	roundtrip("aes-256-ecb", aes_ecb_enc, aes_ecb_dec, 32, 80);
	roundtrip("aes-256-xts 4096", fscrypt_ext_aes_xts_encrypt, fscrypt_ext_aes_xts_decrypt, 64, 4096);
	roundtrip("aes-128-xts with stealing", fscrypt_ext_aes_xts_encrypt, fscrypt_ext_aes_xts_decrypt, 32, 100);
	roundtrip("aes-256-cbc-cts", fscrypt_ext_aes_cbc_cts_encrypt, fscrypt_ext_aes_cbc_cts_decrypt, 32, 77);
	roundtrip("aes-128-cbc-cts", fscrypt_ext_aes_cbc_cts_encrypt, fscrypt_ext_aes_cbc_cts_decrypt, 16, 33);
	roundtrip("aes-128-cbc-essiv (sha-256 of the key)", essiv_enc, essiv_dec, 16, 4096);
	roundtrip("adiantum (xchacha12, nh, poly1305, aes-256)", adiantum_enc, adiantum_dec, 32, 4096);
	roundtrip("adiantum name-sized", adiantum_enc, adiantum_dec, 32, 19);
	roundtrip("hctr2 (aes-256 xctr, polyval)", hctr2_enc, hctr2_dec, 32, 4096);
	roundtrip("hctr2 name-sized", hctr2_enc, hctr2_dec, 32, 17);
	roundtrip("sm4-xts 4096 (sm4 key schedule, encrypt, decrypt)", fscrypt_ext_sm4_xts_encrypt,
		  fscrypt_ext_sm4_xts_decrypt, 32, 4096);
	roundtrip("sm4-xts with stealing", fscrypt_ext_sm4_xts_encrypt, fscrypt_ext_sm4_xts_decrypt, 32, 37);
	roundtrip("sm4-cbc-cts", fscrypt_ext_sm4_cbc_cts_encrypt, fscrypt_ext_sm4_cbc_cts_decrypt, 16, 45);

	{
		uint8_t ikm[64], info[40], okm[96];
		int err;

		step("hkdf-sha512 (hmac-sha512 extract and expand)");
		fill(ikm, sizeof(ikm), 4);
		fill(info, sizeof(info), 5);
		SECRET(ikm, sizeof(ikm));
		err = fscrypt_ext_hkdf_sha512(ikm, sizeof(ikm), NULL, 0, info, sizeof(info), okm, sizeof(okm));
		PUBLIC(okm, sizeof(okm));
		check(err == FSCRYPT_EXT_OK, "hkdf-sha512", err);
	}
}

/*
 * A master key object whose secrets (raw key, HKDF state) are undefined
 * while its identifier and descriptor, public by design, stay defined: the
 * key is imported defined and its secret parts are marked afterwards.
 */
static fscrypt_ext_master_key *secret_master_key(void)
{
	uint8_t raw[64];
	fscrypt_ext_master_key *mk = NULL;
	const uint8_t *r;
	size_t rlen = 0;

	fill(raw, sizeof(raw), 6);
	if (fscrypt_ext_master_key_new(raw, sizeof(raw), &mk) != FSCRYPT_EXT_OK)
		return NULL;
	r = fscrypt_ext__master_key_raw(mk, &rlen);
	SECRET(r, rlen);
	SECRET(fscrypt_ext__master_key_hkdf(mk), sizeof(struct fscrypt_ext__hkdf));
	return mk;
}

struct policy_case {
	const char *name;
	uint8_t version, contents, filenames, flags;
};

/* Every mode pair the kernel accepts, with the key-derivation flags that apply to it, v1 and v2. */
static const struct policy_case policy_cases[] = {
	{ "v2 aes-256-xts / aes-256-cts", 2, 1, 4, FSCRYPT_EXT_FLAG_PAD_32 },
	{ "v2 aes-256-xts / aes-256-cts iv_ino_lblk_64", 2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 },
	{ "v2 aes-256-xts / aes-256-cts iv_ino_lblk_32", 2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 },
	{ "v2 aes-256-xts / aes-256-hctr2", 2, 1, 10, 0 },
	{ "v2 aes-128-cbc-essiv / aes-128-cts", 2, 5, 6, 0 },
	{ "v2 adiantum / adiantum", 2, 9, 9, 0 },
	{ "v2 adiantum / adiantum direct_key", 2, 9, 9, FSCRYPT_EXT_FLAG_DIRECT_KEY },
	{ "v2 sm4-xts / sm4-cts", 2, 7, 8, 0 },
	{ "v1 aes-256-xts / aes-256-cts (aes-128-ecb kdf)", 1, 1, 4, 0 },
	{ "v1 aes-128-cbc-essiv / aes-128-cts", 1, 5, 6, 0 },
	{ "v1 adiantum direct_key", 1, 9, 9, FSCRYPT_EXT_FLAG_DIRECT_KEY },
};

static void fscrypt_modes(void)
{
	static uint8_t pt[8192], ct[8192], back[8192];
	fscrypt_ext_master_key *mk = secret_master_key();
	struct fscrypt_ext_fs_info fs;

	check(mk != NULL, "master key import", FSCRYPT_EXT_ERR_NOMEM);
	if (mk == NULL)
		return;
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	fill(fs.uuid, sizeof(fs.uuid), 7);
	for (size_t i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		const struct policy_case *pc = &policy_cases[i];
		struct fscrypt_ext_context ctx;
		fscrypt_ext_inode *ino = NULL;
		uint8_t name[40], ename[64], dname[64];
		size_t elen = 0, dlen = 0;
		int err;

		step(pc->name);
		memset(&ctx, 0, sizeof(ctx));
		ctx.version = pc->version;
		ctx.contents_mode = pc->contents;
		ctx.filenames_mode = pc->filenames;
		ctx.flags = pc->flags;
		if (pc->version == 2)
			err = fscrypt_ext_master_key_identifier(mk, ctx.key_identifier);
		else
			err = fscrypt_ext_master_key_descriptor(mk, ctx.key_descriptor);
		check(err == FSCRYPT_EXT_OK, "key identifier", err);
		fill(ctx.nonce, sizeof(ctx.nonce), (uint8_t)(8 + i));

		/* Contents: two data units of inode 12. */
		err = fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, 12, &fs, &ino);
		check(err == FSCRYPT_EXT_OK, "open regular file", err);
		if (err == FSCRYPT_EXT_OK) {
			fill(pt, sizeof(pt), 9);
			SECRET(pt, sizeof(pt));
			err = fscrypt_ext_encrypt_data_units(ino, 4096, pt, ct, sizeof(pt));
			if (err == FSCRYPT_EXT_OK)
				err = fscrypt_ext_decrypt_data_units(ino, 4096, ct, back, sizeof(pt));
			PUBLIC(pt, sizeof(pt));
			PUBLIC(ct, sizeof(ct));
			PUBLIC(back, sizeof(back));
			check(err == FSCRYPT_EXT_OK && memcmp(back, pt, sizeof(pt)) == 0, "contents round trip", err);
			fscrypt_ext_inode_free(ino);
			ino = NULL;
		}

		/* Filenames: a secret name of public length; only its encryption, see the note on decryption below. */
		err = fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 12, &fs, &ino);
		check(err == FSCRYPT_EXT_OK, "open directory", err);
		if (err == FSCRYPT_EXT_OK) {
			fill(name, sizeof(name), 10);
			for (size_t j = 0; j < sizeof(name); j++)
				name[j] |= 1; /* no NUL: names never hold one */
			SECRET(name, sizeof(name));
			err = fscrypt_ext_fname_encrypt(ino, name, 37, ename, sizeof(ename), &elen);
			PUBLIC(ename, sizeof(ename));
			PUBLIC(&elen, sizeof(elen));
			/*
			 * Decryption strips the NUL padding, which is a branch on
			 * the decrypted bytes (the kernel does the same: the name
			 * length is not secret from whoever sees the directory).
			 * The key stays secret here; the ciphertext is public.
			 */
			if (err == FSCRYPT_EXT_OK)
				err = fscrypt_ext_fname_decrypt(ino, ename, elen, dname, sizeof(dname), &dlen);
			PUBLIC(dname, sizeof(dname));
			PUBLIC(&dlen, sizeof(dlen));
			PUBLIC(name, sizeof(name));
			check(err == FSCRYPT_EXT_OK && dlen == 37 && memcmp(dname, name, 37) == 0, "filename round trip",
			      err);
			fscrypt_ext_inode_free(ino);
		}
	}
	fscrypt_ext_master_key_free(mk);
}

/*
 * The negative self-test: a secret-dependent table lookup and a
 * secret-dependent branch, which the check must report (run with --negative;
 * the script requires memcheck to fail it).
 */
static volatile uint8_t leak_sink;

static __attribute__((noinline)) void leaky(const uint8_t *secret)
{
	static const uint8_t table[256] = { 1, 2, 3 };

	leak_sink = table[secret[0]];
	if (secret[1] & 1)
		leak_sink ^= 0x5a;
}

/*
 * A real-world negative: OpenSSL 3.0's SM4 (key schedule and rounds through
 * byte-indexed tables), the code the library no longer uses. Returns 3 when
 * this OpenSSL has no SM4.
 */
static int openssl_sm4(void)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t key[16], in[64], out[64];
	int outl = 0, ok;

	if (c == NULL || ctx == NULL) {
		EVP_CIPHER_free(c);
		EVP_CIPHER_CTX_free(ctx);
		return 3;
	}
	step("negative: OpenSSL SM4-ECB (must be reported)");
	fill(key, sizeof(key), 11);
	fill(in, sizeof(in), 12);
	SECRET(key, sizeof(key));
	ok = EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL) == 1 && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_EncryptUpdate(ctx, out, &outl, in, (int)sizeof(in)) == 1;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	int negative = argc > 1 && strcmp(argv[1], "--negative") == 0;

	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "ct: run me under valgrind (tests/ct/run-ct.sh); alone I check nothing\n");
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "--negative-openssl-sm4") == 0)
		return openssl_sm4();
	if (negative) {
		uint8_t secret[2] = { 7, 1 };

		step("negative self-test (must be reported)");
		SECRET(secret, sizeof(secret));
		leaky(secret);
		return 0;
	}
	if (fscrypt_ext_init() != FSCRYPT_EXT_OK) {
		fprintf(stderr, "ct: library initialisation failed\n");
		return 1;
	}
	if (strcmp(fscrypt_ext_backend_name(), "portable") != 0) {
		fprintf(stderr, "ct: the portable backend must run (FSCRYPT_EXT_BACKEND=portable), got %s\n",
			fscrypt_ext_backend_name());
		return 1;
	}
	if (strcmp(fscrypt_ext__sm4_selected()->name, "portable") != 0) {
		fprintf(stderr, "ct: SM4 must run its portable code, got %s\n", fscrypt_ext__sm4_selected()->name);
		return 1;
	}
	primitives();
	fscrypt_modes();
	fprintf(stderr, "ct: %d functional failure(s)\n", failures);
	return failures ? 1 : 0;
}
