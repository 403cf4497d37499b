/* fscrypt-ext tool: `nokey encode|decode`, the names the kernel lists for entries whose key is absent. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>


#include "commands.h"
#include "opts.h"
#include "util.h"

static const char nokey_usage[] =
	"Usage: fscrypt-ext nokey encode [--hash N] [--minor-hash N] [--json] CIPHERTEXT_HEX\n"
	"       fscrypt-ext nokey decode [--json] NAME\n"
	"\n"
	"encode: the no-key name of a stored (encrypted) name, as the kernel lists it\n"
	"        without the key: base64url of the filesystem's two hash words and the\n"
	"        ciphertext (past 149 bytes: its first 149 bytes and a SHA-256 of the rest).\n"
	"decode: the hash words and ciphertext bytes a no-key name carries; exit 1 if the\n"
	"        kernel would not accept it as a no-key name.\n"
	"\n"
	"Options:\n"
	"      --hash N          first hash word (default 0)\n"
	"      --minor-hash N    second hash word (default 0)\n"
	"      --json            structured output\n"
	"  -h, --help            show this help\n";

enum { OPT_HASH = CLI_OPT_FIRST_FREE, OPT_MINOR_HASH };

static int nokey_encode(const char *hex, uint32_t hash, uint32_t minor, bool json)
{
	char out[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
	uint8_t *ct;
	size_t ct_len, out_len;
	int err;

	if (!cli_hex_decode(hex, strlen(hex), &ct, &ct_len))
		return cli_usage_err("the ciphertext is not hex: '%s'", hex);
	err = fscrypt_ext_nokey_name_encode(ct, ct_len, hash, minor, out, sizeof(out), &out_len);
	free(ct);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot encode a %zu-byte ciphertext", ct_len);
		return CLI_EXIT_FAIL;
	}
	if (json) {
		struct json_object *o = json_object_new_object();

		cli_json_add_str(o, "encoded", out);
		cli_json_print(o);
		json_object_put(o);
	} else {
		puts(out);
	}
	return CLI_EXIT_OK;
}

static int nokey_decode(const char *name, bool json)
{
	struct fscrypt_ext_nokey_name nk;
	int err = fscrypt_ext_nokey_name_decode(name, strlen(name), &nk);
	size_t n;

	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "'%s' is not a no-key name", name);
		return CLI_EXIT_FAIL;
	}
	n = nk.bytes_len <= sizeof(nk.bytes) ? nk.bytes_len : sizeof(nk.bytes);
	if (json) {
		struct json_object *o = json_object_new_object();

		cli_json_add_u64(o, "hash", nk.hash);
		cli_json_add_u64(o, "minor_hash", nk.minor_hash);
		cli_json_add_hex(o, nk.has_sha256 ? "ciphertext_prefix" : "ciphertext", nk.bytes, n);
		if (nk.has_sha256)
			cli_json_add_hex(o, "sha256_of_rest", nk.sha256, sizeof(nk.sha256));
		cli_json_print(o);
		json_object_put(o);
		return CLI_EXIT_OK;
	}
	printf("hash:       0x%08x\n", nk.hash);
	printf("minor_hash: 0x%08x\n", nk.minor_hash);
	printf("%s ", nk.has_sha256 ? "prefix:    " : "ciphertext:");
	cli_fprint_hex(stdout, nk.bytes, n, 0);
	printf(" (%zu bytes)\n", n);
	if (nk.has_sha256) {
		printf("sha256:     ");
		cli_fprint_hex(stdout, nk.sha256, sizeof(nk.sha256), 0);
		printf(" (of the ciphertext past byte %d)\n", FSCRYPT_EXT_NOKEY_NAME_BYTES);
	}
	return CLI_EXIT_OK;
}

int cmd_nokey(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hash", required_argument, NULL, OPT_HASH },
		{ "minor-hash", required_argument, NULL, OPT_MINOR_HASH },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t hash = 0, minor = 0;
	bool json = false, have_hash = false;
	const char *action;
	int opt;

	tc_prog = "fscrypt-ext nokey";
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_HASH:
		case OPT_MINOR_HASH:
			if (!cli_parse_u32(optarg, opt == OPT_HASH ? &hash : &minor))
				return cli_usage_err("--%s: '%s' is not a 32-bit number",
						     opt == OPT_HASH ? "hash" : "minor-hash", optarg);
			have_hash = true;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(nokey_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind >= argc)
		return cli_usage_err("no action given (encode or decode)");
	action = argv[optind++];
	if (strcmp(action, "encode") != 0 && strcmp(action, "decode") != 0)
		return cli_usage_err("unknown action '%s' (encode or decode)", action);
	if (optind + 1 != argc)
		return cli_usage_err(optind >= argc ? "no %s given" : "give exactly one %s",
				     action[0] == 'e' ? "ciphertext" : "name");
	if (fscrypt_ext_init() != FSCRYPT_EXT_OK) {
		cli_err("library initialisation failed");
		return CLI_EXIT_FAIL;
	}
	if (action[0] == 'e')
		return nokey_encode(argv[optind], hash, minor, json);
	if (have_hash)
		return cli_usage_err("--hash and --minor-hash are for encode");
	return nokey_decode(argv[optind], json);
}
