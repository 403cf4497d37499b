/* fscrypt-ext tool: `kat` handlers for filename and symlink-target vectors, through a prepared inode. */
#include "kat/kat.h"

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
	if ((r = kat_open_inode(v, "context", FSCRYPT_EXT_INODE_DIR, false, &mk, &dir)) != KAT_PASS)
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
	kat_close_inode(mk, dir);
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
	if (pt == NULL || ct == NULL || !kat_block_size(v, &max_disk_len) ||
	    (out = kat_alloc(v, max_disk_len + ct_len)) == NULL)
		return KAT_FAIL;
	if ((r = kat_open_inode(v, "context", FSCRYPT_EXT_INODE_SYMLINK, false, &mk, &link)) != KAT_PASS)
		return r;
	if (kat_lib_ok(v, "fscrypt_ext_symlink_encrypt",
		       fscrypt_ext_symlink_encrypt(link, pt, pt_len, max_disk_len, out, max_disk_len, &out_len)))
		kat_same(v, "encrypt", ct, ct_len, out, out_len);
	if (kat_lib_ok(v, "fscrypt_ext_symlink_decrypt",
		       fscrypt_ext_symlink_decrypt(link, ct, ct_len, out, max_disk_len + ct_len, &out_len)))
		kat_same(v, "decrypt", pt, pt_len, out, out_len);
	kat_close_inode(mk, link);
	return kat_verdict(v);
}
