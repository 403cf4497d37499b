/* Kernel-written vectors (tests/vectors/kernel) and dirhash vectors (extent/dirhash-*) through the public API, both directions. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

struct counts {
	unsigned int passed, failed, skipped;
};

/* A hex field as a malloc'd buffer, or NULL when absent; malformed hex fails the test (tu_hex). */
static uint8_t *get_hex(json_object *v, const char *key, size_t *len)
{
	json_object *o;
	const char *s;

	*len = 0;
	if (!json_object_object_get_ex(v, key, &o) || (s = json_object_get_string(o)) == NULL)
		return NULL;
	return tu_hex(s, len);
}

/* Integers may exceed 2^53 and may be written as strings: json-c parses both. */
static uint64_t get_u64(json_object *v, const char *key, uint64_t dflt)
{
	json_object *o;

	if (!json_object_object_get_ex(v, key, &o))
		return dflt;
	return json_object_get_uint64(o);
}

struct vec_env {
	struct fscrypt_ext_context ctx;
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_fs_info fs;
	uint64_t ino;
};

static int env_open(json_object *v, struct vec_env *e, enum fscrypt_ext_inode_type type, fscrypt_ext_inode **inode)
{
	size_t clen, klen, ulen;
	uint8_t *c = get_hex(v, "context", &clen), *k = get_hex(v, "master_key", &klen);
	uint8_t *u = get_hex(v, "fs_uuid", &ulen);
	int err = FSCRYPT_EXT_ERR_INVALID_ARG;

	e->mk = NULL;
	*inode = NULL;
	fscrypt_ext_fs_info_ext4(&e->fs, (uint32_t)get_u64(v, "block_size", 4096));
	if (u != NULL && ulen == 16)
		memcpy(e->fs.uuid, u, 16);
	e->ino = get_u64(v, "ino", 0);
	if (c != NULL && k != NULL) {
		err = fscrypt_ext_context_parse(c, clen, &e->ctx);
		if (err == FSCRYPT_EXT_OK)
			err = fscrypt_ext_master_key_new(k, klen, &e->mk);
		if (err == FSCRYPT_EXT_OK)
			err = fscrypt_ext_inode_open(&e->ctx, e->mk, type, e->ino, &e->fs, inode);
	}
	free(c);
	free(k);
	free(u);
	return err;
}

static void env_close(struct vec_env *e, fscrypt_ext_inode *inode)
{
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(e->mk);
}

static const char *run_contents(json_object *v)
{
	struct vec_env e;
	fscrypt_ext_inode *inode;
	size_t plen, clen;
	uint8_t *pt = get_hex(v, "plaintext", &plen), *ct = get_hex(v, "ciphertext", &clen);
	uint8_t *buf = malloc(plen + 1);
	uint64_t off = get_u64(v, "file_offset", 0);
	const char *why = NULL;

	if (env_open(v, &e, FSCRYPT_EXT_INODE_REG, &inode) != FSCRYPT_EXT_OK)
		why = "inode_open failed";
	else if (pt == NULL || ct == NULL || plen != clen || buf == NULL)
		why = "bad vector";
	else if (fscrypt_ext_encrypt_data_units(inode, off, pt, buf, plen) != FSCRYPT_EXT_OK || memcmp(buf, ct, plen))
		why = "encrypt mismatch";
	else if (fscrypt_ext_decrypt_data_units(inode, off, ct, buf, clen) != FSCRYPT_EXT_OK || memcmp(buf, pt, plen))
		why = "decrypt mismatch";
	else if (memcpy(buf, pt, plen), fscrypt_ext_encrypt_data_units(inode, off, buf, buf, plen) != FSCRYPT_EXT_OK ||
		 memcmp(buf, ct, plen))
		why = "in-place encrypt mismatch";
	env_close(&e, inode);
	free(pt);
	free(ct);
	free(buf);
	return why;
}

