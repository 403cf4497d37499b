/* ext4 reader: what inodes hold (inline data, block runs, file contents, symlink targets, xattrs), bounded by what was read. */
#include <stdlib.h>
#include <string.h>

#include "reader_int.h"

int ext4r__inline_read(ext4r *r, const ext4r_node *n, uint8_t **buf, size_t *len)
{
	struct ext2_xattr_handle *h = NULL;
	void *val = NULL;
	size_t vlen = 0;
	uint8_t *out;
	errcode_t e;

	ext4r__lock(r);
	e = ext2fs_xattrs_open(r->fs, n->ino, &h);
	if (!e)
		e = ext2fs_xattrs_read(h);
	if (!e) {
		e = ext2fs_xattr_get(h, "system.data", &val, &vlen);
		if (e == EXT2_ET_EA_KEY_NOT_FOUND) {
			e = 0; /* only the 60 bytes of i_block */
			val = NULL;
			vlen = 0;
		}
	}
	if (h)
		ext2fs_xattrs_close(&h);
	ext4r__unlock(r);
	if (e) {
		ext4r_report(r, n->ino, EXT4R_ERR_IO, "inline data: %s", error_message(e));
		return EXT4R_ERR_IO;
	}
	if (vlen > EXT4R_INLINE_MAX - sizeof(n->inode.i_block)) {
		ext2fs_free_mem(&val);
		ext4r_report(r, n->ino, EXT4R_ERR_CORRUPT, "inline data of %zu bytes: too large", vlen);
		return EXT4R_ERR_CORRUPT;
	}
	out = malloc(sizeof(n->inode.i_block) + vlen + 1);
	if (!out) {
		ext2fs_free_mem(&val);
		return EXT4R_ERR_NOMEM;
	}
	memcpy(out, n->inode.i_block, sizeof(n->inode.i_block));
	if (vlen)
		memcpy(out + sizeof(n->inode.i_block), val, vlen);
	ext2fs_free_mem(&val);
	*buf = out;
	*len = sizeof(n->inode.i_block) + vlen;
	return 0;
}

/* Runs are delivered in increasing, non-overlapping order; anything else is a corrupt (or looping) map. */
struct run_state {
	ext4r *r;
	const ext4r_node *n;
	uint64_t end_lblk;  /* ceil(i_size / block size) */
	uint64_t next_lblk; /* runs must start at or after this */
	uint64_t visited;   /* map entries seen: bounded by the filesystem's size, so a looping map ends */
	ext4r_run_cb cb;
	void *priv;
	int ret;
	int err;
};

static int check_run(struct run_state *s, const struct ext4r_run *run)
{
	if (run->pblk < s->r->fs->super->s_first_data_block || run->pblk >= s->r->blocks_count ||
	    run->len > s->r->blocks_count - run->pblk || run->lblk < s->next_lblk) {
		ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT,
			     "block map: logical %llu -> physical %llu (+%llu) is outside the filesystem or out of order",
			     (unsigned long long)run->lblk, (unsigned long long)run->pblk,
			     (unsigned long long)run->len);
		return EXT4R_ERR_CORRUPT;
	}
	s->next_lblk = run->lblk + run->len;
	return 0;
}

/* Clips a run to the file's size and hands it over; the callback runs without the lock. */
static int deliver(struct run_state *s, struct ext4r_run run)
{
	if (run.lblk >= s->end_lblk)
		return 0;
	if (run.len > s->end_lblk - run.lblk)
		run.len = s->end_lblk - run.lblk;
	return s->cb(&run, s->priv);
}

