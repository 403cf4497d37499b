/* fscrypt-ext-ext4 `protectors`: the image's google/fscrypt policies and protectors, their directories, what the credentials opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common.h"
#include "credentials.h"
#include "escape.h"
#include "hex.h"
#include "jsonout.h"

/* An encrypted directory whose parent is not encrypted: where a policy was applied. */
struct top_dir {
	char *path;
	char key[33]; /* the context's identifier (v2) or descriptor (v1), hex */
};

struct dirs {
	struct top_dir *v;
	size_t n;
	ext4r_walk *walk;
};

/* Walks the unencrypted part of the tree; records each encrypted directory met there. */
static void find_dirs(ext4r *r, struct dirs *d, const ext4r_node *dir, const char *path, unsigned int depth)
{
	struct ext4r_dirlist l;

	if (ext4r_walk_enter(d->walk, dir->ino, depth) || ext4r_dir_read(r, dir, &l))
		return;
	for (size_t i = 0; i < l.n; i++) {
		struct ext4r_dirent *e = &l.ents[i];
		ext4r_node *child = NULL;
		char *sub;

		if (e->dot || e->err || ext4r_node_get(r, e->ino, &child))
			continue;
		if (child->type == EXT4R_DIR && (sub = tc_path_join(path, e->name, e->name_len)) != NULL) {
			if (!child->encrypted) {
				find_dirs(r, d, child, sub, depth + 1);
				free(sub);
			} else if (child->ctx_status == 0) {
				struct top_dir *n = realloc(d->v, (d->n + 1) * sizeof(*n));

				if (n) {
					d->v = n;
					n[d->n].path = sub;
					tc_hex_encode(child->ctx.version == 1 ? child->ctx.key_descriptor : child->ctx.key_identifier,
						      child->ctx.version == 1 ? 8 : 16, n[d->n].key);
					d->n++;
				} else {
					free(sub);
				}
			} else {
				free(sub);
			}
		}
		ext4r_node_put(child);
	}
	ext4r_dirlist_free(&l);
}

static const char *mode_name(unsigned int mode)
{
	struct fscrypt_ext_mode_info mi;

	return fscrypt_ext_mode_info(mode, &mi) == FSCRYPT_EXT_OK ? mi.name : NULL;
}

static bool have_protector(const struct ext4_gf *g, const char *desc)
{
	for (size_t i = 0; i < g->n_prots; i++)
		if (!strcmp(fscrypt_ext_gf_protector_descriptor(g->prots[i].p), desc))
			return true;
	return false;
}

static void print_costs(FILE *f, const fscrypt_ext_gf_protector *p, bool json)
{
	struct fscrypt_ext_gf_costs c;

	if (!fscrypt_ext_gf_protector_costs(p, &c))
		return;
	if (json)
		fprintf(f, ",\"costs\":{\"time\":%lld,\"memory_kib\":%lld,\"parallelism\":%lld,\"lanes\":%u}",
			(long long)c.time, (long long)c.memory_kib, (long long)c.parallelism, fscrypt_ext_gf_costs_lanes(&c));
	else
		fprintf(f, "  argon2id t=%lld m=%lld KiB p=%lld (lanes %u)", (long long)c.time, (long long)c.memory_kib,
			(long long)c.parallelism, fscrypt_ext_gf_costs_lanes(&c));
}

static void print_json(const struct ext4_gf *g, const struct dirs *d)
{
	fputs("{\"image_metadata\":", stdout);
	fputs(g->image_metadata ? "true" : "false", stdout);
	fputs(",\"policies\":[", stdout);
	for (size_t i = 0; i < g->n_pols; i++) {
		const struct ext4_gf_pol *pol = &g->pols[i];
		struct fscrypt_ext_gf_policy_options o;
		bool first = true;

		fscrypt_ext_gf_policy_options(pol->p, &o);
		fprintf(stdout, "%s{\"descriptor\":\"%s\",\"version\":%u,\"contents\":%u,\"filenames\":%u,\"padding\":%u,",
			i ? "," : "", fscrypt_ext_gf_policy_descriptor(pol->p), o.version, o.contents_mode, o.filenames_mode,
			o.padding);
		tc_json_key(stdout, "origin");
		tc_json_string(stdout, pol->origin, strlen(pol->origin));
		fprintf(stdout, ",\"unlocked\":%s", pol->added ? "true" : "false");
		if (pol->prot >= 0)
			fprintf(stdout, ",\"unlocked_with\":\"%s\"", fscrypt_ext_gf_protector_descriptor(g->prots[pol->prot].p));
		fputs(",\"protectors\":[", stdout);
		for (size_t j = 0; j < fscrypt_ext_gf_policy_protector_count(pol->p); j++)
			fprintf(stdout, "%s\"%s\"", j ? "," : "", fscrypt_ext_gf_policy_protector_descriptor(pol->p, j));
		fputs("],\"directories\":[", stdout);
		for (size_t k = 0; k < d->n; k++) {
			if (strcmp(d->v[k].key, fscrypt_ext_gf_policy_descriptor(pol->p)))
				continue;
			fputs(first ? "" : ",", stdout);
			first = false;
			tc_json_string(stdout, d->v[k].path, strlen(d->v[k].path));
		}
		fputs("]}", stdout);
	}
	fputs("],\"protectors\":[", stdout);
	for (size_t i = 0; i < g->n_prots; i++) {
		const struct ext4_gf_prot *pr = &g->prots[i];
		size_t nl;
		const char *name = fscrypt_ext_gf_protector_name(pr->p, &nl);

		fprintf(stdout, "%s{\"descriptor\":\"%s\",\"source\":\"%s\",", i ? "," : "",
			fscrypt_ext_gf_protector_descriptor(pr->p), fscrypt_ext_gf_source_name(fscrypt_ext_gf_protector_source(pr->p)));
		tc_json_key(stdout, "name");
		tc_json_string(stdout, name, nl);
		fputc(',', stdout);
		tc_json_key(stdout, "origin");
		tc_json_string(stdout, pr->origin, strlen(pr->origin));
		print_costs(stdout, pr->p, true);
		fprintf(stdout, ",\"unlocked\":%s", pr->cred >= 0 ? "true" : "false");
		if (pr->cred >= 0) {
			fputc(',', stdout);
			tc_json_key(stdout, "credential");
			tc_json_string(stdout, g->creds[pr->cred].path, strlen(g->creds[pr->cred].path));
		}
		fputc('}', stdout);
	}
	fputs("],\"linked_protectors\":[", stdout);
	for (size_t i = 0; i < g->n_links; i++) {
		fprintf(stdout, "%s{\"descriptor\":", i ? "," : "");
		tc_json_string(stdout, g->links[i].desc, strlen(g->links[i].desc));
		fputc(',', stdout);
		tc_json_key(stdout, "link");
		tc_json_string(stdout, g->links[i].text, g->links[i].text_len);
		fprintf(stdout, ",\"found\":%s}", have_protector(g, g->links[i].desc) ? "true" : "false");
	}
	fputs("]}\n", stdout);
}