static const char *run_filename(json_object *v, bool symlink)
{
	struct vec_env e;
	fscrypt_ext_inode *inode;
	size_t plen, clen, n;
	uint8_t *pt = get_hex(v, "plaintext", &plen), *ct = get_hex(v, "ciphertext", &clen);
	uint8_t buf[8192];
	const char *why = NULL;
	int err;

	err = env_open(v, &e, symlink ? FSCRYPT_EXT_INODE_SYMLINK : FSCRYPT_EXT_INODE_DIR, &inode);
	if (err != FSCRYPT_EXT_OK)
		why = "inode_open failed";
	else if (pt == NULL || ct == NULL)
		why = "bad vector";
	else if (symlink)
		err = fscrypt_ext_symlink_encrypt(inode, pt, plen, e.fs.block_size, buf, sizeof(buf), &n);
	else
		err = fscrypt_ext_fname_encrypt(inode, pt, plen, buf, sizeof(buf), &n);
	if (why == NULL && (err != FSCRYPT_EXT_OK || n != clen || memcmp(buf, ct, clen)))
		why = "encrypt mismatch";
	if (why == NULL) {
		if (symlink)
			err = fscrypt_ext_symlink_decrypt(inode, ct, clen, buf, sizeof(buf), &n);
		else
			err = fscrypt_ext_fname_decrypt(inode, ct, clen, buf, sizeof(buf), &n);
		if (err != FSCRYPT_EXT_OK || n != plen || memcmp(buf, pt, plen))
			why = "decrypt mismatch";
	}
	env_close(&e, inode);
	free(pt);
	free(ct);
	return why;
}

static const char *run_nokey(json_object *v)
{
	size_t clen, n;
	uint8_t *ct = get_hex(v, "ciphertext", &clen);
	uint32_t hash = (uint32_t)get_u64(v, "hash", 0), minor = (uint32_t)get_u64(v, "minor_hash", 0);
	json_object *o;
	const char *enc = json_object_object_get_ex(v, "encoded", &o) ? json_object_get_string(o) : NULL;
	char out[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
	struct fscrypt_ext_nokey_name nk;
	const char *why = NULL;

	if (ct == NULL || enc == NULL)
		why = "bad vector";
	else if (fscrypt_ext_nokey_name_encode(ct, clen, hash, minor, out, sizeof(out), &n) != FSCRYPT_EXT_OK ||
		 n != strlen(enc) || strcmp(out, enc) != 0)
		why = "encode mismatch";
	else if (fscrypt_ext_nokey_name_decode(enc, strlen(enc), &nk) != FSCRYPT_EXT_OK || nk.hash != hash ||
		 nk.minor_hash != minor || !fscrypt_ext_nokey_name_matches(&nk, ct, clen))
		why = "decode mismatch";
	free(ct);
	return why;
}

static const char *run_dirhash(json_object *v)
{
	struct vec_env e;
	fscrypt_ext_inode *inode;
	size_t nlen;
	uint8_t *name = get_hex(v, "name", &nlen);
	uint64_t want = get_u64(v, "hash", 0), got = 0;
	const char *why = NULL;

	int err = env_open(v, &e, FSCRYPT_EXT_INODE_DIR, &inode);

	/*
	 * These vectors are synthetic: some pair AES-256 names with 16-byte
	 * keys, which the kernel (and inode_open) refuse. The hash itself needs
	 * only the v2 identifier and HKDF, so check it from the context, and
	 * through the opened directory wherever the kernel would open it.
	 */
	if (name == NULL || e.mk == NULL)
		why = "bad vector";
	else if (fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, name, nlen, &got) != FSCRYPT_EXT_OK || got != want)
		why = "hash mismatch (from context)";
	else if (err == FSCRYPT_EXT_OK && (fscrypt_ext_dirhash(inode, name, nlen, &got) != FSCRYPT_EXT_OK || got != want))
		why = "hash mismatch (opened directory)";
	else if (err != FSCRYPT_EXT_OK && err != FSCRYPT_EXT_ERR_KEY_SIZE && err != FSCRYPT_EXT_ERR_NOT_SUPPORTED)
		why = "inode_open failed";
	env_close(&e, inode);
	free(name);
	return why;
}

