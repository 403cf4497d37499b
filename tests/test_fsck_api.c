/* fsck API suite: strict names and symlinks, disk-to-user names, ext4 dirhash, policy order/permission/inheritance, v1 keyring, zero UUID. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

static uint8_t MK[64];

struct env {
	fscrypt_ext_master_key *mk;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_inode *inode;
};

/* A v2 AES-256-XTS/AES-256-CTS inode of the given type and padding flags; UUID set. */
static void env_open(struct env *e, uint8_t flags, enum fscrypt_ext_inode_type type)
{
	int err;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 64; i++)
		MK[i] = (uint8_t)(0x40 + i);
	ck_assert_int_eq(fscrypt_ext_master_key_new(MK, 64, &e->mk), FSCRYPT_EXT_OK);
	e->ctx.version = FSCRYPT_EXT_CONTEXT_V2;
	e->ctx.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	e->ctx.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	e->ctx.flags = flags;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(e->mk, e->ctx.key_identifier), FSCRYPT_EXT_OK);
	tu_rand(e->ctx.nonce, 16);
	fscrypt_ext_fs_info_ext4(&e->fs, 4096);
	tu_rand(e->fs.uuid, 16);
	err = fscrypt_ext_inode_open(&e->ctx, e->mk, type, 12, &e->fs, &e->inode);
	ck_assert_msg(err == FSCRYPT_EXT_OK, "open flags 0x%02x type %d: %s", flags, type, fscrypt_ext_strerror(err));
}

static void env_close(struct env *e)
{
	fscrypt_ext_inode_free(e->inode);
	fscrypt_ext_master_key_free(e->mk);
}

