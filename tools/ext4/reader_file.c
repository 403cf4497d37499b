/* ext4 reader: file contents by byte range or by block run, symlink targets, xattrs, all with lengths from what was read. */
#include <stdlib.h>
#include <string.h>

#include "reader_int.h"

/* Whether n's data may be handed out: unencrypted, or encrypted with a usable context and its key. */
static int contents_allowed(const ext4r_node *n)
{
	if (!n->encrypted)
		return 0;
	if (n->ctx_status)
		return n->ctx_status;
	if (!n->key)
		return n->key_err ? EXT4R_ERR_DECRYPT : EXT4R_ERR_NO_KEY;
	return 0;
}

int ext4r_read_blocks(ext4r *r, const ext4r_node *n, uint64_t lblk, uint64_t pblk, size_t count, void *buf)
{
	size_t bs = r->block_size;
	errcode_t e;
	int err;

	if (n->type != EXT4R_REG)
		return EXT4R_ERR_WRONG_TYPE;
	if ((err = contents_allowed(n)))
		return err;
	if (count == 0 || count > (1u << 30) / bs || pblk >= r->blocks_count || count > r->blocks_count - pblk)
		return EXT4R_ERR_INVALID;
	ext4r__lock(r);
	e = io_channel_read_blk64(r->fs->io, pblk, (int)count, buf);
	ext4r__unlock(r);
	if (e) {
		ext4r_report(r, n->ino, EXT4R_ERR_IO, "reading block %llu: %s", (unsigned long long)pblk, error_message(e));
		return EXT4R_ERR_IO;
	}
	if (n->key) {
		err = fscrypt_ext_decrypt_data_units(n->key, lblk * bs, buf, buf, count * bs);
		if (err) {
			ext4r_wipe(buf, count * bs);
			ext4r_report(r, n->ino, EXT4R_ERR_DECRYPT, "block %llu: %s", (unsigned long long)lblk,
				     fscrypt_ext_strerror(err));
			return EXT4R_ERR_DECRYPT;
		}
	}
	return 0;
}

static int read_inline_range(ext4r *r, const ext4r_node *n, uint64_t off, uint8_t *out, size_t len)
{
	uint8_t *buf = NULL;
	size_t avail = 0;
	int err;

	if (n->encrypted) {
		ext4r_report(r, n->ino, EXT4R_ERR_UNSUPPORTED, "encrypted inline data is not supported");
		return EXT4R_ERR_UNSUPPORTED;
	}
	if ((err = ext4r__inline_read(r, n, &buf, &avail)))
		return err;
	if (n->size > avail) {
		free(buf);
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "size %llu but only %zu bytes of inline data",
			     (unsigned long long)n->size, avail);
		return EXT4R_ERR_CORRUPT;
	}
	memcpy(out, buf + off, len);
	free(buf);
	return 0;
}

/* One block's worth of the range: zeros for a hole, else read and decrypt only the data units touched. */
static int read_in_block(ext4r *r, const ext4r_node *n, uint64_t lblk, size_t from, size_t to, uint8_t *blk,
			 uint8_t *out)
{
	size_t bs = r->block_size, du = n->key ? fscrypt_ext_inode_data_unit_size(n->key) : bs;
	blk64_t pblk = 0;
	int flags = 0, err;
	errcode_t e;

	ext4r__lock(r);
	e = ext2fs_bmap2(r->fs, n->ino, (struct ext2_inode *)&n->inode, NULL, 0, lblk, &flags, &pblk);
	ext4r__unlock(r);
	if (e) {
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "block %llu: %s", (unsigned long long)lblk, error_message(e));
		return EXT4R_ERR_CORRUPT;
	}
	if (pblk == 0 || (flags & BMAP_RET_UNINIT)) {
		memset(out, 0, to - from); /* holes and unwritten extents were never encrypted: zeros */
		return 0;
	}
	if (pblk >= r->blocks_count) {
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "block %llu maps outside the filesystem",
			     (unsigned long long)lblk);
		return EXT4R_ERR_CORRUPT;
	}
	ext4r__lock(r);
	e = io_channel_read_blk64(r->fs->io, pblk, 1, blk);
	ext4r__unlock(r);
	if (e) {
		ext4r_report(r, n->ino, EXT4R_ERR_IO, "reading block %llu: %s", (unsigned long long)pblk, error_message(e));
		return EXT4R_ERR_IO;
	}
	if (n->key) {
		size_t a = from / du * du, b = (to + du - 1) / du * du;

		err = fscrypt_ext_decrypt_data_units(n->key, lblk * bs + a, blk + a, blk + a, b - a);
		if (err) {
			ext4r_report(r, n->ino, EXT4R_ERR_DECRYPT, "block %llu: %s", (unsigned long long)lblk,
				     fscrypt_ext_strerror(err));
			return EXT4R_ERR_DECRYPT;
		}
	}
	memcpy(out, blk + from, to - from);
	return 0;
}

