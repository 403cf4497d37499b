/*
 * fscrypt-ext-ext4 import: checks the image and the destination (read through
 * the reader layer), decides the policy (given, or inherited from an encrypted
 * parent), writes the tree through the writer and links it in last; a failure
 * frees what was written, so nothing half-done is reachable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "keyfile.h"
#include "reader.h"
#include "writer.h"

/* Context (8) + entry (20) + end marker (4) + value (40) after i_extra_isize (32): a 256-byte inode or more. */
#define MIN_INODE_SIZE (EXT2_GOOD_OLD_INODE_SIZE + 32 + 4 + 20 + 4 + FSCRYPT_EXT_CONTEXT_MAX_SIZE)
#define CHUNK_BYTES (1u << 20)

/* Where DEST goes, as the reader found it before anything is written. */
struct dest_plan {
	uint32_t parent_ino;
	bool parent_encrypted;
	struct fscrypt_ext_context parent_ctx;
	char name[EXT2_NAME_LEN + 1];       /* DEST's own name */
	uint8_t stored[EXT2_NAME_LEN];      /* as stored in the parent (ciphertext under an encrypted parent) */
	size_t stored_len;
};

static void usage(void)
{
	fprintf(stderr, "usage: fscrypt-ext-ext4 IMAGE --keys KEYS.json import SRC DEST [--policy TEXT]\n"
			"  DEST must not exist; its parent must. Under an unencrypted parent --policy gives DEST's\n"
			"  policy (e.g. \"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32 key=<id>\");\n"
			"  under an encrypted one DEST inherits the parent's policy.\n");
}

/* Splits DEST into its parent path (in place) and its name. */
static int split_dest(char *dest, char **name)
{
	size_t len = strlen(dest);
	char *slash;

	while (len > 1 && dest[len - 1] == '/')
		dest[--len] = 0;
	slash = strrchr(dest, '/');
	*name = slash ? slash + 1 : dest;
	if (slash)
		*slash = 0;
	len = strlen(*name);
	if (len == 0 || len > EXT2_NAME_LEN || !strcmp(*name, ".") || !strcmp(*name, "..")) {
		fprintf(stderr, "fscrypt-ext-ext4: import: DEST must end in a new name of 1 to 255 bytes\n");
		return -1;
	}
	return 0;
}

/* The read-only half: the parent must be a directory we may add to, DEST must be absent. */
static int plan_dest(const char *image, const struct tc_keyset *keys, char *dest, struct dest_plan *pl)
{
	ext4r *r = NULL;
	ext4r_node *parent = NULL, *child = NULL;
	const char *msg = NULL;
	char *name;
	int err, ret = 2;

	if (split_dest(dest, &name))
		return 2;
	snprintf(pl->name, sizeof(pl->name), "%s", name);
	if ((err = ext4r_open(image, 0, keys, &r, &msg))) {
		fprintf(stderr, "fscrypt-ext-ext4: cannot open the image: %s\n", msg ? msg : ext4r_strerror(err));
		return 2;
	}
	if ((err = ext4r_resolve(r, dest[0] ? dest : "/", &parent, NULL))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: DEST's parent: %s\n", ext4r_strerror(err));
		goto out;
	}
	if (parent->type != EXT4R_DIR) {
		fprintf(stderr, "fscrypt-ext-ext4: import: DEST's parent is not a directory\n");
		goto out;
	}
	if (parent->casefold) {
		fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory is casefolded; not supported\n");
		goto out;
	}
	pl->parent_ino = parent->ino;
	pl->parent_encrypted = parent->encrypted;
	if (parent->encrypted) {
		if (parent->ctx_status) {
			fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory's context: %s\n",
				ext4r_strerror(parent->ctx_status));
			goto out;
		}
		if (!parent->key) {
			fprintf(stderr, "fscrypt-ext-ext4: import: the parent directory is encrypted with a key not in "
				"--keys%s\n", parent->key_err ? " (or its key could not be set up)" : "");
			goto out;
		}
		if (parent->inode.i_flags & EXT2_INDEX_FL) {
			/* Adding to an htree needs the ciphertext's hash path; this writer adds only to linear ones. */
			fprintf(stderr, "fscrypt-ext-ext4: import: the encrypted parent directory is hash-indexed; this "
				"writer adds entries only to linear encrypted directories (import into a new one instead)\n");
			goto out;
		}
		pl->parent_ctx = parent->ctx;
		if ((err = fscrypt_ext_fname_encrypt(parent->key, (const uint8_t *)name, strlen(name), pl->stored,
						     sizeof(pl->stored), &pl->stored_len))) {
			fprintf(stderr, "fscrypt-ext-ext4: import: DEST's name: %s\n", fscrypt_ext_strerror(err));
			goto out;
		}
	} else {
		pl->stored_len = strlen(name);
		memcpy(pl->stored, name, pl->stored_len);
	}
	err = ext4r_lookup(r, parent, name, strlen(name), &child);
	if (err == 0) {
		fprintf(stderr, "fscrypt-ext-ext4: import: DEST already exists in the image\n");
		goto out;
	}
	if (err != EXT4R_ERR_NOT_FOUND) {
		fprintf(stderr, "fscrypt-ext-ext4: import: looking DEST up: %s\n", ext4r_strerror(err));
		goto out;
	}
	ret = 0;
out:
	ext4r_node_put(child);
	ext4r_node_put(parent);
	ext4r_close(r);
	return ret;
}

