/* fscrypt-ext tool: `encrypt-name` / `decrypt-name`, directory entry names and symlink targets. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "commands.h"
#include "opts.h"
#include "util.h"

static const char encrypt_name_usage[] =
	"Usage: fscrypt-ext encrypt-name [OPTIONS] --key-file FILE (--context HEX | --context-file FILE) NAME\n"
	"\n"
	"Encrypts a file name with its directory's context (or, with --symlink, a\n"
	"symlink target with the symlink's context) and prints the stored form in hex:\n"
	"the padded name as in the directory entry, or le16 length + ciphertext for a\n"
	"symlink. NAME is text, or hex with --hex.\n"
	"\n"
	"Options:\n"
	"      --hex                    NAME is hex\n"
	"      --symlink                a symlink target (the inode is the symlink)\n"
	"      --max-len N              symlink: the filesystem's limit for the stored form\n"
	"                               (default: the block size)\n"
	"      --nokey                  also print the no-key name the kernel would show\n"
	"      --hash N, --minor-hash N the filesystem's hash words for the no-key name\n"
	"      --dirhash                compute the casefolded-directory hash of NAME (already\n"
	"                               casefolded; v2) and use it for the no-key name\n"
	"      --json                   structured output\n"
	"  -h, --help                   show this help\n"
	CLI_INODE_HELP;

static const char decrypt_name_usage[] =
	"Usage: fscrypt-ext decrypt-name [OPTIONS] --key-file FILE (--context HEX | --context-file FILE)\n"
	"                                (CIPHERTEXT_HEX | --nokey-name NAME)\n"
	"\n"
	"Decrypts a stored file name with its directory's context (or, with --symlink,\n"
	"a stored symlink target: le16 length + ciphertext) and prints it. A no-key name\n"
	"(as listed without the key) can be given instead when it holds the whole\n"
	"ciphertext.\n"
	"\n"
	"Options:\n"
	"      --symlink                a symlink target (the inode is the symlink)\n"
	"      --nokey-name NAME        decrypt the name behind this no-key name\n"
	"      --hex                    print the plaintext in hex\n"
	"      --json                   structured output\n"
	"  -h, --help                   show this help\n"
	CLI_INODE_HELP;

enum {
	OPT_HEX = CLI_OPT_FIRST_FREE,
	OPT_SYMLINK,
	OPT_MAX_LEN,
	OPT_NOKEY,
	OPT_HASH,
	OPT_MINOR_HASH,
	OPT_DIRHASH,
	OPT_NOKEY_NAME,
};

struct name_opts {
	struct cli_inode_opts io;
	bool hex, symlink, nokey, dirhash, json;
	bool have_max_len;
	uint32_t max_len, hash, minor_hash;
	const char *nokey_name;
};

static const struct option name_longopts[] = {
	CLI_INODE_LONGOPTS,
	{ "hex", no_argument, NULL, OPT_HEX },
	{ "symlink", no_argument, NULL, OPT_SYMLINK },
	{ "max-len", required_argument, NULL, OPT_MAX_LEN },
	{ "nokey", no_argument, NULL, OPT_NOKEY },
	{ "hash", required_argument, NULL, OPT_HASH },
	{ "minor-hash", required_argument, NULL, OPT_MINOR_HASH },
	{ "dirhash", no_argument, NULL, OPT_DIRHASH },
	{ "nokey-name", required_argument, NULL, OPT_NOKEY_NAME },
	{ "json", no_argument, NULL, CLI_OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parses the options; -1 to go on, else the exit code. */
