/* ext4 reader: opening an image, loading inodes with their contexts and keys, the inheritance rule, walks, reports. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "reader_int.h"

static const struct {
	int err;
	const char *name, *text;
} errors[] = {
	{ EXT4R_OK, "OK", "success" },
	{ EXT4R_ERR_IO, "IO", "cannot read the image" },
	{ EXT4R_ERR_NOMEM, "NOMEM", "out of memory" },
	{ EXT4R_ERR_CORRUPT, "CORRUPT", "on-disk structure is inconsistent" },
	{ EXT4R_ERR_NO_CONTEXT, "NO_CONTEXT", "encrypted inode without an encryption context" },
	{ EXT4R_ERR_BAD_CONTEXT, "BAD_CONTEXT", "encryption context is invalid" },
	{ EXT4R_ERR_POLICY_MISMATCH, "POLICY_MISMATCH",
	  "not encrypted with its encrypted parent directory's policy (the kernel refuses it)" },
	{ EXT4R_ERR_NO_KEY, "NO_KEY", "key missing, not decrypted" },
	{ EXT4R_ERR_DECRYPT, "DECRYPT", "cannot be decrypted" },
	{ EXT4R_ERR_LOOP, "LOOP", "directory reached twice (loop or hard-linked directory)" },
	{ EXT4R_ERR_DEPTH, "DEPTH", "directory tree too deep" },
	{ EXT4R_ERR_NOT_FOUND, "NOT_FOUND", "no such entry" },
	{ EXT4R_ERR_NOT_DIR, "NOT_DIR", "not a directory" },
	{ EXT4R_ERR_WRONG_TYPE, "WRONG_TYPE", "wrong file type for this operation" },
	{ EXT4R_ERR_BAD_NAME, "BAD_NAME", "invalid name (empty, or holding '/' or NUL)" },
	{ EXT4R_ERR_UNSUPPORTED, "UNSUPPORTED", "not supported" },
	{ EXT4R_ERR_INVALID, "INVALID", "invalid argument" },
	{ EXT4R_ERR_TOO_BIG, "TOO_BIG", "larger than allowed" },
	{ EXT4R_ERR_EXISTS, "EXISTS", "already exists in the output (never replaced or followed)" },
};

const char *ext4r_strerror(int err)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			return errors[i].text;
	return "unknown error";
}

const char *ext4r_errname(int err)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			return errors[i].name;
	return "?";
}

void ext4r_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

static void default_reporter(void *priv, uint32_t ino, int err, const char *msg)
{
	(void)priv;
	if (ino)
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: %s [%s]\n", ino, msg, ext4r_errname(err));
	else
		fprintf(stderr, "fscrypt-ext-ext4: %s [%s]\n", msg, ext4r_errname(err));
}

void ext4r_set_reporter(ext4r *r, ext4r_reporter fn, void *priv)
{
	r->rep = fn ? fn : default_reporter;
	r->rep_priv = fn ? priv : NULL;
}

unsigned long ext4r_problems(const ext4r *r)
{
	return __atomic_load_n(&r->problems, __ATOMIC_RELAXED);
}

void ext4r_report(ext4r *r, uint32_t ino, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&r->problems, 1, __ATOMIC_RELAXED);
	r->rep(r->rep_priv, ino, err, msg);
}

/*
 * libext2fs sizes its group descriptor table from the superblock before it
 * reads anything else, so a lying block count costs memory, not just an error.
 * For an image file, the count must fit (with room for a truncated copy) the
 * file's size; devices are left to libext2fs.
 */
