/*
 * fscrypt-ext-ext4 import: checks the image and the destination, decides the
 * policy (given, or inherited from an encrypted parent), writes the tree and
 * links it in last; a failure frees what was written, so nothing half-done is
 * reachable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writer.h"

/* Context (8) + entry (20) + end marker (4) + value (40) after i_extra_isize (32): a 256-byte inode or more. */
#define MIN_INODE_SIZE (EXT2_GOOD_OLD_INODE_SIZE + 32 + 4 + 20 + 4 + FSCRYPT_EXT_CONTEXT_MAX_SIZE)
#define CHUNK_BYTES (1u << 20)

/* A directory on the way to DEST, with its key when it is encrypted. */
struct dirnode {
	ext2_ino_t ino;
	struct ext2_inode_large inode;
	bool encrypted;
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *key;
};

static void usage(void)
{
	fprintf(stderr, "usage: fscrypt-ext-ext4 IMAGE --keys KEYS.json import SRC DEST [--policy TEXT]\n"
			"  DEST must not exist; its parent must. Under an unencrypted parent --policy gives DEST's\n"
			"  policy (e.g. \"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32 key=<id>\");\n"
			"  under an encrypted one DEST inherits the parent's policy.\n");
}

static const fscrypt_ext_master_key *find_key(const struct fscrypt_ext__import_key *keys, size_t nkeys,
					      const struct fscrypt_ext_policy *p)
{
	for (size_t i = 0; i < nkeys; i++) {
		if (p->version == FSCRYPT_EXT_POLICY_V2 && !memcmp(p->key_identifier, keys[i].id, sizeof(keys[i].id)))
			return keys[i].mk;
		if (p->version == FSCRYPT_EXT_POLICY_V1 && !memcmp(p->key_descriptor, keys[i].desc, sizeof(keys[i].desc)))
			return keys[i].mk;
	}
	return NULL;
}

/* Reads a directory inode and, when encrypted, its context (libext2fs reads index 9 "c" by its bare name). */
static int load_dir(struct fscrypt_ext__writer *w, ext2_ino_t ino, struct dirnode *d)
{
	struct ext2_xattr_handle *h = NULL;
	void *val = NULL;
	size_t len = 0;
	errcode_t e;
	int err;

	memset(d, 0, sizeof(*d));
	d->ino = ino;
	if ((e = ext2fs_read_inode2(w->fs, ino, (struct ext2_inode *)&d->inode, sizeof(d->inode), 0)))
		return fscrypt_ext__wr_fail(e, "read inode", ino);
	if (!LINUX_S_ISDIR(d->inode.i_mode)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: inode %u on the way to DEST is not a directory\n", ino);
		return -1;
	}
	if (!(d->inode.i_flags & EXT4_ENCRYPT_FL))
		return 0;
	d->encrypted = true;
	if ((e = ext2fs_xattrs_open(w->fs, ino, &h)) || (e = ext2fs_xattrs_read(h)) ||
	    (e = ext2fs_xattr_get(h, "c", &val, &len))) {
		if (h)
			ext2fs_xattrs_close(&h);
		return fscrypt_ext__wr_fail(e, "encryption context", ino);
	}
	err = fscrypt_ext_context_parse(val, len, &d->ctx);
	ext2fs_free_mem(&val);
	ext2fs_xattrs_close(&h);
	if (!err)
		err = fscrypt_ext_context_validate(&d->ctx, &w->fsinfo);
	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: import: inode %u: context: %s\n", ino, fscrypt_ext_strerror(err));
		return -1;
	}
	return 0;
}

/* Opens the key of an encrypted directory on the way (needed to find or add names in it). */
static int dir_key(struct fscrypt_ext__writer *w, const struct fscrypt_ext__import_key *keys, size_t nkeys,
		   struct dirnode *d)
{
	struct fscrypt_ext_policy p;
	const fscrypt_ext_master_key *mk;
	int err = fscrypt_ext_context_to_policy(&d->ctx, &p);

