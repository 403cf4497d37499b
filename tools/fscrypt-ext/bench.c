/* fscrypt-ext tool: `bench`, the library against OpenSSL/libsodium on fscrypt's hot paths, alternating in one run. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sodium.h>

#include "commands.h"
#include "opts.h"
#include "util.h"

static const char bench_usage[] =
	"Usage: fscrypt-ext bench [--json] [--rounds N] [--backend NAME] [--quick]\n"
	"\n"
	"Measures the library on fscrypt's hot paths, through the public API a\n"
	"filesystem tool uses (key set once per inode, a new IV per data unit),\n"
	"against OpenSSL EVP (and libsodium for key derivation) in the same run:\n"
	"each round times the library, then the baseline (each the best of 5 short\n"
	"runs), and the median of the rounds is reported. Every benchmark first checks that the library's output\n"
	"equals the baseline's. Cycles per byte use the core clock measured with a\n"
	"dependent-add chain. A program, never a timed test: ratios on a shared\n"
	"machine vary by +-20%%.\n"
	"\n"
	"Options:\n"
	"      --json          one JSON array of objects (benchmark, implementation,\n"
	"                      baseline, ratio, cycles_per_byte, gb_per_s, ...)\n"
	"      --rounds N      rounds per benchmark (default 7)\n"
	"      --backend NAME  only this AES backend (default: every one this CPU runs)\n"
	"      --quick         shorter samples (about 4 ms instead of 15 ms)\n"
	"  -h, --help          show this help\n";

enum { OPT_ROUNDS = CLI_OPT_FIRST_FREE, OPT_BACKEND, OPT_QUICK };

#define BUF_SIZE (64 * 1024)
#define MAX_ROUNDS 101

/* One side of a comparison: op() does bytes of work once. */
struct side {
	int (*op)(void *arg);
	void *arg;
};

struct row {
	char benchmark[64];
	char implementation[48];
	char baseline[48];
	double bytes;       /* per op */
	double lib_s;       /* median seconds per op */
	double base_s;
};

struct bench {
	int rounds;
	double sample_s;
	double ghz;         /* 0 when the clock could not be measured */
	struct row *rows;
	size_t nrows, cap;
	bool json;
};

/* ---- timing ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The core clock: a chain of dependent 1-cycle adds (performance.md 2.1; TSC
 * is not the core clock). Best of several runs.
 */
static double measure_ghz(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
	double best = 0;

	/* Many short bursts (about 20 us each), so that some run without being preempted on a busy machine. */
	for (int run = 0; run < 400; run++) {
		unsigned long x = 0;
		double t0 = now_s(), dt;

		for (int i = 0; i < 50; i++) {
#if defined(__x86_64__)
			__asm__ volatile(".rept 1000\n\taddq $1, %0\n\t.endr" : "+r"(x));
#else
			__asm__ volatile(".rept 1000\n\tadd %0, %0, #1\n\t.endr" : "+r"(x));
#endif
		}
		dt = now_s() - t0;
		if (dt > 0 && 50000.0 / dt / 1e9 > best)
			best = 50000.0 / dt / 1e9;
	}
	return best;
#else
	return 0;
#endif
}

/* Seconds per op over n ops; -1 if an op failed. */
static double time_ops(const struct side *s, unsigned long n)
{
	double t0 = now_s();

	for (unsigned long i = 0; i < n; i++)
		if (s->op(s->arg) != 0)
			return -1;
	return (now_s() - t0) / (double)n;
}

/*
 * One round's time per op: the best of SUBSAMPLES short runs. Preemption on
 * a shared machine only ever adds time, so the minimum filters it out; the
 * median across rounds then gives the reported figure (performance.md 4.3).
 */
