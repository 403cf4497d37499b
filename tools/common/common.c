/* tools/common: the message prefix shared by the helpers, and path joining. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

char *tc_path_join(const char *dir, const char *name, size_t len)
{
	size_t dl = strcmp(dir, "/") ? strlen(dir) : 0;
	char *p = malloc(dl + len + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, len);
	p[dl + 1 + len] = 0;
	return p;
}
