/*
 * fscrypt-ext-ext4 check: a read-only fsck pass for encryption, through the reader layer. Without keys:
 * contexts (present, parse, valid here), policy consistency down every encrypted tree, nonce uniqueness,
 * encrypted name lengths, symlink framing. With keys, also every name and symlink target decrypted
 * strictly and every file's contents read.
 */
#include <stdlib.h>
#include <string.h>

#include "check_report.h"
#include "cmds.h"

#define CONTENTS_CHUNK (1u << 20)

struct nonce_rec {
	uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE];
	uint32_t ino;
	char *path;
	size_t path_len;
};

struct chk {
	ext4r *r;
	struct chk_report rep;
	struct chk_stats st;
	ext4r_walk *walk;
	uint8_t *seen; /* bitmap of inodes whose own checks ran (hard links are checked once) */
	size_t seen_bytes;
	struct nonce_rec *nonces;
	size_t n_nonces, cap_nonces;
	uint8_t *buf; /* contents chunk */
	const char *cur_path; /* for reader reports: the directory or inode being read */
	size_t cur_path_len;
	bool mute_corrupt;    /* a CORRUPT the check reports itself, with its own kind */
};

/* Reader reports: the ones this pass turns into its own kinds are skipped, the rest kept as they come. */
static void on_reader(void *priv, uint32_t ino, int err, const char *msg)
{
	struct chk *k = priv;

	switch (err) {
	case EXT4R_ERR_NO_CONTEXT:
	case EXT4R_ERR_BAD_CONTEXT:
	case EXT4R_ERR_POLICY_MISMATCH:
	case EXT4R_ERR_BAD_NAME:
	case EXT4R_ERR_DECRYPT:
		return;
	case EXT4R_ERR_CORRUPT:
		if (k->mute_corrupt)
			return;
		break;
	default:
		break;
	}
	chk_add(&k->rep, ino, k->cur_path, k->cur_path_len,
		err == EXT4R_ERR_LOOP || err == EXT4R_ERR_DEPTH ? CHK_DIR_LOOP : CHK_UNREADABLE, "%s: %s",
		ext4r_errname(err), msg);
}

/* True the first time ino is seen. */
static bool first_visit(struct chk *k, uint32_t ino)
{
	size_t byte = ino / 8;

	if (byte >= k->seen_bytes) {
		size_t nb = (byte + 1) * 2;
		uint8_t *ns = realloc(k->seen, nb);

		if (!ns)
			return true; /* checking twice is better than not at all */
		memset(ns + k->seen_bytes, 0, nb - k->seen_bytes);
		k->seen = ns;
		k->seen_bytes = nb;
	}
	if (k->seen[byte] & (1u << (ino % 8)))
		return false;
	k->seen[byte] |= (uint8_t)(1u << (ino % 8));
	return true;
}

static void add_nonce(struct chk *k, const ext4r_node *n, const char *path, size_t path_len)
{
	struct nonce_rec *rec;

	if (k->n_nonces == k->cap_nonces) {
		size_t cap = k->cap_nonces ? 2 * k->cap_nonces : 256;
		struct nonce_rec *nv = realloc(k->nonces, cap * sizeof(*nv));

		if (!nv)
			return;
		k->nonces = nv;
		k->cap_nonces = cap;
	}
	rec = &k->nonces[k->n_nonces++];
	memcpy(rec->nonce, n->ctx.nonce, sizeof(rec->nonce));
	rec->ino = n->ino;
	rec->path = malloc(path_len + 1);
	rec->path_len = rec->path ? path_len : 0;
	if (rec->path) {
		memcpy(rec->path, path, path_len);
		rec->path[path_len] = 0;
	}
}

static int cmp_nonce(const void *a, const void *b)
{
	const struct nonce_rec *x = a, *y = b;
	int c = memcmp(x->nonce, y->nonce, sizeof(x->nonce));

	return c ? c : (x->ino > y->ino) - (x->ino < y->ino);
}

/* Two inodes with one nonce share every per-file key: each inode after the first is reported. */
static void check_nonces(struct chk *k)
{
	if (k->n_nonces < 2)
		return; /* nothing to compare (and qsort must not get a NULL array) */
	qsort(k->nonces, k->n_nonces, sizeof(*k->nonces), cmp_nonce);
	for (size_t i = 1; i < k->n_nonces; i++) {
		struct nonce_rec *a = &k->nonces[i - 1], *b = &k->nonces[i];

		if (!memcmp(a->nonce, b->nonce, sizeof(a->nonce)) && a->ino != b->ino)
			chk_add(&k->rep, b->ino, b->path, b->path_len, CHK_NONCE_REUSED,
				"same nonce as inode %u (they share per-file keys)", a->ino);
	}
}