#define SUBSAMPLES 5
static double time_best(const struct side *s, unsigned long n)
{
	double best = -1;

	n = n / SUBSAMPLES + 1;
	for (int i = 0; i < SUBSAMPLES; i++) {
		double t = time_ops(s, n);

		if (t < 0)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* Ops per sample so that one sample lasts about sample_s. */
static unsigned long calibrate(const struct side *s, double sample_s)
{
	unsigned long n = 1;

	for (;;) {
		double t = time_ops(s, n) * (double)n;

		if (t < 0)
			return 0;
		if (t >= sample_s / 4 || n >= (1ul << 30))
			return (unsigned long)((double)n * sample_s / (t > 0 ? t : 1e-9)) + 1;
		n *= 4;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Alternates library and baseline samples; records the medians. */
static int compare(struct bench *b, const char *benchmark, const char *impl, const char *baseline, double bytes,
		   const struct side *lib, const struct side *base)
{
	double tl[MAX_ROUNDS], tb[MAX_ROUNDS];
	unsigned long nl = calibrate(lib, b->sample_s), nb = calibrate(base, b->sample_s);
	struct row *r;

	if (nl == 0 || nb == 0) {
		cli_err("%s: an operation failed while timing", benchmark);
		return -1;
	}
	for (int i = 0; i < b->rounds; i++) {
		tl[i] = time_best(lib, nl);
		tb[i] = time_best(base, nb);
		if (tl[i] < 0 || tb[i] < 0) {
			cli_err("%s: an operation failed while timing", benchmark);
			return -1;
		}
	}
	if (b->nrows == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct row *nr = realloc(b->rows, cap * sizeof(*nr));

		if (nr == NULL)
			return -1;
		b->rows = nr;
		b->cap = cap;
	}
	r = &b->rows[b->nrows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->benchmark, sizeof(r->benchmark), "%s", benchmark);
	snprintf(r->implementation, sizeof(r->implementation), "%s", impl);
	snprintf(r->baseline, sizeof(r->baseline), "%s", baseline);
	r->bytes = bytes;
	r->lib_s = median(tl, b->rounds);
	r->base_s = median(tb, b->rounds);
	if (!b->json)
		fprintf(stderr, "  %-34s %-12s %7.2f GB/s  x%.2f vs %s\n", r->benchmark, r->implementation,
			bytes / r->lib_s / 1e9, r->base_s / r->lib_s, r->baseline);
	return 0;
}

static bool same(const char *what, const char *impl, const uint8_t *a, const uint8_t *b, size_t n)
{
	if (memcmp(a, b, n) == 0)
		return true;
	cli_err("self-check FAILED: %s (%s) differs from the baseline's output", what, impl);
	return false;
}

/* ---- the test inode: a v2 context, a random master key, and what OpenSSL needs to match it ---- */

struct setup {
	fscrypt_ext_master_key *mk;
	uint8_t raw[64];
	uint8_t prk[64];                /* HKDF-Extract(no salt, raw) */
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	EVP_KDF *kdf;
};

/* HKDF-SHA512 as fscrypt: info = "fscrypt\0" || context || nonce. mode: OpenSSL's EXTRACT_AND_EXPAND or EXPAND_ONLY. */
static int evp_hkdf(EVP_KDF_CTX *kctx, int mode, const uint8_t *key, size_t key_len, uint8_t context,
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

static int setup_init(struct setup *s)
{
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	EVP_KDF_CTX *kctx;
	int err;

	memset(s, 0, sizeof(*s));
	randombytes_buf(s->raw, sizeof(s->raw));
	err = fscrypt_ext_master_key_new(s->raw, sizeof(s->raw), &s->mk);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_master_key_identifier(s->mk, id);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "master key");
		return -1;
	}
	s->ctx.version = 2;
	s->ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	s->ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	s->ctx.flags = FSCRYPT_EXT_FLAG_PAD_32;
	memcpy(s->ctx.key_identifier, id, sizeof(id));
	randombytes_buf(s->ctx.nonce, sizeof(s->ctx.nonce));
	fscrypt_ext_fs_info_ext4(&s->fs, 4096);
	s->kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	kctx = s->kdf ? EVP_KDF_CTX_new(s->kdf) : NULL;
	if (kctx == NULL) {
		cli_err("OpenSSL has no HKDF");
		return -1;
	}
	{
		/* PRK = HMAC-SHA512(64 zero bytes, raw): the no-salt extract. */
		int mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
		OSSL_PARAM p[4];

		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA512", 0);
		p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, s->raw, sizeof(s->raw));
		p[2] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
		p[3] = OSSL_PARAM_construct_end();
		err = EVP_KDF_derive(kctx, s->prk, sizeof(s->prk), p) == 1 ? 0 : -1;
	}
	EVP_KDF_CTX_free(kctx);
	return err;
}

static void setup_free(struct setup *s)
{
	fscrypt_ext_master_key_free(s->mk);
	EVP_KDF_free(s->kdf);
	sodium_memzero(s, sizeof(*s));
}

/* The per-file key the library derives (HKDF context 2), computed by OpenSSL. */
static int file_key(const struct setup *s, const struct fscrypt_ext_context *ctx, uint8_t *key, size_t len)
{
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(s->kdf);
	int err;

	if (kctx == NULL)
		return -1;
	err = evp_hkdf(kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, s->prk, sizeof(s->prk), 2, ctx->nonce, key, len);
	EVP_KDF_CTX_free(kctx);
	return err;
}

/* ---- contents: library side ---- */

struct lib_units {
	fscrypt_ext_inode *inode;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};

static int lib_units_op(void *arg)
{
	struct lib_units *u = arg;

	return u->enc ? fscrypt_ext_encrypt_data_units(u->inode, 0, u->in, u->out, u->len)
		      : fscrypt_ext_decrypt_data_units(u->inode, 0, u->in, u->out, u->len);
}

/* ---- contents: OpenSSL side, one EVP call per data unit with that unit's IV ---- */

struct ossl_units {
	EVP_CIPHER_CTX *ctx;
	EVP_CIPHER_CTX *essiv;  /* AES-256-ECB keyed by SHA-256(key), or NULL for XTS */
	const uint8_t *in;
	uint8_t *out;
	size_t len, du;
};

/* fscrypt v2 per-file IV: the data unit index, little-endian, zero-padded to 16 bytes. */
static void unit_iv(uint8_t iv[16], uint64_t index)
{
	memset(iv, 0, 16);
	for (int i = 0; i < 8; i++)
		iv[i] = (uint8_t)(index >> (8 * i));
}

static int ossl_units_op(void *arg)
{
	struct ossl_units *u = arg;
	uint8_t iv[16];
	int outl;

	for (size_t off = 0; off < u->len; off += u->du) {
		unit_iv(iv, off / u->du);
		if (u->essiv != NULL && EVP_EncryptUpdate(u->essiv, iv, &outl, iv, 16) != 1)
			return -1;
		if (EVP_CipherInit_ex(u->ctx, NULL, NULL, NULL, iv, -1) != 1 ||
		    EVP_CipherUpdate(u->ctx, u->out + off, &outl, u->in + off, (int)u->du) != 1)
			return -1;
	}
	return 0;
}

static EVP_CIPHER_CTX *evp_ctx(const char *cipher, const uint8_t *key, int enc)
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

struct buffers {
	uint8_t *plain, *lib_out, *ossl_out;
};

/*
 * One contents benchmark: the library encrypts/decrypts len bytes of units in
 * one call; OpenSSL does the same unit by unit. Decryption runs on the
 * ciphertext, so the self-check covers both directions.
 */
static int contents_bench(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend,
			  const char *name, uint8_t mode, unsigned int log2_du, size_t len, bool enc)
{
	struct fscrypt_ext_context ctx = s->ctx;
	struct lib_units lu = { .in = bufs->plain, .out = bufs->lib_out, .len = len, .enc = enc };
	struct ossl_units ou = { .in = bufs->plain, .out = bufs->ossl_out, .len = len };
	uint8_t key[64], essiv_key[32];
	size_t key_len = mode == FSCRYPT_EXT_MODE_AES_256_XTS ? 64 : 16;
	const char *cipher = mode == FSCRYPT_EXT_MODE_AES_256_XTS ? "AES-256-XTS" : "AES-128-CBC";
	struct side lib = { lib_units_op, &lu }, base = { ossl_units_op, &ou };
	int err, ret = -1;

	ctx.contents_mode = mode;
	ctx.filenames_mode = mode == FSCRYPT_EXT_MODE_AES_256_XTS ? FSCRYPT_EXT_MODE_AES_256_CTS
								   : FSCRYPT_EXT_MODE_AES_128_CTS;
	ctx.log2_data_unit_size = (uint8_t)log2_du;
	ou.du = (size_t)1 << (log2_du ? log2_du : 12);
	err = fscrypt_ext_inode_open(&ctx, s->mk, FSCRYPT_EXT_INODE_REG, 12, &s->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s: inode_open", name);
		return -1;
	}
	if (file_key(s, &ctx, key, key_len) != 0)
		goto out;
	if (mode == FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV) {
		crypto_hash_sha256(essiv_key, key, key_len);
		ou.essiv = evp_ctx("AES-256-ECB", essiv_key, 1);
		if (ou.essiv == NULL)
			goto out;
	}
	ou.ctx = evp_ctx(cipher, key, 1);
	if (ou.ctx == NULL)
		goto out;
	if (!enc) {
		/* Decrypt benchmarks start from the ciphertext OpenSSL made. */
		if (ossl_units_op(&ou) != 0)
			goto out;
		memcpy(bufs->lib_out, bufs->ossl_out, len);
		EVP_CIPHER_CTX_free(ou.ctx);
		ou.ctx = evp_ctx(cipher, key, 0);
		if (ou.ctx == NULL)
			goto out;
		lu.in = ou.in = bufs->lib_out;
		lu.out = bufs->plain + BUF_SIZE; /* the second half of the plaintext allocation */
		ou.out = bufs->ossl_out;
	}
	if (lib_units_op(&lu) != 0 || ossl_units_op(&ou) != 0) {
		cli_err("%s: the first run failed", name);
		goto out;
	}
	if (!same(name, backend, lu.out, ou.out, len) || (!enc && !same(name, backend, lu.out, bufs->plain, len)))
		goto out;
	ret = compare(b, name, backend, "openssl-evp", (double)len, &lib, &base);
out:
	if (ret != 0 && ou.ctx == NULL)
		cli_err("%s: OpenSSL set-up failed", name);
	EVP_CIPHER_CTX_free(ou.ctx);
	EVP_CIPHER_CTX_free(ou.essiv);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(essiv_key, sizeof(essiv_key));
	return ret;
}

static int xts_benches(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	static const struct {
		unsigned int log2_du;
		bool enc;
		const char *name;
	} cases[] = {
		{ 12, true, "aes-256-xts-encrypt-4096" },
		{ 12, false, "aes-256-xts-decrypt-4096" },
		{ 9, true, "aes-256-xts-encrypt-512" },
		{ 9, false, "aes-256-xts-decrypt-512" },
	};

	for (size_t i = 0; i < CLI_ARRAY_SIZE(cases); i++)
		if (contents_bench(b, s, bufs, backend, cases[i].name, FSCRYPT_EXT_MODE_AES_256_XTS, cases[i].log2_du,
				   BUF_SIZE, cases[i].enc) != 0)
			return -1;
	return 0;
}

/* ESSIV: one unit per call (a single CBC stream), 8 units per call (batched if the library batches), decrypt. */
static int essiv_benches(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	if (contents_bench(b, s, bufs, backend, "aes-128-cbc-essiv-encrypt-4096", FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV,
			   12, 4096, true) != 0 ||
	    contents_bench(b, s, bufs, backend, "aes-128-cbc-essiv-encrypt-4096-x8", FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV,
			   12, 8 * 4096, true) != 0 ||
	    contents_bench(b, s, bufs, backend, "aes-128-cbc-essiv-decrypt-4096", FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV,
			   12, BUF_SIZE, false) != 0)
		return -1;
	return 0;
}

/* ---- key derivation ---- */

struct lib_open {
	struct setup *s;
	uint8_t out[64];
};

/* The derivation alone: the 64-byte per-file XTS key (HKDF context 2) from the prepared master key. */
static int lib_derive_op(void *arg)
{
	struct lib_open *o = arg;

	return fscrypt_ext_master_key_derive(o->s->mk, 2, o->s->ctx.nonce, 16, o->out, sizeof(o->out));
}

/* What a filesystem pays per file: the derivation, the key check, and the AES-256-XTS key schedules. */
static int lib_open_op(void *arg)
{
	struct lib_open *o = arg;
	fscrypt_ext_inode *inode;
	int err = fscrypt_ext_inode_open(&o->s->ctx, o->s->mk, FSCRYPT_EXT_INODE_REG, 12, &o->s->fs, &inode);

	fscrypt_ext_inode_free(inode);
	return err;
}

struct evp_open_op {
	EVP_KDF_CTX *kctx;
	EVP_CIPHER_CTX *cctx;
	const struct setup *s;
	uint8_t key[64];
};

/* OpenSSL's equivalent of opening an inode: EVP_KDF expand, then the XTS key set into a cipher context. */
static int evp_open_op(void *arg)
{
	struct evp_open_op *o = arg;

	if (evp_hkdf(o->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, o->s->prk, sizeof(o->s->prk), 2, o->s->ctx.nonce, o->key,
		     sizeof(o->key)) != 0)
		return -1;
	return EVP_EncryptInit_ex(o->cctx, EVP_aes_256_xts(), NULL, o->key, NULL) == 1 ? 0 : -1;
}

struct evp_kdf_op {
	EVP_KDF_CTX *kctx;
	const struct setup *s;
	uint8_t out[64];
};

static int evp_kdf_op(void *arg)
{
	struct evp_kdf_op *o = arg;

	return evp_hkdf(o->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, o->s->prk, sizeof(o->s->prk), 2, o->s->ctx.nonce, o->out,
			sizeof(o->out));
}

/* The same with a fresh EVP_KDF context per derivation, as code that derives one key per call does. */
static int evp_kdf_fresh_op(void *arg)
{
	struct evp_kdf_op *o = arg;
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(o->s->kdf);
	int err;

	if (kctx == NULL)
		return -1;
	err = evp_hkdf(kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, o->s->prk, sizeof(o->s->prk), 2, o->s->ctx.nonce, o->out,
		       sizeof(o->out));
	EVP_KDF_CTX_free(kctx);
	return err;
}

struct sodium_op {
	crypto_auth_hmacsha512_state prepared;
	const struct setup *s;
	uint8_t out[64];
};

/* libsodium at its best: a PRK-keyed HMAC state prepared once and copied per derivation. */
static int sodium_op(void *arg)
{
	struct sodium_op *o = arg;
	crypto_auth_hmacsha512_state st;
	static const uint8_t prefix[9] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, 2 }, counter = 1;

	memcpy(&st, &o->prepared, sizeof(st));
	crypto_auth_hmacsha512_update(&st, prefix, sizeof(prefix));
	crypto_auth_hmacsha512_update(&st, o->s->ctx.nonce, 16);
	crypto_auth_hmacsha512_update(&st, &counter, 1);
	crypto_auth_hmacsha512_final(&st, o->out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

static int kdf_benches(struct bench *b, struct setup *s, const char *backend)
{
	struct lib_open lo = { s, { 0 } };
	struct evp_kdf_op eo = { EVP_KDF_CTX_new(s->kdf), s, { 0 } };
	struct evp_open_op oo = { EVP_KDF_CTX_new(s->kdf), EVP_CIPHER_CTX_new(), s, { 0 } };
	struct sodium_op so = { .s = s };
	struct side lib = { lib_derive_op, &lo }, open = { lib_open_op, &lo }, evp = { evp_kdf_op, &eo },
		    evp_fresh = { evp_kdf_fresh_op, &eo }, evp_open = { evp_open_op, &oo }, sod = { sodium_op, &so };
	char impl[48];
	int ret = -1;

	snprintf(impl, sizeof(impl), "inode-open/%s", backend);
	crypto_auth_hmacsha512_init(&so.prepared, s->prk, sizeof(s->prk));
	if (eo.kctx == NULL || oo.kctx == NULL || oo.cctx == NULL || evp_kdf_op(&eo) != 0 || sodium_op(&so) != 0 ||
	    lib_derive_op(&lo) != 0 || evp_open_op(&oo) != 0)
		goto out;
	/* The per-file key must be the same from all three (and the XTS self-checks already use it). */
	if (!same("key-derivation-64 (libsodium)", "libsodium", so.out, eo.out, 64) ||
	    !same("key-derivation-64", "hkdf-sha512", lo.out, eo.out, 64))
		goto out;
	if (compare(b, "key-derivation-64", "hkdf-sha512", "openssl-evp-kdf-hkdf", 64, &lib, &evp) != 0 ||
	    compare(b, "key-derivation-64", "hkdf-sha512", "openssl-evp-kdf-hkdf-new-ctx", 64, &lib, &evp_fresh) != 0 ||
	    compare(b, "key-derivation-64", "hkdf-sha512", "libsodium-hmac-sha512", 64, &lib, &sod) != 0 ||
	    compare(b, "inode-open-aes-256-xts", impl, "openssl-evp-kdf+xts-key", 64, &open, &evp_open) != 0)
		goto out;
	ret = 0;
out:
	EVP_KDF_CTX_free(oo.kctx);
	EVP_CIPHER_CTX_free(oo.cctx);
	sodium_memzero(&oo.key, sizeof(oo.key));
	sodium_memzero(&lo.out, sizeof(lo.out));
	EVP_KDF_CTX_free(eo.kctx);
	sodium_memzero(&so, sizeof(so));
	return ret;
}

/* ---- per-extent key setup (extent.h): HKDF context 9 + AES-256-XTS key schedule, what each new or loaded extent costs ---- */

struct lib_extent {
	struct setup *s;
	struct fscrypt_ext_extent_context ectx;
};

static int lib_extent_op(void *arg)
{
	struct lib_extent *o = arg;
	fscrypt_ext_extent_info *ei = NULL;
	int err = fscrypt_ext_extent_info_load(&o->s->ctx, &o->s->fs, &o->ectx, o->s->mk, 0, &ei);

	fscrypt_ext_extent_info_put(ei);
	return err;
}

struct evp_extent_op {
	EVP_KDF_CTX *kctx;
	EVP_CIPHER_CTX *cctx;
	const struct lib_extent *e;
	uint8_t key[64];
};

static int evp_extent_op(void *arg)
{
	struct evp_extent_op *o = arg;

	if (evp_hkdf(o->kctx, EVP_KDF_HKDF_MODE_EXPAND_ONLY, o->e->s->prk, sizeof(o->e->s->prk), 9, o->e->ectx.nonce,
		     o->key, sizeof(o->key)) != 0)
		return -1;
	return EVP_EncryptInit_ex(o->cctx, EVP_aes_256_xts(), NULL, o->key, NULL) == 1 ? 0 : -1;
}

static int extent_benches(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	struct lib_extent le = { s, { 0 } };
	struct evp_extent_op eo = { EVP_KDF_CTX_new(s->kdf), EVP_CIPHER_CTX_new(), &le, { 0 } };
	struct side lib = { lib_extent_op, &le }, evp = { evp_extent_op, &eo };
	fscrypt_ext_extent_info *ei = NULL;
	uint8_t iv[16] = { 0 };
	char impl[48];
	int n = 0, ret = -1;

	snprintf(impl, sizeof(impl), "extent-info/%s", backend);
	if (eo.kctx == NULL || eo.cctx == NULL || fscrypt_ext_extent_context_new(&s->ctx, &le.ectx) != FSCRYPT_EXT_OK ||
	    evp_extent_op(&eo) != 0 || fscrypt_ext_extent_info_load(&s->ctx, &s->fs, &le.ectx, s->mk, 0, &ei) != 0)
		goto out;
	/* Self-check: unit 0 of the extent under the library's key equals OpenSSL XTS under the EVP-derived key. */
	if (fscrypt_ext_extent_encrypt(ei, 0, bufs->plain, bufs->lib_out, 4096) != FSCRYPT_EXT_OK ||
	    EVP_EncryptInit_ex(eo.cctx, NULL, NULL, NULL, iv) != 1 ||
	    EVP_EncryptUpdate(eo.cctx, bufs->ossl_out, &n, bufs->plain, 4096) != 1 ||
	    !same("extent-info-setup", impl, bufs->lib_out, bufs->ossl_out, 4096))
		goto out;
	if (compare(b, "extent-info-setup", impl, "openssl-evp-kdf+xts-key", 64, &lib, &evp) != 0)
		goto out;
	ret = 0;
out:
	fscrypt_ext_extent_info_put(ei);
	EVP_KDF_CTX_free(eo.kctx);
	EVP_CIPHER_CTX_free(eo.cctx);
	sodium_memzero(&eo.key, sizeof(eo.key));
	return ret;
}

/* ---- filenames: AES-256-CTS (CBC-CS3), 32-byte names ---- */

struct lib_name {
	fscrypt_ext_inode *dir;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};

static int lib_name_op(void *arg)
{
	struct lib_name *n = arg;
	size_t out_len;

	return n->enc ? fscrypt_ext_fname_encrypt(n->dir, n->in, n->len, n->out, FSCRYPT_EXT_NAME_MAX, &out_len)
		      : fscrypt_ext_fname_decrypt(n->dir, n->in, n->len, n->out, FSCRYPT_EXT_NAME_MAX, &out_len);
}

struct ossl_name {
	EVP_CIPHER_CTX *ctx;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
};

static int ossl_name_op(void *arg)
{
	struct ossl_name *n = arg;
	static const uint8_t zero_iv[16];
	int outl;

	/* fscrypt names use a zero IV with per-file keys (spec section 6). */
	return EVP_CipherInit_ex(n->ctx, NULL, NULL, NULL, zero_iv, -1) == 1 &&
			       EVP_CipherUpdate(n->ctx, n->out, &outl, n->in, (int)n->len) == 1
		       ? 0
		       : -1;
}

static EVP_CIPHER_CTX *cts_ctx(const uint8_t key[32], int enc)
{
	EVP_CIPHER_CTX *ctx = evp_ctx("AES-256-CBC-CTS", key, enc);
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE, (char *)"CS3", 0),
			    OSSL_PARAM_construct_end() };

	if (ctx != NULL && EVP_CIPHER_CTX_set_params(ctx, p) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int name_benches(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	struct lib_name ln = { .in = bufs->plain, .out = bufs->lib_out, .len = 32, .enc = true };
	struct ossl_name on = { .in = bufs->plain, .out = bufs->ossl_out, .len = 32 };
	struct side lib = { lib_name_op, &ln }, base = { ossl_name_op, &on };
	uint8_t key[32], name[32];
	int err, ret = -1;

	/* A 32-byte name with no NUL, so decryption returns all of it. */
	for (size_t i = 0; i < sizeof(name); i++)
		name[i] = (uint8_t)('a' + i % 26);
	memcpy(bufs->plain, name, sizeof(name));
	err = fscrypt_ext_inode_open(&s->ctx, s->mk, FSCRYPT_EXT_INODE_DIR, 13, &s->fs, &ln.dir);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "filenames: inode_open");
		return -1;
	}
	if (file_key(s, &s->ctx, key, sizeof(key)) != 0 || (on.ctx = cts_ctx(key, 1)) == NULL) {
		cli_err("filenames: OpenSSL set-up failed");
		goto out;
	}
	if (lib_name_op(&ln) != 0 || ossl_name_op(&on) != 0 || !same("aes-256-cts-encrypt-32", backend, ln.out, on.out, 32))
		goto out;
	if (compare(b, "aes-256-cts-encrypt-32", backend, "openssl-evp", 32, &lib, &base) != 0)
		goto out;
	EVP_CIPHER_CTX_free(on.ctx);
	if ((on.ctx = cts_ctx(key, 0)) == NULL)
		goto out;
	memcpy(bufs->plain + 64, bufs->ossl_out, 32);
	ln.in = on.in = bufs->plain + 64;
	ln.enc = false;
	if (lib_name_op(&ln) != 0 || ossl_name_op(&on) != 0 || !same("aes-256-cts-decrypt-32", backend, ln.out, on.out, 32) ||
	    !same("aes-256-cts-decrypt-32", backend, ln.out, name, 32))
		goto out;
	ret = compare(b, "aes-256-cts-decrypt-32", backend, "openssl-evp", 32, &lib, &base);
out:
	EVP_CIPHER_CTX_free(on.ctx);
	fscrypt_ext_inode_free(ln.dir);
	sodium_memzero(key, sizeof(key));
	return ret;
}

/* ---- wide-block modes: Adiantum (contents and names), HCTR2 (names and ~4 KiB symlink targets) ---- */

/* OpenSSL ChaCha20 over each 4 KiB unit with a per-unit nonce: the baseline performance.md sets for Adiantum. */
static int ossl_chacha_op(void *arg)
{
	struct ossl_units *u = arg;
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

struct lib_link {
	fscrypt_ext_inode *link;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};

static int lib_link_op(void *arg)
{
	struct lib_link *l = arg;
	size_t out_len;

	return l->enc ? fscrypt_ext_symlink_encrypt(l->link, l->in, l->len, 4096, l->out, 4096, &out_len)
		      : fscrypt_ext_symlink_decrypt(l->link, l->in, l->len, l->out, 4096, &out_len);
}

/* A directory/file context with these modes under the bench master key. */
static struct fscrypt_ext_context wide_ctx(const struct setup *s, uint8_t contents, uint8_t filenames)
{
	struct fscrypt_ext_context ctx = s->ctx;

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
static int adiantum_contents_bench(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	struct fscrypt_ext_context ctx = wide_ctx(s, FSCRYPT_EXT_MODE_ADIANTUM, FSCRYPT_EXT_MODE_ADIANTUM);
	struct lib_units lu = { .in = bufs->plain, .out = bufs->lib_out, .len = BUF_SIZE, .enc = true };
	struct ossl_units ou = { .in = bufs->plain, .out = bufs->ossl_out, .len = BUF_SIZE, .du = 4096 };
	struct side lib = { lib_units_op, &lu }, base = { ossl_chacha_op, &ou };
	uint8_t key[32], tweak[32];
	int err, ret = -1;

	err = fscrypt_ext_inode_open(&ctx, s->mk, FSCRYPT_EXT_INODE_REG, 12, &s->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "adiantum: inode_open");
		return -1;
	}
	if (file_key(s, &ctx, key, sizeof(key)) != 0 || (ou.ctx = evp_ctx("ChaCha20", key, 1)) == NULL) {
		cli_err("adiantum: OpenSSL set-up failed");
		goto out;
	}
	if (lib_units_op(&lu) != 0)
		goto out;
	for (size_t off = 0; off < BUF_SIZE; off += 4096) {
		memset(tweak, 0, sizeof(tweak));
		unit_iv(tweak, off / 4096);
		if (fscrypt_ext_adiantum_encrypt(key, tweak, sizeof(tweak), bufs->plain + off, bufs->ossl_out + off, 4096) !=
		    FSCRYPT_EXT_OK)
			goto out;
	}
	if (!same("adiantum-encrypt-4096", backend, bufs->lib_out, bufs->ossl_out, BUF_SIZE))
		goto out;
	if (compare(b, "adiantum-encrypt-4096", backend, "openssl-chacha20", BUF_SIZE, &lib, &base) != 0)
		goto out;
	/* Decrypt the (checked) ciphertext, kept where neither side's timing runs overwrite it. */
	memcpy(bufs->plain + BUF_SIZE, bufs->lib_out, BUF_SIZE);
	lu.enc = false;
	lu.in = bufs->plain + BUF_SIZE;
	lu.out = bufs->lib_out;
	if (lib_units_op(&lu) != 0 || !same("adiantum-decrypt-4096", backend, lu.out, bufs->plain, BUF_SIZE))
		goto out;
	ret = compare(b, "adiantum-decrypt-4096", backend, "openssl-chacha20", BUF_SIZE, &lib, &base);
out:
	EVP_CIPHER_CTX_free(ou.ctx);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	return ret;
}

/* A 32-byte name with Adiantum or HCTR2 against OpenSSL AES-256-CTS, both directions. */
static int wide_name_bench(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend, uint8_t mode,
			   const char *enc_name, const char *dec_name)
{
	struct fscrypt_ext_context ctx = wide_ctx(s, mode == FSCRYPT_EXT_MODE_ADIANTUM ? FSCRYPT_EXT_MODE_ADIANTUM
											: FSCRYPT_EXT_MODE_AES_256_XTS, mode);
	struct lib_name ln = { .in = bufs->plain, .out = bufs->lib_out, .len = 32, .enc = true };
	struct ossl_name on = { .in = bufs->plain, .out = bufs->ossl_out, .len = 32 };
	struct side lib = { lib_name_op, &ln }, base = { ossl_name_op, &on };
	uint8_t key[32], tweak[32] = { 0 }, want[32];
	int err, ret = -1;

	for (size_t i = 0; i < 32; i++)
		bufs->plain[i] = (uint8_t)('a' + i % 26);
	err = fscrypt_ext_inode_open(&ctx, s->mk, FSCRYPT_EXT_INODE_DIR, 13, &s->fs, &ln.dir);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s: inode_open", enc_name);
		return -1;
	}
	if (file_key(s, &ctx, key, sizeof(key)) != 0 || (on.ctx = cts_ctx(key, 1)) == NULL) {
		cli_err("%s: OpenSSL set-up failed", enc_name);
		goto out;
	}
	err = mode == FSCRYPT_EXT_MODE_ADIANTUM ? fscrypt_ext_adiantum_encrypt(key, tweak, 32, bufs->plain, want, 32)
						: fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, bufs->plain, want, 32);
	if (err != FSCRYPT_EXT_OK || lib_name_op(&ln) != 0 || !same(enc_name, backend, ln.out, want, 32))
		goto out;
	if (compare(b, enc_name, backend, "openssl-evp-aes-256-cts", 32, &lib, &base) != 0)
		goto out;
	memcpy(bufs->plain + 64, want, 32);
	ln.in = bufs->plain + 64;
	ln.enc = false;
	if (lib_name_op(&ln) != 0 || !same(dec_name, backend, ln.out, bufs->plain, 32))
		goto out;
	ret = compare(b, dec_name, backend, "openssl-evp-aes-256-cts", 32, &lib, &base);
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
static int hctr2_link_bench(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	enum { TARGET = 4064 };
	struct fscrypt_ext_context ctx = wide_ctx(s, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_HCTR2);
	struct lib_link ll = { .in = bufs->plain, .out = bufs->lib_out, .len = TARGET, .enc = true };
	struct ossl_units ou = { .in = bufs->plain, .out = bufs->ossl_out, .len = TARGET, .du = TARGET };
	struct side lib = { lib_link_op, &ll }, base = { ossl_units_op, &ou };
	uint8_t key[64], tweak[32] = { 0 };
	int err, ret = -1;

	for (size_t i = 0; i < TARGET; i++) /* a symlink target has no NUL */
		bufs->plain[i] = (uint8_t)(bufs->plain[i] | 1);
	err = fscrypt_ext_inode_open(&ctx, s->mk, FSCRYPT_EXT_INODE_SYMLINK, 14, &s->fs, &ll.link);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "hctr2: inode_open");
		return -1;
	}
	if (file_key(s, &ctx, key, sizeof(key)) != 0 || (ou.ctx = evp_ctx("AES-256-XTS", key, 1)) == NULL) {
		cli_err("hctr2: OpenSSL set-up failed");
		goto out;
	}
	if (lib_link_op(&ll) != 0 ||
	    fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, bufs->plain, bufs->ossl_out, TARGET) != FSCRYPT_EXT_OK ||
	    bufs->lib_out[0] != (TARGET & 0xff) || bufs->lib_out[1] != (TARGET >> 8) ||
	    !same("aes-256-hctr2-encrypt-4064", backend, bufs->lib_out + 2, bufs->ossl_out, TARGET))
		goto out;
	if (compare(b, "aes-256-hctr2-encrypt-4064", backend, "openssl-evp-aes-256-xts", TARGET, &lib, &base) != 0)
		goto out;
	memcpy(bufs->plain + BUF_SIZE, bufs->lib_out, TARGET + 2);
	ll.in = bufs->plain + BUF_SIZE;
	ll.len = TARGET + 2;
	ll.enc = false;
	if (lib_link_op(&ll) != 0 || !same("aes-256-hctr2-decrypt-4064", backend, ll.out, bufs->plain, TARGET))
		goto out;
	ret = compare(b, "aes-256-hctr2-decrypt-4064", backend, "openssl-evp-aes-256-xts", TARGET, &lib, &base);
