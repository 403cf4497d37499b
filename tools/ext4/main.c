/*
 * fscrypt-ext-ext4: reads an fscrypt-encrypted ext4 image offline (libext2fs through the reader layer,
 * libfscrypt-ext for the crypto): lists, prints and extracts files with their real names, given the
 * master keys; shows no-key names where a directory's key is missing. This file: options, keys, dispatch.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "common.h"
#include "keyfile.h"
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
#include "credentials.h"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fscrypt-ext-ext4 IMAGE [--keys KEYS.json] [--max-size BYTES] [CREDENTIALS] COMMAND ...\n"
		"  ls [-R] [--json] [PATH]  list a directory (recursively with -R), or one entry\n"
		"  cat PATH                 write a file's plaintext to stdout\n"
		"  protectors [--json]      google/fscrypt policies and protectors, their directories, and\n"
		"                           which the credentials opened\n"
		"  extract PATH OUTDIR      restore PATH (file, symlink or tree) into OUTDIR: PATH \"/\" restores\n"
		"                           the root's entries straight into OUTDIR, any other PATH becomes\n"
		"                           OUTDIR/NAME; nothing existing is replaced or followed\n"
		"  check [--json]           read-only fsck pass for encryption: contexts, policies, nonces,\n"
		"                           name lengths, symlink framing; with keys also strict name and\n"
		"                           target decryption and every file's contents. Exit 0 clean,\n"
		"                           1 problems found (one line each), 2 the check could not run\n"
		"  import SRC DEST [--policy TEXT]\n"
		"                           write the host tree SRC (files, directories, symlinks, hard links)\n"
		"                           encrypted into the image as the new path DEST: under an unencrypted\n"
		"                           parent with --policy (its key must be in KEYS.json), under an\n"
		"                           encrypted one with the parent's policy; the image must not be mounted\n"
#ifdef FSCRYPT_EXT_HAVE_FUSE
		"  mount MOUNTPOINT [--foreground] [-o OPTIONS]\n"
		"                           mount the image read-only through FUSE (returns once mounted;\n"
		"                           --foreground stays attached); unmount with fusermount3 -u MOUNTPOINT\n"
#endif
		"KEYS.json: {\"keys\": [{\"master_key\": \"<hex>\"}, ...]}; each key finds its directories\n"
		"by its v2 identifier or conventional v1 descriptor. Without a key, names are no-key names\n"
		"and contents are not given out.\n"
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
		"CREDENTIALS (google/fscrypt, each repeatable; never on the command line itself):\n"
		"  --passphrase-file FILE   a passphrase: the bytes up to the first newline (- = stdin)\n"
		"  --raw-key-file FILE      a raw_key protector's 32-byte key file (- = stdin)\n"
		"  --metadata-dir DIR       another filesystem's .fscrypt folder (linked protectors)\n"
		"  --no-cost-limits         run Argon2id costs above 1 GiB / 1000 passes\n"
		"  Each credential is tried on the protectors of the image's /.fscrypt and of DIR; every\n"
		"  policy it opens adds its master key to the keys.\n"
#endif
		"--max-size BYTES: most bytes cat may write, or extract may write as data (holes are free);\n"
		"  default twice the image size plus 64 MiB (suffixes K, M, G, T accepted).\n"
		"Names and targets are printed with control bytes escaped (as ls -b). Exit status: 0 when\n"
		"everything asked for was read and decrypted, 1 when something was not (each reported on\n"
		"stderr), 2 for usage errors or an unreadable image or keys file.\n");
}

static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 0: break;
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	default: return false;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* Global options: before the image, between the image and the command, or among a command's operands. */
static int take_option(struct ext4_cmd *c, const char **keys, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	{
		int t = ext4_gf_option(c->gf, argc, argv, i);

		if (t)
			return t;
	}
#endif
	if (!strcmp(a, "--keys") || !strcmp(a, "-k") || !strcmp(a, "--max-size")) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "fscrypt-ext-ext4: %s needs a value\n", a);
			return -1;
		}
		if (a[2] == 'm') {
			if (!parse_size(argv[*i + 1], &c->max_size)) {
				fprintf(stderr, "fscrypt-ext-ext4: --max-size: not a size\n");
				return -1;
			}
			c->max_size_given = true;
		} else {
			*keys = argv[*i + 1];
		}
		*i += 2;
		return 1;
	}
	if (!strncmp(a, "--keys=", 7)) {
		*keys = a + 7;
		(*i)++;
		return 1;
	}
	if (!strncmp(a, "--max-size=", 11)) {
		if (!parse_size(a + 11, &c->max_size)) {
			fprintf(stderr, "fscrypt-ext-ext4: --max-size: not a size\n");
			return -1;
		}
		c->max_size_given = true;
		(*i)++;
		return 1;
	}
	if (!strcmp(a, "--policy")) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "fscrypt-ext-ext4: --policy needs a value\n");
			return -1;
		}
		c->policy = argv[*i + 1];
		*i += 2;
		return 1;
	}
	if (!strncmp(a, "--policy=", 9)) {
		c->policy = a + 9;
		(*i)++;
		return 1;
	}
	if (!strcmp(a, "--json")) {
		c->json = true;
		(*i)++;
		return 1;
	}
	if (!strcmp(a, "--foreground") || !strcmp(a, "-f")) {
		c->foreground = true;
		(*i)++;
		return 1;
	}
	if (!strcmp(a, "-o")) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "fscrypt-ext-ext4: -o needs a value\n");
			return -1;
		}
		c->fuse_opts = argv[*i + 1];
		*i += 2;
		return 1;
	}
	if (!strcmp(a, "-R")) {
		c->recursive = true;
		(*i)++;
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ext4_cmd c = { 0 };
	struct tc_keyset keys = { 0 };
	const char *keys_path = NULL, *image = NULL, *cmd = NULL, *msg = NULL;
	char **ops;
	int nops = 0, ret = EXT4_EXIT_USAGE, err;
	struct stat st;
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	struct ext4_gf gf;

	ext4_gf_init(&gf);
	c.gf = &gf;
#endif

	tc_prog = "fscrypt-ext-ext4";
	ops = calloc((size_t)argc + 1, sizeof(*ops));
	if (!ops)
		return EXT4_EXIT_USAGE;
	for (int i = 1; i < argc;) {
		int t;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			free(ops);
			return 0;
		}
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				ops[nops++] = argv[i];
			break;
		}
		t = take_option(&c, &keys_path, argc, argv, &i);
		if (t < 0)
			goto out;
		if (t)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "fscrypt-ext-ext4: unknown option %s\n", argv[i]);
			usage(stderr);
			goto out;
		}
		if (!image)
			image = argv[i];
		else if (!cmd)
			cmd = argv[i];
		else
			ops[nops++] = argv[i];
		i++;
	}
	if (!image || !cmd) {
		usage(stderr);
		goto out;
	}
	c.argc = nops;
	c.argv = ops;
	if (fscrypt_ext_init()) {
		fprintf(stderr, "fscrypt-ext-ext4: library initialisation failed\n");
		goto out;
	}
