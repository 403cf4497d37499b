/*
 * The ext4 writer's directories: new directories built block by block (linear,
 * or an htree whose hashes are over the stored, encrypted names), and raw-name
 * lookup and insertion in existing linear directories.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

#define DX_ROOT_COUNT_OFFSET 32 /* ".", "..", then the 8-byte root info */
#define DX_NODE_COUNT_OFFSET 8  /* one empty dirent covering the block */
#define DX_ENTRY_SIZE 8
#define DIRENT_TAIL_SIZE 12

static size_t rec_size(size_t name_len)
{
	return (8 + name_len + 3) & ~(size_t)3;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* Writes a dirent at p (fields in the host order libext2fs's block writer expects). */
static void put_dirent(struct fscrypt_ext__writer *w, uint8_t *p, ext2_ino_t ino, const uint8_t *name, size_t len,
		       int ftype, unsigned int rec_len)
{
	struct ext2_dir_entry *de = (struct ext2_dir_entry *)p;

	de->inode = ino;
	ext2fs_set_rec_len(w->fs, rec_len, de);
	ext2fs_dirent_set_name_len(de, (int)len);
	ext2fs_dirent_set_file_type(de, ext2fs_has_feature_filetype(w->fs->super) ? ftype : 0);
	if (len) /* free records (name NULL, len 0) have no name */
		memcpy(de->name, name, len);
}

/* Fills one leaf block from ents[*pos..]: as many as fit; the last entry takes the slack. */
static void fill_leaf(struct fscrypt_ext__writer *w, uint8_t *blk, const struct fscrypt_ext__wr_dirent *ents,
		      size_t n, size_t *pos, size_t used, uint8_t *last)
{
	unsigned int bs = w->fs->blocksize, cap = bs - (w->csum ? DIRENT_TAIL_SIZE : 0);

	while (*pos < n && used + rec_size(ents[*pos].name_len) <= cap) {
		const struct fscrypt_ext__wr_dirent *e = &ents[*pos];

		last = blk + used;
		put_dirent(w, last, e->ino, e->name, e->name_len, e->file_type, (unsigned int)rec_size(e->name_len));
		used += rec_size(e->name_len);
		(*pos)++;
	}
	/* The last entry (".." in a block with nothing else) takes the slack; an empty block gets a free entry. */
	if (last)
		ext2fs_set_rec_len(w->fs, (unsigned int)(cap - (size_t)(last - blk)), (struct ext2_dir_entry *)last);
	else
		put_dirent(w, blk, 0, NULL, 0, 0, cap);
	if (w->csum)
		ext2fs_initialize_dirent_tail(w->fs, EXT2_DIRENT_TAIL(blk, bs));
}

/* "." and ".." at the start of block 0; returns the bytes used. */
static size_t put_dots(struct fscrypt_ext__writer *w, uint8_t *blk, ext2_ino_t dir, ext2_ino_t parent,
		       unsigned int dotdot_rec_len)
{
	put_dirent(w, blk, dir, (const uint8_t *)".", 1, EXT2_FT_DIR, 12);
	put_dirent(w, blk + 12, parent, (const uint8_t *)"..", 2, EXT2_FT_DIR, dotdot_rec_len);
	return 24;
}

static int cmp_hash(const void *a, const void *b)
{
	const struct fscrypt_ext__wr_dirent *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return 0;
}

/* An index array (root or node) at p: count/limit, then (hash, block) pairs; entry 0's hash is implied. */
static void fill_index(uint8_t *p, unsigned int limit, const uint32_t *hashes, const uint32_t *blocks, size_t count)
{
	put_le16(p, (uint16_t)limit);
	put_le16(p + 2, (uint16_t)count);
	put_le32(p + 4, blocks[0]);
	for (size_t i = 1; i < count; i++) {
		put_le32(p + i * DX_ENTRY_SIZE, hashes[i]);
		put_le32(p + i * DX_ENTRY_SIZE + 4, blocks[i]);
	}
}

/*
 * The htree: block 0 the root, then the index nodes (one level when the root
 * cannot point at every leaf), then the leaves, filled in hash order. A leaf
 * that starts with the same hash the previous one ended with gets bit 0 set
 * in its index entry: the kernel then looks on in the next leaf.
 */
static int build_htree(struct fscrypt_ext__writer *w, ext2_ino_t dir, ext2_ino_t parent,
		       struct fscrypt_ext__wr_dirent *ents, size_t n, uint8_t **out, size_t *nblocks_out)
{
	unsigned int bs = w->fs->blocksize, tail = w->csum ? 1 : 0;
	unsigned int root_limit = (bs - DX_ROOT_COUNT_OFFSET) / DX_ENTRY_SIZE - tail;
	unsigned int node_limit = (bs - DX_NODE_COUNT_OFFSET) / DX_ENTRY_SIZE - tail;
	size_t cap_leaves = n + 1, nleaves = 0, pos = 0, nnodes = 0, per_node = 0, first_leaf;
	uint8_t *leaves = NULL, *blocks = NULL;
	uint32_t *lhash = NULL, *lblock = NULL;
	int ret = -1;

	qsort(ents, n, sizeof(*ents), cmp_hash);
	leaves = calloc(cap_leaves, bs);
	lhash = calloc(cap_leaves, sizeof(*lhash));
	lblock = calloc(cap_leaves + root_limit, sizeof(*lblock));
	if (!leaves || !lhash || !lblock)
		goto out;
	while (pos < n) {
		size_t start = pos;

		fill_leaf(w, leaves + nleaves * bs, ents, n, &pos, 0, NULL);
		lhash[nleaves] = ents[start].hash;
		if (start > 0 && ents[start - 1].hash == ents[start].hash)
			lhash[nleaves] |= 1;
		nleaves++;
	}
	if (nleaves > root_limit) {
		nnodes = (nleaves + node_limit - 1) / node_limit;
		if (nnodes > root_limit) {
			fprintf(stderr, "fscrypt-ext-ext4: import: directory %u: %zu entries need a deeper htree "
				"than this writer builds\n", dir, n);
			goto out;
		}
		per_node = (nleaves + nnodes - 1) / nnodes;
		nnodes = (nleaves + per_node - 1) / per_node;
	}
	first_leaf = 1 + nnodes;
	blocks = calloc(first_leaf + nleaves, bs);
	if (!blocks)
		goto out;
	memcpy(blocks + first_leaf * bs, leaves, nleaves * bs);

	put_dots(w, blocks, dir, parent, bs - 12);
	blocks[24 + 4] = (uint8_t)w->root_hash_version;
	blocks[24 + 5] = 8; /* info_length */
	blocks[24 + 6] = nnodes ? 1 : 0; /* indirect_levels */
	for (size_t i = 0; i < nleaves; i++)
		lblock[i] = (uint32_t)(first_leaf + i);
	if (!nnodes) {
		fill_index(blocks + DX_ROOT_COUNT_OFFSET, root_limit, lhash, lblock, nleaves);
	} else {
		uint32_t *rblock = lblock + cap_leaves; /* root entries: one per node */
		uint32_t *node_hash = calloc(nnodes, sizeof(*node_hash));

		if (!node_hash)
			goto out;
		for (size_t j = 0; j < nnodes; j++) {
			size_t a = j * per_node, cnt = nleaves - a < per_node ? nleaves - a : per_node;
			uint8_t *node = blocks + (1 + j) * bs;

			put_dirent(w, node, 0, NULL, 0, 0, bs);
			fill_index(node + DX_NODE_COUNT_OFFSET, node_limit, lhash + a, lblock + a, cnt);
			node_hash[j] = lhash[a];
			rblock[j] = (uint32_t)(1 + j);
		}
		fill_index(blocks + DX_ROOT_COUNT_OFFSET, root_limit, node_hash, rblock, nnodes);
		free(node_hash);
	}
	*out = blocks;
	*nblocks_out = first_leaf + nleaves;
	blocks = NULL;
	ret = 0;
out:
	free(leaves);
	free(blocks);
	free(lhash);
	free(lblock);
	return ret;
}

/* Linear blocks: "." and "..", then the entries in order. */
static int build_linear(struct fscrypt_ext__writer *w, ext2_ino_t dir, ext2_ino_t parent,
			const struct fscrypt_ext__wr_dirent *ents, size_t n, uint8_t **out, size_t *nblocks_out)
{
	unsigned int bs = w->fs->blocksize;
	size_t pos = 0, nb = 0, maxb = n + 1;
	uint8_t *blocks = calloc(maxb, bs);

	if (!blocks)
		return -1;
	do {
		uint8_t *blk = blocks + nb * bs;

		if (nb == 0)
			fill_leaf(w, blk, ents, n, &pos, put_dots(w, blk, dir, parent, 12), blk + 12);
		else
			fill_leaf(w, blk, ents, n, &pos, 0, NULL);
		nb++;
	} while (pos < n && nb < maxb);
	*out = blocks;
	*nblocks_out = nb;
	return 0;
}

/* Whether "." ".." and every entry fit in one block (then the kernel itself makes the htree later). */
static bool fits_one_block(struct fscrypt_ext__writer *w, const struct fscrypt_ext__wr_dirent *ents, size_t n)
{
	size_t used = 24, cap = w->fs->blocksize - (w->csum ? DIRENT_TAIL_SIZE : 0);

	for (size_t i = 0; i < n && used <= cap; i++)
		used += rec_size(ents[i].name_len);
	return used <= cap;
}

int fscrypt_ext__wr_dir_write(struct fscrypt_ext__writer *w, ext2_ino_t dir, ext2_ino_t parent,
			      struct fscrypt_ext__wr_dirent *ents, size_t n, uint16_t nlink)
{
	unsigned int bs = w->fs->blocksize;
	bool htree = !fits_one_block(w, ents, n) && ext2fs_has_feature_dir_index(w->fs->super);
	uint8_t *blocks = NULL, *raw = NULL;
	size_t nb = 0;
	int ret = -1;

	for (size_t i = 0; htree && i < n; i++) {
		errcode_t e = ext2fs_dirhash2(w->hash_version, (const char *)ents[i].name, ents[i].name_len, NULL, 0,
					      w->fs->super->s_hash_seed, &ents[i].hash, &ents[i].minor);
		if (e)
			return fscrypt_ext__wr_fail(e, "directory hash", dir);
	}
	if (htree ? build_htree(w, dir, parent, ents, n, &blocks, &nb) : build_linear(w, dir, parent, ents, n, &blocks, &nb))
		goto out;
	if (fscrypt_ext__wr_alloc(w, dir, 0, nb))
		goto out;
	for (size_t i = 0; i < nb; i++) {
		blk64_t pblk = 0;
		errcode_t e = ext2fs_bmap2(w->fs, dir, NULL, NULL, 0, i, NULL, &pblk);

		if (!e && !pblk)
			e = EXT2_ET_BLOCK_ALLOC_FAIL;
		if (!e)
			e = ext2fs_write_dir_block4(w->fs, pblk, blocks + i * bs, 0, dir);
		if (e) {
			fscrypt_ext__wr_fail(e, "write directory block", dir);
			goto out;
		}
	}
	raw = malloc(EXT2_INODE_SIZE(w->fs->super));
	if (!raw || fscrypt_ext__wr_read_inode(w, dir, raw))
		goto out;
	{
		struct ext2_inode_large *in = (struct ext2_inode_large *)raw;
		errcode_t e = ext2fs_inode_size_set(w->fs, (struct ext2_inode *)in, (uint64_t)nb * bs);

		if (e) {
			fscrypt_ext__wr_fail(e, "directory size", dir);
			goto out;
		}
		if (htree)
			in->i_flags |= EXT2_INDEX_FL;
		in->i_links_count = nlink;
	}
	ret = fscrypt_ext__wr_write_inode(w, dir, raw);
out:
	free(raw);
	free(blocks);
	return ret;
}

struct add_ctx {
	struct fscrypt_ext__writer *w;
	const uint8_t *name;
	size_t len;
	ext2_ino_t ino;
	int ftype;
	bool done;
};

/* Takes the first entry with room: a free one, or the slack after a used one (split). */
static int add_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset, int blocksize, char *buf,
		    void *priv)
{
	struct add_ctx *c = priv;
	unsigned int rec_len = 0, used, need = (unsigned int)rec_size(c->len);
	(void)dir; (void)blocksize;

	if (entry == DIRENT_DOT_FILE || ext2fs_get_rec_len(c->w->fs, de, &rec_len))
		return 0;
	used = de->inode ? (unsigned int)rec_size((size_t)ext2fs_dirent_name_len(de)) : 0;
	if (rec_len < used + need)
		return 0;
	if (de->inode) {
		ext2fs_set_rec_len(c->w->fs, used, de);
		put_dirent(c->w, (uint8_t *)buf + offset + used, c->ino, c->name, c->len, c->ftype, rec_len - used);
	} else {
		put_dirent(c->w, (uint8_t *)de, c->ino, c->name, c->len, c->ftype, rec_len);
	}
	c->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

int fscrypt_ext__wr_dir_add(struct fscrypt_ext__writer *w, ext2_ino_t dir, const uint8_t *name, size_t len,
			    ext2_ino_t ino, int file_type)
{
	struct add_ctx c = { .w = w, .name = name, .len = len, .ino = ino, .ftype = file_type };

	for (int attempt = 0; attempt < 2; attempt++) {
		errcode_t e = ext2fs_dir_iterate2(w->fs, dir, DIRENT_FLAG_INCLUDE_EMPTY, NULL, add_proc, &c);

		if (e)
			return fscrypt_ext__wr_fail(e, "add directory entry", dir);
		if (c.done)
			return 0;
		if ((e = ext2fs_expand_dir(w->fs, dir)))
			return fscrypt_ext__wr_fail(e, "expand directory", dir);
	}
	return fscrypt_ext__wr_fail(EXT2_ET_DIR_NO_SPACE, "add directory entry", dir);
}
