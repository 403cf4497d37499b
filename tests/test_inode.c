/* Inode suite: opening inodes (key checks, sizes, ranges, types) and contents encryption by data units, against OpenSSL. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static uint8_t MK[64], NONCE[16], UUID[16];

static void setup_inputs(void)
{
	for (int i = 0; i < 64; i++)
		MK[i] = (uint8_t)i;
	for (int i = 0; i < 16; i++) {
		NONCE[i] = (uint8_t)(0x10 + i);
		UUID[i] = (uint8_t)(0x11 * i);
	}
}

static fscrypt_ext_master_key *new_key(const uint8_t *raw, size_t len)
{
	fscrypt_ext_master_key *mk = NULL;

	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, len, &mk), FSCRYPT_EXT_OK);
	return mk;
}

static struct fscrypt_ext_context v2_ctx(const fscrypt_ext_master_key *mk, uint8_t flags, uint8_t log2)
{
	struct fscrypt_ext_context c;

	memset(&c, 0, sizeof(c));
	c.version = FSCRYPT_EXT_CONTEXT_V2;
	c.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	c.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	c.flags = flags;
	c.log2_data_unit_size = log2;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, c.key_identifier), FSCRYPT_EXT_OK);
	memcpy(c.nonce, NONCE, 16);
	return c;
}

static struct fscrypt_ext_context v1_ctx(const fscrypt_ext_master_key *mk, uint8_t flags)
{
	struct fscrypt_ext_context c;

	memset(&c, 0, sizeof(c));
	c.version = FSCRYPT_EXT_CONTEXT_V1;
	c.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	c.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	c.flags = flags;
	ck_assert_int_eq(fscrypt_ext_master_key_descriptor(mk, c.key_descriptor), FSCRYPT_EXT_OK);
	memcpy(c.nonce, NONCE, 16);
	return c;
}

static struct fscrypt_ext_fs_info fs_4k(void)
{
	struct fscrypt_ext_fs_info fs;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	memcpy(fs.uuid, UUID, 16);
	return fs;
}

static fscrypt_ext_inode *open_ok(const struct fscrypt_ext_context *c, const fscrypt_ext_master_key *mk,
				  enum fscrypt_ext_inode_type type, uint64_t ino, const struct fscrypt_ext_fs_info *fs)
{
	fscrypt_ext_inode *inode = NULL;
	int err = fscrypt_ext_inode_open(c, mk, type, ino, fs, &inode);

	ck_assert_msg(err == FSCRYPT_EXT_OK, "open v%u flags 0x%02x type %d ino %llu: %s", c->version, c->flags, type,
		      (unsigned long long)ino, fscrypt_ext_strerror(err));
	return inode;
}

/* OpenSSL AES-256-XTS of one data unit: the independent oracle. */
static void ossl_xts(const uint8_t key[64], const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int n = 0;

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(EVP_CipherInit_ex(x, EVP_aes_256_xts(), NULL, key, iv, enc), 1);
	ck_assert_int_eq(EVP_CipherUpdate(x, out, &n, in, (int)len), 1);
	ck_assert_int_eq(n, (int)len);
	EVP_CIPHER_CTX_free(x);
}

static void hkdf_fscrypt(uint8_t context, const uint8_t *info, size_t info_len, uint8_t *out, size_t len)
{
	uint8_t full[64];

	memcpy(full, "fscrypt\0", 8);
	full[8] = context;
	if (info_len)
		memcpy(full + 9, info, info_len);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, full, 9 + info_len, out, len), FSCRYPT_EXT_OK);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

