/* fscrypt-ext tool: `kat` runner internals, the table of vector types and the reporting the runner uses. */
#ifndef FSCRYPT_EXT_CLI_KAT_RUNNER_H
#define FSCRYPT_EXT_CLI_KAT_RUNNER_H

#include <stddef.h>

#include <json-c/json.h>

#include "kat/kat.h"

/* One line per vector type (types.c). Types missing there are counted as skipped, never as passed. */
struct kat_type {
	const char *type;
	kat_handler run;
};
extern const struct kat_type kat_types[];
extern const size_t kat_n_types;

/* Skips of one file, counted per unknown type or per reason. */
struct kat_skipped {
	char name[128];
	unsigned long count;
};
/* Counts one skip under name (a new entry while fewer than cap). */
void kat_note_skipped(struct kat_skipped *st, size_t *n, size_t cap, const char *name);

/* --verbose: a vector's parameters, long values shortened. */
void kat_print_params(struct json_object *obj);

#endif
