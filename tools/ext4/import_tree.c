/* fscrypt-ext-ext4 import: walks the host tree (openat/fstatat, never following links) and writes each node encrypted. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer.h"

#define SKIPPED 1 /* a source node this writer does not copy (devices, FIFOs, sockets) */

static uint16_t perm_bits(const struct stat *st)
{
	return (uint16_t)(st->st_mode & 07777);
}

static int open_key(struct fscrypt_ext__writer *w, const struct fscrypt_ext_context *ctx,
		    enum fscrypt_ext_inode_type type, ext2_ino_t ino, fscrypt_ext_inode **key)
{
	int err = fscrypt_ext_inode_open(ctx, w->mk, type, ino, &w->fsinfo, key);

	if (err)
		fprintf(stderr, "fscrypt-ext-ext4: import: inode %u: key setup: %s\n", ino, fscrypt_ext_strerror(err));
	return err ? -1 : 0;
}

/* A second link to a source file already written: one more link on its inode. */
static int link_again(struct fscrypt_ext__writer *w, const struct stat *st, ext2_ino_t *ino_out, bool *found)
{
	uint8_t *raw;
	int ret;

	*found = false;
	for (size_t i = 0; i < w->nlinks; i++) {
		if (w->links[i].dev != st->st_dev || w->links[i].src_ino != st->st_ino)
			continue;
		*found = true;
		*ino_out = w->links[i].ino;
		raw = malloc(EXT2_INODE_SIZE(w->fs->super));
		if (!raw || fscrypt_ext__wr_read_inode(w, *ino_out, raw)) {
			free(raw);
			return -1;
		}
		((struct ext2_inode_large *)raw)->i_links_count++;
		ret = fscrypt_ext__wr_write_inode(w, *ino_out, raw);
		free(raw);
		w->hardlinks++;
		return ret;
	}
	return 0;
}

static int remember_link(struct fscrypt_ext__writer *w, const struct stat *st, ext2_ino_t ino)
{
	if (w->nlinks == w->cap_links) {
		size_t cap = w->cap_links ? 2 * w->cap_links : 64;
		struct fscrypt_ext__wr_hardlink *n = realloc(w->links, cap * sizeof(*n));

		if (!n)
			return -1;
		w->links = n;
		w->cap_links = cap;
	}
	w->links[w->nlinks++] = (struct fscrypt_ext__wr_hardlink){ st->st_dev, st->st_ino, ino };
	return 0;
}

static int import_file(struct fscrypt_ext__writer *w, int dirfd, const char *name, ext2_ino_t parent,
		       const struct fscrypt_ext_context *parent_ctx, ext2_ino_t *ino_out)
{
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *key = NULL;
	struct stat st;
	bool found;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), ret = -1;

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_nlink > 1) {
		if (link_again(w, &st, ino_out, &found)) {
			close(fd);
			return -1;
		}
		if (found) {
			close(fd);
			return 0;
		}
	}
	if (fscrypt_ext__wr_child_context(parent_ctx, &w->fsinfo, &ctx) ||
	    fscrypt_ext__wr_alloc_ino(w, parent, LINUX_S_IFREG, ino_out) ||
	    fscrypt_ext__wr_new_inode(w, *ino_out, LINUX_S_IFREG | perm_bits(&st), &st, (uint64_t)st.st_size, NULL,
				      &ctx) ||
	    open_key(w, &ctx, FSCRYPT_EXT_INODE_REG, *ino_out, &key))
		goto out;
	if (fscrypt_ext__wr_file_data(w, *ino_out, key, fd, (uint64_t)st.st_size))
		goto out;
	if (st.st_nlink > 1 && remember_link(w, &st, *ino_out))
		goto out;
	w->files++;
	w->data_bytes += (uint64_t)st.st_size;
	ret = 0;
out:
	fscrypt_ext_inode_free(key);
	close(fd);
	return ret;
}