START_TEST(test_open_errors)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64), *other = new_key(MK + 1, 32), *short16 = new_key(MK, 16);
	fscrypt_ext_master_key *mk32 = new_key(MK, 32);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, 0, 0);
	fscrypt_ext_inode *inode = (fscrypt_ext_inode *)&c;

	/* Wrong key: v2 compares the identifier; on failure *out is untouched. */
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, other, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_ptr_eq(inode, (fscrypt_ext_inode *)&c);
	/* v1: the conventional descriptor, unless unchecked. */
	c = v1_ctx(mk, 0);
	c.key_descriptor[0] ^= 1;
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_int_eq(fscrypt_ext_inode_open_v1_unchecked(&c, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(inode);
	/* Key sizes: v2 needs the security strength (32 for AES-256), v1 the full key size (64 for XTS). */
	c = v2_ctx(short16, 0, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, short16, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_KEY_SIZE);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, short16, FSCRYPT_EXT_INODE_DIR, 5, &fs, &inode), FSCRYPT_EXT_ERR_KEY_SIZE);
	c = v2_ctx(mk32, 0, 0);
	inode = open_ok(&c, mk32, FSCRYPT_EXT_INODE_REG, 5, &fs);
	fscrypt_ext_inode_free(inode);
	c = v1_ctx(mk32, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk32, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_KEY_SIZE);
	inode = open_ok(&c, mk32, FSCRYPT_EXT_INODE_DIR, 5, &fs);
	fscrypt_ext_inode_free(inode);
	/* Inode numbers: IV_INO_LBLK_* need 32 bits; the default policy takes any. */
	c = v2_ctx(mk, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 1ull << 32, &fs, &inode), FSCRYPT_EXT_ERR_RANGE);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_DIR, 1ull << 32, &fs, &inode), FSCRYPT_EXT_ERR_RANGE);
	inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 0xffffffffull, &fs);
	fscrypt_ext_inode_free(inode);
	c = v2_ctx(mk, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 1ull << 40, &fs, &inode), FSCRYPT_EXT_ERR_RANGE);
	c = v2_ctx(mk, 0, 0);
	inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 1ull << 40, &fs);
	fscrypt_ext_inode_free(inode);
	/* Validation errors come through with their own codes. */
	c = v2_ctx(mk, FSCRYPT_EXT_FLAG_DIRECT_KEY, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_DIRECT_KEY_MODES);
	c = v2_ctx(mk, 0, 13);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_DATA_UNIT_SIZE);
	c = v2_ctx(mk, 0, 0);
	c.reserved[0] = 1;
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_RESERVED_BITS);
	c = v2_ctx(mk, 0, 0);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, (enum fscrypt_ext_inode_type)0, 5, &fs, &inode), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, (enum fscrypt_ext_inode_type)4, 5, &fs, &inode), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_inode_open(NULL, mk, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, NULL, FSCRYPT_EXT_INODE_REG, 5, &fs, &inode), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_inode_open(&c, mk, FSCRYPT_EXT_INODE_REG, 5, NULL, &inode), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext_inode_free(NULL);
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext_master_key_free(other);
	fscrypt_ext_master_key_free(short16);
	fscrypt_ext_master_key_free(mk32);
}
END_TEST

START_TEST(test_type_misuse)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, 0, 0);
	fscrypt_ext_inode *dir = open_ok(&c, mk, FSCRYPT_EXT_INODE_DIR, 2, &fs);
	fscrypt_ext_inode *link = open_ok(&c, mk, FSCRYPT_EXT_INODE_SYMLINK, 3, &fs);
	uint8_t buf[4096] = { 0 };

	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(dir, 0, buf, buf, 4096), FSCRYPT_EXT_ERR_WRONG_TYPE);
	ck_assert_int_eq(fscrypt_ext_decrypt_data_units(link, 0, buf, buf, 4096), FSCRYPT_EXT_ERR_WRONG_TYPE);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(NULL, 0, buf, buf, 4096), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext_inode_free(dir);
	fscrypt_ext_inode_free(link);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Spec 10.6: per-file AES-256-XTS key, zero block at index 0, and IV_INO_LBLK_32 block 0 of inode 12. */
