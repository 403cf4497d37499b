/* fscrypt-ext tool: entry point and subcommand dispatch. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "kat", cmd_kat, "run known-answer vector files" },
	{ "version", cmd_version, "library version and AES backends" },
	{ "key", cmd_key, "a master key's v2 identifier and v1 descriptor" },
	{ "policy", cmd_policy, "parse, validate or print a policy (struct hex or text)" },
	{ "context", cmd_context, "decode an on-disk encryption context" },
	{ "encrypt-data", cmd_encrypt_data, "encrypt file contents (stdin to stdout)" },
	{ "decrypt-data", cmd_decrypt_data, "decrypt file contents (stdin to stdout)" },
	{ "encrypt-name", cmd_encrypt_name, "encrypt a file name or symlink target" },
	{ "decrypt-name", cmd_decrypt_name, "decrypt a stored file name or symlink target" },
	{ "nokey", cmd_nokey, "encode or decode a no-key name" },
	{ "bench", cmd_bench, "benchmark against OpenSSL and libsodium (a program, not a test)" },
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
	{ "protector", cmd_protector, "google/fscrypt protectors: unwrap, create, show" },
	{ "policy-add-protector", cmd_policy_add_protector, "let another google/fscrypt protector open a policy" },
#endif
};

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: fscrypt-ext COMMAND [OPTIONS] [ARGS]\n"
		   "       fscrypt-ext --version | --help | help COMMAND\n"
		   "\n"
		   "Linux fscrypt in userspace (libfscrypt-ext %s).\n"
		   "\n"
		   "Commands:\n",
		fscrypt_ext_version_string());
	for (size_t i = 0; i < CLI_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n"
		   "Every command takes --help. Master keys are only read from a file or stdin\n"
		   "(--key-file FILE, --key-file -), never from the command line.\n"
		   "\n"
		   "Exit status: 0 success, 1 the operation failed (a vector failed, a policy is\n"
		   "invalid, a wrong key...), 2 bad usage or unreadable/malformed input,\n"
		   "77 a required backend is not available.\n");
}

static void print_version(void)
{
	printf("fscrypt-ext %s (library %s)\n", FSCRYPT_EXT_VERSION_STRING, fscrypt_ext_version_string());
}

int main(int argc, char **argv)
{
	const char *name;

	/* Subcommands word their own option errors (cli_bad_option). */
	opterr = 0;
	if (argc < 2) {
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		print_version();
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		/* "help CMD" is "CMD --help". */
		name = argv[2];
		for (size_t i = 0; i < CLI_ARRAY_SIZE(commands); i++) {
			if (strcmp(commands[i].name, name) == 0) {
				char *sub_argv[] = { argv[2], (char *)"--help", NULL };

				optind = 0;
				return commands[i].run(2, sub_argv);
			}
		}
		return cli_usage_err("unknown command '%s'", name);
	}
	for (size_t i = 0; i < CLI_ARRAY_SIZE(commands); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			/* optind = 0 makes glibc's getopt start afresh on the subcommand's argv. */
			optind = 0;
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	if (name[0] == '-')
		return cli_usage_err("unknown option '%s'", name);
	return cli_usage_err("unknown command '%s'", name);
}
