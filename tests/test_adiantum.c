/* Tests for Adiantum: XChaCha12, NH, Poly1305 and NH-Poly1305 on google/adiantum vectors, the full cipher, every SIMD path against the portable one, mode 9. */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cipher.h"
#include "crypto/adiantum.h"
#include "crypto/dispatch.h"
#include "fscrypt_ext/fscrypt_ext.h"

#define DATA_DIR FSCRYPT_EXT_SOURCE_DIR "/tests/data/adiantum/"
#define ADIANTUM_VECTORS FSCRYPT_EXT_TEST_VECTORS_DIR "/primitives/adiantum.json"

/* ------------------------------------------------------------------ helpers */

static json_object *load_json(const char *path)
{
	json_object *o = json_object_from_file(path);

	ck_assert_msg(o != NULL, "cannot read %s", path);
	return o;
}

/* The hex string at obj.a (or obj.a.b when b is not NULL), decoded. */
static uint8_t *field_hex(json_object *obj, const char *a, const char *b, size_t *len)
{
	json_object *x = NULL, *y = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, a, &x), "missing field %s", a);
	if (b != NULL) {
		ck_assert_msg(json_object_object_get_ex(x, b, &y), "missing field %s.%s", a, b);
		x = y;
	}
	return tu_hex(json_object_get_string(x), len);
}

static int field_int(json_object *obj, const char *a, const char *b)
{
	json_object *x = NULL, *y = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, a, &x), "missing field %s", a);
	if (b != NULL) {
		ck_assert_msg(json_object_object_get_ex(x, b, &y), "missing field %s.%s", a, b);
		x = y;
	}
	return json_object_get_int(x);
}

static void assert_same(const uint8_t *want, const uint8_t *got, size_t len, const char *what)
{
	if (memcmp(want, got, len) != 0) {
		char *w = tu_tohex(want, len), *g = tu_tohex(got, len);

		ck_abort_msg("%s (backend %s): expected %s, got %s", what, tu_backend(), w, g);
	}
}

/* The SIMD tables hold entries this CPU may lack; tests use the available ones. */
static const struct fscrypt_ext__chacha_impl *chacha_impl(size_t i)
{
	return fscrypt_ext__chacha_impls[i];
}

static const struct fscrypt_ext__nh_impl *nh_impl(size_t i)
{
	return fscrypt_ext__nh_impls[i];
}

static struct fscrypt_ext__adiantum_key *key_alloc(void)
{
	struct fscrypt_ext__adiantum_key *k = fscrypt_ext__alloc_secret(sizeof(*k));

	ck_assert(k != NULL);
	return k;
}

/* ------------------------------------------------------------------ ChaCha / XChaCha */