static const char *run_key(json_object *v, bool identifier)
{
	size_t klen, wlen;
	uint8_t *k = get_hex(v, "master_key", &klen);
	uint8_t *want = get_hex(v, identifier ? "identifier" : "descriptor", &wlen);
	fscrypt_ext_master_key *mk = NULL;
	uint8_t got[16];
	const char *why = NULL;
	int err;

	if (k == NULL || want == NULL || wlen != (identifier ? 16u : 8u)) {
		why = "bad vector";
	} else if (fscrypt_ext_master_key_new(k, klen, &mk) != FSCRYPT_EXT_OK) {
		why = "key import failed";
	} else {
		err = identifier ? fscrypt_ext_master_key_identifier(mk, got) : fscrypt_ext_master_key_descriptor(mk, got);
		if (err != FSCRYPT_EXT_OK || memcmp(got, want, wlen) != 0)
			why = "mismatch";
	}
	fscrypt_ext_master_key_free(mk);
	free(k);
	free(want);
	return why;
}

/* NULL on pass, a reason on failure, "skip" for types this suite does not cover. */
static const char *run_vector(json_object *v, const char *type)
{
	if (strcmp(type, "contents") == 0)
		return run_contents(v);
	if (strcmp(type, "filename") == 0)
		return run_filename(v, false);
	if (strcmp(type, "symlink") == 0)
		return run_filename(v, true);
	if (strcmp(type, "nokey-name") == 0)
		return run_nokey(v);
	if (strcmp(type, "dirhash") == 0)
		return run_dirhash(v);
	if (strcmp(type, "key-identifier") == 0)
		return run_key(v, true);
	if (strcmp(type, "key-descriptor") == 0)
		return run_key(v, false);
	return "skip";
}

static void run_file(const char *path, struct counts *c)
{
	json_object *root = json_object_from_file(path), *vecs;
	size_t n;

	ck_assert_msg(root != NULL, "cannot parse %s", path);
	ck_assert_msg(json_object_object_get_ex(root, "vectors", &vecs), "%s: no vectors", path);
	n = json_object_array_length(vecs);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(vecs, i), *t;
		const char *type = json_object_object_get_ex(v, "type", &t) ? json_object_get_string(t) : "?";
		const char *why = run_vector(v, type);

		if (why == NULL) {
			c->passed++;
		} else if (strcmp(why, "skip") == 0) {
			c->skipped++;
			printf("%s #%zu: type %s skipped\n", path, i, type);
		} else {
			c->failed++;
			printf("%s #%zu: type %s FAILED: %s (backend %s)\n", path, i, type, why, tu_backend());
		}
	}
	json_object_put(root);
}

static void run_glob(const char *pattern, struct counts *c, unsigned int *files)
{
	glob_t g;

	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		run_file(g.gl_pathv[i], c);
		(*files)++;
	}
	globfree(&g);
}

START_TEST(test_kernel_and_dirhash_vectors)
{
	struct counts c = { 0, 0, 0 };
	unsigned int files = 0;

	run_glob(FSCRYPT_EXT_TEST_VECTORS_DIR "/kernel/*.json", &c, &files);
	run_glob(FSCRYPT_EXT_TEST_VECTORS_DIR "/extent/dirhash-*.json", &c, &files);
	fflush(stdout);
	printf("%u files: %u passed, %u failed, %u skipped (backend %s)\n", files, c.passed, c.failed, c.skipped,
	       tu_backend());
	fflush(stdout);
	ck_assert_msg(files >= 2, "expected the kernel and dirhash vector files, found %u", files);
	ck_assert_msg(c.passed > 0, "no vectors ran");
	ck_assert_msg(c.failed == 0 && c.skipped == 0, "%u failed, %u skipped", c.failed, c.skipped);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kernel_vectors");
	TCase *tc = tcase_create("vectors");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_kernel_and_dirhash_vectors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
