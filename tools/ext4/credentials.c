/* fscrypt-ext-ext4: google/fscrypt credentials + the image's /.fscrypt (read through the reader) + --metadata-dir -> master keys. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "credentials.h"

void ext4_gf_init(struct ext4_gf *g)
{
	memset(g, 0, sizeof(*g));
	fscrypt_ext_gf_limits_default(&g->limits);
}

bool ext4_gf_wanted(const struct ext4_gf *g)
{
	return g->n_creds || g->n_dirs;
}

int ext4_gf_option(struct ext4_gf *g, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;
	bool pass = !strcmp(a, "--passphrase-file"), raw = !strcmp(a, "--raw-key-file"), dir = !strcmp(a, "--metadata-dir");

	if (!strcmp(a, "--no-cost-limits")) {
		g->limits.max_memory_kib = g->limits.max_time = g->limits.max_work_kib = UINT64_MAX;
		(*i)++;
		return 1;
	}
	if (!pass && !raw && !dir)
		return 0;
	if (*i + 1 >= argc) {
		tc_err("%s needs a value", a);
		return -1;
	}
	v = argv[*i + 1];
	*i += 2;
	if (dir) {
		if (g->n_dirs == EXT4_GF_MAX_DIRS) {
			tc_err("too many --metadata-dir");
			return -1;
		}
		g->dirs[g->n_dirs++] = v;
		return 1;
	}
	if (g->n_creds == EXT4_GF_MAX_CREDS) {
		tc_err("too many credentials");
		return -1;
	}
	if (!(raw ? tc_cred_read_raw_key(v, &g->creds[g->n_creds]) : tc_cred_read_passphrase(v, &g->creds[g->n_creds])))
		return -1;
	g->n_creds++;
	return 1;
}

/* Transient files (".tmp*") are being written by fscrypt; readers skip them (filesystem.go). */
static bool skip_name(const char *name, size_t len)
{
	return len == 0 || name[0] == '.';
}

static bool ends_with_link(const char *name, size_t len)
{
	return len > 5 && memcmp(name + len - 5, ".link", 5) == 0;
}

static int add_link(struct ext4_gf *g, const char *name, size_t len, const uint8_t *text, size_t tlen)
{
	struct ext4_gf_link *n = realloc(g->links, (g->n_links + 1) * sizeof(*n)), *l;

	if (!n)
		return -1;
	g->links = n;
	l = &g->links[g->n_links++];
	memset(l, 0, sizeof(*l));
	memcpy(l->desc, name, len - 5 < 16 ? len - 5 : 16);
	l->text_len = tlen < sizeof(l->text) ? tlen : sizeof(l->text);
	memcpy(l->text, text, l->text_len);
	return 0;
}

/* One metadata file's bytes: a protector (in protectors/) or a policy (in policies/). Parse errors are reported. */
static int add_file(struct ext4_gf *g, ext4r *r, uint32_t ino, bool policy, const char *origin, const char *name,
		    size_t name_len, const uint8_t *buf, size_t len)
{
	int err;

	if (!policy && ends_with_link(name, name_len))
		return add_link(g, name, name_len, buf, len);
	if (policy) {
		struct ext4_gf_pol *n = realloc(g->pols, (g->n_pols + 1) * sizeof(*n));

		if (!n)
			return -1;
		g->pols = n;
		memset(&n[g->n_pols], 0, sizeof(*n));
		err = fscrypt_ext_gf_policy_parse(buf, len, &n[g->n_pols].p);
		n[g->n_pols].origin = origin;
		n[g->n_pols].prot = -1;
		if (err == FSCRYPT_EXT_OK)
			g->n_pols++;
	} else {
		struct ext4_gf_prot *n = realloc(g->prots, (g->n_prots + 1) * sizeof(*n));

		if (!n)
			return -1;
		g->prots = n;
		memset(&n[g->n_prots], 0, sizeof(*n));
		err = fscrypt_ext_gf_protector_parse(buf, len, &n[g->n_prots].p);
		n[g->n_prots].origin = origin;
		n[g->n_prots].cred = -1;
		if (err == FSCRYPT_EXT_OK)
			g->n_prots++;
	}
	if (err != FSCRYPT_EXT_OK)
		ext4r_report(r, ino, EXT4R_ERR_CORRUPT, "google/fscrypt %s file in %s skipped: %s (%d)",
			     policy ? "policy" : "protector", origin, fscrypt_ext_strerror(err), err);
	return 0;
}

