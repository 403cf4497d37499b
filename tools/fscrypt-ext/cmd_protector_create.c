/* fscrypt-ext tool: `protector create` (new google/fscrypt protectors and policies) and `policy-add-protector`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cmd_protector.h"
#include "common.h"
#include "file.h"
#include "commands.h"
#include "util.h"

static const char create_usage[] =
	"Usage: fscrypt-ext protector create --metadata-dir DIR --name NAME\n"
	"                                   (--passphrase-file FILE | --raw-key-file FILE)\n"
	"                                   [--time N --memory KIB [--parallelism P] | --tune-ms MS]\n"
	"                                   [--policy-key-file FILE [--policy-version 1|2]]\n"
	"\n"
	"Writes a new google/fscrypt protector to DIR/protectors/<descriptor> (DIR is a .fscrypt\n"
	"folder, or a mountpoint that has one; the folders are created 0755 when missing, files\n"
	"0600). A passphrase protector gets a random salt and the Argon2id costs given, or costs\n"
	"tuned to take about MS milliseconds here (default 1000, at most 128 MiB, as fscrypt setup).\n"
	"With --policy-key-file, the 64-byte master key in FILE is also wrapped under the new\n"
	"protector into DIR/policies/<key descriptor> (v2: the kernel key identifier), so that\n"
	"`fscrypt unlock` opens a directory encrypted with that key.\n"
	"\n"
	"Options:\n"
	"      --metadata-dir DIR       where to write (DIR/protectors, DIR/policies)\n"
	"      --name NAME              the protector's name (fscrypt shows it)\n"
	"      --source SRC             custom_passphrase (default), raw_key (default with --raw-key-file)\n"
	"                               or pam_passphrase (needs --uid, no name)\n"
	"      --uid N                  owner of a pam_passphrase protector\n"
	"      --passphrase-file FILE   the passphrase (bytes up to the first newline; - for stdin)\n"
	"      --raw-key-file FILE      a 32-byte key file (- for stdin)\n"
	"      --time N --memory KIB --parallelism P   Argon2id costs (parallelism default 1)\n"
	"      --tune-ms MS             tune the costs to MS milliseconds instead\n"
	"      --policy-key-file FILE   a 64-byte master key (raw) to wrap in a new policy\n"
	"      --policy-version V       1 or 2 (default 2); AES-256-XTS/AES-256-CTS, padding 32\n"
	"  -h, --help                   show this help\n";

enum {
	OPT_METADATA_DIR = GF_OPT_FIRST_FREE,
	OPT_NAME,
	OPT_SOURCE,
	OPT_UID,
	OPT_PASSPHRASE_FILE,
	OPT_RAW_KEY_FILE,
	OPT_TIME,
	OPT_MEMORY,
	OPT_PARALLELISM,
	OPT_TUNE_MS,
	OPT_POLICY_KEY_FILE,
	OPT_POLICY_VERSION,
	OPT_POLICY,
	OPT_PROTECTOR,
	OPT_ADD_PROTECTOR,
	OPT_ADD_PASSPHRASE_FILE,
	OPT_ADD_RAW_KEY_FILE,
	OPT_OUT,
};

/* DIR/.fscrypt when DIR is a mountpoint with one, else DIR; sub-folders created as fscrypt does (0755). */
static char *metadata_root(const char *dir)
{
	char *p = NULL, *sub = NULL;
	struct stat st;

	if (asprintf(&p, "%s/.fscrypt", dir) < 0)
		return NULL;
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(p);
		p = strdup(dir);
		if (p && mkdir(p, 0755) != 0 && errno != EEXIST) {
			cli_err("cannot create %s: %s", p, strerror(errno));
			free(p);
			return NULL;
		}
	}
	for (int i = 0; p && i < 2; i++) {
		if (asprintf(&sub, "%s/%s", p, i ? "policies" : "protectors") < 0 ||
		    (mkdir(sub, 0755) != 0 && errno != EEXIST)) {
			cli_err("cannot create %s: %s", sub ? sub : p, strerror(errno));
			free(p);
			p = NULL;
		}
		free(sub);
		sub = NULL;
	}
	return p;
}

static int parse_source(const char *s)
{
	for (int i = 1; i <= 3; i++)
		if (strcasecmp(s, fscrypt_ext_gf_source_name(i)) == 0)
			return i;
	return -1;
}

