/* AES key setup options (encryption-only schedules, pre-cleared keys) and the per-extent XTS setup built on them. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "cipher.h"
#include "modes/modes.h"
#include "crypto/aes.h"
#include "crypto/dispatch.h"
#include "fscrypt_ext/fscrypt_ext.h"

#define ROUNDS_PER_CASE 64

/* Every backend this CPU can run, whatever FSCRYPT_EXT_BACKEND says: this suite runs once. */
#define FOR_EACH_IMPL(impl)                                                                                            \
	for (size_t impl##_i = 0; fscrypt_ext__aes_impls[impl##_i] != NULL; impl##_i++)                                 \
		for (const struct fscrypt_ext__aes_impl *impl = fscrypt_ext__aes_impls[impl##_i];                       \
		     impl != NULL && impl->available(); impl = NULL)

static size_t rand_klen(void)
{
	return 16 + 8 * (tu_rand_u32() % 3);
}

/* An encryption-only key encrypts exactly as the full key, for every key size and backend. */
START_TEST(test_enc_only_encrypts_like_full_key)
{
	static struct fscrypt_ext__aes_key full, enc;

	FOR_EACH_IMPL(impl)
	{
		for (int r = 0; r < ROUNDS_PER_CASE; r++) {
			size_t klen = rand_klen(), nb = 1 + tu_rand_u32() % 24;
			uint8_t key[32], in[16 * 24], a[16 * 24], b[16 * 24];

			tu_rand(key, klen);
			tu_rand(in, sizeof(in));
			ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&full, key, klen, impl), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&enc, key, klen, impl, FSCRYPT_EXT__AES_ENC_ONLY),
					 FSCRYPT_EXT_OK);
			ck_assert_ptr_eq(enc.impl, impl);
			ck_assert_uint_eq(enc.rounds, klen / 4 + 6);
			fscrypt_ext__aes_ecb_encrypt(&full, in, a, nb);
			fscrypt_ext__aes_ecb_encrypt(&enc, in, b, nb);
			ck_assert_msg(memcmp(a, b, 16 * nb) == 0, "ENC_ONLY ECB differs: backend %s AES-%zu blocks %zu",
				      impl->name, klen * 8, nb);
			if (impl != &fscrypt_ext__aes_portable)
				ck_assert_msg(memcmp(full.u.hw.enc, enc.u.hw.enc, 16 * (full.rounds + 1)) == 0,
					      "ENC_ONLY round keys differ: backend %s AES-%zu", impl->name, klen * 8);
		}
	}
	fscrypt_ext__aes_key_wipe(&full);
	fscrypt_ext__aes_key_wipe(&enc);
}
END_TEST

/*
 * Without ZEROED, setkey leaves nothing of what the key struct held before
 * (here a 0xa5 fill standing for an older key): the result is byte-identical
 * to a setkey into a cleared struct. With ZEROED into a cleared struct too.
 */
START_TEST(test_setkey_clears_stale_bytes)
{
	static struct fscrypt_ext__aes_key clean, dirty, pre;
	static const unsigned int flag_sets[] = { 0, FSCRYPT_EXT__AES_ENC_ONLY };

	FOR_EACH_IMPL(impl)
	{
		for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
			for (int r = 0; r < 8; r++) {
				size_t klen = 16 + 8 * (size_t)(r % 3);
				uint8_t key[32];

				tu_rand(key, klen);
				memset(&clean, 0, sizeof(clean));
				memset(&dirty, 0xa5, sizeof(dirty));
				memset(&pre, 0, sizeof(pre));
				ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&clean, key, klen, impl, flag_sets[f]),
						 FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&dirty, key, klen, impl, flag_sets[f]),
						 FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&pre, key, klen, impl,
									    flag_sets[f] | FSCRYPT_EXT__AES_ZEROED),
						 FSCRYPT_EXT_OK);
				ck_assert_msg(memcmp(&clean, &dirty, sizeof(clean)) == 0,
					      "stale bytes after setkey: backend %s AES-%zu flags %u", impl->name,
					      klen * 8, flag_sets[f]);
				ck_assert_msg(memcmp(&clean, &pre, sizeof(clean)) == 0,
					      "ZEROED differs: backend %s AES-%zu flags %u", impl->name, klen * 8,
					      flag_sets[f]);
			}
		}
	}
	fscrypt_ext__aes_key_wipe(&clean);
	fscrypt_ext__aes_key_wipe(&dirty);
	fscrypt_ext__aes_key_wipe(&pre);
}
END_TEST

