/* fscrypt-ext tool: `kat`, the known-answer vector runner (vector files as in shared/vectors/FORMAT.md). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "kat.h"
#include "util.h"

/*
 * One line per vector type. Types missing here are counted as skipped, never
 * as passed (FORMAT.md).
 */
static const struct {
	const char *type;
	kat_handler run;
} kat_types[] = {
	/* fscrypt level, through the public API as a filesystem tool would use it (kat_fs.c) */
	{ "key-identifier", kat_key_identifier },
	{ "key-descriptor", kat_key_descriptor },
	{ "policy", kat_policy },
	{ "context", kat_context },
	{ "contents", kat_contents },
	{ "filename", kat_filename },
	{ "symlink", kat_symlink },
	{ "nokey-name", kat_nokey_name },
	{ "dirhash", kat_dirhash },
	/* primitives (kat_prim.c) */
	{ "aes-ecb", kat_aes_ecb },
	{ "aes-xts", kat_aes_xts },
	{ "aes-cbc-cts", kat_aes_cbc_cts },
	{ "hkdf-sha512", kat_hkdf_sha512 },
	{ "siphash-2-4", kat_siphash24 },
	{ "adiantum", kat_adiantum },
	{ "extent", kat_extent },
	{ "hctr2", kat_hctr2 },
	{ "aes-cbc-essiv", kat_aes_cbc_essiv },
	{ "sm4-xts", kat_sm4_xts },
	{ "sm4-cbc-cts", kat_sm4_cbc_cts },
	/*
	 * ---- ADD NEW TYPES HERE, one line each (declare the handler in kat.h) ----
	 * Expected from other modules: "adiantum", "hctr2", "aes-cbc-essiv",
	 * "sm4-xts", "sm4-cbc-cts", "extent".
	 */
};

static bool kat_verbose;

struct kat_counts {
	unsigned long passed, failed, skipped;
};

/* ---------------------------------------------------------------- helpers for handlers */

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

uint8_t *kat_alloc(struct kat_vec *v, size_t n)
{
	uint8_t *p;

	if (v->n_allocs == KAT_MAX_ALLOCS || (p = calloc(1, n ? n : 1)) == NULL) {
		kat_fail(v, "out of memory (or too many buffers) for %zu bytes", n);
		return NULL;
	}
	v->allocs[v->n_allocs++] = p;
	return p;
}

bool kat_has(const struct kat_vec *v, const char *field)
{
	return json_object_object_get_ex(v->obj, field, NULL);
}

uint8_t *kat_hex(struct kat_vec *v, const char *field, size_t *len)
{
	struct json_object *f;
	const char *s;
	size_t slen;
	uint8_t *out;

	if (!json_object_object_get_ex(v->obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return NULL;
	}
	if (!json_object_is_type(f, json_type_string)) {
		kat_fail(v, "malformed vector: field \"%s\" is not a hex string", field);
		return NULL;
	}
	s = json_object_get_string(f);
	slen = (size_t)json_object_get_string_len(f);
	out = kat_alloc(v, slen / 2);
	if (out == NULL)
		return NULL;
	if (!cli_hex_into(s, slen, out)) {
		kat_fail(v, "malformed vector: field \"%s\" is not valid hex", field);
		return NULL;
	}
	*len = slen / 2;
	return out;
}

bool kat_pt_ct(struct kat_vec *v, uint8_t **pt, uint8_t **ct, size_t *len, uint8_t **buf)
{
	size_t pt_len, ct_len;

	*pt = kat_hex(v, "plaintext", &pt_len);
	*ct = kat_hex(v, "ciphertext", &ct_len);
	if (*pt == NULL || *ct == NULL)
		return false;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return false;
	}
	*len = pt_len;
	*buf = kat_alloc(v, pt_len);
	return *buf != NULL;
}

bool kat_hex_fixed(struct kat_vec *v, const char *field, uint8_t *out, size_t n)
{
	size_t len;
	uint8_t *p = kat_hex(v, field, &len);

	if (p == NULL)
		return false;
	if (len != n) {
		kat_fail(v, "malformed vector: field \"%s\" has %zu bytes, expected %zu", field, len, n);
		return false;
	}
	memcpy(out, p, n);
	return true;
}