static int parse_name_opts(int argc, char **argv, struct name_opts *o, const char *usage)
{
	int opt, r;

	memset(o, 0, sizeof(*o));
	cli_inode_opts_init(&o->io);
	while ((opt = getopt_long(argc, argv, ":h", name_longopts, NULL)) != -1) {
		if ((r = cli_inode_option(&o->io, opt, optarg)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		switch (opt) {
		case OPT_HEX:
			o->hex = true;
			break;
		case OPT_SYMLINK:
			o->symlink = true;
			break;
		case OPT_MAX_LEN:
			if (!cli_parse_u32(optarg, &o->max_len) || o->max_len < 3)
				return cli_usage_err("--max-len: '%s' is not a length", optarg);
			o->have_max_len = true;
			break;
		case OPT_NOKEY:
			o->nokey = true;
			break;
		case OPT_HASH:
		case OPT_MINOR_HASH:
			if (!cli_parse_u32(optarg, opt == OPT_HASH ? &o->hash : &o->minor_hash))
				return cli_usage_err("--%s: '%s' is not a 32-bit number",
						     opt == OPT_HASH ? "hash" : "minor-hash", optarg);
			o->nokey = true;
			break;
		case OPT_DIRHASH:
			o->dirhash = true;
			break;
		case OPT_NOKEY_NAME:
			o->nokey_name = optarg;
			break;
		case CLI_OPT_JSON:
			o->json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	return -1;
}

/* Valid UTF-8 without control characters: safe to print or put in JSON as a string. */
static bool printable_utf8(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = p[i];
		size_t extra;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			extra = 1;
		else if ((c & 0xf0) == 0xe0)
			extra = 2;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			extra = 3;
		else
			return false;
		if (i + extra >= n)
			return false;
		for (size_t k = 1; k <= extra; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += extra + 1;
	}
	return true;
}

int cmd_encrypt_name(int argc, char **argv)
{
	struct name_opts o;
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_inode *inode = NULL;
	char nokey[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
	uint8_t *name = NULL, *out = NULL;
	size_t name_len, out_len, nokey_len = 0, max_len;
	uint64_t dirhash = 0;
	int ret, err;

	tc_prog = "fscrypt-ext encrypt-name";
	ret = parse_name_opts(argc, argv, &o, encrypt_name_usage);
	if (ret >= 0)
		return ret;
	if (o.nokey_name != NULL)
		return cli_usage_err("--nokey-name is for decrypt-name");
	if (optind + 1 != argc)
		return cli_usage_err(optind >= argc ? "no name given" : "give exactly one name");
	if (o.symlink && (o.nokey || o.dirhash))
		return cli_usage_err("--nokey and --dirhash are for directory entry names, not symlinks");
	if (o.hex) {
		if (!cli_hex_decode(argv[optind], strlen(argv[optind]), &name, &name_len))
			return cli_usage_err("the name is not hex: '%s'", argv[optind]);
	} else {
		name_len = strlen(argv[optind]);
		name = (uint8_t *)strdup(argv[optind]);
		if (name == NULL)
			return CLI_EXIT_FAIL;
	}
	if (o.dirhash)
		o.io.fs.dir_flags |= FSCRYPT_EXT_DIR_CASEFOLDED;
	ret = cli_inode_open(&o.io, o.symlink ? FSCRYPT_EXT_INODE_SYMLINK : FSCRYPT_EXT_INODE_DIR, &mk, &inode);
	if (ret != CLI_EXIT_OK)
		goto out;
	max_len = o.symlink ? (o.have_max_len ? o.max_len : o.io.fs.fs.block_size) : FSCRYPT_EXT_NAME_MAX + 1;
	out = malloc(max_len);
	if (out == NULL) {
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	err = o.symlink ? fscrypt_ext_symlink_encrypt(inode, name, name_len, max_len, out, max_len, &out_len)
			: fscrypt_ext_fname_encrypt(inode, name, name_len, out, max_len, &out_len);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot encrypt the %zu-byte %s", name_len, o.symlink ? "symlink target" : "name");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (o.dirhash) {
		err = fscrypt_ext_dirhash(inode, name, name_len, &dirhash);
		if (err != FSCRYPT_EXT_OK) {
			cli_lib_err(err, "cannot compute the dirhash");
			ret = CLI_EXIT_FAIL;
			goto out;
		}
		/* ext4 keeps the high word as the hash and the low word as the minor hash. */
		o.hash = (uint32_t)(dirhash >> 32);
		o.minor_hash = (uint32_t)dirhash;
		o.nokey = true;
	}
	if (o.nokey) {
		err = fscrypt_ext_nokey_name_encode(out, out_len, o.hash, o.minor_hash, nokey, sizeof(nokey),
						    &nokey_len);
		if (err != FSCRYPT_EXT_OK) {
			cli_lib_err(err, "cannot encode the no-key name");
			ret = CLI_EXIT_FAIL;
			goto out;
		}
	}
	if (o.json) {
		struct json_object *j = json_object_new_object();

		cli_json_add_hex(j, o.symlink ? "disk" : "ciphertext", out, out_len);
		if (o.dirhash) {
			cli_json_add_u64(j, "dirhash", dirhash);
			cli_json_add_u64(j, "hash", o.hash);
			cli_json_add_u64(j, "minor_hash", o.minor_hash);
		}
		if (o.nokey)
			cli_json_add_str(j, "nokey_name", nokey);
		cli_json_print(j);
		json_object_put(j);
	} else {
		cli_fprint_hex(stdout, out, out_len, 0);
		putchar('\n');
		if (o.dirhash)
			printf("dirhash: 0x%016llx (hash 0x%08x, minor_hash 0x%08x)\n", (unsigned long long)dirhash,
			       o.hash, o.minor_hash);
		if (o.nokey)
			printf("%s\n", nokey);
	}
	ret = CLI_EXIT_OK;
out:
	free(name);
	free(out);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	return ret;
}

/* The ciphertext behind a no-key name, when the name holds all of it. */
static int ct_from_nokey(const char *name, uint8_t **ct, size_t *ct_len)
{
	struct fscrypt_ext_nokey_name nk;
	int err = fscrypt_ext_nokey_name_decode(name, strlen(name), &nk);

	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "'%s' is not a no-key name", name);
		return CLI_EXIT_FAIL;
	}
	if (nk.has_sha256) {
		cli_err("this no-key name keeps only the first %d bytes and a SHA-256 of a longer name; "
			"read the full ciphertext from the directory entry", FSCRYPT_EXT_NOKEY_NAME_BYTES);
		return CLI_EXIT_FAIL;
	}
	*ct = malloc(nk.bytes_len + 1);
	if (*ct == NULL)
		return CLI_EXIT_FAIL;
	memcpy(*ct, nk.bytes, nk.bytes_len);
	*ct_len = nk.bytes_len;
	return CLI_EXIT_OK;
}

int cmd_decrypt_name(int argc, char **argv)
{
	struct name_opts o;
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_inode *inode = NULL;
	uint8_t *ct = NULL, *out = NULL;
	size_t ct_len, out_len;
	int ret, err;

	tc_prog = "fscrypt-ext decrypt-name";
	ret = parse_name_opts(argc, argv, &o, decrypt_name_usage);
	if (ret >= 0)
		return ret;
	if (o.nokey || o.dirhash || o.have_max_len)
		return cli_usage_err("--nokey, --hash, --minor-hash, --dirhash and --max-len are for encrypt-name");
	if (o.nokey_name != NULL) {
		if (optind != argc)
			return cli_usage_err("give either a ciphertext or --nokey-name, not both");
		if (o.symlink)
			return cli_usage_err("--nokey-name names directory entries, not symlink targets");
		ret = ct_from_nokey(o.nokey_name, &ct, &ct_len);
		if (ret != CLI_EXIT_OK)
			return ret;
	} else {
		if (optind + 1 != argc)
			return cli_usage_err(optind >= argc ? "no ciphertext given" : "give exactly one ciphertext");
		if (!cli_hex_decode(argv[optind], strlen(argv[optind]), &ct, &ct_len))
			return cli_usage_err("the ciphertext is not hex: '%s'", argv[optind]);
	}
	ret = cli_inode_open(&o.io, o.symlink ? FSCRYPT_EXT_INODE_SYMLINK : FSCRYPT_EXT_INODE_DIR, &mk, &inode);
	if (ret != CLI_EXIT_OK)
		goto out;
	out = malloc(ct_len + 1);
	if (out == NULL) {
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	err = o.symlink ? fscrypt_ext_symlink_decrypt(inode, ct, ct_len, out, ct_len + 1, &out_len)
			: fscrypt_ext_fname_decrypt(inode, ct, ct_len, out, ct_len + 1, &out_len);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot decrypt the %zu-byte %s", ct_len, o.symlink ? "symlink" : "name");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (o.json) {
		struct json_object *j = json_object_new_object();

		cli_json_add_hex(j, "plaintext_hex", out, out_len);
		if (printable_utf8(out, out_len)) {
			out[out_len] = '\0';
			cli_json_add_str(j, "plaintext", (const char *)out);
		}
		cli_json_print(j);
		json_object_put(j);
	} else if (o.hex) {
		cli_fprint_hex(stdout, out, out_len, 0);
		putchar('\n');
	} else {
		if (!cli_write_all(stdout, out, out_len)) {
			ret = CLI_EXIT_FAIL;
			goto out;
		}
		putchar('\n');
	}
	ret = CLI_EXIT_OK;
out:
	free(ct);
	if (out != NULL)
		sodium_memzero(out, ct_len + 1); /* the decrypted name or target */
	free(out);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	return ret;
}
