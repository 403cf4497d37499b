/*
 * fscrypt-ext-ext4: reads an fscrypt-encrypted ext4 image offline (libext2fs for the
 * filesystem, libfscrypt-ext for the crypto): lists, prints and extracts files with their
 * real names, given the master keys; shows no-key names where a directory's key is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>
#include <json-c/json.h>

#include <fscrypt_ext/fscrypt_ext.h>

#include "import.h"

#define MAX_KEYS 64

struct key_entry {
	fscrypt_ext_master_key *mk;
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE];
};

struct reader {
	ext2_filsys fs;
	struct fscrypt_ext_fs_info fsinfo;
	struct key_entry keys[MAX_KEYS];
	size_t nkeys;
	int errors; /* things that could not be read or decrypted */
};

/* What we know about one inode: its ext4 inode, its context, and its key if we have it. */
struct node {
	ext2_ino_t ino;
	struct ext2_inode_large inode;
	bool encrypted;
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *key; /* NULL when not encrypted or the key is missing */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fscrypt-ext-ext4 IMAGE [--keys KEYS.json] COMMAND ...\n"
		"  ls [-R] [PATH]          list a directory (recursively with -R)\n"
		"  cat PATH                write a file's plaintext to stdout\n"
		"  extract PATH OUTDIR     restore PATH (file, symlink or tree) under OUTDIR\n"
		"  import SRC DEST [--policy TEXT]  write the host tree SRC encrypted into the image as DEST\n"
		"KEYS.json: {\"keys\": [{\"master_key\": \"<hex>\"}, ...]}; each key finds its directories\n"
		"by its v2 identifier or conventional v1 descriptor. Without a key, names are no-key names.\n");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int load_keys(struct reader *r, const char *path)
{
	json_object *root = json_object_from_file(path), *keys;
	int ret = -1;

	if (!root) {
		fprintf(stderr, "fscrypt-ext-ext4: cannot read keys file %s\n", path);
		return -1;
	}
	if (!json_object_object_get_ex(root, "keys", &keys) || !json_object_is_type(keys, json_type_array)) {
		fprintf(stderr, "fscrypt-ext-ext4: %s has no \"keys\" array\n", path);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(keys) && r->nkeys < MAX_KEYS; i++) {
		json_object *k = json_object_array_get_idx(keys, i), *mkj;
		uint8_t raw[FSCRYPT_EXT_MAX_KEY_SIZE];
		const char *hex;
		size_t n;
		int err;

		if (!json_object_object_get_ex(k, "master_key", &mkj) || !(hex = json_object_get_string(mkj)) ||
		    strlen(hex) % 2 || (n = strlen(hex) / 2) > sizeof(raw)) {
			fprintf(stderr, "fscrypt-ext-ext4: key %zu: bad master_key\n", i);
			goto out;
		}
		for (size_t j = 0; j < n; j++) {
			int hi = hexval(hex[2 * j]), lo = hexval(hex[2 * j + 1]);

			if (hi < 0 || lo < 0) {
				explicit_bzero(raw, sizeof(raw));
				fprintf(stderr, "fscrypt-ext-ext4: key %zu: bad hex\n", i);
				goto out;
			}
			raw[j] = (uint8_t)(hi << 4 | lo);
		}
		err = fscrypt_ext_master_key_new(raw, n, &r->keys[r->nkeys].mk);
		explicit_bzero(raw, sizeof(raw));
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: key %zu: %s\n", i, fscrypt_ext_strerror(err));
			goto out;
		}
		if (fscrypt_ext_master_key_identifier(r->keys[r->nkeys].mk, r->keys[r->nkeys].id) ||
		    fscrypt_ext_master_key_descriptor(r->keys[r->nkeys].mk, r->keys[r->nkeys].desc)) {
			fscrypt_ext_master_key_free(r->keys[r->nkeys].mk);
			goto out;
		}
		r->nkeys++;
	}
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