bool kat_u64_in(struct kat_vec *v, struct json_object *obj, const char *field, uint64_t *out)
{
	struct json_object *f;

	if (!json_object_object_get_ex(obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return false;
	}
	switch (json_object_get_type(f)) {
	case json_type_int:
		/*
		 * json-c keeps integers past INT64_MAX as uint64 (get_int64 then clamps to
		 * INT64_MAX) and the rest as int64; neither path goes through a double.
		 */
		if (json_object_get_int64(f) < 0) {
			kat_fail(v, "malformed vector: field \"%s\" is negative", field);
			return false;
		}
		*out = json_object_get_uint64(f);
		return true;
	case json_type_string: {
		/* Some generators write big integers as strings of decimal digits. */
		const char *s = json_object_get_string(f);
		size_t n = strlen(s);

		for (size_t i = 0; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				n = 0;
		if (n != 0 && cli_parse_u64(s, out))
			return true;
		break;
	}
	default:
		break;
	}
	kat_fail(v, "malformed vector: field \"%s\" is not an unsigned 64-bit integer", field);
	return false;
}

bool kat_u64(struct kat_vec *v, const char *field, uint64_t *out)
{
	return kat_u64_in(v, v->obj, field, out);
}

bool kat_bool_in(struct kat_vec *v, struct json_object *obj, const char *field, bool *out)
{
	struct json_object *f;

	if (!json_object_object_get_ex(obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return false;
	}
	if (json_object_is_type(f, json_type_boolean)) {
		*out = json_object_get_boolean(f);
		return true;
	}
	if (json_object_is_type(f, json_type_int) &&
	    (json_object_get_int64(f) == 0 || json_object_get_int64(f) == 1)) {
		*out = json_object_get_int64(f) == 1;
		return true;
	}
	kat_fail(v, "malformed vector: field \"%s\" is not a boolean", field);
	return false;
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

bool kat_fs_info(struct kat_vec *v, struct json_object *fs_obj, uint32_t default_block_size,
		 struct fscrypt_ext_fs_info *fs, unsigned int *dir_flags)
{
	uint64_t n;
	bool b;

	fscrypt_ext_fs_info_ext4(fs, default_block_size);
	*dir_flags = 0;
	if (fs_obj == NULL)
		return true;
	if (!json_object_is_type(fs_obj, json_type_object)) {
		kat_fail(v, "malformed vector: \"fs\" is not an object");
		return false;
	}
	if (json_object_object_get_ex(fs_obj, "block_size", NULL)) {
		if (!kat_u64_in(v, fs_obj, "block_size", &n))
			return false;
		if (n > UINT32_MAX) {
			kat_fail(v, "malformed vector: fs.block_size %llu out of range", (unsigned long long)n);
			return false;
		}
		fs->block_size = (uint32_t)n;
	}
	if (json_object_object_get_ex(fs_obj, "ino_bits", NULL)) {
		if (!kat_u64_in(v, fs_obj, "ino_bits", &n))
			return false;
		fs->ino_bits = (uint8_t)(n > 255 ? 255 : n);
	}
	if (json_object_object_get_ex(fs_obj, "lblk_bits", NULL)) {
		if (!kat_u64_in(v, fs_obj, "lblk_bits", &n))
			return false;
		fs->lblk_bits = (uint8_t)(n > 255 ? 255 : n);
	}
	if (json_object_object_get_ex(fs_obj, "stable_inodes", NULL)) {
		if (!kat_bool_in(v, fs_obj, "stable_inodes", &b))
			return false;
		fs->stable_inodes = b;
	}
	if (json_object_object_get_ex(fs_obj, "subblock_data_units", NULL)) {
		if (!kat_bool_in(v, fs_obj, "subblock_data_units", &b))
			return false;
		fs->subblock_data_units = b;
	}
	if (json_object_object_get_ex(fs_obj, "casefolded", NULL)) {
		if (!kat_bool_in(v, fs_obj, "casefolded", &b))
			return false;
		/* A per-directory fact in the library; the vector format keeps it with the filesystem. */
		*dir_flags = b ? FSCRYPT_EXT_DIR_CASEFOLDED : 0;
	}
	return true;
}

/* ---------------------------------------------------------------- the runner */

static kat_handler find_handler(const char *type)
{
	for (size_t i = 0; i < CLI_ARRAY_SIZE(kat_types); i++)
		if (strcmp(kat_types[i].type, type) == 0)
			return kat_types[i].run;
	return NULL;
}

/* --verbose: the failing vector's parameters, long values shortened. */
static void print_params(struct json_object *obj)
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

/* Skips of one file, counted per unknown type or per reason. */
struct skipped_type {
	char name[128];
	unsigned long count;
};

static void note_skipped(struct skipped_type *st, size_t *n, size_t cap, const char *type)
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

static enum kat_result run_vector(const char *file, size_t index, struct json_object *obj,
				  struct skipped_type *st, size_t *n_st, size_t st_cap)
{
	struct kat_vec v = { .file = file, .index = index, .obj = obj };
	struct json_object *t;
	enum kat_result r;
	kat_handler h;

	if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, "type", &t) ||
	    !json_object_is_type(t, json_type_string)) {
		kat_fail(&v, "malformed vector: not an object with a string \"type\"");
		return KAT_FAIL;
	}
	v.type = json_object_get_string(t);
	h = find_handler(v.type);
	if (h == NULL) {
		char why[128];

		snprintf(why, sizeof(why), "unknown type \"%s\"", v.type);
		note_skipped(st, n_st, st_cap, why);
		if (kat_verbose)
			printf("SKIP %s #%zu (%s): unknown type\n", file, index, v.type);
		return KAT_SKIP;
	}
	r = h(&v);
	/* A handler that reported a difference has failed whatever it returns. */
	if (v.failures != 0)
		r = KAT_FAIL;
	if (r == KAT_FAIL && v.failures == 0)
		kat_fail(&v, "failed");
	if (r == KAT_SKIP) {
		char why[128];

		snprintf(why, sizeof(why), "%s: %s", v.type, v.skip_reason ? v.skip_reason : "no reason given");
		note_skipped(st, n_st, st_cap, why);
		if (kat_verbose) {
			printf("SKIP %s #%zu (%s): %s\n", file, index, v.type, why);
			print_params(obj);
		}
	}
	if (r == KAT_FAIL && kat_verbose)
		print_params(obj);
	for (size_t i = 0; i < v.n_allocs; i++)
		free(v.allocs[i]);
	return r;
}

/* Parses a whole file as one JSON value; prints the position of a syntax error. */
static struct json_object *load_json(const char *path)
{
	uint8_t *buf;
	size_t len, off;
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;

	if (!cli_read_file(path, &buf, &len))
		return NULL;
	if (len > INT32_MAX) {
		cli_err("%s: file too large", path);
		free(buf);
		return NULL;
	}
	tok = json_tokener_new_ex(64);
	if (tok == NULL) {
		cli_err("%s: out of memory", path);
		free(buf);
		return NULL;
	}
	obj = json_tokener_parse_ex(tok, (const char *)buf, (int)len);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (obj == NULL || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			cli_err("%s: JSON error: unexpected end of file", path);
		else
			cli_err("%s: JSON error at byte %zu: %s", path, off, json_tokener_error_desc(jerr));
		json_object_put(obj);
		obj = NULL;
	} else {
		for (; off < len; off++) {
			if (buf[off] != ' ' && buf[off] != '\n' && buf[off] != '\r' && buf[off] != '\t') {
				cli_err("%s: JSON error at byte %zu: trailing data after the top-level object", path, off);
				json_object_put(obj);
				obj = NULL;
				break;
			}
		}
	}
	json_tokener_free(tok);
	free(buf);
	return obj;
}

/* Runs one file; false on an I/O or format error (nothing counted then). */
static bool run_file(const char *path, struct kat_counts *total)
{
	struct json_object *root, *vectors;
	struct kat_counts c = { 0, 0, 0 };
	struct skipped_type st[16];
	size_t n_st = 0;
	size_t n;

	root = load_json(path);
	if (root == NULL)
		return false;
	if (!json_object_is_type(root, json_type_object) || !json_object_object_get_ex(root, "vectors", &vectors) ||
	    !json_object_is_type(vectors, json_type_array)) {
		cli_err("%s: not a vector file: expected an object with a \"vectors\" array", path);
		json_object_put(root);
		return false;
	}
	n = json_object_array_length(vectors);
	for (size_t i = 0; i < n; i++) {
		switch (run_vector(path, i, json_object_array_get_idx(vectors, i), st, &n_st, CLI_ARRAY_SIZE(st))) {
		case KAT_PASS:
			c.passed++;
			break;
		case KAT_FAIL:
			c.failed++;
			break;
		case KAT_SKIP:
			c.skipped++;
			break;
		}
	}
	printf("%s %s: %lu passed, %lu failed, %lu skipped\n",
	       c.failed ? "FAIL" : (c.passed == 0 && c.skipped != 0) ? "SKIP" : "PASS", path, c.passed, c.failed,
	       c.skipped);
	for (size_t i = 0; i < n_st; i++)
		printf("    skipped %lu: %s\n", st[i].count, st[i].name);
	fflush(stdout);
	total->passed += c.passed;
	total->failed += c.failed;
	total->skipped += c.skipped;
	json_object_put(root);
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or every *.json file below a directory (sorted, recursively); false on an I/O error. */
static bool run_path(const char *path, struct kat_counts *total)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;
	DIR *d;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return run_file(path, total);
	d = opendir(path);
	if (d == NULL) {
		cli_err("%s: %s", path, strerror(errno));
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char *full;
		struct stat sub;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", de->d_name) < 0) {
			ok = false;
			break;
		}
		if (stat(full, &sub) != 0 ||
		    !(S_ISDIR(sub.st_mode) || (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0))) {
			free(full);
			continue;
		}
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*nn));

			if (nn == NULL) {
				free(full);
				ok = false;
				break;
			}
			names = nn;
		}
		names[n++] = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (!run_path(names[i], total))
			ok = false;
		free(names[i]);
	}
	free(names);
	return ok;
}

