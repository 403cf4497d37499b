/* fscrypt-ext tool: `kat` reporting, failures with the first differing bytes, skips counted per reason, --verbose parameters. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kat/kat.h"
#include "kat/runner.h"
#include "util.h"

void kat_fail(struct kat_vec *v, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s #%zu (%s): ", v->file, v->index, v->type ? v->type : "?");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	v->failures++;
}

enum kat_result kat_skip(struct kat_vec *v, const char *reason)
{
	v->skip_reason = reason;
	return KAT_SKIP;
}

enum kat_result kat_verdict(const struct kat_vec *v)
{
	return v->failures ? KAT_FAIL : KAT_PASS;
}

bool kat_lib_ok(struct kat_vec *v, const char *call, int err)
{
	if (err == FSCRYPT_EXT_OK)
		return true;
	kat_fail(v, "%s failed: %s (%s, %d)", call, fscrypt_ext_strerror(err), cli_err_name(err), err);
	return false;
}

/* Prints up to 32 bytes of both buffers from the 16-byte row holding the first difference. */
static void print_window(const char *label, const uint8_t *p, size_t n, size_t start)
{
	size_t end = start + 32 < n ? start + 32 : n;

	printf("    %-9s %s", label, start > 0 ? "..." : "");
	if (start < n)
		cli_fprint_hex(stdout, p + start, end - start, 0);
	printf("%s (%zu bytes)\n", end < n ? "..." : "", n);
}

bool kat_same(struct kat_vec *v, const char *what, const uint8_t *expected, size_t expected_len,
	      const uint8_t *got, size_t got_len)
{
	size_t i, min = expected_len < got_len ? expected_len : got_len;

	for (i = 0; i < min; i++)
		if (expected[i] != got[i])
			break;
	if (i == min && expected_len == got_len)
		return true;
	if (expected_len != got_len)
		kat_fail(v, "%s: length differs: expected %zu bytes, got %zu (first difference at byte %zu)",
			 what, expected_len, got_len, i);
	else
		kat_fail(v, "%s: differs at byte %zu of %zu", what, i, expected_len);
	print_window("expected:", expected, expected_len, i / 16 * 16);
	print_window("got:", got, got_len, i / 16 * 16);
	return false;
}

bool kat_same_u64(struct kat_vec *v, const char *what, uint64_t expected, uint64_t got)
{
	if (expected == got)
		return true;
	kat_fail(v, "%s: expected %llu (0x%016llx), got %llu (0x%016llx)", what, (unsigned long long)expected,
		 (unsigned long long)expected, (unsigned long long)got, (unsigned long long)got);
	return false;
}

/* --verbose: the failing vector's parameters, long values shortened. */
void kat_print_params(struct json_object *obj)
{
	json_object_object_foreach(obj, key, val)
	{
		const char *s = json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN);
		size_t n = strlen(s);

		if (n > 100)
			printf("    %s = %.96s...(%zu chars)\n", key, s, n);
		else
			printf("    %s = %s\n", key, s);
	}
}

void kat_note_skipped(struct kat_skipped *st, size_t *n, size_t cap, const char *type)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(st[i].name, type) == 0) {
			st[i].count++;
			return;
		}
	}
	if (*n < cap) {
		snprintf(st[*n].name, sizeof(st[*n].name), "%s", type);
		st[*n].count = 1;
		(*n)++;
	}
}