	if (err || !(mk = find_key(keys, nkeys, &p))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: directory inode %u is encrypted with a key not in --keys\n",
			d->ino);
		return -1;
	}
	err = fscrypt_ext_inode_open(&d->ctx, mk, FSCRYPT_EXT_INODE_DIR, d->ino, &w->fsinfo, &d->key);
	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: import: directory inode %u: %s\n", d->ino, fscrypt_ext_strerror(err));
		return -1;
	}
	return 0;
}

/* Looks name up in d: plain names in plain directories, the ciphertext in encrypted ones. */
static int lookup(struct fscrypt_ext__writer *w, struct dirnode *d, const char *name, uint8_t *stored,
		  size_t *stored_len, ext2_ino_t *ino, bool *found)
{
	size_t len = strlen(name);
	int err;

	if (len == 0 || len > EXT2_NAME_LEN) {
		fprintf(stderr, "fscrypt-ext-ext4: import: bad name length %zu\n", len);
		return -1;
	}
	if (!d->encrypted) {
		memcpy(stored, name, len);
		*stored_len = len;
	} else if ((err = fscrypt_ext_fname_encrypt(d->key, (const uint8_t *)name, len, stored, EXT2_NAME_LEN,
						    stored_len))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: name %s: %s\n", name, fscrypt_ext_strerror(err));
		return -1;
	}
	return fscrypt_ext__wr_dir_lookup(w, d->ino, stored, *stored_len, ino, found);
}

/* Walks DEST's parent path from the root; *d is the parent, *last DEST's own name (in path). */
static int resolve_parent(struct fscrypt_ext__writer *w, const struct fscrypt_ext__import_key *keys, size_t nkeys,
			  char *path, struct dirnode *d, char **last)
{
	char *save = NULL, *comp, *next;
	uint8_t stored[EXT2_NAME_LEN];
	size_t slen;

	if (load_dir(w, EXT2_ROOT_INO, d) || (d->encrypted && dir_key(w, keys, nkeys, d)))
		return -1;
	comp = strtok_r(path, "/", &save);
	if (!comp) {
		fprintf(stderr, "fscrypt-ext-ext4: import: DEST must name a new directory entry, not /\n");
		return -1;
	}
	while ((next = strtok_r(NULL, "/", &save))) {
		ext2_ino_t ino;
		bool found;

		if (lookup(w, d, comp, stored, &slen, &ino, &found))
			return -1;
		if (!found) {
			fprintf(stderr, "fscrypt-ext-ext4: import: %s: no such directory in the image\n", comp);
			return -1;
		}
		fscrypt_ext_inode_free(d->key);
		if (load_dir(w, ino, d) || (d->encrypted && dir_key(w, keys, nkeys, d)))
			return -1;
		comp = next;
	}
	*last = comp;
	return 0;
}

/* DEST's policy: the parent's (a different --policy is refused) or the given one under a plain parent. */
static int decide_policy(struct fscrypt_ext__writer *w, const struct fscrypt_ext__import_key *keys, size_t nkeys,
			 const struct dirnode *parent, const char *policy_text, struct fscrypt_ext_context *tmpl)
{
	struct fscrypt_ext_policy p, given;
	char text[256];
	int err;

	if (policy_text && (err = fscrypt_ext_policy_from_text(policy_text, &given))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: --policy: %s\n", fscrypt_ext_strerror(err));
		return 2;
	}
	if (parent->encrypted) {
		if ((err = fscrypt_ext_context_to_policy(&parent->ctx, &p)))
			return 1;
		if (policy_text && memcmp(&p, &given, sizeof(p))) {
			if (fscrypt_ext_policy_to_text(&p, text, sizeof(text)))
				text[0] = 0;
			fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory is encrypted with another policy (%s);"
				" DEST inherits it\n", text);
			return 2;
		}
	} else if (!policy_text) {
		fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory is not encrypted: give --policy\n");
		return 2;
	} else {
		p = given;
	}
	if ((err = fscrypt_ext_policy_validate(&p, &w->fsinfo))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: policy refused for this filesystem: %s%s\n",
			fscrypt_ext_strerror(err),
			(p.flags & (FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)) && !w->fsinfo.stable_inodes
				? " (IV_INO_LBLK_* needs the stable_inodes feature: tune2fs -O stable_inodes)"
				: "");
		return 2;
	}
	if (!(w->mk = find_key(keys, nkeys, &p))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: the policy's key is not in --keys\n");
		return 2;
	}
	/* A template parent context: every inode written gets this policy with its own nonce. */
	if ((err = fscrypt_ext_context_new(&p, &w->fsinfo, tmpl))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s\n", fscrypt_ext_strerror(err));
		return 1;
	}
	return 0;
}

