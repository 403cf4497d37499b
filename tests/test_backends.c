/* Backends suite: the forcing API, and every AES backend against portable and OpenSSL at page edges, split calls and multi-stream CBC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "crypto/aes.h"
#include "crypto/dispatch.h"
#include "fscrypt_ext/fscrypt_ext.h"

#define MAX_BLOCKS 72

/* ---- the public forcing API ---- */

/*
 * Back to the start-up choice (FSCRYPT_EXT_BACKEND, else automatic), so later
 * tests see the backend ctest asked for even without Check's fork per test.
 */
static void restore_backend(void)
{
	const char *env = getenv("FSCRYPT_EXT_BACKEND");
	const struct fscrypt_ext__aes_impl *want = fscrypt_ext__aes_find(env);

	ck_assert_int_eq(fscrypt_ext_backend_force(want != NULL && want->available() ? env : "auto"), FSCRYPT_EXT_OK);
}

START_TEST(test_names_and_order)
{
	const char *name, *names[16];
	int avail, portable_seen = 0;
	size_t n = 0;

	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		ck_assert_uint_lt(n, 16);
		for (size_t j = 0; j < n; j++)
			ck_assert_msg(strcmp(names[j], name) != 0, "backend %s listed twice", name);
		names[n++] = name;
		ck_assert_msg(avail == 0 || avail == 1, "backend %s: available = %d", name, avail);
		if (strcmp(name, "portable") == 0) {
			portable_seen = 1;
			ck_assert_msg(avail == 1, "portable must always be available");
			ck_assert_msg(fscrypt_ext_backend_at(i + 1, &avail) == NULL, "portable must be last (the fallback)");
		}
	}
	ck_assert_msg(portable_seen, "no portable backend listed");
	/* The list matches the internal table, best first. */
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(names[i], fscrypt_ext__aes_impls[i]->name);
	ck_assert_ptr_null(fscrypt_ext__aes_impls[n]);
}
END_TEST

START_TEST(test_env_choice)
{
	const char *env = getenv("FSCRYPT_EXT_BACKEND");
	const struct fscrypt_ext__aes_impl *want = fscrypt_ext__aes_find(env);

	ck_assert_int_eq(fscrypt_ext_backend_force("auto"), FSCRYPT_EXT_OK);
	/* "auto" means the first available backend of the table. */
	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++) {
		if (fscrypt_ext__aes_impls[i]->available()) {
			ck_assert_str_eq(fscrypt_ext_backend_name(), fscrypt_ext__aes_impls[i]->name);
			break;
		}
	}
	/* tu_run exits 77 when the requested backend cannot run, so here it can. */
	if (want != NULL) {
		ck_assert_msg(want->available(), "FSCRYPT_EXT_BACKEND=%s is not runnable but the suite ran", env);
		ck_assert_int_eq(fscrypt_ext_backend_force(env), FSCRYPT_EXT_OK);
		ck_assert_str_eq(fscrypt_ext_backend_name(), env);
	}
	restore_backend();
}
END_TEST