static const fscrypt_ext_master_key *find_key(const struct reader *r, const struct fscrypt_ext_context *ctx)
{
	for (size_t i = 0; i < r->nkeys; i++) {
		if (ctx->version == FSCRYPT_EXT_CONTEXT_V2 && !memcmp(ctx->key_identifier, r->keys[i].id, 16))
			return r->keys[i].mk;
		if (ctx->version == FSCRYPT_EXT_CONTEXT_V1 && !memcmp(ctx->key_descriptor, r->keys[i].desc, 8))
			return r->keys[i].mk;
	}
	return NULL;
}

static enum fscrypt_ext_inode_type type_of(const struct ext2_inode_large *in)
{
	if (LINUX_S_ISDIR(in->i_mode))
		return FSCRYPT_EXT_INODE_DIR;
	if (LINUX_S_ISLNK(in->i_mode))
		return FSCRYPT_EXT_INODE_SYMLINK;
	return FSCRYPT_EXT_INODE_REG;
}

static void node_release(struct node *n)
{
	fscrypt_ext_inode_free(n->key);
	n->key = NULL;
}

/* Reads the inode and, if it is encrypted, its context and key. */
static int node_load(struct reader *r, ext2_ino_t ino, struct node *n)
{
	struct ext2_xattr_handle *h = NULL;
	void *val = NULL;
	size_t len = 0;
	errcode_t e;
	int err;

	memset(n, 0, sizeof(*n));
	n->ino = ino;
	e = ext2fs_read_inode2(r->fs, ino, (struct ext2_inode *)&n->inode, sizeof(n->inode), 0);
	if (e) {
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: %s\n", ino, error_message(e));
		return -1;
	}
	if (!(n->inode.i_flags & EXT4_ENCRYPT_FL))
		return 0;
	n->encrypted = true;
	if ((e = ext2fs_xattrs_open(r->fs, ino, &h)) || (e = ext2fs_xattrs_read(h)) ||
	    (e = ext2fs_xattr_get(h, "c", &val, &len))) {
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: no encryption context: %s\n", ino, error_message(e));
		if (h)
			ext2fs_xattrs_close(&h);
		return -1;
	}
	err = fscrypt_ext_context_parse(val, len, &n->ctx);
	ext2fs_free_mem(&val);
	ext2fs_xattrs_close(&h);
	if (err) {
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: bad context: %s\n", ino, fscrypt_ext_strerror(err));
		return -1;
	}
	const fscrypt_ext_master_key *mk = find_key(r, &n->ctx);
	if (mk) {
		err = fscrypt_ext_inode_open(&n->ctx, mk, type_of(&n->inode), ino, &r->fsinfo, &n->key);
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: inode %u: key setup: %s\n", ino, fscrypt_ext_strerror(err));
			n->key = NULL;
			r->errors++;
		}
	}
	return 0;
}

/* One directory entry with its display name. */
struct entry {
	ext2_ino_t ino;
	int file_type;
	char name[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 4];
	bool nokey;
};

struct dir_walk {
	struct reader *r;
	struct node *dir;
	struct entry *ents;
	size_t n, cap;
	int failed;
};

/*
 * Whether the kernel lists this directory in hash order (ext4 is_dx_dir()): then readdir hands
 * fscrypt each entry's htree hash, which ends up in the no-key name; otherwise it hands zeros.
 */
static bool dir_reads_by_hash(const struct reader *r, const struct node *dir)
{
	if (!ext2fs_has_feature_dir_index(r->fs->super))
		return false;
	return (dir->inode.i_flags & EXT2_INDEX_FL) || EXT2_I_SIZE(&dir->inode) == r->fs->blocksize ||
	       (dir->inode.i_flags & EXT4_INLINE_DATA_FL);
}

