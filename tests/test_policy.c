/* Policy and context suite: parse/serialise, Linux 6.18 validation rules with their specific errors, text form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static struct fscrypt_ext_policy make_policy(uint8_t version, uint8_t contents, uint8_t filenames, uint8_t flags)
{
	struct fscrypt_ext_policy p;

	memset(&p, 0, sizeof(p));
	p.version = version;
	p.contents_mode = contents;
	p.filenames_mode = filenames;
	p.flags = flags;
	/* Only the version's own key field is set, as parsing leaves the other one zero. */
	if (version == FSCRYPT_EXT_POLICY_V1) {
		for (int i = 0; i < 8; i++)
			p.key_descriptor[i] = (uint8_t)(0xa0 + i);
	} else {
		for (int i = 0; i < 16; i++)
			p.key_identifier[i] = (uint8_t)(0xb0 + i);
	}
	return p;
}

static struct fscrypt_ext_fs_info ext4_4k(void)
{
	struct fscrypt_ext_fs_info fs;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	return fs;
}

#define CHECK_VALIDATE(p, fs, want)                                                                         \
	do {                                                                                                \
		int got_ = fscrypt_ext_policy_validate(&(p), &(fs));                                       \
		ck_assert_msg(got_ == (want),                                                               \
			      "v%u modes (%u,%u) flags 0x%02x log2 %u reserved %02x%02x%02x block %u: got %d (%s) want %d", \
			      (p).version, (p).contents_mode, (p).filenames_mode, (p).flags,               \
			      (p).log2_data_unit_size, (p).reserved[0], (p).reserved[1], (p).reserved[2],   \
			      (fs).block_size, got_, fscrypt_ext_strerror(got_), (want));                   \
	} while (0)

#define CHECK_VALIDATE_DIR(p, fs, dir_flags, want)                                                          \
	do {                                                                                                \
		int got_ = fscrypt_ext_policy_validate_dir(&(p), &(fs), (dir_flags));                      \
		ck_assert_msg(got_ == (want), "v%u modes (%u,%u) flags 0x%02x dir_flags 0x%x: got %d (%s) want %d", \
			      (p).version, (p).contents_mode, (p).filenames_mode, (p).flags, (unsigned)(dir_flags), \
			      got_, fscrypt_ext_strerror(got_), (want));                                    \
	} while (0)

START_TEST(test_fs_info_ext4)
{
	struct fscrypt_ext_fs_info fs;

	memset(&fs, 0xff, sizeof(fs));
	fscrypt_ext_fs_info_ext4(&fs, 1024);
	ck_assert_uint_eq(fs.block_size, 1024);
	ck_assert_uint_eq(fs.ino_bits, 32);
	ck_assert_uint_eq(fs.lblk_bits, 32);
	ck_assert(fs.stable_inodes && fs.subblock_data_units);
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(fs.uuid[i], 0);
}
END_TEST