/* google/adiantum ChaCha and XChaCha files: key, nonce, then 64-byte blocks at given block counters. */
static void run_stream_file(const char *file, int rounds, int extended)
{
	json_object *root = load_json(file);
	size_t n = json_object_array_length(root), checked = 0;

	ck_assert_msg(n > 0, "%s is empty", file);
	for (size_t c = 0; chacha_impl(c) != NULL; c++) {
		const struct fscrypt_ext__chacha_impl *impl = chacha_impl(c);

		if (!impl->available())
			continue;
		for (size_t i = 0; i < n; i++) {
			json_object *v = json_object_array_get_idx(root, i), *tests = NULL;
			size_t key_len, nonce_len;
			uint8_t *key = field_hex(v, "input", "key_hex", &key_len);
			uint8_t *nonce = field_hex(v, "input", "nonce_hex", &nonce_len);
			uint32_t kw[8];

			ck_assert_uint_eq(key_len, 32);
			ck_assert_uint_eq(nonce_len, extended ? 24 : 8);
			ck_assert_msg(field_int(v, "cipher", "rounds") == rounds, "%s: unexpected rounds", file);
			fscrypt_ext__chacha_load_key(kw, key);
			ck_assert(json_object_object_get_ex(v, "tests", &tests));
			for (size_t t = 0; t < json_object_array_length(tests); t++) {
				json_object *tv = json_object_array_get_idx(tests, t);
				uint64_t offset = (uint64_t)field_int(tv, "input", "offset");
				size_t res_len;
				uint8_t *want = field_hex(tv, "result_hex", NULL, &res_len);
				/* Three blocks from this counter: the wanted one, then two more the SIMD code must also get right. */
				uint8_t zero[3 * 64] = { 0 }, got[3 * 64], ref[3 * 64];
				uint32_t st[16], st_ref[16];
				char what[160];

				ck_assert_uint_eq(res_len, 64);
				if (extended)
					fscrypt_ext__xchacha_init(st, kw, nonce, rounds);
				else
					fscrypt_ext__chacha_init(st, kw, 0, nonce);
				st[12] = (uint32_t)offset;
				st[13] = (uint32_t)(offset >> 32);
				memcpy(st_ref, st, sizeof(st));
				impl->xor_stream(st, zero, got, sizeof(got), rounds);
				snprintf(what, sizeof(what), "%s #%zu offset %llu impl %s", file, i, (unsigned long long)offset,
					 impl->name);
				assert_same(want, got, 64, what);
				fscrypt_ext__chacha_portable.xor_stream(st_ref, zero, ref, sizeof(ref), rounds);
				assert_same(ref, got, sizeof(got), what);
				ck_assert_uint_eq(st[12], st_ref[12]);
				free(want);
				checked++;
			}
			free(key);
			free(nonce);
		}
	}
	ck_assert_uint_gt(checked, 0);
	json_object_put(root);
}

START_TEST(test_chacha12_vectors)
{
	run_stream_file(DATA_DIR "ChaCha12_32.json", 12, 0);
}
END_TEST

START_TEST(test_xchacha12_vectors)
{
	run_stream_file(DATA_DIR "XChaCha12_32.json", 12, 1);
}
END_TEST

START_TEST(test_xchacha20_vectors)
{
	run_stream_file(DATA_DIR "XChaCha20_32.json", 20, 1);
}
END_TEST

/* The same code with 20 rounds is libsodium's XChaCha20 (same 64-bit counter layout): random keys, nonces, lengths. */
START_TEST(test_xchacha20_vs_libsodium)
{
	for (size_t c = 0; chacha_impl(c) != NULL; c++) {
		const struct fscrypt_ext__chacha_impl *impl = chacha_impl(c);

		if (!impl->available())
			continue;
		for (int iter = 0; iter < 200; iter++) {
			uint8_t key[32], nonce[24], in[1500], got[1500], want[1500];
			size_t len = iter < 40 ? (size_t)iter * 37 : tu_rand_u32() % sizeof(in);
			uint32_t kw[8], st[16];

			tu_rand(key, sizeof(key));
			tu_rand(nonce, sizeof(nonce));
			tu_rand(in, sizeof(in));
			fscrypt_ext__chacha_load_key(kw, key);
			fscrypt_ext__xchacha_init(st, kw, nonce, 20);
			impl->xor_stream(st, in, got, len, 20);
			ck_assert_int_eq(crypto_stream_xchacha20_xor(want, in, len, nonce, key), 0);
			if (memcmp(got, want, len) != 0)
				ck_abort_msg("xchacha20 impl %s len %zu differs from libsodium", impl->name, len);
			/* in place */
			memcpy(got, in, len);
			fscrypt_ext__xchacha_init(st, kw, nonce, 20);
			impl->xor_stream(st, got, got, len, 20);
			ck_assert_msg(memcmp(got, want, len) == 0, "xchacha20 impl %s len %zu in place", impl->name, len);
		}
	}
}
END_TEST

