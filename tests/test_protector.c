/* Check suite "protector": google/fscrypt protectors and policies against metadata the real fscrypt 0.3.3 wrote. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <fscrypt_ext/fscrypt_ext.h>
#include <fscrypt_ext/protector.h>

#include "gf_internal.h"
#include "testutil.h"

#define DATA FSCRYPT_EXT_SOURCE_DIR "/tests/data/google-fscrypt"

/* Cheap costs for created protectors: the suite must stay fast. */
static const struct fscrypt_ext_gf_costs cheap1 = { 1, 64, 1, false };

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(65536);
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, 65536, f);
	fclose(f);
	*len = n;
	return buf;
}

static struct json_object *manifest(void)
{
	struct json_object *m = json_object_from_file(DATA "/manifest.json");

	ck_assert_msg(m != NULL, "cannot read %s/manifest.json", DATA);
	return m;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "manifest: no %s", key);
	return json_object_get_string(v);
}

static int64_t jint(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : dflt;
}

/* The manifest entry of a protector descriptor, or NULL. */
static struct json_object *find_protector(struct json_object *m, const char *desc)
{
	struct json_object *arr;

	json_object_object_get_ex(m, "protectors", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);

		if (strcmp(jstr(p, "descriptor"), desc) == 0)
			return p;
	}
	return NULL;
}

static fscrypt_ext_gf_protector *load_protector(struct json_object *e, uint8_t **bytes, size_t *len)
{
	char path[512];
	struct json_object *dir;
	fscrypt_ext_gf_protector *p = NULL;
	int err;

	snprintf(path, sizeof(path), "%s/%s/protectors/%s", DATA,
		 json_object_object_get_ex(e, "dir", &dir) ? json_object_get_string(dir) : ".", jstr(e, "descriptor"));
	*bytes = read_all(path, len);
	err = fscrypt_ext_gf_protector_parse(*bytes, *len, &p);
	ck_assert_msg(err == FSCRYPT_EXT_OK, "parse %s: %d", path, err);
	return p;
}

/* The credential as google/fscrypt reads it: passphrase files hold the bytes without a newline. */
static uint8_t *credential(struct json_object *e, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/credentials/%s", DATA, jstr(e, "credential"));
	return read_all(path, len);
}

static fscrypt_ext_gf_protector_key *unwrap_entry(struct json_object *e, fscrypt_ext_gf_protector **pout)
{
	uint8_t *bytes, *cred;
	size_t len, clen;
	fscrypt_ext_gf_protector *p = load_protector(e, &bytes, &len);
	fscrypt_ext_gf_protector_key *k = NULL;
	int err;

	cred = credential(e, &clen);
	err = fscrypt_ext_gf_protector_unwrap(p, cred, clen, NULL, &k);
	ck_assert_msg(err == FSCRYPT_EXT_OK, "unwrap protector %s with %s: %d", jstr(e, "descriptor"),
		      jstr(e, "credential"), err);
	free(cred);
	free(bytes);
	if (pout)
		*pout = p;
	else
		fscrypt_ext_gf_protector_free(p);
	return k;
}

/* Every protector: descriptor, source, stored parallelism and the lanes it runs, a correct unwrap. */
START_TEST(test_fixture_protectors)
{
	struct json_object *m = manifest(), *arr;
	size_t count = 0;

	json_object_object_get_ex(m, "protectors", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		fscrypt_ext_gf_protector *p;
		fscrypt_ext_gf_protector_key *k = unwrap_entry(e, &p);
		struct fscrypt_ext_gf_costs c;
		char hex[17];
		bool raw = jint(e, "raw", 0) != 0;

		ck_assert_str_eq(fscrypt_ext_gf_protector_descriptor(p), jstr(e, "descriptor"));
		ck_assert_int_eq(fscrypt_ext_gf_protector_key_descriptor(k, hex), FSCRYPT_EXT_OK);
		ck_assert_str_eq(hex, jstr(e, "descriptor"));
		ck_assert_int_eq(fscrypt_ext_gf_protector_source(p),
				 raw ? FSCRYPT_EXT_GF_SOURCE_RAW_KEY : FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE);
		ck_assert_int_eq(fscrypt_ext_gf_protector_costs(p, &c), !raw);
		if (!raw) {
			ck_assert_msg(c.parallelism == jint(e, "parallelism", -1), "%s: stored parallelism %lld",
				      jstr(e, "descriptor"), (long long)c.parallelism);
			ck_assert_uint_eq(fscrypt_ext_gf_costs_lanes(&c), (uint32_t)jint(e, "lanes", -1));
		}
		fscrypt_ext_gf_protector_key_free(k);
		fscrypt_ext_gf_protector_free(p);
		count++;
	}
	ck_assert_uint_ge(count, 8);
	json_object_put(m);
}
END_TEST

