/* fscrypt-ext-ext4 mount: the image read-only through FUSE (libfuse3 low-level API), every request through the reader layer. */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "mount.h"

/*
 * Inode numbers: FUSE calls the root 1 (FUSE_ROOT_ID), ext4 calls it 2
 * (EXT2_ROOT_INO); every other inode keeps its ext4 number. An entry that
 * names inode 1 (ext4's bad-blocks inode) or the root below the root is
 * refused, so the two numbering schemes never collide.
 *
 * The image never changes under the mount, so the kernel may cache entries,
 * attributes and pages for as long as it likes (MNT_TIMEOUT, keep_cache).
 */
#define MNT_TIMEOUT 86400.0
#define MNT_CACHE_SLOTS 512u   /* opened inodes kept, direct-mapped by inode number */
#define MNT_READ_MAX (1u << 20) /* largest read request served (the kernel sends at most max_read) */

struct mnt_dirmap {
	uint32_t *ino, *parent; /* open addressing; ino 0 = empty */
	uint64_t *name;         /* keyed hash of the one name the directory may be reached by */
	size_t cap, n;
	uint8_t key[crypto_shorthash_KEYBYTES]; /* random per mount: an image cannot aim at collisions */
};

struct mnt {
	ext4r *r;
	pthread_mutex_t lock; /* cache and dirmap */
	ext4r_node *cache[MNT_CACHE_SLOTS];
	struct mnt_dirmap dirs;
};

static uint32_t to_ext(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? EXT2_ROOT_INO : (uint32_t)ino;
}

static fuse_ino_t to_fuse(uint32_t ino)
{
	return ino == EXT2_ROOT_INO ? FUSE_ROOT_ID : ino;
}

/* The errno the kernel's ext4 and fs/crypto give for each reader outcome. */
static int errno_of(int err)
{
	switch (err) {
	case EXT4R_OK: return 0;
	case EXT4R_ERR_NOMEM: return ENOMEM;
	case EXT4R_ERR_NOT_FOUND: return ENOENT;
	case EXT4R_ERR_NOT_DIR: return ENOTDIR;
	case EXT4R_ERR_POLICY_MISMATCH: return EPERM;   /* as the kernel's lookup (fscrypt_has_permitted_context) */
	case EXT4R_ERR_NO_KEY: return ENOKEY;
	case EXT4R_ERR_LOOP: case EXT4R_ERR_DEPTH: return ELOOP;
	case EXT4R_ERR_WRONG_TYPE: return EINVAL;
	case EXT4R_ERR_UNSUPPORTED: return EOPNOTSUPP;
	case EXT4R_ERR_TOO_BIG: return EFBIG;
	case EXT4R_ERR_INVALID: return EINVAL;
	case EXT4R_ERR_IO: return EIO;
	default: return EUCLEAN; /* CORRUPT, NO_CONTEXT, BAD_CONTEXT, DECRYPT, BAD_NAME: ext4's EFSCORRUPTED */
	}
}

static struct mnt *mnt_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* ---- the small inode cache ---- */