/* A batch whose low counter word wraps must carry into word 13 like the portable code. */
START_TEST(test_chacha_counter_carry)
{
	for (size_t c = 0; chacha_impl(c) != NULL; c++) {
		const struct fscrypt_ext__chacha_impl *impl = chacha_impl(c);
		uint8_t key[32], nonce[8], zero[1024] = { 0 }, got[1024], ref[1024];
		uint32_t kw[8], st[16], st_ref[16];

		if (!impl->available())
			continue;
		tu_rand(key, sizeof(key));
		tu_rand(nonce, sizeof(nonce));
		fscrypt_ext__chacha_load_key(kw, key);
		fscrypt_ext__chacha_init(st, kw, 0xfffffffbull, nonce);
		memcpy(st_ref, st, sizeof(st));
		impl->xor_stream(st, zero, got, sizeof(got), 12);
		fscrypt_ext__chacha_portable.xor_stream(st_ref, zero, ref, sizeof(ref), 12);
		ck_assert_msg(memcmp(got, ref, sizeof(got)) == 0, "impl %s: counter carry", impl->name);
		ck_assert_uint_eq(st[12], st_ref[12]);
		ck_assert_uint_eq(st[13], 1);
	}
}
END_TEST

/* ------------------------------------------------------------------ NH, Poly1305, NH-Poly1305 */

START_TEST(test_nh_vectors)
{
	json_object *root = load_json(DATA_DIR "NH.json");
	size_t n = json_object_array_length(root);

	ck_assert_uint_gt(n, 0);
	for (size_t c = 0; nh_impl(c) != NULL; c++) {
		const struct fscrypt_ext__nh_impl *impl = nh_impl(c);

		if (!impl->available())
			continue;
		for (size_t i = 0; i < n; i++) {
			json_object *v = json_object_array_get_idx(root, i);
			size_t key_len, msg_len, hash_len;
			uint8_t *key = field_hex(v, "input", "key_hex", &key_len);
			uint8_t *msg = field_hex(v, "input", "message_hex", &msg_len);
			uint8_t *want = field_hex(v, "hash_hex", NULL, &hash_len);
			uint32_t kw[FSCRYPT_EXT__NH_KEY_WORDS];
			uint8_t got[32];
			char what[96];

			ck_assert_uint_eq(key_len, FSCRYPT_EXT__NH_KEY_BYTES);
			ck_assert_uint_eq(hash_len, 32);
			impl->load_key(kw, key);
			impl->hash(kw, msg, msg_len, got);
			snprintf(what, sizeof(what), "NH #%zu len %zu impl %s", i, msg_len, impl->name);
			assert_same(want, got, 32, what);
			free(key);
			free(msg);
			free(want);
		}
	}
	json_object_put(root);
}
END_TEST

/* Every NH backend against the portable one on random keys and every length. */
START_TEST(test_nh_simd_vs_portable)
{
	uint32_t kw[FSCRYPT_EXT__NH_KEY_WORDS], kw_ref[FSCRYPT_EXT__NH_KEY_WORDS];
	uint8_t key[FSCRYPT_EXT__NH_KEY_BYTES], msg[FSCRYPT_EXT__NH_MESSAGE_BYTES + 1];

	for (size_t c = 0; nh_impl(c) != NULL; c++) {
		const struct fscrypt_ext__nh_impl *impl = nh_impl(c);

		if (!impl->available())
			continue;
		for (size_t len = 16; len <= FSCRYPT_EXT__NH_MESSAGE_BYTES; len += 16) {
			uint8_t got[32], want[32];

			tu_rand(key, sizeof(key));
			tu_rand(msg, sizeof(msg));
			impl->load_key(kw, key);
			fscrypt_ext__nh_portable.load_key(kw_ref, key);
			/* msg + 1: unaligned input */
			impl->hash(kw, msg + 1, len, got);
			fscrypt_ext__nh_portable.hash(kw_ref, msg + 1, len, want);
			ck_assert_msg(memcmp(got, want, 32) == 0, "NH impl %s len %zu", impl->name, len);
		}
	}
}
END_TEST

