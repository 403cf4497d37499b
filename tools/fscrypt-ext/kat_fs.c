/* fscrypt-ext tool: known-answer handlers for the fscrypt-level vector types (keys, policies, inodes, names). */
#include <string.h>

#include <sodium.h>

#include "kat.h"
#include "util.h"

/* Imports the vector's master_key (test data, not a secret worth locking twice). */
static fscrypt_ext_master_key *vec_master_key(struct kat_vec *v)
{
	fscrypt_ext_master_key *mk = NULL;
	size_t len;
	uint8_t *raw = kat_hex(v, "master_key", &len);

	if (raw == NULL)
		return NULL;
	if (!kat_lib_ok(v, "fscrypt_ext_master_key_new", fscrypt_ext_master_key_new(raw, len, &mk)))
		return NULL;
	return mk;
}

static bool vec_block_size(struct kat_vec *v, uint32_t *block_size)
{
	uint64_t n = 4096;

	if (kat_has(v, "block_size") && !kat_u64(v, "block_size", &n))
		return false;
	if (n == 0 || n > UINT32_MAX) {
		kat_fail(v, "malformed vector: block_size %llu out of range", (unsigned long long)n);
		return false;
	}
	*block_size = (uint32_t)n;
	return true;
}

/*
 * Whether the kernel would refuse this master key for the inode's mode
 * (keysetup: v1 needs the mode's key size, v2 its security strength). Worked
 * out here from the mode table, not from the call under test.
 */
static bool kernel_refuses_key_size(const struct fscrypt_ext_context *ctx, enum fscrypt_ext_inode_type type,
				    size_t key_len)
{
	struct fscrypt_ext_mode_info mi;
	unsigned int mode = type == FSCRYPT_EXT_INODE_REG ? ctx->contents_mode : ctx->filenames_mode;

	if (fscrypt_ext_mode_info(mode, &mi) != FSCRYPT_EXT_OK)
		return false;
	return key_len < (ctx->version == FSCRYPT_EXT_CONTEXT_V1 ? mi.key_size : mi.security_strength);
}

/*
 * context + master_key + ino + fs_uuid (+ block_size) -> a prepared inode, as
 * a filesystem tool opens one: parse the on-disk context, then key setup with
 * the filesystem's properties (ext4 defaults). KAT_PASS when it is open.
 */
static enum kat_result vec_open_inode(struct kat_vec *v, const char *ctx_field, enum fscrypt_ext_inode_type type,
				      bool casefolded, fscrypt_ext_master_key **mk_out, fscrypt_ext_inode **out)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	uint32_t block_size;
	uint64_t ino = 0;
	uint8_t *raw;
	size_t len;
	int err;

	raw = kat_hex(v, ctx_field, &len);
	if (raw == NULL || !vec_block_size(v, &block_size))
		return KAT_FAIL;
	if (!kat_lib_ok(v, "fscrypt_ext_context_parse", fscrypt_ext_context_parse(raw, len, &ctx)))
		return KAT_FAIL;
	fscrypt_ext_fs_info_ext4(&fs, block_size);
	if (kat_has(v, "fs_uuid") && !kat_hex_fixed(v, "fs_uuid", fs.uuid, sizeof(fs.uuid)))
		return KAT_FAIL;
	if (kat_has(v, "ino") && !kat_u64(v, "ino", &ino))
		return KAT_FAIL;
	mk = vec_master_key(v);
	if (mk == NULL)
		return KAT_FAIL;
	/*
	 * The kernel never compares a v1 descriptor with the key (userspace picks descriptors; the
	 * reference vectors use arbitrary ones), so v1 inodes open unchecked as the kernel would.
	 */
	err = fscrypt_ext_inode_open_ex(&ctx, mk, type, ino, &fs,
					(ctx.version == FSCRYPT_EXT_CONTEXT_V1 ? FSCRYPT_EXT_OPEN_V1_UNCHECKED : 0) |
						(casefolded ? FSCRYPT_EXT_OPEN_CASEFOLDED : 0),
					out);
	if (err == FSCRYPT_EXT_ERR_KEY_SIZE &&
	    kernel_refuses_key_size(&ctx, type, fscrypt_ext_master_key_size(mk))) {
		fscrypt_ext_master_key_free(mk);
		return kat_skip(v, "master key shorter than the kernel accepts for the mode (no such inode can exist)");
	}
	if (!kat_lib_ok(v, "fscrypt_ext_inode_open", err)) {
		fscrypt_ext_master_key_free(mk);
		return KAT_FAIL;
	}
	*mk_out = mk;
	return KAT_PASS;
}