static int import_symlink(struct fscrypt_ext__writer *w, int dirfd, const char *name, const struct stat *st,
			  ext2_ino_t parent, const struct fscrypt_ext_context *parent_ctx, ext2_ino_t *ino_out)
{
	unsigned int bs = w->fs->blocksize;
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *key = NULL;
	char target[4097];
	uint8_t *disk = calloc(1, bs);
	size_t dlen = 0;
	ssize_t tlen = readlinkat(dirfd, name, target, sizeof(target));
	int ret = -1, err;

	if (!disk)
		return -1;
	if (tlen <= 0 || (size_t)tlen >= sizeof(target)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: symlink %s: %s\n", name, tlen < 0 ? strerror(errno) : "bad target");
		goto out;
	}
	/* The inode number comes first: IV_INO_LBLK_* policies put it in the IV of names. */
	if (fscrypt_ext__wr_child_context(parent_ctx, &w->fsinfo, &ctx) ||
	    fscrypt_ext__wr_alloc_ino(w, parent, LINUX_S_IFLNK, ino_out) ||
	    open_key(w, &ctx, FSCRYPT_EXT_INODE_SYMLINK, *ino_out, &key))
		goto out;
	err = fscrypt_ext_symlink_encrypt(key, (const uint8_t *)target, (size_t)tlen, bs, disk, bs, &dlen);
	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: import: symlink %s (%zd-byte target): %s\n", name, tlen,
			fscrypt_ext_strerror(err));
		goto out;
	}
	/* Fast when the stored form and the NUL the kernel adds fit in i_block (60 bytes). */
	if (dlen + 1 <= EXT2_N_BLOCKS * 4) {
		if (fscrypt_ext__wr_new_inode(w, *ino_out, LINUX_S_IFLNK | perm_bits(st), st, dlen, disk, &ctx))
			goto out;
	} else if (fscrypt_ext__wr_new_inode(w, *ino_out, LINUX_S_IFLNK | perm_bits(st), st, dlen, NULL, &ctx) ||
		   fscrypt_ext__wr_alloc(w, *ino_out, 0, 1) || fscrypt_ext__wr_blocks(w, *ino_out, 0, 1, disk)) {
		goto out;
	}
	w->symlinks++;
	ret = 0;
out:
	fscrypt_ext_inode_free(key);
	free(disk);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the directory open as fd, sorted (a stable order makes runs reproducible). */
static int list_names(int fd, char ***names_out, size_t *n_out)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*nn));

			if (!nn)
				break;
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n > 1) /* an empty directory has no list at all (names is NULL) */
		qsort(names, n, sizeof(*names), cmp_names);
	*names_out = names;
	*n_out = n;
	return 0;
}

static int import_dir(struct fscrypt_ext__writer *w, int dirfd, const char *name, const struct stat *st,
		      ext2_ino_t parent, const struct fscrypt_ext_context *parent_ctx, ext2_ino_t *ino_out)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext__wr_dirent *ents = NULL;
	fscrypt_ext_inode *key = NULL;
	char **names = NULL;
	size_t n = 0, nents = 0, nsub = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), ret = -1;

	if (fd < 0 || list_names(fd, &names, &n)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: directory %s: %s\n", name, strerror(errno));
		goto out;
	}
	if (fscrypt_ext__wr_child_context(parent_ctx, &w->fsinfo, &ctx) ||
	    fscrypt_ext__wr_alloc_ino(w, parent, LINUX_S_IFDIR, ino_out) ||
	    fscrypt_ext__wr_new_inode(w, *ino_out, LINUX_S_IFDIR | perm_bits(st), st, 0, NULL, &ctx) ||
	    open_key(w, &ctx, FSCRYPT_EXT_INODE_DIR, *ino_out, &key))
		goto out;
	ents = calloc(n ? n : 1, sizeof(*ents));
	if (!ents)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct fscrypt_ext__wr_dirent *e = &ents[nents];
		size_t len;
		uint8_t ftype;
		int r = fscrypt_ext__wr_import_node(w, fd, names[i], *ino_out, &ctx, &e->ino, &ftype), err;

		if (r == SKIPPED)
			continue;
		if (r)
			goto out;
		err = fscrypt_ext_fname_encrypt(key, (const uint8_t *)names[i], strlen(names[i]), e->name,
						sizeof(e->name), &len);
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: import: name %s: %s\n", names[i], fscrypt_ext_strerror(err));
			goto out;
		}
		e->name_len = (uint8_t)len;
		e->file_type = ftype;
		nsub += ftype == EXT2_FT_DIR;
		nents++;
	}
	/* ext4 counts "." and each subdirectory's ".."; past its limit a directory counts 1 (dir_nlink). */
	if (fscrypt_ext__wr_dir_write(w, *ino_out, parent, ents, nents,
				      (uint16_t)(2 + nsub < EXT2_LINK_MAX ? 2 + nsub : 1)))
		goto out;
	w->dirs++;
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(ents);
	fscrypt_ext_inode_free(key);
	if (fd >= 0)
		close(fd);
	return ret;
}

int fscrypt_ext__wr_import_node(struct fscrypt_ext__writer *w, int dirfd, const char *name, ext2_ino_t parent,
				const struct fscrypt_ext_context *parent_ctx, ext2_ino_t *ino_out, uint8_t *ftype_out)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		*ftype_out = EXT2_FT_REG_FILE;
		return import_file(w, dirfd, name, parent, parent_ctx, ino_out);
	}
	if (S_ISDIR(st.st_mode)) {
		*ftype_out = EXT2_FT_DIR;
		return import_dir(w, dirfd, name, &st, parent, parent_ctx, ino_out);
	}
	if (S_ISLNK(st.st_mode)) {
		*ftype_out = EXT2_FT_SYMLINK;
		return import_symlink(w, dirfd, name, &st, parent, parent_ctx, ino_out);
	}
	fprintf(stderr, "fscrypt-ext-ext4: import: %s: not a regular file, directory or symlink; skipped\n", name);
	w->skipped++;
	return SKIPPED;
}
