/* fscrypt-ext tool: `protector` (google/fscrypt metadata): dispatch, `protector unwrap` and `protector show`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cmd_protector.h"
#include "commands.h"
#include "opts.h"
#include "util.h"

#define GF_MAX_ITEMS 64

static const char protector_usage[] =
	"Usage: fscrypt-ext protector unwrap|create|show [OPTIONS]\n"
	"       fscrypt-ext policy-add-protector [OPTIONS]\n"
	"\n"
	"google/fscrypt (the `fscrypt` tool) keeps each directory's master key wrapped under\n"
	"protectors in <mountpoint>/.fscrypt/{protectors,policies}/. These commands read and\n"
	"write that metadata offline:\n"
	"  unwrap   a passphrase or raw-key file + metadata -> the 64-byte master key in a new file\n"
	"  create   a new passphrase or raw_key protector (and optionally a policy for a master key)\n"
	"  show     print protector and policy files\n"
	"  policy-add-protector   let one more protector open an existing policy\n"
	"Each takes --help. Passphrases and keys are only read from files or stdin.\n";

int cmd_protector(int argc, char **argv)
{
	if (argc >= 2) {
		const char *sub = argv[1];

		optind = 0;
		if (strcmp(sub, "unwrap") == 0)
			return cmd_protector_unwrap(argc - 1, argv + 1);
		if (strcmp(sub, "create") == 0)
			return cmd_protector_create(argc - 1, argv + 1);
		if (strcmp(sub, "show") == 0)
			return cmd_protector_show(argc - 1, argv + 1);
		if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
			fputs(protector_usage, stdout);
			return CLI_EXIT_OK;
		}
	}
	tc_prog = "fscrypt-ext protector";
	fputs(protector_usage, stderr);
	return CLI_EXIT_USAGE;
}

static const char unwrap_usage[] =
	"Usage: fscrypt-ext protector unwrap --policy FILE [--protector FILE]... [--metadata-dir DIR]...\n"
	"                                   (--passphrase-file FILE | --raw-key-file FILE)... --out KEYFILE\n"
	"\n"
	"Opens a google/fscrypt policy offline and writes its 64-byte master key to KEYFILE, a new\n"
	"file created with mode 0600 (never overwritten): for `fscryptctl add_key`, `fscrypt-ext\n"
	"--key-file` or `fscrypt-ext-ext4 --keys`. Every credential is tried on every protector\n"
	"of the policy that it could open; the HMAC and both descriptors are checked.\n"
	"\n"
	"Options:\n"
	"      --policy FILE            a .fscrypt/policies/<descriptor> file\n"
	"      --protector FILE         a .fscrypt/protectors/<descriptor> file (repeatable)\n"
	"      --metadata-dir DIR       a .fscrypt folder (or a mountpoint holding one): the policy's\n"
	"                               protectors are looked up in DIR/protectors/ (repeatable; for\n"
	"                               linked protectors, give the other filesystem's folder)\n"
	"      --passphrase-file FILE   a passphrase: the bytes up to the first newline, as fscrypt reads\n"
	"                               them; - for stdin (repeatable)\n"
	"      --raw-key-file FILE      a raw_key protector's 32-byte key file; - for stdin (repeatable)\n"
	"      --out FILE               where the master key goes (created 0600, must not exist)\n"
	"      --json                   structured output\n" GF_LIMITS_HELP
	"  -h, --help                   show this help\n"
	"\n"
	"Exit status: 0 unwrapped, 1 no credential opened the policy, 2 bad usage or metadata.\n";

enum { OPT_POLICY = GF_OPT_FIRST_FREE, OPT_PROTECTOR, OPT_METADATA_DIR, OPT_PASSPHRASE_FILE, OPT_RAW_KEY_FILE, OPT_OUT };

/* DIR/protectors, or DIR/.fscrypt/protectors when DIR is a mountpoint. */
static char *protector_path(const char *dir, const char *desc)
{
	char *p = NULL;
	struct stat st;

	if (asprintf(&p, "%s/.fscrypt/protectors", dir) >= 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(p);
		return asprintf(&p, "%s/.fscrypt/protectors/%s", dir, desc) < 0 ? NULL : p;
	}
	free(p);
	return asprintf(&p, "%s/protectors/%s", dir, desc) < 0 ? NULL : p;
}

struct unwrap_state {
	const char *prot_files[GF_MAX_ITEMS];
	size_t n_prot_files;
	const char *dirs[GF_MAX_ITEMS];
	size_t n_dirs;
	struct tc_cred creds[GF_MAX_ITEMS];
	size_t n_creds;
	fscrypt_ext_gf_protector *prots[GF_MAX_ITEMS * 2];
	size_t n_prots;
};