#ifdef FSCRYPT_EXT_HAVE_FUSE
	/* Daemonise before the keys are read, so they are loaded (and locked) in the process that keeps them. */
	if (!strcmp(cmd, "mount") && !c.foreground && nops == 1 && ext4_mount_prefork() != 0)
		goto out;
#endif
	if (keys_path && !tc_keyset_load_json(&keys, keys_path))
		goto out;
	if (!c.max_size_given)
		c.max_size = (stat(image, &st) == 0 && st.st_size > 0 ? 2 * (uint64_t)st.st_size : 0) + (64u << 20);
	err = ext4r_open(image, 0, &keys, &c.r, &msg);
	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: cannot open the image: %s\n", msg ? msg : ext4r_strerror(err));
		goto out;
	}
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	/* Credentials become master keys before any command reads a directory (keys are looked up per inode). */
	if ((ext4_gf_wanted(&gf) || !strcmp(cmd, "protectors")) && !ext4_gf_unlock(&gf, c.r, &keys)) {
		ext4r_close(c.r);
		goto out;
	}
#endif
	if (!strcmp(cmd, "import")) {
		/*
		 * The one writing command: credentials are keys by now; the read-only handle is
		 * closed and import opens the image itself (read through the reader, then written).
		 */
		ext4r_close(c.r);
		ret = ext4_cmd_import(&c, image, &keys);
		goto out;
	}
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	if (!strcmp(cmd, "protectors"))
		ret = ext4_cmd_protectors(&c);
	else
#endif
	if (!strcmp(cmd, "ls"))
		ret = ext4_cmd_ls(&c);
	else if (!strcmp(cmd, "cat"))
		ret = ext4_cmd_cat(&c);
	else if (!strcmp(cmd, "extract"))
		ret = ext4_cmd_extract(&c);
	else if (!strcmp(cmd, "check"))
		ret = ext4_cmd_check(&c);
#ifdef FSCRYPT_EXT_HAVE_FUSE
	else if (!strcmp(cmd, "mount"))
		ret = ext4_cmd_mount(&c);
#endif
	else {
		fprintf(stderr, "fscrypt-ext-ext4: unknown command\n");
		usage(stderr);
		ret = EXT4_EXIT_USAGE;
	}
	if (ret == EXT4_EXIT_OK && strcmp(cmd, "check") && ext4r_problems(c.r)) /* check counts its own */
		ret = EXT4_EXIT_PARTIAL;
	ext4r_close(c.r);
out:
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	ext4_gf_free(&gf);
#endif
	tc_keyset_free(&keys);
	free(ops);
	return ret;
}