static int add_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset, int blocksize, char *buf,
		     void *priv)
{
	struct dir_walk *w = priv;
	int nlen = ext2fs_dirent_name_len(de);
	struct entry *e;
	(void)dir; (void)entry; (void)offset; (void)blocksize; (void)buf;

	if (de->inode == 0)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		struct entry *ne = realloc(w->ents, cap * sizeof(*ne));

		if (!ne) {
			w->failed = 1;
			return DIRENT_ABORT;
		}
		w->ents = ne;
		w->cap = cap;
	}
	e = &w->ents[w->n];
	memset(e, 0, sizeof(*e));
	e->ino = de->inode;
	e->file_type = ext2fs_dirent_file_type(de);
	if (!w->dir->encrypted || (nlen == 1 && de->name[0] == '.') ||
	    (nlen == 2 && de->name[0] == '.' && de->name[1] == '.')) {
		memcpy(e->name, de->name, (size_t)nlen); /* "." and ".." are never encrypted */
	} else if (w->dir->key) {
		size_t out_len;
		int err = fscrypt_ext_fname_decrypt(w->dir->key, (const uint8_t *)de->name, (size_t)nlen,
						    (uint8_t *)e->name, sizeof(e->name) - 1, &out_len);
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: dir %u: entry for inode %u: %s\n", w->dir->ino, de->inode,
				fscrypt_ext_strerror(err));
			w->r->errors++;
			return 0;
		}
		e->name[out_len] = 0;
	} else {
		/* The kernel's no-key name: hashes from the htree (or stored in the dirent), else zero. */
		ext2_dirhash_t hash = 0, minor = 0;
		size_t out_len;
		int err;

		if (ext4_hash_in_dirent((struct ext2_inode *)&w->dir->inode)) {
			const uint8_t *p = (const uint8_t *)de->name + ((nlen + 3) & ~3);
			hash = (ext2_dirhash_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
			minor = (ext2_dirhash_t)(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24);
		} else if (dir_reads_by_hash(w->r, w->dir)) {
			int version = w->r->fs->super->s_def_hash_version;

			if (version <= EXT2_HASH_TEA && (w->r->fs->super->s_flags & EXT2_FLAGS_UNSIGNED_HASH))
				version += EXT2_HASH_LEGACY_UNSIGNED;
			if (ext2fs_dirhash2(version, de->name, nlen, NULL, 0, w->r->fs->super->s_hash_seed, &hash,
					    &minor))
				hash = minor = 0;
		}
		err = fscrypt_ext_nokey_name_encode((const uint8_t *)de->name, (size_t)nlen, hash, minor, e->name,
						    sizeof(e->name), &out_len);
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: dir %u: entry for inode %u: %s\n", w->dir->ino, de->inode,
				fscrypt_ext_strerror(err));
			w->r->errors++;
			return 0;
		}
		e->nokey = true;
	}
	w->n++;
	return 0;
}

static int read_dir(struct reader *r, struct node *dir, struct entry **ents, size_t *n)
{
	struct dir_walk w = { .r = r, .dir = dir };
	errcode_t e = ext2fs_dir_iterate2(r->fs, dir->ino, 0, NULL, add_entry, &w);

	if (e || w.failed) {
		fprintf(stderr, "fscrypt-ext-ext4: directory %u: %s\n", dir->ino, e ? error_message(e) : "out of memory");
		free(w.ents);
		return -1;
	}
	*ents = w.ents;
	*n = w.n;
	return 0;
}

/* Resolves a plaintext (or no-key) path from the root. */
static int resolve(struct reader *r, const char *path, ext2_ino_t *out)
{
	char *copy = strdup(path), *save = NULL, *comp;
	ext2_ino_t cur = EXT2_ROOT_INO;
	int ret = 0;

	if (!copy)
		return -1;
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		struct node dir;
		struct entry *ents = NULL;
		size_t n = 0, i;

		if (node_load(r, cur, &dir) || !LINUX_S_ISDIR(dir.inode.i_mode) || read_dir(r, &dir, &ents, &n)) {
			node_release(&dir);
			ret = -1;
			break;
		}
		for (i = 0; i < n && strcmp(ents[i].name, comp) != 0; i++)
			;
		if (i == n) {
			fprintf(stderr, "fscrypt-ext-ext4: %s: no such entry%s\n", path,
				dir.encrypted && !dir.key ? " (directory key missing: use its no-key name)" : "");
			ret = -1;
		} else {
			cur = ents[i].ino;
		}
		free(ents);
		node_release(&dir);
		if (ret)
			break;
	}
	free(copy);
	*out = cur;
	return ret;
}

