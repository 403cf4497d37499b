/* tools/common: hex text to bytes and back (the one decoder of the programs). */
#ifndef FSCRYPT_EXT_TOOLS_HEX_H
#define FSCRYPT_EXT_TOOLS_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes exactly hex_len hex digits (upper or lower case, no separators) into
 * hex_len / 2 bytes at out, which must have room for them. Runs in constant
 * time for a given length (libsodium's decoder), so it may decode keys.
 * False on an odd length or a non-hex digit; out may then hold a partial
 * result, which the caller wipes if it is secret.
 */
bool tc_hex_decode(const char *hex, size_t hex_len, uint8_t *out);

/* Writes 2n lowercase digits and a NUL into out (room for 2n + 1 bytes). */
void tc_hex_encode(const uint8_t *p, size_t n, char *out);

#endif
