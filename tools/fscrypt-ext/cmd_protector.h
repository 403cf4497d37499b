/* fscrypt-ext tool: helpers shared by the google/fscrypt subcommands (credentials, metadata files, key files). */
#ifndef FSCRYPT_EXT_CLI_CMD_PROTECTOR_H
#define FSCRYPT_EXT_CLI_CMD_PROTECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fscrypt_ext/protector.h>

#include "credential.h"

/* Credentials through tools/common (credential.h: read as google/fscrypt reads them), with CLI exit codes. */
int gf_read_passphrase(const char *path, struct tc_cred *c);
int gf_read_raw_key(const char *path, struct tc_cred *c);
void gf_cred_free(struct tc_cred *c);

/* The whole file (at most FSCRYPT_EXT_GF_MAX_METADATA_SIZE bytes) into a malloc'd buffer. */
int gf_read_metadata(const char *path, uint8_t **buf, size_t *len);
/* Writes len bytes to a new file (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600). */
int gf_write_new_file(const char *path, const uint8_t *buf, size_t len);
/* Replaces path with new contents: a temporary file in the same folder, fsync, rename. */
int gf_replace_file(const char *path, const uint8_t *buf, size_t len);

/* Argon2id limits from --max-memory KIB, --max-time N, --no-cost-limits (1 applied, 0 not one, -1 bad). */
enum { GF_OPT_MAX_MEMORY = 1200, GF_OPT_MAX_TIME, GF_OPT_NO_COST_LIMITS, GF_OPT_FIRST_FREE };
int gf_limits_option(struct fscrypt_ext_gf_limits *l, int opt, const char *arg);
#define GF_LIMITS_LONGOPTS                                                       \
	{ "max-memory", required_argument, NULL, GF_OPT_MAX_MEMORY },            \
	{ "max-time", required_argument, NULL, GF_OPT_MAX_TIME },                \
	{ "no-cost-limits", no_argument, NULL, GF_OPT_NO_COST_LIMITS }
#define GF_LIMITS_HELP                                                                                     \
	"      --max-memory KIB         refuse Argon2id memory costs above KIB (default 1048576 = 1 GiB)\n"   \
	"      --max-time N             refuse Argon2id time costs above N passes (default 1000)\n"           \
	"      --no-cost-limits         run whatever costs the metadata asks for (trusted metadata only)\n"

/* Prints a protector's metadata (descriptor, source, name escaped, costs and lanes). */
void gf_print_protector(const fscrypt_ext_gf_protector *p);
void gf_print_policy(const fscrypt_ext_gf_policy *p);

int cmd_protector_unwrap(int argc, char **argv);      /* cmd_protector.c */
int cmd_protector_show(int argc, char **argv);        /* cmd_protector.c */
int cmd_protector_create(int argc, char **argv);      /* cmd_protector_create.c */
int cmd_policy_add_protector(int argc, char **argv);  /* cmd_protector_create.c */

#endif
