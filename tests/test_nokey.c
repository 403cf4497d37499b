/* No-key name suite: encode/decode both forms against an OpenSSL base64 oracle, bad encodings, matching. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* base64url without padding, from OpenSSL's standard base64. */
static size_t oracle_b64url(const uint8_t *in, size_t n, char *out)
{
	size_t len = (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
	return len;
}

static size_t oracle_name(const uint8_t *ct, size_t len, uint32_t hash, uint32_t minor, char *out)
{
	uint8_t raw[189];
	size_t n;

	for (int i = 0; i < 4; i++) {
		raw[i] = (uint8_t)(hash >> (8 * i));
		raw[4 + i] = (uint8_t)(minor >> (8 * i));
	}
	if (len <= 149) {
		memcpy(raw + 8, ct, len);
		n = 8 + len;
	} else {
		memcpy(raw + 8, ct, 149);
		SHA256(ct + 149, len - 149, raw + 157);
		n = 189;
	}
	return oracle_b64url(raw, n, out);
}

START_TEST(test_spec_value)
{
	uint8_t ct[32];
	char out[256];
	size_t n;

	tu_hex_into("d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7", ct, 32);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 32, 0, 0, out, sizeof(out), &n), FSCRYPT_EXT_OK);
	ck_assert_str_eq(out, "AAAAAAAAAADSusL1NqdSvG0rV-BokTjznclvv5-JhSvD9VK1UWUS1w");
	ck_assert_uint_eq(n, strlen(out));
}
END_TEST

START_TEST(test_encode_decode_all_lengths)
{
	uint8_t ct[255];
	char out[256], want[512];
	struct fscrypt_ext_nokey_name nk;
	size_t n;

	for (size_t len = 16; len <= 255; len++) {
		uint32_t hash = tu_rand_u32(), minor = tu_rand_u32();

		tu_rand(ct, len);
		ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, len, hash, minor, out, sizeof(out), &n), FSCRYPT_EXT_OK);
		oracle_name(ct, len, hash, minor, want);
		ck_assert_msg(strcmp(out, want) == 0, "length %zu: %s vs %s", len, out, want);
		ck_assert_uint_eq(n, strlen(want));
		ck_assert_uint_le(n, FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED);
		ck_assert_int_eq(fscrypt_ext_nokey_name_decode(out, n, &nk), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(nk.hash, hash);
		ck_assert_uint_eq(nk.minor_hash, minor);
		ck_assert_msg(nk.has_sha256 == (len > 149), "length %zu sha form", len);
		ck_assert_uint_eq(nk.bytes_len, len > 149 ? 149 : len);
		ck_assert(memcmp(nk.bytes, ct, nk.bytes_len) == 0);
		if (len > 149) {
			uint8_t sha[32];

			SHA256(ct + 149, len - 149, sha);
			ck_assert(memcmp(nk.sha256, sha, 32) == 0);
		}
		ck_assert_msg(fscrypt_ext_nokey_name_matches(&nk, ct, len), "length %zu does not match itself", len);
		ct[len - 1] ^= 0x80;
		ck_assert_msg(!fscrypt_ext_nokey_name_matches(&nk, ct, len), "length %zu matches a changed name", len);
		ct[len - 1] ^= 0x80;
		ck_assert(!fscrypt_ext_nokey_name_matches(&nk, ct, len - 1));
		/* Exact output size: n + 1 fits, n does not. */
		ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, len, hash, minor, out, n + 1, &n), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, len, hash, minor, out, n, &n),
				 FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	}
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 15, 0, 0, out, sizeof(out), &n), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 256, 0, 0, out, sizeof(out), &n), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(NULL, 16, 0, 0, out, sizeof(out), &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 16, 0, 0, NULL, sizeof(out), &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 16, 0, 0, out, sizeof(out), NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(out, n, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, NULL, 16));
}
END_TEST