START_TEST(test_name_check)
{
	static const struct {
		const char *s;
		size_t len;
		int want;
	} cases[] = {
		{ "a", 1, FSCRYPT_EXT_OK },       { "..a", 3, FSCRYPT_EXT_OK },   { "...", 3, FSCRYPT_EXT_OK },
		{ "", 0, FSCRYPT_EXT_ERR_CORRUPT }, { ".", 1, FSCRYPT_EXT_ERR_CORRUPT }, { "..", 2, FSCRYPT_EXT_ERR_CORRUPT },
		{ "a/b", 3, FSCRYPT_EXT_ERR_CORRUPT }, { "/", 1, FSCRYPT_EXT_ERR_CORRUPT },
		{ "ab\0c", 4, FSCRYPT_EXT_ERR_CORRUPT }, { "ab\0", 3, FSCRYPT_EXT_ERR_CORRUPT },
	};
	uint8_t big[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(fscrypt_ext_name_check((const uint8_t *)cases[i].s, cases[i].len) == cases[i].want,
			      "case %zu (len %zu): got %d want %d", i, cases[i].len,
			      fscrypt_ext_name_check((const uint8_t *)cases[i].s, cases[i].len), cases[i].want);
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(fscrypt_ext_name_check(big, 255), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_name_check(big, 256), FSCRYPT_EXT_ERR_NAME_TOO_LONG);
	ck_assert_int_eq(fscrypt_ext_name_check(NULL, 1), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

/* Encrypts the exact bytes pt (no further padding when len is already a padded size) with the directory. */
static size_t enc_raw(const struct env *e, const uint8_t *pt, size_t len, uint8_t *ct)
{
	size_t n = 0;

	ck_assert_int_eq(fscrypt_ext_fname_encrypt(e->inode, pt, len, ct, 255, &n), FSCRYPT_EXT_OK);
	return n;
}

START_TEST(test_strict_names)
{
	static const uint8_t pads[] = { FSCRYPT_EXT_FLAG_PAD_4, FSCRYPT_EXT_FLAG_PAD_8, FSCRYPT_EXT_FLAG_PAD_16,
					FSCRYPT_EXT_FLAG_PAD_32 };

	for (size_t pi = 0; pi < 4; pi++) {
		struct env e;
		uint8_t pt[255], ct[255], out[255], before[255];
		size_t n, got = 0, ctl;
		int err;

		env_open(&e, pads[pi], FSCRYPT_EXT_INODE_DIR);
		/* Every canonical name of every length decrypts strictly to itself. */
		for (size_t len = 1; len <= 255; len++) {
			for (size_t i = 0; i < len; i++)
				pt[i] = (uint8_t)('a' + (i + len) % 26);
			ctl = enc_raw(&e, pt, len, ct);
			err = fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got);
			ck_assert_msg(err == FSCRYPT_EXT_OK && got == len && memcmp(out, pt, len) == 0,
				      "pad %u len %zu ct %zu: %s got %zu", 4u << pi, len, ctl, fscrypt_ext_strerror(err), got);
		}
		/* "abc\0XYZ": the kernel shows "abc", a lookup of "abc" never finds it. */
		memcpy(pt, "abc\0XYZ", 7);
		ctl = enc_raw(&e, pt, 7, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt(e.inode, ct, ctl, out, sizeof(out), &got), FSCRYPT_EXT_OK);
		ck_assert_uint_eq(got, 3);
		memset(out, 0xee, sizeof(out));
		memcpy(before, out, sizeof(out));
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ck_assert_msg(memcmp(out, before, sizeof(out)) == 0, "output touched on CORRUPT");
		/* "abc" padded with NULs to 64 bytes: valid bytes, but no policy pads 3 bytes to 64. */
		memset(pt, 0, sizeof(pt));
		memcpy(pt, "abc", 3);
		ctl = enc_raw(&e, pt, 64, ct);
		ck_assert_uint_eq(ctl, 64);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		/* ... while the policy's own length for "abc" passes. */
		ctl = enc_raw(&e, pt, 3, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got), FSCRYPT_EXT_OK);
		/* Empty, ".", "..", '/' inside. */
		memset(pt, 0, sizeof(pt));
		ctl = enc_raw(&e, pt, 16, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ctl = enc_raw(&e, (const uint8_t *)"..", 2, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ctl = enc_raw(&e, (const uint8_t *)".", 1, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ctl = enc_raw(&e, (const uint8_t *)"dir/name", 8, ct);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		/* Stored lengths outside 16..255 and small buffers. */
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, 15, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, 256, out, sizeof(out), &got),
				 FSCRYPT_EXT_ERR_CORRUPT);
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(e.inode, ct, ctl, out, ctl - 1, &got),
				 FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
		n = 0;
		ck_assert_int_eq(fscrypt_ext_fname_decrypt_strict(NULL, ct, ctl, out, sizeof(out), &n),
				 FSCRYPT_EXT_ERR_INVALID_ARG);
		env_close(&e);
	}
}
END_TEST

START_TEST(test_strict_symlinks)
{
	struct env e;
	uint8_t target[4096], disk[4100], out[4100];
	size_t n = 0, got = 0;

	env_open(&e, FSCRYPT_EXT_FLAG_PAD_32, FSCRYPT_EXT_INODE_SYMLINK);
	for (size_t len = 1; len <= 4093; len += (len < 300 ? 1 : 97)) {
		for (size_t i = 0; i < len; i++)
			target[i] = (uint8_t)(i % 7 == 3 ? '/' : 'a' + i % 26);
		ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, len, 4096, disk, sizeof(disk), &n),
				 FSCRYPT_EXT_OK);
		ck_assert_msg(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, n, 4096, out, sizeof(out), &got) ==
				      FSCRYPT_EXT_OK && got == len && memcmp(out, target, len) == 0,
			      "target length %zu", len);
	}
	/* A target with a NUL inside: readlink shows the prefix; strict says CORRUPT. */
	memcpy(target, "/tmp\0/etc", 9);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 9, 4096, disk, sizeof(disk), &n), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt(e.inode, disk, n, out, sizeof(out), &got), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(got, 4);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, n, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	/* A short target padded to 64: PAD_32 would have stored 32. */
	memset(target, 0, 64);
	memcpy(target, "/x", 2);
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, target, 64, 4096, disk, sizeof(disk), &n), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, n, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	/* Framing: the stored length runs past the data, is under 16, or exceeds the block's limit. */
	ck_assert_int_eq(fscrypt_ext_symlink_encrypt(e.inode, (const uint8_t *)"/x", 2, 4096, disk, sizeof(disk), &n),
			 FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, n - 1, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	disk[0] = 15;
	disk[1] = 0;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, n, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, 2, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	memset(disk, 0, sizeof(disk));
	disk[0] = 0xfe; /* 4094 bytes: one past what a 4096-byte block allows */
	disk[1] = 0x0f;
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, 4096, 4096, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_symlink_decrypt_strict(e.inode, disk, 4096, 18, out, sizeof(out), &got),
			 FSCRYPT_EXT_ERR_INVALID_ARG);
	env_close(&e);
}
END_TEST

