/* fscrypt-ext tool: the `bench` families in the order their rows print (how to add a row: README.md here). */
#include "bench/cases/cases.h"
#include "util.h"

const struct bench_family bench_families[] = {
	/* once per AES backend this CPU runs (or the one --backend names) */
	{ "contents", true, bench_contents },
	{ "names", true, bench_names },
	{ "wide", true, bench_wide },
	{ "sm4", true, bench_sm4 },
	/* once, on the automatic backend: the AES key setup is part of opening an inode or an extent */
	{ "kdf", false, bench_kdf },
	{ "extent", false, bench_extent },
	{ "batch", false, bench_batch },
};

const size_t bench_n_families = CLI_ARRAY_SIZE(bench_families);
