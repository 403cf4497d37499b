/* fscrypt-ext-ext4 cat: a regular file's plaintext on stdout (holes as zeros), never ciphertext, bounded by --max-size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

#define CAT_CHUNK (1u << 20)

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

int ext4_cmd_cat(struct ext4_cmd *c)
{
	ext4r_node *n = NULL;
	uint8_t *buf = NULL;
	uint64_t off = 0;
	int err, ret = EXT4_EXIT_PARTIAL;

	if (c->argc != 1) {
		fprintf(stderr, "fscrypt-ext-ext4: cat takes one PATH\n");
		return EXT4_EXIT_USAGE;
	}
	err = ext4r_resolve(c->r, c->argv[0], &n, NULL);
	if (err) {
		if (err == EXT4R_ERR_NOT_FOUND)
			ext4_not_found(c);
		return EXT4_EXIT_PARTIAL;
	}
	if (n->type != EXT4R_REG) {
		ext4r_report(c->r, n->ino, EXT4R_ERR_WRONG_TYPE, "not a regular file");
		goto out;
	}
	if (n->encrypted && !n->key) {
		ext4r_report(c->r, n->ino, n->ctx_status ? n->ctx_status : EXT4R_ERR_NO_KEY,
			     "contents not decrypted: %s", ext4r_strerror(n->ctx_status ? n->ctx_status : EXT4R_ERR_NO_KEY));
		goto out;
	}
	if (n->size > c->max_size) {
		ext4_max_size_hint(c, n->ino, n->size);
		goto out;
	}
	buf = malloc(CAT_CHUNK);
	if (!buf)
		goto out;
	while (off < n->size) {
		size_t got = 0;

		err = ext4r_read(c->r, n, off, buf, CAT_CHUNK, &got);
		if (err || got == 0)
			break;
		if (!write_all(STDOUT_FILENO, buf, got)) {
			fprintf(stderr, "fscrypt-ext-ext4: write to stdout: %s\n", strerror(errno));
			err = EXT4R_ERR_IO;
			break;
		}
		ext4r_wipe(buf, got);
		off += got;
	}
	if (!err && off == n->size)
		ret = EXT4_EXIT_OK;
out:
	if (buf) {
		ext4r_wipe(buf, CAT_CHUNK);
		free(buf);
	}
	ext4r_node_put(n);
	return ret;
}
