/* fscrypt-ext tool: `policy parse|validate|print`, policies from the ioctl struct (hex or file) or the text form. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opts.h"
#include "show.h"
#include "util.h"

static const char policy_usage[] =
	"Usage: fscrypt-ext policy parse    [OPTIONS] (POLICY | --file FILE)\n"
	"       fscrypt-ext policy validate [OPTIONS] (POLICY | --file FILE)\n"
	"       fscrypt-ext policy print    [OPTIONS] (POLICY | --file FILE)\n"
	"\n"
	"POLICY is the 12-byte v1 or 24-byte v2 policy struct in hex, or the text form\n"
	"(quoted), e.g. \"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32 key=<32 hex>\".\n"
	"FILE holds the binary struct, or the text form; - reads stdin.\n"
	"\n"
	"  parse     show every field, the text form and whether the filesystem accepts it\n"
	"  validate  decide as Linux 6.18 does on the filesystem: exit 0 if accepted, 1 if not\n"
	"  print     the text form (or, with --hex, the struct in hex)\n"
	"\n"
	"Options:\n"
	"      --file FILE              read the policy from FILE\n"
	"      --hex                    print: output the struct in hex\n"
	"      --json                   structured output\n"
	"  -h, --help                   show this help\n"
	CLI_FS_HELP
	"\n"
	"Exit status: 0 ok, 1 the policy does not parse or (validate) is refused, 2 bad usage.\n";

enum { OPT_HEX = CLI_OPT_FIRST_FREE };

/* Text form when it starts with 'v' (no policy struct starts with 0x76), else a struct. */
static int load_policy(const char *arg, const char *file, struct fscrypt_ext_policy *p)
{
	uint8_t *buf;
	size_t len;
	int err;

	if ((arg == NULL) == (file == NULL)) {
		cli_err(arg ? "give the policy either as an argument or with --file, not both"
			    : "no policy given (an argument or --file FILE)");
		return CLI_EXIT_USAGE;
	}
	if (arg != NULL) {
		if (arg[0] == 'v') {
			err = fscrypt_ext_policy_from_text(arg, p);
			if (err != FSCRYPT_EXT_OK) {
				cli_lib_err(err, "cannot read the policy text '%s'", arg);
				return CLI_EXIT_FAIL;
			}
			return CLI_EXIT_OK;
		}
		if (!cli_hex_decode(arg, strlen(arg), &buf, &len)) {
			cli_err("the policy is neither hex nor text starting with v1/v2: '%s'", arg);
			return CLI_EXIT_USAGE;
		}
	} else {
		if (!cli_read_file(file, &buf, &len))
			return CLI_EXIT_USAGE;
		if (len > 0 && buf[0] == 'v') {
			len = cli_trim((char *)buf, len);
			err = fscrypt_ext_policy_from_text((const char *)buf, p);
			free(buf);
			if (err != FSCRYPT_EXT_OK) {
				cli_lib_err(err, "cannot read the policy text in %s", file);
				return CLI_EXIT_FAIL;
			}
			return CLI_EXIT_OK;
		}
	}
	err = fscrypt_ext_policy_parse(buf, len, p);
	free(buf);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot parse the %zu-byte policy struct", len);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int policy_print(const struct fscrypt_ext_policy *p, bool hex, bool json)
{
	uint8_t buf[FSCRYPT_EXT_POLICY_MAX_SIZE];
	char text[256];
	size_t len;
	int err;

	err = fscrypt_ext_policy_serialize(p, buf, sizeof(buf), &len);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot serialise the policy");
		return CLI_EXIT_FAIL;
	}
	err = fscrypt_ext_policy_to_text(p, text, sizeof(text));
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot print the policy as text");
		return CLI_EXIT_FAIL;
	}
	if (json) {
		struct json_object *o = json_object_new_object();

		cli_json_add_str(o, "text", text);
		cli_json_add_hex(o, "hex", buf, len);
		cli_json_print(o);
		json_object_put(o);
	} else if (hex) {
		cli_fprint_hex(stdout, buf, len, 0);
		putchar('\n');
	} else {
		puts(text);
	}
	return CLI_EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FS_LONGOPTS,
		{ "file", required_argument, NULL, CLI_OPT_FILE },
		{ "hex", no_argument, NULL, OPT_HEX },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_fs_opts fs;
	struct fscrypt_ext_policy p;
	const char *action, *file = NULL, *arg = NULL;
	bool json = false, hex = false;
	int opt, ret, r;

	tc_prog = "fscrypt-ext policy";
	cli_fs_opts_init(&fs);
	/* Permuting getopt: options may come before or after the action and the policy. */
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if ((r = cli_fs_option(&fs, opt, optarg)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		switch (opt) {
		case CLI_OPT_FILE:
			file = optarg;
			break;
		case OPT_HEX:
			hex = true;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(policy_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind >= argc)
		return cli_usage_err("no action given (parse, validate or print)");
	action = argv[optind++];
	if (optind < argc)
		arg = argv[optind++];
	if (optind < argc)
		return cli_usage_err("unexpected argument '%s'", argv[optind]);
	if (strcmp(action, "parse") != 0 && strcmp(action, "validate") != 0 && strcmp(action, "print") != 0)
		return cli_usage_err("unknown action '%s' (parse, validate or print)", action);
	if (fscrypt_ext_init() != FSCRYPT_EXT_OK) {
		cli_err("library initialisation failed");
		return CLI_EXIT_FAIL;
	}
	ret = load_policy(arg, file, &p);
	if (ret != CLI_EXIT_OK)
		return ret;
	if (strcmp(action, "print") == 0)
		return policy_print(&p, hex, json);
	if (strcmp(action, "parse") == 0) {
		struct json_object *o = json ? json_object_new_object() : NULL;

		cli_show_policy(&p, &fs.fs, fs.dir_flags, o);
		if (o != NULL) {
			cli_json_print(o);
			json_object_put(o);
		}
		return CLI_EXIT_OK;
	}
	/* validate */
	ret = fscrypt_ext_policy_validate_dir(&p, &fs.fs, fs.dir_flags);
	if (json) {
		struct json_object *o = json_object_new_object();

		cli_show_validity("valid", ret, o);
		cli_json_print(o);
		json_object_put(o);
	} else if (ret == FSCRYPT_EXT_OK) {
		printf("valid\n");
	} else {
		printf("invalid: %s (%s, %d)\n", fscrypt_ext_strerror(ret), cli_err_name(ret), ret);
	}
	return ret == FSCRYPT_EXT_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
