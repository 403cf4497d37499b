/* Filename suite: padding sizes, name and symlink encryption (vs an OpenSSL CBC-CS3 oracle), corrupt inputs, dirhash. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static uint8_t MK[64], NONCE[16], UUID[16];

static void setup_inputs(void)
{
	for (int i = 0; i < 64; i++)
		MK[i] = (uint8_t)(0x40 + i);
	for (int i = 0; i < 16; i++) {
		NONCE[i] = (uint8_t)(0x90 + i);
		UUID[i] = (uint8_t)(0x11 * i);
	}
}

struct env {
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_inode *inode;
};

static void env_open(struct env *e, uint8_t version, uint8_t flags, enum fscrypt_ext_inode_type type, uint64_t ino)
{
	int err;

	memset(e, 0, sizeof(*e));
	ck_assert_int_eq(fscrypt_ext_master_key_new(MK, 64, &e->mk), FSCRYPT_EXT_OK);
	e->ctx.version = version;
	e->ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	e->ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	e->ctx.flags = flags;
	if (version == FSCRYPT_EXT_CONTEXT_V2)
		ck_assert_int_eq(fscrypt_ext_master_key_identifier(e->mk, e->ctx.key_identifier), FSCRYPT_EXT_OK);
	else
		ck_assert_int_eq(fscrypt_ext_master_key_descriptor(e->mk, e->ctx.key_descriptor), FSCRYPT_EXT_OK);
	memcpy(e->ctx.nonce, NONCE, 16);
	fscrypt_ext_fs_info_ext4(&e->fs, 4096);
	memcpy(e->fs.uuid, UUID, 16);
	err = fscrypt_ext_inode_open(&e->ctx, e->mk, type, ino, &e->fs, &e->inode);
	ck_assert_msg(err == FSCRYPT_EXT_OK, "open v%u flags 0x%02x type %d: %s", version, flags, type,
		      fscrypt_ext_strerror(err));
}

static void env_close(struct env *e)
{
	fscrypt_ext_inode_free(e->inode);
	fscrypt_ext_master_key_free(e->mk);
}

/* The filenames key and IV the spec prescribes, computed with the public HKDF and v1 ECB primitives. */
static void expected_key_iv(const struct env *e, uint64_t ino, uint8_t key[32], uint8_t iv[16])
{
	uint8_t info[9 + 17];
	size_t n = 9;

	memset(iv, 0, 16);
	if (e->ctx.version == FSCRYPT_EXT_CONTEXT_V1) {
		ck_assert_int_eq(fscrypt_ext_aes_ecb_encrypt(NONCE, 16, MK, key, 32), FSCRYPT_EXT_OK);
		return;
	}
	memcpy(info, "fscrypt\0", 8);
	if (e->ctx.flags & (FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)) {
		info[8] = (e->ctx.flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64) ? 4 : 6;
		info[9] = FSCRYPT_EXT_MODE_AES_256_CTS;
		memcpy(info + 10, UUID, 16);
		n += 17;
	} else {
		info[8] = 2;
		memcpy(info + 9, NONCE, 16);
		n += 16;
	}
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, info, n, key, 32), FSCRYPT_EXT_OK);
	if (e->ctx.flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64) {
		for (int i = 0; i < 4; i++)
			iv[4 + i] = (uint8_t)(ino >> (8 * i));
	} else if (e->ctx.flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32) {
		uint8_t hk[16], msg[8];
		uint64_t h;

		info[8] = 7;
		ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, info, 9, hk, 16), FSCRYPT_EXT_OK);
		for (int i = 0; i < 8; i++)
			msg[i] = (uint8_t)(ino >> (8 * i));
		ck_assert_int_eq(fscrypt_ext_siphash24(hk, msg, 8, &h), FSCRYPT_EXT_OK);
		for (int i = 0; i < 4; i++)
			iv[i] = (uint8_t)(h >> (8 * i));
	}
}

