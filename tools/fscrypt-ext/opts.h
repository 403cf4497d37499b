/* fscrypt-ext tool: command-line options shared by subcommands (filesystem properties, key, context, inode). */
#ifndef FSCRYPT_EXT_CLI_OPTS_H
#define FSCRYPT_EXT_CLI_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* getopt codes of long-only options (above any short option character). */
enum {
	CLI_OPT_BLOCK_SIZE = 1000,
	CLI_OPT_INO_BITS,
	CLI_OPT_LBLK_BITS,
	CLI_OPT_STABLE_INODES,
	CLI_OPT_NO_STABLE_INODES,
	CLI_OPT_SUBBLOCK,
	CLI_OPT_NO_SUBBLOCK,
	CLI_OPT_CASEFOLDED,
	CLI_OPT_FS_UUID,
	CLI_OPT_KEY_FILE,
	CLI_OPT_KEY_HEX,
	CLI_OPT_CONTEXT,
	CLI_OPT_CONTEXT_FILE,
	CLI_OPT_INO,
	CLI_OPT_V1_UNCHECKED,
	CLI_OPT_JSON,
	CLI_OPT_FILE,
	CLI_OPT_FIRST_FREE, /* subcommands number their own long-only options from here */
};

/* Filesystem properties (policy validation, key setup): ext4 with 4096-byte blocks unless told. */
#define CLI_FS_LONGOPTS                                                            \
	{ "block-size", required_argument, NULL, CLI_OPT_BLOCK_SIZE },             \
	{ "ino-bits", required_argument, NULL, CLI_OPT_INO_BITS },                 \
	{ "lblk-bits", required_argument, NULL, CLI_OPT_LBLK_BITS },               \
	{ "stable-inodes", no_argument, NULL, CLI_OPT_STABLE_INODES },             \
	{ "no-stable-inodes", no_argument, NULL, CLI_OPT_NO_STABLE_INODES },       \
	{ "subblock-data-units", no_argument, NULL, CLI_OPT_SUBBLOCK },            \
	{ "no-subblock-data-units", no_argument, NULL, CLI_OPT_NO_SUBBLOCK },      \
	{ "casefolded", no_argument, NULL, CLI_OPT_CASEFOLDED },                   \
	{ "fs-uuid", required_argument, NULL, CLI_OPT_FS_UUID }

#define CLI_FS_HELP                                                                                  \
	"\nFilesystem (default: ext4, 4096-byte blocks, stable 32-bit inodes, sub-block data units):\n" \
	"      --block-size N           filesystem block size in bytes\n"                             \
	"      --ino-bits N             width of inode numbers (ext4: 32)\n"                          \
	"      --lblk-bits N            width of logical block numbers (ext4: 32)\n"                  \
	"      --[no-]stable-inodes     inode numbers never change\n"                                 \
	"      --[no-]subblock-data-units  log2_data_unit_size is allowed\n"                          \
	"      --casefolded             the directory is casefolded\n"                                \
	"      --fs-uuid HEX            filesystem UUID, 32 hex digits (IV_INO_LBLK_* policies)\n"

/* Key, context and inode (plus the filesystem options). */
#define CLI_INODE_LONGOPTS                                                         \
	CLI_FS_LONGOPTS,                                                           \
	{ "key-file", required_argument, NULL, CLI_OPT_KEY_FILE },                 \
	{ "key-hex", no_argument, NULL, CLI_OPT_KEY_HEX },                         \
	{ "context", required_argument, NULL, CLI_OPT_CONTEXT },                   \
	{ "context-file", required_argument, NULL, CLI_OPT_CONTEXT_FILE },         \
	{ "ino", required_argument, NULL, CLI_OPT_INO },                           \
	{ "v1-unchecked", no_argument, NULL, CLI_OPT_V1_UNCHECKED }

#define CLI_INODE_HELP                                                                                 \
	"\nKey and inode:\n"                                                                              \
	"      --key-file FILE          master key, raw bytes (16 to 64), from FILE or - for stdin\n"   \
	"      --key-hex                the key file holds hex text instead of raw bytes\n"             \
	"      --context HEX            the inode's encryption context (28 or 40 bytes, hex)\n"          \
	"      --context-file FILE      the context as a binary file (e.g. the raw xattr)\n"             \
	"      --ino N                  inode number (needed by IV_INO_LBLK_64/32 policies)\n"          \
	"      --v1-unchecked           v1: accept a key whose descriptor is not SHA-512(SHA-512(key))\n" \
	CLI_FS_HELP

struct cli_fs_opts {
	struct fscrypt_ext_fs_info fs;
	unsigned int dir_flags; /* FSCRYPT_EXT_DIR_CASEFOLDED (--casefolded): a per-directory fact */
	bool have_uuid;
};

struct cli_inode_opts {
	struct cli_fs_opts fs;
	const char *key_file;
	bool key_hex;
	const char *context_hex;
	const char *context_file;
	uint64_t ino;
	bool have_ino;
	bool v1_unchecked;
};

void cli_fs_opts_init(struct cli_fs_opts *o);
/* 1: the option was a filesystem option and is applied; 0: not one; -1: bad value (message printed). */
int cli_fs_option(struct cli_fs_opts *o, int opt, const char *arg);

void cli_inode_opts_init(struct cli_inode_opts *o);
/* As cli_fs_option, for the key/context/inode options and the filesystem ones. */
int cli_inode_option(struct cli_inode_opts *o, int opt, const char *arg);

/* The parsed context from --context or --context-file; returns a CLI_EXIT_* code (message printed). */
int cli_inode_context(const struct cli_inode_opts *o, struct fscrypt_ext_context *ctx);

/*
 * Reads the key and the context and prepares the inode. Refuses to guess:
 * policies whose keys depend on the inode number or the filesystem UUID need
 * --ino / --fs-uuid. Returns a CLI_EXIT_* code (message printed).
 */
int cli_inode_open(const struct cli_inode_opts *o, enum fscrypt_ext_inode_type type, fscrypt_ext_master_key **mk,
		   fscrypt_ext_inode **inode);

#endif
