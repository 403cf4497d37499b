/* fscrypt-ext-ext4: google/fscrypt credentials -> master keys (the image's /.fscrypt metadata, --metadata-dir folders). */
#ifndef FSCRYPT_EXT_EXT4_CREDENTIALS_H
#define FSCRYPT_EXT_EXT4_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>

#include <fscrypt_ext/protector.h>

#include "credential.h"
#include "keyfile.h"
#include "reader.h"

#define EXT4_GF_MAX_CREDS 64
#define EXT4_GF_MAX_DIRS 64
#define EXT4_GF_MAX_FILES 4096 /* metadata files read from one folder */

/* A protector file found on the image or in a --metadata-dir folder. */
struct ext4_gf_prot {
	fscrypt_ext_gf_protector *p;
	const char *origin; /* "image" or the folder */
	int cred;           /* index of the credential that opened it, or -1 */
	int err;            /* the last error other than a wrong credential (COSTS_RANGE...) */
	bool tried;         /* every credential that fits was tried */
};

/* A policy file, and what opened it. */
struct ext4_gf_pol {
	fscrypt_ext_gf_policy *p;
	const char *origin;
	int prot;     /* index into prots of the protector that opened it, or -1 */
	bool added;   /* its master key went into the key set */
};

/* A linked protector: <desc>.link on the image, its text (UUID=..., PATH=...). */
struct ext4_gf_link {
	char desc[17];
	char text[256];
	size_t text_len;
};

struct ext4_gf {
	struct tc_cred creds[EXT4_GF_MAX_CREDS];
	size_t n_creds;
	const char *dirs[EXT4_GF_MAX_DIRS];
	size_t n_dirs;
	struct fscrypt_ext_gf_limits limits;
	struct ext4_gf_prot *prots;
	size_t n_prots;
	struct ext4_gf_pol *pols;
	size_t n_pols;
	struct ext4_gf_link *links;
	size_t n_links;
	bool image_metadata; /* the image has a readable /.fscrypt */
};

void ext4_gf_init(struct ext4_gf *g);
/*
 * A global option of the credentials: --passphrase-file F, --raw-key-file F,
 * --metadata-dir D (each repeatable), --no-cost-limits. 1 taken (and *i
 * moved past it), 0 not one of them, -1 error (message printed).
 */
int ext4_gf_option(struct ext4_gf *g, int argc, char **argv, int *i);
bool ext4_gf_wanted(const struct ext4_gf *g);
/*
 * Reads every policy and protector of the image's /.fscrypt (through the
 * reader; .fscrypt may be a symlink inside the image) and of each
 * --metadata-dir folder, tries each credential on each protector it can open
 * (at most one Argon2id run per pair), and adds the master key of every policy
 * an opened protector unwraps to ks. Problems are reported through the reader.
 * Returns false only for a fatal error (out of memory, key set full).
 */
bool ext4_gf_unlock(struct ext4_gf *g, ext4r *r, struct tc_keyset *ks);
void ext4_gf_free(struct ext4_gf *g);

#endif
