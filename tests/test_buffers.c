/* Buffer-edge suite: contents, names, symlinks and no-key names ending at a PROT_NONE guard page, unaligned and in place, on every AES backend. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* The (contents, filenames) pairs v2 accepts (spec 2.2); every mode is exercised through one of them. */
static const uint8_t PAIRS[][2] = {
	{ FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS },
	{ FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV, FSCRYPT_EXT_MODE_AES_128_CTS },
	{ FSCRYPT_EXT_MODE_SM4_XTS, FSCRYPT_EXT_MODE_SM4_CTS },
	{ FSCRYPT_EXT_MODE_ADIANTUM, FSCRYPT_EXT_MODE_ADIANTUM },
	{ FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_HCTR2 },
};
#define N_PAIRS (sizeof(PAIRS) / sizeof(PAIRS[0]))
#define MAX_MIS 16 /* misalignments 0..15 of a 16-byte block */

/* A mapping whose last page is PROT_NONE: the n bytes handed out end exactly at it. */
struct guard {
	uint8_t *map;
	size_t map_len;
};

static uint8_t *guard_at_end(struct guard *g, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), data = (n + page - 1) / page * page;

	if (data == 0)
		data = page;
	g->map_len = data + page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_msg(g->map != MAP_FAILED, "mmap %zu bytes", g->map_len);
	ck_assert_int_eq(mprotect(g->map + data, page, PROT_NONE), 0);
	return g->map + data - n;
}

static void guard_free(struct guard *g)
{
	munmap(g->map, g->map_len);
}

static const char *mode_name(unsigned int mode)
{
	struct fscrypt_ext_mode_info info;

	return fscrypt_ext_mode_info(mode, &info) == FSCRYPT_EXT_OK ? info.name : "?";
}

/* Runs body once per backend this CPU can run; the open inodes pick the forced backend. */
#define FOR_EACH_BACKEND(be)                                                                         \
	for (size_t be##_i = 0; fscrypt_ext_backend_at(be##_i, NULL) != NULL; be##_i++)               \
		for (const char *be = backend_select(be##_i); be != NULL; be = NULL)

static const char *backend_select(size_t i)
{
	int available = 0;
	const char *name = fscrypt_ext_backend_at(i, &available);

	if (!available)
		return NULL;
	ck_assert_int_eq(fscrypt_ext_backend_force(name), FSCRYPT_EXT_OK);
	return name;
}

struct env {
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *inode;
};

static void env_open(struct env *e, size_t pair, uint8_t flags, uint8_t log2_du, enum fscrypt_ext_inode_type type)
{
	struct fscrypt_ext_fs_info fs;
	uint8_t raw[64];
	int err;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 64; i++)
		raw[i] = (uint8_t)(0xc0 ^ i);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &e->mk), FSCRYPT_EXT_OK);
	e->ctx.version = FSCRYPT_EXT_CONTEXT_V2;
	e->ctx.contents_mode = PAIRS[pair][0];
	e->ctx.filenames_mode = PAIRS[pair][1];
	e->ctx.flags = flags;
	e->ctx.log2_data_unit_size = log2_du;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(e->mk, e->ctx.key_identifier), FSCRYPT_EXT_OK);
	memset(e->ctx.nonce, 0x5a, sizeof(e->ctx.nonce));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	err = fscrypt_ext_inode_open(&e->ctx, e->mk, type, 1234, &fs, &e->inode);
	ck_assert_msg(err == FSCRYPT_EXT_OK, "open %s/%s flags 0x%02x: %s", mode_name(PAIRS[pair][0]),
		      mode_name(PAIRS[pair][1]), flags, fscrypt_ext_strerror(err));
}

static void env_close(struct env *e)
{
	fscrypt_ext_inode_free(e->inode);
	fscrypt_ext_master_key_free(e->mk);
}

typedef int (*units_fn)(const fscrypt_ext_inode *, uint64_t, const uint8_t *, uint8_t *, size_t);