static bool superblock_fits_file(const char *image, const char **msg)
{
	uint8_t sb[1024];
	struct stat st;
	uint64_t blocks, bs, file_blocks;
	int fd = open(image, O_RDONLY | O_CLOEXEC);
	bool ok = true;

	if (fd < 0)
		return true; /* libext2fs reports it */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, sb, sizeof(sb), 1024) == (ssize_t)sizeof(sb) &&
	    ext4r__le16(sb + 0x38) == EXT2_SUPER_MAGIC && ext4r__le32(sb + 0x18) <= 6) {
		bs = 1024u << ext4r__le32(sb + 0x18);
		blocks = ext4r__le32(sb + 0x04);
		if (ext4r__le32(sb + 0x60) & EXT4_FEATURE_INCOMPAT_64BIT)
			blocks |= (uint64_t)ext4r__le32(sb + 0x150) << 32;
		file_blocks = (uint64_t)st.st_size / bs;
		if (blocks / 4 > file_blocks + 1024) {
			*msg = "the superblock claims more than four times the blocks the image file holds";
			ok = false;
		}
	}
	close(fd);
	return ok;
}

/* libext2fs's messages ("Bad magic number in super-block", ...) instead of "Unknown code ext2 N". */
static pthread_once_t ext4r_errtab_once = PTHREAD_ONCE_INIT;

static void ext4r_errtab_init(void)
{
	initialize_ext2_error_table();
}

int ext4r_open(const char *image, unsigned int flags, const struct tc_keyset *keys, ext4r **out, const char **msg)
{
	int oflags = EXT2_FLAG_64BITS;
	const char *why = NULL;
	ext4r *r;
	errcode_t e;

	if (msg)
		*msg = NULL;
	if (!image || !out)
		return EXT4R_ERR_INVALID;
	pthread_once(&ext4r_errtab_once, ext4r_errtab_init);
	if (flags & EXT4R_OPEN_IGNORE_CSUM)
		oflags |= EXT2_FLAG_IGNORE_CSUM_ERRORS;
	if (!superblock_fits_file(image, msg ? msg : &why))
		return EXT4R_ERR_CORRUPT;
	r = calloc(1, sizeof(*r));
	if (!r)
		return EXT4R_ERR_NOMEM;
	/* Read-only: no EXT2_FLAG_RW, so libext2fs never writes to the image. */
	e = ext2fs_open2(image, NULL, oflags, 0, 0, unix_io_manager, &r->fs);
	if (e) {
		if (msg)
			*msg = error_message(e);
		free(r);
		return EXT4R_ERR_IO;
	}
	pthread_mutex_init(&r->lock, NULL);
	r->keys = keys;
	r->rep = default_reporter;
	r->block_size = r->fs->blocksize;
	r->blocks_count = ext2fs_blocks_count(r->fs->super);
	r->inodes_count = r->fs->super->s_inodes_count;
	fscrypt_ext_fs_info_ext4(&r->fsinfo, r->block_size);
	memcpy(r->fsinfo.uuid, r->fs->super->s_uuid, 16);
	r->fsinfo.stable_inodes = ext2fs_has_feature_stable_inodes(r->fs->super);
	*out = r;
	return 0;
}

