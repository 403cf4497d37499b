/* fscrypt-ext-ext4 check: the list of problems found and its text and JSON forms. */
#ifndef FSCRYPT_EXT_EXT4_CHECK_REPORT_H
#define FSCRYPT_EXT_EXT4_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The kinds of the contract, plus the reader's own troubles. */
#define CHK_CONTEXT_CORRUPT "context-corrupt"
#define CHK_CONTEXT_UNRECOGNIZED "context-unrecognized"
#define CHK_CONTEXT_MISSING "context-missing"
#define CHK_POLICY_MISMATCH "policy-mismatch"
#define CHK_NONCE_REUSED "nonce-reused"
#define CHK_NAME_CORRUPT "name-corrupt"
#define CHK_SYMLINK_CORRUPT "symlink-corrupt"
#define CHK_KEY_SETUP "key-setup"            /* a key matched but the library refused to set it up */
#define CHK_CONTENTS "contents-unreadable"   /* with keys: a file's contents could not be read */
#define CHK_DIR_LOOP "dir-loop"              /* a directory reached twice, or too deep */
#define CHK_UNREADABLE "unreadable"          /* the reader could not read a structure (details say which) */

struct chk_problem {
	uint32_t ino;
	char *path; /* bytes as shown to a user (decrypted or no-key names); may hold any byte */
	size_t path_len;
	const char *kind;
	char detail[200];
};

struct chk_report {
	struct chk_problem *v;
	size_t n, cap;
};

/* Adds one problem (path copied); allocation failures drop the path, never the problem. */
void chk_add(struct chk_report *rep, uint32_t ino, const char *path, size_t path_len, const char *kind,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Counters printed with the report. */
struct chk_stats {
	uint64_t inodes, dirs, names, symlinks, files, bytes;
	bool keys;
};

/* "inode N: PATH: KIND: DETAIL" lines (path and detail escaped), then a summary line. */
void chk_print_text(FILE *f, const struct chk_report *rep, const struct chk_stats *st);
/* {"problems": [{"ino", "path", "kind", "detail"}...], "clean", counters}. */
void chk_print_json(FILE *f, const struct chk_report *rep, const struct chk_stats *st);

/* Wipes the paths (they hold decrypted names) and frees everything. */
void chk_report_free(struct chk_report *rep);

#endif