int ext4r_read(ext4r *r, const ext4r_node *n, uint64_t off, void *buf, size_t len, size_t *got)
{
	size_t bs = r->block_size, done = 0;
	uint8_t *blk;
	int err;

	*got = 0;
	if (n->type != EXT4R_REG)
		return EXT4R_ERR_WRONG_TYPE;
	if ((err = contents_allowed(n)))
		return err;
	if (off >= n->size || len == 0)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	if (n->inline_data) {
		err = read_inline_range(r, n, off, buf, len);
		if (!err)
			*got = len;
		return err;
	}
	blk = malloc(bs);
	if (!blk)
		return EXT4R_ERR_NOMEM;
	while (done < len) {
		uint64_t pos = off + done, lblk = pos / bs;
		size_t from = (size_t)(pos % bs), to = from + (len - done < bs - from ? len - done : bs - from);

		err = read_in_block(r, n, lblk, from, to, blk, (uint8_t *)buf + done);
		if (err)
			break;
		done += to - from;
	}
	ext4r_wipe(blk, bs);
	free(blk);
	*got = done;
	return err;
}

/* The stored bytes of a symlink and how many are really there (avail); the stored size must fit them. */
static int symlink_stored(ext4r *r, const ext4r_node *n, uint8_t **raw, size_t *avail)
{
	size_t bs = r->block_size;
	uint8_t *buf;
	errcode_t e;

	if (n->inline_data)
		return ext4r__inline_read(r, n, raw, avail);
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&n->inode) ||
	    (n->size < sizeof(n->inode.i_block) && ext2fs_inode_data_blocks2(r->fs, (struct ext2_inode *)&n->inode) == 0)) {
		buf = malloc(sizeof(n->inode.i_block));
		if (!buf)
			return EXT4R_ERR_NOMEM;
		memcpy(buf, n->inode.i_block, sizeof(n->inode.i_block));
		*raw = buf;
		*avail = sizeof(n->inode.i_block);
		return 0;
	}
	buf = malloc(bs);
	if (!buf)
		return EXT4R_ERR_NOMEM;
	{
		blk64_t pblk = 0;

		ext4r__lock(r);
		e = ext2fs_bmap2(r->fs, n->ino, (struct ext2_inode *)&n->inode, NULL, 0, 0, NULL, &pblk);
		if (!e && pblk && pblk < r->blocks_count)
			e = io_channel_read_blk64(r->fs->io, pblk, 1, buf);
		ext4r__unlock(r);
		if (e || !pblk || pblk >= r->blocks_count) {
			free(buf);
			ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "symlink block: %s",
				     e ? error_message(e) : "not mapped inside the filesystem");
			return EXT4R_ERR_CORRUPT;
		}
	}
	*raw = buf;
	*avail = bs;
	return 0;
}

int ext4r_symlink_raw(ext4r *r, const ext4r_node *n, uint8_t **out, size_t *len)
{
	uint8_t *raw = NULL;
	size_t avail = 0;
	int err;

	if (n->type != EXT4R_SYMLINK)
		return EXT4R_ERR_WRONG_TYPE;
	if ((err = symlink_stored(r, n, &raw, &avail)))
		return err;
	if (n->size == 0 || n->size > avail || n->size > r->block_size) {
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "symlink size %llu but %zu bytes stored",
			     (unsigned long long)n->size, avail);
		free(raw);
		return EXT4R_ERR_CORRUPT;
	}
	*out = raw;
	*len = (size_t)n->size;
	return 0;
}