out:
	EVP_CIPHER_CTX_free(ou.ctx);
	fscrypt_ext_inode_free(ll.link);
	sodium_memzero(key, sizeof(key));
	return ret;
}

static int wide_benches(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	int ret = adiantum_contents_bench(b, s, bufs, backend);

	if (ret == 0)
		ret = wide_name_bench(b, s, bufs, backend, FSCRYPT_EXT_MODE_ADIANTUM, "adiantum-name-encrypt-32",
				      "adiantum-name-decrypt-32");
	if (ret == 0)
		ret = wide_name_bench(b, s, bufs, backend, FSCRYPT_EXT_MODE_AES_256_HCTR2, "aes-256-hctr2-name-encrypt-32",
				      "aes-256-hctr2-name-decrypt-32");
	if (ret == 0)
		ret = hctr2_link_bench(b, s, bufs, backend);
	/* Restore the random plaintext the other benchmarks expect. */
	randombytes_buf(bufs->plain, BUF_SIZE);
	return ret;
}

/* ---- output ---- */

/* ---- SM4-XTS: the library (mode 7) against XTS composed from OpenSSL's SM4-ECB (its 3.0 has no SM4-XTS) ---- */

struct ossl_sm4_xts {
	EVP_CIPHER_CTX *data, *tweak; /* SM4-ECB encryption with each key half */
	const uint8_t *in;
	uint8_t *out;
	size_t len;
};