START_TEST(test_disk_to_usr)
{
	struct env d, l;
	uint8_t ct[255], out[256], want[256], disk[4100];
	size_t ctl = 0, n = 0, wn = 0, len;
	static const uint8_t name[] = "a-name-of-some-length";

	env_open(&d, 0, FSCRYPT_EXT_INODE_DIR);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(d.inode, name, sizeof(name) - 1, ct, sizeof(ct), &ctl), FSCRYPT_EXT_OK);
	/* With the key: the plaintext. */
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(d.inode, ct, ctl, 1, 2, out, sizeof(out), &n), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, sizeof(name) - 1);
	ck_assert_mem_eq(out, name, n);
	/* Without: the no-key name of the given hashes. */
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(NULL, ct, ctl, 0x12345678, 0x9abcdef0, out, sizeof(out), &n),
			 FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_nokey_name_encode(ct, ctl, 0x12345678, 0x9abcdef0, (char *)want, sizeof(want), &wn),
			 FSCRYPT_EXT_OK);
	ck_assert_uint_eq(n, wn);
	ck_assert_mem_eq(out, want, n);
	/* "." and ".." are stored in plaintext and shown as they are, key or not. */
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(NULL, (const uint8_t *)"..", 2, 0, 0, out, sizeof(out), &n),
			 FSCRYPT_EXT_OK);
	ck_assert(n == 2 && out[0] == '.' && out[1] == '.');
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(d.inode, (const uint8_t *)".", 1, 0, 0, out, sizeof(out), &n),
			 FSCRYPT_EXT_OK);
	ck_assert(n == 1 && out[0] == '.');
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(NULL, ct, 15, 0, 0, out, sizeof(out), &n), FSCRYPT_EXT_ERR_CORRUPT);
	ck_assert_int_eq(fscrypt_ext_fname_disk_to_usr(NULL, ct, ctl, 0, 0, out, 10, &n), FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL);
	/* Symlinks, short and long (past 149 bytes the no-key form carries a SHA-256). */
	env_open(&l, 0, FSCRYPT_EXT_INODE_SYMLINK);
	for (len = 1; len <= 1000; len += 111) {
		uint8_t target[1000];

		memset(target, 'q', len);
		ck_assert_int_eq(fscrypt_ext_symlink_encrypt(l.inode, target, len, 4096, disk, sizeof(disk), &n),
				 FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_symlink_disk_to_usr(l.inode, disk, n, (uint8_t *)disk + 2048, 1024, &wn),
				 FSCRYPT_EXT_OK);
		ck_assert_uint_eq(wn, len);
		ck_assert_int_eq(fscrypt_ext_symlink_disk_to_usr(NULL, disk, n, out, sizeof(out), &wn), FSCRYPT_EXT_OK);
		ck_assert_msg(wn <= FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED && wn == strlen((char *)out), "len %zu: %zu", len, wn);
		if (n - 2 <= 255) {
			size_t w2 = 0;

			ck_assert_int_eq(fscrypt_ext_nokey_name_encode(disk + 2, n - 2, 0, 0, (char *)want, sizeof(want), &w2),
					 FSCRYPT_EXT_OK);
			ck_assert_uint_eq(w2, wn);
			ck_assert_mem_eq(want, out, wn);
		} else {
			struct fscrypt_ext_nokey_name nk;

			/* The no-key form still names this very target. */
			ck_assert_int_eq(fscrypt_ext_nokey_name_decode((char *)out, wn, &nk), FSCRYPT_EXT_OK);
			ck_assert(nk.has_sha256 && nk.hash == 0 && nk.minor_hash == 0);
			ck_assert(fscrypt_ext_nokey_name_matches(&nk, disk + 2, n - 2));
		}
	}
	disk[0] = 0xff;
	ck_assert_int_eq(fscrypt_ext_symlink_disk_to_usr(NULL, disk, 40, out, sizeof(out), &wn), FSCRYPT_EXT_ERR_CORRUPT);
	disk[0] = 3;
	disk[1] = 0;
	ck_assert_int_eq(fscrypt_ext_symlink_disk_to_usr(NULL, disk, 40, out, sizeof(out), &wn), FSCRYPT_EXT_ERR_CORRUPT);
	env_close(&l);
	env_close(&d);
}
END_TEST