static int node_get(struct mnt *m, uint32_t ino, ext4r_node **out)
{
	unsigned int slot = ino % MNT_CACHE_SLOTS;
	ext4r_node *n, *old = NULL;
	int err;

	pthread_mutex_lock(&m->lock);
	n = m->cache[slot];
	if (n && n->ino == ino) {
		*out = ext4r_node_ref(n);
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	pthread_mutex_unlock(&m->lock);
	err = ext4r_node_get(m->r, ino, &n);
	if (err)
		return err;
	pthread_mutex_lock(&m->lock);
	old = m->cache[slot];
	m->cache[slot] = ext4r_node_ref(n);
	pthread_mutex_unlock(&m->lock);
	ext4r_node_put(old);
	*out = n;
	return 0;
}

static void node_cache_put(struct mnt *m, ext4r_node *n)
{
	unsigned int slot = n->ino % MNT_CACHE_SLOTS;
	ext4r_node *old;

	pthread_mutex_lock(&m->lock);
	old = m->cache[slot];
	m->cache[slot] = ext4r_node_ref(n);
	pthread_mutex_unlock(&m->lock);
	ext4r_node_put(old);
}

/*
 * Every directory has one parent and one name. A directory found under a
 * second parent, or under a second name in the same parent, is a hard-linked
 * directory or a cycle: the first path wins and the others get ELOOP, as
 * `extract` and `ls -R` refuse the second visit (otherwise a chain of
 * directories each linked twice from the one before makes 2^depth paths).
 * Called with m->lock.
 */
static bool dirmap_grow(struct mnt_dirmap *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;
	uint32_t *ino = calloc(cap, sizeof(*ino)), *par = calloc(cap, sizeof(*par));
	uint64_t *nm = calloc(cap, sizeof(*nm));

	if (!ino || !par || !nm) {
		free(ino);
		free(par);
		free(nm);
		return false;
	}
	for (size_t i = 0; i < d->cap; i++) {
		size_t j;

		if (!d->ino[i])
			continue;
		for (j = d->ino[i] & (cap - 1); ino[j]; j = (j + 1) & (cap - 1))
			;
		ino[j] = d->ino[i];
		par[j] = d->parent[i];
		nm[j] = d->name[i];
	}
	free(d->ino);
	free(d->parent);
	free(d->name);
	d->ino = ino;
	d->parent = par;
	d->name = nm;
	d->cap = cap;
	return true;
}

/* 0 when dir may sit under parent as name (first sighting recorded), LOOP otherwise. */
static int dirmap_claim(struct mnt *m, uint32_t dir, uint32_t parent, const char *name)
{
	struct mnt_dirmap *d = &m->dirs;
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t nh = 0;
	int ret = 0;
	size_t j;

	if (dir == EXT2_ROOT_INO)
		return EXT4R_ERR_LOOP;
	crypto_shorthash(h, (const unsigned char *)name, strlen(name), d->key);
	memcpy(&nh, h, sizeof(nh));
	pthread_mutex_lock(&m->lock);
	if ((d->n + 1) * 2 > d->cap && !dirmap_grow(d)) {
		ret = EXT4R_ERR_NOMEM;
		goto out;
	}
	for (j = dir & (d->cap - 1); d->ino[j]; j = (j + 1) & (d->cap - 1)) {
		if (d->ino[j] == dir) {
			ret = d->parent[j] == parent && d->name[j] == nh ? 0 : EXT4R_ERR_LOOP;
			goto out;
		}
	}
	d->ino[j] = dir;
	d->parent[j] = parent;
	d->name[j] = nh;
	d->n++;
out:
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* ---- attributes ---- */

static struct timespec ext4_time(uint32_t sec, uint32_t extra, bool have_extra)
{
	struct timespec ts;

	/* ext4: the low 2 bits of *_extra extend the signed 32-bit seconds, the high 30 are nanoseconds. */
	ts.tv_sec = (int32_t)sec;
	ts.tv_nsec = 0;
	if (have_extra) {
		ts.tv_sec += (time_t)((int64_t)(extra & 3) << 32);
		ts.tv_nsec = extra >> 2;
		if (ts.tv_nsec > 999999999)
			ts.tv_nsec = 0;
	}
	return ts;
}

/* The length the kernel reports for a symlink: its target as readlink would give it. */
static off_t symlink_size(struct mnt *m, const ext4r_node *n)
{
	char *buf;
	size_t len = 0;
	off_t size = (off_t)n->size;

	if (!n->encrypted)
		return size;
	buf = malloc(EXT4R_SYMLINK_MAX + 1);
	if (!buf)
		return size;
	if (ext4r_readlink(m->r, n, buf, EXT4R_SYMLINK_MAX + 1, &len, NULL) == 0)
		size = (off_t)len;
	ext4r_wipe(buf, EXT4R_SYMLINK_MAX + 1);
	free(buf);
	return size;
}

static void fill_stat(struct mnt *m, const ext4r_node *n, struct stat *st)
{
	const struct ext2_inode_large *in = &n->inode;
	bool extra = in->i_extra_isize >= 16; /* ctime/mtime/atime _extra are the first 12 bytes after i_checksum_hi */

	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	st->st_mode = in->i_mode;
	st->st_nlink = in->i_links_count ? in->i_links_count : 1;
	st->st_uid = in->i_uid | (uint32_t)in->osd2.linux2.l_i_uid_high << 16;
	st->st_gid = in->i_gid | (uint32_t)in->osd2.linux2.l_i_gid_high << 16;
	st->st_size = n->type == EXT4R_SYMLINK ? symlink_size(m, n) : (off_t)n->size;
	st->st_blksize = ext4r_block_size(m->r);
	st->st_blocks = in->i_blocks | (blkcnt_t)in->osd2.linux2.l_i_blocks_hi << 32;
	if (in->i_flags & EXT4_HUGE_FILE_FL)
		st->st_blocks *= ext4r_block_size(m->r) / 512;
	st->st_atim = ext4_time(in->i_atime, in->i_atime_extra, extra);
	st->st_mtim = ext4_time(in->i_mtime, in->i_mtime_extra, extra);
	st->st_ctim = ext4_time(in->i_ctime, in->i_ctime_extra, extra);
}

static void reply_entry(fuse_req_t req, struct mnt *m, const ext4r_node *n)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	e.ino = to_fuse(n->ino);
	e.generation = n->inode.i_generation;
	e.attr_timeout = MNT_TIMEOUT;
	e.entry_timeout = MNT_TIMEOUT;
	fill_stat(m, n, &e.attr);
	fuse_reply_entry(req, &e);
}

/* ---- operations ---- */

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct mnt *m = mnt_of(req);
	ext4r_node *dir = NULL, *child = NULL;
	int err;

	err = node_get(m, to_ext(parent), &dir);
	if (!err)
		err = ext4r_lookup(m->r, dir, name, strlen(name), &child);
	if (!err && (child->ino == 1 || (child->ino == EXT2_ROOT_INO && child->type != EXT4R_DIR))) {
		ext4r_report(m->r, dir->ino, EXT4R_ERR_CORRUPT, "an entry names reserved inode %u", child->ino);
		err = EXT4R_ERR_CORRUPT;
	}
	if (!err && child->type == EXT4R_DIR && strcmp(name, ".") && strcmp(name, "..")) {
		err = dirmap_claim(m, child->ino, dir->ino, name);
		if (err == EXT4R_ERR_LOOP)
			ext4r_report(m->r, child->ino, err, "directory reached a second time (from inode %u): refused",
				     dir->ino);
	}
	if (err) {
		fuse_reply_err(req, errno_of(err));
	} else {
		node_cache_put(m, child);
		reply_entry(req, m, child);
	}
	ext4r_node_put(child);
	ext4r_node_put(dir);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mnt *m = mnt_of(req);
	ext4r_node *n;
	struct stat st;
	int err = node_get(m, to_ext(ino), &n);

	if (err) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	fill_stat(m, n, &st);
	fuse_reply_attr(req, &st, MNT_TIMEOUT);
	ext4r_node_put(n);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct mnt *m = mnt_of(req);
	ext4r_node *n;
	char *buf;
	size_t len = 0;
	int err = node_get(m, to_ext(ino), &n);

	if (err) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	buf = malloc(EXT4R_SYMLINK_MAX + 1);
	if (!buf)
		err = EXT4R_ERR_NOMEM;
	else
		err = ext4r_readlink(m->r, n, buf, EXT4R_SYMLINK_MAX + 1, &len, NULL);
	if (err)
		fuse_reply_err(req, errno_of(err));
	else
		fuse_reply_readlink(req, buf);
	if (buf) {
		ext4r_wipe(buf, EXT4R_SYMLINK_MAX + 1);
		free(buf);
	}
	ext4r_node_put(n);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mnt *m = mnt_of(req);
	ext4r_node *n;
	int err;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) {
		fuse_reply_err(req, EROFS);
		return;
	}
	err = node_get(m, to_ext(ino), &n);
	if (err) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	if (n->type == EXT4R_DIR)
		err = EISDIR;
	else if (n->type != EXT4R_REG)
		err = EINVAL;
	else if (n->encrypted && n->ctx_status)
		err = errno_of(n->ctx_status);
	else if (n->encrypted && !n->key)
		err = n->key_err ? EUCLEAN : ENOKEY; /* as the kernel's fscrypt_file_open without the key */
	if (err) {
		ext4r_node_put(n);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uintptr_t)n; /* the reference is dropped in op_release */
	fi->keep_cache = 1;
	if (fuse_reply_open(req, fi) != 0)
		ext4r_node_put(n);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct mnt *m = mnt_of(req);
	const ext4r_node *n = (const ext4r_node *)(uintptr_t)fi->fh;
	uint8_t *buf;
	size_t got = 0;
	int err;

	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (size > MNT_READ_MAX)
		size = MNT_READ_MAX;
	buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	err = ext4r_read(m->r, n, (uint64_t)off, buf, size, &got);
	if (err)
		fuse_reply_err(req, errno_of(err));
	else
		fuse_reply_buf(req, (const char *)buf, got);
	ext4r_wipe(buf, size);
	free(buf);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ext4r_node_put((ext4r_node *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

/* An open directory: its entries, read once (names wiped when it is released). */
struct mnt_dir {
	struct ext4r_dirlist list;
};

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mnt *m = mnt_of(req);
	struct mnt_dir *d;
	ext4r_node *n;
	int err = node_get(m, to_ext(ino), &n);

	if (err) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		err = EXT4R_ERR_NOMEM;
	else
		err = ext4r_dir_read(m->r, n, &d->list);
	ext4r_node_put(n);
	if (err) {
		free(d);
		fuse_reply_err(req, errno_of(err));
		return;
	}
	fi->fh = (uintptr_t)d;
	fi->keep_cache = 1;
	fi->cache_readdir = 1;
	if (fuse_reply_open(req, fi) != 0) {
		ext4r_dirlist_free(&d->list);
		free(d);
	}
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct mnt_dir *d = (struct mnt_dir *)(uintptr_t)fi->fh;
	char *buf;
	size_t pos = 0;

	if (size > MNT_READ_MAX)
		size = MNT_READ_MAX;
	buf = calloc(1, size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	for (size_t i = off < 0 ? 0 : (size_t)off; i < d->list.n; i++) {
		const struct ext4r_dirent *e = &d->list.ents[i];
		struct stat st;
		size_t need;

		/* Unusable entries (bad names, failed decryption) were reported by the reader; they are not shown. */
		if (e->err || e->kind == EXT4R_NAME_NONE || !e->name_len || memchr(e->name, '/', e->name_len))
			continue;
		memset(&st, 0, sizeof(st));
		st.st_ino = to_fuse(e->ino);
		st.st_mode = (mode_t)(e->file_type <= 7 ? (const mode_t[]){ 0, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK,
								       S_IFIFO, S_IFSOCK, S_IFLNK }[e->file_type] : 0);
		need = fuse_add_direntry(req, buf + pos, size - pos, e->name, &st, (off_t)(i + 1));
		if (need > size - pos)
			break;
		pos += need;
	}
	fuse_reply_buf(req, buf, pos);
	ext4r_wipe(buf, size);
	free(buf);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mnt_dir *d = (struct mnt_dir *)(uintptr_t)fi->fh;

	if (d) {
		ext4r_dirlist_free(&d->list);
		free(d);
	}
	fuse_reply_err(req, 0);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;
	int err = ext4r_statfs(mnt_of(req)->r, &sv);

	if (err)
		fuse_reply_err(req, errno_of(err));
	else
		fuse_reply_statfs(req, &sv);
}

/* The xattrs a user sees: the image's, less the fscrypt context ("c", index 9) and inline data, as the kernel hides them. */
static bool xattr_visible(const char *name)
{
	static const char *const prefixes[] = { "user.", "trusted.", "security.", "system.posix_acl_access",
						"system.posix_acl_default", "system.richacl" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct mnt *m = mnt_of(req);
	struct ext4r_xattrs x = { 0 };
	ext4r_node *n;
	int err = node_get(m, to_ext(ino), &n);

	if (!err)
		err = ext4r_xattrs_read(m->r, n, &x);
	if (err) {
		fuse_reply_err(req, errno_of(err));
		goto out;
	}
	err = ENODATA;
	for (size_t i = 0; i < x.n; i++) {
		if (!xattr_visible(x.v[i].name) || strcmp(x.v[i].name, name))
			continue;
		if (size == 0)
			fuse_reply_xattr(req, x.v[i].value_len);
		else if (size < x.v[i].value_len)
			fuse_reply_err(req, ERANGE);
		else
			fuse_reply_buf(req, (const char *)x.v[i].value, x.v[i].value_len);
		err = 0;
		break;
	}
	if (err)
		fuse_reply_err(req, err);
out:
	ext4r_xattrs_free(&x);
	ext4r_node_put(n);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct mnt *m = mnt_of(req);
	struct ext4r_xattrs x = { 0 };
	ext4r_node *n = NULL;
	char *list = NULL;
	size_t total = 0;
	int err = node_get(m, to_ext(ino), &n);

	if (!err)
		err = ext4r_xattrs_read(m->r, n, &x);
	if (err) {
		fuse_reply_err(req, errno_of(err));
		goto out;
	}
	for (size_t i = 0; i < x.n; i++)
		if (xattr_visible(x.v[i].name))
			total += strlen(x.v[i].name) + 1;
	if (size == 0) {
		fuse_reply_xattr(req, total);
		goto out;
	}
	if (size < total) {
		fuse_reply_err(req, ERANGE);
		goto out;
	}
	list = malloc(total ? total : 1);
	if (!list) {
		fuse_reply_err(req, ENOMEM);
		goto out;
	}
	total = 0;
	for (size_t i = 0; i < x.n; i++) {
		if (!xattr_visible(x.v[i].name))
			continue;
		memcpy(list + total, x.v[i].name, strlen(x.v[i].name) + 1);
		total += strlen(x.v[i].name) + 1;
	}
	fuse_reply_buf(req, list, total);
out:
	free(list);
	ext4r_xattrs_free(&x);
	ext4r_node_put(n);
}

/* The read side; ext4_mount_refuse_writes() adds the refusals (mount_readonly.c). */
static const struct fuse_lowlevel_ops mnt_ops = {
	.lookup = op_lookup,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
	.statfs = op_statfs,
	.getxattr = op_getxattr,
	.listxattr = op_listxattr,
};

/* ---- the command ---- */

int ext4_cmd_mount(struct ext4_cmd *c)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se = NULL;
	struct fuse_loop_config *cfg = NULL;
	struct fuse_lowlevel_ops ops;
	struct mnt *m;
	char *fsopts = NULL;
	int ret = EXT4_EXIT_USAGE;

	if (c->argc != 1) {
		fprintf(stderr, "fscrypt-ext-ext4: mount takes one MOUNTPOINT\n");
		return EXT4_EXIT_USAGE;
	}
	if (!ext4_mount_opts_ok(c->fuse_opts))
		return EXT4_EXIT_USAGE;
	m = calloc(1, sizeof(*m));
	if (!m)
		return EXT4_EXIT_USAGE;
	m->r = c->r;
	pthread_mutex_init(&m->lock, NULL);
	randombytes_buf(m->dirs.key, sizeof(m->dirs.key));
	/* ro first; the user's options after it, then ro again so nothing turns it off. */
	if (asprintf(&fsopts, "ro,fsname=fscrypt-ext-ext4,subtype=fscrypt-ext-ext4%s%s,ro",
		     c->fuse_opts ? "," : "", c->fuse_opts ? c->fuse_opts : "") < 0) {
		fsopts = NULL;
		goto out;
	}
	if (fuse_opt_add_arg(&args, "fscrypt-ext-ext4") || fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, fsopts))
		goto out;
	ops = mnt_ops;
	ext4_mount_refuse_writes(&ops);
	se = fuse_session_new(&args, &ops, sizeof(ops), m); /* libfuse copies ops */
	if (!se) {
		fprintf(stderr, "fscrypt-ext-ext4: mount: the FUSE session could not be set up (see the message above)\n");
		goto out;
	}
	if (fuse_set_signal_handlers(se) != 0)
		goto out;
	if (fuse_session_mount(se, c->argv[0]) != 0) {
		fprintf(stderr, "fscrypt-ext-ext4: mount: cannot mount on %s (is /dev/fuse there, fusermount3 installed?)\n",
			c->argv[0]);
		fuse_remove_signal_handlers(se);
		goto out;
	}
	ext4_mount_ready();
	cfg = fuse_loop_cfg_create();
	if (!cfg) {
		ret = EXT4_EXIT_PARTIAL;
	} else {
		fuse_loop_cfg_set_clone_fd(cfg, 0);
		fuse_loop_cfg_set_max_threads(cfg, 8);
		ret = fuse_session_loop_mt(se, cfg) == 0 ? EXT4_EXIT_OK : EXT4_EXIT_PARTIAL;
		fuse_loop_cfg_destroy(cfg);
	}
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
out:
	if (se)
		fuse_session_destroy(se);
	fuse_opt_free_args(&args);
	free(fsopts);
	for (unsigned int i = 0; i < MNT_CACHE_SLOTS; i++)
		ext4r_node_put(m->cache[i]);
	free(m->dirs.ino);
	free(m->dirs.parent);
	free(m->dirs.name);
	pthread_mutex_destroy(&m->lock);
	free(m);
	return ret;
}