START_TEST(test_force_each)
{
	const char *name;
	int avail;

	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		int err = fscrypt_ext_backend_force(name);

		if (avail) {
			ck_assert_msg(err == FSCRYPT_EXT_OK, "force %s: %d", name, err);
			ck_assert_str_eq(fscrypt_ext_backend_name(), name);
			ck_assert_ptr_eq(fscrypt_ext__aes_selected(), fscrypt_ext__aes_find(name));
		} else {
			ck_assert_msg(err == FSCRYPT_EXT_ERR_NOT_SUPPORTED, "force unavailable %s: %d", name, err);
		}
	}
	ck_assert_int_eq(fscrypt_ext_backend_force("no-such-backend"), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(fscrypt_ext_backend_force("Portable"), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(fscrypt_ext_backend_force(""), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(fscrypt_ext_backend_force(NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_backend_force("auto"), FSCRYPT_EXT_OK);
	ck_assert_ptr_eq(fscrypt_ext__aes_selected(), fscrypt_ext__aes_auto());
	restore_backend();
}
END_TEST

/* ---- buffers that end at a page boundary (the next page is inaccessible) ---- */

struct guarded {
	uint8_t *map;
	size_t map_len;
	uint8_t *end; /* first inaccessible byte */
};

static void guarded_new(struct guarded *g, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + (size_t)page - 1) / (size_t)page + 1;

	g->map_len = (data_pages + 1) * (size_t)page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(g->map, MAP_FAILED);
	g->end = g->map + data_pages * (size_t)page;
	ck_assert_int_eq(mprotect(g->end, (size_t)page, PROT_NONE), 0);
}

static void guarded_free(struct guarded *g)
{
	munmap(g->map, g->map_len);
}

/* ---- one backend against portable and OpenSSL ---- */

static const EVP_CIPHER *evp_for(const char *mode, size_t klen)
{
	if (strcmp(mode, "ecb") == 0)
		return klen == 16 ? EVP_aes_128_ecb() : klen == 24 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
	if (strcmp(mode, "cbc") == 0)
		return klen == 16 ? EVP_aes_128_cbc() : klen == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
	return klen == 16 ? EVP_aes_128_xts() : EVP_aes_256_xts(); /* klen is the half key */
}

static void evp_run(const EVP_CIPHER *c, const uint8_t *key, const uint8_t *iv, const uint8_t *in, uint8_t *out,
		    size_t len, int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_CipherInit_ex(ctx, c, NULL, key, iv, enc), 1);
	ck_assert_int_eq(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
	if (len > 0)
		ck_assert_int_eq(EVP_CipherUpdate(ctx, out, &n1, in, (int)len), 1);
	ck_assert_int_eq(EVP_CipherFinal_ex(ctx, out + n1, &n2), 1);
	EVP_CIPHER_CTX_free(ctx);
}

enum op { OP_ECB_ENC, OP_ECB_DEC, OP_CBC_ENC, OP_CBC_DEC, OP_XTS_ENC, OP_XTS_DEC, OP_COUNT };
static const char *const op_names[OP_COUNT] = { "ecb-enc", "ecb-dec", "cbc-enc", "cbc-dec", "xts-enc", "xts-dec" };

/*
 * Runs op on nblocks with the backend's own entry points, as two calls split
 * at split blocks (chaining value carried between them). iv is the CBC IV or
 * the already-encrypted XTS tweak, and is updated.
 */
static void run_op(enum op op, const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
		   size_t nblocks, size_t split)
{
	const struct fscrypt_ext__aes_impl *im = k->impl;
	size_t part[2] = { split, nblocks - split };

	for (int p = 0; p < 2; p++) {
		switch (op) {
		case OP_ECB_ENC: fscrypt_ext__aes_ecb_encrypt(k, in, out, part[p]); break;
		case OP_ECB_DEC: fscrypt_ext__aes_ecb_decrypt(k, in, out, part[p]); break;
		case OP_CBC_ENC: fscrypt_ext__aes_cbc_encrypt(k, iv, in, out, part[p]); break;
		case OP_CBC_DEC: fscrypt_ext__aes_cbc_decrypt(k, iv, in, out, part[p]); break;
		case OP_XTS_ENC:
			if (im->xts_encrypt)
				im->xts_encrypt(k, iv, in, out, part[p]);
			break;
		case OP_XTS_DEC:
			if (im->xts_decrypt)
				im->xts_decrypt(k, iv, in, out, part[p]);
			break;
		default: break;
		}
		in += 16 * part[p];
		out += 16 * part[p];
	}
}

/* OpenSSL's answer for whole blocks; XTS takes the raw IV and both half keys. */
static void reference(enum op op, const uint8_t *key, size_t klen, const uint8_t iv[16], const uint8_t *in,
		      uint8_t *out, size_t nblocks)
{
	int enc = op == OP_ECB_ENC || op == OP_CBC_ENC || op == OP_XTS_ENC;
	const char *mode = op <= OP_ECB_DEC ? "ecb" : op <= OP_CBC_DEC ? "cbc" : "xts";

	evp_run(evp_for(mode, klen), key, strcmp(mode, "ecb") ? iv : NULL, in, out, 16 * nblocks, enc);
}

static void check_backend(const struct fscrypt_ext__aes_impl *impl, int iterations)
{
	static const size_t klens[3] = { 16, 24, 32 };
	struct guarded gin, gout;
	uint8_t *ref = malloc(16 * MAX_BLOCKS), *sw = malloc(16 * MAX_BLOCKS), *plain = malloc(16 * MAX_BLOCKS);

	ck_assert_ptr_nonnull(ref);
	ck_assert_ptr_nonnull(sw);
	ck_assert_ptr_nonnull(plain);
	guarded_new(&gin, 16 * MAX_BLOCKS + 16);
	guarded_new(&gout, 16 * MAX_BLOCKS + 16);
	for (int it = 0; it < iterations; it++) {
		enum op op = (enum op)(it % OP_COUNT);
		int xts = op >= OP_XTS_ENC;
		size_t klen = xts ? (it & 8 ? 32 : 16) : klens[(it / OP_COUNT) % 3];
		size_t nblocks = it < 2 * MAX_BLOCKS ? (size_t)(it / 2) % MAX_BLOCKS : tu_rand_u32() % (MAX_BLOCKS + 1);
		size_t split = nblocks ? tu_rand_u32() % (nblocks + 1) : 0;
		/* Input and output either end exactly at a guard page or start misaligned inside a page. */
		size_t in_off = (it & 1) ? tu_rand_u32() % 16 : 0, out_off = (it & 2) ? tu_rand_u32() % 16 : 0;
		int in_place = (it % 5) == 0;
		uint8_t *in = (it & 1) ? gin.map + in_off : gin.end - 16 * nblocks;
		uint8_t *out = in_place ? in : (it & 2) ? gout.map + out_off : gout.end - 16 * nblocks;
		uint8_t key[64], iv[16], iv_t[16], iv_sw[16], tweak_in[16];
		struct fscrypt_ext__aes_key k, ks, kt;

		tu_rand(key, sizeof(key));
		tu_rand(iv, sizeof(iv));
		tu_rand(plain, 16 * nblocks);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&ks, key, klen, &fscrypt_ext__aes_portable), FSCRYPT_EXT_OK);
		ck_assert_ptr_eq(k.impl, impl);
		memcpy(tweak_in, iv, 16);
		if (xts) {
			if (nblocks == 0)
				goto next; /* OpenSSL's XTS refuses empty input */
			/* The backend entry points take the encrypted tweak. */
			ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&kt, key + klen, klen, &fscrypt_ext__aes_portable),
					 FSCRYPT_EXT_OK);
			fscrypt_ext__aes_ecb_encrypt(&kt, iv, tweak_in, 1);
			if ((op == OP_XTS_ENC && impl->xts_encrypt == NULL) || (op == OP_XTS_DEC && impl->xts_decrypt == NULL))
				goto next; /* composed by aes.c from ECB, covered by the differential suite */
		}
		reference(op, key, klen, iv, plain, ref, nblocks);
		memcpy(in, plain, 16 * nblocks);
		memcpy(iv_t, tweak_in, 16);
		run_op(op, &k, iv_t, in, out, nblocks, split);
		ck_assert_msg(memcmp(out, ref, 16 * nblocks) == 0,
			      "%s: backend %s key %zu blocks %zu split %zu in+%zu out+%zu%s differs from OpenSSL", op_names[op],
			      impl->name, klen, nblocks, split, in_off, out_off, in_place ? " in place" : "");
		memcpy(iv_sw, tweak_in, 16);
		if (op == OP_XTS_ENC)
			fscrypt_ext__aes_xts_encrypt(&ks, &kt, iv, plain, sw, 16 * nblocks);
		else if (op == OP_XTS_DEC)
			fscrypt_ext__aes_xts_decrypt(&ks, &kt, iv, plain, sw, 16 * nblocks);
		else
			run_op(op, &ks, iv_sw, plain, sw, nblocks, nblocks / 2);
		ck_assert_msg(memcmp(sw, ref, 16 * nblocks) == 0, "%s: portable key %zu blocks %zu differs from OpenSSL",
			      op_names[op], klen, nblocks);
		/* CBC chaining values match portable's, so calls can continue where another backend stopped. */
		if (op == OP_CBC_ENC || op == OP_CBC_DEC)
			ck_assert_msg(memcmp(iv_t, iv_sw, 16) == 0, "%s: backend %s key %zu blocks %zu: chaining value",
				      op_names[op], impl->name, klen, nblocks);