/* Refusals that need nothing but the superblock. */
static int check_image(struct fscrypt_ext__writer *w, const char *image)
{
	struct ext2_super_block *sb = w->fs->super;

	if (!ext2fs_has_feature_encrypt(sb)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s has no encrypt feature; enable it first with "
			"`tune2fs -O encrypt %s`\n", image, image);
		return 2;
	}
	if (ext2fs_has_feature_journal_needs_recovery(sb)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s has a journal to replay; run e2fsck first\n", image);
		return 2;
	}
	if (EXT2_INODE_SIZE(sb) < MIN_INODE_SIZE) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s has %u-byte inodes: no room for the encryption context "
			"inside the inode (this writer needs 256 bytes or more: mkfs.ext4 -I 256)\n", image,
			EXT2_INODE_SIZE(sb));
		return 2;
	}
	return 0;
}

/* Links DEST into its parent (the last write) and counts the new ".." in the parent. */
static int link_dest(struct fscrypt_ext__writer *w, struct dirnode *parent, const char *name, const uint8_t *stored,
		     size_t slen, ext2_ino_t ino, uint8_t ftype)
{
	errcode_t e;

	if (parent->encrypted) {
		if (fscrypt_ext__wr_dir_add(w, parent->ino, stored, slen, ino, ftype))
			return -1;
	} else {
		e = ext2fs_link(w->fs, parent->ino, name, ino, ftype);
		if (e == EXT2_ET_DIR_NO_SPACE && !(e = ext2fs_expand_dir(w->fs, parent->ino)))
			e = ext2fs_link(w->fs, parent->ino, name, ino, ftype);
		if (e)
			return fscrypt_ext__wr_fail(e, "link DEST", parent->ino);
	}
	if (ftype == EXT2_FT_DIR) {
		struct ext2_inode_large in;

		if (!ext2fs_read_inode2(w->fs, parent->ino, (struct ext2_inode *)&in, sizeof(in), 0)) {
			if (in.i_links_count > 1 && in.i_links_count < EXT2_LINK_MAX)
				in.i_links_count++;
			if ((e = ext2fs_write_inode2(w->fs, parent->ino, (struct ext2_inode *)&in, sizeof(in), 0)))
				fscrypt_ext__wr_fail(e, "parent link count", parent->ino);
		}
	}
	return 0;
}

