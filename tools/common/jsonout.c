/* tools/common: JSON string output with full escaping (control bytes, invalid UTF-8 as surrogate escapes). */
#include <string.h>

#include "escape.h"
#include "jsonout.h"

void tc_json_string(FILE *f, const void *sv, size_t len)
{
	const uint8_t *s = sv;
	size_t i = 0;

	fputc('"', f);
	while (i < len) {
		uint32_t cp = 0;
		size_t n = tc_utf8_seq(s + i, len - i, &cp);

		if (n == 0) {
			fprintf(f, "\\udc%02x", s[i]);
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
			fprintf(f, "\\u%04x", (unsigned int)cp);
		else
			fwrite(s + i, 1, n, f);
		i += n;
	}
	fputc('"', f);
}

void tc_json_key(FILE *f, const char *key)
{
	tc_json_string(f, key, strlen(key));
	fputc(':', f);
}

void tc_json_hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		fputc(digits[p[i] >> 4], f);
		fputc(digits[p[i] & 15], f);
	}
	fputc('"', f);
}
