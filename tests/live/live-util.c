/* Small helpers of the live-kernel test helper: errors, bounded hex parsing, a replayable PRNG, the v1 descriptor. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hex.h"
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

long live_fromhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max || !tc_hex_decode(hex, n, out))
		return -1;
	return (long)(n / 2);
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
