/* fscrypt-ext tool: `encrypt-data` / `decrypt-data`, a regular file's contents from stdin to stdout. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "commands.h"
#include "opts.h"
#include "util.h"

static const char data_usage[] =
	"Usage: fscrypt-ext encrypt-data [OPTIONS] --key-file FILE (--context HEX | --context-file FILE) < IN > OUT\n"
	"       fscrypt-ext decrypt-data [OPTIONS] --key-file FILE (--context HEX | --context-file FILE) < IN > OUT\n"
	"\n"
	"Encrypts or decrypts a regular file's contents as the kernel does, reading\n"
	"stdin and writing stdout, starting at byte --offset of the file. The data unit\n"
	"is 2^log2_data_unit_size (v2) or the block size. encrypt-data zero-pads a final\n"
	"partial unit, as the page cache does; decrypt-data needs whole units and can\n"
	"cut the output to the file's size with --length.\n"
	"With --extent-context, the data is a btrfs extent's (per-extent key from the\n"
	"extent's nonce; not in any merged kernel) and --offset counts from the extent's\n"
	"start; --context is then the owning inode's context.\n"
	"\n"
	"Options:\n"
	"      --offset N               byte offset in the file (or extent) of the first unit (default 0)\n"
	"      --extent-context HEX     a 34-byte extent context: encrypt/decrypt that extent\n"
	"      --allow-rekeyed          extent: its master key may differ from the inode's\n"
	"      --length N               decrypt-data: write only the first N bytes\n"
	"      --progress               report progress on stderr\n"
	"  -h, --help                   show this help\n"
	CLI_INODE_HELP
	"\n"
	"Exit status: 0 ok, 1 key setup or the cipher failed, 2 bad usage or input.\n";

enum { OPT_OFFSET = CLI_OPT_FIRST_FREE, OPT_LENGTH, OPT_PROGRESS, OPT_EXTENT_CONTEXT, OPT_ALLOW_REKEYED };

/* What the data belongs to: a regular file's inode, or one extent of it. */
struct data_target {
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *inode;
	fscrypt_ext_extent_info *extent;
};

static void target_free(struct data_target *t)
{
	fscrypt_ext_extent_info_put(t->extent);
	fscrypt_ext_inode_free(t->inode);
	fscrypt_ext_master_key_free(t->mk);
}

static size_t target_unit(const struct data_target *t)
{
	return t->extent ? fscrypt_ext_extent_info_data_unit_size(t->extent) : fscrypt_ext_inode_data_unit_size(t->inode);
}

static int target_crypt(const struct data_target *t, bool encrypt, uint64_t off, uint8_t *buf, size_t len)
{
	if (t->extent)
		return encrypt ? fscrypt_ext_extent_encrypt(t->extent, off, buf, buf, len)
			       : fscrypt_ext_extent_decrypt(t->extent, off, buf, buf, len);
	return encrypt ? fscrypt_ext_encrypt_data_units(t->inode, off, buf, buf, len)
		       : fscrypt_ext_decrypt_data_units(t->inode, off, buf, buf, len);
}

/* The extent's key: the inode context checked on the filesystem, the extent against the inode. */
static int open_extent(const struct cli_inode_opts *io, const char *ext_hex, bool rekeyed, struct data_target *t)
{
	struct fscrypt_ext_context ictx;
	struct fscrypt_ext_extent_context ectx;
	uint8_t raw[FSCRYPT_EXT_EXTENT_CONTEXT_SIZE];
	int ret, err;

	if (!cli_hex_decode_fixed(ext_hex, raw, sizeof(raw))) {
		cli_err("--extent-context must be %d bytes of hex", FSCRYPT_EXT_EXTENT_CONTEXT_SIZE);
		return CLI_EXIT_USAGE;
	}
	err = fscrypt_ext_extent_context_parse(raw, sizeof(raw), &ectx);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot parse the extent context");
		return CLI_EXIT_FAIL;
	}
	if (io->key_file == NULL) {
		cli_err("no master key given (--key-file FILE)");
		return CLI_EXIT_USAGE;
	}
	ret = cli_inode_context(io, &ictx);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_read_master_key(io->key_file, io->key_hex, &t->mk);
	if (ret != CLI_EXIT_OK)
		return ret;
	err = fscrypt_ext_extent_info_load(&ictx, &io->fs.fs, &ectx, t->mk, rekeyed ? FSCRYPT_EXT_EXTENT_ALLOW_REKEYED : 0,
					   &t->extent);
	if (err != FSCRYPT_EXT_OK) {
		cli_lib_err(err, "cannot set up the extent's key");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* Units per read: big enough to keep the cipher busy, small enough for a pipe. */
#define CHUNK_BYTES (1u << 20)

/* Reads until buf is full or EOF; returns the byte count (short only at EOF or error). */
static size_t read_full(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t r = fread(buf + got, 1, n - got, stdin);

		if (r == 0)
			break;
		got += r;
	}
	return got;
}