static void close_inode(fscrypt_ext_master_key *mk, fscrypt_ext_inode *inode)
{
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
}

enum kat_result kat_key_identifier(struct kat_vec *v)
{
	uint8_t want[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE], got[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	fscrypt_ext_master_key *mk;

	if (!kat_hex_fixed(v, "identifier", want, sizeof(want)) || (mk = vec_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_master_key_identifier", fscrypt_ext_master_key_identifier(mk, got)))
		kat_same(v, "identifier", want, sizeof(want), got, sizeof(got));
	fscrypt_ext_master_key_free(mk);
	return kat_verdict(v);
}

enum kat_result kat_key_descriptor(struct kat_vec *v)
{
	uint8_t want[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE], got[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE];
	fscrypt_ext_master_key *mk;

	if (!kat_hex_fixed(v, "descriptor", want, sizeof(want)) || (mk = vec_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_master_key_descriptor", fscrypt_ext_master_key_descriptor(mk, got)))
		kat_same(v, "descriptor", want, sizeof(want), got, sizeof(got));
	fscrypt_ext_master_key_free(mk);
	return kat_verdict(v);
}

static void check_valid(struct kat_vec *v, const char *what, bool want, int parse_err, int validate_err)
{
	bool got = parse_err == FSCRYPT_EXT_OK && validate_err == FSCRYPT_EXT_OK;
	int err = parse_err != FSCRYPT_EXT_OK ? parse_err : validate_err;

	if (got == want)
		return;
	if (want)
		kat_fail(v, "%s should be accepted, but %s says %s (%s, %d)", what,
			 parse_err != FSCRYPT_EXT_OK ? "parse" : "validate", fscrypt_ext_strerror(err),
			 cli_err_name(err), err);
	else
		kat_fail(v, "%s should be refused, but parse and validate accept it", what);
}

enum kat_result kat_policy(struct kat_vec *v)
{
	struct fscrypt_ext_policy p;
	struct fscrypt_ext_fs_info fs;
	struct json_object *fs_obj = NULL;
	uint8_t out[FSCRYPT_EXT_POLICY_MAX_SIZE];
	size_t len, out_len;
	int perr, verr = FSCRYPT_EXT_OK;
	uint8_t *raw;
	unsigned int dir_flags;
	bool want;

	json_object_object_get_ex(v->obj, "fs", &fs_obj);
	raw = kat_hex(v, "policy", &len);
	if (raw == NULL || !kat_bool_in(v, v->obj, "valid", &want) || !kat_fs_info(v, fs_obj, 4096, &fs, &dir_flags))
		return KAT_FAIL;
	perr = fscrypt_ext_policy_parse(raw, len, &p);
	if (perr == FSCRYPT_EXT_OK) {
		verr = fscrypt_ext_policy_validate_dir(&p, &fs, dir_flags);
		/* The other direction: what parses serialises back to the same bytes. */
		if (kat_lib_ok(v, "fscrypt_ext_policy_serialize",
			       fscrypt_ext_policy_serialize(&p, out, sizeof(out), &out_len)))
			kat_same(v, "policy_serialize(policy_parse(policy))", raw, len, out, out_len);
	}
	check_valid(v, "policy", want, perr, verr);
	return kat_verdict(v);
}

enum kat_result kat_context(struct kat_vec *v)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	struct json_object *fs_obj = NULL;
	uint8_t out[FSCRYPT_EXT_CONTEXT_MAX_SIZE];
	size_t len, out_len;
	int perr, verr = FSCRYPT_EXT_OK;
	uint8_t *raw;
	unsigned int dir_flags;
	bool want;

	json_object_object_get_ex(v->obj, "fs", &fs_obj);
	raw = kat_hex(v, "context", &len);
	if (raw == NULL || !kat_bool_in(v, v->obj, "valid", &want) || !kat_fs_info(v, fs_obj, 4096, &fs, &dir_flags))
		return KAT_FAIL;
	perr = fscrypt_ext_context_parse(raw, len, &ctx);
	if (perr == FSCRYPT_EXT_OK) {
		verr = fscrypt_ext_context_validate_dir(&ctx, &fs, dir_flags);
		if (kat_lib_ok(v, "fscrypt_ext_context_serialize",
			       fscrypt_ext_context_serialize(&ctx, out, sizeof(out), &out_len)))
			kat_same(v, "context_serialize(context_parse(context))", raw, len, out, out_len);
	}
	check_valid(v, "context", want, perr, verr);
	return kat_verdict(v);
}

enum kat_result kat_contents(struct kat_vec *v)
{
	enum kat_result r;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *inode;
	struct fscrypt_ext_context ctx;
	size_t pt_len, ct_len, ctx_len, want_du;
	uint8_t *pt, *ct, *ctx_raw, *buf;
	uint64_t off;
	uint32_t block_size;

	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	ctx_raw = kat_hex(v, "context", &ctx_len);
	if (pt == NULL || ct == NULL || ctx_raw == NULL || !kat_u64(v, "file_offset", &off) ||
	    !vec_block_size(v, &block_size))
		return KAT_FAIL;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return KAT_FAIL;
	}
	if ((r = vec_open_inode(v, "context", FSCRYPT_EXT_INODE_REG, false, &mk, &inode)) != KAT_PASS)
		return r;
	/* FORMAT.md: the data unit is 1 << log2_data_unit_size from a v2 context, else the block size. */
	want_du = block_size;
	if (fscrypt_ext_context_parse(ctx_raw, ctx_len, &ctx) == FSCRYPT_EXT_OK &&
	    ctx.version == FSCRYPT_EXT_CONTEXT_V2 && ctx.log2_data_unit_size != 0)
		want_du = (size_t)1 << ctx.log2_data_unit_size;
	if (fscrypt_ext_inode_data_unit_size(inode) != want_du)
		kat_fail(v, "data unit size: expected %zu, got %zu", want_du, fscrypt_ext_inode_data_unit_size(inode));
	buf = kat_alloc(v, pt_len);
	if (buf != NULL &&
	    kat_lib_ok(v, "fscrypt_ext_encrypt_data_units", fscrypt_ext_encrypt_data_units(inode, off, pt, buf, pt_len)))
		kat_same(v, "encrypt", ct, ct_len, buf, pt_len);
	/* Decrypt in place: the API allows in == out. */
	if (buf != NULL) {
		memcpy(buf, ct, ct_len);
		if (kat_lib_ok(v, "fscrypt_ext_decrypt_data_units",
			       fscrypt_ext_decrypt_data_units(inode, off, buf, buf, ct_len)))
			kat_same(v, "decrypt (in place)", pt, pt_len, buf, ct_len);
	}
	close_inode(mk, inode);
	return kat_verdict(v);
}

enum kat_result kat_filename(struct kat_vec *v)
{
	enum kat_result r;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *dir;
	uint8_t out[FSCRYPT_EXT_NAME_MAX + 1];
	size_t pt_len, ct_len, out_len, size;
	uint8_t *pt, *ct;

	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	if (pt == NULL || ct == NULL)
		return KAT_FAIL;
	if ((r = vec_open_inode(v, "context", FSCRYPT_EXT_INODE_DIR, false, &mk, &dir)) != KAT_PASS)
		return r;
	if (kat_lib_ok(v, "fscrypt_ext_fname_encrypted_size",
		       fscrypt_ext_fname_encrypted_size(dir, pt_len, FSCRYPT_EXT_NAME_MAX, &size)) &&
	    size != ct_len)
		kat_fail(v, "encrypted size of a %zu-byte name: expected %zu, got %zu", pt_len, ct_len, size);
	if (kat_lib_ok(v, "fscrypt_ext_fname_encrypt",
		       fscrypt_ext_fname_encrypt(dir, pt, pt_len, out, sizeof(out), &out_len)))
		kat_same(v, "encrypt", ct, ct_len, out, out_len);
	if (kat_lib_ok(v, "fscrypt_ext_fname_decrypt",
		       fscrypt_ext_fname_decrypt(dir, ct, ct_len, out, sizeof(out), &out_len)))
		kat_same(v, "decrypt", pt, pt_len, out, out_len);
	close_inode(mk, dir);
	return kat_verdict(v);
}

enum kat_result kat_symlink(struct kat_vec *v)
{
	enum kat_result r;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *link;
	size_t pt_len, ct_len, out_len;
	uint8_t *pt, *ct, *out;
	uint32_t max_disk_len;

	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	/* ext4 bounds the stored form by the block size; 4096 when the vector does not say. */
	if (pt == NULL || ct == NULL || !vec_block_size(v, &max_disk_len) ||
	    (out = kat_alloc(v, max_disk_len + ct_len)) == NULL)
		return KAT_FAIL;
	if ((r = vec_open_inode(v, "context", FSCRYPT_EXT_INODE_SYMLINK, false, &mk, &link)) != KAT_PASS)
		return r;
	if (kat_lib_ok(v, "fscrypt_ext_symlink_encrypt",
		       fscrypt_ext_symlink_encrypt(link, pt, pt_len, max_disk_len, out, max_disk_len, &out_len)))
		kat_same(v, "encrypt", ct, ct_len, out, out_len);
	if (kat_lib_ok(v, "fscrypt_ext_symlink_decrypt",
		       fscrypt_ext_symlink_decrypt(link, ct, ct_len, out, max_disk_len + ct_len, &out_len)))
		kat_same(v, "decrypt", pt, pt_len, out, out_len);
	close_inode(mk, link);
	return kat_verdict(v);
}

static bool vec_u32(struct kat_vec *v, const char *field, uint32_t *out)
{
	uint64_t n;

	if (!kat_u64(v, field, &n))
		return false;
	if (n > UINT32_MAX) {
		kat_fail(v, "malformed vector: %s %llu does not fit 32 bits", field, (unsigned long long)n);
		return false;
	}
	*out = (uint32_t)n;
	return true;
}

/* The decoded fields, checked against the inputs with an independent SHA-256 (libsodium). */
static void check_nokey_fields(struct kat_vec *v, const struct fscrypt_ext_nokey_name *nk, const uint8_t *ct,
			       size_t ct_len, uint32_t hash, uint32_t minor)
{
	uint8_t sha[crypto_hash_sha256_BYTES];
	bool long_form = ct_len > FSCRYPT_EXT_NOKEY_NAME_BYTES;
	size_t head = long_form ? FSCRYPT_EXT_NOKEY_NAME_BYTES : ct_len;

	kat_same_u64(v, "decoded hash", hash, nk->hash);
	kat_same_u64(v, "decoded minor_hash", minor, nk->minor_hash);
	if (nk->has_sha256 != long_form)
		kat_fail(v, "decoded has_sha256: expected %d, got %d", long_form, nk->has_sha256);
	kat_same(v, "decoded bytes", ct, head, nk->bytes,
		 nk->bytes_len <= FSCRYPT_EXT_NOKEY_NAME_BYTES ? nk->bytes_len : FSCRYPT_EXT_NOKEY_NAME_BYTES);
	if (long_form && nk->has_sha256) {
		crypto_hash_sha256(sha, ct + head, ct_len - head);
		kat_same(v, "decoded sha256", sha, sizeof(sha), nk->sha256, sizeof(nk->sha256));
	}
}

enum kat_result kat_nokey_name(struct kat_vec *v)
{
	struct fscrypt_ext_nokey_name nk;
	struct json_object *enc_obj;
	char out[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
	const char *encoded;
	size_t ct_len, enc_len, out_len;
	uint32_t hash, minor;
	uint8_t *ct, *flipped;

	ct = kat_hex(v, "ciphertext", &ct_len);
	if (ct == NULL || !vec_u32(v, "hash", &hash) || !vec_u32(v, "minor_hash", &minor))
		return KAT_FAIL;
	if (!json_object_object_get_ex(v->obj, "encoded", &enc_obj) || !json_object_is_type(enc_obj, json_type_string)) {
		kat_fail(v, "malformed vector: missing string field \"encoded\"");
		return KAT_FAIL;
	}
	encoded = json_object_get_string(enc_obj);
	enc_len = (size_t)json_object_get_string_len(enc_obj);
	if (kat_lib_ok(v, "fscrypt_ext_nokey_name_encode",
		       fscrypt_ext_nokey_name_encode(ct, ct_len, hash, minor, out, sizeof(out), &out_len)))
		kat_same(v, "encode", (const uint8_t *)encoded, enc_len, (const uint8_t *)out, out_len);
	if (!kat_lib_ok(v, "fscrypt_ext_nokey_name_decode", fscrypt_ext_nokey_name_decode(encoded, enc_len, &nk)))
		return KAT_FAIL;
	check_nokey_fields(v, &nk, ct, ct_len, hash, minor);
	if (!fscrypt_ext_nokey_name_matches(&nk, ct, ct_len))
		kat_fail(v, "matches(decode(encoded), ciphertext) is false");
	/* A different last byte is a different entry, in the prefix and in the SHA-256 form alike. */
	flipped = kat_alloc(v, ct_len);
	if (flipped != NULL && ct_len > 0) {
		memcpy(flipped, ct, ct_len);
		flipped[ct_len - 1] ^= 1;
		if (fscrypt_ext_nokey_name_matches(&nk, flipped, ct_len))
			kat_fail(v, "matches() accepts the ciphertext with its last byte changed");
	}
	return kat_verdict(v);
}

/*
 * The dirhash key is a 16-byte HKDF output (context 5) that depends on the master key and the
 * directory nonce only, not on the directory's modes; so the hash is checked from the context
 * and the key directly. Where the kernel would also open the directory (key long enough for
 * its filenames mode), the prepared-inode path must give the same hash.
 */
enum kat_result kat_dirhash(struct kat_vec *v)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk;
	fscrypt_ext_inode *dir = NULL;
	uint64_t want, got;
	size_t name_len, ctx_len;
	uint8_t *name, *raw;
	uint32_t block_size;
	int err;

	name = kat_hex(v, "name", &name_len);
	raw = kat_hex(v, "context", &ctx_len);
	if (name == NULL || raw == NULL || !kat_u64(v, "hash", &want) || !vec_block_size(v, &block_size))
		return KAT_FAIL;
	if (!kat_lib_ok(v, "fscrypt_ext_context_parse", fscrypt_ext_context_parse(raw, ctx_len, &ctx)))
		return KAT_FAIL;
	if ((mk = vec_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_dirhash_from_context",
		       fscrypt_ext_dirhash_from_context(&ctx, mk, name, name_len, &got)))
		kat_same_u64(v, "dirhash", want, got);
	fscrypt_ext_fs_info_ext4(&fs, block_size);
	/* only casefolded encrypted directories have a dirhash key */
	err = fscrypt_ext_inode_open_ex(&ctx, mk, FSCRYPT_EXT_INODE_DIR, 0, &fs, FSCRYPT_EXT_OPEN_CASEFOLDED, &dir);
	if (err == FSCRYPT_EXT_OK) {
		if (kat_lib_ok(v, "fscrypt_ext_dirhash", fscrypt_ext_dirhash(dir, name, name_len, &got)))
			kat_same_u64(v, "dirhash (prepared directory)", want, got);
	} else if (!(err == FSCRYPT_EXT_ERR_KEY_SIZE &&
		     kernel_refuses_key_size(&ctx, FSCRYPT_EXT_INODE_DIR, fscrypt_ext_master_key_size(mk)))) {
		kat_lib_ok(v, "fscrypt_ext_inode_open", err);
	}
	close_inode(mk, dir);
	return kat_verdict(v);
}