START_TEST(test_ext4_dirhash_rule)
{
	static const struct {
		uint64_t in;
		uint32_t hash, minor;
	} cases[] = {
		{ 0x0000000000000000ull, 0x00000000u, 0x00000000u },
		{ 0x0000000100000000ull, 0x00000000u, 0x00000000u }, /* bit 0 cleared */
		{ 0x12345679deadbeefull, 0x12345678u, 0xdeadbeefu },
		{ 0xfffffffe00000001ull, 0xfffffffcu, 0x00000001u }, /* EOF remapped */
		{ 0xffffffffffffffffull, 0xfffffffcu, 0xffffffffu }, /* bit 0, then EOF */
		{ 0xfffffffc12345678ull, 0xfffffffcu, 0x12345678u },
		{ 0x7fffffff00000000ull, 0x7ffffffeu, 0x00000000u },
	};
	struct env d;
	uint32_t h, m;
	uint64_t s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fscrypt_ext_ext4_dirhash_from_siphash(cases[i].in, &h, &m);
		ck_assert_msg(h == cases[i].hash && m == cases[i].minor, "siphash %016llx: got %08x/%08x",
			      (unsigned long long)cases[i].in, h, m);
	}
	env_open(&d, 0, FSCRYPT_EXT_INODE_DIR);
	for (int i = 0; i < 200; i++) {
		uint8_t name[32];
		size_t len = 1 + tu_rand_u32() % 32;

		tu_rand(name, len);
		ck_assert_int_eq(fscrypt_ext_dirhash(d.inode, name, len, &s), FSCRYPT_EXT_OK);
		ck_assert_int_eq(fscrypt_ext_ext4_dirhash(d.inode, name, len, &h, &m), FSCRYPT_EXT_OK);
		ck_assert((h & 1) == 0 && h != 0xfffffffeu);
		ck_assert_uint_eq(m, (uint32_t)s);
		ck_assert_uint_eq(h, (uint32_t)(s >> 32) & ~1u);
	}
	ck_assert_int_eq(fscrypt_ext_ext4_dirhash(d.inode, (const uint8_t *)"a", 1, NULL, &m), FSCRYPT_EXT_ERR_INVALID_ARG);
	env_close(&d);
}
END_TEST

static struct fscrypt_ext_policy rand_policy(void)
{
	struct fscrypt_ext_policy p;
	uint32_t r = tu_rand_u32();