/* CBC-CS3 from OpenSSL's plain CBC: encrypt the zero-padded message, swap the last two blocks, truncate. */
static void ossl_cs3(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	size_t full = (len + 15) / 16 * 16, tail = len - (full - 16);
	uint8_t *pad = calloc(1, full), *ct = malloc(full);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int n = 0;

	memcpy(pad, in, len);
	ck_assert_int_eq(EVP_EncryptInit_ex(x, EVP_aes_256_cbc(), NULL, key, iv), 1);
	EVP_CIPHER_CTX_set_padding(x, 0);
	ck_assert_int_eq(EVP_EncryptUpdate(x, ct, &n, pad, (int)full), 1);
	EVP_CIPHER_CTX_free(x);
	if (full == 16) {
		memcpy(out, ct, 16);
	} else {
		memcpy(out, ct, full - 32);
		memcpy(out + full - 32, ct + full - 16, 16);
		memcpy(out + full - 16, ct + full - 32, tail);
	}
	free(pad);
	free(ct);
}

static size_t model_size(uint8_t flags, size_t len, size_t max)
{
	size_t pad = 4u << (flags & 3), n = len < 16 ? 16 : len;

	n = (n + pad - 1) / pad * pad;
	return n < max ? n : max;
}

START_TEST(test_padding_sizes)
{
	for (uint8_t pad = 0; pad < 4; pad++) {
		struct env e;
		size_t n;

		env_open(&e, FSCRYPT_EXT_CONTEXT_V2, pad, FSCRYPT_EXT_INODE_DIR, 2);
		for (size_t len = 1; len <= 255; len++) {
			ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, len, 255, &n), FSCRYPT_EXT_OK);
			ck_assert_msg(n == model_size(pad, len, 255), "PAD_%u len %zu: %zu", 4u << pad, len, n);
		}
		ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, 256, 255, &n), FSCRYPT_EXT_ERR_NAME_TOO_LONG);
		ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, 0, 255, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
		ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, 4093, 4093, &n), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(n, 4093);
		env_close(&e);
	}
}
END_TEST

static void check_names(uint8_t version, uint8_t flags, uint64_t ino)
{
	struct env e;
	uint8_t key[32], iv[16], name[256], ct[256], want[256], pt[256];
	size_t n, m;

	env_open(&e, version, flags, FSCRYPT_EXT_INODE_DIR, ino);
	expected_key_iv(&e, ino, key, iv);
	for (size_t len = 1; len <= 255; len++) {
		size_t enc = model_size(flags, len, 255);

		tu_rand(name, len);
		for (size_t i = 0; i < len; i++)
			name[i] |= 1; /* no NUL inside a name */
		ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, name, len, ct, sizeof(ct), &n), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(n, enc);
		memset(pt, 0, sizeof(pt));
		memcpy(pt, name, len);
		ossl_cs3(key, iv, pt, want, enc);
		ck_assert_msg(memcmp(ct, want, enc) == 0, "v%u flags 0x%02x ino %llu len %zu (backend %s)", version, flags,
			      (unsigned long long)ino, len, tu_backend());
		ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct, n, pt, sizeof(pt), &m), FSCRYPT_EXT_OK);
		ck_assert_msg(m == len && memcmp(pt, name, len) == 0, "decrypt len %zu", len);
	}
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, name, 256, ct, sizeof(ct), &n), FSCRYPT_EXT_ERR_NAME_TOO_LONG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, name, 40, ct, 39, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	env_close(&e);
}

START_TEST(test_names_vs_openssl)
{
	for (uint8_t pad = 0; pad < 4; pad++) {
		check_names(FSCRYPT_EXT_CONTEXT_V2, pad, 2);
		check_names(FSCRYPT_EXT_CONTEXT_V1, pad, 2);
	}
	check_names(FSCRYPT_EXT_CONTEXT_V2, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 | 3, 0x12345678);
	check_names(FSCRYPT_EXT_CONTEXT_V2, FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 | 1, 77);
}
END_TEST

