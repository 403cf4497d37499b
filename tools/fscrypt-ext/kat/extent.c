/* fscrypt-ext tool: `kat` handler for extent vectors (per-extent keys, the btrfs design; not upstream). */
#include <string.h>

#include "kat/kat.h"

/*
 * inode_context + extent_context + master_key + block_size -> extent info, as
 * a tool reading a btrfs extent would: parse both contexts, load the extent
 * (validated against its inode), then encrypt and decrypt extent_offset bytes
 * into the extent (tests/vectors/FORMAT.md, "The extent type").
 */
static bool vec_fields(struct kat_vec *v, struct fscrypt_ext_context *ictx, struct fscrypt_ext_extent_context *ectx,
		       struct fscrypt_ext_fs_info *fs, uint64_t *off)
{
	uint8_t *ic, *ec;
	size_t ic_len, ec_len;
	uint64_t bs;

	ic = kat_hex(v, "inode_context", &ic_len);
	ec = kat_hex(v, "extent_context", &ec_len);
	if (ic == NULL || ec == NULL || !kat_u64(v, "block_size", &bs) || !kat_u64(v, "extent_offset", off))
		return false;
	if (bs == 0 || bs > UINT32_MAX) {
		kat_fail(v, "malformed vector: block_size %llu out of range", (unsigned long long)bs);
		return false;
	}
	fscrypt_ext_fs_info_ext4(fs, (uint32_t)bs);
	return kat_lib_ok(v, "fscrypt_ext_context_parse", fscrypt_ext_context_parse(ic, ic_len, ictx)) &&
	       kat_lib_ok(v, "fscrypt_ext_extent_context_parse", fscrypt_ext_extent_context_parse(ec, ec_len, ectx));
}

enum kat_result kat_extent(struct kat_vec *v)
{
	struct fscrypt_ext_context ictx;
	struct fscrypt_ext_extent_context ectx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_extent_info *ei = NULL;
	size_t pt_len, ct_len, key_len;
	uint8_t *pt, *ct, *raw, *buf;
	uint64_t off;

	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	raw = kat_hex(v, "master_key", &key_len);
	if (pt == NULL || ct == NULL || raw == NULL || !vec_fields(v, &ictx, &ectx, &fs, &off))
		return KAT_FAIL;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return KAT_FAIL;
	}
	if (!kat_lib_ok(v, "fscrypt_ext_master_key_new", fscrypt_ext_master_key_new(raw, key_len, &mk)))
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_extent_info_load", fscrypt_ext_extent_info_load(&ictx, &fs, &ectx, mk, 0, &ei))) {
		buf = kat_alloc(v, pt_len);
		if (buf != NULL &&
		    kat_lib_ok(v, "fscrypt_ext_extent_encrypt", fscrypt_ext_extent_encrypt(ei, off, pt, buf, pt_len)))
			kat_same(v, "encrypt", ct, ct_len, buf, pt_len);
		if (buf != NULL) {
			memcpy(buf, ct, ct_len);
			if (kat_lib_ok(v, "fscrypt_ext_extent_decrypt", fscrypt_ext_extent_decrypt(ei, off, buf, buf, ct_len)))
				kat_same(v, "decrypt (in place)", pt, pt_len, buf, ct_len);
		}
		fscrypt_ext_extent_info_put(ei);
	}
	fscrypt_ext_master_key_free(mk);
	return kat_verdict(v);
}