static const char kat_usage[] =
	"Usage: fscrypt-ext kat [--verbose] [--require-backend NAME] FILE|DIR...\n"
	"\n"
	"Runs known-answer vector files (JSON, see shared/vectors/FORMAT.md) through the\n"
	"library's public API and checks both directions wherever both exist. A directory\n"
	"stands for every *.json file below it.\n"
	"Prints one line per file and a closing line `N passed, N failed, N skipped`.\n"
	"Vectors of a type this program does not know count as skipped, never as passed.\n"
	"\n"
	"Options:\n"
	"  -v, --verbose               print each failing vector's parameters, and skipped vectors\n"
	"  -b, --require-backend NAME  use AES backend NAME (portable, aesni, vaes-avx2, armv8-ce);\n"
	"                              exit 77 (skipped) if this CPU cannot run it\n"
	"  -h, --help                  show this help\n"
	"\n"
	"Exit status: 0 all passed (or skipped), 1 a vector failed, 2 bad usage or an\n"
	"unreadable/malformed file, 77 the required backend is not available.\n";

static int require_backend(const char *name)
{
	int available = 0;
	bool compiled = false;
	int err;

	err = fscrypt_ext_backend_force(name);
	if (err != FSCRYPT_EXT_OK) {
		const char *b;

		printf("SKIP: backend %s not available on this CPU\n", name);
		for (size_t i = 0; (b = fscrypt_ext_backend_at(i, &available)) != NULL; i++)
			if (strcmp(b, name) == 0)
				compiled = true;
		if (!compiled) {
			fprintf(stderr, "%s: backend \"%s\" is not compiled in; compiled:", cli_prog, name);
			for (size_t i = 0; (b = fscrypt_ext_backend_at(i, &available)) != NULL; i++)
				fprintf(stderr, " %s%s", b, available ? "" : " (unavailable)");
			fputc('\n', stderr);
		}
		return CLI_EXIT_SKIP;
	}
	if (strcmp(name, "auto") != 0 && strcmp(fscrypt_ext_backend_name(), name) != 0) {
		cli_err("forced backend %s but the library reports %s", name, fscrypt_ext_backend_name());
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_kat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "require-backend", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kat_counts total = { 0, 0, 0 };
	const char *backend = NULL;
	bool io_error = false;
	int opt, err;

	cli_prog = "fscrypt-ext kat";
	while ((opt = getopt_long(argc, argv, ":vb:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			kat_verbose = true;
			break;
		case 'b':
			backend = optarg;
			break;
		case 'h':
			fputs(kat_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind >= argc)
		return cli_usage_err("no vector files given");
	err = fscrypt_ext_init();
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "library initialisation failed");
		return CLI_EXIT_USAGE;
	}
	if (backend != NULL) {
		int r = require_backend(backend);

		if (r != CLI_EXIT_OK)
			return r;
	}
	printf("backend: %s\n", fscrypt_ext_backend_name());
	for (int i = optind; i < argc; i++)
		if (!run_path(argv[i], &total))
			io_error = true;
	printf("%lu passed, %lu failed, %lu skipped\n", total.passed, total.failed, total.skipped);
	if (io_error)
		return CLI_EXIT_USAGE;
	return total.failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