/* Every directory: each of its policy's protectors opens the master key the kernel used. */
START_TEST(test_fixture_policies)
{
	struct json_object *m = manifest(), *dirs;
	size_t opened = 0, versions[3] = { 0 };

	json_object_object_get_ex(m, "directories", &dirs);
	for (size_t i = 0; i < json_object_array_length(dirs); i++) {
		struct json_object *d = json_object_array_get_idx(dirs, i);
		char path[512];
		uint8_t *bytes, want[16], got[16];
		size_t len, want_len;
		fscrypt_ext_gf_policy *pol = NULL;
		struct fscrypt_ext_gf_policy_options o;
		int err;

		snprintf(path, sizeof(path), "%s/policies/%s", DATA, jstr(d, "policy"));
		bytes = read_all(path, &len);
		err = fscrypt_ext_gf_policy_parse(bytes, len, &pol);
		ck_assert_msg(err == FSCRYPT_EXT_OK, "parse %s: %d", path, err);
		fscrypt_ext_gf_policy_options(pol, &o);
		ck_assert_int_eq(o.version, jint(d, "version", 0));
		ck_assert_int_eq(o.contents_mode, FSCRYPT_EXT_MODE_AES_256_XTS);
		ck_assert_int_eq(o.filenames_mode, FSCRYPT_EXT_MODE_AES_256_CTS);
		ck_assert_int_eq(o.padding, 32);
		ck_assert_int_eq(fscrypt_ext_gf_policy_flags(pol), FSCRYPT_EXT_FLAG_PAD_32);
		versions[o.version]++;
		want_len = strlen(jstr(d, "kernel_key")) / 2;
		tu_hex_into(jstr(d, "kernel_key"), want, want_len);
		ck_assert_uint_eq(fscrypt_ext_gf_policy_descriptor_bytes(pol, got), want_len);
		ck_assert_mem_eq(got, want, want_len);
		ck_assert_uint_ge(fscrypt_ext_gf_policy_protector_count(pol), 1);
		for (size_t j = 0; j < fscrypt_ext_gf_policy_protector_count(pol); j++) {
			const char *pd = fscrypt_ext_gf_policy_protector_descriptor(pol, j);
			struct json_object *e = find_protector(m, pd);
			fscrypt_ext_gf_protector_key *k;
			fscrypt_ext_master_key *mk = NULL;
			uint8_t *raw = sodium_malloc(64);

			ck_assert_msg(e != NULL, "dir %s: protector %s not in the manifest", jstr(d, "dir"), pd);
			k = unwrap_entry(e, NULL);
			err = fscrypt_ext_gf_policy_unwrap(pol, k, &mk);
			ck_assert_msg(err == FSCRYPT_EXT_OK, "dir %s with protector %s: %d", jstr(d, "dir"), pd, err);
			ck_assert_uint_eq(fscrypt_ext_master_key_size(mk), 64);
			/* The kernel's identifier (v2) or descriptor (v1) of the directory, from the key. */
			if (o.version == 2)
				ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, got), FSCRYPT_EXT_OK);
			else
				ck_assert_int_eq(fscrypt_ext_master_key_descriptor(mk, got), FSCRYPT_EXT_OK);
			ck_assert_mem_eq(got, want, want_len);
			ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap_raw(pol, k, raw), FSCRYPT_EXT_OK);
			fscrypt_ext_master_key_free(mk);
			sodium_free(raw);
			fscrypt_ext_gf_protector_key_free(k);
			opened++;
		}
		fscrypt_ext_gf_policy_free(pol);
		free(bytes);
	}
	ck_assert_uint_ge(opened, 8);      /* one policy has three protectors */
	ck_assert_uint_ge(versions[1], 1); /* a v1 policy */
	ck_assert_uint_ge(versions[2], 1);
	json_object_put(m);
}
END_TEST

