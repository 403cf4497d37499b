/*
 * fscrypt-ext-ext4 extract: restores a file, symlink or tree the way careful archivers do: every entry
 * created relative to an open directory handle (mkdirat/openat/symlinkat with O_NOFOLLOW|O_EXCL), so
 * nothing outside OUTDIR is touched, no symlink is followed and nothing existing is replaced; holes
 * stay holes; --max-size bounds the data written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

#define EXTRACT_CHUNK_BYTES (1u << 20)

struct ex {
	struct ext4_cmd *c;
	ext4r *r;
	ext4r_walk *walk;
	uint64_t written; /* data bytes written so far (holes are free) */
	bool stopped;     /* --max-size reached: nothing more is written */
	uint8_t *buf;
	size_t buf_blocks;
	char *target;
	size_t target_cap;
};

void ext4_max_size_hint(const struct ext4_cmd *c, uint32_t ino, uint64_t would)
{
	ext4r_report(c->r, ino, EXT4R_ERR_TOO_BIG,
		     "stopped: %llu bytes would pass --max-size %llu%s", (unsigned long long)would,
		     (unsigned long long)c->max_size,
		     c->max_size_given ? "" : " (the default, twice the image size plus 64 MiB; pass --max-size to allow more)");
}

void ext4_not_found(const struct ext4_cmd *c)
{
	ext4r_report(c->r, 0, EXT4R_ERR_NOT_FOUND, "path not found%s",
		     ext4r_has_keys(c->r) ? "" : " (without a directory's key, use its no-key names)");
}

/* A single path component we are willing to create: not empty, ".", "..", and no '/' or NUL. */
static bool valid_component(const char *name, size_t len)
{
	if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	return !memchr(name, '/', len) && !memchr(name, 0, len);
}

static void refuse_existing(struct ex *x, const ext4r_node *n, int e)
{
	ext4r_report(x->r, n->ino, e == EEXIST ? EXT4R_ERR_EXISTS : EXT4R_ERR_IO, "not extracted: %s",
		     e == EEXIST ? "an entry of that name already exists in the output (never replaced or followed)"
				 : strerror(e));
}

struct file_job {
	struct ex *x;
	const ext4r_node *n;
	int fd;
	int err;
};