static bool parse_i64(const char *s, int64_t *v)
{
	uint64_t u;

	if (!cli_parse_u64(s, &u) || u > INT64_MAX)
		return false;
	*v = (int64_t)u;
	return true;
}

/* Reads a 64-byte raw master key file; it only ever lives in guarded memory (tools/common). */
static uint8_t *read_policy_key(const char *path)
{
	uint8_t *key = NULL;
	size_t len = 0;

	if (sodium_init() < 0 || !tc_read_secret_file(path, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, &key, &len))
		return NULL;
	if (len != FSCRYPT_EXT_GF_POLICY_KEY_SIZE) {
		cli_err("%s: a google/fscrypt policy key is exactly 64 raw bytes (got %zu)", path, len);
		sodium_free(key);
		return NULL;
	}
	return key;
}

int cmd_protector_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "metadata-dir", required_argument, NULL, OPT_METADATA_DIR },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
		{ "raw-key-file", required_argument, NULL, OPT_RAW_KEY_FILE },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "parallelism", required_argument, NULL, OPT_PARALLELISM },
		{ "tune-ms", required_argument, NULL, OPT_TUNE_MS },
		{ "policy-key-file", required_argument, NULL, OPT_POLICY_KEY_FILE },
		{ "policy-version", required_argument, NULL, OPT_POLICY_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fscrypt_ext_gf_protector_params prm = { 0 };
	struct fscrypt_ext_gf_policy_options po = { 2, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 32 };
	struct tc_cred cred = { 0 };
	const char *dir = NULL, *policy_key_file = NULL;
	char *root = NULL, *path = NULL, desc[17];
	uint8_t buf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], *mkey = NULL;
	fscrypt_ext_gf_protector_key *k = NULL;
	fscrypt_ext_gf_policy *pol = NULL;
	size_t len;
	int64_t v;
	uint32_t u;
	int opt, ret = CLI_EXIT_USAGE, err;
	bool have_cred = false;

	tc_prog = "fscrypt-ext protector create";
	prm.source = FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE;
	prm.costs.parallelism = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_METADATA_DIR:
			dir = optarg;
			break;
		case OPT_NAME:
			prm.name = optarg;
			break;
		case OPT_SOURCE:
			if ((prm.source = parse_source(optarg)) < 0) {
				cli_usage_err("unknown source '%s'", optarg);
				goto out;
			}
			break;
		case OPT_UID:
			if (!parse_i64(optarg, &prm.uid)) {
				cli_usage_err("bad uid '%s'", optarg);
				goto out;
			}
			break;
		case OPT_PASSPHRASE_FILE:
		case OPT_RAW_KEY_FILE:
			if (have_cred) {
				cli_usage_err("one credential only");
				goto out;
			}
			if ((opt == OPT_RAW_KEY_FILE ? gf_read_raw_key(optarg, &cred) : gf_read_passphrase(optarg, &cred)) !=
			    CLI_EXIT_OK)
				goto out;
			have_cred = true;
			if (opt == OPT_RAW_KEY_FILE)
				prm.source = FSCRYPT_EXT_GF_SOURCE_RAW_KEY;
			break;
		case OPT_TIME:
		case OPT_MEMORY:
		case OPT_PARALLELISM:
			if (!parse_i64(optarg, &v) || v == 0) {
				cli_usage_err("bad cost '%s'", optarg);
				goto out;
			}
			if (opt == OPT_TIME)
				prm.costs.time = v;
			else if (opt == OPT_MEMORY)
				prm.costs.memory_kib = v;
			else
				prm.costs.parallelism = v;
			break;
		case OPT_TUNE_MS:
			if (!cli_parse_u32(optarg, &u) || u == 0) {
				cli_usage_err("bad --tune-ms '%s'", optarg);
				goto out;
			}
			prm.tune_ms = u;
			break;
		case OPT_POLICY_KEY_FILE:
			policy_key_file = optarg;
			break;
		case OPT_POLICY_VERSION:
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0) {
				cli_usage_err("--policy-version is 1 or 2");
				goto out;
			}
			po.version = (uint8_t)(optarg[0] - '0');
			break;
		case 'h':
			fputs(create_usage, stdout);
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
	if (dir == NULL || !have_cred) {
		cli_usage_err("need --metadata-dir DIR and --passphrase-file FILE or --raw-key-file FILE");
		goto out;
	}
	if ((prm.source == FSCRYPT_EXT_GF_SOURCE_RAW_KEY) != cred.raw) {
		cli_usage_err("a raw_key protector takes --raw-key-file, a passphrase protector --passphrase-file");
		goto out;
	}
	if (prm.source != FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE && (prm.name == NULL || prm.name[0] == '\0')) {
		cli_usage_err("--name is required (fscrypt shows protectors by name)");
		goto out;
	}
	if (prm.costs.time != 0 || prm.costs.memory_kib != 0) {
		if (prm.costs.time == 0 || prm.costs.memory_kib == 0) {
			cli_usage_err("give --time and --memory together (or --tune-ms)");
			goto out;
		}
		if (prm.costs.parallelism == 0)
			prm.costs.parallelism = 1;
	}
	if (policy_key_file && (mkey = read_policy_key(policy_key_file)) == NULL)
		goto out;
	root = metadata_root(dir);
	if (root == NULL)
		goto out;
	ret = CLI_EXIT_FAIL;
	err = fscrypt_ext_gf_protector_create(&prm, cred.bytes, cred.len, buf, sizeof(buf), &len, &k);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_gf_protector_key_descriptor(k, desc);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot create the protector");
		goto out;
	}
	if (asprintf(&path, "%s/protectors/%s", root, desc) < 0 || (ret = gf_write_new_file(path, buf, len)) != CLI_EXIT_OK)
		goto out;
	printf("protector %s written to %s\n", desc, path);
	if (mkey) {
		const fscrypt_ext_gf_protector_key *one[1] = { k };

		ret = CLI_EXIT_FAIL;
		err = fscrypt_ext_gf_policy_create(mkey, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, &po, one, 1, buf, sizeof(buf), &len);
		if (err == FSCRYPT_EXT_OK)
			err = fscrypt_ext_gf_policy_parse(buf, len, &pol);
		if (err != FSCRYPT_EXT_OK) {
			cli_lib_err(err, "cannot create the policy");
			goto out;
		}
		free(path);
		path = NULL;
		if (asprintf(&path, "%s/policies/%s", root, fscrypt_ext_gf_policy_descriptor(pol)) < 0 ||
		    (ret = gf_write_new_file(path, buf, len)) != CLI_EXIT_OK)
			goto out;
		printf("policy %s written to %s\n", fscrypt_ext_gf_policy_descriptor(pol), path);
	}
	ret = CLI_EXIT_OK;