/* Poly1305 with s added back (128-bit addition) is RFC 8439 Poly1305: google/adiantum vectors. */
START_TEST(test_poly1305_vectors)
{
	json_object *root = load_json(DATA_DIR "Poly1305.json");
	size_t n = json_object_array_length(root);

	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(root, i);
		size_t key_len, mask_len, msg_len, mac_len;
		uint8_t *key = field_hex(v, "input", "key_hex", &key_len);
		uint8_t *mask = field_hex(v, "input", "mask_hex", &mask_len);
		uint8_t *msg = field_hex(v, "input", "message_hex", &msg_len);
		uint8_t *want = field_hex(v, "mac_hex", NULL, &mac_len);
		struct fscrypt_ext__poly1305_key k;
		struct fscrypt_ext__poly1305_state st;
		uint8_t h[16], got[16];
		uint64_t lo, hi, slo;
		char what[64];

		ck_assert_uint_eq(key_len, 16);
		ck_assert_uint_eq(mask_len, 16);
		fscrypt_ext__poly1305_setkey(&k, key);
		fscrypt_ext__poly1305_init(&st);
		fscrypt_ext__poly1305_blocks(&st, &k, msg, msg_len / 16);
		if (msg_len % 16)
			fscrypt_ext__poly1305_partial(&st, &k, msg + (msg_len & ~(size_t)15), msg_len % 16);
		fscrypt_ext__poly1305_emit(&st, h);
		slo = fscrypt_ext__le64(mask);
		lo = fscrypt_ext__le64(h) + slo;
		hi = fscrypt_ext__le64(h + 8) + fscrypt_ext__le64(mask + 8) + (lo < slo);
		fscrypt_ext__put_le64(got, lo);
		fscrypt_ext__put_le64(got + 8, hi);
		snprintf(what, sizeof(what), "Poly1305 #%zu len %zu", i, msg_len);
		assert_same(want, got, 16, what);
		free(key);
		free(mask);
		free(msg);
		free(want);
	}
	json_object_put(root);
}
END_TEST

/* With s = 0, libsodium's Poly1305 tag is the bare polynomial hash: random keys and lengths, including r near the clamp limits. */
START_TEST(test_poly1305_vs_libsodium)
{
	for (int iter = 0; iter < 500; iter++) {
		uint8_t key[32] = { 0 }, msg[300], got[16], want[16];
		size_t len = iter < 64 ? (size_t)iter : tu_rand_u32() % sizeof(msg);
		struct fscrypt_ext__poly1305_key k;
		struct fscrypt_ext__poly1305_state st;

		tu_rand(key, 16);
		if (iter % 5 == 0)
			memset(key, 0xff, 16);
		tu_rand(msg, sizeof(msg));
		if (iter % 7 == 0)
			memset(msg, 0xff, sizeof(msg));
		fscrypt_ext__poly1305_setkey(&k, key);
		fscrypt_ext__poly1305_init(&st);
		fscrypt_ext__poly1305_blocks(&st, &k, msg, len / 16);
		if (len % 16)
			fscrypt_ext__poly1305_partial(&st, &k, msg + (len & ~(size_t)15), len % 16);
		fscrypt_ext__poly1305_emit(&st, got);
		ck_assert_int_eq(crypto_onetimeauth_poly1305(want, msg, len, key), 0);
		if (memcmp(got, want, 16) != 0) {
			char *kh = tu_tohex(key, 16);

			ck_abort_msg("Poly1305 len %zu key %s differs from libsodium", len, kh);
		}
	}
}
END_TEST