/* What google/fscrypt wrote, parsed and written back by protobuf-c, is the same bytes. */
START_TEST(test_fixture_reencode)
{
	struct json_object *m = manifest(), *arr;

	json_object_object_get_ex(m, "protectors", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		uint8_t *bytes, out[FSCRYPT_EXT_GF_MAX_METADATA_SIZE];
		size_t len, n = 0;
		fscrypt_ext_gf_protector *p = load_protector(json_object_array_get_idx(arr, i), &bytes, &len);

		ck_assert_int_eq(fscrypt_ext__gf_encode_protector(p, out, sizeof(out), &n), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(n, len);
		ck_assert_mem_eq(out, bytes, len);
		fscrypt_ext_gf_protector_free(p);
		free(bytes);
	}
	json_object_object_get_ex(m, "directories", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		char path[512];
		uint8_t *bytes, out[FSCRYPT_EXT_GF_MAX_METADATA_SIZE];
		size_t len, n = 0;
		fscrypt_ext_gf_policy *pol;

		snprintf(path, sizeof(path), "%s/policies/%s", DATA, jstr(json_object_array_get_idx(arr, i), "policy"));
		bytes = read_all(path, &len);
		ck_assert_int_eq(fscrypt_ext_gf_policy_parse(bytes, len, &pol), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext__gf_encode_policy(pol, out, sizeof(out), &n), FSCRYPT_EXT_OK);
		ck_assert_msg(n == len && memcmp(out, bytes, len) == 0, "%s: re-encoded %zu bytes of %zu", path, n, len);
		fscrypt_ext_gf_policy_free(pol);
		free(bytes);
	}
	json_object_put(m);
}
END_TEST

static struct json_object *entry_by_credential(struct json_object *m, const char *cred)
{
	struct json_object *arr;

	json_object_object_get_ex(m, "protectors", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (strcmp(jstr(e, "credential"), cred) == 0)
			return e;
	}
	ck_abort_msg("no protector for credential %s", cred);
	return NULL;
}

START_TEST(test_wrong_credentials)
{
	struct json_object *m = manifest();
	static const char *const creds[] = { "p1", "p2", "p4", "p260", "putf8" };
	fscrypt_ext_gf_protector_key *k = NULL;

	for (size_t i = 0; i < sizeof(creds) / sizeof(creds[0]); i++) {
		uint8_t *bytes, *cred;
		size_t len, clen;
		struct json_object *e = entry_by_credential(m, creds[i]);
		fscrypt_ext_gf_protector *p = load_protector(e, &bytes, &len);
		int err;

		cred = credential(e, &clen);
		/* One byte off, a trailing newline (google/fscrypt stops before it), a prefix, empty. */
		cred[0] ^= 1;
		err = fscrypt_ext_gf_protector_unwrap(p, cred, clen, NULL, &k);
		ck_assert_msg(err == FSCRYPT_EXT_ERR_WRONG_PASSPHRASE, "%s flipped: %d", creds[i], err);
		cred[0] ^= 1;
		cred[clen] = '\n';
		err = fscrypt_ext_gf_protector_unwrap(p, cred, clen + 1, NULL, &k);
		ck_assert_msg(err == FSCRYPT_EXT_ERR_WRONG_PASSPHRASE, "%s + newline: %d", creds[i], err);
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, clen - 1, NULL, &k), FSCRYPT_EXT_ERR_WRONG_PASSPHRASE);
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, 0, NULL, &k), FSCRYPT_EXT_ERR_WRONG_PASSPHRASE);
		ck_assert_ptr_null(k);
		free(cred);
		free(bytes);
		fscrypt_ext_gf_protector_free(p);
	}
	{
		uint8_t *bytes, *cred;
		size_t len, clen;
		struct json_object *e = entry_by_credential(m, "raw.key");
		fscrypt_ext_gf_protector *p = load_protector(e, &bytes, &len);

		cred = credential(e, &clen);
		ck_assert_uint_eq(clen, 32);
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, 31, NULL, &k), FSCRYPT_EXT_ERR_KEY_SIZE);
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, 33, NULL, &k), FSCRYPT_EXT_ERR_KEY_SIZE);
		cred[31] ^= 0x80;
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, 32, NULL, &k), FSCRYPT_EXT_ERR_WRONG_PASSPHRASE);
		ck_assert_ptr_null(k);
		free(cred);
		free(bytes);
		fscrypt_ext_gf_protector_free(p);
	}
	json_object_put(m);
}
END_TEST

/* A protector key of another policy finds no entry. */
START_TEST(test_no_matching_protector)
{
	struct json_object *m = manifest();
	fscrypt_ext_gf_protector_key *k = unwrap_entry(entry_by_credential(m, "p4"), NULL);
	struct json_object *dirs, *d;
	char path[512];
	uint8_t *bytes;
	size_t len;
	fscrypt_ext_gf_policy *pol;
	fscrypt_ext_master_key *mk = NULL;

	json_object_object_get_ex(m, "directories", &dirs);
	d = json_object_array_get_idx(dirs, 0); /* directory a: lanes2, lanes1, raw key */
	snprintf(path, sizeof(path), "%s/policies/%s", DATA, jstr(d, "policy"));
	bytes = read_all(path, &len);
	ck_assert_int_eq(fscrypt_ext_gf_policy_parse(bytes, len, &pol), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap(pol, k, &mk), FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR);
	ck_assert_ptr_null(mk);
	fscrypt_ext_gf_policy_free(pol);
	fscrypt_ext_gf_protector_key_free(k);
	free(bytes);
	json_object_put(m);
}
END_TEST