static int write_run(const struct ext4r_run *run, void *priv)
{
	struct file_job *j = priv;
	struct ex *x = j->x;
	size_t bs = ext4r_block_size(x->r);

	if (run->unwritten)
		return 0; /* reads as zeros: left as a hole */
	for (uint64_t done = 0; done < run->len;) {
		size_t cnt = run->len - done < x->buf_blocks ? (size_t)(run->len - done) : x->buf_blocks;
		uint64_t lblk = run->lblk + done, off = lblk * bs;
		size_t bytes = cnt * bs;
		int err;

		if (off + bytes > j->n->size) /* the last block holds less than a block of the file */
			bytes = (size_t)(j->n->size - off);
		if (x->written + bytes > x->c->max_size) {
			ext4_max_size_hint(x->c, j->n->ino, x->written + bytes);
			x->stopped = true;
			j->err = EXT4R_ERR_TOO_BIG;
			return 1;
		}
		err = ext4r_read_blocks(x->r, j->n, lblk, run->pblk + done, cnt, x->buf);
		if (err) {
			j->err = err;
			return 1;
		}
		for (size_t w = 0; w < bytes;) {
			ssize_t k = pwrite(j->fd, x->buf + w, bytes - w, (off_t)(off + w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				ext4r_report(x->r, j->n->ino, EXT4R_ERR_IO, "writing the output: %s", strerror(errno));
				ext4r_wipe(x->buf, cnt * bs);
				j->err = EXT4R_ERR_IO;
				return 1;
			}
			w += (size_t)k;
		}
		ext4r_wipe(x->buf, cnt * bs);
		x->written += bytes;
		done += cnt;
	}
	return 0;
}

/* Small inline-data files: read whole through the reader (it checks the stored length). */
static int write_inline(struct file_job *j)
{
	struct ex *x = j->x;
	size_t got = 0, len = j->n->size < EXT4R_INLINE_MAX ? (size_t)j->n->size : EXT4R_INLINE_MAX;
	uint8_t *b = malloc(len ? len : 1);
	int err;

	if (!b)
		return EXT4R_ERR_NOMEM;
	err = ext4r_read(x->r, j->n, 0, b, len, &got);
	if (!err && x->written + got > x->c->max_size) {
		ext4_max_size_hint(x->c, j->n->ino, x->written + got);
		x->stopped = true;
		err = EXT4R_ERR_TOO_BIG;
	}
	if (!err && got && pwrite(j->fd, b, got, 0) != (ssize_t)got) {
		ext4r_report(x->r, j->n->ino, EXT4R_ERR_IO, "writing the output: %s", strerror(errno));
		err = EXT4R_ERR_IO;
	}
	if (!err)
		x->written += got;
	ext4r_wipe(b, len);
	free(b);
	return err;
}

static void extract_file(struct ex *x, int dfd, const char *name, const ext4r_node *n)
{
	struct file_job j = { .x = x, .n = n };
	int err;

	if (n->encrypted && !n->key) {
		err = n->ctx_status ? n->ctx_status : n->key_err ? EXT4R_ERR_DECRYPT : EXT4R_ERR_NO_KEY;
		ext4r_report(x->r, n->ino, err, "contents not extracted: %s", ext4r_strerror(err));
		return;
	}
	j.fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (j.fd < 0) {
		refuse_existing(x, n, errno);
		return;
	}
	if (n->inline_data) {
		err = write_inline(&j);
	} else {
		err = ext4r_runs(x->r, n, write_run, &j);
		if (j.err)
			err = j.err;
	}
	/* The size (and any hole at the end) without writing zeros. */
	if (!err && ftruncate(j.fd, (off_t)n->size) != 0) {
		ext4r_report(x->r, n->ino, EXT4R_ERR_IO, "setting the output's size: %s", strerror(errno));
		err = EXT4R_ERR_IO;
	}
	close(j.fd);
	if (err) {
		/* We created it (O_EXCL): remove the partial file, so no incomplete output passes for a whole one. */
		unlinkat(dfd, name, 0);
		if (err != EXT4R_ERR_TOO_BIG)
			ext4r_report(x->r, n->ino, err, "file not extracted: %s", ext4r_strerror(err));
	}
}

static void extract_symlink(struct ex *x, int dfd, const char *name, const ext4r_node *n)
{
	size_t len = 0;
	bool nokey = false;

	if (ext4r_readlink(x->r, n, x->target, x->target_cap, &len, &nokey))
		return; /* reported */
	if (nokey) {
		ext4r_report(x->r, n->ino, EXT4R_ERR_NO_KEY, "symlink not extracted: its target's key is missing");
	} else if (symlinkat(x->target, dfd, name) != 0) {
		refuse_existing(x, n, errno);
	}
	ext4r_wipe(x->target, len + 1);
}

static void extract_dir_into(struct ex *x, int dfd, const ext4r_node *dir, unsigned int depth);

static void extract_node(struct ex *x, int dfd, const char *name, const ext4r_node *n, unsigned int depth)
{
	int sub;

	if (x->stopped)
		return;
	switch (n->type) {
	case EXT4R_REG:
		extract_file(x, dfd, name, n);
		break;
	case EXT4R_SYMLINK:
		extract_symlink(x, dfd, name, n);
		break;
	case EXT4R_DIR:
		if (mkdirat(dfd, name, 0755) != 0) {
			refuse_existing(x, n, errno);
			break;
		}
		sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			refuse_existing(x, n, errno);
			break;
		}
		extract_dir_into(x, sub, n, depth + 1);
		close(sub);
		break;
	default:
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: not a file, directory or symlink: not extracted\n", n->ino);
		break;
	}
}