START_TEST(test_nhpoly1305_vectors)
{
	json_object *root = load_json(DATA_DIR "NHPoly1305.json");
	size_t n = json_object_array_length(root);
	struct fscrypt_ext__adiantum_key *k = key_alloc();

	ck_assert_uint_gt(n, 0);
	for (size_t c = 0; nh_impl(c) != NULL; c++) {
		if (!nh_impl(c)->available())
			continue;
		for (size_t i = 0; i < n; i++) {
			json_object *v = json_object_array_get_idx(root, i);
			size_t key_len, msg_len, hash_len;
			uint8_t *key = field_hex(v, "input", "key_hex", &key_len);
			uint8_t *msg = field_hex(v, "input", "message_hex", &msg_len);
			uint8_t *want = field_hex(v, "hash_hex", NULL, &hash_len);
			uint8_t got[16];
			char what[96];

			/* Linux nhpoly1305 key layout: Poly1305 r (16 bytes), then the NH key. */
			ck_assert_uint_eq(key_len, 16 + FSCRYPT_EXT__NH_KEY_BYTES);
			memset(k, 0, sizeof(*k));
			k->nh = nh_impl(c);
			fscrypt_ext__poly1305_setkey(&k->msg_poly, key);
			nh_impl(c)->load_key(k->nh_key, key + 16);
			fscrypt_ext__adiantum_nhpoly1305(k, msg, msg_len, got);
			snprintf(what, sizeof(what), "NHPoly1305 #%zu len %zu nh %s", i, msg_len, nh_impl(c)->name);
			assert_same(want, got, 16, what);
			free(key);
			free(msg);
			free(want);
		}
	}
	fscrypt_ext__free_secret(k, sizeof(*k));
	json_object_put(root);
}
END_TEST

/* ------------------------------------------------------------------ Adiantum */

/* Spec section 10.5 (Linux testmgr adiantum_xchacha12_aes_tv_template[0]), through the public API. */
START_TEST(test_adiantum_spec_vector)
{
	uint8_t key[32], tweak[32], pt[16], ct[16], buf[16];

	tu_hex_into("9eebb2493c1cf5f46a99c2c4dfb1f4dd752057ea2c4fcdb2a53d7b491eabfd0f", key, 32);
	tu_hex_into("df63d4abd249f3d8338137607dfa7308d8496d80e82f6254eb0ea9395b457f8a", tweak, 32);
	tu_hex_into("67c9f23084418e43fbf3b33e79367fe8", pt, 16);
	tu_hex_into("6d32861867860f3f967c9d280d53ec9f", ct, 16);
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, pt, buf, 16), FSCRYPT_EXT_OK);
	assert_same(ct, buf, 16, "spec 10.5 encrypt");
	ck_assert_int_eq(fscrypt_ext_adiantum_decrypt(key, tweak, 32, buf, buf, 16), FSCRYPT_EXT_OK);
	assert_same(pt, buf, 16, "spec 10.5 decrypt in place");
}
END_TEST