/* Contents: out of place at the guard, in place at the guard, and from/to every misalignment. */
static void contents_edges(const struct env *e, const char *be, const uint8_t *pt, const uint8_t *want, size_t len)
{
	struct guard gi, go;
	uint8_t *in = guard_at_end(&gi, len), *out = guard_at_end(&go, len);
	uint8_t *a = malloc(len + MAX_MIS), *b = malloc(len + MAX_MIS);
	const char *mode = mode_name(e->ctx.contents_mode);

	memcpy(in, pt, len);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(e->inode, 8192, in, out, len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(out, want, len) == 0, "guard encrypt: mode %s flags 0x%02x len %zu backend %s", mode,
		      e->ctx.flags, len, be);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(e->inode, 8192, in, in, len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(in, want, len) == 0, "guard in-place encrypt: mode %s flags 0x%02x len %zu backend %s",
		      mode, e->ctx.flags, len, be);
	ck_assert_int_eq(fscrypt_ext_decrypt_data_units(e->inode, 8192, in, in, len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(in, pt, len) == 0, "guard in-place decrypt: mode %s flags 0x%02x len %zu backend %s",
		      mode, e->ctx.flags, len, be);
	for (size_t mis = 1; mis < MAX_MIS; mis++) {
		memcpy(a + mis, pt, len);
		ck_assert_int_eq(fscrypt_ext_encrypt_data_units(e->inode, 8192, a + mis, b + MAX_MIS - mis, len),
				 FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(b + MAX_MIS - mis, want, len) == 0,
			      "unaligned encrypt (in +%zu, out +%zu): mode %s flags 0x%02x len %zu backend %s", mis,
			      MAX_MIS - mis, mode, e->ctx.flags, len, be);
		ck_assert_int_eq(fscrypt_ext_decrypt_data_units(e->inode, 8192, b + MAX_MIS - mis, b + MAX_MIS - mis, len),
				 FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(b + MAX_MIS - mis, pt, len) == 0,
			      "unaligned in-place decrypt (+%zu): mode %s flags 0x%02x len %zu backend %s", MAX_MIS - mis,
			      mode, e->ctx.flags, len, be);
	}
	free(a);
	free(b);
	guard_free(&gi);
	guard_free(&go);
}

/*
 * Every length 0..4096 and every offset within a unit: whole units succeed
 * and equal the matching prefix of one big call; the rest fail with
 * ALIGNMENT before writing anything.
 */
static void contents_lengths(const struct env *e, const char *be, const uint8_t *pt, const uint8_t *want)
{
	size_t du = fscrypt_ext_inode_data_unit_size(e->inode);
	uint8_t *out = malloc(4096), fill[4096];
	const char *mode = mode_name(e->ctx.contents_mode);
	units_fn fns[2] = { fscrypt_ext_encrypt_data_units, fscrypt_ext_decrypt_data_units };

	memset(fill, 0xa5, sizeof(fill));
	for (size_t len = 0; len <= 4096; len++) {
		int want_err = len % du == 0 ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_ALIGNMENT;

		for (int f = 0; f < 2; f++) {
			int err;

			memcpy(out, fill, 4096);
			err = fns[f](e->inode, 8192, f ? want : pt, out, len);
			ck_assert_msg(err == want_err, "%s: mode %s flags 0x%02x du %zu len %zu backend %s: %d",
				      f ? "decrypt" : "encrypt", mode, e->ctx.flags, du, len, be, err);
			ck_assert_msg(memcmp(out, f ? pt : want, err ? 0 : len) == 0 &&
					      memcmp(out + (err ? 0 : len), fill, 4096 - (err ? 0 : len)) == 0,
				      "%s output: mode %s flags 0x%02x du %zu len %zu backend %s", f ? "decrypt" : "encrypt",
				      mode, e->ctx.flags, du, len, be);
		}
	}
	for (uint64_t off = 8193; off < 8192 + du; off += 97) {
		memcpy(out, fill, 4096);
		ck_assert_msg(fscrypt_ext_encrypt_data_units(e->inode, off, pt, out, du) == FSCRYPT_EXT_ERR_ALIGNMENT,
			      "offset %llu: mode %s du %zu backend %s", (unsigned long long)off, mode, du, be);
		ck_assert(memcmp(out, fill, 4096) == 0);
	}
	free(out);
}

START_TEST(test_contents_buffers)
{
	static const uint8_t log2s[] = { 0, 9 };
	uint8_t *pt = malloc(4096), *want = malloc(4096);

	tu_rand(pt, 4096);
	FOR_EACH_BACKEND(be) {
		for (size_t pair = 0; pair < N_PAIRS; pair++) {
			for (size_t l = 0; l < sizeof(log2s); l++) {
				struct env e;

				if (PAIRS[pair][1] == FSCRYPT_EXT_MODE_AES_256_HCTR2)
					continue; /* same contents mode as the first pair */
				env_open(&e, pair, FSCRYPT_EXT_FLAG_PAD_32, log2s[l], FSCRYPT_EXT_INODE_REG);
				ck_assert_int_eq(fscrypt_ext_encrypt_data_units(e.inode, 8192, pt, want, 4096), FSCRYPT_EXT_OK);
				contents_edges(&e, be, pt, want, 4096);
				contents_edges(&e, be, pt, want, fscrypt_ext_inode_data_unit_size(e.inode) == 512 ? 512 : 4096);
				if (pair == 0)
					contents_lengths(&e, be, pt, want); /* checked before the mode runs */
				env_close(&e);
			}
		}
	}
	free(pt);
	free(want);
}
END_TEST

/* One name: reference out of place, then at the guard (exact output size), in place, and unaligned. */
static void name_edges(const struct env *e, const char *be, const uint8_t *name, size_t len)
{
	struct guard gn, go, gp;
	uint8_t ref[FSCRYPT_EXT_NAME_MAX], buf[FSCRYPT_EXT_NAME_MAX + MAX_MIS], *gname, *gout, *gpt;
	size_t enc, n, m;
	const char *mode = mode_name(e->ctx.filenames_mode);
	uint8_t flags = e->ctx.flags;

	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, name, len, ref, sizeof(ref), &enc), FSCRYPT_EXT_OK);
	gname = guard_at_end(&gn, len);
	gout = guard_at_end(&go, enc);
	memcpy(gname, name, len);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, gname, len, gout, enc, &n), FSCRYPT_EXT_OK);
	ck_assert_msg(n == enc && memcmp(gout, ref, enc) == 0, "guard name: mode %s flags 0x%02x len %zu backend %s",
		      mode, flags, len, be);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, gname, len, gout, enc - 1, &n),
			 FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	/* Decrypt from ciphertext ending at the guard into exactly ct_len bytes ending at another. */
	gpt = guard_at_end(&gp, enc);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e->inode, gout, enc, gpt, enc, &m), FSCRYPT_EXT_OK);
	ck_assert_msg(m == len && memcmp(gpt, name, len) == 0, "guard name decrypt: mode %s flags 0x%02x len %zu backend %s",
		      mode, flags, len, be);
	/* In place, at the guard: the name starts the enc-byte buffer. */
	memset(gout, 0, enc);
	memcpy(gout, name, len);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, gout, len, gout, enc, &n), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(gout, ref, enc) == 0, "in-place name: mode %s flags 0x%02x len %zu backend %s", mode, flags,
		      len, be);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e->inode, gout, enc, gout, enc, &m), FSCRYPT_EXT_OK);
	ck_assert_msg(m == len && memcmp(gout, name, len) == 0,
		      "in-place name decrypt: mode %s flags 0x%02x len %zu backend %s", mode, flags, len, be);
	for (size_t mis = 1; mis < MAX_MIS; mis += 3) {
		memcpy(buf + mis, name, len);
		ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, buf + mis, len, buf + mis, enc, &n), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf + mis, ref, enc) == 0, "unaligned (+%zu) name: mode %s flags 0x%02x len %zu backend %s",
			      mis, mode, flags, len, be);
	}
	guard_free(&gn);
	guard_free(&go);
	guard_free(&gp);
}

