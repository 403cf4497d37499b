/* Small helpers of the live-kernel test helper: errors, hex, a replayable PRNG, the v1 descriptor. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "live.h"

void live_die(const char *fmt, ...)
{
	va_list ap;

	fputs("fscrypt-live: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void live_tohex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long live_fromhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

void live_json_hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		fputc(digits[p[i] >> 4], f);
		fputc(digits[p[i] & 15], f);
	}
	fputc('"', f);
}

static uint64_t prng_state;

void live_prng_seed(uint64_t seed)
{
	prng_state = seed;
}

uint64_t live_prng_u64(void)
{
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void live_prng_bytes(void *out, size_t n)
{
	uint8_t *p = out;

	while (n) {
		uint64_t v = live_prng_u64();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

void live_v1_descriptor(const uint8_t *key, size_t len, uint8_t desc[8])
{
	uint8_t h1[64], h2[64];
	unsigned int l1 = 0, l2 = 0;

	if (!EVP_Digest(key, len, h1, &l1, EVP_sha512(), NULL) ||
	    !EVP_Digest(h1, sizeof(h1), h2, &l2, EVP_sha512(), NULL))
		live_die("SHA-512 failed");
	memcpy(desc, h2, 8);
}