static int add_protector_file(struct unwrap_state *s, const char *path, bool must_exist)
{
	uint8_t *buf;
	size_t len;
	struct stat st;
	int err;

	if (!must_exist && stat(path, &st) != 0)
		return CLI_EXIT_OK;
	if (s->n_prots == CLI_ARRAY_SIZE(s->prots))
		return cli_usage_err("too many protectors");
	if (gf_read_metadata(path, &buf, &len) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	err = fscrypt_ext_gf_protector_parse(buf, len, &s->prots[s->n_prots]);
	free(buf);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s", path);
		return CLI_EXIT_USAGE;
	}
	s->n_prots++;
	return CLI_EXIT_OK;
}

static bool cred_fits(const struct tc_cred *c, const fscrypt_ext_gf_protector *p)
{
	return c->raw == (fscrypt_ext_gf_protector_source(p) == FSCRYPT_EXT_GF_SOURCE_RAW_KEY);
}

int cmd_protector_unwrap(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "protector", required_argument, NULL, OPT_PROTECTOR },
		{ "metadata-dir", required_argument, NULL, OPT_METADATA_DIR },
		{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
		{ "raw-key-file", required_argument, NULL, OPT_RAW_KEY_FILE },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		GF_LIMITS_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct unwrap_state *s = calloc(1, sizeof(*s));
	struct fscrypt_ext_gf_limits lim;
	const char *policy_file = NULL, *out = NULL;
	fscrypt_ext_gf_policy *pol = NULL;
	uint8_t *buf = NULL, *key = NULL;
	size_t len;
	bool json = false, done = false;
	int opt, ret = CLI_EXIT_USAGE, err, r;

	tc_prog = "fscrypt-ext protector unwrap";
	if (s == NULL)
		return CLI_EXIT_USAGE;
	fscrypt_ext_gf_limits_default(&lim);
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if ((r = gf_limits_option(&lim, opt, optarg)) != 0) {
			if (r < 0)
				goto out;
			continue;
		}
		switch (opt) {
		case OPT_POLICY:
			policy_file = optarg;
			break;
		case OPT_PROTECTOR:
		case OPT_METADATA_DIR:
			if ((opt == OPT_PROTECTOR ? s->n_prot_files : s->n_dirs) == GF_MAX_ITEMS) {
				cli_usage_err("too many --protector/--metadata-dir options");
				goto out;
			}
			if (opt == OPT_PROTECTOR)
				s->prot_files[s->n_prot_files++] = optarg;
			else
				s->dirs[s->n_dirs++] = optarg;
			break;
		case OPT_PASSPHRASE_FILE:
		case OPT_RAW_KEY_FILE:
			if (s->n_creds == GF_MAX_ITEMS) {
				cli_usage_err("too many credentials");
				goto out;
			}
			r = opt == OPT_RAW_KEY_FILE ? gf_read_raw_key(optarg, &s->creds[s->n_creds])
						    : gf_read_passphrase(optarg, &s->creds[s->n_creds]);
			if (r != CLI_EXIT_OK)
				goto out;
			s->n_creds++;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(unwrap_usage, stdout);
			ret = CLI_EXIT_OK;
			goto out;
		default:
			ret = cli_bad_option(argv, opt);
			goto out;
		}
	}
	if (optind != argc) {
		cli_usage_err("unexpected argument '%s' (credentials are never read from the command line)", argv[optind]);
		goto out;
	}
	if (policy_file == NULL || out == NULL || s->n_creds == 0) {
		cli_usage_err("need --policy FILE, --out FILE and at least one --passphrase-file or --raw-key-file");
		goto out;
	}
	if (gf_read_metadata(policy_file, &buf, &len) != CLI_EXIT_OK)
		goto out;
	err = fscrypt_ext_gf_policy_parse(buf, len, &pol);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s", policy_file);
		goto out;
	}
	for (size_t i = 0; i < s->n_prot_files; i++)
		if (add_protector_file(s, s->prot_files[i], true) != CLI_EXIT_OK)
			goto out;
	for (size_t d = 0; d < s->n_dirs; d++) {
		for (size_t i = 0; i < fscrypt_ext_gf_policy_protector_count(pol); i++) {
			char *path = protector_path(s->dirs[d], fscrypt_ext_gf_policy_protector_descriptor(pol, i));

			r = path ? add_protector_file(s, path, false) : CLI_EXIT_USAGE;
			free(path);
			if (r != CLI_EXIT_OK)
				goto out;
		}
	}
	if (s->n_prots == 0) {
		cli_err("no protector of policy %s found (give --protector FILE or --metadata-dir DIR)",
			fscrypt_ext_gf_policy_descriptor(pol));
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	key = sodium_malloc(FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
	if (key == NULL) {
		cli_err("cannot allocate guarded memory");
		goto out;
	}
	ret = CLI_EXIT_FAIL;
	for (size_t c = 0; c < s->n_creds && !done; c++) {
		for (size_t i = 0; i < s->n_prots && !done; i++) {
			fscrypt_ext_gf_protector_key *k = NULL;
			const char *pd = fscrypt_ext_gf_protector_descriptor(s->prots[i]);

			if (!cred_fits(&s->creds[c], s->prots[i]))
				continue;
			err = fscrypt_ext_gf_protector_unwrap(s->prots[i], s->creds[c].bytes, s->creds[c].len, &lim, &k);
			if (err == FSCRYPT_EXT_OK)
				err = fscrypt_ext_gf_policy_unwrap_raw(pol, k, key);
			fscrypt_ext_gf_protector_key_free(k);
			if (err == FSCRYPT_EXT_OK) {
				done = true;
				ret = gf_write_new_file(out, key, FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
				if (ret != CLI_EXIT_OK)
					break;
				if (json) {
					struct json_object *o = json_object_new_object();

					cli_json_add_str(o, "policy", fscrypt_ext_gf_policy_descriptor(pol));
					cli_json_add_str(o, "protector", pd);
					cli_json_add_str(o, "credential", s->creds[c].path);
					cli_json_add_str(o, "key_file", out);
					cli_json_print(o);
					json_object_put(o);
				} else {
					printf("policy %s unwrapped with protector %s (%s); master key written to %s\n",
					       fscrypt_ext_gf_policy_descriptor(pol), pd, s->creds[c].path, out);
				}
			} else if (err != FSCRYPT_EXT_ERR_WRONG_PASSPHRASE && err != FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR) {
				cli_lib_err(err, "protector %s with %s", pd, s->creds[c].path);
			}
		}
	}
	if (!done)
		cli_err("no credential opened policy %s (%zu protector(s) tried)", fscrypt_ext_gf_policy_descriptor(pol),
			s->n_prots);
out:
	sodium_free(key);
	free(buf);
	fscrypt_ext_gf_policy_free(pol);
	for (size_t i = 0; i < s->n_prots; i++)
		fscrypt_ext_gf_protector_free(s->prots[i]);
	for (size_t i = 0; i < s->n_creds; i++)
		gf_cred_free(&s->creds[i]);
	free(s);
	return ret;
}

static const char show_usage[] =
	"Usage: fscrypt-ext protector show FILE...\n"
	"\n"
	"Prints google/fscrypt metadata files (.fscrypt/protectors/* and .fscrypt/policies/*):\n"
	"descriptors, sources, names, Argon2id costs and the lanes they run, policy options and\n"
	"the protectors that open each policy. Exit status 2 if a file is malformed.\n";

int cmd_protector_show(int argc, char **argv)
{
	int ret = CLI_EXIT_OK;

	tc_prog = "fscrypt-ext protector show";
	if (argc < 2)
		return cli_usage_err("no file given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(show_usage, stdout);
		return CLI_EXIT_OK;
	}
	for (int i = 1; i < argc; i++) {
		uint8_t *buf;
		size_t len;
		fscrypt_ext_gf_protector *p;
		fscrypt_ext_gf_policy *pol;
		int e1, e2;

		if (gf_read_metadata(argv[i], &buf, &len) != CLI_EXIT_OK) {
			ret = CLI_EXIT_USAGE;
			continue;
		}
		/* A linked protector: "UUID=...\nPATH=...\n" naming the filesystem that holds it. */
		if (strlen(argv[i]) > 5 && strcmp(argv[i] + strlen(argv[i]) - 5, ".link") == 0) {
			printf("linked protector %s: ", argv[i]);
			for (size_t j = 0; j < len; j++)
				if (buf[j] == '\n')
					printf(j + 1 < len ? "; " : "");
				else if (buf[j] < 0x20 || buf[j] >= 0x7f || buf[j] == '\\')
					printf("\\x%02x", buf[j]);
				else
					putchar(buf[j]);
			printf("\n");
			free(buf);
			continue;
		}
		/* The folder says which it is; without one, whichever parses. */
		e1 = strstr(argv[i], "policies/") ? FSCRYPT_EXT_ERR_BAD_METADATA : fscrypt_ext_gf_protector_parse(buf, len, &p);
		if (e1 == FSCRYPT_EXT_OK) {
			gf_print_protector(p);
			fscrypt_ext_gf_protector_free(p);
		} else if ((e2 = fscrypt_ext_gf_policy_parse(buf, len, &pol)) == FSCRYPT_EXT_OK) {
			gf_print_policy(pol);
			fscrypt_ext_gf_policy_free(pol);
		} else {
			cli_lib_err(strstr(argv[i], "policies/") ? e2 : e1, "%s", argv[i]);
			ret = CLI_EXIT_USAGE;
		}
		free(buf);
	}
	return ret;
}