/* DEST's policy: the parent's (a different --policy is refused) or the given one under a plain parent. */
static int decide_policy(struct fscrypt_ext__writer *w, const struct tc_keyset *keys, const struct dest_plan *pl,
			 const char *policy_text, struct fscrypt_ext_context *tmpl)
{
	struct fscrypt_ext_policy p, given;
	char text[256];
	int err;

	if (policy_text && (err = fscrypt_ext_policy_from_text(policy_text, &given))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: --policy: %s\n", fscrypt_ext_strerror(err));
		return 2;
	}
	if (pl->parent_encrypted) {
		if ((err = fscrypt_ext_context_to_policy(&pl->parent_ctx, &p)))
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
	/* A template parent context: every inode written gets this policy with its own nonce. */
	if ((err = fscrypt_ext_context_new(&p, &w->fsinfo, tmpl))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s\n", fscrypt_ext_strerror(err));
		return 1;
	}
	if (!(w->mk = tc_keyset_find(keys, tmpl))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: the policy's key is not in --keys\n");
		return 2;
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
static int link_dest(struct fscrypt_ext__writer *w, const struct dest_plan *pl, ext2_ino_t ino, uint8_t ftype)
{
	errcode_t e;

	if (pl->parent_encrypted) {
		if (fscrypt_ext__wr_dir_add(w, pl->parent_ino, pl->stored, pl->stored_len, ino, ftype))
			return -1;
	} else {
		e = ext2fs_link(w->fs, pl->parent_ino, pl->name, ino, ftype);
		if (e == EXT2_ET_DIR_NO_SPACE && !(e = ext2fs_expand_dir(w->fs, pl->parent_ino)))
			e = ext2fs_link(w->fs, pl->parent_ino, pl->name, ino, ftype);
		if (e)
			return fscrypt_ext__wr_fail(e, "link DEST", pl->parent_ino);
	}
	if (ftype == EXT2_FT_DIR) {
		struct ext2_inode_large in;

		if (!ext2fs_read_inode2(w->fs, pl->parent_ino, (struct ext2_inode *)&in, sizeof(in), 0)) {
			if (in.i_links_count > 1 && in.i_links_count < EXT2_LINK_MAX)
				in.i_links_count++;
			if ((e = ext2fs_write_inode2(w->fs, pl->parent_ino, (struct ext2_inode *)&in, sizeof(in), 0)))
				fscrypt_ext__wr_fail(e, "parent link count", pl->parent_ino);
		}
	}
	return 0;
}

static int run(struct fscrypt_ext__writer *w, const char *image, const struct tc_keyset *keys,
	       const struct dest_plan *pl, const char *src, const char *policy_text)
{
	struct fscrypt_ext_context tmpl;
	struct timespec t0, t1;
	ext2_ino_t ino;
	uint8_t ftype;
	int ret;

	if ((ret = check_image(w, image)) || (ret = decide_policy(w, keys, pl, policy_text, &tmpl)))
		return ret;
	if (pl->parent_encrypted)
		tmpl = pl->parent_ctx;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (fscrypt_ext__wr_import_node(w, AT_FDCWD, src, pl->parent_ino, &tmpl, &ino, &ftype) ||
	    link_dest(w, pl, ino, ftype)) {
		size_t freed = fscrypt_ext__wr_rollback(w);

		fprintf(stderr, "fscrypt-ext-ext4: import failed: nothing was linked into the image; the %zu inodes "
			"written so far were freed again\n", freed);
		return 1;
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
	return 0;
}

int ext4_cmd_import(struct ext4_cmd *c, const char *image, const struct tc_keyset *keys)
{
	struct fscrypt_ext__writer w = { 0 };
	struct dest_plan pl = { 0 };
	char *dest;
	int mflags = 0, ret;
	errcode_t e;

	if (c->argc != 2) {
		usage();
		return EXT4_EXIT_USAGE;
	}
	if ((e = ext2fs_check_if_mounted(image, &mflags)) == 0 && (mflags & EXT2_MF_MOUNTED)) {
		fprintf(stderr, "fscrypt-ext-ext4: import: %s is mounted; unmount it first (writing under a mounted "
			"filesystem would corrupt it)\n", image);
		return EXT4_EXIT_USAGE;
	}
	if (!(dest = strdup(c->argv[1])))
		return EXT4_EXIT_PARTIAL;
	ret = plan_dest(image, keys, dest, &pl);
	free(dest);
	if (ret)
		return ret;
	e = ext2fs_open2(image, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &w.fs);
	if (e) {
		fprintf(stderr, "fscrypt-ext-ext4: %s: %s\n", image, error_message(e));
		return EXT4_EXIT_USAGE;
	}
	if ((e = ext2fs_read_bitmaps(w.fs))) {
		fprintf(stderr, "fscrypt-ext-ext4: %s: bitmaps: %s\n", image, error_message(e));
		ext2fs_close_free(&w.fs);
		return EXT4_EXIT_PARTIAL;
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
	ret = w.buf ? run(&w, image, keys, &pl, c->argv[0], c->policy) : EXT4_EXIT_PARTIAL;
	free(w.buf);
	free(w.created);
	free(w.links);
	/* Writes the bitmaps, group descriptors and superblock, and flushes the image. */
	if ((e = ext2fs_close_free(&w.fs))) {
		fprintf(stderr, "fscrypt-ext-ext4: import: closing %s: %s\n", image, error_message(e));
		ret = EXT4_EXIT_PARTIAL;
	}
	return ret;
}