START_TEST(test_spec_values)
{
	static const char *const want_default = "3908c2e68ea54ae5eff9ece6c4534ea0ff39b7f864ca0b508bb66752adeab431";
	static const char *const want_lblk32 = "c467499b5bfd49a1ee7bb64e8a2ae66058e536991fe7cccf32c27d38790794d3";
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, 0, 0);
	fscrypt_ext_inode *inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	uint8_t *buf = calloc(1, 4096);
	char *h;

	ck_assert_uint_eq(fscrypt_ext_inode_data_unit_size(inode), 4096);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0, buf, buf, 4096), FSCRYPT_EXT_OK);
	h = tu_tohex(buf, 32);
	ck_assert_msg(strcmp(h, want_default) == 0, "default policy (backend %s): %s", tu_backend(), h);
	free(h);
	fscrypt_ext_inode_free(inode);
	c = v2_ctx(mk, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, 0);
	inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	memset(buf, 0, 4096);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0, buf, buf, 4096), FSCRYPT_EXT_OK);
	h = tu_tohex(buf, 32);
	ck_assert_msg(strcmp(h, want_lblk32) == 0, "IV_INO_LBLK_32 (backend %s): %s", tu_backend(), h);
	free(h);
	fscrypt_ext_inode_free(inode);
	free(buf);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* Builds the IV the spec prescribes for one unit, independently of the library. */
static void expected_iv(uint8_t flags, uint64_t ino, uint32_t hashed, uint64_t index, uint8_t iv[16])
{
	memset(iv, 0, 16);
	if (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64) {
		put_le32(iv, (uint32_t)index);
		put_le32(iv + 4, (uint32_t)ino);
	} else if (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32) {
		put_le32(iv, hashed + (uint32_t)index);
	} else {
		put_le32(iv, (uint32_t)index);
		put_le32(iv + 4, (uint32_t)(index >> 32));
	}
}

static void check_against_openssl(uint8_t flags, uint8_t log2, uint64_t ino, uint64_t first_index, size_t units)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, flags, log2);
	fscrypt_ext_inode *inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, ino, &fs);
	size_t du = fscrypt_ext_inode_data_unit_size(inode), len = du * units;
	uint8_t key[64], info[17], iv[16], hk[16], msg[8];
	uint8_t *pt = malloc(len), *ct = malloc(len), *want = malloc(len);
	uint32_t hashed = 0;
	uint64_t h64;

	ck_assert_uint_eq(du, log2 ? (size_t)1 << log2 : 4096);
	info[0] = FSCRYPT_EXT_MODE_AES_256_XTS;
	memcpy(info + 1, UUID, 16);
	if (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64) {
		hkdf_fscrypt(4, info, 17, key, 64);
	} else if (flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32) {
		hkdf_fscrypt(6, info, 17, key, 64);
		hkdf_fscrypt(7, NULL, 0, hk, 16);
		for (int i = 0; i < 8; i++)
			msg[i] = (uint8_t)(ino >> (8 * i));
		ck_assert_int_eq(fscrypt_ext_siphash24(hk, msg, 8, &h64), FSCRYPT_EXT_OK);
		hashed = (uint32_t)h64;
	} else {
		hkdf_fscrypt(2, NONCE, 16, key, 64);
	}
	tu_rand(pt, len);
	for (size_t u = 0; u < units; u++) {
		expected_iv(flags, ino, hashed, first_index + u, iv);
		ossl_xts(key, iv, pt + u * du, want + u * du, du, 1);
	}
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, first_index * du, pt, ct, len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(ct, want, len) == 0, "flags 0x%02x log2 %u ino %llu index %llu units %zu (backend %s)",
		      flags, log2, (unsigned long long)ino, (unsigned long long)first_index, units, tu_backend());
	ck_assert_int_eq(fscrypt_ext_decrypt_data_units(inode, first_index * du, ct, ct, len), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(ct, pt, len) == 0, "in-place decrypt flags 0x%02x", flags);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	free(pt);
	free(ct);
	free(want);
}