static int run(struct fscrypt_ext__writer *w, const char *image, const struct fscrypt_ext__import_key *keys,
	       size_t nkeys, const char *src, char *dest, const char *policy_text)
{
	struct dirnode parent = { 0 };
	struct fscrypt_ext_context tmpl;
	uint8_t stored[EXT2_NAME_LEN];
	size_t slen;
	char *name;
	ext2_ino_t ino, existing;
	uint8_t ftype;
	bool found;
	struct timespec t0, t1;
	int ret, r;

	if ((ret = check_image(w, image)))
		return ret;
	if (resolve_parent(w, keys, nkeys, dest, &parent, &name)) {
		ret = 2;
		goto out;
	}
	if ((parent.inode.i_flags & EXT4_CASEFOLD_FL)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory is casefolded; not supported\n");
		ret = 2;
		goto out;
	}
	if (parent.encrypted && (parent.inode.i_flags & EXT2_INDEX_FL)) {
		/* ext2fs_link() takes C strings and ciphertext names may hold zero bytes. */
		fprintf(stderr, "fscrypt-ext-ext4: import: the encrypted parent directory is hash-indexed; this writer "
			"adds entries only to linear encrypted directories (import into a new directory instead)\n");
		ret = 2;
		goto out;
	}
	if ((ret = decide_policy(w, keys, nkeys, &parent, policy_text, &tmpl)) != 0)
		goto out;
	if (parent.encrypted)
		tmpl = parent.ctx;
	if (lookup(w, &parent, name, stored, &slen, &existing, &found)) {
		ret = 1;
		goto out;
	}
	if (found) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s already exists in the image\n", name);
		ret = 2;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fscrypt_ext__wr_import_node(w, AT_FDCWD, src, parent.ino, &tmpl, &ino, &ftype);
	if (r || link_dest(w, &parent, name, stored, slen, ino, ftype)) {
		size_t freed = fscrypt_ext__wr_rollback(w);

		fprintf(stderr, "fscrypt-ext-ext4: import failed: nothing was linked into the image; the %zu inodes "
			"written so far were freed again\n", freed);
		ret = 1;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	{
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		printf("imported %llu files, %llu directories, %llu symlinks, %llu extra hard links (%llu skipped); "
		       "%llu bytes of file data in %.3f s (%.1f MB/s)\n",
		       (unsigned long long)w->files, (unsigned long long)w->dirs, (unsigned long long)w->symlinks,
		       (unsigned long long)w->hardlinks, (unsigned long long)w->skipped,
		       (unsigned long long)w->data_bytes, s, s > 0 ? (double)w->data_bytes / s / 1e6 : 0.0);
	}
	ret = 0;
out:
	fscrypt_ext_inode_free(parent.key);
	return ret;
}

int fscrypt_ext__ext4_import(const char *image, const struct fscrypt_ext__import_key *keys, size_t nkeys,
			     int argc, char **argv)
{
	struct fscrypt_ext__writer w = { 0 };
	const char *policy_text = NULL, *pos[2] = { NULL, NULL };
	char *dest;
	int npos = 0, mflags = 0, ret;
	errcode_t e;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			policy_text = argv[++i];
		else if (!strncmp(argv[i], "--policy=", 9))
			policy_text = argv[i] + 9;
		else if (npos < 2)
			pos[npos++] = argv[i];
		else
			npos = 3;
	}
	if (npos != 2) {
		usage();
		return 2;
	}
	if ((e = ext2fs_check_if_mounted(image, &mflags)) == 0 && (mflags & EXT2_MF_MOUNTED)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s is mounted; unmount it first (writing under a mounted "
			"filesystem would corrupt it)\n", image);
		return 2;
	}
	e = ext2fs_open2(image, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &w.fs);
	if (e) {
		fprintf(stderr, "fscrypt-ext-ext4: %s: %s\n", image, error_message(e));
		return 2;
	}
	if ((e = ext2fs_read_bitmaps(w.fs))) {
		fprintf(stderr, "fscrypt-ext-ext4: %s: bitmaps: %s\n", image, error_message(e));
		ext2fs_close_free(&w.fs);
		return 1;
	}
	fscrypt_ext_fs_info_ext4(&w.fsinfo, w.fs->blocksize);
	memcpy(w.fsinfo.uuid, w.fs->super->s_uuid, sizeof(w.fsinfo.uuid));
	w.fsinfo.stable_inodes = ext2fs_has_feature_stable_inodes(w.fs->super);
	w.extents = ext2fs_has_feature_extents(w.fs->super);
	w.csum = ext2fs_has_feature_metadata_csum(w.fs->super);
	w.root_hash_version = w.fs->super->s_def_hash_version;
	w.hash_version = w.root_hash_version;
	if (w.hash_version <= EXT2_HASH_TEA && (w.fs->super->s_flags & EXT2_FLAGS_UNSIGNED_HASH))
		w.hash_version += EXT2_HASH_LEGACY_UNSIGNED;
	w.buf_blocks = CHUNK_BYTES / w.fs->blocksize;
	w.buf = malloc(CHUNK_BYTES);
	dest = strdup(pos[1]);
	if (!w.buf || !dest) {
		ret = 1;
	} else {
		ret = run(&w, image, keys, nkeys, pos[0], dest, policy_text);
	}
	free(dest);
	free(w.buf);
	free(w.created);
	free(w.links);
	/* Writes the bitmaps, group descriptors and superblock, and flushes the image. */
	if ((e = ext2fs_close_free(&w.fs))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: closing %s: %s\n", image, error_message(e));
		ret = 1;
	}
	return ret;
}