START_TEST(test_decrypt_corrupt)
{
	struct env e;
	uint8_t ct[300] = { 0 }, pt[300];
	size_t n;

	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 3, FSCRYPT_EXT_INODE_DIR, 2);
	for (size_t len = 0; len < 16; len++)
		ck_assert_msg(fscrypt_ext_fname_decrypt(e.inode, ct, len, pt, sizeof(pt), &n) == FSCRYPT_EXT_ERR_CORRUPT,
			      "length %zu", len);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct, 256, pt, sizeof(pt), &n), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct, 32, pt, 31, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	/* A name that decrypts to all zero bytes has length 0 (strnlen). */
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, ct, 16, ct + 100, 100, &n), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct + 100, n, pt, sizeof(pt), &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 0);
	env_close(&e);
	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 3, FSCRYPT_EXT_INODE_REG, 2);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, (const uint8_t *)"a", 1, ct, sizeof(ct), &n),
			 FSCRYPT_EXT_ERR_WRONG_TYPE);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct, 32, pt, sizeof(pt), &n), FSCRYPT_EXT_ERR_WRONG_TYPE);
	env_close(&e);
}
END_TEST

START_TEST(test_symlinks)
{
	struct env e, d;
	uint8_t *target = malloc(4096), *disk = malloc(4200), *pt = malloc(4200), zero[16] = { 0 };
	uint8_t key[32], iv[16], want[64];
	size_t n, m;

	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 3, FSCRYPT_EXT_INODE_SYMLINK, 31);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, (const uint8_t *)"short", 5, 4096, disk, 4200, &n),
			 FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 34);
	ck_assert_uint_eq(disk[0], 32);
	ck_assert_uint_eq(disk[1], 0);
	expected_key_iv(&e, 31, key, iv);
	memset(pt, 0, 32);
	memcpy(pt, "short", 5);
	ossl_cs3(key, iv, pt, want, 32);
	ck_assert_msg(memcmp(disk + 2, want, 32) == 0, "symlink ciphertext (backend %s)", tu_backend());
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, 4200, &m), FSCRYPT_EXT_OK);
	ck_assert(m == 5 && memcmp(pt, "short", 5) == 0);
	/* ext4 4K: the kernel allows 4093 bytes (2-byte header + the NUL it counts). */
	memset(target, 'x', 4096);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 4093, 4096, disk, 4200, &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 4095);
	ck_assert_uint_eq(disk[0] | disk[1] << 8, 4093);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, 4200, &m), FSCRYPT_EXT_OK);
	ck_assert(m == 4093 && memcmp(pt, target, 4093) == 0);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 4094, 4096, disk, 4200, &n),
			 FSCRYPT_EXT_ERR_NAME_TOO_LONG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 100, 4096, disk, 101, &n),
			 FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	/* Corrupt stored forms. */
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 40, 4096, disk, 4200, &n), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, 1, pt, 4200, &m), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n - 1, pt, 4200, &m), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, 10, &m), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	disk[0] = 0;
	disk[1] = 0;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, 4200, &m), FSCRYPT_EXT_ERR_CORRUPT);
	disk[0] = 15;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, pt, 4200, &m), FSCRYPT_EXT_ERR_CORRUPT);
	/* A target that decrypts to nothing is corrupt: build it with a directory sharing the key and IV. */
	env_open(&d, FSCRYPT_EXT_CONTEXT_V2, 3, FSCRYPT_EXT_INODE_DIR, 31);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(d.inode, zero, 16, disk + 2, 100, &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 32);
	disk[0] = (uint8_t)n;
	disk[1] = 0;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n + 2, pt, 4200, &m), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(d.inode, disk, n + 2, pt, 4200, &m), FSCRYPT_EXT_ERR_WRONG_TYPE);
	env_close(&d);
	env_close(&e);
	free(target);
	free(disk);
	free(pt);
}
END_TEST

