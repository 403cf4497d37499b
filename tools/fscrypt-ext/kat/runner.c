/* fscrypt-ext tool: `kat`, the known-answer vector runner (file format: tests/vectors/FORMAT.md). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "kat/kat.h"
#include "kat/runner.h"
#include "util.h"

static bool kat_verbose;

struct kat_counts {
	unsigned long passed, failed, skipped;
};

static kat_handler find_handler(const char *type)
{
	for (size_t i = 0; i < kat_n_types; i++)
		if (strcmp(kat_types[i].type, type) == 0)
			return kat_types[i].run;
	return NULL;
}

static enum kat_result run_vector(const char *file, size_t index, struct json_object *obj,
				  struct kat_skipped *st, size_t *n_st, size_t st_cap)
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
		kat_note_skipped(st, n_st, st_cap, why);
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
		kat_note_skipped(st, n_st, st_cap, why);
		if (kat_verbose) {
			printf("SKIP %s #%zu (%s): %s\n", file, index, v.type, why);
			kat_print_params(obj);
		}
	}
	if (r == KAT_FAIL && kat_verbose)
		kat_print_params(obj);
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
	struct kat_skipped st[16];
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
	"Runs known-answer vector files (JSON, see tests/vectors/FORMAT.md) through the\n"
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
			fprintf(stderr, "%s: backend \"%s\" is not compiled in; compiled:", tc_prog, name);
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

	tc_prog = "fscrypt-ext kat";
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
