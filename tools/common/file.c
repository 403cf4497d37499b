/* tools/common: bounded whole-file readers (plain malloc, or sodium_malloc for secrets), through read(2). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "file.h"

static int open_input(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		tc_err("cannot open %s: %s", path, strerror(errno));
	return fd;
}

static void close_input(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

/* Fills buf (cap bytes) from fd; *len gets the count. Returns 0, 1 when more than cap - 1 bytes came, -1 on error. */
static int read_all(int fd, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	size_t used = 0;

	while (used < cap) {
		ssize_t n = read(fd, buf + used, cap - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tc_err("cannot read %s: %s", path, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	*len = used;
	return used == cap ? 1 : 0;
}

bool tc_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	size_t cap = 4096, used = 0;
	uint8_t *data = NULL;
	int fd = open_input(path);

	if (fd < 0)
		return false;
	for (;;) {
		size_t want = cap < max + 1 ? cap : max + 1, got = 0;
		uint8_t *nd = realloc(data, want + 1);
		int r;

		if (!nd) {
			tc_err("%s: out of memory", path);
			goto fail;
		}
		data = nd;
		r = read_all(fd, path, data + used, want - used, &got);
		used += got;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		if (used > max) {
			tc_err("%s: larger than %zu bytes, refused", path, max);
			goto fail;
		}
		cap *= 2;
	}
	close_input(fd);
	data[used] = 0;
	*buf = data;
	*len = used;
	return true;
fail:
	close_input(fd);
	free(data);
	return false;
}

bool tc_read_secret_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	uint8_t *data;
	size_t used = 0;
	int fd, r;

	if (sodium_init() < 0) {
		tc_err("libsodium failed to initialise");
		return false;
	}
	fd = open_input(path);
	if (fd < 0)
		return false;
	data = sodium_malloc(max + 2);
	if (!data) {
		tc_err("%s: no guarded memory for %zu bytes", path, max);
		close_input(fd);
		return false;
	}
	r = read_all(fd, path, data, max + 1, &used);
	close_input(fd);
	if (r != 0) {
		if (r > 0)
			tc_err("%s: larger than %zu bytes, refused", path, max);
		sodium_free(data); /* wipes */
		return false;
	}
	data[used] = 0;
	*buf = data;
	*len = used;
	return true;
}