static int ossl_sm4_xts_op(void *arg)
{
	struct ossl_sm4_xts *u = arg;
	uint8_t iv[16], tw[4096];
	int outl;

	for (size_t off = 0; off < u->len; off += 4096) {
		unit_iv(iv, off / 4096);
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
 * SM4-XTS encryption of 4 KiB units. The library's SM4 code follows the
 * forced backend: portable (bitsliced), aesni (AESENCLAST S-box), and the
 * GFNI code under vaes-avx2 when the CPU has GFNI.
 */
static int sm4_bench(struct bench *b, struct setup *s, struct buffers *bufs, const char *backend)
{
	struct fscrypt_ext_context ctx = s->ctx;
	struct lib_units lu = { .in = bufs->plain, .out = bufs->lib_out, .len = BUF_SIZE, .enc = true };
	struct ossl_sm4_xts ou = { .in = bufs->plain, .out = bufs->ossl_out, .len = BUF_SIZE };
	struct side lib = { lib_units_op, &lu }, base = { ossl_sm4_xts_op, &ou };
	uint8_t key[32];
	int err, ret = -1;

	ctx.contents_mode = FSCRYPT_EXT_MODE_SM4_XTS;
	ctx.filenames_mode = FSCRYPT_EXT_MODE_SM4_CTS;
	err = fscrypt_ext_inode_open(&ctx, s->mk, FSCRYPT_EXT_INODE_REG, 12, &s->fs, &lu.inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "sm4-xts: inode_open");
		return -1;
	}
	if (file_key(s, &ctx, key, sizeof(key)) == 0) {
		ou.data = evp_ctx("SM4-ECB", key, 1);
		ou.tweak = evp_ctx("SM4-ECB", key + 16, 1);
	}
	if (ou.data == NULL || ou.tweak == NULL)
		cli_err("sm4-xts: OpenSSL has no SM4-ECB");
	else if (lib_units_op(&lu) != 0 || ossl_sm4_xts_op(&ou) != 0)
		cli_err("sm4-xts: the first run failed");
	else if (same("sm4-xts-encrypt-4096", backend, lu.out, ou.out, BUF_SIZE))
		ret = compare(b, "sm4-xts-encrypt-4096", backend, "openssl-sm4-ecb", (double)BUF_SIZE, &lib, &base);
	EVP_CIPHER_CTX_free(ou.data);
	EVP_CIPHER_CTX_free(ou.tweak);
	fscrypt_ext_inode_free(lu.inode);
	sodium_memzero(key, sizeof(key));
	return ret;
}

static double cpb(const struct bench *b, double s, double bytes)
{
	return b->ghz > 0 ? s * b->ghz * 1e9 / bytes : 0;
}

static void print_table(const struct bench *b)
{
	printf("CPU core clock %.2f GHz (dependent-add chain); %s; libsodium %s; medians of %d rounds\n\n", b->ghz,
	       OpenSSL_version(OPENSSL_VERSION), sodium_version_string(), b->rounds);
	printf("%-34s %-22s %8s %7s %9s | %-22s %8s %7s | %6s\n", "benchmark", "implementation", "GB/s", "cpb", "ns/op",
	       "baseline", "GB/s", "cpb", "ratio");
	for (size_t i = 0; i < b->nrows; i++) {
		const struct row *r = &b->rows[i];

		printf("%-34s %-22s %8.3f %7.3f %9.1f | %-22s %8.3f %7.3f | %5.2fx\n", r->benchmark, r->implementation,
		       r->bytes / r->lib_s / 1e9, cpb(b, r->lib_s, r->bytes), r->lib_s * 1e9, r->baseline,
		       r->bytes / r->base_s / 1e9, cpb(b, r->base_s, r->bytes), r->base_s / r->lib_s);
	}
}

static void print_json(const struct bench *b)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < b->nrows; i++) {
		const struct row *r = &b->rows[i];
		struct json_object *o = json_object_new_object();

		cli_json_add_str(o, "benchmark", r->benchmark);
		cli_json_add_str(o, "implementation", r->implementation);
		cli_json_add_str(o, "baseline", r->baseline);
		json_object_object_add(o, "ratio", json_object_new_double(r->base_s / r->lib_s));
		json_object_object_add(o, "cycles_per_byte",
				       b->ghz > 0 ? json_object_new_double(cpb(b, r->lib_s, r->bytes)) : NULL);
		json_object_object_add(o, "gb_per_s", json_object_new_double(r->bytes / r->lib_s / 1e9));
		json_object_object_add(o, "ns_per_op", json_object_new_double(r->lib_s * 1e9));
		json_object_object_add(o, "bytes_per_op", json_object_new_double(r->bytes));
		json_object_object_add(o, "baseline_gb_per_s", json_object_new_double(r->bytes / r->base_s / 1e9));
		json_object_object_add(o, "baseline_cycles_per_byte",
				       b->ghz > 0 ? json_object_new_double(cpb(b, r->base_s, r->bytes)) : NULL);
		json_object_object_add(o, "baseline_ns_per_op", json_object_new_double(r->base_s * 1e9));
		json_object_object_add(o, "cpu_ghz", json_object_new_double(b->ghz));
		json_object_object_add(o, "rounds", json_object_new_int(b->rounds));
		cli_json_add_str(o, "openssl", OpenSSL_version(OPENSSL_VERSION));
		json_object_array_add(arr, o);
	}
	cli_json_print(arr);
	json_object_put(arr);
}

