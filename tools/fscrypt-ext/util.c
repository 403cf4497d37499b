/* fscrypt-ext tool: CLI helpers on top of tools/common (messages, hex arguments, numbers, files, keys, json-c output). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "file.h"
#include "hex.h"
#include "keyfile.h"
#include "util.h"

/* "prog: message" on stderr, after whatever stdout still holds; the caller ends the line. */
static void vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", tc_prog);
	vfprintf(stderr, fmt, ap);
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_lib_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s, %d)\n", fscrypt_ext_strerror(err), cli_err_name(err), err);
}

int cli_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", tc_prog);
	return CLI_EXIT_USAGE;
}

int cli_bad_option(char **argv, int opt)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	/* Option strings start with ':', so a missing value comes back as ':' and anything unknown as '?'. */
	if (opt == ':')
		return cli_usage_err("option '%s' needs a value", arg);
	if (optopt != 0)
		return cli_usage_err("unknown option '-%c'", optopt);
	return cli_usage_err("unknown option '%s'", arg);
}

bool cli_hex_decode(const char *hex, size_t hex_len, uint8_t **out, size_t *len)
{
	uint8_t *buf = malloc(hex_len / 2 + 1);

	if (buf == NULL)
		return false;
	if (!tc_hex_decode(hex, hex_len, buf)) {
		free(buf);
		return false;
	}
	*out = buf;
	*len = hex_len / 2;
	return true;
}

bool cli_hex_decode_fixed(const char *hex, uint8_t *out, size_t n)
{
	size_t hex_len = strlen(hex);

	return hex_len == 2 * n && tc_hex_decode(hex, hex_len, out);
}

char *cli_hex_encode(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);

	if (s != NULL)
		tc_hex_encode(p, n, s);
	return s;
}

void cli_fprint_hex(FILE *f, const uint8_t *p, size_t n, size_t max)
{
	size_t shown = (max > 0 && n > max) ? max : n;

	for (size_t i = 0; i < shown; i++)
		fprintf(f, "%02x", p[i]);
	if (shown < n)
		fprintf(f, "...(%zu bytes)", n);
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int base = 10;

	if (s == NULL || *s == '\0')
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (*s == '\0')
			return false;
	}
	/* strtoull accepts signs and leading spaces: refuse them, a negative inode number is a typo. */
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (uint64_t)v;
	return true;
}

bool cli_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!cli_parse_u64(s, &v) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool cli_read_file(const char *path, uint8_t **buf, size_t *len)
{
	return tc_read_file(path, CLI_FILE_MAX, buf, len);
}

bool cli_write_all(FILE *f, const uint8_t *buf, size_t len)
{
	if (len != 0 && fwrite(buf, 1, len, f) != len) {
		cli_err("write error: %s", strerror(errno));
		return false;
	}
	return true;
}

size_t cli_trim(char *s, size_t len)
{
	size_t start = 0;

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	while (start < len && isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start);
	len -= start;
	s[len] = '\0';
	return len;
}

/*
 * The key file's bytes are read by tools/common into locked memory; this
 * keeps the CLI's own wording (which length, the --key-hex hint) and its exit
 * codes: 2 for a file that does not hold a key, 1 when the library refuses it.
 */
int cli_read_master_key(const char *path, bool hex, fscrypt_ext_master_key **out)
{
	uint8_t *buf, *raw = NULL;
	size_t len, raw_len;
	int ret = CLI_EXIT_USAGE, err;

	if (!tc_read_secret_file(path, TC_KEY_FILE_MAX, &buf, &len))
		return CLI_EXIT_USAGE;
	if (hex) {
		len = cli_trim((char *)buf, len);
		raw = sodium_malloc(len / 2 + 1);
		if (raw == NULL) {
			cli_err("cannot allocate locked memory for the key");
			goto out;
		}
		if (!tc_hex_decode((const char *)buf, len, raw)) {
			cli_err("key file %s is not hex (an even number of hex digits)", path);
			goto out;
		}
		raw_len = len / 2;
	} else {
		raw_len = len;
	}
	if (raw_len < FSCRYPT_EXT_MIN_KEY_SIZE || raw_len > FSCRYPT_EXT_MAX_KEY_SIZE) {
		cli_err("key from %s is %zu bytes; a master key has %d to %d bytes%s", path, raw_len,
			FSCRYPT_EXT_MIN_KEY_SIZE, FSCRYPT_EXT_MAX_KEY_SIZE,
			hex ? "" : " (raw binary; use --key-hex for a hex text file)");
		goto out;
	}
	err = fscrypt_ext_master_key_new(hex ? raw : buf, raw_len, out);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot import the master key");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	ret = CLI_EXIT_OK;
out:
	sodium_free(buf); /* sodium_free wipes */
	sodium_free(raw);
	return ret;
}

bool cli_bytes_from_hex_or_file(const char *hex, const char *file, const char *what, uint8_t **out, size_t *len)
{
	if (hex != NULL && file != NULL) {
		cli_err("give the %s either as hex or as a file, not both", what);
		return false;
	}
	if (file != NULL)
		return cli_read_file(file, out, len);
	if (hex == NULL) {
		cli_err("no %s given", what);
		return false;
	}
	if (!cli_hex_decode(hex, strlen(hex), out, len)) {
		cli_err("%s is not valid hex: '%s'", what, hex);
		return false;
	}
	return true;
}

void cli_json_print(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
						      JSON_C_TO_STRING_SPACED));
}

void cli_json_add_hex(struct json_object *o, const char *key, const uint8_t *p, size_t n)
{
	char *h = cli_hex_encode(p, n);

	json_object_object_add(o, key, h ? json_object_new_string(h) : NULL);
	free(h);
}

void cli_json_add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

void cli_json_add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

void cli_json_add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

void cli_json_add_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

const char *cli_mode_name(unsigned int mode)
{
	struct fscrypt_ext_mode_info info;

	if (fscrypt_ext_mode_info(mode, &info) != FSCRYPT_EXT_OK)
		return NULL;
	return info.name;
}

const char *cli_err_name(int err)
{
	static const char err_prefix[] = "FSCRYPT_EXT_ERR_", prefix[] = "FSCRYPT_EXT_";
	const char *name = fscrypt_ext_error_name(err);

	if (name == NULL)
		return "?";
	if (strncmp(name, err_prefix, sizeof(err_prefix) - 1) == 0)
		return name + sizeof(err_prefix) - 1;
	if (strncmp(name, prefix, sizeof(prefix) - 1) == 0)
		return name + sizeof(prefix) - 1;
	return name;
}