/* Decoded sizes: >= 9, and <= 157 or exactly 189 (fscrypt_setup_filename). */
START_TEST(test_decode_sizes)
{
	uint8_t raw[200];
	char enc[300];
	struct fscrypt_ext_nokey_name nk;

	tu_rand(raw, sizeof(raw));
	for (size_t n = 0; n <= 200; n++) {
		size_t len = oracle_b64url(raw, n, enc);
		bool ok = n >= 9 && (n <= 157 || n == 189);
		int err = fscrypt_ext_nokey_name_decode(enc, len, &nk);

		ck_assert_msg(err == (ok ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_NO_KEY_NAME), "decoded size %zu: %d", n, err);
		if (ok && n < 189)
			ck_assert(nk.bytes_len == n - 8 && !nk.has_sha256 && memcmp(nk.bytes, raw + 8, n - 8) == 0);
	}
}
END_TEST

START_TEST(test_decode_bad)
{
	uint8_t ct[40];
	char enc[256], bad[300];
	struct fscrypt_ext_nokey_name nk, before;
	size_t n;

	tu_rand(ct, sizeof(ct));
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 32, 1, 2, enc, sizeof(enc), &n), FSCRYPT_EXT_OK);
	memset(&nk, 0x42, sizeof(nk));
	before = nk;
	/* Characters outside the url alphabet, including the standard alphabet's + / and padding. */
	static const char badc[] = { '+', '/', '=', ' ', '.', '\0', '\n', (char)0xc3 };
	for (size_t i = 0; i < sizeof(badc); i++) {
		memcpy(bad, enc, n);
		bad[n / 2] = badc[i];
		ck_assert_msg(fscrypt_ext_nokey_name_decode(bad, n, &nk) == FSCRYPT_EXT_ERR_NO_KEY_NAME, "char 0x%02x",
			      (unsigned char)badc[i]);
	}
	/* 40 bytes encode to 54 chars with 4 leftover bits: a non-zero leftover is refused. */
	memcpy(bad, enc, n);
	ck_assert_uint_eq(n, 54);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, n, &nk), FSCRYPT_EXT_OK);
	bad[n - 1] = (char)(bad[n - 1] == 'B' ? 'C' : 'B');
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, n, &nk), FSCRYPT_EXT_ERR_NO_KEY_NAME);
	/*
	 * The kernel only refuses non-zero leftovers: an extra 'A' (6 zero bits) still decodes.
	 * Seen on Linux 6.18: stat() of a listed no-key name plus "A" finds the same inode.
	 */
	memcpy(bad, enc, n);
	memcpy(bad + n, "AAAAA", 5);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, n + 4, &nk), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(nk.bytes_len, 35);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, n + 5, &nk), FSCRYPT_EXT_OK);
	memset(&nk, 0x42, sizeof(nk));
	/* Longer than 252 characters: never a no-key name. */
	memset(bad, 'A', sizeof(bad));
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, 253, &nk), FSCRYPT_EXT_ERR_NO_KEY_NAME);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(bad, 0, &nk), FSCRYPT_EXT_ERR_NO_KEY_NAME);
	ck_assert_msg(memcmp(&nk, &before, sizeof(nk)) == 0, "output touched on failure");
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(NULL, 5, &nk), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_matching_long_form)
{
	uint8_t ct[255], other[255];
	char enc[256];
	struct fscrypt_ext_nokey_name nk;
	size_t n;

	tu_rand(ct, sizeof(ct));
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, 200, 0, 0, enc, sizeof(enc), &n), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_nokey_name_decode(enc, n, &nk), FSCRYPT_EXT_OK);
	ck_assert(nk.has_sha256);
	ck_assert(fscrypt_ext_nokey_name_matches(&nk, ct, 200));
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, ct, 201));
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, ct, 149));
	memcpy(other, ct, 200);
	other[10] ^= 1;
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, other, 200));
	memcpy(other, ct, 200);
	other[180] ^= 1;
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, other, 200));
	ck_assert(!fscrypt_ext_nokey_name_matches(NULL, ct, 200));
	/* A hand-built struct with an impossible length matches nothing (and is not read past its array). */
	nk.has_sha256 = false;
	nk.bytes_len = 200;
	ck_assert(!fscrypt_ext_nokey_name_matches(&nk, ct, 200));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("nokey");
	TCase *tc = tcase_create("nokey");

	tcase_add_test(tc, test_spec_value);
	tcase_add_test(tc, test_encode_decode_all_lengths);
	tcase_add_test(tc, test_decode_sizes);
	tcase_add_test(tc, test_decode_bad);
	tcase_add_test(tc, test_matching_long_form);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