/* Every vector of tests/vectors/primitives/adiantum.json with every XChaCha x NH backend pair, both directions, in place too. */
START_TEST(test_adiantum_vectors)
{
	json_object *root = load_json(ADIANTUM_VECTORS), *vecs = NULL;
	struct fscrypt_ext__adiantum_key *k = key_alloc();
	size_t n, checked = 0;

	ck_assert(json_object_object_get_ex(root, "vectors", &vecs));
	n = json_object_array_length(vecs);
	ck_assert_uint_ge(n, 100);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(vecs, i);
		size_t key_len, tweak_len, pt_len, ct_len;
		uint8_t *key = field_hex(v, "key", NULL, &key_len);
		uint8_t *tweak = field_hex(v, "tweak", NULL, &tweak_len);
		uint8_t *pt = field_hex(v, "plaintext", NULL, &pt_len);
		uint8_t *ct = field_hex(v, "ciphertext", NULL, &ct_len);
		uint8_t *buf = malloc(pt_len + 1);

		ck_assert(buf != NULL);
		ck_assert_uint_eq(key_len, 32);
		ck_assert_uint_eq(pt_len, ct_len);
		for (size_t c = 0; chacha_impl(c) != NULL; c++) {
			for (size_t h = 0; nh_impl(h) != NULL; h++) {
				char what[160];

				if (!chacha_impl(c)->available() || !nh_impl(h)->available())
					continue;
				snprintf(what, sizeof(what), "vector #%zu len %zu tweak %zu chacha %s nh %s", i, pt_len,
					 tweak_len, chacha_impl(c)->name, nh_impl(h)->name);
				ck_assert_int_eq(fscrypt_ext__adiantum_setkey_impl(k, key, chacha_impl(c), nh_impl(h), NULL),
						 FSCRYPT_EXT_OK);
				/* out of place, output unaligned */
				fscrypt_ext__adiantum_encrypt(k, tweak, tweak_len, pt, buf + 1, pt_len);
				assert_same(ct, buf + 1, ct_len, what);
				fscrypt_ext__adiantum_decrypt(k, tweak, tweak_len, ct, buf + 1, ct_len);
				assert_same(pt, buf + 1, pt_len, what);
				/* in place */
				memcpy(buf, pt, pt_len);
				fscrypt_ext__adiantum_encrypt(k, tweak, tweak_len, buf, buf, pt_len);
				assert_same(ct, buf, ct_len, what);
				fscrypt_ext__adiantum_decrypt(k, tweak, tweak_len, buf, buf, ct_len);
				assert_same(pt, buf, pt_len, what);
				checked++;
			}
		}
		/* the public one-shot API */
		ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, tweak_len, pt, buf, pt_len), FSCRYPT_EXT_OK);
		assert_same(ct, buf, ct_len, "public encrypt");
		ck_assert_int_eq(fscrypt_ext_adiantum_decrypt(key, tweak, tweak_len, ct, buf, ct_len), FSCRYPT_EXT_OK);
		assert_same(pt, buf, pt_len, "public decrypt");
		free(key);
		free(tweak);
		free(pt);
		free(ct);
		free(buf);
	}
	ck_assert_uint_ge(checked, n);
	fscrypt_ext__free_secret(k, sizeof(*k));
	json_object_put(root);
}
END_TEST

/*
 * Random keys, tweaks and lengths (16..4096, odd filename lengths included):
 * every backend pair equals portable/portable, decrypts back, and works in place.
 */
START_TEST(test_adiantum_simd_vs_portable)
{
	struct fscrypt_ext__adiantum_key *ref = key_alloc(), *k = key_alloc();
	uint8_t *pt = malloc(4096 + 3), *want = malloc(4096), *got = malloc(4096 + 3);

	ck_assert(pt != NULL && want != NULL && got != NULL);
	for (int iter = 0; iter < 300; iter++) {
		uint8_t key[32], tweak[48];
		size_t len, tweak_len = iter % 4 == 3 ? tu_rand_u32() % sizeof(tweak) : 32;
		size_t off = tu_rand_u32() % 4;

		if (iter < 40)
			len = 16 + (size_t)iter;           /* short names: 16..55 */
		else if (iter < 80)
			len = 16 + tu_rand_u32() % 240;   /* names up to NAME_MAX */
		else if (iter % 3 == 0)
			len = 512u << (tu_rand_u32() % 4); /* data units 512..4096 */
		else
			len = 16 + tu_rand_u32() % (4096 - 15);
		tu_rand(key, sizeof(key));
		tu_rand(tweak, sizeof(tweak));
		tu_rand(pt, len + off);
		ck_assert_int_eq(fscrypt_ext__adiantum_setkey_impl(ref, key, &fscrypt_ext__chacha_portable,
								    &fscrypt_ext__nh_portable, NULL), FSCRYPT_EXT_OK);
		fscrypt_ext__adiantum_encrypt(ref, tweak, tweak_len, pt + off, want, len);
		for (size_t c = 0; chacha_impl(c) != NULL; c++) {
			for (size_t h = 0; nh_impl(h) != NULL; h++) {
				if (!chacha_impl(c)->available() || !nh_impl(h)->available())
					continue;
				ck_assert_int_eq(fscrypt_ext__adiantum_setkey_impl(k, key, chacha_impl(c), nh_impl(h), NULL),
						 FSCRYPT_EXT_OK);
				fscrypt_ext__adiantum_encrypt(k, tweak, tweak_len, pt + off, got + 3 - off, len);
				ck_assert_msg(memcmp(got + 3 - off, want, len) == 0,
					      "encrypt len %zu tweak %zu chacha %s nh %s backend %s differs from portable", len,
					      tweak_len, chacha_impl(c)->name, nh_impl(h)->name, tu_backend());
				memcpy(got + off, want, len);
				fscrypt_ext__adiantum_decrypt(k, tweak, tweak_len, got + off, got + off, len);
				ck_assert_msg(memcmp(got + off, pt + off, len) == 0,
					      "decrypt in place len %zu tweak %zu chacha %s nh %s backend %s", len, tweak_len,
					      chacha_impl(c)->name, nh_impl(h)->name, tu_backend());
			}
		}
	}
	fscrypt_ext__free_secret(ref, sizeof(*ref));
	fscrypt_ext__free_secret(k, sizeof(*k));
	free(pt);
	free(want);
	free(got);
}
END_TEST