/* /.fscrypt, or where the /.fscrypt symlink points inside the image (relative to the root, or absolute). */
static int image_base(ext4r *r, ext4r_node **out)
{
	ext4r_node *n = NULL;
	char target[4096], path[4200];
	size_t tlen;
	int err = ext4r_resolve(r, "/.fscrypt", &n, NULL);

	if (err)
		return err;
	if (n->type == EXT4R_SYMLINK) {
		err = ext4r_readlink(r, n, target, sizeof(target), &tlen, NULL);
		ext4r_node_put(n);
		n = NULL;
		if (err)
			return err;
		snprintf(path, sizeof(path), "%s%s", target[0] == '/' ? "" : "/", target);
		err = ext4r_resolve(r, path, &n, NULL);
		if (err)
			return err;
	}
	if (n->type != EXT4R_DIR) {
		ext4r_node_put(n);
		return EXT4R_ERR_NOT_DIR;
	}
	*out = n;
	return 0;
}

static int load_image_folder(struct ext4_gf *g, ext4r *r, const ext4r_node *base, const char *sub, bool policy)
{
	ext4r_node *dir = NULL;
	struct ext4r_dirlist l;
	uint8_t *buf = malloc(FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1);
	int ret = 0;

	if (!buf)
		return -1;
	if (ext4r_lookup(r, base, sub, strlen(sub), &dir) || dir->type != EXT4R_DIR || ext4r_dir_read(r, dir, &l)) {
		ext4r_node_put(dir);
		free(buf);
		return 0; /* an absent folder is no error: fscrypt may never have made it */
	}
	for (size_t i = 0; i < l.n && i < EXT4_GF_MAX_FILES && ret == 0; i++) {
		struct ext4r_dirent *e = &l.ents[i];
		ext4r_node *f = NULL;
		size_t got = 0;

		if (e->dot || e->err || skip_name(e->name, e->name_len) || ext4r_node_get(r, e->ino, &f))
			continue;
		if (f->type == EXT4R_REG && ext4r_read(r, f, 0, buf, FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1, &got) == 0) {
			if (got > FSCRYPT_EXT_GF_MAX_METADATA_SIZE)
				ext4r_report(r, f->ino, EXT4R_ERR_TOO_BIG, "google/fscrypt metadata file over 16 KiB skipped");
			else
				ret = add_file(g, r, f->ino, policy, "image", e->name, e->name_len, buf, got);
		}
		ext4r_node_put(f);
	}
	ext4r_dirlist_free(&l);
	ext4r_node_put(dir);
	free(buf);
	return ret;
}

/* DIR/protectors or DIR/policies; DIR may also be a mountpoint holding .fscrypt. */
static int load_host_folder(struct ext4_gf *g, ext4r *r, const char *root, const char *sub, bool policy)
{
	char path[4096];
	struct stat st;
	DIR *d;
	struct dirent *de;
	uint8_t *buf;
	int ret = 0;
	size_t count = 0;

	snprintf(path, sizeof(path), "%s/.fscrypt/%s", root, sub);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/%s", root, sub);
	d = opendir(path);
	if (!d)
		return 0;
	buf = malloc(FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1);
	while (buf && ret == 0 && count++ < EXT4_GF_MAX_FILES && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name), got = 0;
		int fd;

		if (skip_name(de->d_name, nl))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			ssize_t n;

			while (got <= FSCRYPT_EXT_GF_MAX_METADATA_SIZE &&
			       (n = read(fd, buf + got, FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1 - got)) > 0)
				got += (size_t)n;
			if (got <= FSCRYPT_EXT_GF_MAX_METADATA_SIZE)
				ret = add_file(g, r, 0, policy, root, de->d_name, nl, buf, got);
		}
		close(fd);
	}
	closedir(d);
	free(buf);
	return buf ? ret : -1;
}

static bool fits(const struct tc_cred *c, const fscrypt_ext_gf_protector *p)
{
	return c->raw == (fscrypt_ext_gf_protector_source(p) == FSCRYPT_EXT_GF_SOURCE_RAW_KEY);
}

static const struct ext4_gf_prot *find_prot(const struct ext4_gf *g, const char *desc)
{
	for (size_t i = 0; i < g->n_prots; i++)
		if (!strcmp(fscrypt_ext_gf_protector_descriptor(g->prots[i].p), desc))
			return &g->prots[i];
	return NULL;
}