START_TEST(test_setkey_ex_bad_arguments)
{
	static struct fscrypt_ext__aes_key k;
	uint8_t key[32] = { 7 };
	static const size_t bad_len[] = { 0, 15, 17, 20, 31, 33, 64 };

	ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&k, key, 32, NULL, 0x4u), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&k, key, 32, NULL, ~0u), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(NULL, key, 32, NULL, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&k, NULL, 32, NULL, FSCRYPT_EXT__AES_ENC_ONLY),
			 FSCRYPT_EXT_ERR_INVALID_ARG);
	for (size_t i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++)
		ck_assert_msg(fscrypt_ext__aes_setkey_ex(&k, key, bad_len[i], NULL, FSCRYPT_EXT__AES_ENC_ONLY) ==
				      FSCRYPT_EXT_ERR_INVALID_ARG,
			      "key length %zu", bad_len[i]);
	/* NULL impl means the selected backend. */
	ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&k, key, 32, NULL, 0), FSCRYPT_EXT_OK);
	ck_assert_ptr_eq(k.impl, fscrypt_ext__aes_selected());
	fscrypt_ext__aes_key_wipe(&k);
}
END_TEST

/*
 * Batched AES-256 expansion (the backend's expand_keys_256, or the loop that
 * stands in for it) gives byte for byte the keys that one setkey per key
 * gives, for every batch size up to 32, random encryption-only masks, with
 * and without ZEROED, on every backend. AES-256 only: the batch supports
 * no other size.
 */