static void context_problem(struct chk *k, const ext4r_node *n, const char *path, size_t path_len)
{
	if (n->ctx_status == EXT4R_ERR_NO_CONTEXT) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTEXT_MISSING,
			"encrypt flag set but no encryption context xattr");
	} else if (n->lib_err == FSCRYPT_EXT_ERR_UNKNOWN_VERSION) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTEXT_UNRECOGNIZED,
			"context version %u is not known to this tool (%zu bytes)", n->raw_ctx_len ? n->raw_ctx[0] : 0,
			n->raw_ctx_len);
	} else {
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTEXT_CORRUPT, "%zu-byte context, version %u: %s (%s)",
			n->raw_ctx_len, n->raw_ctx_len ? n->raw_ctx[0] : 0, fscrypt_ext_strerror(n->lib_err),
			ext4r_errname(n->ctx_status));
	}
}

/* The stored symlink form: framing always, the strict decryption with the key. */
static void check_symlink(struct chk *k, const ext4r_node *n, const char *path, size_t path_len)
{
	uint8_t *raw = NULL, *out;
	size_t len = 0, ct_len, got = 0;
	int err;

	k->st.symlinks++;
	k->mute_corrupt = true;
	err = ext4r_symlink_raw(k->r, n, &raw, &len);
	k->mute_corrupt = false;
	if (err == EXT4R_ERR_CORRUPT) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_SYMLINK_CORRUPT,
			"i_size %llu does not fit the stored target", (unsigned long long)n->size);
		return;
	}
	if (err)
		return; /* reported by the reader */
	ct_len = len >= 2 ? (size_t)raw[0] | (size_t)raw[1] << 8 : 0;
	if (len < 3 || ct_len > len - 2) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_SYMLINK_CORRUPT,
			"stored length %zu runs past the %zu bytes of data", ct_len, len >= 2 ? len - 2 : 0);
	} else if (ct_len < 16) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_SYMLINK_CORRUPT,
			"stored length %zu is under 16 (one cipher block)", ct_len);
	} else if (n->key && (out = malloc(ct_len))) {
		err = fscrypt_ext_symlink_decrypt_strict(n->key, raw, len, ext4r_block_size(k->r), out, ct_len, &got);
		if (err)
			chk_add(&k->rep, n->ino, path, path_len, CHK_SYMLINK_CORRUPT,
				"the target does not decrypt to what the kernel writes: %s", fscrypt_ext_strerror(err));
		ext4r_wipe(out, ct_len);
		free(out);
	}
	free(raw);
}

struct contents_job {
	struct chk *k;
	const ext4r_node *n;
	size_t buf_blocks;
	uint64_t at; /* the logical block of a failure */
	int err;
};

/* Decrypts one mapped run in buffer-sized pieces; holes and unwritten extents cost nothing. */
static int contents_run(const struct ext4r_run *run, void *priv)
{
	struct contents_job *j = priv;
	size_t bs = ext4r_block_size(j->k->r);

	if (run->unwritten)
		return 0;
	for (uint64_t done = 0; done < run->len;) {
		size_t cnt = run->len - done < j->buf_blocks ? (size_t)(run->len - done) : j->buf_blocks;
		int err = ext4r_read_blocks(j->k->r, j->n, run->lblk + done, run->pblk + done, cnt, j->k->buf);

		ext4r_wipe(j->k->buf, cnt * bs);
		if (err) {
			j->err = err;
			j->at = run->lblk + done;
			return 1;
		}
		j->k->st.bytes += (uint64_t)cnt * bs;
		done += cnt;
	}
	return 0;
}

/*
 * With the key, every mapped data unit of the file is read and decrypted (the only check contents
 * allow). The work is bounded by what is mapped, never by i_size (a sparse or lying file is cheap).
 */
static void check_contents(struct chk *k, const ext4r_node *n, const char *path, size_t path_len)
{
	struct contents_job j = { .k = k, .n = n, .buf_blocks = CONTENTS_CHUNK / ext4r_block_size(k->r) };
	int err;

	if (n->inline_data) {
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTENTS,
			"encrypted file with inline data (the kernel never writes this)");
		return;
	}
	k->cur_path = path;
	k->cur_path_len = path_len;
	err = ext4r_runs(k->r, n, contents_run, &j);
	if (j.err)
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTENTS, "at block %llu: %s", (unsigned long long)j.at,
			ext4r_strerror(j.err));
	else if (err)
		chk_add(&k->rep, n->ino, path, path_len, CHK_CONTENTS, "its block map: %s", ext4r_strerror(err));
	k->st.files++;
}

