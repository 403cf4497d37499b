/*
 * Policy validation against what the live Linux 6.18 kernel decided, everywhere (also where no
 * loop device or root is available, and under qemu): tests/data/policy-kernel-linux-6.18.json
 * lists the struct headers ext4 accepted in an exhaustive sweep (tests/live); every other struct
 * of that space was refused. This suite enumerates the same space and requires
 * fscrypt_ext_policy_validate() to accept exactly the listed ones.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fscrypt_ext/fscrypt_ext.h"
#include "testutil.h"

#define DATA_FILE FSCRYPT_EXT_SOURCE_DIR "/tests/data/policy-kernel-linux-6.18.json"

struct accepted {
	char (*hex)[17];
	size_t n;
};

static const uint8_t log2_sizes[] = { 0, 8, 9, 10, 11, 12, 13 };
static const uint8_t v2_pairs[][2] = { { 1, 4 }, { 5, 6 }, { 9, 9 }, { 1, 10 }, { 7, 8 } };
static const uint8_t reserved_patterns[][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0x80 }, { 0xff, 0xff, 0xff } };

static bool listed(const struct accepted *a, const uint8_t *hdr, size_t n)
{
	char hex[17];

	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", hdr[i]);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->hex[i], hex) == 0)
			return true;
	return false;
}

struct tally {
	unsigned long checked, accepted, mismatches;
};

/* One struct: header bytes (4 for v1, 8 for v2) followed by a key specifier. */
static void check_one(const struct accepted *a, const struct fscrypt_ext_fs_info *fs, const uint8_t *hdr, size_t hlen,
		      struct tally *t)
{
	uint8_t raw[FSCRYPT_EXT_POLICY_V2_SIZE];
	struct fscrypt_ext_policy p;
	size_t len = hlen == 4 ? FSCRYPT_EXT_POLICY_V1_SIZE : FSCRYPT_EXT_POLICY_V2_SIZE;
	bool kernel = listed(a, hdr, hlen), ours;
	int err;

	memset(raw, 0x5a, sizeof(raw)); /* any key specifier: the kernel does not look at it here */
	memcpy(raw, hdr, hlen);
	err = fscrypt_ext_policy_parse(raw, len, &p);
	ours = err == FSCRYPT_EXT_OK && fscrypt_ext_policy_validate(&p, fs) == FSCRYPT_EXT_OK;
	t->checked++;
	t->accepted += kernel;
	if (ours != kernel) {
		if (t->mismatches++ < 10)
			fprintf(stderr,
				"mismatch: v%u contents %u filenames %u flags 0x%02x log2 %u reserved %02x%02x%02x "
				"(stable_inodes %d): kernel %s, library %s\n",
				hdr[0], hdr[1], hdr[2], hdr[3], hlen == 8 ? hdr[4] : 0, hlen == 8 ? hdr[5] : 0,
				hlen == 8 ? hdr[6] : 0, hlen == 8 ? hdr[7] : 0, fs->stable_inodes,
				kernel ? "accepts" : "refuses", ours ? "accepts" : "refuses");
	}
}

static void sweep(const struct accepted *a, const struct fscrypt_ext_fs_info *fs, struct tally *t)
{
	uint8_t h[8];

	for (int cm = 0; cm < 12; cm++)
		for (int fm = 0; fm < 12; fm++)
			for (int flags = 0; flags < 256; flags++) {
				for (size_t l = 0; l < sizeof(log2_sizes); l++) {
					uint8_t v2[8] = { 2, (uint8_t)cm, (uint8_t)fm, (uint8_t)flags, log2_sizes[l], 0, 0, 0 };

					check_one(a, fs, v2, 8, t);
				}
				h[0] = 0, h[1] = (uint8_t)cm, h[2] = (uint8_t)fm, h[3] = (uint8_t)flags;
				check_one(a, fs, h, 4, t);
			}
	for (size_t i = 0; i < sizeof(v2_pairs) / sizeof(v2_pairs[0]); i++)
		for (int flags = 0; flags < 256; flags++)
			for (size_t r = 0; r < sizeof(reserved_patterns) / sizeof(reserved_patterns[0]); r++)
				for (int l2 = 0; l2 <= 12; l2 += 12) {
					uint8_t v2[8] = { 2, v2_pairs[i][0], v2_pairs[i][1], (uint8_t)flags, (uint8_t)l2,
							  reserved_patterns[r][0], reserved_patterns[r][1],
							  reserved_patterns[r][2] };

					check_one(a, fs, v2, 8, t);
				}
}

START_TEST(test_matches_kernel_sweep)
{
	json_object *root = json_object_from_file(DATA_FILE), *fss;
	size_t nfs;

	ck_assert_msg(root != NULL, "cannot read %s", DATA_FILE);
	ck_assert(json_object_object_get_ex(root, "filesystems", &fss));
	nfs = json_object_array_length(fss);
	ck_assert_uint_eq(nfs, 2);
	for (size_t i = 0; i < nfs; i++) {
		json_object *f = json_object_array_get_idx(fss, i), *fsj, *acc, *o;
		struct fscrypt_ext_fs_info fs;
		struct accepted a;
		struct tally t = { 0, 0, 0 };

		ck_assert(json_object_object_get_ex(f, "fs", &fsj) && json_object_object_get_ex(f, "accepted_headers", &acc));
		ck_assert(json_object_object_get_ex(fsj, "block_size", &o));
		fscrypt_ext_fs_info_ext4(&fs, (uint32_t)json_object_get_int(o));
		ck_assert(json_object_object_get_ex(fsj, "stable_inodes", &o));
		fs.stable_inodes = json_object_get_boolean(o);
		ck_assert(json_object_object_get_ex(fsj, "ino_bits", &o));
		fs.ino_bits = (uint8_t)json_object_get_int(o);
		ck_assert(json_object_object_get_ex(fsj, "lblk_bits", &o));
		fs.lblk_bits = (uint8_t)json_object_get_int(o);
		ck_assert(json_object_object_get_ex(fsj, "subblock_data_units", &o));
		fs.subblock_data_units = json_object_get_boolean(o);
		a.n = json_object_array_length(acc);
		a.hex = calloc(a.n, sizeof(*a.hex));
		ck_assert_ptr_nonnull(a.hex);
		for (size_t j = 0; j < a.n; j++)
			snprintf(a.hex[j], sizeof(a.hex[j]), "%s", json_object_get_string(json_object_array_get_idx(acc, j)));
		sweep(&a, &fs, &t);
		printf("stable_inodes %d: %lu structs, %lu accepted by the kernel, %lu mismatches\n", fs.stable_inodes,
		       t.checked, t.accepted, t.mismatches);
		/* Every header the kernel accepted was met by the enumeration (twice for none). */
		ck_assert_uint_eq(t.accepted, a.n);
		ck_assert_msg(t.mismatches == 0, "%lu structs decided differently from Linux 6.18", t.mismatches);
		free(a.hex);
	}
	json_object_put(root);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("policy_kernel");
	TCase *tc = tcase_create("sweep");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_matches_kernel_sweep);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