static void print_text(const struct ext4_gf *g, const struct dirs *d)
{
	if (!g->image_metadata)
		puts("no /.fscrypt on this image");
	for (size_t i = 0; i < g->n_pols; i++) {
		const struct ext4_gf_pol *pol = &g->pols[i];
		struct fscrypt_ext_gf_policy_options o;
		const char *cn, *fn;

		fscrypt_ext_gf_policy_options(pol->p, &o);
		cn = mode_name(o.contents_mode);
		fn = mode_name(o.filenames_mode);
		printf("policy %s  v%u  %s/%s  padding %u  [", fscrypt_ext_gf_policy_descriptor(pol->p), o.version,
		       cn ? cn : "?", fn ? fn : "?", o.padding);
		tc_escape_text(stdout, (const uint8_t *)pol->origin, strlen(pol->origin));
		if (pol->added)
			printf("]  UNLOCKED with protector %s\n", fscrypt_ext_gf_protector_descriptor(g->prots[pol->prot].p));
		else
			printf("]  locked\n");
		for (size_t j = 0; j < fscrypt_ext_gf_policy_protector_count(pol->p); j++) {
			const char *pd = fscrypt_ext_gf_policy_protector_descriptor(pol->p, j);

			printf("    protector %s%s\n", pd, have_protector(g, pd) ? "" : "  (not found: linked? give --metadata-dir)");
		}
		for (size_t k = 0; k < d->n; k++) {
			if (strcmp(d->v[k].key, fscrypt_ext_gf_policy_descriptor(pol->p)))
				continue;
			fputs("    directory ", stdout);
			tc_escape_text(stdout, (const uint8_t *)d->v[k].path, strlen(d->v[k].path));
			fputc('\n', stdout);
		}
	}
	for (size_t i = 0; i < g->n_prots; i++) {
		const struct ext4_gf_prot *pr = &g->prots[i];
		size_t nl;
		const char *name = fscrypt_ext_gf_protector_name(pr->p, &nl);

		printf("protector %s  %s  \"", fscrypt_ext_gf_protector_descriptor(pr->p),
		       fscrypt_ext_gf_source_name(fscrypt_ext_gf_protector_source(pr->p)));
		tc_escape_text(stdout, (const uint8_t *)name, nl);
		fputc('"', stdout);
		print_costs(stdout, pr->p, false);
		fputs("  [", stdout);
		tc_escape_text(stdout, (const uint8_t *)pr->origin, strlen(pr->origin));
		fputs("]", stdout);
		if (pr->cred >= 0) {
			fputs("  UNLOCKED by ", stdout);
			tc_escape_text(stdout, (const uint8_t *)g->creds[pr->cred].path, strlen(g->creds[pr->cred].path));
		}
		fputc('\n', stdout);
	}
	for (size_t i = 0; i < g->n_links; i++) {
		printf("linked protector %s: ", g->links[i].desc);
		tc_escape_text(stdout, (const uint8_t *)g->links[i].text, g->links[i].text_len);
		printf("%s\n", have_protector(g, g->links[i].desc) ? "  (found)" : "  (not found: give --metadata-dir)");
	}
	for (size_t k = 0; k < d->n; k++) {
		bool known = false;

		for (size_t i = 0; i < g->n_pols && !known; i++)
			known = !strcmp(d->v[k].key, fscrypt_ext_gf_policy_descriptor(g->pols[i].p));
		if (known)
			continue;
		fputs("directory ", stdout);
		tc_escape_text(stdout, (const uint8_t *)d->v[k].path, strlen(d->v[k].path));
		printf(": key %s has no google/fscrypt policy here\n", d->v[k].key);
	}
}

int ext4_cmd_protectors(struct ext4_cmd *c)
{
	struct dirs d = { 0 };
	ext4r_node *root = NULL;

	if (c->argc) {
		fprintf(stderr, "fscrypt-ext-ext4: protectors takes no operand\n");
		return EXT4_EXIT_USAGE;
	}
	if (ext4r_walk_new(&d.walk) == 0 && ext4r_root(c->r, &root) == 0)
		find_dirs(c->r, &d, root, "/", 0);
	ext4r_node_put(root);
	if (c->json)
		print_json(c->gf, &d);
	else
		print_text(c->gf, &d);
	for (size_t k = 0; k < d.n; k++)
		free(d.v[k].path);
	free(d.v);
	ext4r_walk_free(d.walk);
	return EXT4_EXIT_OK;
}