START_TEST(test_contents_vs_openssl)
{
	check_against_openssl(0, 0, 7, 0, 3);
	check_against_openssl(0, 0, 7, 0x123456789ull, 2);
	check_against_openssl(2, 9, 7, 5, 4);
	check_against_openssl(3, 10, 7, 1000, 3);
	check_against_openssl(FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, 0, 0xdeadbeefull, 0xfffffffeull, 2);
	check_against_openssl(FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | 2, 12, 12, 77, 3);
	check_against_openssl(FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, 0, 12, 0, 2);
	check_against_openssl(FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, 0, 99999, 0xfffffff0ull, 15);
}
END_TEST

/* The (hashed_ino + index) sum wraps modulo 2^32 inside one call. */
START_TEST(test_lblk32_wrap)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, 0);
	fscrypt_ext_inode *inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	/* hashed_ino(12) = 0x8258b545 (spec 10.6): index 0x7da74abb maps to IV 0. */
	uint64_t wrap = 0x100000000ull - 0x8258b545ull;
	uint8_t *a = calloc(3, 4096), *b = calloc(1, 4096);

	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, (wrap - 1) * 4096, a, a, 3 * 4096), FSCRYPT_EXT_OK);
	/* The middle unit of the run is the one whose IV wrapped to 0: the same bytes alone. */
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, wrap * 4096, b, b, 4096), FSCRYPT_EXT_OK);
	ck_assert(memcmp(a + 4096, b, 4096) == 0);
	{
		uint8_t key[64], info[17], iv[16] = { 0 }, *zero = calloc(1, 4096), *want = malloc(4096);

		info[0] = FSCRYPT_EXT_MODE_AES_256_XTS;
		memcpy(info + 1, UUID, 16);
		hkdf_fscrypt(6, info, 17, key, 64);
		ossl_xts(key, iv, zero, want, 4096, 1);
		ck_assert_msg(memcmp(b, want, 4096) == 0, "unit at the wrap is not IV 0 (backend %s)", tu_backend());
		free(zero);
		free(want);
	}
	ck_assert_int_eq(fscrypt_ext_decrypt_data_units(inode, (wrap - 1) * 4096, a, a, 3 * 4096), FSCRYPT_EXT_OK);
	for (size_t i = 0; i < 3 * 4096; i++)
		ck_assert_msg(a[i] == 0, "byte %zu after round trip across the wrap", i);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_alignment_and_range)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v2_ctx(mk, 0, 10);
	fscrypt_ext_inode *inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	uint8_t *buf = calloc(1, 8192), *copy = malloc(8192);

	ck_assert_uint_eq(fscrypt_ext_inode_data_unit_size(inode), 1024);
	memcpy(copy, buf, 8192);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 512, buf, buf, 1024), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 1024, buf, buf, 1000), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0, buf, buf, 16), FSCRYPT_EXT_ERR_ALIGNMENT);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, UINT64_MAX - 1023, buf, buf, 2048), FSCRYPT_EXT_ERR_RANGE);
	ck_assert_msg(memcmp(buf, copy, 8192) == 0, "output changed on failure");
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0, buf, buf, 0), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, UINT64_MAX - 1023, buf, buf, 1024), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(inode);
	/* IV_INO_LBLK_64: unit indices must fit 32 bits. */
	c = v2_ctx(mk, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, 0);
	inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0xffffffffull * 4096, buf, buf, 4096), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0xffffffffull * 4096, buf, buf, 8192), FSCRYPT_EXT_ERR_RANGE);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 0x100000000ull * 4096, buf, buf, 4096), FSCRYPT_EXT_ERR_RANGE);
	fscrypt_ext_inode_free(inode);
	free(buf);
	free(copy);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