next:
		if (xts)
			fscrypt_ext__aes_key_wipe(&kt);
		fscrypt_ext__aes_key_wipe(&k);
		fscrypt_ext__aes_key_wipe(&ks);
	}
	guarded_free(&gin);
	guarded_free(&gout);
	free(ref);
	free(sw);
	free(plain);
}

/* n independent CBC streams, some in place, against the same backend's one-stream CBC and OpenSSL. */
static void check_multi(const struct fscrypt_ext__aes_impl *impl, int iterations)
{
	for (int it = 0; it < iterations; it++) {
		size_t n = 1 + tu_rand_u32() % 40, nblocks = tu_rand_u32() % 9, klen = (it & 1) ? 16 : 32;
		uint8_t key[32], (*ivs)[16] = malloc(16 * n), (*ivs0)[16] = malloc(16 * n);
		uint8_t *src = malloc(16 * n * nblocks + 1), *dst = malloc(16 * n * nblocks + 1), *ref = malloc(16 * 8 + 16);
		const uint8_t **in = malloc(n * sizeof(*in));
		uint8_t **out = malloc(n * sizeof(*out));
		struct fscrypt_ext__aes_key k;

		ck_assert(ivs && ivs0 && src && dst && ref && in && out);
		tu_rand(key, sizeof(key));
		tu_rand(ivs, 16 * n);
		tu_rand(src, 16 * n * nblocks + 1);
		memcpy(ivs0, ivs, 16 * n);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, impl), FSCRYPT_EXT_OK);
		for (size_t i = 0; i < n; i++) {
			/* Odd streams run in place; even streams write to a reversed slot of dst, misaligned by 1. */
			in[i] = src + 16 * nblocks * i;
			out[i] = (i & 1) ? (uint8_t *)in[i] : dst + 1 + 16 * nblocks * (n - 1 - i);
		}
		{
			uint8_t *plain = malloc(16 * n * nblocks + 1);

			ck_assert_ptr_nonnull(plain);
			memcpy(plain, src, 16 * n * nblocks + 1);
			fscrypt_ext__aes_cbc_encrypt_multi(&k, ivs, in, out, nblocks, n);
			for (size_t i = 0; i < n; i++) {
				evp_run(evp_for("cbc", klen), key, ivs0[i], plain + 16 * nblocks * i, ref, 16 * nblocks, 1);
				ck_assert_msg(memcmp(out[i], ref, 16 * nblocks) == 0,
					      "cbc-multi: backend %s key %zu streams %zu blocks %zu: stream %zu differs", impl->name,
					      klen, n, nblocks, i);
				ck_assert_msg(memcmp(ivs[i], nblocks ? ref + 16 * (nblocks - 1) : ivs0[i], 16) == 0,
					      "cbc-multi: backend %s streams %zu blocks %zu: IV of stream %zu", impl->name, n,
					      nblocks, i);
			}
			free(plain);
		}
		fscrypt_ext__aes_key_wipe(&k);
		free(ivs);
		free(ivs0);
		free(src);
		free(dst);
		free(ref);
		free(in);
		free(out);
	}
}