void ext4r_close(ext4r *r)
{
	if (!r)
		return;
	ext2fs_close_free(&r->fs);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

uint32_t ext4r_block_size(const ext4r *r)
{
	return r->block_size;
}

const struct fscrypt_ext_fs_info *ext4r_fs_info(const ext4r *r)
{
	return &r->fsinfo;
}

bool ext4r_has_keys(const ext4r *r)
{
	return r->keys && r->keys->n;
}

static enum ext4r_type type_of(uint16_t mode)
{
	if (LINUX_S_ISDIR(mode))
		return EXT4R_DIR;
	if (LINUX_S_ISLNK(mode))
		return EXT4R_SYMLINK;
	if (LINUX_S_ISREG(mode))
		return EXT4R_REG;
	return EXT4R_OTHER;
}

/* The stored context (xattr index 9, name "c"), kept raw and parsed; lib errors land in the node. */
static int load_context(ext4r *r, ext4r_node *n)
{
	struct ext2_xattr_handle *h = NULL;
	void *val = NULL;
	size_t len = 0;
	errcode_t e;
	int err;

	ext4r__lock(r);
	e = ext2fs_xattrs_open(r->fs, n->ino, &h);
	if (!e)
		e = ext2fs_xattrs_read(h);
	if (!e)
		e = ext2fs_xattr_get(h, "c", &val, &len);
	if (h)
		ext2fs_xattrs_close(&h);
	ext4r__unlock(r);
	if (e == EXT2_ET_EA_KEY_NOT_FOUND || (!e && !val)) {
		n->ctx_status = EXT4R_ERR_NO_CONTEXT;
		return 0;
	}
	if (e) {
		n->ctx_status = EXT4R_ERR_NO_CONTEXT;
		ext4r_report(r, n->ino, EXT4R_ERR_IO, "cannot read its xattrs: %s", error_message(e));
		return 0;
	}
	n->raw_ctx_len = len;
	memcpy(n->raw_ctx, val, len < sizeof(n->raw_ctx) ? len : sizeof(n->raw_ctx));
	ext2fs_free_mem(&val);
	err = fscrypt_ext_context_parse(n->raw_ctx, len < sizeof(n->raw_ctx) ? len : sizeof(n->raw_ctx), &n->ctx);
	if (!err && len > sizeof(n->raw_ctx))
		err = FSCRYPT_EXT_ERR_OVERSIZED;
	if (!err)
		err = fscrypt_ext_context_validate_dir(&n->ctx, &r->fsinfo,
						       n->casefold && n->type == EXT4R_DIR ? FSCRYPT_EXT_DIR_CASEFOLDED : 0);
	if (err) {
		n->ctx_status = EXT4R_ERR_BAD_CONTEXT;
		n->lib_err = err;
	}
	return 0;
}

static void load_key(ext4r *r, ext4r_node *n)
{
	const fscrypt_ext_master_key *mk = r->keys ? tc_keyset_find(r->keys, &n->ctx) : NULL;
	enum fscrypt_ext_inode_type t;
	int err;

	if (!mk) {
		n->no_key = true;
		return;
	}
	t = n->type == EXT4R_DIR ? FSCRYPT_EXT_INODE_DIR :
	    n->type == EXT4R_SYMLINK ? FSCRYPT_EXT_INODE_SYMLINK : FSCRYPT_EXT_INODE_REG;
	err = fscrypt_ext_inode_open_ex(&n->ctx, mk, t, n->ino, &r->fsinfo,
					n->casefold && n->type == EXT4R_DIR ? FSCRYPT_EXT_OPEN_CASEFOLDED : 0, &n->key_owned);
	if (err) {
		n->key_owned = NULL;
		n->key_err = err;
		ext4r_report(r, n->ino, EXT4R_ERR_DECRYPT, "key setup: %s (%s)", fscrypt_ext_strerror(err),
			     fscrypt_ext_error_name(err));
		return;
	}
	n->key = n->key_owned;
}

int ext4r_node_get(ext4r *r, uint32_t ino, ext4r_node **out)
{
	ext4r_node *n;
	errcode_t e;

	if (!r || !out)
		return EXT4R_ERR_INVALID;
	if (ino == 0 || ino > r->inodes_count) {
		ext4r_report(r, ino, EXT4R_ERR_CORRUPT, "inode number out of range (%u inodes)", r->inodes_count);
		return EXT4R_ERR_CORRUPT;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return EXT4R_ERR_NOMEM;
	n->ino = ino;
	n->refs = 1;
	ext4r__lock(r);
	e = ext2fs_read_inode2(r->fs, ino, (struct ext2_inode *)&n->inode, sizeof(n->inode), 0);
	ext4r__unlock(r);
	if (e) {
		ext4r_report(r, ino, EXT4R_ERR_IO, "cannot read the inode: %s", error_message(e));
		free(n);
		return EXT4R_ERR_IO;
	}
	n->type = type_of(n->inode.i_mode);
	n->size = EXT2_I_SIZE(&n->inode);
	n->encrypted = n->inode.i_flags & EXT4_ENCRYPT_FL;
	n->casefold = n->inode.i_flags & EXT4_CASEFOLD_FL;
	n->inline_data = n->inode.i_flags & EXT4_INLINE_DATA_FL;
	if (n->encrypted) {
		load_context(r, n);
		if (n->ctx_status == 0 && n->type != EXT4R_OTHER)
			load_key(r, n);
	}
	*out = n;
	return 0;
}

int ext4r_root(ext4r *r, ext4r_node **out)
{
	int err = ext4r_node_get(r, EXT2_ROOT_INO, out);

	if (!err && (*out)->type != EXT4R_DIR) {
		ext4r_report(r, EXT2_ROOT_INO, EXT4R_ERR_NOT_DIR, "the root is not a directory");
		ext4r_node_put(*out);
		*out = NULL;
		return EXT4R_ERR_NOT_DIR;
	}
	return err;
}

ext4r_node *ext4r_node_ref(ext4r_node *n)
{
	if (n)
		__atomic_add_fetch(&n->refs, 1, __ATOMIC_RELAXED);
	return n;
}

void ext4r_node_put(ext4r_node *n)
{
	if (!n || __atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fscrypt_ext_inode_free(n->key_owned); /* wipes the derived keys */
	free(n);
}

/* Policies equal as the kernel's fscrypt_policies_equal(): every field of the context but the nonce. */
static bool same_policy(const struct fscrypt_ext_context *a, const struct fscrypt_ext_context *b)
{
	if (a->version != b->version || a->contents_mode != b->contents_mode ||
	    a->filenames_mode != b->filenames_mode || a->flags != b->flags)
		return false;
	if (a->version == FSCRYPT_EXT_CONTEXT_V1)
		return memcmp(a->key_descriptor, b->key_descriptor, sizeof(a->key_descriptor)) == 0;
	return a->log2_data_unit_size == b->log2_data_unit_size && memcmp(a->reserved, b->reserved, sizeof(a->reserved)) == 0 &&
	       memcmp(a->key_identifier, b->key_identifier, sizeof(a->key_identifier)) == 0;
}

int ext4r_permitted(const ext4r_node *parent, const ext4r_node *child)
{
	if (!parent->encrypted || child->type == EXT4R_OTHER)
		return 0;
	if (!child->encrypted)
		return EXT4R_ERR_POLICY_MISMATCH;
	if (parent->ctx_status || child->ctx_status)
		return EXT4R_ERR_POLICY_MISMATCH; /* the kernel cannot compare either, and refuses */
	return same_policy(&parent->ctx, &child->ctx) ? 0 : EXT4R_ERR_POLICY_MISMATCH;
}

/* Walks: an open-addressing set of directory inode numbers. */
struct ext4r_walk {
	uint32_t *slots;
	size_t cap, used;
};

int ext4r_walk_new(ext4r_walk **out)
{
	ext4r_walk *w = calloc(1, sizeof(*w));

	if (!w)
		return EXT4R_ERR_NOMEM;
	w->cap = 256;
	w->slots = calloc(w->cap, sizeof(*w->slots));
	if (!w->slots) {
		free(w);
		return EXT4R_ERR_NOMEM;
	}
	*out = w;
	return 0;
}

void ext4r_walk_free(ext4r_walk *w)
{
	if (!w)
		return;
	free(w->slots);
	free(w);
}

static bool walk_insert(uint32_t *slots, size_t cap, uint32_t ino)
{
	size_t i = (ino * 2654435761u) & (cap - 1);

	while (slots[i]) {
		if (slots[i] == ino)
			return false;
		i = (i + 1) & (cap - 1);
	}
	slots[i] = ino;
	return true;
}

int ext4r_walk_enter(ext4r_walk *w, uint32_t dir_ino, unsigned int depth)
{
	if (depth > EXT4R_MAX_DEPTH)
		return EXT4R_ERR_DEPTH;
	if (dir_ino == 0)
		return EXT4R_ERR_INVALID;
	if (2 * (w->used + 1) > w->cap) {
		size_t cap = w->cap * 2;
		uint32_t *s = calloc(cap, sizeof(*s));

		if (!s)
			return EXT4R_ERR_NOMEM;
		for (size_t i = 0; i < w->cap; i++)
			if (w->slots[i])
				walk_insert(s, cap, w->slots[i]);
		free(w->slots);
		w->slots = s;
		w->cap = cap;
	}
	if (!walk_insert(w->slots, w->cap, dir_ino))
		return EXT4R_ERR_LOOP;
	w->used++;
	return 0;
}
