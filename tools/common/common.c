/* tools/common: the message prefix shared by the helpers. */
#include <stdarg.h>
#include <stdio.h>

#include "common.h"

const char *tc_prog = "fscrypt-ext";

void tc_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tc_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
