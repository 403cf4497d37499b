/* fscrypt-ext-ext4 ls: lists directories (recursively with -R) with names and targets escaped, as text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common.h"
#include "escape.h"
#include "jsonout.h"

struct ls {
	struct ext4_cmd *c;
	ext4r_walk *walk;
	char *target; /* symlink target buffer */
	size_t target_cap;
	bool first_json;
	bool first_dir;
	int ret;
};

static char type_char(const ext4r_node *n)
{
	switch (n ? n->type : EXT4R_OTHER) {
	case EXT4R_DIR: return 'd';
	case EXT4R_SYMLINK: return 'l';
	case EXT4R_REG: return '-';
	default: return '?';
	}
}

/* One line (or JSON object) for an entry; child may be NULL when it could not be loaded. */
static void print_entry(struct ls *s, const char *dir_path, const struct ext4r_dirent *e, const ext4r_node *child,
			int refused)
{
	size_t tlen = 0;
	bool nokey_target = false, have_target = false;

	if (child && !refused && child->type == EXT4R_SYMLINK &&
	    ext4r_readlink(s->c->r, child, s->target, s->target_cap, &tlen, &nokey_target) == 0)
		have_target = true;
	if (s->c->json) {
		FILE *f = stdout;

		fputs(s->first_json ? "\n" : ",\n", f);
		s->first_json = false;
		fputc('{', f);
		tc_json_key(f, "dir");
		tc_json_string(f, dir_path, strlen(dir_path));
		fprintf(f, ",\"ino\":%u,\"type\":\"%c\",\"size\":%llu,", e->ino, type_char(child),
			(unsigned long long)(child ? child->size : 0));
		tc_json_key(f, "name");
		tc_json_string(f, e->name, e->name_len);
		fprintf(f, ",\"nokey\":%s,\"encrypted\":%s", e->kind == EXT4R_NAME_NOKEY ? "true" : "false",
			child && child->encrypted ? "true" : "false");
		if (have_target) {
			fputc(',', f);
			tc_json_key(f, "target");
			tc_json_string(f, s->target, tlen);
			fprintf(f, ",\"target_nokey\":%s", nokey_target ? "true" : "false");
		}
		if (refused)
			fprintf(f, ",\"error\":\"%s\"", ext4r_errname(refused));
		fputc('}', f);
	} else {
		printf("%c %7u %10llu ", type_char(child), e->ino, (unsigned long long)(child ? child->size : 0));
		tc_escape_text(stdout, (const uint8_t *)e->name, e->name_len);
		if (e->kind == EXT4R_NAME_NOKEY)
			fputs(" (no key)", stdout);
		if (have_target) {
			fputs(" -> ", stdout);
			tc_escape_text(stdout, (const uint8_t *)s->target, tlen);
		}
		if (refused)
			printf(" (refused: %s)", ext4r_errname(refused));
		fputc('\n', stdout);
	}
	if (have_target)
		ext4r_wipe(s->target, tlen + 1);
}

static void list_dir(struct ls *s, const ext4r_node *dir, const char *path, unsigned int depth)
{
	ext4r *r = s->c->r;
	struct ext4r_dirlist l;
	int err = ext4r_walk_enter(s->walk, dir->ino, depth);

	if (err) {
		ext4r_report(r, dir->ino, err, "directory not listed again: %s", ext4r_strerror(err));
		return;
	}
	if (ext4r_dir_read(r, dir, &l))
		return; /* reported */
	if (!s->c->json) {
		if (!s->first_dir)
			fputc('\n', stdout);
		s->first_dir = false;
		tc_escape_text(stdout, (const uint8_t *)path, strlen(path));
		fputs(":\n", stdout);
	}
	for (size_t i = 0; i < l.n; i++) {
		struct ext4r_dirent *e = &l.ents[i];
		ext4r_node *child = NULL;
		int refused = 0;

		if (e->dot || e->err) /* bad entries were reported by the reader */
			continue;
		if (ext4r_node_get(r, e->ino, &child))
			continue; /* reported */
		refused = ext4r_permitted(dir, child);
		if (refused)
			ext4r_report(r, child->ino, refused, "in directory inode %u: %s", dir->ino, ext4r_strerror(refused));
		print_entry(s, path, e, child, refused);
		ext4r_node_put(child);
	}
	if (s->c->recursive) {
		for (size_t i = 0; i < l.n; i++) {
			struct ext4r_dirent *e = &l.ents[i];
			ext4r_node *child = NULL;
			char *sub;

			if (e->dot || e->err || ext4r_node_get(r, e->ino, &child))
				continue;
			if (child->type == EXT4R_DIR && !ext4r_permitted(dir, child) && (sub = tc_path_join(path, e->name, e->name_len))) {
				list_dir(s, child, sub, depth + 1);
				ext4r_wipe(sub, strlen(sub));
				free(sub);
			}
			ext4r_node_put(child);
		}
	}
	ext4r_dirlist_free(&l);
}

int ext4_cmd_ls(struct ext4_cmd *c)
{
	struct ls s = { .c = c, .first_json = true, .first_dir = true };
	const char *path = c->argc ? c->argv[0] : "/";
	ext4r_node *n = NULL, *parent = NULL;
	int err;

	if (c->argc > 1) {
		fprintf(stderr, "fscrypt-ext-ext4: ls takes one PATH\n");
		return EXT4_EXIT_USAGE;
	}
	err = ext4r_resolve(c->r, path, &n, &parent);
	if (err) {
		if (err == EXT4R_ERR_NOT_FOUND)
			ext4_not_found(c);
		return EXT4_EXIT_PARTIAL;
	}
	s.target_cap = ext4r_block_size(c->r) + 256;
	s.target = malloc(s.target_cap);
	if (!s.target || ext4r_walk_new(&s.walk)) {
		free(s.target);
		ext4r_node_put(n);
		ext4r_node_put(parent);
		return EXT4_EXIT_PARTIAL;
	}
	if (c->json)
		fputc('[', stdout);
	if (n->type == EXT4R_DIR) {
		list_dir(&s, n, path, 0);
	} else {
		/* One entry, named as it was asked for. */
		struct ext4r_dirent e = { .ino = n->ino, .kind = EXT4R_NAME_PLAIN };
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

		e.name_len = strnlen(base, sizeof(e.name) - 1);
		memcpy(e.name, base, e.name_len);
		print_entry(&s, path, &e, n, 0);
	}
	if (c->json)
		fputs("\n]\n", stdout);
	fflush(stdout);
	ext4r_walk_free(s.walk);
	free(s.target);
	ext4r_node_put(n);
	ext4r_node_put(parent);
	return ext4r_problems(c->r) ? EXT4_EXIT_PARTIAL : EXT4_EXIT_OK;
}
