/* fscrypt-ext-ext4 check: collecting problems and printing them, escaped, as text lines or JSON. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_report.h"
#include "escape.h"
#include "jsonout.h"
#include "reader.h"

void chk_add(struct chk_report *rep, uint32_t ino, const char *path, size_t path_len, const char *kind,
	     const char *fmt, ...)
{
	struct chk_problem *p;
	va_list ap;

	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? 2 * rep->cap : 16;
		struct chk_problem *nv = realloc(rep->v, cap * sizeof(*nv));

		if (!nv) {
			fprintf(stderr, "fscrypt-ext-ext4: out of memory: a problem of inode %u is not listed\n", ino);
			return;
		}
		rep->v = nv;
		rep->cap = cap;
	}
	p = &rep->v[rep->n++];
	memset(p, 0, sizeof(*p));
	p->ino = ino;
	p->kind = kind;
	if (path && (p->path = malloc(path_len + 1))) {
		memcpy(p->path, path, path_len);
		p->path[path_len] = 0;
		p->path_len = path_len;
	}
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
}

void chk_print_text(FILE *f, const struct chk_report *rep, const struct chk_stats *st)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct chk_problem *p = &rep->v[i];

		fprintf(f, "inode %u: ", p->ino);
		if (p->path)
			tc_escape_text(f, (const uint8_t *)p->path, p->path_len);
		else
			fputs("?", f);
		fprintf(f, ": %s: ", p->kind);
		tc_escape_text(f, (const uint8_t *)p->detail, strlen(p->detail));
		fputc('\n', f);
	}
	fprintf(f, "%s: %zu problem%s; %llu inodes, %llu directories, %llu encrypted names, %llu encrypted symlinks%s",
		rep->n ? "PROBLEMS" : "clean", rep->n, rep->n == 1 ? "" : "s", (unsigned long long)st->inodes,
		(unsigned long long)st->dirs, (unsigned long long)st->names, (unsigned long long)st->symlinks,
		st->keys ? "" : " (no keys: names, targets and contents not decrypted)");
	if (st->keys)
		fprintf(f, ", %llu files (%llu bytes) decrypted", (unsigned long long)st->files,
			(unsigned long long)st->bytes);
	fputc('\n', f);
}

void chk_print_json(FILE *f, const struct chk_report *rep, const struct chk_stats *st)
{
	fputs("{\"problems\": [", f);
	for (size_t i = 0; i < rep->n; i++) {
		const struct chk_problem *p = &rep->v[i];

		fprintf(f, "%s\n  {\"ino\": %u, ", i ? "," : "", p->ino);
		tc_json_key(f, "path");
		if (p->path)
			tc_json_string(f, p->path, p->path_len);
		else
			fputs("null", f);
		fputs(", ", f);
		tc_json_key(f, "kind");
		tc_json_string(f, p->kind, strlen(p->kind));
		fputs(", ", f);
		tc_json_key(f, "detail");
		tc_json_string(f, p->detail, strlen(p->detail));
		fputc('}', f);
	}
	fprintf(f, "%s],\n \"clean\": %s, \"keys\": %s, \"inodes\": %llu, \"directories\": %llu, \"names\": %llu, "
		   "\"symlinks\": %llu, \"files_decrypted\": %llu, \"bytes_decrypted\": %llu}\n",
		rep->n ? "\n" : "", rep->n ? "false" : "true", st->keys ? "true" : "false",
		(unsigned long long)st->inodes, (unsigned long long)st->dirs, (unsigned long long)st->names,
		(unsigned long long)st->symlinks, (unsigned long long)st->files, (unsigned long long)st->bytes);
}

void chk_report_free(struct chk_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		if (rep->v[i].path) {
			ext4r_wipe(rep->v[i].path, rep->v[i].path_len);
			free(rep->v[i].path);
		}
	}
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}