START_TEST(test_setkeys_256_matches_single)
{
	static struct fscrypt_ext__aes_key single[32], batch[32];
	struct fscrypt_ext__aes_key *kp[32];
	uint8_t raw[32][32];
	const uint8_t *rp[32];

	for (size_t i = 0; i < 32; i++) {
		kp[i] = &batch[i];
		rp[i] = raw[i];
	}
	FOR_EACH_IMPL(impl)
	{
		for (size_t n = 0; n <= 32; n++) {
			for (int zeroed = 0; zeroed < 2; zeroed++) {
				uint32_t enc_only = tu_rand_u32();

				tu_rand(raw, sizeof(raw));
				memset(single, 0, sizeof(single));
				memset(batch, zeroed ? 0 : 0xa5, sizeof(batch));
				for (size_t i = 0; i < n; i++)
					ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&single[i], raw[i], 32, impl,
										    ((enc_only >> i) & 1) ? FSCRYPT_EXT__AES_ENC_ONLY : 0),
							 FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(kp, rp, n, impl,
									      zeroed ? FSCRYPT_EXT__AES_ZEROED : 0, enc_only),
						 FSCRYPT_EXT_OK);
				for (size_t i = 0; i < n; i++)
					ck_assert_msg(memcmp(&single[i], &batch[i], sizeof(single[i])) == 0,
						      "batched key %zu of %zu differs: backend %s enc_only 0x%08x zeroed %d",
						      i, n, impl->name, (unsigned int)enc_only, zeroed);
				/* Keys past n are left alone. */
				for (size_t i = n; i < 32; i++)
					ck_assert_msg(((const uint8_t *)&batch[i])[0] == (zeroed ? 0 : 0xa5),
						      "key %zu past n %zu written: backend %s", i, n, impl->name);
			}
		}
		/* ENC_ONLY in flags makes every key encryption-only. */
		memset(single, 0, sizeof(single));
		memset(batch, 0, sizeof(batch));
		tu_rand(raw, sizeof(raw));
		for (size_t i = 0; i < 9; i++)
			ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(&single[i], raw[i], 32, impl, FSCRYPT_EXT__AES_ENC_ONLY),
					 FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(kp, rp, 9, impl, FSCRYPT_EXT__AES_ENC_ONLY, 0),
				 FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(single, batch, 9 * sizeof(single[0])) == 0, "ENC_ONLY batch: backend %s",
			      impl->name);
	}
	ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(kp, rp, 33, NULL, 0, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(kp, rp, 2, NULL, 0x4u, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(NULL, rp, 2, NULL, 0, 0), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext__wipe(single, sizeof(single));
	fscrypt_ext__wipe(batch, sizeof(batch));
	fscrypt_ext__wipe(raw, sizeof(raw));
}
END_TEST

/*
 * A key allocated only as far as fscrypt_ext__aes_key_size says (ASan
 * builds see any access past it) is set up and encrypts (and, unless
 * ENC_ONLY, decrypts) like a full one.
 */
START_TEST(test_key_size_is_enough)
{
	static const unsigned int flag_sets[] = { 0, FSCRYPT_EXT__AES_ENC_ONLY };

	FOR_EACH_IMPL(impl)
	{
		for (size_t f = 0; f < 2; f++) {
			size_t sz = fscrypt_ext__aes_key_size(impl, flag_sets[f]);
			static struct fscrypt_ext__aes_key full;
			struct fscrypt_ext__aes_key *k = NULL;
			uint8_t key[32], in[16 * 9], a[16 * 9], b[16 * 9];
			const uint8_t *rp[1] = { key };

			ck_assert_msg(sz > offsetof(struct fscrypt_ext__aes_key, u) && sz <= sizeof(full),
				      "key size %zu: backend %s", sz, impl->name);
			ck_assert_int_eq(posix_memalign((void **)&k, 64, sz), 0);
			memset(k, 0, sz);
			tu_rand(key, sizeof(key));
			tu_rand(in, sizeof(in));
			ck_assert_int_eq(fscrypt_ext__aes_setkey_ex(k, key, 32, impl, flag_sets[f] | FSCRYPT_EXT__AES_ZEROED),
					 FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&full, key, 32, impl), FSCRYPT_EXT_OK);
			fscrypt_ext__aes_ecb_encrypt(&full, in, a, 9);
			fscrypt_ext__aes_ecb_encrypt(k, in, b, 9);
			ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "trimmed key encrypts differently: backend %s flags %u",
				      impl->name, flag_sets[f]);
			if (!(flag_sets[f] & FSCRYPT_EXT__AES_ENC_ONLY)) {
				fscrypt_ext__aes_ecb_decrypt(k, a, b, 9);
				ck_assert_msg(memcmp(in, b, sizeof(in)) == 0, "trimmed key decrypts wrong: backend %s",
					      impl->name);
			}
			/* The batch writes no further either. */
			fscrypt_ext__wipe(k, sz);
			ck_assert_int_eq(fscrypt_ext__aes_setkeys_256(&k, rp, 1, impl,
								      flag_sets[f] | FSCRYPT_EXT__AES_ZEROED, 0),
					 FSCRYPT_EXT_OK);
			fscrypt_ext__aes_ecb_encrypt(k, in, b, 9);
			ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "trimmed batch key: backend %s", impl->name);
			fscrypt_ext__wipe(k, sz);
			free(k);
			fscrypt_ext__aes_key_wipe(&full);
		}
	}
}
END_TEST

/* ---- no raw key bytes left on the stack by the batched expansion ---- */

static __attribute__((noinline)) int setkeys_call(struct fscrypt_ext__aes_key *const *k, uint8_t (*raw)[32], size_t n,
						  const struct fscrypt_ext__aes_impl *impl)
{
	const uint8_t *rp[32];

	for (size_t i = 0; i < n; i++)
		rp[i] = raw[i];
	return fscrypt_ext__aes_setkeys_256(k, rp, n, impl, FSCRYPT_EXT__AES_ZEROED, 0xff00u);
}