out:
	fscrypt_ext_gf_policy_free(pol);
	fscrypt_ext_gf_protector_key_free(k);
	sodium_free(mkey);
	gf_cred_free(&cred);
	free(root);
	free(path);
	return ret;
}

static const char add_usage[] =
	"Usage: fscrypt-ext policy-add-protector --policy FILE\n"
	"           --protector FILE (--passphrase-file F | --raw-key-file F)\n"
	"           --add-protector FILE (--add-passphrase-file F | --add-raw-key-file F) [--out FILE]\n"
	"\n"
	"Lets one more protector open a google/fscrypt policy (as `fscrypt metadata\n"
	"add-protector-to-policy`): the master key is unwrapped with --protector and its\n"
	"credential, then wrapped under --add-protector (whose credential proves it is yours).\n"
	"The policy file is replaced (written aside and renamed), or the result goes to a new\n"
	"--out FILE.\n"
	"\n"
	"Options:\n"
	"      --policy FILE                a .fscrypt/policies/<descriptor> file\n"
	"      --protector FILE             a protector that already opens the policy\n"
	"      --passphrase-file F, --raw-key-file F          its credential (- for stdin)\n"
	"      --add-protector FILE         the protector to add\n"
	"      --add-passphrase-file F, --add-raw-key-file F  its credential\n"
	"      --out FILE                   write the new policy here instead (created 0600)\n" GF_LIMITS_HELP
	"  -h, --help                       show this help\n";