START_TEST(test_name_buffers)
{
	uint8_t name[FSCRYPT_EXT_NAME_MAX];

	FOR_EACH_BACKEND(be) {
		for (size_t pair = 0; pair < N_PAIRS; pair++) {
			for (uint8_t pad = 0; pad < 4; pad++) {
				struct env e;

				if (PAIRS[pair][1] == FSCRYPT_EXT_MODE_AES_256_HCTR2 && pad != 3)
					continue; /* padding is mode-independent; PAD_32 exercises HCTR2 */
				env_open(&e, pair, pad, 0, FSCRYPT_EXT_INODE_DIR);
				for (size_t len = 1; len <= FSCRYPT_EXT_NAME_MAX; len++) {
					tu_rand(name, len);
					for (size_t i = 0; i < len; i++)
						name[i] |= 0x80; /* no NUL inside a name */
					name_edges(&e, be, name, len);
				}
				env_close(&e);
			}
		}
	}
}
END_TEST

/* Symlinks: the stored form written into exactly its size at the guard and read back from there. */
START_TEST(test_symlink_buffers)
{
	uint8_t *target = malloc(4093), ref[4096];

	memset(target, 'l', 4093);
	FOR_EACH_BACKEND(be) {
		struct env e;

		env_open(&e, 0, FSCRYPT_EXT_FLAG_PAD_16, 0, FSCRYPT_EXT_INODE_SYMLINK);
		for (size_t len = 1; len <= 4093; len += len < 300 ? 1 : 379) {
			struct guard gd, gp;
			uint8_t *disk, *pt;
			size_t n, m;

			ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, len, 4096, ref, sizeof(ref), &n),
					 FSCRYPT_EXT_OK);
			disk = guard_at_end(&gd, n);
			ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, len, 4096, disk, n, &m), FSCRYPT_EXT_OK);
			ck_assert_msg(m == n && memcmp(disk, ref, n) == 0, "guard symlink: len %zu backend %s", len, be);
			pt = guard_at_end(&gp, n - 2);
			ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, n - 2, &m), FSCRYPT_EXT_OK);
			ck_assert_msg(m == len && memcmp(pt, target, len) == 0, "guard symlink decrypt: len %zu backend %s", len,
				      be);
			/* A stored length one past the bytes given is corrupt; nothing past disk_len is read. */
			disk[0] = (uint8_t)(n - 1);
			disk[1] = (uint8_t)((n - 1) >> 8);
			ck_assert_msg(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, n, &m) == FSCRYPT_EXT_ERR_CORRUPT,
				      "overlong stored length: len %zu backend %s", len, be);
			guard_free(&gd);
			guard_free(&gp);
		}
		env_close(&e);
	}
	free(target);
}
END_TEST

