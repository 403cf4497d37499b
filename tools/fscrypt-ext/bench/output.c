/* fscrypt-ext tool: `bench` output, the text table and the JSON array (one object per row). */
#include <stdio.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "bench/bench.h"
#include "util.h"

static double cpb(const struct bench *b, double s, double bytes)
{
	return b->ghz > 0 ? s * b->ghz * 1e9 / bytes : 0;
}

void bench_print_cpu(FILE *f)
{
	const char *prim, *impl;

	fputs("CPU features seen:", f);
#if defined(__x86_64__)
	{
		/* The compiler runtime's view (cpuid, and XCR0 for the AVX and AVX-512 register state). */
		__builtin_cpu_init();
		if (__builtin_cpu_supports("aes"))
			fputs(" aes", f);
		if (__builtin_cpu_supports("pclmul"))
			fputs(" pclmul", f);
		if (__builtin_cpu_supports("avx2"))
			fputs(" avx2", f);
		if (__builtin_cpu_supports("bmi2"))
			fputs(" bmi2", f);
		if (__builtin_cpu_supports("vaes"))
			fputs(" vaes", f);
		if (__builtin_cpu_supports("vpclmulqdq"))
			fputs(" vpclmulqdq", f);
		if (__builtin_cpu_supports("avx512f"))
			fputs(" avx512f", f);
		if (__builtin_cpu_supports("avx512bw"))
			fputs(" avx512bw", f);
		if (__builtin_cpu_supports("avx512vl"))
			fputs(" avx512vl", f);
	}
#else
	fputs(" (not probed on this architecture)", f);
#endif
	fputs("\nImplementations chosen:", f);
	for (size_t i = 0; (prim = fscrypt_ext_backend_primitive(i, &impl)) != NULL; i++)
		fprintf(f, " %s=%s", prim, impl);
	fputs("\n", f);
}

void bench_print_table(const struct bench *b)
{
	bench_print_cpu(stdout);
	printf("CPU core clock %.2f GHz (dependent-add chain); %s; libsodium %s; medians of %d rounds\n\n", b->ghz,
	       OpenSSL_version(OPENSSL_VERSION), sodium_version_string(), b->rounds);
	printf("%-34s %-22s %8s %7s %9s | %-22s %8s %7s | %6s\n", "benchmark", "implementation", "GB/s", "cpb", "ns/op",
	       "baseline", "GB/s", "cpb", "ratio");
	for (size_t i = 0; i < b->nrows; i++) {
		const struct bench_row *r = &b->rows[i];

		printf("%-34s %-22s %8.3f %7.3f %9.1f | %-22s %8.3f %7.3f | %5.2fx\n", r->benchmark, r->implementation,
		       r->bytes / r->lib_s / 1e9, cpb(b, r->lib_s, r->bytes), r->lib_s * 1e9, r->baseline,
		       r->bytes / r->base_s / 1e9, cpb(b, r->base_s, r->bytes), r->base_s / r->lib_s);
	}
}

/* Cycles per byte are null when the clock could not be measured. */
static struct json_object *cpb_json(const struct bench *b, double s, double bytes)
{
	return b->ghz > 0 ? json_object_new_double(cpb(b, s, bytes)) : NULL;
}

void bench_print_json(const struct bench *b)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < b->nrows; i++) {
		const struct bench_row *r = &b->rows[i];
		struct json_object *o = json_object_new_object();

		cli_json_add_str(o, "benchmark", r->benchmark);
		cli_json_add_str(o, "implementation", r->implementation);
		cli_json_add_str(o, "baseline", r->baseline);
		json_object_object_add(o, "ratio", json_object_new_double(r->base_s / r->lib_s));
		json_object_object_add(o, "cycles_per_byte", cpb_json(b, r->lib_s, r->bytes));
		json_object_object_add(o, "gb_per_s", json_object_new_double(r->bytes / r->lib_s / 1e9));
		json_object_object_add(o, "ns_per_op", json_object_new_double(r->lib_s * 1e9));
		json_object_object_add(o, "bytes_per_op", json_object_new_double(r->bytes));
		json_object_object_add(o, "baseline_gb_per_s", json_object_new_double(r->bytes / r->base_s / 1e9));
		json_object_object_add(o, "baseline_cycles_per_byte", cpb_json(b, r->base_s, r->bytes));
		json_object_object_add(o, "baseline_ns_per_op", json_object_new_double(r->base_s * 1e9));
		json_object_object_add(o, "cpu_ghz", json_object_new_double(b->ghz));
		json_object_object_add(o, "rounds", json_object_new_int(b->rounds));
		cli_json_add_str(o, "openssl", OpenSSL_version(OPENSSL_VERSION));
		json_object_array_add(arr, o);
	}
	cli_json_print(arr);
	json_object_put(arr);
}