START_TEST(test_policy_round_trip)
{
	uint8_t buf[24], out[32];
	struct fscrypt_ext_policy p;
	size_t n;

	for (int iter = 0; iter < 200; iter++) {
		size_t len = (iter & 1) ? 24 : 12;

		tu_rand(buf, sizeof(buf));
		buf[0] = (iter & 1) ? 2 : 0;
		ck_assert_int_eq(fscrypt_ext_policy_parse(buf, len, &p), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(p.version, buf[0]);
		ck_assert_uint_eq(p.contents_mode, buf[1]);
		ck_assert_uint_eq(p.filenames_mode, buf[2]);
		ck_assert_uint_eq(p.flags, buf[3]);
		ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, out, sizeof(out), &n), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(n, len);
		ck_assert_msg(memcmp(buf, out, len) == 0, "round trip of a %zu-byte policy", len);
	}
	memset(buf, 0, sizeof(buf));
	buf[0] = 2;
	buf[4] = 12;
	buf[6] = 0x40;
	ck_assert_int_eq(fscrypt_ext_policy_parse(buf, 24, &p), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(p.log2_data_unit_size, 12);
	ck_assert_uint_eq(p.reserved[1], 0x40);
}
END_TEST

START_TEST(test_policy_parse_errors)
{
	uint8_t buf[64] = { 0 };
	struct fscrypt_ext_policy p, before;

	memset(&p, 0x5a, sizeof(p));
	before = p;
	ck_assert_int_eq(fscrypt_ext_policy_parse(buf, 0, &p), FSCRYPT_EXT_ERR_TRUNCATED);
	for (size_t len = 1; len < 12; len++)
		ck_assert_msg(fscrypt_ext_policy_parse(buf, len, &p) == FSCRYPT_EXT_ERR_TRUNCATED, "v1 len %zu", len);
	for (size_t len = 13; len < 40; len++)
		ck_assert_msg(fscrypt_ext_policy_parse(buf, len, &p) == FSCRYPT_EXT_ERR_OVERSIZED, "v1 len %zu", len);
	buf[0] = 2;
	for (size_t len = 1; len < 24; len++)
		ck_assert_msg(fscrypt_ext_policy_parse(buf, len, &p) == FSCRYPT_EXT_ERR_TRUNCATED, "v2 len %zu", len);
	for (size_t len = 25; len < 64; len++)
		ck_assert_msg(fscrypt_ext_policy_parse(buf, len, &p) == FSCRYPT_EXT_ERR_OVERSIZED, "v2 len %zu", len);
	/* Policy version bytes are 0 and 2; 1 is the v1 *context* version. */
	for (int v = 0; v < 256; v++) {
		if (v == 0 || v == 2)
			continue;
		buf[0] = (uint8_t)v;
		/* 1 never existed (corrupt); above 2 may be a future format (unrecognised). */
		int want = v > 2 ? FSCRYPT_EXT_ERR_UNKNOWN_VERSION : FSCRYPT_EXT_ERR_BAD_VERSION;
		ck_assert_msg(fscrypt_ext_policy_parse(buf, 12, &p) == want, "version %d", v);
		ck_assert_msg(fscrypt_ext_policy_parse(buf, 24, &p) == want, "version %d", v);
		ck_assert_msg(fscrypt_ext_policy_parse(buf, 3, &p) == want, "version %d, short", v);
	}
	ck_assert_msg(memcmp(&p, &before, sizeof(p)) == 0, "output touched on failure");
	ck_assert_int_eq(fscrypt_ext_policy_parse(NULL, 12, &p), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_parse(buf, 12, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_policy_serialize_errors)
{
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, 0);
	uint8_t buf[24];
	size_t n = 99;

	ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, buf, 23, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	p.version = 0;
	ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, buf, 11, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, buf, 12, &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 12);
	p.version = 1;
	ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, buf, 24, &n), FSCRYPT_EXT_ERR_BAD_VERSION);
}
END_TEST

