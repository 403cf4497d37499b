/* fscrypt-ext tool: `version`, the library version, the AES backends compiled in, and each primitive's implementation. */
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "opts.h"
#include "util.h"

static const char version_usage[] =
	"Usage: fscrypt-ext version [--json]\n"
	"\n"
	"Prints the tool's and the loaded library's versions, and the AES backends\n"
	"compiled in (best first), whether this CPU can run each, which is selected,\n"
	"and the implementation chosen for every primitive (FSCRYPT_EXT_BACKEND=SPEC in\n"
	"the environment forces them; see fscrypt_ext/backend.h).\n"
	"\n"
	"Options:\n"
	"      --json      structured output\n"
	"  -h, --help      show this help\n";

int cmd_version(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *selected, *name, *impl;
	bool json = false;
	int opt, available, err;

	tc_prog = "fscrypt-ext version";
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(version_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind != argc)
		return cli_usage_err("unexpected argument '%s'", argv[optind]);
	err = fscrypt_ext_init();
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "library initialisation failed");
		return CLI_EXIT_FAIL;
	}
	selected = fscrypt_ext_backend_name();
	if (json) {
		struct json_object *o = json_object_new_object(), *arr = json_object_new_array();

		cli_json_add_str(o, "tool_version", FSCRYPT_EXT_VERSION_STRING);
		cli_json_add_str(o, "library_version", fscrypt_ext_version_string());
		cli_json_add_u64(o, "library_version_number", fscrypt_ext_version_number());
		for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &available)) != NULL; i++) {
			struct json_object *b = json_object_new_object();

			cli_json_add_str(b, "name", name);
			cli_json_add_bool(b, "available", available != 0);
			cli_json_add_bool(b, "selected", strcmp(name, selected) == 0);
			json_object_array_add(arr, b);
		}
		json_object_object_add(o, "backends", arr);
		cli_json_add_str(o, "selected_backend", selected);
		arr = json_object_new_object();
		for (size_t i = 0; (name = fscrypt_ext_backend_primitive(i, &impl)) != NULL; i++)
			cli_json_add_str(arr, name, impl);
		json_object_object_add(o, "implementations", arr);
		cli_json_print(o);
		json_object_put(o);
		return CLI_EXIT_OK;
	}
	printf("fscrypt-ext %s (library %s)\n", FSCRYPT_EXT_VERSION_STRING, fscrypt_ext_version_string());
	printf("AES backends (best first):\n");
	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &available)) != NULL; i++)
		printf("  %-10s %-13s%s\n", name, available ? "available" : "not available",
		       strcmp(name, selected) == 0 ? " selected" : "");
	printf("selected: %s\n", selected);
	printf("implementation per primitive:\n");
	for (size_t i = 0; (name = fscrypt_ext_backend_primitive(i, &impl)) != NULL; i++)
		printf("  %-10s %s\n", name, impl);
	return CLI_EXIT_OK;
}
