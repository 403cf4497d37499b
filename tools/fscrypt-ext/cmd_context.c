/* fscrypt-ext tool: `context decode`, an on-disk encryption context (an inode's xattr or a btrfs extent's) field by field. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opts.h"
#include "show.h"
#include "util.h"

static const char context_usage[] =
	"Usage: fscrypt-ext context decode [OPTIONS] (HEX | --file FILE)\n"
	"\n"
	"Decodes an encryption context from hex or from a binary file (- for stdin).\n"
	"An inode context (the 28-byte v1 or 40-byte v2 xattr value): the policy it\n"
	"carries, its nonce, and whether the filesystem accepts it (strict validation).\n"
	"An extent context (34 bytes, the btrfs per-extent design; not in any merged\n"
	"kernel): mode, master key identifier and nonce, and, given its inode's context,\n"
	"whether the extent belongs to that inode. The kind follows from the length.\n"
	"\n"
	"Options:\n"
	"      --file FILE              read the binary context from FILE\n"
	"      --inode-context HEX      extent: the owning inode's context, to validate against\n"
	"      --allow-rekeyed          extent: accept a master key other than the inode's\n"
	"      --json                   structured output\n"
	"  -h, --help                   show this help\n"
	CLI_FS_HELP
	"\n"
	"Exit status: 0 the context parses (validity is reported), 1 it does not parse,\n"
	"2 bad usage or unreadable input.\n";

enum { OPT_INODE_CONTEXT = CLI_OPT_FIRST_FREE, OPT_ALLOW_REKEYED };

static int decode_extent_context(const uint8_t *raw, size_t len, const char *inode_hex, bool rekeyed, bool json)
{
	struct fscrypt_ext_extent_context ectx;
	struct fscrypt_ext_context ictx;
	struct json_object *o = json ? json_object_new_object() : NULL;
	const char *mode;
	uint8_t *iraw;
	size_t ilen;
	int err, verr = FSCRYPT_EXT_OK;

	err = fscrypt_ext_extent_context_parse(raw, len, &ectx);
	if (err != FSCRYPT_EXT_OK) {
		json_object_put(o);
		cli_lib_err(err, "cannot parse the %zu-byte extent context", len);
		return CLI_EXIT_FAIL;
	}
	if (inode_hex != NULL) {
		if (!cli_hex_decode(inode_hex, strlen(inode_hex), &iraw, &ilen)) {
			json_object_put(o);
			cli_err("--inode-context is not hex: '%s'", inode_hex);
			return CLI_EXIT_USAGE;
		}
		verr = fscrypt_ext_context_parse(iraw, ilen, &ictx);
		free(iraw);
		if (verr == FSCRYPT_EXT_OK)
			verr = fscrypt_ext_extent_context_validate(&ectx, &ictx,
								   rekeyed ? FSCRYPT_EXT_EXTENT_ALLOW_REKEYED : 0);
	}
	mode = cli_mode_name(ectx.contents_mode);
	if (json) {
		struct json_object *m = json_object_new_object();

		cli_json_add_str(o, "kind", "extent");
		cli_json_add_bool(o, "parsed", true);
		cli_json_add_u64(o, "context_version", ectx.version);
		cli_json_add_u64(m, "number", ectx.contents_mode);
		cli_json_add_str(m, "name", mode);
		json_object_object_add(o, "contents_mode", m);
		cli_json_add_hex(o, "key_identifier", ectx.key_identifier, sizeof(ectx.key_identifier));
		cli_json_add_hex(o, "nonce", ectx.nonce, sizeof(ectx.nonce));
		if (inode_hex != NULL)
			cli_show_validity("valid", verr, o);
		cli_json_print(o);
		json_object_put(o);
		return CLI_EXIT_OK;
	}
	printf("%-16s extent, %zu bytes (btrfs design, not merged upstream)\n", "context:", len);
	printf("%-16s %u\n", "context version:", ectx.version);
	printf("%-16s %u (%s)\n", "contents:", ectx.contents_mode, mode ? mode : "unknown");
	printf("%-16s ", "key identifier:");
	cli_fprint_hex(stdout, ectx.key_identifier, sizeof(ectx.key_identifier), 0);
	printf("\n%-16s ", "nonce:");
	cli_fprint_hex(stdout, ectx.nonce, sizeof(ectx.nonce), 0);
	putchar('\n');
	if (inode_hex != NULL)
		cli_show_validity("valid for inode:", verr, NULL);
	return CLI_EXIT_OK;
}

static int decode_inode_context(const uint8_t *raw, size_t len, const struct fscrypt_ext_fs_info *fs,
				unsigned int dir_flags, bool json)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_policy p;
	struct json_object *o = NULL;
	int err;

	err = fscrypt_ext_context_parse(raw, len, &ctx);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_context_to_policy(&ctx, &p);
	if (err != FSCRYPT_EXT_OK) {
		if (json) {
			o = json_object_new_object();
			cli_json_add_str(o, "kind", "inode");
			cli_json_add_bool(o, "parsed", false);
			cli_show_validity("valid", err, o);
			cli_json_print(o);
			json_object_put(o);
		} else {
			printf("%-16s no: %s (%s, %d)\n", "parses:", fscrypt_ext_strerror(err), cli_err_name(err), err);
		}
		cli_lib_err(err, "cannot parse the %zu-byte context", len);
		return CLI_EXIT_FAIL;
	}
	if (json) {
		o = json_object_new_object();
		cli_json_add_str(o, "kind", "inode");
		cli_json_add_bool(o, "parsed", true);
		cli_json_add_u64(o, "context_version", ctx.version);
		cli_json_add_hex(o, "nonce", ctx.nonce, sizeof(ctx.nonce));
	} else {
		printf("%-16s inode, %zu bytes\n", "context:", len);
		printf("%-16s %u\n", "context version:", ctx.version);
	}
	/* The policy fields; cli_show_policy validates the policy, the context gets its own verdict below. */
	cli_show_policy(&p, fs, dir_flags, o);
	err = fscrypt_ext_context_validate_dir(&ctx, fs, dir_flags);
	if (json) {
		cli_show_validity("valid", err, o);
		cli_json_print(o);
		json_object_put(o);
	} else {
		printf("%-16s ", "nonce:");
		cli_fprint_hex(stdout, ctx.nonce, sizeof(ctx.nonce), 0);
		putchar('\n');
		cli_show_validity("context valid:", err, NULL);
	}
	return CLI_EXIT_OK;
}