START_TEST(test_validate_v1_rules)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p;

	p = make_policy(0, 1, 4, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(0, 5, 6, 3);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(0, 9, 9, 2);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	/* v2-only pairs. */
	p = make_policy(0, 1, 10, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(0, 7, 8, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(0, 4, 1, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(0, 0, 0, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	/* Flags: only PAD and DIRECT_KEY exist for v1. */
	p = make_policy(0, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS);
	p = make_policy(0, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS);
	p = make_policy(0, 1, 4, 0x80);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS);
	/* DIRECT_KEY: equal modes with a >= 24-byte IV. */
	p = make_policy(0, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(0, 5, 6, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(0, 9, 9, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	/* Casefolded directories (a per-directory flag) refuse v1, after the other rules. */
	p = make_policy(0, 1, 4, 0);
	CHECK_VALIDATE_DIR(p, fs, FSCRYPT_EXT_DIR_CASEFOLDED, FSCRYPT_EXT_ERR_CASEFOLD_V1);
	CHECK_VALIDATE_DIR(p, fs, 0, FSCRYPT_EXT_OK);
	p = make_policy(0, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE_DIR(p, fs, FSCRYPT_EXT_DIR_CASEFOLDED, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(0, 1, 10, 0);
	CHECK_VALIDATE_DIR(p, fs, FSCRYPT_EXT_DIR_CASEFOLDED, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	/* v2 is allowed on casefolded directories. */
	p = make_policy(2, 1, 4, 0);
	CHECK_VALIDATE_DIR(p, fs, FSCRYPT_EXT_DIR_CASEFOLDED, FSCRYPT_EXT_OK);
	/* Unknown directory flag bits are refused. */
	CHECK_VALIDATE_DIR(p, fs, 0x80, FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_validate_v2_rules)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p;

	for (uint8_t pad = 0; pad < 4; pad++) {
		p = make_policy(2, 1, 4, pad);
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	}
	p = make_policy(2, 1, 10, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(2, 7, 8, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(2, 1, 6, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(2, 10, 10, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(2, 1, 4, 0x20);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS);
	p = make_policy(2, 9, 9, FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS);
	/* Unknown flag bits are reported before exclusivity. */
	p = make_policy(2, 1, 4, 0x20 | FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(2, 1, 10, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(2, 9, 9, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(2, 1, 10, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 | 3);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p = make_policy(2, 9, 9, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
	p = make_policy(2, 7, 8, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
	/* Reserved bytes last, each of them, each bit. */
	for (int i = 0; i < 3; i++) {
		for (int bit = 0; bit < 8; bit++) {
			p = make_policy(2, 1, 4, 0);
			p.reserved[i] = (uint8_t)(1u << bit);
			CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_RESERVED_BITS);
		}
	}
	p = make_policy(2, 1, 6, 0);
	p.reserved[0] = 1;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	p.reserved[2] = 1;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	p = make_policy(3, 1, 4, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_UNKNOWN_VERSION);
	p = make_policy(1, 1, 4, 0);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_BAD_VERSION);
}
END_TEST

START_TEST(test_validate_data_unit_size)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, 0);

	for (unsigned int l = 1; l < 256; l++) {
		p.log2_data_unit_size = (uint8_t)l;
		CHECK_VALIDATE(p, fs, (l >= 9 && l <= 12) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	}
	/* A filesystem without sub-block support refuses any explicit value, even the block size. */
	fs.subblock_data_units = false;
	p.log2_data_unit_size = 12;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	p.log2_data_unit_size = 0;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	fs = ext4_4k();
	/* IV_INO_LBLK_32 only with full-block units. */
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	p.log2_data_unit_size = 11;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	p.log2_data_unit_size = 12;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	/* IV_INO_LBLK_64: 32 lblk bits + 12 block bits - du bits must be <= 32. */
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	p.log2_data_unit_size = 11;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
	p.log2_data_unit_size = 12;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	/* Data unit rule comes before DIRECT_KEY and after exclusivity. */
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	p.log2_data_unit_size = 13;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	p.log2_data_unit_size = 13;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS);
	/* Smaller blocks: 1 KiB ext4 allows 512 and 1024. */
	fscrypt_ext_fs_info_ext4(&fs, 1024);
	p = make_policy(2, 1, 4, 0);
	p.log2_data_unit_size = 10;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	p.log2_data_unit_size = 11;
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
}
END_TEST

START_TEST(test_validate_iv_ino_lblk_fs)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p;

	for (int f = 0; f < 2; f++) {
		p = make_policy(2, 1, 4, f ? FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 : FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
		fs = ext4_4k();
		fs.stable_inodes = false;
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
		fs = ext4_4k();
		fs.ino_bits = 33;
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
		fs = ext4_4k();
		fs.lblk_bits = 33;
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_ERR_IV_INO_LBLK);
		fs = ext4_4k();
		fs.lblk_bits = 20;
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
		/* The defaults for v2 without these flags never depend on the filesystem's inodes. */
		p.flags = 0;
		fs.stable_inodes = false;
		fs.ino_bits = 64;
		CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	}
	/* 64 KiB blocks: 32 + 16 - 16 = 32 bits still fit. */
	fscrypt_ext_fs_info_ext4(&fs, 65536);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64);
	CHECK_VALIDATE(p, fs, FSCRYPT_EXT_OK);
	fs.block_size = 3000;
	ck_assert_int_eq(fscrypt_ext_policy_validate(&p, &fs), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_validate(&p, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

/*
 * An independent statement of fscrypt_supported_policy() for ext4 with 4 KiB
 * blocks, written as a decision list over the grid (modes 0-11,
 * every flags byte, log2 0 and 8-13, reserved zero or not).
 */
static int model_v2(uint8_t c, uint8_t f, uint8_t flags, uint8_t log2, bool reserved)
{
	static const uint8_t pairs_v2[][2] = { { 1, 4 }, { 5, 6 }, { 9, 9 }, { 1, 10 }, { 7, 8 } };
	bool pair = false;
	int n = !!(flags & 4) + !!(flags & 8) + !!(flags & 16);

	for (size_t i = 0; i < 5; i++)
		pair |= pairs_v2[i][0] == c && pairs_v2[i][1] == f;
	if (!pair)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	if (flags >= 32)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS;
	if (n > 1)
		return FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS;
	if (log2 != 0 && (log2 < 9 || log2 > 12 || (log2 < 12 && (flags & 16))))
		return FSCRYPT_EXT_ERR_DATA_UNIT_SIZE;
	if ((flags & 4) && !(c == 9 && f == 9))
		return FSCRYPT_EXT_ERR_DIRECT_KEY_MODES;
	if ((flags & 24) && (c != 1 || (log2 != 0 && 44 - log2 > 32)))
		return FSCRYPT_EXT_ERR_IV_INO_LBLK;
	return reserved ? FSCRYPT_EXT_ERR_RESERVED_BITS : FSCRYPT_EXT_OK;
}

static int model_v1(uint8_t c, uint8_t f, uint8_t flags)
{
	if (!((c == 1 && f == 4) || (c == 5 && f == 6) || (c == 9 && f == 9)))
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	if (flags & ~7)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS;
	if ((flags & 4) && c != 9)
		return FSCRYPT_EXT_ERR_DIRECT_KEY_MODES;
	return FSCRYPT_EXT_OK;
}

START_TEST(test_validate_grid_ext4_4k)
{
	static const uint8_t log2s[] = { 0, 8, 9, 10, 11, 12, 13 };
	struct fscrypt_ext_fs_info fs = ext4_4k();
	unsigned int accepted = 0;

	for (uint8_t c = 0; c <= 11; c++) {
		for (uint8_t f = 0; f <= 11; f++) {
			for (unsigned int flags = 0; flags < 256; flags++) {
				struct fscrypt_ext_policy p = make_policy(0, c, f, (uint8_t)flags);

				CHECK_VALIDATE(p, fs, model_v1(c, f, (uint8_t)flags));
				for (size_t l = 0; l < sizeof(log2s); l++) {
					for (int r = 0; r < 2; r++) {
						p = make_policy(2, c, f, (uint8_t)flags);
						p.log2_data_unit_size = log2s[l];
						p.reserved[2] = (uint8_t)(r * 0x80);
						int want = model_v2(c, f, (uint8_t)flags, log2s[l], r);

						CHECK_VALIDATE(p, fs, want);
						accepted += want == FSCRYPT_EXT_OK;
					}
				}
			}
		}
	}
	ck_assert_msg(accepted > 0, "no v2 policy accepted");
}
END_TEST

START_TEST(test_context_round_trip)
{
	uint8_t buf[40], out[48];
	struct fscrypt_ext_context c;
	struct fscrypt_ext_policy p;
	size_t n;

	for (int iter = 0; iter < 200; iter++) {
		size_t len = (iter & 1) ? 40 : 28;

		tu_rand(buf, sizeof(buf));
		buf[0] = (iter & 1) ? 2 : 1;
		if (iter & 1)
			buf[5] = buf[6] = buf[7] = 0;
		ck_assert_int_eq(fscrypt_ext_context_parse(buf, len, &c), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_context_serialize(&c, out, sizeof(out), &n), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(n, len);
		ck_assert_msg(memcmp(buf, out, len) == 0, "context round trip, %zu bytes", len);
		ck_assert_int_eq(fscrypt_ext_context_to_policy(&c, &p), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(p.version, (iter & 1) ? 2 : 0);
		ck_assert_uint_eq(p.flags, buf[3]);
		ck_assert(memcmp(c.nonce, buf + len - 16, 16) == 0);
		if (iter & 1)
			ck_assert(memcmp(p.key_identifier, buf + 8, 16) == 0 && p.log2_data_unit_size == buf[4]);
		else
			ck_assert(memcmp(p.key_descriptor, buf + 4, 8) == 0);
	}
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, out, 27, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	c.version = 0;
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, out, 48, &n), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_int_eq(fscrypt_ext_context_to_policy(&c, &p), FSCRYPT_EXT_ERR_BAD_VERSION);
}
END_TEST

START_TEST(test_context_parse_errors)
{
	uint8_t buf[64] = { 0 };
	struct fscrypt_ext_context c, before;

	memset(&c, 0x77, sizeof(c));
	before = c;
	ck_assert_int_eq(fscrypt_ext_context_parse(buf, 0, &c), FSCRYPT_EXT_ERR_TRUNCATED);
	buf[0] = 1;
	for (size_t len = 1; len < 28; len++)
		ck_assert_msg(fscrypt_ext_context_parse(buf, len, &c) == FSCRYPT_EXT_ERR_TRUNCATED, "v1 len %zu", len);
	for (size_t len = 29; len <= 64; len++)
		ck_assert_msg(fscrypt_ext_context_parse(buf, len, &c) == FSCRYPT_EXT_ERR_OVERSIZED, "v1 len %zu", len);
	buf[0] = 2;
	for (size_t len = 1; len < 40; len++)
		ck_assert_msg(fscrypt_ext_context_parse(buf, len, &c) == FSCRYPT_EXT_ERR_TRUNCATED, "v2 len %zu", len);
	for (size_t len = 41; len <= 64; len++)
		ck_assert_msg(fscrypt_ext_context_parse(buf, len, &c) == FSCRYPT_EXT_ERR_OVERSIZED, "v2 len %zu", len);
	/* Context versions are 1 and 2 (0 is the v1 *policy* version). */
	for (int v = 0; v < 256; v++) {
		if (v == 1 || v == 2)
			continue;
		buf[0] = (uint8_t)v;
		int want = v > 2 ? FSCRYPT_EXT_ERR_UNKNOWN_VERSION : FSCRYPT_EXT_ERR_BAD_VERSION;
		ck_assert_msg(fscrypt_ext_context_parse(buf, 28, &c) == want, "version %d", v);
		ck_assert_msg(fscrypt_ext_context_parse(buf, 40, &c) == want, "version %d", v);
		/* A future version's size is unknown: never TRUNCATED or OVERSIZED. */
		ck_assert_msg(fscrypt_ext_context_parse(buf, 1, &c) == want, "version %d, 1 byte", v);
		ck_assert_msg(fscrypt_ext_context_parse(buf, 64, &c) == want, "version %d, 64 bytes", v);
	}
	buf[0] = 2;
	for (int i = 5; i < 8; i++) {
		for (int bit = 0; bit < 8; bit++) {
			buf[i] = (uint8_t)(1u << bit);
			ck_assert_msg(fscrypt_ext_context_parse(buf, 40, &c) == FSCRYPT_EXT_ERR_RESERVED_BITS,
				      "reserved byte %d bit %d", i, bit);
			buf[i] = 0;
		}
	}
	ck_assert_msg(memcmp(&c, &before, sizeof(c)) == 0, "output touched on failure");
	ck_assert_int_eq(fscrypt_ext_context_parse(NULL, 40, &c), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_context_bit_flips)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, 2);
	struct fscrypt_ext_context c, d;
	uint8_t buf[40];
	size_t n;

	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &c), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, buf, sizeof(buf), &n), FSCRYPT_EXT_OK);
	for (size_t byte = 0; byte < 8; byte++) {
		for (int bit = 0; bit < 8; bit++) {
			int err;

			buf[byte] ^= (uint8_t)(1u << bit);
			err = fscrypt_ext_context_parse(buf, 40, &d);
			if (err == FSCRYPT_EXT_OK)
				err = fscrypt_ext_context_validate(&d, &fs);
			/* Any change in the first 8 bytes either breaks the shape or changes a validated field. */
			/* PAD bits and the IV_INO_LBLK_* flags are fine on ext4 4K with AES-256-XTS. */
			if (byte == 3 && (bit == 0 || bit == 1 || bit == 3 || bit == 4))
				ck_assert_msg(err == FSCRYPT_EXT_OK, "flags bit %d: %d", bit, err);
			else if (byte == 4)
				ck_assert_msg(err == FSCRYPT_EXT_ERR_DATA_UNIT_SIZE || err == FSCRYPT_EXT_OK,
					      "log2 bit %d: %d", bit, err);
			else
				ck_assert_msg(err != FSCRYPT_EXT_OK, "byte %zu bit %d accepted", byte, bit);
			buf[byte] ^= (uint8_t)(1u << bit);
		}
	}
}
END_TEST

START_TEST(test_context_new)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, 3), q;
	struct fscrypt_ext_context a, b;

	p.log2_data_unit_size = 10;
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &a), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &b), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(a.version, 2);
	ck_assert_uint_eq(a.log2_data_unit_size, 10);
	ck_assert(memcmp(a.key_identifier, p.key_identifier, 16) == 0);
	ck_assert_msg(memcmp(a.nonce, b.nonce, 16) != 0, "two new contexts share a nonce");
	ck_assert_int_eq(fscrypt_ext_context_to_policy(&a, &q), FSCRYPT_EXT_OK);
	ck_assert(memcmp(&p, &q, sizeof(p)) == 0);
	ck_assert_int_eq(fscrypt_ext_context_validate(&a, &fs), FSCRYPT_EXT_OK);
	p = make_policy(0, 1, 4, 0);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &a), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(a.version, 1);
	ck_assert(memcmp(a.key_descriptor, p.key_descriptor, 8) == 0);
	p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_DIRECT_KEY);
	memset(&b, 0x33, sizeof(b));
	a = b;
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &a), FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
	/* A context with reserved bits set (built by hand) fails validation. */
	p = make_policy(2, 1, 4, 0);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &a), FSCRYPT_EXT_OK);
	a.reserved[1] = 4;
	ck_assert_int_eq(fscrypt_ext_context_validate(&a, &fs), FSCRYPT_EXT_ERR_RESERVED_BITS);
	a.version = 3;
	ck_assert_int_eq(fscrypt_ext_context_validate(&a, &fs), FSCRYPT_EXT_ERR_UNKNOWN_VERSION);
	a.version = 0;
	ck_assert_int_eq(fscrypt_ext_context_validate(&a, &fs), FSCRYPT_EXT_ERR_BAD_VERSION);
	/* A v1 policy's unused identifier bytes never reach the new context ("zero the rest"). */
	p = make_policy(0, 1, 4, 0);
	memset(p.key_identifier, 0xee, sizeof(p.key_identifier));
	p.log2_data_unit_size = 9;
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &a), FSCRYPT_EXT_OK);
	memset(&b, 0, sizeof(b));
	ck_assert(memcmp(a.key_identifier, b.key_identifier, 16) == 0 && a.log2_data_unit_size == 0);
	ck_assert_int_eq(fscrypt_ext_context_new(NULL, &fs, &a), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, NULL, &a), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

/*
 * Parse and validate agree on which error a context gets: the shape first
 * (reserved bytes), then the policy rules, even when the modes are bad too.
 */
START_TEST(test_context_shape_before_rules)
{
	struct fscrypt_ext_fs_info fs = ext4_4k();
	struct fscrypt_ext_policy p = make_policy(2, 3, 3, 0);
	struct fscrypt_ext_context c;
	uint8_t raw[40];

	memset(&c, 0, sizeof(c));
	c.version = 2;
	c.contents_mode = 3;
	c.filenames_mode = 3;
	c.reserved[2] = 0x80;
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, raw, sizeof(raw), NULL), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_context_parse(raw, sizeof(raw), &c), FSCRYPT_EXT_ERR_RESERVED_BITS);
	ck_assert_int_eq(fscrypt_ext_context_validate(&c, &fs), FSCRYPT_EXT_ERR_RESERVED_BITS);
	/* The policy form keeps the kernel's order: modes are refused before reserved bytes. */
	p.reserved[2] = 0x80;
	ck_assert_int_eq(fscrypt_ext_policy_validate(&p, &fs), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	c.reserved[2] = 0;
	ck_assert_int_eq(fscrypt_ext_context_validate(&c, &fs), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	fs.block_size = 3000;
	ck_assert_int_eq(fscrypt_ext_context_validate(&c, &fs), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_validate(NULL, &fs), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

/* Every remaining pointer argument of the policy and context API. */
START_TEST(test_null_arguments)
{
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, 0);
	struct fscrypt_ext_context c;
	uint8_t buf[40];
	char text[256];

	memset(&c, 0, sizeof(c));
	c.version = 2;
	ck_assert_int_eq(fscrypt_ext_policy_serialize(NULL, buf, sizeof(buf), NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_serialize(&p, NULL, sizeof(buf), NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_serialize(NULL, buf, sizeof(buf), NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, NULL, sizeof(buf), NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, buf, 39, NULL), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	c.version = 0;
	ck_assert_int_eq(fscrypt_ext_context_serialize(&c, buf, sizeof(buf), NULL), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_int_eq(fscrypt_ext_context_to_policy(&c, &p), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_int_eq(fscrypt_ext_context_to_policy(NULL, &p), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_to_policy(&c, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_parse(buf, 40, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_context_parse(NULL, 0, &c), FSCRYPT_EXT_ERR_TRUNCATED);
	ck_assert_int_eq(fscrypt_ext_policy_to_text(NULL, text, sizeof(text)), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, NULL, sizeof(text)), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, text, 0), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(fscrypt_ext_policy_from_text("v1", NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_validate(NULL, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext_fs_info_ext4(NULL, 4096); /* allowed, does nothing */
}
END_TEST

START_TEST(test_text_known)
{
	struct fscrypt_ext_policy p = make_policy(2, 1, 4, FSCRYPT_EXT_FLAG_PAD_32 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64), q;
	char buf[256];

	p.log2_data_unit_size = 12;
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, sizeof(buf)), FSCRYPT_EXT_OK);
	ck_assert_str_eq(buf, "v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32|IV_INO_LBLK_64 "
			      "data_unit=4096 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
	ck_assert_int_eq(fscrypt_ext_policy_from_text(buf, &q), FSCRYPT_EXT_OK);
	ck_assert(memcmp(&p, &q, sizeof(p)) == 0);
	p = make_policy(0, 1, 4, 0);
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, sizeof(buf)), FSCRYPT_EXT_OK);
	ck_assert_str_eq(buf, "v1 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4 key=a0a1a2a3a4a5a6a7");
	p = make_policy(2, 3, 200, 0x24);
	p.reserved[0] = 0xab;
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, sizeof(buf)), FSCRYPT_EXT_OK);
	ck_assert_str_eq(buf, "v2 contents=3 filenames=200 flags=PAD_4|DIRECT_KEY|0x20 reserved=ab0000 "
			      "key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
	/* Field order is free; "flags=0" means none. */
	ck_assert_int_eq(fscrypt_ext_policy_from_text("v1 key=a0a1a2a3a4a5a6a7 flags=0 filenames=AES-256-CTS "
						      "contents=AES-256-XTS", &q), FSCRYPT_EXT_OK);
	p = make_policy(0, 1, 4, 0);
	ck_assert(memcmp(&p, &q, sizeof(p)) == 0);
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, 20), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	p.version = 1;
	ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, sizeof(buf)), FSCRYPT_EXT_ERR_BAD_VERSION);
}
END_TEST

START_TEST(test_text_round_trip_random)
{
	char buf[256];

	for (int iter = 0; iter < 3000; iter++) {
		struct fscrypt_ext_policy p, q;
		uint8_t r[8];

		tu_rand(r, sizeof(r));
		p = make_policy((iter & 1) ? 2 : 0, r[0] % 12, r[1] % 12, r[2]);
		if (iter % 5 == 0)
			p.contents_mode = r[3];
		if (p.version == 2) {
			p.log2_data_unit_size = (iter % 3) ? r[4] % 17 : r[4];
			if (iter % 7 == 0)
				memcpy(p.reserved, r + 5, 3);
		}
		ck_assert_int_eq(fscrypt_ext_policy_to_text(&p, buf, sizeof(buf)), FSCRYPT_EXT_OK);
		ck_assert_msg(fscrypt_ext_policy_from_text(buf, &q) == FSCRYPT_EXT_OK, "cannot read back: %s", buf);
		ck_assert_msg(memcmp(&p, &q, sizeof(p)) == 0, "text round trip differs: %s", buf);
	}
}
END_TEST

START_TEST(test_text_bad)
{
	static const char *const bad[] = {
		"",
		"v3 contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7a8",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=g0a1a2a3a4a5a6a7",
		"v1 contents=AES-999 filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7",
		"v1 contents=256 filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_64 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|PAD_8 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4| key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=FOO key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0x01 key=a0a1a2a3a4a5a6a7",
		"v1 contents=AES-256-XTS filenames=AES-256-CTS flags=0 data_unit=4096 key=a0a1a2a3a4a5a6a7",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 data_unit=3000 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 data_unit=1 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 reserved=00 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 key=a0a1a2a3a4a5a6a7",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 colour=blue key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=0 nokeyfield key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=01 filenames=AES-256-CTS flags=0 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		/* Unnamed bits come as exactly one "0x%02x" token of bits without a name, as to_text prints. */
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x04 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x+4 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x2 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x00 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x0x20 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_4|0x020 key=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
	};
	struct fscrypt_ext_policy q, before;

	memset(&q, 0x11, sizeof(q));
	before = q;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = fscrypt_ext_policy_from_text(bad[i], &q);

		ck_assert_msg(err == FSCRYPT_EXT_ERR_BAD_ENCODING, "accepted or wrong error %d: \"%s\"", err, bad[i]);
	}
	ck_assert(memcmp(&q, &before, sizeof(q)) == 0);
	ck_assert_int_eq(fscrypt_ext_policy_from_text(NULL, &q), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fs_info_ext4);
	tcase_add_test(tc, test_policy_round_trip);
	tcase_add_test(tc, test_policy_parse_errors);
	tcase_add_test(tc, test_policy_serialize_errors);
	tcase_add_test(tc, test_validate_v1_rules);
	tcase_add_test(tc, test_validate_v2_rules);
	tcase_add_test(tc, test_validate_data_unit_size);
	tcase_add_test(tc, test_validate_iv_ino_lblk_fs);
	tcase_add_test(tc, test_validate_grid_ext4_4k);
	tcase_add_test(tc, test_context_round_trip);
	tcase_add_test(tc, test_context_parse_errors);
	tcase_add_test(tc, test_context_bit_flips);
	tcase_add_test(tc, test_context_new);
	tcase_add_test(tc, test_context_shape_before_rules);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_text_known);
	tcase_add_test(tc, test_text_round_trip_random);
	tcase_add_test(tc, test_text_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
