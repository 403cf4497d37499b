/* fscrypt-ext tool: `bench` internals shared by the harness, the baselines, the cases and the output. */
#ifndef FSCRYPT_EXT_CLI_BENCH_H
#define FSCRYPT_EXT_CLI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* Bytes each contents case works on; the plaintext allocation holds twice this. */
#define BENCH_BUF_SIZE (64 * 1024)
#define BENCH_MAX_ROUNDS 101

/* One side of a comparison: op() does the row's bytes of work once; nonzero means it failed. */
struct bench_side {
	int (*op)(void *arg);
	void *arg;
};

/* One reported line: medians of the library and of the baseline. */
struct bench_row {
	char benchmark[64];
	char implementation[48];
	char baseline[48];
	double bytes;       /* per op */
	double lib_s;       /* median seconds per op */
	double base_s;
};

/* A whole run: its settings and the rows so far. */
struct bench {
	int rounds;
	double sample_s;
	double ghz;         /* core clock; 0 when it could not be measured */
	struct bench_row *rows;
	size_t nrows, cap;
	bool json;
};

/*
 * The test inode every case starts from: a random master key, a v2
 * AES-256-XTS/CTS context under it, and what OpenSSL needs to derive the same
 * keys (the HKDF-Extract output and a fetched HKDF).
 */
struct bench_env {
	fscrypt_ext_master_key *mk;
	uint8_t raw[64];
	uint8_t prk[64];                /* HKDF-Extract(no salt, raw) */
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	EVP_KDF *kdf;
	/* plain: 2 * BENCH_BUF_SIZE of random bytes (cases may borrow the second half); outputs: BENCH_BUF_SIZE each. */
	uint8_t *plain, *lib_out, *ossl_out;
};

/* ---- harness.c: timing ---- */

/* The core clock in GHz from a chain of dependent adds (not the TSC); 0 on other CPUs. */
double bench_measure_ghz(void);
/*
 * Calibrates both sides, then alternates them for b->rounds rounds and
 * appends a row with the medians (and a progress line unless --json).
 */
int bench_compare(struct bench *b, const char *benchmark, const char *impl, const char *baseline, double bytes,
		  const struct bench_side *lib, const struct bench_side *base);
/* The self-check: true if equal, else prints which benchmark's output differs. */
bool bench_same(const char *what, const char *impl, const uint8_t *a, const uint8_t *b, size_t n);

/* ---- library.c: the library side shared by several cases ---- */

/* Data units of one inode, from unit 0, in one call. */
struct bench_lib_units {
	fscrypt_ext_inode *inode;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};
int bench_lib_units_op(void *arg);

/* One file name in one directory. */
struct bench_lib_name {
	fscrypt_ext_inode *dir;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};
int bench_lib_name_op(void *arg);

/* One symlink target (into a 4096-byte block). */
struct bench_lib_link {
	fscrypt_ext_inode *link;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	bool enc;
};
int bench_lib_link_op(void *arg);

/* ---- output.c ---- */

/* The CPU features the run saw and the implementation of every primitive the library chose. */
void bench_print_cpu(FILE *f);
void bench_print_table(const struct bench *b);
void bench_print_json(const struct bench *b);

#endif
