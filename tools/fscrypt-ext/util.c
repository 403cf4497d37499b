/* fscrypt-ext tool: shared helpers (exit codes, errors, hex, numbers, file and key reading, JSON output). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util.h"

const char *cli_prog = "fscrypt-ext";

/* "prog: message" on stderr, after whatever stdout still holds; the caller ends the line. */
static void vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", cli_prog);
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
	fprintf(stderr, "\nTry '%s --help'.\n", cli_prog);
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

/* libsodium's decoder runs in constant time, which matters for key files. */
bool cli_hex_into(const char *hex, size_t hex_len, uint8_t *out)
{
	const char *end = NULL;
	size_t n = 0;

	if (hex_len % 2 != 0)
		return false;
	return sodium_hex2bin(out, hex_len / 2, hex, hex_len, NULL, &n, &end) == 0 && n == hex_len / 2 &&
	       end == hex + hex_len;
}

bool cli_hex_decode(const char *hex, size_t hex_len, uint8_t **out, size_t *len)
{
	uint8_t *buf = malloc(hex_len / 2 + 1);

	if (buf == NULL)
		return false;
	if (!cli_hex_into(hex, hex_len, buf)) {
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

	return hex_len == 2 * n && cli_hex_into(hex, hex_len, out);
}

char *cli_hex_encode(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
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
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	uint8_t *data = NULL;
	size_t used = 0, cap = 0;

	if (f == NULL) {
		cli_err("cannot open %s: %s", path, strerror(errno));
		return false;
	}
	for (;;) {
		size_t n;

		if (cap - used < 65536) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nd = realloc(data, ncap + 1);

			if (nd == NULL) {
				cli_err("%s: out of memory", path);
				goto fail;
			}
			data = nd;
			cap = ncap;
		}
		n = fread(data + used, 1, cap - used, f);
		used += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		cli_err("cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	data[used] = '\0';
	*buf = data;
	*len = used;
	return true;
fail:
	free(data);
	if (f != stdin)
		fclose(f);
	return false;
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

/* Big enough for 64 key bytes as hex with generous whitespace; anything longer is not a key. */
#define KEY_FILE_MAX 1024

int cli_read_master_key(const char *path, bool hex, fscrypt_ext_master_key **out)
{
	FILE *f;
	uint8_t *buf, *raw;
	size_t len = 0, raw_len = 0;
	int ret = CLI_EXIT_USAGE, err;

	if (sodium_init() < 0) {
		cli_err("libsodium failed to initialise");
		return CLI_EXIT_USAGE;
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		cli_err("cannot open key file %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	/* Guarded, locked buffers: the key never sits in ordinary heap memory. */
	buf = sodium_malloc(KEY_FILE_MAX + 1);
	raw = sodium_malloc(KEY_FILE_MAX / 2 + 1);
	if (buf == NULL || raw == NULL) {
		cli_err("cannot allocate locked memory for the key");
		goto out;
	}
	for (;;) {
		size_t n = fread(buf + len, 1, KEY_FILE_MAX + 1 - len, f);

		len += n;
		if (n == 0 || len > KEY_FILE_MAX)
			break;
	}
	if (ferror(f)) {
		cli_err("cannot read key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (len > KEY_FILE_MAX) {
		cli_err("key file %s is too long to be a key (over %d bytes)", path, KEY_FILE_MAX);
		goto out;
	}
	if (hex) {
		len = cli_trim((char *)buf, len);
		if (!cli_hex_into((const char *)buf, len, raw)) {
			cli_err("key file %s is not hex (an even number of hex digits)", path);
			goto out;
		}
		raw_len = len / 2;
	} else {
		memcpy(raw, buf, len);
		raw_len = len;
	}
	if (raw_len < FSCRYPT_EXT_MIN_KEY_SIZE || raw_len > FSCRYPT_EXT_MAX_KEY_SIZE) {
		cli_err("key from %s is %zu bytes; a master key has %d to %d bytes%s", path, raw_len,
			FSCRYPT_EXT_MIN_KEY_SIZE, FSCRYPT_EXT_MAX_KEY_SIZE,
			hex ? "" : " (raw binary; use --key-hex for a hex text file)");
		goto out;
	}
	err = fscrypt_ext_master_key_new(raw, raw_len, out);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot import the master key");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	ret = CLI_EXIT_OK;
out:
	if (f != stdin)
		fclose(f);
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
	static const char *const names[] = {
		"OK", "INVALID_ARG", "NOMEM", "TRUNCATED", "OVERSIZED", "BAD_VERSION", "RESERVED_BITS",
		"UNSUPPORTED_MODES", "UNSUPPORTED_FLAGS", "EXCLUSIVE_FLAGS", "DIRECT_KEY_MODES",
		"DATA_UNIT_SIZE", "IV_INO_LBLK", "CASEFOLD_V1", "KEY_SIZE", "WRONG_KEY", "BUFFER_TOO_SMALL",
		"ALIGNMENT", "NAME_TOO_LONG", "CORRUPT", "BAD_ENCODING", "RANGE", "NOT_SUPPORTED",
		"WRONG_TYPE", "LOCKED_MEMORY", "CRYPTO", "KEY_NOT_FOUND", "KEY_EXISTS", "KEY_REMOVED",
		"EXTENT_POLICY", "EXTENT_MISMATCH", "BUSY", "NO_KEY_NAME", "UNKNOWN_VERSION", "NO_FS_UUID",
	};

	if (err > 0 || (size_t)-err >= CLI_ARRAY_SIZE(names))
		return "?";
	return names[-err];
}