static void extract_dir_into(struct ex *x, int dfd, const ext4r_node *dir, unsigned int depth)
{
	struct ext4r_dirlist l;
	int err = ext4r_walk_enter(x->walk, dir->ino, depth);

	if (err) {
		ext4r_report(x->r, dir->ino, err, "directory not extracted again: %s", ext4r_strerror(err));
		return;
	}
	if (ext4r_dir_read(x->r, dir, &l))
		return; /* reported */
	for (size_t i = 0; i < l.n && !x->stopped; i++) {
		const struct ext4r_dirent *e = &l.ents[i];
		ext4r_node *child = NULL;

		if (e->dot || e->err)
			continue; /* bad entries were reported by the reader */
		if (!valid_component(e->name, e->name_len)) {
			ext4r_report(x->r, e->ino, EXT4R_ERR_BAD_NAME, "in directory inode %u: name refused", dir->ino);
			continue;
		}
		if (ext4r_node_get(x->r, e->ino, &child))
			continue;
		err = ext4r_permitted(dir, child);
		if (err)
			ext4r_report(x->r, child->ino, err, "in directory inode %u: not extracted: %s", dir->ino,
				     ext4r_strerror(err));
		else
			extract_node(x, dfd, e->name, child, depth);
		ext4r_node_put(child);
	}
	ext4r_dirlist_free(&l);
}

int ext4_cmd_extract(struct ext4_cmd *c)
{
	struct ex x = { .c = c, .r = c->r };
	const char *path, *out, *base;
	ext4r_node *n = NULL;
	size_t blen;
	int outfd = -1, err;
	char *name = NULL;

	if (c->argc != 2) {
		fprintf(stderr, "fscrypt-ext-ext4: extract takes PATH OUTDIR\n");
		return EXT4_EXIT_USAGE;
	}
	path = c->argv[0];
	out = c->argv[1];
	err = ext4r_resolve(c->r, path, &n, NULL);
	if (err) {
		if (err == EXT4R_ERR_NOT_FOUND)
			ext4_not_found(c);
		return EXT4_EXIT_PARTIAL;
	}
	/* The name PATH ends with (trailing slashes aside), unless PATH is the root. */
	blen = strlen(path);
	while (blen > 1 && path[blen - 1] == '/')
		blen--;
	base = path + blen;
	while (base > path && base[-1] != '/')
		base--;
	if (n->ino != EXT2_ROOT_INO && !valid_component(base, (size_t)(path + blen - base))) {
		fprintf(stderr, "fscrypt-ext-ext4: extract: PATH must end with a name (or be /)\n");
		ext4r_node_put(n);
		return EXT4_EXIT_USAGE;
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "fscrypt-ext-ext4: cannot create the output directory: %s\n", strerror(errno));
		ext4r_node_put(n);
		return EXT4_EXIT_USAGE;
	}
	outfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	x.buf_blocks = EXTRACT_CHUNK_BYTES / ext4r_block_size(c->r);
	x.buf = malloc(EXTRACT_CHUNK_BYTES);
	x.target_cap = ext4r_block_size(c->r) + 256;
	x.target = malloc(x.target_cap);
	name = strndup(base, (size_t)(path + blen - base));
	if (outfd < 0 || !x.buf || !x.target || !name || ext4r_walk_new(&x.walk)) {
		fprintf(stderr, "fscrypt-ext-ext4: cannot open the output directory: %s\n", strerror(errno));
	} else if (n->ino == EXT2_ROOT_INO) {
		extract_dir_into(&x, outfd, n, 0); /* the root's entries straight into OUTDIR */
	} else {
		extract_node(&x, outfd, name, n, 0);
	}
	if (outfd >= 0)
		close(outfd);
	ext4r_walk_free(x.walk);
	free(x.buf);
	free(x.target);
	free(name);
	ext4r_node_put(n);
	return ext4r_problems(c->r) ? EXT4_EXIT_PARTIAL : EXT4_EXIT_OK;
}