/* The policy's key into ks (unless a key with that name is already there). */
static bool add_key(struct tc_keyset *ks, struct ext4_gf_pol *pol, const fscrypt_ext_gf_protector_key *k, int *err)
{
	struct tc_key *slot;
	fscrypt_ext_master_key *mk = NULL;

	*err = fscrypt_ext_gf_policy_unwrap(pol->p, k, &mk);
	if (*err != FSCRYPT_EXT_OK)
		return true;
	if (ks->n == TC_KEYSET_MAX) {
		fscrypt_ext_master_key_free(mk);
		tc_err("too many master keys (at most %d)", TC_KEYSET_MAX);
		return false;
	}
	slot = &ks->keys[ks->n];
	if (fscrypt_ext_master_key_identifier(mk, slot->identifier) || fscrypt_ext_master_key_descriptor(mk, slot->descriptor)) {
		fscrypt_ext_master_key_free(mk);
		*err = FSCRYPT_EXT_ERR_CRYPTO;
		return true;
	}
	for (size_t i = 0; i < ks->n; i++) {
		if (!memcmp(ks->keys[i].identifier, slot->identifier, sizeof(slot->identifier))) {
			fscrypt_ext_master_key_free(mk); /* given twice (--keys and a credential): keep one */
			pol->added = true;
			return true;
		}
	}
	slot->mk = mk;
	ks->n++;
	pol->added = true;
	return true;
}

bool ext4_gf_unlock(struct ext4_gf *g, ext4r *r, struct tc_keyset *ks)
{
	ext4r_node *base = NULL;
	fscrypt_ext_gf_protector_key **keys;

	if (image_base(r, &base) == 0) {
		g->image_metadata = true;
		if (load_image_folder(g, r, base, "protectors", false) || load_image_folder(g, r, base, "policies", true)) {
			ext4r_node_put(base);
			tc_err("out of memory reading /.fscrypt");
			return false;
		}
		ext4r_node_put(base);
	}
	for (size_t d = 0; d < g->n_dirs; d++) {
		if (load_host_folder(g, r, g->dirs[d], "protectors", false) || load_host_folder(g, r, g->dirs[d], "policies", true)) {
			tc_err("out of memory reading %s", g->dirs[d]);
			return false;
		}
	}
	if (g->n_creds == 0)
		return true;
	/* Each protector is opened at most once, by the first credential that fits. */
	keys = calloc(g->n_prots ? g->n_prots : 1, sizeof(*keys));
	if (!keys)
		return false;
	for (size_t p = 0; p < g->n_pols; p++) {
		struct ext4_gf_pol *pol = &g->pols[p];

		for (size_t j = 0; j < fscrypt_ext_gf_policy_protector_count(pol->p) && !pol->added; j++) {
			const struct ext4_gf_prot *found = find_prot(g, fscrypt_ext_gf_policy_protector_descriptor(pol->p, j));
			struct ext4_gf_prot *pr = (struct ext4_gf_prot *)found;
			size_t idx;
			int err;

			if (!pr)
				continue;
			idx = (size_t)(pr - g->prots);
			for (size_t c = 0; c < g->n_creds && !keys[idx] && !pr->tried; c++) {
				if (!fits(&g->creds[c], pr->p))
					continue;
				err = fscrypt_ext_gf_protector_unwrap(pr->p, g->creds[c].bytes, g->creds[c].len, &g->limits, &keys[idx]);
				if (err == FSCRYPT_EXT_OK)
					pr->cred = (int)c;
				else if (err != FSCRYPT_EXT_ERR_WRONG_PASSPHRASE && pr->err != err) {
					pr->err = err;
					ext4r_report(r, 0, EXT4R_ERR_DECRYPT, "google/fscrypt protector %s: %s (%d)%s",
						     fscrypt_ext_gf_protector_descriptor(pr->p), fscrypt_ext_strerror(err), err,
						     err == FSCRYPT_EXT_ERR_COSTS_RANGE ? "; --no-cost-limits runs it anyway" : "");
				}
			}
			pr->tried = true;
			if (!keys[idx])
				continue;
			if (!add_key(ks, pol, keys[idx], &err)) {
				for (size_t i = 0; i < g->n_prots; i++)
					fscrypt_ext_gf_protector_key_free(keys[i]);
				free(keys);
				return false;
			}
			if (pol->added)
				pol->prot = (int)idx;
			else
				ext4r_report(r, 0, EXT4R_ERR_DECRYPT, "google/fscrypt policy %s with protector %s: %s (%d)",
					     fscrypt_ext_gf_policy_descriptor(pol->p), fscrypt_ext_gf_protector_descriptor(pr->p),
					     fscrypt_ext_strerror(err), err);
		}
	}
	for (size_t i = 0; i < g->n_prots; i++)
		fscrypt_ext_gf_protector_key_free(keys[i]);
	free(keys);
	return true;
}

void ext4_gf_free(struct ext4_gf *g)
{
	for (size_t i = 0; i < g->n_creds; i++)
		tc_cred_free(&g->creds[i]);
	for (size_t i = 0; i < g->n_prots; i++)
		fscrypt_ext_gf_protector_free(g->prots[i].p);
	for (size_t i = 0; i < g->n_pols; i++)
		fscrypt_ext_gf_policy_free(g->pols[i].p);
	free(g->prots);
	free(g->pols);
	free(g->links);
	memset(g, 0, sizeof(*g));
}
