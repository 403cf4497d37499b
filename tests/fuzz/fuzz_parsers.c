/*
 * Fuzz target for every parser that takes on-disk or user bytes: policies, contexts, policy
 * text, no-key names, encrypted names and symlink targets. Built as a libFuzzer target with
 * clang (-fsanitize=fuzzer), and always as a replay program that ctest runs over the corpus
 * plus deterministic mutations of it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fscrypt_ext/fscrypt_ext.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results that may be anything: only crashes and sanitizer reports matter here. */
#define ANY(call) do { int any_ = (call); (void)any_; } while (0)

static void fuzz_policy(const uint8_t *data, size_t size)
{
	struct fscrypt_ext_policy p;
	struct fscrypt_ext_fs_info fs;
	uint8_t out[FSCRYPT_EXT_POLICY_MAX_SIZE];
	char text[256];
	size_t n;

	if (fscrypt_ext_policy_parse(data, size, &p) != FSCRYPT_EXT_OK)
		return;
	/* A parsed struct serialises back to exactly the input. */
	if (fscrypt_ext_policy_serialize(&p, out, sizeof(out), &n) != FSCRYPT_EXT_OK || n != size ||
	    memcmp(out, data, n) != 0)
		abort();
	for (uint32_t bs = 1024; bs <= 65536; bs <<= 2) {
		fscrypt_ext_fs_info_ext4(&fs, bs);
		fs.stable_inodes = (bs & 4096) != 0;
		ANY(fscrypt_ext_policy_validate(&p, &fs));
	}
	if (fscrypt_ext_policy_to_text(&p, text, sizeof(text)) == FSCRYPT_EXT_OK) {
		struct fscrypt_ext_policy q;

		/* The text form round-trips. */
		if (fscrypt_ext_policy_from_text(text, &q) != FSCRYPT_EXT_OK ||
		    fscrypt_ext_policy_serialize(&q, out, sizeof(out), &n) != FSCRYPT_EXT_OK || n != size ||
		    memcmp(out, data, n) != 0)
			abort();
	}
}

static void fuzz_context(const uint8_t *data, size_t size)
{
	struct fscrypt_ext_context c;
	struct fscrypt_ext_fs_info fs;
	uint8_t out[FSCRYPT_EXT_CONTEXT_MAX_SIZE];
	size_t n;

	if (fscrypt_ext_context_parse(data, size, &c) != FSCRYPT_EXT_OK)
		return;
	if (fscrypt_ext_context_serialize(&c, out, sizeof(out), &n) != FSCRYPT_EXT_OK || n != size ||
	    memcmp(out, data, n) != 0)
		abort();
	fscrypt_ext_fs_info_ext4(&fs, 4096);
	ANY(fscrypt_ext_context_validate(&c, &fs));
}

static void fuzz_extent_context(const uint8_t *data, size_t size)
{
	struct fscrypt_ext_extent_context e;
	struct fscrypt_ext_context inode;
	uint8_t out[FSCRYPT_EXT_EXTENT_CONTEXT_SIZE];
	size_t n;

	if (fscrypt_ext_extent_context_parse(data, size, &e) != FSCRYPT_EXT_OK)
		return;
	if (fscrypt_ext_extent_context_serialize(&e, out, sizeof(out), &n) != FSCRYPT_EXT_OK || n != size ||
	    memcmp(out, data, n) != 0)
		abort();
	/* Validate against an inode context built from the same bytes, as a filesystem might mix them up. */
	memset(&inode, 0, sizeof(inode));
	inode.version = FSCRYPT_EXT_CONTEXT_V2;
	inode.contents_mode = data[1];
	inode.filenames_mode = FSCRYPT_EXT_MODE_AES_256_CTS;
	inode.flags = data[size - 1] & 0x1f;
	memcpy(inode.key_identifier, e.key_identifier, sizeof(inode.key_identifier));
	ANY(fscrypt_ext_extent_context_validate(&e, &inode, 0));
	ANY(fscrypt_ext_extent_context_validate(&e, &inode, FSCRYPT_EXT_EXTENT_ALLOW_REKEYED));
}

static void fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct fscrypt_ext_policy p;
	struct fscrypt_ext_nokey_name nk;

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = 0;
	ANY(fscrypt_ext_policy_from_text(s, &p));
	if (fscrypt_ext_nokey_name_decode(s, strlen(s), &nk) == FSCRYPT_EXT_OK) {
		/*
		 * Whatever decodes (holding the whole ciphertext) re-encodes to a canonical name that is a
		 * prefix of the input (the kernel, like us, also accepts trailing zero-bit characters) and
		 * decodes to the same fields.
		 */
		char enc[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
		struct fscrypt_ext_nokey_name again;
		size_t n;

		if (!nk.has_sha256 &&
		    fscrypt_ext_nokey_name_encode(nk.bytes, nk.bytes_len, nk.hash, nk.minor_hash, enc, sizeof(enc), &n) ==
			    FSCRYPT_EXT_OK &&
		    (n > strlen(s) || memcmp(enc, s, n) != 0 ||
		     fscrypt_ext_nokey_name_decode(enc, n, &again) != FSCRYPT_EXT_OK || again.bytes_len != nk.bytes_len ||
		     again.hash != nk.hash || again.minor_hash != nk.minor_hash ||
		     memcmp(again.bytes, nk.bytes, nk.bytes_len) != 0))
			abort();
	}
	free(s);
}

/* Names and symlink targets as read off a disk, under a fixed key. */
static void fuzz_names(const uint8_t *data, size_t size)
{
	static fscrypt_ext_master_key *mk;
	static fscrypt_ext_inode *dir, *link;
	uint8_t out[4096];
	size_t n;

	if (!mk) {
		uint8_t raw[64], ctxb[40] = { 2, 1, 4, 3 };
		struct fscrypt_ext_context ctx;
		struct fscrypt_ext_fs_info fs;

		for (int i = 0; i < 64; i++)
			raw[i] = (uint8_t)i;
		if (fscrypt_ext_master_key_new(raw, 64, &mk) || fscrypt_ext_master_key_identifier(mk, ctxb + 8))
			abort();
		fscrypt_ext_fs_info_ext4(&fs, 4096);
		if (fscrypt_ext_context_parse(ctxb, sizeof(ctxb), &ctx) ||
		    fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 12, &fs, &dir) ||
		    fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_SYMLINK, 13, &fs, &link))
			abort();
	}
	ANY(fscrypt_ext_fname_decrypt(dir, data, size, out, sizeof(out), &n));
	ANY(fscrypt_ext_symlink_decrypt(link, data, size, out, sizeof(out), &n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_policy(data, size);
	fuzz_context(data, size);
	fuzz_extent_context(data, size);
	fuzz_text(data, size);
	fuzz_names(data, size);
	return 0;
}