START_TEST(test_dirhash)
{
	struct env e;
	uint8_t info[25], key[16], name[255];
	uint64_t got, want, via_ctx;
	fscrypt_ext_master_key *other;

	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 0, FSCRYPT_EXT_INODE_DIR, 2);
	memcpy(info, "fscrypt\0", 8);
	info[8] = 5;
	memcpy(info + 9, NONCE, 16);
	ck_assert_int_eq(fscrypt_ext_hkdf_sha512(MK, 64, NULL, 0, info, sizeof(info), key, 16), FSCRYPT_EXT_OK);
	for (size_t len = 0; len <= 255; len += 17) {
		tu_rand(name, len);
		ck_assert_int_eq(fscrypt_ext_siphash24(key, name, len, &want), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_dirhash(e.inode, name, len, &got), FSCRYPT_EXT_OK);
		ck_assert_msg(got == want, "dirhash len %zu", len);
		ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, name, len, &via_ctx), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(via_ctx, want);
	}
	ck_assert_int_eq(fscrypt_ext_master_key_new(MK + 1, 32, &other), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, other, name, 3, &got), FSCRYPT_EXT_ERR_WRONG_KEY);
	fscrypt_ext_master_key_free(other);
	env_close(&e);
	env_open(&e, FSCRYPT_EXT_CONTEXT_V1, 0, FSCRYPT_EXT_INODE_DIR, 2);
	ck_assert_int_eq(fscrypt_ext_dirhash(e.inode, name, 3, &got), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, name, 3, &got), FSCRYPT_EXT_ERR_NOT_SUPPORTED);
	env_close(&e);
	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 0, FSCRYPT_EXT_INODE_REG, 2);
	ck_assert_int_eq(fscrypt_ext_dirhash(e.inode, name, 3, &got), FSCRYPT_EXT_ERR_WRONG_TYPE);
	env_close(&e);
}
END_TEST

/* NULL pointers and impossible sizes get INVALID_ARG; the output is untouched. */
START_TEST(test_arguments)
{
	struct env e;
	uint8_t buf[64], before[64];
	size_t n = 7;
	uint64_t h;

	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 0, FSCRYPT_EXT_INODE_DIR, 2);
	memset(buf, 0x3c, sizeof(buf));
	memcpy(before, buf, sizeof(buf));
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(NULL, buf, 4, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, NULL, 4, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, before, 4, NULL, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, before, 4, buf, 64, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e.inode, before, 0, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(NULL, before, 32, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, NULL, 32, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, before, 32, NULL, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, before, 32, buf, 64, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(NULL, 4, 255, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, 4, 255, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(e.inode, 4, 15, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash(NULL, before, 4, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash(e.inode, NULL, 4, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash(e.inode, before, 4, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(NULL, e.mk, before, 4, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, NULL, before, 4, &h), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, before, 4, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	e.ctx.version = 3;
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, before, 4, &h), FSCRYPT_EXT_ERR_UNKNOWN_VERSION);
	e.ctx.version = 0;
	ck_assert_int_eq(fscrypt_ext_dirhash_from_context(&e.ctx, e.mk, before, 4, &h), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert(memcmp(buf, before, sizeof(buf)) == 0 && n == 7);
	env_close(&e);
	env_open(&e, FSCRYPT_EXT_CONTEXT_V2, 0, FSCRYPT_EXT_INODE_SYMLINK, 3);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(NULL, before, 4, 4096, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, NULL, 4, 4096, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 4, 4096, NULL, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 4, 4096, buf, 64, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 0, 4096, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* max_disk_len must hold the header, a 16-byte minimum and the counted NUL (19), and at most 65536 + 3. */
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 4, 18, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 4, 19, buf, 64, &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, 18);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, before, 4, 65540, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	memcpy(buf, before, sizeof(buf));
	n = 7;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(NULL, before, 34, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, NULL, 34, buf, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, before, 34, NULL, 64, &n), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, before, 34, buf, 64, NULL), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert(memcmp(buf, before, sizeof(buf)) == 0 && n == 7);
	env_close(&e);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("fname");
	TCase *tc = tcase_create("fname");

	setup_inputs();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_padding_sizes);
	tcase_add_test(tc, test_names_vs_openssl);
	tcase_add_test(tc, test_decrypt_corrupt);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_dirhash);
	tcase_add_test(tc, test_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
