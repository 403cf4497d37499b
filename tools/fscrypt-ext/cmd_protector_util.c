/* fscrypt-ext tool: google/fscrypt credentials (passphrase and raw-key files), metadata files and new key files. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd_protector.h"
#include "common.h"
#include "util.h"

int gf_read_passphrase(const char *path, struct tc_cred *c)
{
	return tc_cred_read_passphrase(path, c) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int gf_read_raw_key(const char *path, struct tc_cred *c)
{
	return tc_cred_read_raw_key(path, c) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

void gf_cred_free(struct tc_cred *c)
{
	tc_cred_free(c);
}

int gf_read_metadata(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *b;
	size_t n = 0;

	if (fd < 0) {
		cli_err("cannot open %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	b = malloc(FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1);
	while (b && n <= FSCRYPT_EXT_GF_MAX_METADATA_SIZE) {
		ssize_t r = read(fd, b + n, FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				cli_err("cannot read %s: %s", path, strerror(errno));
				free(b);
				b = NULL;
			}
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (b == NULL)
		return CLI_EXIT_USAGE;
	if (n > FSCRYPT_EXT_GF_MAX_METADATA_SIZE) {
		cli_err("%s: larger than %d bytes, not google/fscrypt metadata", path, FSCRYPT_EXT_GF_MAX_METADATA_SIZE);
		free(b);
		return CLI_EXIT_USAGE;
	}
	*buf = b;
	*len = n;
	return CLI_EXIT_OK;
}

static int write_fd(int fd, const char *path, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			cli_err("cannot write %s: %s", path, strerror(errno));
			return CLI_EXIT_USAGE;
		}
		buf += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0) {
		cli_err("cannot sync %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int gf_write_new_file(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600), ret;

	if (fd < 0) {
		cli_err("cannot create %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	ret = write_fd(fd, path, buf, len);
	if (close(fd) != 0 && ret == CLI_EXIT_OK) {
		cli_err("cannot write %s: %s", path, strerror(errno));
		ret = CLI_EXIT_USAGE;
	}
	if (ret != CLI_EXIT_OK)
		unlink(path);
	return ret;
}

int gf_replace_file(const char *path, const uint8_t *buf, size_t len)
{
	char *copy = strdup(path), *tmp = NULL;
	int ret = CLI_EXIT_USAGE;

	/* google/fscrypt also writes ".tmp*" files and renames them (readers skip them). */
	if (copy == NULL || asprintf(&tmp, "%s/.tmp-fscrypt-ext-%ld", dirname(copy), (long)getpid()) < 0)
		tmp = NULL;
	if (tmp != NULL && gf_write_new_file(tmp, buf, len) == CLI_EXIT_OK) {
		if (rename(tmp, path) == 0)
			ret = CLI_EXIT_OK;
		else {
			cli_err("cannot replace %s: %s", path, strerror(errno));
			unlink(tmp);
		}
	}
	free(copy);
	free(tmp);
	return ret;
}

int gf_limits_option(struct fscrypt_ext_gf_limits *l, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case GF_OPT_MAX_MEMORY:
	case GF_OPT_MAX_TIME:
		if (!cli_parse_u64(arg, &v)) {
			cli_usage_err("bad number '%s'", arg);
			return -1;
		}
		if (opt == GF_OPT_MAX_MEMORY)
			l->max_memory_kib = v;
		else
			l->max_time = v;
		/* An explicit cap on memory or passes replaces the combined default. */
		l->max_work_kib = UINT64_MAX;
		return 1;
	case GF_OPT_NO_COST_LIMITS:
		l->max_memory_kib = l->max_time = l->max_work_kib = UINT64_MAX;
		return 1;
	default:
		return 0;
	}
}

/* Names are user text: control bytes, backslash, quote and non-ASCII printed as \xNN. */
static void print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '\\' || ch == '"')
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
}

void gf_print_protector(const fscrypt_ext_gf_protector *p)
{
	struct fscrypt_ext_gf_costs c;
	size_t nl;
	const char *name = fscrypt_ext_gf_protector_name(p, &nl);

	printf("protector %s  source %s  name \"", fscrypt_ext_gf_protector_descriptor(p),
	       fscrypt_ext_gf_source_name(fscrypt_ext_gf_protector_source(p)));
	print_escaped(name, nl);
	printf("\"");
	if (fscrypt_ext_gf_protector_source(p) == FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE)
		printf("  uid %lld", (long long)fscrypt_ext_gf_protector_uid(p));
	if (fscrypt_ext_gf_protector_costs(p, &c))
		printf("  argon2id time %lld memory %lld KiB parallelism %lld (lanes %u)", (long long)c.time,
		       (long long)c.memory_kib, (long long)c.parallelism, fscrypt_ext_gf_costs_lanes(&c));
	printf("\n");
}

void gf_print_policy(const fscrypt_ext_gf_policy *p)
{
	struct fscrypt_ext_gf_policy_options o;
	const char *cn, *fn;

	fscrypt_ext_gf_policy_options(p, &o);
	cn = cli_mode_name(o.contents_mode);
	fn = cli_mode_name(o.filenames_mode);
	printf("policy %s  v%u  contents %s  filenames %s  padding %u  protectors", fscrypt_ext_gf_policy_descriptor(p),
	       o.version, cn ? cn : "?", fn ? fn : "?", o.padding);
	for (size_t i = 0; i < fscrypt_ext_gf_policy_protector_count(p); i++)
		printf(" %s", fscrypt_ext_gf_policy_protector_descriptor(p, i));
	printf("\n");
}
