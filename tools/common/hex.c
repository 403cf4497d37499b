/* tools/common: hex decoding (constant time, through libsodium) and encoding. */
#include <sodium.h>

#include "hex.h"

bool tc_hex_decode(const char *hex, size_t hex_len, uint8_t *out)
{
	size_t n = 0;
	const char *end = NULL;

	if (hex_len % 2)
		return false;
	if (hex_len == 0)
		return true;
	/* No ignore set: any non-digit stops the decoder before the end, which we refuse. */
	return sodium_hex2bin(out, hex_len / 2, hex, hex_len, NULL, &n, &end) == 0 && n == hex_len / 2 &&
	       end == hex + hex_len;
}

void tc_hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
}