/* Every truncation of every fixture: a specific error (a policy may lose whole trailing entries). */
START_TEST(test_truncated)
{
	struct json_object *m = manifest(), *arr;

	json_object_object_get_ex(m, "protectors", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		uint8_t *bytes;
		size_t len;
		fscrypt_ext_gf_protector *p = load_protector(json_object_array_get_idx(arr, i), &bytes, &len), *q;

		for (size_t n = 0; n < len; n++) {
			int err = fscrypt_ext_gf_protector_parse(bytes, n, &q);

			ck_assert_msg(err == FSCRYPT_EXT_ERR_BAD_METADATA, "protector %s cut to %zu: %d",
				      fscrypt_ext_gf_protector_descriptor(p), n, err);
			ck_assert_ptr_null(q);
		}
		fscrypt_ext_gf_protector_free(p);
		free(bytes);
	}
	json_object_object_get_ex(m, "directories", &arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		char path[512];
		uint8_t *bytes;
		size_t len, full;
		fscrypt_ext_gf_policy *pol, *q;

		snprintf(path, sizeof(path), "%s/policies/%s", DATA, jstr(json_object_array_get_idx(arr, i), "policy"));
		bytes = read_all(path, &len);
		ck_assert_int_eq(fscrypt_ext_gf_policy_parse(bytes, len, &pol), FSCRYPT_EXT_OK);
		full = fscrypt_ext_gf_policy_protector_count(pol);
		for (size_t n = 0; n < len; n++) {
			int err = fscrypt_ext_gf_policy_parse(bytes, n, &q);

			if (err == FSCRYPT_EXT_OK) {
				ck_assert_msg(fscrypt_ext_gf_policy_protector_count(q) < full, "%s cut to %zu", path, n);
				fscrypt_ext_gf_policy_free(q);
			} else {
				ck_assert_msg(err == FSCRYPT_EXT_ERR_BAD_METADATA, "%s cut to %zu: %d", path, n, err);
			}
		}
		fscrypt_ext_gf_policy_free(pol);
		free(bytes);
	}
	ck_assert_int_eq(fscrypt_ext_gf_policy_parse(NULL, 0, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	{
		static uint8_t big[FSCRYPT_EXT_GF_MAX_METADATA_SIZE + 1];
		fscrypt_ext_gf_protector *q;

		ck_assert_int_eq(fscrypt_ext_gf_protector_parse(big, sizeof(big), &q), FSCRYPT_EXT_ERR_OVERSIZED);
	}
	json_object_put(m);
}
END_TEST

/*
 * Descriptors are hex text: a flip that only changes the case of a digit parses to the
 * same metadata (it re-encodes, lowercase, to the unflipped bytes).
 */
static bool same_protector(const fscrypt_ext_gf_protector *q, uint8_t *flipped, size_t len, size_t bit)
{
	uint8_t out[1024];
	size_t n = 0;
	bool same;

	flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	same = fscrypt_ext__gf_encode_protector(q, out, sizeof(out), &n) == FSCRYPT_EXT_OK && n == len &&
	       memcmp(out, flipped, len) == 0;
	flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	return same;
}

static bool same_policy(const fscrypt_ext_gf_policy *q, uint8_t *flipped, size_t len, size_t bit)
{
	uint8_t out[4096];
	size_t n = 0;
	bool same;

	flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	same = fscrypt_ext__gf_encode_policy(q, out, sizeof(out), &n) == FSCRYPT_EXT_OK && n == len &&
	       memcmp(out, flipped, len) == 0;
	flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	return same;
}

/*
 * Every single-bit flip of the cheap lanes-1 protector: with the right passphrase the
 * result is a parse error, or an unwrap error (never a different key). Flips inside the
 * wrapped key, the salt or the costs must give WRONG_PASSPHRASE or COSTS_RANGE.
 */
START_TEST(test_bit_flips_protector)
{
	struct json_object *m = manifest(), *e = entry_by_credential(m, "p1");
	uint8_t *bytes, *cred;
	size_t len, clen, parse_fail = 0, wrong = 0;
	fscrypt_ext_gf_protector *p = load_protector(e, &bytes, &len);

	cred = credential(e, &clen);
	for (size_t bit = 0; bit < 8 * len; bit++) {
		fscrypt_ext_gf_protector *q = NULL;
		fscrypt_ext_gf_protector_key *k = NULL;
		int err;

		bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		err = fscrypt_ext_gf_protector_parse(bytes, len, &q);
		if (err != FSCRYPT_EXT_OK) {
			ck_assert_msg(err == FSCRYPT_EXT_ERR_BAD_METADATA || err == FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE,
				      "bit %zu: parse %d", bit, err);
			parse_fail++;
		} else {
			err = fscrypt_ext_gf_protector_unwrap(q, cred, clen, NULL, &k);
			/* A flipped name or uid is not authenticated by google/fscrypt either. */
			if (err == FSCRYPT_EXT_OK && same_protector(q, bytes, len, bit)) {
				fscrypt_ext_gf_protector_key_free(k);
			} else if (err == FSCRYPT_EXT_OK) {
				size_t nl;

				ck_assert_msg(memcmp(fscrypt_ext_gf_protector_descriptor(q), fscrypt_ext_gf_protector_descriptor(p), 16) == 0,
					      "bit %zu: accepted under another descriptor", bit);
				ck_assert_msg(strcmp(fscrypt_ext_gf_protector_name(q, &nl), "lanes1") != 0 ||
						      fscrypt_ext_gf_protector_uid(q) != 0 || nl != 6,
					      "bit %zu flipped something checked but unwrap succeeded", bit);
				fscrypt_ext_gf_protector_key_free(k);
			} else {
				/* KEY_SIZE: the source became raw_key and the passphrase is not 32 bytes. */
				ck_assert_msg(err == FSCRYPT_EXT_ERR_WRONG_PASSPHRASE || err == FSCRYPT_EXT_ERR_COSTS_RANGE ||
						      err == FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH || err == FSCRYPT_EXT_ERR_KEY_SIZE,
					      "bit %zu: unwrap %d", bit, err);
				wrong++;
			}
			fscrypt_ext_gf_protector_free(q);
		}
		bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_uint_gt(parse_fail, 0);
	ck_assert_uint_ge(wrong, 8 * (16 + 32 + 32 + 16)); /* IV, ciphertext, HMAC, salt */
	free(cred);
	free(bytes);
	fscrypt_ext_gf_protector_free(p);
	json_object_put(m);
}
END_TEST

/* Flips in a policy's wrapped key give WRONG_PASSPHRASE (HMAC), in its key descriptor DESCRIPTOR_MISMATCH. */
START_TEST(test_bit_flips_policy)
{
	struct json_object *m = manifest(), *dirs;
	fscrypt_ext_gf_protector_key *k = unwrap_entry(entry_by_credential(m, "p4"), NULL);
	char path[512];
	uint8_t *bytes;
	size_t len, counts[4] = { 0 };

	json_object_object_get_ex(m, "directories", &dirs);
	snprintf(path, sizeof(path), "%s/policies/%s", DATA, jstr(json_object_array_get_idx(dirs, 1), "policy"));
	bytes = read_all(path, &len);
	for (size_t bit = 0; bit < 8 * len; bit++) {
		fscrypt_ext_gf_policy *q = NULL;
		fscrypt_ext_master_key *mk = NULL;
		int err;

		bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		err = fscrypt_ext_gf_policy_parse(bytes, len, &q);
		if (err != FSCRYPT_EXT_OK) {
			ck_assert_msg(err == FSCRYPT_EXT_ERR_BAD_METADATA, "bit %zu: parse %d", bit, err);
			counts[0]++;
		} else {
			err = fscrypt_ext_gf_policy_unwrap(q, k, &mk);
			if (err == FSCRYPT_EXT_OK && same_policy(q, bytes, len, bit)) {
				fscrypt_ext_master_key_free(mk);
			} else if (err == FSCRYPT_EXT_OK) {
				struct fscrypt_ext_gf_policy_options o;

				/* Only the options are not authenticated (as in google/fscrypt; the kernel context decides). */
				fscrypt_ext_gf_policy_options(q, &o);
				ck_assert_msg(o.contents_mode != 1 || o.filenames_mode != 4 || o.padding != 32,
					      "bit %zu: changed nothing checked, yet unwrapped", bit);
				fscrypt_ext_master_key_free(mk);
				counts[3]++;
			} else if (err == FSCRYPT_EXT_ERR_WRONG_PASSPHRASE) {
				counts[1]++;
			} else {
				ck_assert_msg(err == FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH || err == FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR,
					      "bit %zu: unwrap %d", bit, err);
				counts[2]++;
			}
			fscrypt_ext_gf_policy_free(q);
		}
		bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_uint_ge(counts[1], 8 * (16 + 64 + 32));
	ck_assert_uint_gt(counts[2], 0);
	ck_assert_uint_gt(counts[0], 0);
	free(bytes);
	fscrypt_ext_gf_protector_key_free(k);
	json_object_put(m);
}
END_TEST

/* A copy of protector p with other costs (or source), serialized and parsed again. */
static fscrypt_ext_gf_protector *with_costs(const fscrypt_ext_gf_protector *p, int64_t t, int64_t mem, int64_t par,
					   bool fixed, int source)
{
	struct fscrypt_ext_gf_protector copy = *p;
	uint8_t buf[1024];
	size_t n;
	fscrypt_ext_gf_protector *q = NULL;
	int err;

	copy.costs.time = t;
	copy.costs.memory_kib = mem;
	copy.costs.parallelism = par;
	copy.costs.truncation_fixed = fixed;
	copy.source = source;
	ck_assert_int_eq(fscrypt_ext__gf_encode_protector(&copy, buf, sizeof(buf), &n), FSCRYPT_EXT_OK);
	err = fscrypt_ext_gf_protector_parse(buf, n, &q);
	if (source >= 1 && source <= 3)
		ck_assert_int_eq(err, FSCRYPT_EXT_OK);
	else
		ck_assert_int_eq(err, FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE);
	return q;
}

/* Hostile costs are refused before anything is allocated; limits can be raised or lowered. */
START_TEST(test_cost_caps)
{
	struct json_object *m = manifest(), *e = entry_by_credential(m, "p1");
	uint8_t *bytes, *cred;
	size_t len, clen;
	fscrypt_ext_gf_protector *p = load_protector(e, &bytes, &len), *q;
	fscrypt_ext_gf_protector_key *k = NULL;
	struct fscrypt_ext_gf_limits lim;
	static const int64_t bad[][3] = {
		{ 0, 1024, 1 },        { -1, 1024, 1 },          { 1, 0, 1 },           { 1, 1024, 0 },
		{ 1, 1024, -4 },       { 1, 7, 1 },              { 1, 2047, 256 },      { 1, 4096, 256 },
		{ 1, 1LL << 31, 1 },   { 1LL << 33, 1024, 1 },   { 1, 1LL << 40, 1 },   { 5000, 1024, 1 },
		{ 100, 1 << 20, 1 },   { 1, 1024, 200 },
	};

	cred = credential(e, &clen);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		q = with_costs(p, bad[i][0], bad[i][1], bad[i][2], false, FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE);
		ck_assert_msg(fscrypt_ext_gf_protector_unwrap(q, cred, clen, NULL, &k) == FSCRYPT_EXT_ERR_COSTS_RANGE,
			      "costs t=%lld m=%lld p=%lld", (long long)bad[i][0], (long long)bad[i][1], (long long)bad[i][2]);
		fscrypt_ext_gf_protector_free(q);
	}
	/* truncation_fixed (upstream HEAD): 260 is not truncated but refused. */
	q = with_costs(p, 1, 4096, 260, true, FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE);
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(q, cred, clen, NULL, &k), FSCRYPT_EXT_ERR_COSTS_RANGE);
	fscrypt_ext_gf_protector_free(q);
	/* Lower limits refuse the real protector; the defaults and raised limits accept it. */
	fscrypt_ext_gf_limits_default(&lim);
	lim.max_memory_kib = 512;
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, clen, &lim, &k), FSCRYPT_EXT_ERR_COSTS_RANGE);
	fscrypt_ext_gf_limits_default(&lim);
	lim.max_work_kib = 1023;
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, clen, &lim, &k), FSCRYPT_EXT_ERR_COSTS_RANGE);
	fscrypt_ext_gf_limits_default(&lim);
	lim.max_time = 0;
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, clen, &lim, &k), FSCRYPT_EXT_ERR_COSTS_RANGE);
	lim.max_time = lim.max_memory_kib = lim.max_work_kib = UINT64_MAX;
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, cred, clen, &lim, &k), FSCRYPT_EXT_OK);
	fscrypt_ext_gf_protector_key_free(k);
	/* An unknown or default source is its own error. */
	ck_assert_ptr_null(with_costs(p, 1, 1024, 1, false, 7));
	ck_assert_ptr_null(with_costs(p, 1, 1024, 1, false, 0));
	free(cred);
	free(bytes);
	fscrypt_ext_gf_protector_free(p);
	json_object_put(m);
}
END_TEST