/* A wide-block cipher: flipping any one byte of the input changes every 16-byte block of the output. */
START_TEST(test_adiantum_diffusion)
{
	uint8_t key[32], tweak[32], pt[255], a[255], b[255];

	tu_rand(key, sizeof(key));
	tu_rand(tweak, sizeof(tweak));
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, pt, a, sizeof(pt)), FSCRYPT_EXT_OK);
	for (size_t pos = 0; pos < sizeof(pt); pos += 17) {
		pt[pos] ^= 0x01;
		ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, pt, b, sizeof(pt)), FSCRYPT_EXT_OK);
		pt[pos] ^= 0x01;
		for (size_t blk = 0; blk + 16 <= sizeof(pt); blk += 16)
			ck_assert_msg(memcmp(a + blk, b + blk, 16) != 0, "flip at %zu left block at %zu unchanged", pos, blk);
	}
	/* and the tweak matters */
	tweak[31] ^= 0x80;
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, pt, b, sizeof(pt)), FSCRYPT_EXT_OK);
	ck_assert(memcmp(a, b, 16) != 0 && memcmp(a + 224, b + 224, 16) != 0);
}
END_TEST

START_TEST(test_adiantum_bad_input)
{
	uint8_t key[32] = { 0 }, tweak[32] = { 0 }, in[32] = { 0 }, out[32];

	memset(out, 0xa5, sizeof(out));
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(NULL, tweak, 32, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, NULL, 32, in, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, NULL, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_adiantum_decrypt(key, tweak, 32, in, NULL, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	for (size_t len = 0; len < 16; len++) {
		ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, tweak, 32, in, out, len), FSCRYPT_EXT_ERR_INVALID_ARG);
		ck_assert_int_eq(fscrypt_ext_adiantum_decrypt(key, tweak, 32, in, out, len), FSCRYPT_EXT_ERR_INVALID_ARG);
	}
	for (size_t i = 0; i < sizeof(out); i++)
		ck_assert_msg(out[i] == 0xa5, "output touched at %zu after a refused call", i);
	/* no tweak at all is valid */
	ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, NULL, 0, in, out, 32), FSCRYPT_EXT_OK);
}
END_TEST

