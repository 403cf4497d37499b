/* fscrypt-ext tool: command-line options shared by subcommands (filesystem properties, key, context, inode). */
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "util.h"

void cli_fs_opts_init(struct cli_fs_opts *o)
{
	memset(o, 0, sizeof(*o));
	fscrypt_ext_fs_info_ext4(&o->fs, 4096);
}

static int bad_value(const char *opt, const char *arg, const char *want)
{
	cli_err("--%s: '%s' is not %s", opt, arg, want);
	return -1;
}

static int set_bits(uint8_t *dst, const char *opt, const char *arg)
{
	uint32_t n;

	if (!cli_parse_u32(arg, &n) || n > 64)
		return bad_value(opt, arg, "a number of bits from 0 to 64");
	*dst = (uint8_t)n;
	return 1;
}

int cli_fs_option(struct cli_fs_opts *o, int opt, const char *arg)
{
	uint32_t n;

	switch (opt) {
	case CLI_OPT_BLOCK_SIZE:
		if (!cli_parse_u32(arg, &n) || n < 512 || n > 65536 || (n & (n - 1)) != 0)
			return bad_value("block-size", arg, "a power of two from 512 to 65536");
		o->fs.block_size = n;
		return 1;
	case CLI_OPT_INO_BITS:
		return set_bits(&o->fs.ino_bits, "ino-bits", arg);
	case CLI_OPT_LBLK_BITS:
		return set_bits(&o->fs.lblk_bits, "lblk-bits", arg);
	case CLI_OPT_STABLE_INODES:
	case CLI_OPT_NO_STABLE_INODES:
		o->fs.stable_inodes = opt == CLI_OPT_STABLE_INODES;
		return 1;
	case CLI_OPT_SUBBLOCK:
	case CLI_OPT_NO_SUBBLOCK:
		o->fs.subblock_data_units = opt == CLI_OPT_SUBBLOCK;
		return 1;
	case CLI_OPT_CASEFOLDED:
		o->dir_flags |= FSCRYPT_EXT_DIR_CASEFOLDED;
		return 1;
	case CLI_OPT_FS_UUID: {
		char hex[33];
		size_t j = 0;

		/* Accept the usual dashed UUID form as well as 32 plain hex digits. */
		for (const char *p = arg; *p != '\0' && j < sizeof(hex) - 1; p++)
			if (*p != '-')
				hex[j++] = *p;
		hex[j] = '\0';
		if (strlen(arg) > 36 || !cli_hex_decode_fixed(hex, o->fs.uuid, sizeof(o->fs.uuid)))
			return bad_value("fs-uuid", arg, "a UUID (32 hex digits, dashes allowed)");
		o->have_uuid = true;
		return 1;
	}
	default:
		return 0;
	}
}

void cli_inode_opts_init(struct cli_inode_opts *o)
{
	memset(o, 0, sizeof(*o));
	cli_fs_opts_init(&o->fs);
}

int cli_inode_option(struct cli_inode_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_KEY_FILE:
		o->key_file = arg;
		return 1;
	case CLI_OPT_KEY_HEX:
		o->key_hex = true;
		return 1;
	case CLI_OPT_CONTEXT:
		o->context_hex = arg;
		return 1;
	case CLI_OPT_CONTEXT_FILE:
		o->context_file = arg;
		return 1;
	case CLI_OPT_INO:
		if (!cli_parse_u64(arg, &o->ino))
			return bad_value("ino", arg, "an inode number");
		o->have_ino = true;
		return 1;
	case CLI_OPT_V1_UNCHECKED:
		o->v1_unchecked = true;
		return 1;
	default:
		return cli_fs_option(&o->fs, opt, arg);
	}
}

int cli_inode_context(const struct cli_inode_opts *o, struct fscrypt_ext_context *ctx)
{
	uint8_t *raw;
	size_t len;
	int err;

	if (o->context_hex == NULL && o->context_file == NULL) {
		cli_err("no context given (--context HEX or --context-file FILE)");
		return CLI_EXIT_USAGE;
	}
	if (!cli_bytes_from_hex_or_file(o->context_hex, o->context_file, "context", &raw, &len))
		return CLI_EXIT_USAGE;
	err = fscrypt_ext_context_parse(raw, len, ctx);
	free(raw);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot parse the %zu-byte context", len);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cli_inode_open(const struct cli_inode_opts *o, enum fscrypt_ext_inode_type type, fscrypt_ext_master_key **mk,
		   fscrypt_ext_inode **inode)
{
	struct fscrypt_ext_context ctx;
	unsigned int flags;
	int ret, err;

	if (o->key_file == NULL) {
		cli_err("no master key given (--key-file FILE, or --key-file - for stdin)");
		return CLI_EXIT_USAGE;
	}
	ret = cli_inode_context(o, &ctx);
	if (ret != CLI_EXIT_OK)
		return ret;
	/* These policies mix the inode number into the IV and the filesystem UUID into the key. */
	if (ctx.flags & (FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)) {
		if (!o->have_ino) {
			cli_err("this policy (IV_INO_LBLK_%s) needs the inode number: --ino N",
				ctx.flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 ? "64" : "32");
			return CLI_EXIT_USAGE;
		}
		if (!o->fs.have_uuid) {
			cli_err("this policy (IV_INO_LBLK_%s) needs the filesystem UUID: --fs-uuid HEX",
				ctx.flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 ? "64" : "32");
			return CLI_EXIT_USAGE;
		}
	}
	ret = cli_read_master_key(o->key_file, o->key_hex, mk);
	if (ret != CLI_EXIT_OK)
		return ret;
	flags = o->v1_unchecked ? FSCRYPT_EXT_OPEN_V1_UNCHECKED : 0;
	if (type == FSCRYPT_EXT_INODE_DIR && (o->fs.dir_flags & FSCRYPT_EXT_DIR_CASEFOLDED))
		flags |= FSCRYPT_EXT_OPEN_CASEFOLDED;
	err = fscrypt_ext_inode_open_ex(&ctx, *mk, type, o->ino, &o->fs.fs, flags, inode);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot set up the inode's key");
		if (err == FSCRYPT_EXT_ERR_WRONG_KEY && ctx.version == FSCRYPT_EXT_CONTEXT_V1 && !o->v1_unchecked)
			fprintf(stderr, "(v1 descriptors are checked by the SHA-512 convention; --v1-unchecked skips that)\n");
		fscrypt_ext_master_key_free(*mk);
		*mk = NULL;
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}
