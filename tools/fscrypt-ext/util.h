/* fscrypt-ext tool: CLI helpers on top of tools/common (exit codes, messages, hex arguments, numbers, files, json-c output). */
#ifndef FSCRYPT_EXT_CLI_UTIL_H
#define FSCRYPT_EXT_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include <fscrypt_ext/fscrypt_ext.h>

#include "common.h"

/* Exit codes of every subcommand. 77 is what ctest reads as "skipped". */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1   /* the operation ran and said no: a failed vector, an invalid policy, a wrong key */
#define CLI_EXIT_USAGE 2  /* bad command line, unreadable file, malformed JSON/hex input */
#define CLI_EXIT_SKIP 77  /* a requested backend cannot run on this CPU */

#define CLI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Messages start with tools/common's tc_prog: "fscrypt-ext", or "fscrypt-ext kat" once a subcommand sets it. */

/* "fscrypt-ext <sub>: message" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As cli_err, followed by the library's message for err and its code. */
void cli_lib_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a usage error and a pointer to --help; returns CLI_EXIT_USAGE. */
int cli_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * After getopt_long (option string starting with ':') returned '?' or ':':
 * names the bad option or the missing value; returns CLI_EXIT_USAGE.
 */
int cli_bad_option(char **argv, int opt);

/* Hex arguments, decoded by tools/common's tc_hex_decode (upper and lower case; an empty string is zero bytes). */
/* malloc'd result (at least 1 byte allocated); false on odd length or a non-hex digit. */
bool cli_hex_decode(const char *hex, size_t hex_len, uint8_t **out, size_t *len);
/* Exactly n bytes; false otherwise. */
bool cli_hex_decode_fixed(const char *hex, uint8_t *out, size_t n);
/* malloc'd lowercase hex, NUL-terminated (NULL if out of memory). */
char *cli_hex_encode(const uint8_t *p, size_t n);
/* Writes lowercase hex; with max > 0 and n > max, only the first max bytes, then "...(n bytes)". */
void cli_fprint_hex(FILE *f, const uint8_t *p, size_t n, size_t max);

/* Numbers: decimal or 0x-prefixed hex, the whole string, no sign. */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_u32(const char *s, uint32_t *out);

/* Files the CLI reads whole (vector files, policies, contexts): bigger ones are refused. */
#define CLI_FILE_MAX ((size_t)64 << 20)
/* Reads a whole file ("-" = stdin, at most CLI_FILE_MAX bytes) into a malloc'd buffer (NUL-terminated, NUL not counted). */
bool cli_read_file(const char *path, uint8_t **buf, size_t *len);
/* Writes all of buf to f; false (with a message) on error. */
bool cli_write_all(FILE *f, const uint8_t *buf, size_t len);
/* Strips leading/trailing whitespace in place; returns the new length. */
size_t cli_trim(char *s, size_t len);

/*
 * Reads a master key from path ("-" = stdin): raw bytes, or hex text when
 * hex is true. Never from argv. The file is read with read(2) straight into
 * guarded, locked memory (tools/common's tc_read_secret_file, at most
 * TC_KEY_FILE_MAX bytes) and wiped after import. Prints its own error;
 * returns a CLI_EXIT_* code.
 */
int cli_read_master_key(const char *path, bool hex, fscrypt_ext_master_key **out);

/* Binary input given as hex text on the command line or as a binary file. */
bool cli_bytes_from_hex_or_file(const char *hex, const char *file, const char *what, uint8_t **out, size_t *len);

/* JSON output helpers. */
void cli_json_print(struct json_object *o);
void cli_json_add_hex(struct json_object *o, const char *key, const uint8_t *p, size_t n);
void cli_json_add_str(struct json_object *o, const char *key, const char *s);
void cli_json_add_u64(struct json_object *o, const char *key, uint64_t v);
void cli_json_add_int(struct json_object *o, const char *key, int64_t v);
void cli_json_add_bool(struct json_object *o, const char *key, bool v);

/* Name of a mode ("AES-256-XTS"), or NULL if unknown. */
const char *cli_mode_name(unsigned int mode);
/* Short symbolic name of an error code ("WRONG_KEY": the library's fscrypt_ext_error_name without its prefix), or "?". */
const char *cli_err_name(int err);

#endif