/* The batched expansion spills raw key words to its frame; fscrypt_ext__aes_setkeys_256 must clear them. */
START_TEST(test_setkeys_256_leaves_no_key_on_stack)
{
	static struct fscrypt_ext__aes_key keys[16];
	struct fscrypt_ext__aes_key *kp[16];
	uint8_t raw[16][32];

	if (tu_under_asan()) {
		printf("aes_keysched: ASan moves locals to its own stacks; the stack check runs in the plain build\n");
		return;
	}
	for (size_t i = 0; i < 16; i++)
		kp[i] = &keys[i];
	FOR_EACH_IMPL(impl)
	{
		for (size_t n = 1; n <= 16; n += 5) {
			const uint8_t *pats[16];
			size_t lens[16];
			long off = 0;
			int hit;

			tu_rand(raw, sizeof(raw));
			memset(keys, 0, sizeof(keys));
			for (size_t i = 0; i < n; i++)
				pats[i] = raw[i], lens[i] = sizeof(raw[i]);
			tu_stack_fill();
			ck_assert_int_eq(setkeys_call(kp, raw, n, impl), FSCRYPT_EXT_OK);
			hit = tu_stack_find(pats, lens, n, &off);
			ck_assert_msg(hit < 0,
				      "raw key %d left on the stack %ld bytes into the probe: backend %s n %zu", hit,
				      off, impl->name, n);
		}
	}
	fscrypt_ext__wipe(keys, sizeof(keys));
	fscrypt_ext__wipe(raw, sizeof(raw));
}
END_TEST

static void evp_xts(const uint8_t key[64], const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_CipherInit_ex(ctx, EVP_aes_256_xts(), NULL, key, iv, enc), 1);
	ck_assert_int_eq(EVP_CipherUpdate(ctx, out, &n, in, (int)len), 1);
	ck_assert_int_eq(n, (int)len);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * The AES-256-XTS mode state (data key + encryption-only tweak key), prepared
 * by cipher_init and by cipher_init_zeroed on a fresh zeroed block, is the
 * same state and matches OpenSSL both ways, on every backend.
 */
START_TEST(test_xts_mode_setkey_matches_openssl)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(FSCRYPT_EXT_MODE_AES_256_XTS);
	/* The state is 64-byte aligned, as fscrypt_ext__alloc_secret gives it. */
	struct fscrypt_ext__cipher *a = aligned_alloc(64, sizeof(*a)), *b = aligned_alloc(64, sizeof(*b));
	const struct fscrypt_ext__aes_impl *orig = fscrypt_ext__aes_selected();

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	FOR_EACH_IMPL(impl)
	{
		fscrypt_ext__aes_select(impl);
		for (int r = 0; r < ROUNDS_PER_CASE; r++) {
			uint8_t key[64], iv[16], in[4096], ref[4096], got[4096];
			size_t len = 16 * (1 + tu_rand_u32() % 256);

			do
				tu_rand(key, sizeof(key));
			while (memcmp(key, key + 32, 32) == 0); /* OpenSSL refuses equal XTS halves */
			tu_rand(iv, sizeof(iv));
			tu_rand(in, len);
			memset(a, 0x5a, sizeof(*a));
			memset(b, 0, sizeof(*b));
			ck_assert_int_eq(fscrypt_ext__cipher_init(a, m, key), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext__cipher_init_zeroed(b, m, key), FSCRYPT_EXT_OK);
			ck_assert_msg(memcmp(a, b, sizeof(*a)) == 0, "cipher_init vs cipher_init_zeroed: backend %s",
				      impl->name);
			ck_assert_ptr_eq(b->u.xts.data.impl, impl);
			ck_assert_ptr_eq(fscrypt_ext__xts_tweak_key_const(b)->impl, impl);
			evp_xts(key, iv, in, ref, len, 1);
			m->encrypt_unit(b, iv, in, got, len);
			ck_assert_msg(memcmp(ref, got, len) == 0, "XTS encrypt: backend %s len %zu", impl->name, len);
			m->decrypt_unit(b, iv, ref, got, len);
			ck_assert_msg(memcmp(in, got, len) == 0, "XTS decrypt: backend %s len %zu", impl->name, len);
			fscrypt_ext__cipher_wipe(a);
			fscrypt_ext__cipher_wipe(b);
		}
	}
	fscrypt_ext__aes_select(orig);
	free(a);
	free(b);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("aes_keysched");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_enc_only_encrypts_like_full_key);
	tcase_add_test(tc, test_setkey_clears_stale_bytes);
	tcase_add_test(tc, test_setkey_ex_bad_arguments);
	tcase_add_test(tc, test_xts_mode_setkey_matches_openssl);
	tcase_add_test(tc, test_setkeys_256_matches_single);
	tcase_add_test(tc, test_key_size_is_enough);
	tcase_add_test(tc, test_setkeys_256_leaves_no_key_on_stack);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
