/* fscrypt-ext tool: the `bench` harness: the core clock, calibrated samples, alternating rounds and medians. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The core clock: a chain of dependent 1-cycle adds runs at one add per core
 * cycle, whatever the boost state (the TSC ticks at a fixed rate instead).
 * Best of several runs.
 */
double bench_measure_ghz(void)
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
static double time_ops(const struct bench_side *s, unsigned long n)
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
 * median across rounds then gives the reported figure.
 */
#define SUBSAMPLES 5
static double time_best(const struct bench_side *s, unsigned long n)
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

/* Ops per sample so that one sample lasts about sample_s; 0 if an op failed. */
static unsigned long calibrate(const struct bench_side *s, double sample_s)
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

static struct bench_row *new_row(struct bench *b)
{
	if (b->nrows == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct bench_row *nr = realloc(b->rows, cap * sizeof(*nr));

		if (nr == NULL)
			return NULL;
		b->rows = nr;
		b->cap = cap;
	}
	memset(&b->rows[b->nrows], 0, sizeof(b->rows[0]));
	return &b->rows[b->nrows++];
}

int bench_compare(struct bench *b, const char *benchmark, const char *impl, const char *baseline, double bytes,
		  const struct bench_side *lib, const struct bench_side *base)
{
	double tl[BENCH_MAX_ROUNDS], tb[BENCH_MAX_ROUNDS];
	unsigned long nl = calibrate(lib, b->sample_s), nb = calibrate(base, b->sample_s);
	struct bench_row *r;

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
	r = new_row(b);
	if (r == NULL)
		return -1;
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

bool bench_same(const char *what, const char *impl, const uint8_t *a, const uint8_t *b, size_t n)
{
	if (memcmp(a, b, n) == 0)
		return true;
	cli_err("self-check FAILED: %s (%s) differs from the baseline's output", what, impl);
	return false;
}