static int run_data(int argc, char **argv, bool encrypt)
{
	static const struct option longopts[] = {
		CLI_INODE_LONGOPTS,
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "length", required_argument, NULL, OPT_LENGTH },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "extent-context", required_argument, NULL, OPT_EXTENT_CONTEXT },
		{ "allow-rekeyed", no_argument, NULL, OPT_ALLOW_REKEYED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_inode_opts io;
	struct data_target t = { NULL, NULL, NULL };
	const char *extent_hex = NULL;
	bool rekeyed = false;
	uint64_t offset = 0, length = 0, done = 0, written = 0, next_report = 256u << 20;
	bool have_length = false, progress = false;
	uint8_t *buf = NULL;
	size_t du, chunk;
	int opt, r, ret, err;

	tc_prog = encrypt ? "fscrypt-ext encrypt-data" : "fscrypt-ext decrypt-data";
	cli_inode_opts_init(&io);
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if ((r = cli_inode_option(&io, opt, optarg)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		switch (opt) {
		case OPT_OFFSET:
			if (!cli_parse_u64(optarg, &offset))
				return cli_usage_err("--offset: '%s' is not a byte offset", optarg);
			break;
		case OPT_LENGTH:
			if (encrypt)
				return cli_usage_err("--length is for decrypt-data");
			if (!cli_parse_u64(optarg, &length))
				return cli_usage_err("--length: '%s' is not a byte count", optarg);
			have_length = true;
			break;
		case OPT_PROGRESS:
			progress = true;
			break;
		case OPT_EXTENT_CONTEXT:
			extent_hex = optarg;
			break;
		case OPT_ALLOW_REKEYED:
			rekeyed = true;
			break;
		case 'h':
			fputs(data_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(argv, opt);
		}
	}
	if (optind != argc)
		return cli_usage_err("unexpected argument '%s' (data comes from stdin)", argv[optind]);
	if (io.key_file != NULL && strcmp(io.key_file, "-") == 0)
		return cli_usage_err("--key-file -: stdin carries the data here; give the key in a file");
	if (rekeyed && extent_hex == NULL)
		return cli_usage_err("--allow-rekeyed is for --extent-context");
	if (extent_hex != NULL)
		ret = open_extent(&io, extent_hex, rekeyed, &t);
	else
		ret = cli_inode_open(&io, FSCRYPT_EXT_INODE_REG, &t.mk, &t.inode);
	if (ret != CLI_EXIT_OK)
		goto out;
	du = target_unit(&t);
	if (du == 0 || offset % du != 0) {
		cli_err("--offset %llu is not a multiple of the data unit size (%zu bytes)", (unsigned long long)offset,
			du);
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	chunk = CHUNK_BYTES / du * du;
	if (chunk == 0)
		chunk = du;
	buf = sodium_malloc(chunk); /* plaintext passes through here: guarded and wiped on free */
	if (buf == NULL) {
		cli_err("out of memory");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	for (;;) {
		size_t n = read_full(buf, chunk), whole;

		if (ferror(stdin)) {
			cli_err("cannot read stdin: %s", strerror(errno));
			ret = CLI_EXIT_USAGE;
			goto out;
		}
		if (n == 0)
			break;
		whole = (n + du - 1) / du * du;
		if (whole != n) {
			if (!encrypt) {
				cli_err("the input ends %zu bytes into a data unit; ciphertext comes in whole %zu-byte units",
					n % du, du);
				ret = CLI_EXIT_USAGE;
				goto out;
			}
			memset(buf + n, 0, whole - n);
		}
		err = target_crypt(&t, encrypt, offset + done, buf, whole);
		if (err != FSCRYPT_EXT_OK) {
			cli_lib_err(err, "%s at file offset %llu failed", encrypt ? "encryption" : "decryption",
				    (unsigned long long)(offset + done));
			ret = CLI_EXIT_FAIL;
			goto out;
		}
		if (have_length) {
			size_t keep = length - written < whole ? (size_t)(length - written) : whole;

			if (!cli_write_all(stdout, buf, keep)) {
				ret = CLI_EXIT_FAIL;
				goto out;
			}
			written += keep;
		} else if (!cli_write_all(stdout, buf, whole)) {
			ret = CLI_EXIT_FAIL;
			goto out;
		}
		done += whole;
		if (progress && done >= next_report) {
			fprintf(stderr, "%s: %llu MiB\n", tc_prog, (unsigned long long)(done >> 20));
			next_report += 256u << 20;
		}
		if (n < chunk)
			break;
	}
	if (fflush(stdout) != 0) {
		cli_err("write error: %s", strerror(errno));
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (have_length && written < length)
		cli_err("warning: input held %llu bytes, less than --length %llu", (unsigned long long)done,
			(unsigned long long)length);
	if (progress)
		fprintf(stderr, "%s: done, %llu bytes (%llu data units of %zu bytes)\n", tc_prog,
			(unsigned long long)done, (unsigned long long)(done / du), du);
	ret = CLI_EXIT_OK;
out:
	if (buf != NULL)
		sodium_free(buf);
	target_free(&t);
	return ret;
}

int cmd_encrypt_data(int argc, char **argv)
{
	return run_data(argc, argv, true);
}

int cmd_decrypt_data(int argc, char **argv)
{
	return run_data(argc, argv, false);
}
