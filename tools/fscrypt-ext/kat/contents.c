/* fscrypt-ext tool: `kat` handler for contents vectors, file data through a prepared inode in both directions. */
#include <string.h>

#include "kat/kat.h"

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
	    !kat_block_size(v, &block_size))
		return KAT_FAIL;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return KAT_FAIL;
	}
	if ((r = kat_open_inode(v, "context", FSCRYPT_EXT_INODE_REG, false, &mk, &inode)) != KAT_PASS)
		return r;
	/* tests/vectors/FORMAT.md: the data unit is 1 << log2_data_unit_size from a v2 context, else the block size. */
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
	kat_close_inode(mk, inode);
	return kat_verdict(v);
}
