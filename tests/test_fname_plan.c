/* Planning sizes from a policy (fscrypt_ext_policy_fname_size / _symlink_size) against what the keyed calls produce. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fscrypt_ext/fscrypt_ext.h"

/* An open v2 AES-256-XTS/AES-256-CTS inode of type t with the given flags; the policy it was made from in *p. */
static fscrypt_ext_inode *open_inode(fscrypt_ext_master_key *mk, uint8_t flags, enum fscrypt_ext_inode_type t,
				     uint32_t bs, struct fscrypt_ext_policy *p)
{
	struct fscrypt_ext_fs_info fs;
	struct fscrypt_ext_context ctx;
	fscrypt_ext_inode *in = NULL;

	memset(p, 0, sizeof(*p));
	p->version = FSCRYPT_EXT_POLICY_V2;
	p->contents_mode = FSCRYPT_EXT_MODE_AES_256_XTS;
	p->filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	p->flags = flags;
	ck_assert_int_eq(fscrypt_ext_master_key_identifier(mk, p->key_identifier), FSCRYPT_EXT_OK);
	fscrypt_ext_fs_info_ext4(&fs, bs);
	tu_rand(fs.uuid, 16);
	ck_assert_int_eq(fscrypt_ext_context_new(p, &fs, &ctx), FSCRYPT_EXT_OK);
	ck_assert_int_eq(fscrypt_ext_inode_open(&ctx, mk, t, 12, &fs, &in), FSCRYPT_EXT_OK);
	return in;
}

static fscrypt_ext_master_key *new_key(void)
{
	uint8_t raw[64];
	fscrypt_ext_master_key *mk = NULL;

	tu_rand(raw, sizeof(raw));
	ck_assert_int_eq(fscrypt_ext_master_key_new(raw, sizeof(raw), &mk), FSCRYPT_EXT_OK);
	return mk;
}

START_TEST(test_names_match_encrypt)
{
	fscrypt_ext_master_key *mk = new_key();
	uint8_t name[255], ct[255];

	memset(name, 'n', sizeof(name));
	for (uint8_t pad = 0; pad < 4; pad++) {
		struct fscrypt_ext_policy p;
		fscrypt_ext_inode *dir = open_inode(mk, pad, FSCRYPT_EXT_INODE_DIR, 4096, &p);

		for (size_t len = 1; len <= 255; len++) {
			size_t plan = 0, keyed = 0, got = 0;

			ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, len, FSCRYPT_EXT_NAME_MAX, &plan), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext_fname_encrypted_size(dir, len, FSCRYPT_EXT_NAME_MAX, &keyed), FSCRYPT_EXT_OK);
			ck_assert_int_eq(fscrypt_ext_fname_encrypt(dir, name, len, ct, sizeof(ct), &got), FSCRYPT_EXT_OK);
			ck_assert_msg(plan == keyed && plan == got, "pad %u len %zu: plan %zu, keyed %zu, encrypted %zu",
				      4u << pad, len, plan, keyed, got);
			ck_assert_msg((plan >= 16 && plan >= len && plan % (4u << pad) == 0) || plan == 255,
				      "pad %u len %zu: %zu", 4u << pad, len, plan);
		}
		fscrypt_ext_inode_free(dir);
	}
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_symlinks_match_encrypt)
{
	static const uint32_t sizes[] = { 1024, 4096 };
	fscrypt_ext_master_key *mk = new_key();
	uint8_t target[4096], *out = malloc(4096);

	ck_assert_ptr_nonnull(out);
	memset(target, 't', sizeof(target));
	for (size_t s = 0; s < 2; s++) {
		for (uint8_t pad = 0; pad < 4; pad++) {
			struct fscrypt_ext_policy p;
			fscrypt_ext_inode *link = open_inode(mk, pad, FSCRYPT_EXT_INODE_SYMLINK, sizes[s], &p);

			/* Every length at the edges (fast/slow at 60 bytes, the block limit), a stride between. */
			for (size_t len = 1; len <= sizes[s] - 3; len += (len < 80 || len > sizes[s] - 80) ? 1 : 37) {
				size_t plan = 0, got = 0;

				ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, len, sizes[s], &plan), FSCRYPT_EXT_OK);
				ck_assert_int_eq(fscrypt_ext_symlink_encrypt(link, target, len, sizes[s], out, 4096, &got),
						 FSCRYPT_EXT_OK);
				ck_assert_msg(plan == got, "bs %u pad %u len %zu: plan %zu, encrypt %zu", sizes[s], 4u << pad,
					      len, plan, got);
			}
			{
				size_t plan = 0, got = 0;

				ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, sizes[s] - 2, sizes[s], &plan),
						 FSCRYPT_EXT_ERR_NAME_TOO_LONG);
				ck_assert_int_eq(fscrypt_ext_symlink_encrypt(link, target, sizes[s] - 2, sizes[s], out, 4096,
									      &got),
						 FSCRYPT_EXT_ERR_NAME_TOO_LONG);
			}
			fscrypt_ext_inode_free(link);
		}
	}
	free(out);
	fscrypt_ext_master_key_free(mk);
}
END_TEST

START_TEST(test_errors)
{
	struct fscrypt_ext_policy p = { .version = FSCRYPT_EXT_POLICY_V1, .flags = FSCRYPT_EXT_FLAG_PAD_MASK };
	size_t out = 7;

	ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, 17, 255, &out), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(out, 32);
	ck_assert_int_eq(fscrypt_ext_policy_fname_size(NULL, 1, 255, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, 0, 255, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, 1, 15, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, 256, 255, &out), FSCRYPT_EXT_ERR_NAME_TOO_LONG);
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 1, 18, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 1, 65540, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 0, 4096, &out), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* Fast-symlink boundary on ext4: 2 + 48 + NUL fits 60 bytes with PAD_16, 2 + 64 does not. */
	p.flags = 2;
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 48, 4096, &out), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(out, 50);
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 49, 4096, &out), FSCRYPT_EXT_OK);
	ck_assert_uint_eq(out, 66);
	p.version = 1;
	out = 7;
	ck_assert_int_eq(fscrypt_ext_policy_fname_size(&p, 1, 255, &out), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_int_eq(fscrypt_ext_policy_symlink_size(&p, 1, 4096, &out), FSCRYPT_EXT_ERR_BAD_VERSION);
	ck_assert_uint_eq(out, 7);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("fname_plan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_names_match_encrypt);
	tcase_add_test(tc, test_symlinks_match_encrypt);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
