/* ext4 reader: directories (records checked against their block, names decrypted or no-key), lookup, paths. */
#include <stdlib.h>
#include <string.h>

#include "reader_int.h"

struct dir_ctx {
	ext4r *r;
	const ext4r_node *dir;
	struct ext4r_dirlist *l;
	size_t cap;
	bool hash_in_dirent; /* encrypted + casefolded: an 8-byte hash follows each name */
	bool by_hash;        /* the kernel lists this directory in htree order (no-key names carry the hash) */
	int hash_version;
	bool raw;            /* ext4r_dir_read_raw: stored names only */
};

/*
 * Whether the kernel reads this directory in hash order (ext4's is_dx_dir()):
 * then readdir hands fscrypt each entry's htree hash, which ends up in the
 * no-key name; otherwise it hands zeros.
 */
static bool dir_reads_by_hash(const ext4r *r, const ext4r_node *dir)
{
	if (!ext2fs_has_feature_dir_index(r->fs->super))
		return false;
	return (dir->inode.i_flags & EXT2_INDEX_FL) || dir->size == r->block_size || dir->inline_data;
}

static bool is_dot(const uint8_t *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

static bool bad_name(const char *name, size_t len)
{
	return len == 0 || memchr(name, '/', len) || memchr(name, 0, len);
}

/* Makes the display name of e (raw_name filled in) the way the kernel's readdir would. */
static void make_name(struct dir_ctx *c, struct ext4r_dirent *e)
{
	const ext4r_node *dir = c->dir;
	int err;

	if (e->dot || !dir->encrypted) {
		memcpy(e->name, e->raw_name, e->raw_name_len); /* "." and ".." are never encrypted */
		e->name_len = e->raw_name_len;
		e->kind = EXT4R_NAME_PLAIN;
	} else if (dir->key) {
		size_t out_len = 0;

		err = fscrypt_ext_fname_decrypt(dir->key, e->raw_name, e->raw_name_len, (uint8_t *)e->name,
						sizeof(e->name) - 1, &out_len);
		if (err) {
			e->err = EXT4R_ERR_DECRYPT;
			e->lib_err = err;
			e->kind = EXT4R_NAME_NONE;
			ext4r_wipe(e->name, sizeof(e->name));
			return;
		}
		e->name_len = out_len;
		e->kind = EXT4R_NAME_DECRYPTED;
	} else {
		uint32_t hash = 0, minor = 0;
		size_t out_len = 0;

		if (c->hash_in_dirent) {
			hash = e->hash;
			minor = e->minor_hash;
		} else if (c->by_hash) {
			ext2_dirhash_t h = 0, m = 0;

			if (ext2fs_dirhash2(c->hash_version, (const char *)e->raw_name, (int)e->raw_name_len, NULL, 0,
					    c->r->fs->super->s_hash_seed, &h, &m) == 0) {
				hash = h;
				minor = m;
			}
			e->hash = hash;
			e->minor_hash = minor;
		}
		err = fscrypt_ext_nokey_name_encode(e->raw_name, e->raw_name_len, hash, minor, e->name,
						    sizeof(e->name), &out_len);
		if (err) {
			e->err = EXT4R_ERR_DECRYPT;
			e->lib_err = err;
			e->kind = EXT4R_NAME_NONE;
			e->name[0] = 0;
			return;
		}
		e->name_len = out_len;
		e->kind = EXT4R_NAME_NOKEY;
	}
	e->name[e->name_len] = 0;
	if (bad_name(e->name, e->name_len))
		e->err = EXT4R_ERR_BAD_NAME;
}

static int push(struct dir_ctx *c, struct ext4r_dirent **slot)
{
	struct ext4r_dirlist *l = c->l;

	if (l->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct ext4r_dirent *ne = calloc(cap, sizeof(*ne));

		if (!ne)
			return EXT4R_ERR_NOMEM;
		if (l->n) {
			memcpy(ne, l->ents, l->n * sizeof(*ne));
			ext4r_wipe(l->ents, l->n * sizeof(*ne)); /* decrypted names must not stay in freed memory */
		}
		free(l->ents);
		l->ents = ne;
		c->cap = cap;
	}
	*slot = &l->ents[l->n];
	memset(*slot, 0, sizeof(**slot));
	return 0;
}

/* One entry found by the record parser. */
static int add_entry(struct dir_ctx *c, uint32_t ino, uint8_t ftype, const uint8_t *name, size_t nlen,
		     const uint8_t *hash, uint64_t lblk, uint32_t off)
{
	struct ext4r_dirent *e;
	int err = push(c, &e);

	if (err)
		return err;
	e->ino = ino;
	e->file_type = ftype;
	e->lblk = lblk;
	e->offset = off;
	memcpy(e->raw_name, name, nlen);
	e->raw_name_len = nlen;
	e->dot = is_dot(name, nlen);
	if (hash) {
		e->has_stored_hash = true;
		e->hash = ext4r__le32(hash);
		e->minor_hash = ext4r__le32(hash + 4);
	}
	if (ino > c->r->inodes_count) {
		e->err = EXT4R_ERR_CORRUPT;
		e->kind = EXT4R_NAME_NONE;
	} else if (c->raw && c->dir->encrypted && !e->dot) {
		e->kind = EXT4R_NAME_NONE; /* the caller looks at raw_name */
	} else {
		make_name(c, e);
	}
	if (e->err)
		ext4r_report(c->r, c->dir->ino, e->err, "entry for inode %u (block %llu, offset %u): %s%s%s", ino,
			     (unsigned long long)lblk, off, ext4r_strerror(e->err), e->lib_err ? ": " : "",
			     e->lib_err ? fscrypt_ext_strerror(e->lib_err) : "");
	c->l->n++;
	return 0;
}

/*
 * Parses the records of one directory block (or inline area) of len bytes.
 * Every record must fit the block: rec_len >= 12 (8 + at least one name
 * slot), a multiple of 4, inside the block, holding its name (and, in an
 * encrypted casefolded directory, the 8-byte hash after the padded name).
 * The first bad record ends the block (reported); entries before it are kept.
 */
static int parse_block(struct dir_ctx *c, const uint8_t *buf, size_t len, uint64_t lblk)
{
	bool ftype = ext2fs_has_feature_filetype(c->r->fs->super);
	size_t off = 0;

	while (off + 8 <= len) {
		const uint8_t *p = buf + off;
		uint32_t ino = ext4r__le32(p);
		size_t rec_len = ext4r__le16(p + 4), nlen = p[6], need;
		const uint8_t *hash = NULL;
		int err;

		/* ext4 encodes 65536 as 0 (or 65535) in 64 KiB blocks. */
		if (c->r->block_size >= 65536 && (rec_len == 0 || rec_len == 65535) && len == 65536)
			rec_len = 65536;
		if (!ftype)
			nlen |= (size_t)p[7] << 8;
		need = 8 + nlen;
		if (rec_len < 12 || rec_len % 4 || rec_len > len - off || need > rec_len || nlen > EXT2_NAME_LEN)
			goto corrupt;
		if (ino == 0) { /* unused record, htree node, or checksum tail */
			off += rec_len;
			continue;
		}
		if (nlen == 0)
			goto corrupt;
		if (c->hash_in_dirent && !is_dot(p + 8, nlen)) {
			size_t hoff = 8 + ((nlen + 3) & ~(size_t)3);

			if (hoff + 8 > rec_len)
				goto corrupt;
			hash = p + hoff;
		}
		err = add_entry(c, ino, ftype ? p[7] : 0, p + 8, nlen, hash, lblk, (uint32_t)off);
		if (err)
			return err;
		off += rec_len;
	}
	if (off == len)
		return 0;
corrupt:
	c->l->corrupt++;
	ext4r_report(c->r, c->dir->ino, EXT4R_ERR_CORRUPT, "directory block %llu: bad record at offset %zu",
		     (unsigned long long)lblk, off);
	return 0;
}

static int read_inline_dir(struct dir_ctx *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int err = ext4r__inline_read(c->r, c->dir, &buf, &len);
	static const uint8_t dot[] = ".", dotdot[] = "..";

	if (err)
		return err;
	if (len < 4) {
		free(buf);
		ext4r_report(c->r, c->dir->ino, EXT4R_ERR_CORRUPT, "inline directory shorter than its header");
		return EXT4R_ERR_CORRUPT;
	}
	/* Inline directories store ".." as a bare inode number, and no "." at all. */
	err = add_entry(c, c->dir->ino, EXT2_FT_DIR, dot, 1, NULL, 0, 0);
	if (!err)
		err = add_entry(c, ext4r__le32(buf), EXT2_FT_DIR, dotdot, 2, NULL, 0, 0);
	if (!err)
		err = parse_block(c, buf + 4, (len < 60 ? len : 60) - 4, 0);
	if (!err && len > 60)
		err = parse_block(c, buf + 60, len - 60, 1);
	free(buf);
	return err;
}

struct block_walk {
	struct dir_ctx *c;
	uint8_t *buf;
	int err;
};

static int dir_run(const struct ext4r_run *run, void *priv)
{
	struct block_walk *bw = priv;
	ext4r *r = bw->c->r;

	if (run->unwritten)
		return 0;
	for (uint64_t i = 0; i < run->len; i++) {
		errcode_t e;

		ext4r__lock(r);
		e = ext2fs_read_dir_block4(r->fs, run->pblk + i, bw->buf, 0, bw->c->dir->ino);
		ext4r__unlock(r);
		if (e) {
			bw->c->l->corrupt++;
			ext4r_report(r, bw->c->dir->ino, EXT4R_ERR_CORRUPT, "directory block %llu: %s",
				     (unsigned long long)(run->lblk + i), error_message(e));
			continue;
		}
		bw->err = parse_block(bw->c, bw->buf, r->block_size, run->lblk + i);
		if (bw->err)
			return 1;
	}
	return 0;
}

static int dir_read(ext4r *r, const ext4r_node *dir, struct ext4r_dirlist *out, bool raw)
{
	struct dir_ctx c = { .r = r, .dir = dir, .l = out, .raw = raw };
	int err;

	memset(out, 0, sizeof(*out));
	if (dir->type != EXT4R_DIR)
		return EXT4R_ERR_NOT_DIR;
	if (dir->encrypted && dir->ctx_status && !raw) {
		ext4r_report(r, dir->ino, dir->ctx_status, "directory %s%s%s; its names cannot be read",
			     ext4r_strerror(dir->ctx_status), dir->lib_err ? ": " : "",
			     dir->lib_err ? fscrypt_ext_strerror(dir->lib_err) : "");
		return dir->ctx_status;
	}
	c.hash_in_dirent = dir->encrypted && dir->casefold;
	c.by_hash = dir_reads_by_hash(r, dir);
	c.hash_version = r->fs->super->s_def_hash_version;
	if (c.hash_version <= EXT2_HASH_TEA && (r->fs->super->s_flags & EXT2_FLAGS_UNSIGNED_HASH))
		c.hash_version += EXT2_HASH_LEGACY_UNSIGNED;
	if (dir->inline_data) {
		err = read_inline_dir(&c);
	} else {
		struct block_walk bw = { .c = &c, .buf = malloc(r->block_size) };

		if (!bw.buf)
			return EXT4R_ERR_NOMEM;
		err = ext4r_runs(r, dir, dir_run, &bw);
		if (bw.err)
			err = bw.err;
		else if (err == EXT4R_ERR_CORRUPT) /* reported; keep what was read */
			err = 0;
		free(bw.buf);
	}
	if (err)
		ext4r_dirlist_free(out);
	return err;
}

int ext4r_dir_read(ext4r *r, const ext4r_node *dir, struct ext4r_dirlist *out)
{
	return dir_read(r, dir, out, false);
}

int ext4r_dir_read_raw(ext4r *r, const ext4r_node *dir, struct ext4r_dirlist *out)
{
	return dir_read(r, dir, out, true);
}

void ext4r_dirlist_free(struct ext4r_dirlist *l)
{
	if (!l)
		return;
	ext4r_wipe(l->ents, l->n * sizeof(*l->ents));
	free(l->ents);
	memset(l, 0, sizeof(*l));
}

int ext4r_lookup(ext4r *r, const ext4r_node *dir, const char *name, size_t name_len, ext4r_node **out)
{
	struct ext4r_dirlist l;
	size_t i;
	int err;

	if (dir->type != EXT4R_DIR)
		return EXT4R_ERR_NOT_DIR;
	err = ext4r_dir_read(r, dir, &l);
	if (err)
		return err;
	for (i = 0; i < l.n; i++)
		if (!l.ents[i].err && l.ents[i].name_len == name_len && memcmp(l.ents[i].name, name, name_len) == 0)
			break;
	if (i == l.n) {
		ext4r_dirlist_free(&l);
		return EXT4R_ERR_NOT_FOUND;
	}
	err = ext4r_node_get(r, l.ents[i].ino, out);
	ext4r_dirlist_free(&l);
	if (err)
		return err;
	err = ext4r_permitted(dir, *out);
	if (err) {
		ext4r_report(r, (*out)->ino, err, "in directory inode %u: %s", dir->ino, ext4r_strerror(err));
		ext4r_node_put(*out);
		*out = NULL;
	}
	return err;
}

int ext4r_resolve(ext4r *r, const char *path, ext4r_node **out, ext4r_node **parent)
{
	ext4r_node *cur = NULL, *par = NULL;
	unsigned int depth = 0;
	const char *p = path;
	int err = ext4r_root(r, &cur);

	if (err)
		return err;
	par = ext4r_node_ref(cur);
	while (*p) {
		const char *end;
		ext4r_node *next = NULL;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		if (!(end - p == 1 && p[0] == '.')) {
			if (++depth > EXT4R_MAX_DEPTH) {
				err = EXT4R_ERR_DEPTH;
				break;
			}
			err = ext4r_lookup(r, cur, p, (size_t)(end - p), &next);
			if (err)
				break;
			ext4r_node_put(par);
			par = cur;
			cur = next;
		}
		p = end;
	}
	if (err) {
		ext4r_node_put(cur);
		ext4r_node_put(par);
		return err;
	}
	*out = cur;
	if (parent)
		*parent = par;
	else
		ext4r_node_put(par);
	return 0;
}
