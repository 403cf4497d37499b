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