/* ---- driver ---- */

static int run_backend(struct bench *b, struct setup *s, struct buffers *bufs, const char *name)
{
	int err = fscrypt_ext_backend_force(name);

	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot use backend %s", name);
		return -1;
	}
	if (!b->json)
		fprintf(stderr, "backend %s:\n", name);
	if (xts_benches(b, s, bufs, name) != 0 || essiv_benches(b, s, bufs, name) != 0 ||
	    name_benches(b, s, bufs, name) != 0 || wide_benches(b, s, bufs, name) != 0 ||
	    sm4_bench(b, s, bufs, name) != 0)
		return -1;
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "rounds", required_argument, NULL, OPT_ROUNDS },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .rounds = 7, .sample_s = 0.015 };
	struct buffers bufs = { 0 };
	struct setup s;
	const char *only = NULL, *name;
	uint32_t rounds;
	int opt, avail, err, ret = CLI_EXIT_FAIL;
	bool ran = false;

	cli_prog = "fscrypt-ext bench";
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case CLI_OPT_JSON:
			b.json = true;
			break;
		case OPT_ROUNDS:
			if (!cli_parse_u32(optarg, &rounds) || rounds == 0 || rounds > MAX_ROUNDS)
				return cli_usage_err("--rounds wants 1..%d", MAX_ROUNDS);
			b.rounds = (int)rounds;
			break;
		case OPT_BACKEND:
			only = optarg;
			break;
		case OPT_QUICK:
			b.sample_s = 0.004;
			break;
		case 'h':
			fputs(bench_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind != argc)
		return cli_usage_err("unexpected argument '%s'", argv[optind]);
	err = fscrypt_ext_init();
	if (err != FSCRYPT_EXT_OK || sodium_init() < 0) {
		cli_lib_err(err, "library initialisation failed");
		return CLI_EXIT_FAIL;
	}
	if (setup_init(&s) != 0)
		return CLI_EXIT_FAIL;
	bufs.plain = aligned_alloc(64, 2 * BUF_SIZE);
	bufs.lib_out = aligned_alloc(64, BUF_SIZE);
	bufs.ossl_out = aligned_alloc(64, BUF_SIZE);
	if (bufs.plain == NULL || bufs.lib_out == NULL || bufs.ossl_out == NULL) {
		cli_err("out of memory");
		goto out;
	}
	randombytes_buf(bufs.plain, BUF_SIZE);
	b.ghz = measure_ghz();
	if (!b.json)
		fprintf(stderr, "core clock %.2f GHz\n", b.ghz);
	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		if (only != NULL ? strcmp(only, name) != 0 : !avail)
			continue;
		if (only != NULL && !avail) {
			cli_err("backend %s cannot run on this CPU", name);
			ret = CLI_EXIT_SKIP;
			goto out;
		}
		if (run_backend(&b, &s, &bufs, name) != 0)
			goto out;
		ran = true;
	}
	if (!ran) {
		ret = cli_usage_err("no backend named '%s'", only);
		goto out;
	}
	/* Key derivation on the automatic backend (the AES key setup is part of opening an inode). */
	if (fscrypt_ext_backend_force("auto") != FSCRYPT_EXT_OK || kdf_benches(&b, &s, fscrypt_ext_backend_name()) != 0)
		goto out;
	if (extent_benches(&b, &s, &bufs, fscrypt_ext_backend_name()) != 0)
		goto out;
	{
		/* The clock again at the end: the higher of the two is the less disturbed measurement. */
		double ghz = measure_ghz();

		if (ghz > b.ghz)
			b.ghz = ghz;
	}
	if (b.json)
		print_json(&b);
	else
		print_table(&b);
	ret = CLI_EXIT_OK;
out:
	if (ret != CLI_EXIT_OK && ret != CLI_EXIT_SKIP && ret != CLI_EXIT_USAGE)
		ret = CLI_EXIT_FAIL;
	free(bufs.plain);
	free(bufs.lib_out);
	free(bufs.ossl_out);
	free(b.rows);
	setup_free(&s);
	return ret;
}