	tu_rand(&p, sizeof(p));
	/* Mostly v1/v2 with few distinct values, so equal pairs occur. */
	p.version = (r & 3) == 0 ? 0 : (r & 3) == 3 ? (uint8_t)(3 + (r >> 8) % 2) : 2;
	p.contents_mode = 1 + (r >> 10) % 2;
	p.flags = (r >> 12) % 2;
	p.log2_data_unit_size = 0;
	memset(p.reserved, 0, 3);
	p.key_descriptor[0] = (uint8_t)((r >> 14) % 2);
	p.key_identifier[0] = (uint8_t)((r >> 15) % 2);
	memset(p.key_descriptor + 1, 0, 7);
	memset(p.key_identifier + 1, 0, 15);
	return p;
}

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

START_TEST(test_policy_order)
{
	struct fscrypt_ext_policy ps[40];
	uint8_t wa[24], wb[24];
	size_t na, nb;

	for (int i = 0; i < 40; i++)
		ps[i] = rand_policy();
	for (int i = 0; i < 40; i++) {
		ck_assert_int_eq(fscrypt_ext_policy_compare(&ps[i], &ps[i]), 0);
		for (int j = 0; j < 40; j++) {
			int ij = fscrypt_ext_policy_compare(&ps[i], &ps[j]);
			bool known = ps[i].version == 0 || ps[i].version == 2;

			ck_assert_int_eq(sgn(ij), -sgn(fscrypt_ext_policy_compare(&ps[j], &ps[i])));
			/* Equal exactly when the version's wire bytes are (fscrypt_policies_equal). */
			if (known && ps[i].version == ps[j].version) {
				ck_assert_int_eq(fscrypt_ext_policy_serialize(&ps[i], wa, 24, &na), FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext_policy_serialize(&ps[j], wb, 24, &nb), FSCRYPT_EXT_OK);
				ck_assert_msg((ij == 0) == (memcmp(wa, wb, na) == 0), "pair %d %d", i, j);
				ck_assert((ij == 0) == fscrypt_ext_policies_equal(&ps[i], &ps[j]));
			}
			for (int k = 0; k < 40; k++)
				if (ij <= 0 && fscrypt_ext_policy_compare(&ps[j], &ps[k]) <= 0)
					ck_assert_msg(fscrypt_ext_policy_compare(&ps[i], &ps[k]) <= 0, "transitivity %d %d %d",
						      i, j, k);
		}
	}
	/* Fields a version does not carry are ignored: a v1 policy's identifier bytes, a v2's descriptor. */
	ps[0] = rand_policy();
	ps[0].version = 0;
	ps[1] = ps[0];
	ps[1].key_identifier[5] ^= 1;
	ps[1].log2_data_unit_size = 12;
	ck_assert(fscrypt_ext_policies_equal(&ps[0], &ps[1]));
	ps[0].version = ps[1].version = 2;
	ck_assert(!fscrypt_ext_policies_equal(&ps[0], &ps[1]));
	ps[1] = ps[0];
	ps[1].key_descriptor[5] ^= 1;
	ck_assert(fscrypt_ext_policies_equal(&ps[0], &ps[1]));
	/* Unknown versions are never "equal" in the kernel's sense. */
	ps[0].version = ps[1].version = 7;
	ck_assert(!fscrypt_ext_policies_equal(&ps[0], &ps[1]));
	ck_assert(fscrypt_ext_policy_compare(NULL, &ps[0]) < 0 && fscrypt_ext_policy_compare(&ps[0], NULL) > 0);
}
END_TEST