/* One call over many units equals one call per unit, and encryption is position dependent. */
START_TEST(test_units_split_and_v1)
{
	fscrypt_ext_master_key *mk = new_key(MK, 64);
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context c = v1_ctx(mk, 0);
	fscrypt_ext_inode *inode = open_ok(&c, mk, FSCRYPT_EXT_INODE_REG, 12, &fs);
	uint8_t *pt = malloc(5 * 4096), *a = malloc(5 * 4096), *b = malloc(5 * 4096), key[64], iv[16] = { 0 };

	tu_rand(pt, 5 * 4096);
	ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 8192, pt, a, 5 * 4096), FSCRYPT_EXT_OK);
	for (int u = 0; u < 5; u++)
		ck_assert_int_eq(fscrypt_ext_encrypt_data_units(inode, 8192 + 4096u * u, pt + 4096 * u, b + 4096 * u, 4096),
				 FSCRYPT_EXT_OK);
	ck_assert(memcmp(a, b, 5 * 4096) == 0);
	ck_assert(memcmp(a, a + 4096, 4096) != 0 || memcmp(pt, pt + 4096, 4096) != 0);
	/* v1: key = AES-128-ECB_nonce(MK), IV = le64(index). Index 2 of the run above. */
	ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(NONCE, 16, MK, key, 64), FSCRYPT_EXT_OK);
	iv[0] = 2;
	ossl_xts(key, iv, pt, b, 4096, 1);
	ck_assert_msg(memcmp(a, b, 4096) == 0, "v1 contents vs OpenSSL (backend %s)", tu_backend());
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	free(pt);
	free(a);
	free(b);
}
END_TEST

/* The batch's inode i behaves exactly as a single open of the same inode: contents, names, symlinks, dirhash. */
static void same_inode(const fscrypt_ext_inode *a, const fscrypt_ext_inode *b, enum fscrypt_ext_inode_type type,
		       size_t i, size_t n, uint8_t flags)
{
	uint8_t in[8192], x[8192], y[8192];
	size_t lx = 0, ly = 0;
	uint64_t hx = 0, hy = 0;

	tu_rand(in, sizeof(in));
	if (type == FSCRYPT_EXT_INODE_REG) {
		ck_assert_int_eq(fscrypt_ext_encrypt_data_units(a, 4096, in, x, sizeof(in)), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_encrypt_data_units(b, 4096, in, y, sizeof(in)), FSCRYPT_EXT_OK);
		lx = ly = sizeof(in);
	} else if (type == FSCRYPT_EXT_INODE_DIR) {
		ck_assert_int_eq(fscrypt_ext_fname_encrypt(a, in, 40, x, sizeof(x), &lx), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_fname_encrypt(b, in, 40, y, sizeof(y), &ly), FSCRYPT_EXT_OK);
		if (flags == 0) {
			ck_assert_int_eq(fscrypt_ext_dirhash(a, in, 40, &hx), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext_dirhash(b, in, 40, &hy), FSCRYPT_EXT_OK);
			ck_assert_msg(hx == hy, "dirhash of inode %zu of %zu (backend %s)", i, n, tu_backend());
		}
	} else {
		for (size_t k = 0; k < 100; k++)
			in[k] |= 1; /* no NUL in a target */
		ck_assert_int_eq(fscrypt_ext_symlink_encrypt(a, in, 100, 4096, x, sizeof(x), &lx), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_symlink_encrypt(b, in, 100, 4096, y, sizeof(y), &ly), FSCRYPT_EXT_OK);
	}
	ck_assert_msg(lx == ly && memcmp(x, y, lx) == 0, "inode %zu of %zu, type %d, flags 0x%02x (backend %s)", i, n, type,
		      flags, tu_backend());
}

/*
 * Opening a directory's entries in one batch: every size 0..30, mixed types
 * and modes, per-file inodes (batched) among IV_INO_LBLK_64/32 ones (single
 * path); errors name the first failing inode and leave nothing open.
 */
