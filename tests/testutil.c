/* Test helpers shared by the Check suites. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fscrypt_ext/fscrypt_ext.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t *tu_hex(const char *hex, size_t *len)
{
	size_t n = strlen(hex);
	uint8_t *out;

	ck_assert_msg(n % 2 == 0, "odd hex length: %s", hex);
	out = malloc(n / 2 + 1);
	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		ck_assert_msg(hi >= 0 && lo >= 0, "bad hex: %s", hex);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return out;
}

void tu_hex_into(const char *hex, uint8_t *out, size_t n)
{
	size_t len;
	uint8_t *b = tu_hex(hex, &len);

	ck_assert_msg(len == n, "hex length %zu, expected %zu", len, n);
	memcpy(out, b, n);
	free(b);
}

char *tu_tohex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

uint32_t tu_rand_u32(void)
{
	/* xorshift64*: reproducible test inputs, not for secrets. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

void tu_rand(void *out, size_t n)
{
	uint8_t *p = out;

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)tu_rand_u32();
}

const char *tu_backend(void)
{
	return fscrypt_ext_backend_name();
}

int tu_run(Suite *s)
{
	const char *want = getenv("FSCRYPT_EXT_BACKEND");
	SRunner *sr;
	int failed;

	if (fscrypt_ext_init() != FSCRYPT_EXT_OK) {
		fprintf(stderr, "library initialisation failed\n");
		return 1;
	}
	if (want && *want && strcmp(want, "auto") != 0) {
		if (fscrypt_ext_backend_force(want) != FSCRYPT_EXT_OK) {
			printf("SKIP: backend %s is not available on this CPU or build\n", want);
			return 77;
		}
	}
	printf("backend: %s\n", fscrypt_ext_backend_name());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* ---- stack probes ---- */

#if defined(__SANITIZE_ADDRESS__)
#define TU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_ASAN 1
#endif
#endif
#ifndef TU_ASAN
#define TU_ASAN 0
#endif

int tu_under_asan(void)
{
	return TU_ASAN;
}

__attribute__((noinline)) void tu_stack_fill(void)
{
	volatile uint8_t area[TU_STACK_PROBE_BYTES];

	for (size_t i = 0; i < sizeof(area); i++)
		area[i] = 0xa5;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Reads back the dead stack below the caller (what the last call at this
 * depth left). The 8-byte pieces of the patterns are sorted once so each
 * stack offset costs a binary search (the arm64 run is under qemu).
 */
__attribute__((noinline)) int tu_stack_find(const uint8_t *const pats[], const size_t lens[], size_t npat,
					    long *offset)
{
	volatile uint8_t area[TU_STACK_PROBE_BYTES];
	static uint8_t copy[TU_STACK_PROBE_BYTES];
	uint64_t *win;
	size_t nwin = 0, total = 0;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
	for (size_t i = 0; i < sizeof(area); i++)
		copy[i] = area[i]; /* dead bytes of earlier calls: reading them is the point */
#pragma GCC diagnostic pop
	for (size_t p = 0; p < npat; p++)
		total += lens[p] >= 8 ? lens[p] - 7 : 0;
	win = malloc((total ? total : 1) * sizeof(*win));
	ck_assert_msg(win != NULL, "tu_stack_find: out of memory");
	for (size_t p = 0; p < npat; p++)
		for (size_t w = 0; w + 8 <= lens[p]; w++)
			memcpy(&win[nwin++], pats[p] + w, 8);
	qsort(win, nwin, sizeof(win[0]), cmp_u64);
	for (size_t i = 0; i + 8 <= sizeof(copy); i++) {
		uint64_t v;

		memcpy(&v, copy + i, 8);
		if (bsearch(&v, win, nwin, sizeof(win[0]), cmp_u64) == NULL)
			continue;
		/* Name the pattern it came from. */
		for (size_t p = 0; p < npat; p++)
			for (size_t w = 0; w + 8 <= lens[p]; w++)
				if (memcmp(copy + i, pats[p] + w, 8) == 0) {
					free(win);
					*offset = (long)i;
					return (int)p;
				}
	}
	free(win);
	return -1;
}
