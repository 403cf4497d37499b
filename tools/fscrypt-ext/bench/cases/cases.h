/* fscrypt-ext tool: `bench` benchmark families, one file each, and the table that orders them (see README.md here). */
#ifndef FSCRYPT_EXT_CLI_BENCH_CASES_H
#define FSCRYPT_EXT_CLI_BENCH_CASES_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/bench.h"

/* Runs every row of a family under one backend; 0, or -1 after printing why. */
typedef int (*bench_family_fn)(struct bench *b, struct bench_env *env, const char *backend);

struct bench_family {
	const char *name;
	bool each_backend;      /* true: once per AES backend; false: once, on the automatic choice */
	bench_family_fn run;
};

/* In the order the rows print (cases.c). */
extern const struct bench_family bench_families[];
extern const size_t bench_n_families;

int bench_contents(struct bench *b, struct bench_env *env, const char *backend);  /* contents.c */
int bench_names(struct bench *b, struct bench_env *env, const char *backend);     /* names.c */
int bench_wide(struct bench *b, struct bench_env *env, const char *backend);      /* wide.c */
int bench_kdf(struct bench *b, struct bench_env *env, const char *backend);       /* kdf.c */
int bench_extent(struct bench *b, struct bench_env *env, const char *backend);    /* extent.c */
int bench_batch(struct bench *b, struct bench_env *env, const char *backend);     /* batch.c */
int bench_sm4(struct bench *b, struct bench_env *env, const char *backend);       /* sm4.c */

#endif