/* google/fscrypt runs uint8(parallelism) lanes: 260 is 4 lanes, not 255 and not 260. */
START_TEST(test_lane_truncation)
{
	static const uint8_t salt[16] = "0123456789abcdef";
	struct fscrypt_ext_gf_costs c4 = { 1, 4096, 4, false }, c260 = { 1, 4096, 260, false };
	struct fscrypt_ext_gf_costs c255 = { 1, 4096, 255, false }, c516 = { 1, 4200, 516, false };
	struct fscrypt_ext_gf_costs c1 = { 1, 4096, 1, false }, c2 = { 1, 4096, 2, false };
	uint8_t a[32], b[32], c[32], d[32];

	ck_assert_uint_eq(fscrypt_ext_gf_costs_lanes(&c260), 4);
	ck_assert_uint_eq(fscrypt_ext_gf_costs_lanes(&c516), 4);
	ck_assert_int_eq(fscrypt_ext_gf_passphrase_hash((const uint8_t *)"pw", 2, salt, &c4, NULL, a), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_gf_passphrase_hash((const uint8_t *)"pw", 2, salt, &c260, NULL, b), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(a, b, 32);
	ck_assert_int_eq(fscrypt_ext_gf_passphrase_hash((const uint8_t *)"pw", 2, salt, &c255, NULL, c), FSCRYPT_EXT_OK);
	ck_assert_mem_ne(a, c, 32);
	/* Lanes are part of the hash: 1, 2 and 4 all differ. */
	ck_assert_int_eq(fscrypt_ext_gf_passphrase_hash((const uint8_t *)"pw", 2, salt, &c1, NULL, c), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_gf_passphrase_hash((const uint8_t *)"pw", 2, salt, &c2, NULL, d), FSCRYPT_EXT_OK);
	ck_assert_mem_ne(a, c, 32);
	ck_assert_mem_ne(a, d, 32);
	ck_assert_mem_ne(c, d, 32);
	/* Lanes 1 match libsodium's Argon2id (which runs one lane only): an independent check. */
	{
		uint8_t s[32];

		ck_assert_int_eq(crypto_pwhash(s, 32, "pw", 2, salt, 1, 4096 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
		ck_assert_mem_eq(s, c, 32);
	}
}
END_TEST

/* create -> parse -> unwrap, for each source and lanes 1, 2, 4 and a stored 260; policies v1 and v2. */
START_TEST(test_create_roundtrip)
{
	static const int64_t pars[] = { 1, 2, 4, 260 };
	uint8_t buf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], pbuf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], *mkey = sodium_malloc(64);
	uint8_t raw[32];
	fscrypt_ext_gf_protector_key *keys[5] = { 0 };
	size_t len, plen;

	randombytes_buf(mkey, 64);
	randombytes_buf(raw, 32);
	for (size_t i = 0; i < 5; i++) {
		struct fscrypt_ext_gf_protector_params prm = { 0 };
		fscrypt_ext_gf_protector *p;
		fscrypt_ext_gf_protector_key *k = NULL;
		char hex[17], hex2[17];
		const uint8_t *secret = (const uint8_t *)"pass phrase";
		size_t slen = 11;

		prm.name = "created";
		if (i < 4) {
			prm.source = FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE;
			prm.costs = (struct fscrypt_ext_gf_costs){ 1, 8 * pars[i] + 64, pars[i], false };
		} else {
			prm.source = FSCRYPT_EXT_GF_SOURCE_RAW_KEY;
			secret = raw;
			slen = 32;
		}
		ck_assert_int_eq(fscrypt_ext_gf_protector_create(&prm, secret, slen, buf, sizeof(buf), &len, &keys[i]),
				 FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_gf_protector_parse(buf, len, &p), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_gf_protector_source(p), prm.source);
		ck_assert_msg(fscrypt_ext_gf_protector_unwrap(p, secret, slen, NULL, &k) == FSCRYPT_EXT_OK, "create %zu", i);
		ck_assert_int_eq(fscrypt_ext_gf_protector_key_descriptor(k, hex), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_gf_protector_key_descriptor(keys[i], hex2), FSCRYPT_EXT_OK);
		ck_assert_str_eq(hex, hex2);
		ck_assert_str_eq(hex, fscrypt_ext_gf_protector_descriptor(p));
		ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, (const uint8_t *)"pass phrasE", 11, NULL, &k) ==
					 FSCRYPT_EXT_ERR_WRONG_PASSPHRASE ||
				 i == 4, 1);
		fscrypt_ext_gf_protector_key_free(k);
		fscrypt_ext_gf_protector_free(p);
	}
	for (uint8_t v = 1; v <= 2; v++) {
		struct fscrypt_ext_gf_policy_options o = { v, 1, 4, 32 };
		const fscrypt_ext_gf_protector_key *two[2] = { keys[0], keys[4] };
		fscrypt_ext_gf_policy *pol, *pol2;
		fscrypt_ext_master_key *mk;
		uint8_t out[64], id[16], want[16];

		ck_assert_int_eq(fscrypt_ext_gf_policy_create(mkey, 64, &o, two, 2, pbuf, sizeof(pbuf), &plen), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_gf_policy_parse(pbuf, plen, &pol), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(fscrypt_ext_gf_policy_protector_count(pol), 2);
		ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap(pol, keys[0], &mk), FSCRYPT_EXT_OK);
		ck_assert_int_eq(v == 2 ? fscrypt_ext_master_key_identifier(mk, id) : fscrypt_ext_master_key_descriptor(mk, id),
				 FSCRYPT_EXT_OK);
		ck_assert_uint_eq(fscrypt_ext_gf_policy_descriptor_bytes(pol, want), v == 2 ? 16 : 8);
		ck_assert_mem_eq(id, want, v == 2 ? 16 : 8);
		fscrypt_ext_master_key_free(mk);
		ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap_raw(pol, keys[4], out), FSCRYPT_EXT_OK);
		ck_assert_mem_eq(out, mkey, 64);
		ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap_raw(pol, keys[1], out), FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR);
		/* Add lanes-2, -4 and stored-260 protectors through the lanes-1 one. */
		for (size_t i = 1; i < 4; i++) {
			ck_assert_int_eq(fscrypt_ext_gf_policy_add_protector(pol, keys[0], keys[i], pbuf, sizeof(pbuf), &plen),
					 FSCRYPT_EXT_OK);
			fscrypt_ext_gf_policy_free(pol);
			ck_assert_int_eq(fscrypt_ext_gf_policy_parse(pbuf, plen, &pol), FSCRYPT_EXT_OK);
		}
		ck_assert_uint_eq(fscrypt_ext_gf_policy_protector_count(pol), 5);
		ck_assert_int_eq(fscrypt_ext_gf_policy_add_protector(pol, keys[0], keys[2], pbuf, sizeof(pbuf), &plen),
				 FSCRYPT_EXT_ERR_INVALID_ARG);
		for (size_t i = 0; i < 5; i++) {
			ck_assert_int_eq(fscrypt_ext_gf_policy_unwrap_raw(pol, keys[i], out), FSCRYPT_EXT_OK);
			ck_assert_mem_eq(out, mkey, 64);
		}
		ck_assert_int_eq(fscrypt_ext_gf_policy_add_protector(pol, keys[0], keys[1], pbuf, 100, &plen),
				 FSCRYPT_EXT_ERR_INVALID_ARG);
		ck_assert_int_eq(fscrypt_ext_gf_policy_create(mkey, 64, &o, (const fscrypt_ext_gf_protector_key *const *)keys,
							      5, pbuf, 100, &plen),
				 FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
		ck_assert_int_eq(fscrypt_ext_gf_policy_create(mkey, 32, &o, two, 2, pbuf, sizeof(pbuf), &plen),
				 FSCRYPT_EXT_ERR_KEY_SIZE);
		o.padding = 5;
		ck_assert_int_eq(fscrypt_ext_gf_policy_create(mkey, 64, &o, two, 2, pbuf, sizeof(pbuf), &plen),
				 FSCRYPT_EXT_ERR_BAD_METADATA);
		(void)pol2;
		fscrypt_ext_gf_policy_free(pol);
	}
	for (size_t i = 0; i < 5; i++)
		fscrypt_ext_gf_protector_key_free(keys[i]);
	sodium_free(mkey);
}
END_TEST