/* Streams the file's plaintext (or ciphertext, if its key is missing) to fd. */
static int write_contents(struct reader *r, struct node *n, int fd)
{
	uint64_t size = EXT2_I_SIZE(&n->inode), off;
	unsigned int bs = r->fs->blocksize;
	uint8_t *buf = malloc(bs);
	int ret = 0;

	if (!buf)
		return -1;
	if (n->encrypted && !n->key) {
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: key missing, contents not decrypted\n", n->ino);
		r->errors++;
		free(buf);
		return -1;
	}
	if (n->inode.i_flags & EXT4_INLINE_DATA_FL) {
		fprintf(stderr, "fscrypt-ext-ext4: inode %u: inline data files are not supported\n", n->ino);
		free(buf);
		return -1;
	}
	for (off = 0; off < size && !ret; off += bs) {
		blk64_t lblk = off / bs, pblk = 0;
		int flags = 0;
		size_t keep = size - off < bs ? (size_t)(size - off) : bs;
		errcode_t e = ext2fs_bmap2(r->fs, n->ino, (struct ext2_inode *)&n->inode, NULL, 0, lblk, &flags, &pblk);

		if (e) {
			fprintf(stderr, "fscrypt-ext-ext4: inode %u block %llu: %s\n", n->ino, (unsigned long long)lblk,
				error_message(e));
			ret = -1;
			break;
		}
		if (pblk == 0 || (flags & BMAP_RET_UNINIT)) {
			memset(buf, 0, bs); /* holes and unwritten extents read as zeros; they were never encrypted */
		} else if ((e = io_channel_read_blk64(r->fs->io, pblk, 1, buf))) {
			fprintf(stderr, "fscrypt-ext-ext4: inode %u: read: %s\n", n->ino, error_message(e));
			ret = -1;
			break;
		} else if (n->key) {
			int err = fscrypt_ext_decrypt_data_units(n->key, off, buf, buf, bs);

			if (err) {
				fprintf(stderr, "fscrypt-ext-ext4: inode %u: decrypt: %s\n", n->ino, fscrypt_ext_strerror(err));
				ret = -1;
				break;
			}
		}
		if (write(fd, buf, keep) != (ssize_t)keep) {
			perror("fscrypt-ext-ext4: write");
			ret = -1;
		}
	}
	explicit_bzero(buf, bs);
	free(buf);
	return ret;
}

/* The symlink target (decrypted when encrypted and keyed) into out (NUL-terminated). */
static int read_symlink(struct reader *r, struct node *n, char *out, size_t cap)
{
	uint64_t size = EXT2_I_SIZE(&n->inode);
	uint8_t *raw = malloc(r->fs->blocksize + 1);
	size_t len;
	int ret = 0;

	if (!raw)
		return -1;
	if (size > r->fs->blocksize) {
		free(raw);
		return -1;
	}
	if (n->inode.i_flags & EXT4_INLINE_DATA_FL) {
		size_t isz = 0;

		if (ext2fs_inline_data_get(r->fs, n->ino, (struct ext2_inode *)&n->inode, raw, &isz)) {
			free(raw);
			return -1;
		}
	} else if (ext2fs_is_fast_symlink((struct ext2_inode *)&n->inode)) {
		memcpy(raw, n->inode.i_block, size);
	} else {
		blk64_t pblk = 0;

		if (ext2fs_bmap2(r->fs, n->ino, (struct ext2_inode *)&n->inode, NULL, 0, 0, NULL, &pblk) || !pblk ||
		    io_channel_read_blk64(r->fs->io, pblk, 1, raw)) {
			free(raw);
			return -1;
		}
	}
	len = (size_t)size;
	if (!n->encrypted) {
		if (len >= cap)
			len = cap - 1;
		memcpy(out, raw, len);
		out[len] = 0;
	} else if (n->key) {
		int err = fscrypt_ext_symlink_decrypt(n->key, raw, len, (uint8_t *)out, cap - 1, &len);

		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: symlink %u: %s\n", n->ino, fscrypt_ext_strerror(err));
			ret = -1;
		} else {
			out[len] = 0;
		}
	} else {
		/* No key: the kernel shows the no-key form of the stored ciphertext. */
		if (len < 2 || fscrypt_ext_nokey_name_encode(raw + 2, len - 2, 0, 0, out, cap, &len))
			ret = -1;
	}
	free(raw);
	return ret;
}