START_TEST(test_open_batch)
{
	enum { MAXN = 30 };
	static const uint8_t modes[][2] = {
		{ FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS },
		{ FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV, FSCRYPT_EXT_MODE_AES_128_CTS },
		{ FSCRYPT_EXT_MODE_ADIANTUM, FSCRYPT_EXT_MODE_ADIANTUM },
		{ FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_HCTR2 },
	};
	fscrypt_ext_master_key *mk = new_key(MK, sizeof(MK)), *other;
	struct fscrypt_ext_fs_info fs = fs_4k();
	struct fscrypt_ext_context ctxs[MAXN];
	enum fscrypt_ext_inode_type types[MAXN];
	uint64_t inos[MAXN];
	fscrypt_ext_inode *out[MAXN], *one;
	size_t failed;
	uint8_t raw[64];

	for (size_t n = 0; n <= MAXN; n++) {
		for (size_t i = 0; i < n; i++) {
			uint32_t r = tu_rand_u32();
			uint8_t flags = r % 7 == 0 ? FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 : r % 7 == 1 ? FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 : 0;

			ctxs[i] = v2_ctx(mk, (uint8_t)(flags | FSCRYPT_EXT_FLAG_PAD_32), 0);
			tu_rand(ctxs[i].nonce, 16);
			if (flags == 0) {
				ctxs[i].contents_mode = modes[(r >> 8) % 4][0];
				ctxs[i].filenames_mode = modes[(r >> 8) % 4][1];
			}
			types[i] = (enum fscrypt_ext_inode_type)((r >> 4) % 3 == 0   ? FSCRYPT_EXT_INODE_REG
								 : (r >> 4) % 3 == 1 ? FSCRYPT_EXT_INODE_DIR
										       : FSCRYPT_EXT_INODE_SYMLINK);
			inos[i] = 12 + i;
		}
		ck_assert_int_eq(fscrypt_ext_inode_open_batch(ctxs, types, inos, n, mk, &fs, out, &failed), FSCRYPT_EXT_OK);
		for (size_t i = 0; i < n; i++) {
			one = open_ok(&ctxs[i], mk, types[i], inos[i], &fs);
			same_inode(out[i], one, types[i], i, n, (uint8_t)(ctxs[i].flags & ~FSCRYPT_EXT_FLAG_PAD_32));
			fscrypt_ext_inode_free(one);
			fscrypt_ext_inode_free(out[i]);
		}
	}
	/* A context naming another key at index 11: WRONG_KEY there, nothing left open. */
	for (size_t i = 0; i < 20; i++) {
		ctxs[i] = v2_ctx(mk, FSCRYPT_EXT_FLAG_PAD_32, 0);
		types[i] = FSCRYPT_EXT_INODE_DIR;
		inos[i] = 100 + i;
	}
	tu_rand(raw, sizeof(raw));
	other = new_key(raw, sizeof(raw));
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(other, ctxs[11].key_identifier), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open_batch(ctxs, types, inos, 20, mk, &fs, out, &failed), FSCRYPT_EXT_ERR_WRONG_KEY);
	ck_assert_uint_eq(failed, 11);
	for (size_t i = 0; i < 20; i++)
		ck_assert_ptr_null(out[i]);
	types[4] = (enum fscrypt_ext_inode_type)77;
	ck_assert_int_eq(fscrypt_ext_inode_open_batch(ctxs, types, inos, 20, mk, &fs, out, &failed), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_uint_eq(failed, 4);
	ck_assert_int_eq(fscrypt_ext_inode_open_batch(ctxs, types, inos, 0, mk, &fs, NULL, NULL), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open_batch(NULL, types, inos, 1, mk, &fs, out, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	fscrypt_ext_master_key_free(other);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("inode");
	TCase *tc = tcase_create("inode");

	setup_inputs();
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_type_misuse);
	tcase_add_test(tc, test_spec_values);
	tcase_add_test(tc, test_contents_vs_openssl);
	tcase_add_test(tc, test_lblk32_wrap);
	tcase_add_test(tc, test_alignment_and_range);
	tcase_add_test(tc, test_units_split_and_v1);
	tcase_add_test(tc, test_open_batch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