START_TEST(test_permitted_and_inherit)
{
	struct fscrypt_ext_policy p, q;
	struct fscrypt_ext_context parent, child, other, bad;
	struct fscrypt_ext_fs_info fs;

	fscrypt_ext_fs_info_ext4(&fs, 4096);
	memset(&p, 0, sizeof(p));
	p.version = FSCRYPT_EXT_POLICY_V2;
	p.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	p.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	p.flags = FSCRYPT_EXT_FLAG_PAD_32;
	tu_rand(p.key_identifier, 16);
	ck_assert_int_eq(fscrypt_ext_context_new(&p, &fs, &parent), FSCRYPT_EXT_OK);
	/* Inheritance: same policy, fresh nonce. */
	ck_assert_int_eq(fscrypt_ext_context_inherit(&parent, &fs, &child), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_context_to_policy(&child, &q), FSCRYPT_EXT_OK);
	ck_assert(fscrypt_ext_policies_equal(&p, &q));
	ck_assert(memcmp(child.nonce, parent.nonce, 16) != 0);
	ck_assert_int_eq(fscrypt_ext_context_inherit(&parent, &fs, &other), FSCRYPT_EXT_OK);
	ck_assert(memcmp(child.nonce, other.nonce, 16) != 0);
	/* Permitted: equal policies whatever the nonces. */
	for (int k = FSCRYPT_EXT_KIND_REG; k <= FSCRYPT_EXT_KIND_SYMLINK; k++) {
		ck_assert(fscrypt_ext_context_permitted(&parent, &child, (enum fscrypt_ext_file_kind)k));
		ck_assert(!fscrypt_ext_context_permitted(&parent, NULL, (enum fscrypt_ext_file_kind)k));
		ck_assert(fscrypt_ext_context_permitted(NULL, NULL, (enum fscrypt_ext_file_kind)k));
		ck_assert(fscrypt_ext_context_permitted(NULL, &child, (enum fscrypt_ext_file_kind)k));
	}
	ck_assert(fscrypt_ext_context_permitted(&parent, NULL, FSCRYPT_EXT_KIND_SPECIAL));
	other = child;
	other.key_identifier[3] ^= 0x40;
	ck_assert(!fscrypt_ext_context_permitted(&parent, &other, FSCRYPT_EXT_KIND_REG));
	other = child;
	other.flags = FSCRYPT_EXT_FLAG_PAD_4;
	ck_assert(!fscrypt_ext_context_permitted(&parent, &other, FSCRYPT_EXT_KIND_DIR));
	other = child;
	other.version = 9;
	ck_assert(!fscrypt_ext_context_permitted(&parent, &other, FSCRYPT_EXT_KIND_DIR));
	ck_assert(!fscrypt_ext_context_permitted(&other, &other, FSCRYPT_EXT_KIND_DIR));
	/* A parent that does not validate passes its error on; *child untouched. */
	bad = parent;
	bad.contents_mode = 3;
	memset(&other, 0x5a, sizeof(other));
	child = other;
	ck_assert_int_eq(fscrypt_ext_context_inherit(&bad, &fs, &child), FSCRYPT_EXT_ERR_UNSUPPORTED_MODES);
	ck_assert(memcmp(&child, &other, sizeof(child)) == 0);
	bad.version = 5;
	ck_assert_int_eq(fscrypt_ext_context_inherit(&bad, &fs, &child), FSCRYPT_EXT_ERR_UNKNOWN_VERSION);
	ck_assert_int_eq(fscrypt_ext_context_inherit(NULL, &fs, &child), FSCRYPT_EXT_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_zero_uuid_and_casefold)
{
	struct env e;
	fscrypt_ext_inode *in = NULL;
	struct fscrypt_ext_context c;

	env_open(&e, FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, FSCRYPT_EXT_INODE_REG);
	fscrypt_ext_inode_free(e.inode);
	e.inode = NULL;
	memset(e.fs.uuid, 0, 16);
	ck_assert_int_eq(fscrypt_ext_inode_open(&e.ctx, e.mk, FSCRYPT_EXT_INODE_REG, 12, &e.fs, &in),
			 FSCRYPT_EXT_ERR_NO_FS_UUID);
	e.ctx.flags = FSCRYPT_EXT_FLAG_IV_INO_LBLK_32;
	ck_assert_int_eq(fscrypt_ext_inode_open(&e.ctx, e.mk, FSCRYPT_EXT_INODE_DIR, 12, &e.fs, &in),
			 FSCRYPT_EXT_ERR_NO_FS_UUID);
	/* Other policies never use the UUID. */
	e.ctx.flags = 0;
	ck_assert_int_eq(fscrypt_ext_inode_open(&e.ctx, e.mk, FSCRYPT_EXT_INODE_REG, 12, &e.fs, &in), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(in);
	in = NULL;
	e.fs.uuid[15] = 1;
	e.ctx.flags = FSCRYPT_EXT_FLAG_IV_INO_LBLK_32;
	ck_assert_int_eq(fscrypt_ext_inode_open(&e.ctx, e.mk, FSCRYPT_EXT_INODE_REG, 12, &e.fs, &in), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(in);
	in = NULL;
	/* Casefolding is per directory: v2 fine, v1 refused, non-directories refused. */
	e.ctx.flags = 0;
	ck_assert_int_eq(fscrypt_ext_inode_open_ex(&e.ctx, e.mk, FSCRYPT_EXT_INODE_DIR, 12, &e.fs,
						   FSCRYPT_EXT_OPEN_CASEFOLDED, &in), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(in);
	in = NULL;
	ck_assert_int_eq(fscrypt_ext_inode_open_ex(&e.ctx, e.mk, FSCRYPT_EXT_INODE_REG, 12, &e.fs,
						   FSCRYPT_EXT_OPEN_CASEFOLDED, &in), FSCRYPT_EXT_ERR_WRONG_TYPE);
	ck_assert_int_eq(fscrypt_ext_inode_open_ex(&e.ctx, e.mk, FSCRYPT_EXT_INODE_DIR, 12, &e.fs, 0x40, &in),
			 FSCRYPT_EXT_ERR_INVALID_ARG);
	memset(&c, 0, sizeof(c));
	c.version = FSCRYPT_EXT_CONTEXT_V1;
	c.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	c.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	ck_assert_int_eq(fscrypt_ext_inode_open_ex(&c, e.mk, FSCRYPT_EXT_INODE_DIR, 12, &e.fs,
						   FSCRYPT_EXT_OPEN_CASEFOLDED | FSCRYPT_EXT_OPEN_V1_UNCHECKED, &in),
			 FSCRYPT_EXT_ERR_CASEFOLD_V1);
	ck_assert_int_eq(fscrypt_ext_context_validate_dir(&c, &e.fs, FSCRYPT_EXT_DIR_CASEFOLDED),
			 FSCRYPT_EXT_ERR_CASEFOLD_V1);
	ck_assert_int_eq(fscrypt_ext_context_validate_dir(&c, &e.fs, 0), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open_ex(&c, e.mk, FSCRYPT_EXT_INODE_DIR, 12, &e.fs,
						   FSCRYPT_EXT_OPEN_V1_UNCHECKED, &in), FSCRYPT_EXT_OK);
	fscrypt_ext_inode_free(in);
	env_close(&e);
}
END_TEST

START_TEST(test_keyring_v1)
{
	fscrypt_ext_keyring *kr = NULL;
	fscrypt_ext_master_key *mk = NULL, *copy = NULL;
	fscrypt_ext_inode *a = NULL, *b = NULL;
	struct fscrypt_ext_context c, c2;
	struct fscrypt_ext_fs_info fs;
	struct fscrypt_ext_key_status_info st;
	uint8_t raw[64], desc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, id[16], na[64], nb[64];
	size_t la = 0, lb = 0;
	static const uint8_t name[] = "v1-name";

	tu_rand(raw, sizeof(raw));
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	memset(&c, 0, sizeof(c));
	c.version = FSCRYPT_EXT_CONTEXT_V1;
	c.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	c.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	memcpy(c.key_descriptor, desc, 8); /* a home-made descriptor, as the kernel allows */
	tu_rand(c.nonce, 16);
	ck_assert_int_eq(fscrypt_ext_keyring_new(&kr), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_lookup(kr, &c, &st), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	ck_assert_uint_eq(st.status, FSCRYPT_EXT_KEY_STATUS_ABSENT);
	ck_assert_int_eq(fscrypt_ext_keyring_add_v1(kr, raw, 64, desc), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_add_v1(kr, raw, 64, desc), FSCRYPT_EXT_ERR_KEY_EXISTS);
	ck_assert_int_eq(fscrypt_ext_keyring_lookup(kr, &c, &st), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(st.status, FSCRYPT_EXT_KEY_STATUS_PRESENT);
	/* The same key as a v2 key lives apart from its v1 entry. */
	ck_assert_int_eq(fscrypt_ext_keyring_add(kr, raw, 64, id), FSCRYPT_EXT_OK);
	/* Opening through the keyring gives the names the raw key gives. */
	ck_assert_int_eq(fscrypt_ext_keyring_inode_open(kr, &c, FSCRYPT_EXT_INODE_DIR, 5, &fs, &a), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, 64, &mk), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open_v1_unchecked(&c, mk, FSCRYPT_EXT_INODE_DIR, 5, &fs, &b), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(a, name, 7, na, sizeof(na), &la), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(b, name, 7, nb, sizeof(nb), &lb), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(na, nb, la);
	/* get_key hands out an independent copy. */
	ck_assert_int_eq(fscrypt_ext_keyring_get_key(kr, &c, &copy), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(fscrypt_ext_master_key_size(copy), 64);
	ck_assert_int_eq(fscrypt_ext_keyring_remove_v1(kr, desc, NULL), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_keyring_lookup(kr, &c, &st), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	ck_assert_int_eq(fscrypt_ext_keyring_remove_v1(kr, desc, NULL), FSCRYPT_EXT_ERR_KEY_NOT_FOUND);
	fscrypt_ext_inode_free(a);
	a = NULL;
	ck_assert_int_eq(fscrypt_ext_inode_open_v1_unchecked(&c, copy, FSCRYPT_EXT_INODE_DIR, 5, &fs, &a), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_fname_encrypt(a, name, 7, na, sizeof(na), &la), FSCRYPT_EXT_OK);
	ck_assert_mem_eq(na, nb, la);
	/* The v2 entry is still there and found by a v2 context. */
	memset(&c2, 0, sizeof(c2));
	c2.version = FSCRYPT_EXT_CONTEXT_V2;
	c2.contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	c2.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	memcpy(c2.key_identifier, id, 16);
	ck_assert_int_eq(fscrypt_ext_keyring_lookup(kr, &c2, &st), FSCRYPT_EXT_OK);
	c2.version = 0;
	ck_assert_int_eq(fscrypt_ext_keyring_lookup(kr, &c2, &st), FSCRYPT_EXT_ERR_BAD_VERSION);
	c2.version = 3;
	ck_assert_int_eq(fscrypt_ext_keyring_get_key(kr, &c2, &copy), FSCRYPT_EXT_ERR_UNKNOWN_VERSION);
	fscrypt_ext_inode_free(a);
	fscrypt_ext_inode_free(b);
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext_master_key_free(copy);
	fscrypt_ext_keyring_free(kr);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("fsck_api");
	TCase *tc = tcase_create("api");

	tcase_add_test(tc, test_name_check);
	tcase_add_test(tc, test_strict_names);
	tcase_add_test(tc, test_strict_symlinks);
	tcase_add_test(tc, test_disk_to_usr);
	tcase_add_test(tc, test_ext4_dirhash_rule);
	tcase_add_test(tc, test_policy_order);
	tcase_add_test(tc, test_permitted_and_inherit);
	tcase_add_test(tc, test_zero_uuid_and_casefold);
	tcase_add_test(tc, test_keyring_v1);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