static const char *type_char(const struct ext2_inode_large *in)
{
	if (LINUX_S_ISDIR(in->i_mode))
		return "d";
	if (LINUX_S_ISLNK(in->i_mode))
		return "l";
	if (LINUX_S_ISREG(in->i_mode))
		return "-";
	return "?";
}

static int list_dir(struct reader *r, ext2_ino_t ino, const char *path, bool recursive)
{
	struct node dir;
	struct entry *ents = NULL;
	size_t n = 0;
	int ret = 0;

	if (node_load(r, ino, &dir))
		return -1;
	if (!LINUX_S_ISDIR(dir.inode.i_mode)) {
		node_release(&dir);
		return -1;
	}
	if (read_dir(r, &dir, &ents, &n)) {
		node_release(&dir);
		return -1;
	}
	printf("%s:\n", path);
	for (size_t i = 0; i < n; i++) {
		struct node child;
		char target[4200] = "";

		if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, ".."))
			continue;
		if (node_load(r, ents[i].ino, &child)) {
			ret = -1;
			continue;
		}
		if (LINUX_S_ISLNK(child.inode.i_mode) && read_symlink(r, &child, target, sizeof(target)))
			snprintf(target, sizeof(target), "<unreadable>");
		printf("%s %7u %10llu %s%s%s%s\n", type_char(&child.inode), ents[i].ino,
		       (unsigned long long)EXT2_I_SIZE(&child.inode), ents[i].name, ents[i].nokey ? " (no key)" : "",
		       target[0] ? " -> " : "", target);
		node_release(&child);
	}
	if (recursive) {
		for (size_t i = 0; i < n; i++) {
			char *sub;

			if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, "..") || ents[i].file_type != EXT2_FT_DIR)
				continue;
			if (asprintf(&sub, "%s/%s", strcmp(path, "/") ? path : "", ents[i].name) < 0)
				continue;
			printf("\n");
			if (list_dir(r, ents[i].ino, sub, true))
				ret = -1;
			free(sub);
		}
	}
	free(ents);
	node_release(&dir);
	return ret;
}