int cmd_context(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FS_LONGOPTS,
		{ "file", required_argument, NULL, CLI_OPT_FILE },
		{ "inode-context", required_argument, NULL, OPT_INODE_CONTEXT },
		{ "allow-rekeyed", no_argument, NULL, OPT_ALLOW_REKEYED },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_fs_opts fs;
	const char *file = NULL, *hex = NULL, *inode_hex = NULL;
	uint8_t *raw;
	size_t len;
	bool json = false, rekeyed = false;
	int opt, r, ret;

	tc_prog = "fscrypt-ext context";
	cli_fs_opts_init(&fs);
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
		case OPT_INODE_CONTEXT:
			inode_hex = optarg;
			break;
		case OPT_ALLOW_REKEYED:
			rekeyed = true;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(context_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind >= argc)
		return cli_usage_err("no action given (decode)");
	if (strcmp(argv[optind], "decode") != 0)
		return cli_usage_err("unknown action '%s' (decode)", argv[optind]);
	optind++;
	if (optind < argc)
		hex = argv[optind++];
	if (optind < argc)
		return cli_usage_err("unexpected argument '%s'", argv[optind]);
	if (hex == NULL && file == NULL)
		return cli_usage_err("no context given (HEX or --file FILE)");
	if (fscrypt_ext_init() != FSCRYPT_EXT_OK) {
		cli_err("library initialisation failed");
		return CLI_EXIT_FAIL;
	}
	if (!cli_bytes_from_hex_or_file(hex, file, "context", &raw, &len))
		return CLI_EXIT_USAGE;
	/* Inode contexts are 28 or 40 bytes, extent contexts 34: the length tells them apart. */
	if (len == FSCRYPT_EXT_EXTENT_CONTEXT_SIZE)
		ret = decode_extent_context(raw, len, inode_hex, rekeyed, json);
	else if (inode_hex != NULL || rekeyed)
		ret = cli_usage_err("--inode-context and --allow-rekeyed are for 34-byte extent contexts");
	else
		ret = decode_inode_context(raw, len, &fs.fs, fs.dir_flags, json);
	free(raw);
	return ret;
}