int ext4r_readlink(ext4r *r, const ext4r_node *n, char *out, size_t cap, size_t *len, bool *nokey)
{
	uint8_t *raw = NULL;
	size_t avail = 0, size, out_len = 0;
	int err, lerr = 0;

	if (nokey)
		*nokey = false;
	if (n->type != EXT4R_SYMLINK)
		return EXT4R_ERR_WRONG_TYPE;
	if (cap < 2)
		return EXT4R_ERR_INVALID;
	if (n->encrypted && n->ctx_status)
		return n->ctx_status;
	if ((err = symlink_stored(r, n, &raw, &avail)))
		return err;
	/* i_size says how much of what is stored is the target: it must fit, and fit a block. */
	if (n->size == 0 || n->size > avail || n->size > r->block_size) {
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "symlink size %llu but %zu bytes stored",
			     (unsigned long long)n->size, avail);
		err = EXT4R_ERR_CORRUPT;
		goto out;
	}
	size = (size_t)n->size;
	if (!n->encrypted) {
		out_len = strnlen((const char *)raw, size);
		if (out_len == 0) {
			err = EXT4R_ERR_CORRUPT;
		} else if (out_len >= cap) {
			err = EXT4R_ERR_TOO_BIG;
		} else {
			memcpy(out, raw, out_len);
		}
	} else if (n->key) {
		lerr = fscrypt_ext_symlink_decrypt(n->key, raw, size, (uint8_t *)out, cap - 1, &out_len);
		if (lerr)
			err = lerr == FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL ? EXT4R_ERR_TOO_BIG : EXT4R_ERR_DECRYPT;
	} else {
		/* No key: the kernel shows the no-key form of the stored ciphertext (le16 length, then bytes). */
		size_t ct_len = size >= 2 ? ext4r__le16(raw) : 0;

		if (size < 2 || ct_len > size - 2) {
			err = EXT4R_ERR_CORRUPT;
		} else if (ct_len > FSCRYPT_EXT_NAME_MAX) {
			/*
			 * The kernel shows long targets in the SHA-256 no-key form; the library
			 * encodes names up to NAME_MAX only. Not damage: just not shown.
			 */
			ext4r_wipe(raw, avail);
			free(raw);
			return EXT4R_ERR_NO_KEY;
		} else {
			lerr = fscrypt_ext_nokey_name_encode(raw + 2, ct_len, 0, 0, out, cap, &out_len);
			if (lerr)
				err = lerr == FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL ? EXT4R_ERR_TOO_BIG : EXT4R_ERR_DECRYPT;
			else if (nokey)
				*nokey = true;
		}
	}
	if (err) {
		ext4r_wipe(out, cap);
		ext4r_report(r, n->ino, err, "symlink target: %s%s%s", ext4r_strerror(err), lerr ? ": " : "",
			     lerr ? fscrypt_ext_strerror(lerr) : "");
		goto out;
	}
	out[out_len] = 0;
	*len = out_len;
out:
	ext4r_wipe(raw, avail);
	free(raw);
	return err;
}

struct xattr_gather {
	struct ext4r_xattrs *x;
	size_t cap;
	int err;
};

static int xattr_one(char *name, char *value, size_t value_len, void *priv)
{
	struct xattr_gather *g = priv;
	struct ext4r_xattr *a;

	if (g->x->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 8;
		struct ext4r_xattr *nv = realloc(g->x->v, cap * sizeof(*nv));

		if (!nv) {
			g->err = EXT4R_ERR_NOMEM;
			return XATTR_ABORT;
		}
		g->x->v = nv;
		g->cap = cap;
	}
	a = &g->x->v[g->x->n];
	a->name = strdup(name);
	a->value = malloc(value_len ? value_len : 1);
	a->value_len = value_len;
	if (!a->name || !a->value) {
		free(a->name);
		free(a->value);
		g->err = EXT4R_ERR_NOMEM;
		return XATTR_ABORT;
	}
	if (value_len)
		memcpy(a->value, value, value_len);
	g->x->n++;
	return 0;
}

int ext4r_xattrs_read(ext4r *r, const ext4r_node *n, struct ext4r_xattrs *out)
{
	struct xattr_gather g = { .x = out };
	struct ext2_xattr_handle *h = NULL;
	errcode_t e;

	memset(out, 0, sizeof(*out));
	ext4r__lock(r);
	e = ext2fs_xattrs_open(r->fs, n->ino, &h);
	if (!e)
		e = ext2fs_xattrs_read(h);
	if (!e)
		e = ext2fs_xattrs_iterate(h, xattr_one, &g);
	if (h)
		ext2fs_xattrs_close(&h);
	ext4r__unlock(r);
	if (g.err || e) {
		ext4r_xattrs_free(out);
		if (g.err)
			return g.err;
		ext4r_report(r, n->ino, EXT4R_ERR_IO, "xattrs: %s", error_message(e));
		return EXT4R_ERR_IO;
	}
	return 0;
}

void ext4r_xattrs_free(struct ext4r_xattrs *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].name);
		free(x->v[i].value);
	}
	free(x->v);
	memset(x, 0, sizeof(*x));
}