static int extract(struct reader *r, ext2_ino_t ino, const char *dest)
{
	struct node n;
	int ret = 0;

	if (node_load(r, ino, &n))
		return -1;
	if (LINUX_S_ISDIR(n.inode.i_mode)) {
		struct entry *ents = NULL;
		size_t cnt = 0;

		if (mkdir(dest, 0755) && errno != EEXIST) {
			perror(dest);
			node_release(&n);
			return -1;
		}
		if (read_dir(r, &n, &ents, &cnt)) {
			node_release(&n);
			return -1;
		}
		for (size_t i = 0; i < cnt; i++) {
			char *sub;

			if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, ".."))
				continue;
			if (asprintf(&sub, "%s/%s", dest, ents[i].name) < 0) {
				ret = -1;
				continue;
			}
			if (extract(r, ents[i].ino, sub))
				ret = -1;
			free(sub);
		}
		free(ents);
	} else if (LINUX_S_ISLNK(n.inode.i_mode)) {
		char target[4200];

		if (read_symlink(r, &n, target, sizeof(target)) || symlink(target, dest)) {
			fprintf(stderr, "fscrypt-ext-ext4: cannot restore symlink %s\n", dest);
			ret = -1;
		}
	} else if (LINUX_S_ISREG(n.inode.i_mode)) {
		int fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0) {
			perror(dest);
			ret = -1;
		} else {
			if (write_contents(r, &n, fd))
				ret = -1;
			close(fd);
		}
	}
	node_release(&n);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "keys", required_argument, NULL, 'k' },
					      { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct reader r = { 0 };
	const char *keys = NULL, *image, *cmd;
	errcode_t e;
	int c, ret = 1;

	while ((c = getopt_long(argc, argv, "+k:h", opts, NULL)) != -1) {
		if (c == 'k') {
			keys = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	image = argv[optind++];
	/* Options may also follow the image name. */
	while (optind < argc && !strcmp(argv[optind], "--keys") && optind + 1 < argc) {
		keys = argv[optind + 1];
		optind += 2;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind++];
	if (fscrypt_ext_init()) {
		fprintf(stderr, "fscrypt-ext-ext4: library initialisation failed\n");
		return 1;
	}
	if (keys && load_keys(&r, keys))
		return 2;
	if (!strcmp(cmd, "import")) {
		struct fscrypt_ext__import_key ik[MAX_KEYS];

		for (size_t i = 0; i < r.nkeys; i++) {
			ik[i].mk = r.keys[i].mk;
			memcpy(ik[i].id, r.keys[i].id, sizeof(ik[i].id));
			memcpy(ik[i].desc, r.keys[i].desc, sizeof(ik[i].desc));
		}
		ret = fscrypt_ext__ext4_import(image, ik, r.nkeys, argc - optind, argv + optind);
		goto out_keys;
	}
	e = ext2fs_open2(image, NULL, EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &r.fs);
	if (e) {
		fprintf(stderr, "fscrypt-ext-ext4: %s: %s\n", image, error_message(e));
		ret = 2;
		goto out_keys;
	}
	fscrypt_ext_fs_info_ext4(&r.fsinfo, r.fs->blocksize);
	memcpy(r.fsinfo.uuid, r.fs->super->s_uuid, 16);
	r.fsinfo.stable_inodes = ext2fs_has_feature_stable_inodes(r.fs->super);

	if (!strcmp(cmd, "ls")) {
		bool rec = false;
		const char *path = "/";
		ext2_ino_t ino;

		for (; optind < argc; optind++) {
			if (!strcmp(argv[optind], "-R"))
				rec = true;
			else
				path = argv[optind];
		}
		ret = resolve(&r, path, &ino) || list_dir(&r, ino, path, rec) ? 1 : 0;
	} else if (!strcmp(cmd, "cat") && argc - optind == 1) {
		struct node n;
		ext2_ino_t ino;

		ret = 1;
		if (!resolve(&r, argv[optind], &ino) && !node_load(&r, ino, &n)) {
			if (LINUX_S_ISREG(n.inode.i_mode))
				ret = write_contents(&r, &n, STDOUT_FILENO) ? 1 : 0;
			else
				fprintf(stderr, "fscrypt-ext-ext4: %s: not a regular file\n", argv[optind]);
			node_release(&n);
		}
	} else if (!strcmp(cmd, "extract") && argc - optind == 2) {
		ext2_ino_t ino;
		const char *p = argv[optind], *base = strrchr(p, '/');
		char *dest;

		base = base && base[1] ? base + 1 : (base ? "root" : p);
		if (asprintf(&dest, "%s/%s", argv[optind + 1], base) < 0)
			goto out_fs;
		mkdir(argv[optind + 1], 0755);
		ret = resolve(&r, p, &ino) || extract(&r, ino, dest) ? 1 : 0;
		free(dest);
	} else {
		usage(stderr);
		ret = 2;
	}
	if (r.errors && ret == 0)
		ret = 1;
out_fs:
	ext2fs_close_free(&r.fs);
out_keys:
	for (size_t i = 0; i < r.nkeys; i++)
		fscrypt_ext_master_key_free(r.keys[i].mk);
	return ret;
}