/* No-key names need no key: ciphertext and encoded names end at the guard; names are not NUL-terminated there. */
START_TEST(test_nokey_buffers)
{
	uint8_t ct[FSCRYPT_EXT_NAME_MAX];
	char ref[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];

	tu_rand(ct, sizeof(ct));
	for (size_t len = 16; len <= FSCRYPT_EXT_NAME_MAX; len++) {
		struct guard gc, ge, gn;
		struct fscrypt_ext_nokey_name nk;
		uint8_t *gct;
		char *genc, *gname;
		size_t n, m;

		ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, len, 7, 9, ref, sizeof(ref), &n), FSCRYPT_EXT_OK);
		gct = guard_at_end(&gc, len);
		memcpy(gct, ct, len);
		genc = (char *)guard_at_end(&ge, n + 1);
		ck_assert_int_eq(fscrypt_ext_nokey_name_encode(gct, len, 7, 9, genc, n + 1, &m), FSCRYPT_EXT_OK);
		ck_assert_msg(m == n && strcmp(genc, ref) == 0, "guard encode: len %zu", len);
		gname = (char *)guard_at_end(&gn, n);
		memcpy(gname, ref, n);
		ck_assert_int_eq(fscrypt_ext_nokey_name_decode(gname, n, &nk), FSCRYPT_EXT_OK);
		ck_assert_msg(nk.hash == 7 && nk.minor_hash == 9 && fscrypt_ext_nokey_name_matches(&nk, gct, len),
			      "guard decode/match: len %zu", len);
		guard_free(&gc);
		guard_free(&ge);
		guard_free(&gn);
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("buffers");
	TCase *tc = tcase_create("buffers");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_contents_buffers);
	tcase_add_test(tc, test_name_buffers);
	tcase_add_test(tc, test_symlink_buffers);
	tcase_add_test(tc, test_nokey_buffers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