/* The checks of one inode on its own, once per inode whatever the number of its links. */
static void check_inode(struct chk *k, const ext4r_node *n, const char *path, size_t path_len)
{
	if (!first_visit(k, n->ino))
		return;
	k->st.inodes++;
	if (!n->encrypted)
		return;
	if (n->ctx_status) {
		context_problem(k, n, path, path_len);
		return;
	}
	add_nonce(k, n, path, path_len);
	if (n->type == EXT4R_OTHER)
		return;
	if (n->key_err)
		chk_add(&k->rep, n->ino, path, path_len, CHK_KEY_SETUP, "a key matches but cannot be set up: %s",
			fscrypt_ext_strerror(n->key_err));
	if (n->type == EXT4R_SYMLINK)
		check_symlink(k, n, path, path_len);
	else if (n->type == EXT4R_REG && n->key)
		check_contents(k, n, path, path_len);
}

/* Why a stored name fails the strict check, for the detail text. */
static void name_problem(struct chk *k, const ext4r_node *dir, const struct ext4r_dirent *e, const char *path,
			 size_t path_len)
{
	uint8_t plain[FSCRYPT_EXT_NAME_MAX], again[FSCRYPT_EXT_NAME_MAX];
	size_t n = 0, m = 0;
	const char *why = "it is not what the kernel writes";

	if (fscrypt_ext_fname_decrypt(dir->key, e->raw_name, e->raw_name_len, plain, sizeof(plain), &n) == 0) {
		if (fscrypt_ext_name_check(plain, n) != FSCRYPT_EXT_OK)
			why = "it decrypts to an empty name, \".\", \"..\" or a name holding '/'";
		else if (fscrypt_ext_fname_encrypt(dir->key, plain, n, again, sizeof(again), &m) == 0 &&
			 (m != e->raw_name_len || memcmp(again, e->raw_name, m)))
			why = m != e->raw_name_len ? "its padded length is not the policy's"
						   : "bytes follow a NUL in its padding";
	}
	chk_add(&k->rep, e->ino, path, path_len, CHK_NAME_CORRUPT, "entry in directory inode %u: %s", dir->ino, why);
	ext4r_wipe(plain, sizeof(plain));
	ext4r_wipe(again, sizeof(again));
}

/* Checks one stored name of an encrypted directory: length always, strict decryption with the key. */
static bool check_name(struct chk *k, const ext4r_node *dir, const struct ext4r_dirent *e, const char *path,
		       size_t path_len)
{
	uint8_t out[FSCRYPT_EXT_NAME_MAX];
	size_t got = 0;
	int err;

	k->st.names++;
	if (e->raw_name_len < 16) {
		chk_add(&k->rep, e->ino, path, path_len, CHK_NAME_CORRUPT,
			"encrypted name of %zu bytes in directory inode %u (under 16)", e->raw_name_len, dir->ino);
		return false;
	}
	if (!dir->key)
		return true;
	err = fscrypt_ext_fname_decrypt_strict(dir->key, e->raw_name, e->raw_name_len, out, sizeof(out), &got);
	ext4r_wipe(out, sizeof(out));
	if (err == FSCRYPT_EXT_ERR_CORRUPT) {
		name_problem(k, dir, e, path, path_len);
		return false;
	}
	if (err)
		chk_add(&k->rep, e->ino, path, path_len, CHK_NAME_CORRUPT, "entry in directory inode %u: %s", dir->ino,
			fscrypt_ext_strerror(err));
	return err == 0;
}