/* Tuning to a small budget gives costs that google/fscrypt accepts and that unwrap. */
START_TEST(test_tuned_costs)
{
	struct fscrypt_ext_gf_protector_params prm = { 0 };
	uint8_t buf[1024];
	size_t len;
	fscrypt_ext_gf_protector_key *k = NULL, *k2 = NULL;
	fscrypt_ext_gf_protector *p;
	struct fscrypt_ext_gf_costs c;

	prm.source = FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE;
	prm.name = "tuned";
	prm.tune_ms = 40;
	prm.tune_max_memory_kib = 8192;
	ck_assert_int_eq(fscrypt_ext_gf_protector_create(&prm, (const uint8_t *)"x", 1, buf, sizeof(buf), &len, &k),
			 FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_gf_protector_parse(buf, len, &p), FSCRYPT_EXT_OK);
	ck_assert(fscrypt_ext_gf_protector_costs(p, &c));
	ck_assert_msg(c.time >= 1 && c.memory_kib >= 8 * c.parallelism && c.memory_kib <= 8192 && c.parallelism >= 1 &&
			      c.parallelism <= 255,
		      "tuned t=%lld m=%lld p=%lld", (long long)c.time, (long long)c.memory_kib, (long long)c.parallelism);
	ck_assert_int_eq(fscrypt_ext_gf_protector_unwrap(p, (const uint8_t *)"x", 1, NULL, &k2), FSCRYPT_EXT_OK);
	fscrypt_ext_gf_protector_key_free(k);
	fscrypt_ext_gf_protector_key_free(k2);
	fscrypt_ext_gf_protector_free(p);
	/* Out-of-range requests. */
	prm.costs.parallelism = 256;
	ck_assert_int_eq(fscrypt_ext_gf_protector_create(&prm, (const uint8_t *)"x", 1, buf, sizeof(buf), &len, &k),
			 FSCRYPT_EXT_ERR_COSTS_RANGE);
	prm.source = 9;
	ck_assert_int_eq(fscrypt_ext_gf_protector_create(&prm, (const uint8_t *)"x", 1, buf, sizeof(buf), &len, &k),
			 FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE);
	prm.source = FSCRYPT_EXT_GF_SOURCE_RAW_KEY;
	ck_assert_int_eq(fscrypt_ext_gf_protector_create(&prm, (const uint8_t *)"x", 1, buf, sizeof(buf), &len, &k),
			 FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_ptr_null(k);
	(void)cheap1;
}
END_TEST

START_TEST(test_strerror)
{
	static const int codes[] = { FSCRYPT_EXT_ERR_WRONG_PASSPHRASE, FSCRYPT_EXT_ERR_BAD_METADATA,
				     FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE, FSCRYPT_EXT_ERR_COSTS_RANGE,
				     FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH, FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_int_eq(codes[i], -42 - (int)i); /* pinned */
		ck_assert_str_ne(fscrypt_ext_strerror(codes[i]), fscrypt_ext_strerror(-1000));
	}
	ck_assert_str_eq(fscrypt_ext_gf_source_name(FSCRYPT_EXT_GF_SOURCE_RAW_KEY), "raw_key");
	ck_assert_ptr_null(fscrypt_ext_gf_source_name(0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("protector");
	TCase *tc = tcase_create("google-fscrypt");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_fixture_protectors);
	tcase_add_test(tc, test_fixture_policies);
	tcase_add_test(tc, test_fixture_reencode);
	tcase_add_test(tc, test_wrong_credentials);
	tcase_add_test(tc, test_no_matching_protector);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_bit_flips_protector);
	tcase_add_test(tc, test_bit_flips_policy);
	tcase_add_test(tc, test_cost_caps);
	tcase_add_test(tc, test_lane_truncation);
	tcase_add_test(tc, test_create_roundtrip);
	tcase_add_test(tc, test_tuned_costs);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