static int runs_extents(struct run_state *s)
{
	ext2_extent_handle_t h = NULL;
	struct ext2fs_extent ex;
	errcode_t e;
	int op = EXT2_EXTENT_ROOT;

	ext4r__lock(s->r);
	e = ext2fs_extent_open2(s->r->fs, s->n->ino, (struct ext2_inode *)&s->n->inode, &h);
	ext4r__unlock(s->r);
	if (e) {
		ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT, "extent tree: %s", error_message(e));
		return EXT4R_ERR_CORRUPT;
	}
	for (;;) {
		struct ext4r_run run;

		ext4r__lock(s->r);
		e = ext2fs_extent_get(h, op, &ex);
		ext4r__unlock(s->r);
		op = EXT2_EXTENT_NEXT;
		if (e == EXT2_ET_EXTENT_NO_NEXT)
			break;
		if (!e && ++s->visited > 4 * s->r->blocks_count + 4096) {
			ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT, "extent tree: more entries than the filesystem holds");
			s->err = EXT4R_ERR_CORRUPT;
			break;
		}
		if (e) {
			ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT, "extent tree: %s", error_message(e));
			s->err = EXT4R_ERR_CORRUPT;
			break;
		}
		if (!(ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) || (ex.e_flags & EXT2_EXTENT_FLAGS_SECOND_VISIT))
			continue;
		if (ex.e_len == 0)
			continue;
		run.lblk = ex.e_lblk;
		run.pblk = ex.e_pblk;
		run.len = ex.e_len;
		run.unwritten = ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT;
		if ((s->err = check_run(s, &run)))
			break;
		if (run.lblk >= s->end_lblk)
			break; /* sorted: nothing further is inside the file */
		if ((s->ret = deliver(s, run)))
			break;
	}
	ext4r__lock(s->r);
	ext2fs_extent_free(h);
	ext4r__unlock(s->r);
	return s->ret ? s->ret : s->err;
}

/*
 * Indirect maps: libext2fs iterates them under our lock, so runs are gathered
 * into an array first (bounded by the filesystem's block count), then handed
 * to the caller unlocked.
 */
struct gather {
	struct run_state *s;
	struct ext4r_run *v;
	size_t n, cap;
	int err;
};

static int gather_block(ext2_filsys fs, blk64_t *blocknr, e2_blkcnt_t blockcnt, blk64_t ref_blk, int ref_offset,
			void *priv)
{
	struct gather *g = priv;
	struct run_state *s = g->s;
	(void)fs; (void)ref_blk; (void)ref_offset;

	if (blockcnt < 0 || *blocknr == 0)
		return 0;
	if ((uint64_t)blockcnt >= s->end_lblk)
		return BLOCK_ABORT;
	if (++s->visited > s->r->blocks_count) {
		g->err = EXT4R_ERR_CORRUPT;
		return BLOCK_ABORT;
	}
	if (g->n && g->v[g->n - 1].lblk + g->v[g->n - 1].len == (uint64_t)blockcnt &&
	    g->v[g->n - 1].pblk + g->v[g->n - 1].len == *blocknr) {
		g->v[g->n - 1].len++;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		struct ext4r_run *nv = realloc(g->v, cap * sizeof(*nv));

		if (!nv) {
			g->err = EXT4R_ERR_NOMEM;
			return BLOCK_ABORT;
		}
		g->v = nv;
		g->cap = cap;
	}
	g->v[g->n++] = (struct ext4r_run){ .lblk = (uint64_t)blockcnt, .pblk = *blocknr, .len = 1 };
	return 0;
}

static int runs_indirect(struct run_state *s)
{
	struct gather g = { .s = s };
	errcode_t e;

	ext4r__lock(s->r);
	e = ext2fs_block_iterate3(s->r->fs, s->n->ino, BLOCK_FLAG_DATA_ONLY | BLOCK_FLAG_READ_ONLY, NULL,
				  gather_block, &g);
	ext4r__unlock(s->r);
	if (!g.err && e) {
		ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT, "block map: %s", error_message(e));
		g.err = EXT4R_ERR_CORRUPT;
	} else if (g.err == EXT4R_ERR_CORRUPT) {
		ext4r_report(s->r, s->n->ino, EXT4R_ERR_CORRUPT, "block map: more blocks than the filesystem has");
	}
	for (size_t i = 0; i < g.n && !g.err; i++) {
		if ((g.err = check_run(s, &g.v[i])))
			break;
		if ((s->ret = deliver(s, g.v[i])))
			break;
	}
	free(g.v);
	return s->ret ? s->ret : g.err;
}

int ext4r_runs(ext4r *r, const ext4r_node *n, ext4r_run_cb cb, void *priv)
{
	struct run_state s = { .r = r, .n = n, .cb = cb, .priv = priv };

	if (n->type != EXT4R_REG && n->type != EXT4R_DIR && n->type != EXT4R_SYMLINK)
		return EXT4R_ERR_WRONG_TYPE;
	if (n->inline_data)
		return 0;
	s.end_lblk = n->size / r->block_size + (n->size % r->block_size != 0);
	if (s.end_lblk == 0)
		return 0;
	if (n->inode.i_flags & EXT4_EXTENTS_FL)
		return runs_extents(&s);
	return runs_indirect(&s);
}
