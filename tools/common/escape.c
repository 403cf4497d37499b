/* tools/common: control-byte escaping for text output (as ls -b) and UTF-8 validation. */
#include "escape.h"

size_t tc_utf8_seq(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

void tc_escape_text(FILE *f, const uint8_t *s, size_t len)
{
	static const char cesc[] = { ['\a'] = 'a', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
				     ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r' };
	size_t i = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t n = tc_utf8_seq(s + i, len - i, &cp);

		if (n == 1 && s[i] == '\\') {
			fputs("\\\\", f);
		} else if (n == 1 && s[i] < sizeof(cesc) && cesc[s[i]]) {
			fputc('\\', f);
			fputc(cesc[s[i]], f);
		} else if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
			/* Not printable as it is: every byte of it in octal. */
			size_t m = n ? n : 1;

			for (size_t j = 0; j < m; j++)
				fprintf(f, "\\%03o", s[i + j]);
			i += m;
			continue;
		} else {
			fwrite(s + i, 1, n, f);
		}
		i += n;
	}
}
