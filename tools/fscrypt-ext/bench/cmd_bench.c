/* fscrypt-ext tool: `bench`, the library against OpenSSL/libsodium on fscrypt's hot paths, alternating in one run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bench/baselines.h"
#include "bench/bench.h"
#include "bench/cases/cases.h"
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
	"runs), and the median of the rounds is reported. Every benchmark first\n"
	"checks that the library's output equals the baseline's. Cycles per byte\n"
	"use the core clock measured with a dependent-add chain. A program, never\n"
	"a timed test: ratios on a shared machine vary by +-20%.\n"
	"\n"
	"Options:\n"
	"      --json          one JSON array of objects (benchmark, implementation,\n"
	"                      baseline, ratio, cycles_per_byte, gb_per_s, ...)\n"
	"      --rounds N      rounds per benchmark (default 7)\n"
	"      --backend NAME  only this backend profile, for the key-setup rows too\n"
	"                      (default: every AES backend this CPU runs, key setup\n"
	"                      on FSCRYPT_EXT_BACKEND or the automatic choice)\n"
	"      --quick         shorter samples (about 4 ms instead of 15 ms)\n"
	"  -h, --help          show this help\n";

enum { OPT_ROUNDS = CLI_OPT_FIRST_FREE, OPT_BACKEND, OPT_QUICK };

/* The families that run once per backend, under that backend. */
static int run_backend(struct bench *b, struct bench_env *env, const char *name)
{
	int err = fscrypt_ext_backend_force(name);

	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot use backend %s", name);
		return -1;
	}
	if (!b->json)
		fprintf(stderr, "backend %s:\n", name);
	for (size_t i = 0; i < bench_n_families; i++)
		if (bench_families[i].each_backend && bench_families[i].run(b, env, name) != 0)
			return -1;
	return 0;
}

/*
 * The families that run once: on the backend --backend names, else on the
 * FSCRYPT_EXT_BACKEND choice, else on the automatic one (so forcing
 * vaes-avx2 on an AVX-512 machine times key setup on the AVX2 paths too).
 */
static int run_auto(struct bench *b, struct bench_env *env, const char *only)
{
	const char *spec = only != NULL ? only : getenv("FSCRYPT_EXT_BACKEND");

	if (spec == NULL || fscrypt_ext_backend_force(spec) != FSCRYPT_EXT_OK)
		spec = "auto";
	if (fscrypt_ext_backend_force(spec) != FSCRYPT_EXT_OK)
		return -1;
	for (size_t i = 0; i < bench_n_families; i++)
		if (!bench_families[i].each_backend && bench_families[i].run(b, env, fscrypt_ext_backend_name()) != 0)
			return -1;
	return 0;
}

/* Every backend this CPU runs, or only the one named; a CLI_EXIT_* code. */
static int run_backends(struct bench *b, struct bench_env *env, const char *only)
{
	const char *name;
	bool ran = false;
	int avail;

	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		if (only != NULL ? strcmp(only, name) != 0 : !avail)
			continue;
		if (only != NULL && !avail) {
			cli_err("backend %s cannot run on this CPU", name);
			return CLI_EXIT_SKIP;
		}
		if (run_backend(b, env, name) != 0)
			return CLI_EXIT_FAIL;
		ran = true;
	}
	if (!ran)
		return cli_usage_err("no backend named '%s'", only);
	return CLI_EXIT_OK;
}

static int run(struct bench *b, const char *only)
{
	struct bench_env env;
	int ret = CLI_EXIT_FAIL;

	if (bench_env_init(&env) != 0)
		goto out;
	b->ghz = bench_measure_ghz();
	if (!b->json)
		fprintf(stderr, "core clock %.2f GHz\n", b->ghz);
	else
		bench_print_cpu(stderr); /* stdout holds only the JSON array */
	ret = run_backends(b, &env, only);
	if (ret != CLI_EXIT_OK)
		goto out;
	ret = CLI_EXIT_FAIL;
	if (run_auto(b, &env, only) != 0)
		goto out;
	{
		/* The clock again at the end: the higher of the two is the less disturbed measurement. */
		double ghz = bench_measure_ghz();

		if (ghz > b->ghz)
			b->ghz = ghz;
	}
	if (b->json)
		bench_print_json(b);
	else
		bench_print_table(b);
	ret = CLI_EXIT_OK;
out:
	bench_env_free(&env);
	return ret;
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
	const char *only = NULL;
	uint32_t rounds;
	int opt, err, ret;

	tc_prog = "fscrypt-ext bench";
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case CLI_OPT_JSON:
			b.json = true;
			break;
		case OPT_ROUNDS:
			if (!cli_parse_u32(optarg, &rounds) || rounds == 0 || rounds > BENCH_MAX_ROUNDS)
				return cli_usage_err("--rounds wants 1..%d", BENCH_MAX_ROUNDS);
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
	ret = run(&b, only);
	free(b.rows);
	return ret;
}