START_TEST(test_selected_backend)
{
	const struct fscrypt_ext__aes_impl *impl = fscrypt_ext__aes_selected();

	check_backend(impl, 1500);
	check_multi(impl, 150);
	printf("backends: %s matched portable and OpenSSL (guard pages, splits, multi-stream CBC)\n", impl->name);
}
END_TEST

START_TEST(test_every_available_backend)
{
	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++) {
		if (!fscrypt_ext__aes_impls[i]->available())
			continue;
		check_backend(fscrypt_ext__aes_impls[i], 300);
		check_multi(fscrypt_ext__aes_impls[i], 30);
	}
}
END_TEST

/* ---- through the public API: keys stay on the backend that expanded them ---- */

START_TEST(test_inode_keeps_backend)
{
	static const uint8_t raw[64] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fscrypt_ext_context ctx = { 0 };
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *ref_inode, *inode;
	uint8_t *in = malloc(3 * 4096), *ref = malloc(3 * 4096), *out = malloc(3 * 4096);
	const char *name;
	int avail;

	ck_assert(in && ref && out);
	tu_rand(in, 3 * 4096);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	ctx.version = 2;
	ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, ctx.key_identifier), FSCRYPT_EXT_OK);
	tu_rand(ctx.nonce, sizeof(ctx.nonce));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ck_assert_int_eq(fscrypt_ext_backend_force("portable"), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, 77, &fs, &ref_inode), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(ref_inode, 8192, in, ref, 3 * 4096), FSCRYPT_EXT_OK);
	for (size_t i = 0; (name = fscrypt_ext_backend_at(i, &avail)) != NULL; i++) {
		if (!avail)
			continue;
		ck_assert_int_eq(fscrypt_ext_backend_force(name), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, 77, &fs, &inode), FSCRYPT_EXT_OK);
		/* A different backend selected afterwards must not change what this inode computes. */
		ck_assert_int_eq(fscrypt_ext_backend_force("portable"), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 8192, in, out, 3 * 4096), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, ref, 3 * 4096) == 0, "XTS data units: backend %s differs from portable", name);
		ck_assert_int_eq(fscrypt_ext_decrypt_data_units(inode, 8192, out, out, 3 * 4096), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(out, in, 3 * 4096) == 0, "XTS data units: backend %s does not decrypt", name);
		fscrypt_ext_inode_free(inode);
	}
	restore_backend();
	fscrypt_ext_inode_free(ref_inode);
	fscrypt_ext_master_key_free(mk);
	free(in);
	free(ref);
	free(out);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("backends");
	TCase *api = tcase_create("api"), *diff = tcase_create("differential");

	tcase_add_test(api, test_names_and_order);
	tcase_add_test(api, test_env_choice);
	tcase_add_test(api, test_force_each);
	tcase_add_test(api, test_inode_keeps_backend);
	tcase_set_timeout(diff, 600);
	tcase_add_test(diff, test_selected_backend);
	tcase_add_test(diff, test_every_available_backend);
	suite_add_tcase(s, api);
	suite_add_tcase(s, diff);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