static int load_protector(const char *path, fscrypt_ext_gf_protector **p)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (gf_read_metadata(path, &buf, &len) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	err = fscrypt_ext_gf_protector_parse(buf, len, p);
	free(buf);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s", path);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int cmd_policy_add_protector(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "protector", required_argument, NULL, OPT_PROTECTOR },
		{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
		{ "raw-key-file", required_argument, NULL, OPT_RAW_KEY_FILE },
		{ "add-protector", required_argument, NULL, OPT_ADD_PROTECTOR },
		{ "add-passphrase-file", required_argument, NULL, OPT_ADD_PASSPHRASE_FILE },
		{ "add-raw-key-file", required_argument, NULL, OPT_ADD_RAW_KEY_FILE },
		{ "out", required_argument, NULL, OPT_OUT },
		GF_LIMITS_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fscrypt_ext_gf_limits lim;
	struct tc_cred cred[2] = { { 0 }, { 0 } };
	bool have[2] = { false, false };
	const char *policy_file = NULL, *prot_file[2] = { NULL, NULL }, *out = NULL;
	fscrypt_ext_gf_protector *prot[2] = { NULL, NULL };
	fscrypt_ext_gf_protector_key *key[2] = { NULL, NULL };
	fscrypt_ext_gf_policy *pol = NULL;
	uint8_t *buf = NULL, obuf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE];
	size_t len, olen;
	int opt, ret = CLI_EXIT_USAGE, err, r;

	tc_prog = "fscrypt-ext policy-add-protector";
	fscrypt_ext_gf_limits_default(&lim);
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int which = opt == OPT_ADD_PASSPHRASE_FILE || opt == OPT_ADD_RAW_KEY_FILE;

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
			prot_file[0] = optarg;
			break;
		case OPT_ADD_PROTECTOR:
			prot_file[1] = optarg;
			break;
		case OPT_PASSPHRASE_FILE:
		case OPT_RAW_KEY_FILE:
		case OPT_ADD_PASSPHRASE_FILE:
		case OPT_ADD_RAW_KEY_FILE:
			if (have[which]) {
				cli_usage_err("one credential per protector");
				goto out;
			}
			r = opt == OPT_RAW_KEY_FILE || opt == OPT_ADD_RAW_KEY_FILE ? gf_read_raw_key(optarg, &cred[which])
										    : gf_read_passphrase(optarg, &cred[which]);
			if (r != CLI_EXIT_OK)
				goto out;
			have[which] = true;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case 'h':
			fputs(add_usage, stdout);
			ret = CLI_EXIT_OK;
			goto out;
		default:
			ret = cli_bad_option(argv, opt);
			goto out;
		}
	}
	if (optind != argc || policy_file == NULL || prot_file[0] == NULL || prot_file[1] == NULL || !have[0] || !have[1]) {
		cli_usage_err("need --policy, --protector and --add-protector, each protector with its credential file");
		goto out;
	}
	if (gf_read_metadata(policy_file, &buf, &len) != CLI_EXIT_OK)
		goto out;
	err = fscrypt_ext_gf_policy_parse(buf, len, &pol);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "%s", policy_file);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		if (load_protector(prot_file[i], &prot[i]) != CLI_EXIT_OK)
			goto out;
		err = fscrypt_ext_gf_protector_unwrap(prot[i], cred[i].bytes, cred[i].len, &lim, &key[i]);
		if (err != FSCRYPT_EXT_OK) {
			cli_lib_err(err, "protector %s with %s", prot_file[i], cred[i].path);
			ret = CLI_EXIT_FAIL;
			goto out;
		}
	}
	err = fscrypt_ext_gf_policy_add_protector(pol, key[0], key[1], obuf, sizeof(obuf), &olen);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot add the protector to policy %s", fscrypt_ext_gf_policy_descriptor(pol));
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	ret = out ? gf_write_new_file(out, obuf, olen) : gf_replace_file(policy_file, obuf, olen);
	if (ret == CLI_EXIT_OK)
		printf("policy %s: protector %s added\n", fscrypt_ext_gf_policy_descriptor(pol),
		       fscrypt_ext_gf_protector_descriptor(prot[1]));
out:
	for (int i = 0; i < 2; i++) {
		fscrypt_ext_gf_protector_key_free(key[i]);
		fscrypt_ext_gf_protector_free(prot[i]);
		gf_cred_free(&cred[i]);
	}
	fscrypt_ext_gf_policy_free(pol);
	free(buf);
	return ret;
}