/* Mode 9 in the mode table: contents and names are Adiantum with the 32-byte IV as tweak. */
START_TEST(test_adiantum_mode9)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(9);
	struct fscrypt_ext__cipher *c = fscrypt_ext__alloc_secret(sizeof(*c));
	uint8_t key[32], iv[32], pt[4096], a[4096], b[4096];
	static const size_t lens[] = { 16, 20, 32, 255, 512, 4096 };

	ck_assert(c != NULL);
	ck_assert(m != NULL);
	ck_assert_uint_eq(m->key_size, 32);
	ck_assert_uint_eq(m->iv_size, 32);
	ck_assert(m->setkey && m->encrypt_unit && m->decrypt_unit && m->encrypt_name && m->decrypt_name);
	tu_rand(key, sizeof(key));
	tu_rand(iv, sizeof(iv));
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext__cipher_init(c, m, key), FSCRYPT_EXT_OK);
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(lens); i++) {
		size_t len = lens[i];

		ck_assert_int_eq(fscrypt_ext_adiantum_encrypt(key, iv, 32, pt, a, len), FSCRYPT_EXT_OK);
		if (len % 16 == 0) {
			m->encrypt_unit(c, iv, pt, b, len);
			ck_assert_msg(memcmp(a, b, len) == 0, "mode 9 encrypt_unit len %zu", len);
			m->decrypt_unit(c, iv, b, b, len);
			ck_assert_msg(memcmp(pt, b, len) == 0, "mode 9 decrypt_unit len %zu", len);
		}
		m->encrypt_name(c, iv, pt, b, len);
		ck_assert_msg(memcmp(a, b, len) == 0, "mode 9 encrypt_name len %zu", len);
		m->decrypt_name(c, iv, b, b, len);
		ck_assert_msg(memcmp(pt, b, len) == 0, "mode 9 decrypt_name len %zu", len);
	}
	fscrypt_ext__cipher_wipe(c);
	fscrypt_ext__free_secret(c, sizeof(*c));
}
END_TEST

/*
 * The key takes the dispatch's current ChaCha and NH: the best available ones
 * with no profile, the portable ones under "portable", and the AVX2 ChaCha
 * under a profile that rules out AVX-512 ("aesni", "vaes-avx2").
 */
START_TEST(test_adiantum_dispatch)
{
	struct fscrypt_ext__adiantum_key *k = key_alloc();
	uint8_t key[32] = { 1 };

	int portable = fscrypt_ext__aes_selected() == &fscrypt_ext__aes_portable;

	ck_assert(fscrypt_ext__chacha_best()->available());
	ck_assert(fscrypt_ext__nh_best()->available());
	ck_assert_int_eq(fscrypt_ext__adiantum_setkey(k, key), FSCRYPT_EXT_OK);
	ck_assert_ptr_eq(k->chacha, fscrypt_ext__dispatch()->chacha);
	ck_assert_ptr_eq(k->nh, fscrypt_ext__dispatch()->nh);
	if (portable) {
		ck_assert_ptr_eq(k->chacha, &fscrypt_ext__chacha_portable);
		ck_assert_ptr_eq(k->nh, &fscrypt_ext__nh_portable);
	} else if (getenv("FSCRYPT_EXT_BACKEND") == NULL) {
		ck_assert_ptr_eq(k->chacha, fscrypt_ext__chacha_best());
		ck_assert_ptr_eq(k->nh, fscrypt_ext__nh_best());
	}
	printf("adiantum backends: xchacha12 %s, nh %s, aes %s\n", k->chacha->name, k->nh->name, tu_backend());
	fscrypt_ext__free_secret(k, sizeof(*k));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("adiantum");
	TCase *tc = tcase_create("adiantum");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_chacha12_vectors);
	tcase_add_test(tc, test_xchacha12_vectors);
	tcase_add_test(tc, test_xchacha20_vectors);
	tcase_add_test(tc, test_xchacha20_vs_libsodium);
	tcase_add_test(tc, test_chacha_counter_carry);
	tcase_add_test(tc, test_nh_vectors);
	tcase_add_test(tc, test_nh_simd_vs_portable);
	tcase_add_test(tc, test_poly1305_vectors);
	tcase_add_test(tc, test_poly1305_vs_libsodium);
	tcase_add_test(tc, test_nhpoly1305_vectors);
	tcase_add_test(tc, test_adiantum_spec_vector);
	tcase_add_test(tc, test_adiantum_vectors);
	tcase_add_test(tc, test_adiantum_simd_vs_portable);
	tcase_add_test(tc, test_adiantum_diffusion);
	tcase_add_test(tc, test_adiantum_bad_input);
	tcase_add_test(tc, test_adiantum_mode9);
	tcase_add_test(tc, test_adiantum_dispatch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
