/* fscrypt-ext tool: `key`, a master key's v2 identifier and conventional v1 descriptor. */
#include <getopt.h>

#include "commands.h"
#include "opts.h"
#include "util.h"

static const char key_usage[] =
	"Usage: fscrypt-ext key --key-file FILE [--key-hex] [--json]\n"
	"\n"
	"Prints the master key's v2 key identifier (what FS_IOC_ADD_ENCRYPTION_KEY\n"
	"returns) and its conventional v1 descriptor (SHA-512(SHA-512(key)), first 8\n"
	"bytes, as e4crypt and fscrypt tools use). The key is read from FILE, or from\n"
	"stdin with --key-file -, never from the command line.\n"
	"\n"
	"Options:\n"
	"      --key-file FILE  master key, raw bytes (16 to 64); - for stdin\n"
	"      --key-hex        the key file holds hex text\n"
	"      --json           structured output\n"
	"  -h, --help           show this help\n";

int cmd_key(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key-file", required_argument, NULL, CLI_OPT_KEY_FILE },
		{ "key-hex", no_argument, NULL, CLI_OPT_KEY_HEX },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE], desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE];
	fscrypt_ext_master_key *mk = NULL;
	const char *key_file = NULL;
	bool json = false, key_hex = false;
	int opt, ret, err;

	tc_prog = "fscrypt-ext key";
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case CLI_OPT_KEY_FILE:
			key_file = optarg;
			break;
		case CLI_OPT_KEY_HEX:
			key_hex = true;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(key_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind != argc)
		return cli_usage_err("unexpected argument '%s' (keys are never read from the command line)",
				     argv[optind]);
	if (key_file == NULL)
		return cli_usage_err("no key given: --key-file FILE (or --key-file - for stdin)");
	ret = cli_read_master_key(key_file, key_hex, &mk);
	if (ret != CLI_EXIT_OK)
		return ret;
	err = fscrypt_ext_master_key_identifier(mk, id);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_master_key_descriptor(mk, desc);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot compute the key's identifier/descriptor");
		fscrypt_ext_master_key_free(mk);
		return CLI_EXIT_FAIL;
	}
	if (json) {
		struct json_object *o = json_object_new_object();

		cli_json_add_u64(o, "size", fscrypt_ext_master_key_size(mk));
		cli_json_add_hex(o, "identifier", id, sizeof(id));
		cli_json_add_hex(o, "descriptor", desc, sizeof(desc));
		cli_json_print(o);
		json_object_put(o);
	} else {
		printf("size:       %zu bytes\n", fscrypt_ext_master_key_size(mk));
		printf("identifier: ");
		cli_fprint_hex(stdout, id, sizeof(id), 0);
		printf("  (v2 policies)\ndescriptor: ");
		cli_fprint_hex(stdout, desc, sizeof(desc), 0);
		printf("  (v1 policies, conventional)\n");
	}
	fscrypt_ext_master_key_free(mk);
	return CLI_EXIT_OK;
}