/* dir/name with the name as a user would see it; a name that could not be made shows as #<hex>. */
static char *child_path(const char *dir, size_t dir_len, const struct ext4r_dirent *e, size_t *len)
{
	size_t dl = (dir_len == 1 && dir[0] == '/') ? 0 : dir_len;
	size_t nl = e->kind == EXT4R_NAME_NONE ? 1 + 2 * e->raw_name_len : e->name_len;
	char *p = malloc(dl + nl + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	p[dl] = '/';
	if (e->kind == EXT4R_NAME_NONE) {
		p[dl + 1] = '#';
		for (size_t i = 0; i < e->raw_name_len; i++)
			snprintf(p + dl + 2 + 2 * i, 3, "%02x", e->raw_name[i]);
	} else {
		memcpy(p + dl + 1, e->name, e->name_len);
	}
	*len = dl + 1 + nl;
	p[*len] = 0;
	return p;
}

static void check_dir(struct chk *k, const ext4r_node *dir, const char *path, size_t path_len, unsigned int depth);

static void check_entry(struct chk *k, const ext4r_node *dir, const struct ext4r_dirent *e, const char *path,
			size_t path_len, unsigned int depth)
{
	ext4r_node *child = NULL;
	bool name_ok = true;

	if (dir->encrypted)
		name_ok = check_name(k, dir, e, path, path_len);
	if (name_ok && e->err)
		chk_add(&k->rep, e->ino, path, path_len, CHK_NAME_CORRUPT, "entry in directory inode %u: %s",
			dir->ino, ext4r_strerror(e->err));
	k->cur_path = path;
	k->cur_path_len = path_len;
	if (ext4r_node_get(k->r, e->ino, &child))
		return; /* reported by the reader */
	check_inode(k, child, path, path_len);
	if (dir->encrypted && child->type != EXT4R_OTHER) {
		if (!child->encrypted)
			chk_add(&k->rep, child->ino, path, path_len, CHK_POLICY_MISMATCH,
				"unencrypted entry in encrypted directory inode %u", dir->ino);
		else if (!dir->ctx_status && !child->ctx_status &&
			 !fscrypt_ext_context_permitted(&dir->ctx, &child->ctx, (enum fscrypt_ext_file_kind)child->type))
			chk_add(&k->rep, child->ino, path, path_len, CHK_POLICY_MISMATCH,
				"its policy differs from that of its directory (inode %u)", dir->ino);
	}
	if (child->type == EXT4R_DIR)
		check_dir(k, child, path, path_len, depth + 1);
	ext4r_node_put(child);
}

static void check_dir(struct chk *k, const ext4r_node *dir, const char *path, size_t path_len, unsigned int depth)
{
	struct ext4r_dirlist l = { 0 };
	int err;

	k->cur_path = path;
	k->cur_path_len = path_len;
	err = ext4r_walk_enter(k->walk, dir->ino, depth);
	if (err) {
		chk_add(&k->rep, dir->ino, path, path_len, CHK_DIR_LOOP, "%s", ext4r_strerror(err));
		return;
	}
	k->st.dirs++;
	/* An encrypted directory with an unusable context has no readable names: its context was reported. */
	if (dir->encrypted && dir->ctx_status)
		return;
	if (ext4r_dir_read(k->r, dir, &l))
		return; /* reported by the reader */
	for (size_t i = 0; i < l.n; i++) {
		const struct ext4r_dirent *e = &l.ents[i];
		size_t cl = 0;
		char *cp;

		if (e->dot)
			continue;
		cp = child_path(path, path_len, e, &cl);
		if (!cp) {
			chk_add(&k->rep, e->ino, path, path_len, CHK_UNREADABLE, "out of memory");
			continue;
		}
		check_entry(k, dir, e, cp, cl, depth);
		ext4r_wipe(cp, cl);
		free(cp);
	}
	ext4r_dirlist_free(&l);
}

static void chk_free(struct chk *k)
{
	for (size_t i = 0; i < k->n_nonces; i++) {
		if (k->nonces[i].path) {
			ext4r_wipe(k->nonces[i].path, k->nonces[i].path_len);
			free(k->nonces[i].path);
		}
	}
	free(k->nonces);
	free(k->seen);
	free(k->buf);
	ext4r_walk_free(k->walk);
	chk_report_free(&k->rep);
}

int ext4_cmd_check(struct ext4_cmd *c)
{
	struct chk k = { .r = c->r };
	ext4r_node *root = NULL;
	int ret;

	if (c->argc != 0) {
		fprintf(stderr, "fscrypt-ext-ext4: check takes no operands\n");
		return EXT4_EXIT_USAGE;
	}
	k.st.keys = ext4r_has_keys(c->r);
	k.buf = malloc(CONTENTS_CHUNK);
	if (!k.buf || ext4r_walk_new(&k.walk)) {
		fprintf(stderr, "fscrypt-ext-ext4: out of memory\n");
		chk_free(&k);
		return EXT4_EXIT_USAGE;
	}
	ext4r_set_reporter(c->r, on_reader, &k);
	k.cur_path = "/";
	k.cur_path_len = 1;
	if (ext4r_root(c->r, &root)) {
		ext4r_set_reporter(c->r, NULL, NULL);
		fprintf(stderr, "fscrypt-ext-ext4: check: the root directory cannot be read\n");
		chk_free(&k);
		return EXT4_EXIT_USAGE; /* the check could not run */
	}
	check_inode(&k, root, "/", 1);
	check_dir(&k, root, "/", 1, 0);
	ext4r_node_put(root);
	check_nonces(&k);
	ext4r_set_reporter(c->r, NULL, NULL);
	if (c->json)
		chk_print_json(stdout, &k.rep, &k.st);
	else
		chk_print_text(stdout, &k.rep, &k.st);
	fflush(stdout);
	ret = k.rep.n ? EXT4_EXIT_PARTIAL : EXT4_EXIT_OK;
	chk_free(&k);
	return ret;
}
