/* tools/common: google/fscrypt credentials read as fscrypt reads them (passphrase and raw-key files), in guarded memory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "credential.h"


static int open_input(const char *path)
{
	int fd;

	/* sodium_malloc needs libsodium started. */
	if (sodium_init() < 0) {
		tc_err("libsodium cannot start");
		return -1;
	}
	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		tc_err("cannot open %s: %s", path, strerror(errno));
	return fd;
}

bool tc_cred_read_passphrase(const char *path, struct tc_cred *c)
{
	int fd = open_input(path);
	bool ret = false;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (fd < 0)
		return false;
	c->bytes = sodium_malloc(TC_PASSPHRASE_MAX);
	if (c->bytes == NULL) {
		tc_err("cannot allocate guarded memory for the passphrase");
		goto out;
	}
	/* One byte at a time, so that a second passphrase on the same stdin stays unread. */
	for (;;) {
		uint8_t b;
		ssize_t r = read(fd, &b, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tc_err("cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0 || b == '\n' || b == '\r')
			break;
		if (b == 8 || b == 127) {
			if (n)
				c->bytes[--n] = 0;
			continue;
		}
		if (b == 3 || b == 4) {
			tc_err("%s: the passphrase was cancelled (byte %u)", path, b);
			goto out;
		}
		if (n == TC_PASSPHRASE_MAX) {
			tc_err("%s: passphrase longer than %d bytes", path, TC_PASSPHRASE_MAX);
			goto out;
		}
		c->bytes[n++] = b;
	}
	c->len = n;
	ret = true;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	if (!ret)
		tc_cred_free(c);
	return ret;
}

bool tc_cred_read_raw_key(const char *path, struct tc_cred *c)
{
	int fd = open_input(path);
	bool ret = false;
	size_t n = 0, want;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->raw = true;
	if (fd < 0)
		return false;
	c->bytes = sodium_malloc(TC_RAW_KEY_SIZE + 1);
	if (c->bytes == NULL) {
		tc_err("cannot allocate guarded memory for the key");
		goto out;
	}
	/* A file must be exactly 32 bytes; stdin gives its first 32 (cmd/fscrypt/keys.go). */
	want = fd == STDIN_FILENO ? TC_RAW_KEY_SIZE : TC_RAW_KEY_SIZE + 1;
	while (n < want) {
		ssize_t r = read(fd, c->bytes + n, want - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tc_err("cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n != TC_RAW_KEY_SIZE) {
		tc_err("%s: a raw_key protector key file must be exactly 32 bytes", path);
		goto out;
	}
	c->len = n;
	ret = true;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	if (!ret)
		tc_cred_free(c);
	return ret;
}

void tc_cred_free(struct tc_cred *c)
{
	sodium_free(c->bytes); /* wipes */
	c->bytes = NULL;
	c->len = 0;
}
