/* tools/common: JSON output written by hand where json-c's escaping is not enough (raw bytes in names). */
#ifndef FSCRYPT_EXT_TOOLS_JSONOUT_H
#define FSCRYPT_EXT_TOOLS_JSONOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Writes s (len bytes, any content) as a quoted JSON string: '"' and '\' are
 * escaped, control characters (below 0x20, DEL and U+0080..U+009F) and
 * U+2028/U+2029 become \uXXXX, valid UTF-8 is kept, and each byte that is not
 * valid UTF-8 becomes the lone surrogate \uDCxx (xx = the byte), the
 * "surrogateescape" convention: Python's json module reads it back and
 * s.encode("utf-8", "surrogateescape") gives the original bytes.
 */
void tc_json_string(FILE *f, const void *s, size_t len);

/* Writes "key": with the key escaped as above. */
void tc_json_key(FILE *f, const char *key);

/* Writes n bytes as a quoted lowercase hex string. */
void tc_json_hex(FILE *f, const uint8_t *p, size_t n);

#endif
