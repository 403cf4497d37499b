/* fscrypt-ext tool: known-answer handlers for the hctr2, aes-cbc-essiv, sm4-xts and sm4-cbc-cts primitive types. */
#include <string.h>

#include "kat.h"

/* HCTR2 with AES-128/192/256 and any tweak length: encrypt out of place, decrypt in place. */
enum kat_result kat_hctr2(struct kat_vec *v)
{
	size_t key_len, tweak_len, len;
	uint8_t *key = kat_hex(v, "key", &key_len), *tweak = kat_hex(v, "tweak", &tweak_len);
	uint8_t *pt, *ct, *buf;

	if (key == NULL || tweak == NULL || !kat_pt_ct(v, &pt, &ct, &len, &buf))
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_hctr2_encrypt",
		       fscrypt_ext_hctr2_encrypt(key, key_len, tweak, tweak_len, pt, buf, len)))
		kat_same(v, "encrypt", ct, len, buf, len);
	memcpy(buf, ct, len);
	if (kat_lib_ok(v, "fscrypt_ext_hctr2_decrypt",
		       fscrypt_ext_hctr2_decrypt(key, key_len, tweak, tweak_len, buf, buf, len)))
		kat_same(v, "decrypt (in place)", pt, len, buf, len);
	return kat_verdict(v);
}

enum kat_result kat_aes_cbc_essiv(struct kat_vec *v)
{
	uint8_t key[16], iv[16], *pt, *ct, *buf;
	size_t len;

	if (!kat_hex_fixed(v, "key", key, sizeof(key)) || !kat_hex_fixed(v, "iv", iv, sizeof(iv)) ||
	    !kat_pt_ct(v, &pt, &ct, &len, &buf))
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_aes_cbc_essiv_encrypt", fscrypt_ext_aes_cbc_essiv_encrypt(key, iv, pt, buf, len)))
		kat_same(v, "encrypt", ct, len, buf, len);
	memcpy(buf, ct, len);
	if (kat_lib_ok(v, "fscrypt_ext_aes_cbc_essiv_decrypt", fscrypt_ext_aes_cbc_essiv_decrypt(key, iv, buf, buf, len)))
		kat_same(v, "decrypt (in place)", pt, len, buf, len);
	memset(key, 0, sizeof(key));
	return kat_verdict(v);
}

enum kat_result kat_sm4_xts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "tweak", fscrypt_ext_sm4_xts_encrypt, fscrypt_ext_sm4_xts_decrypt, "fscrypt_ext_sm4_xts_encrypt",
		       "fscrypt_ext_sm4_xts_decrypt");
}

enum kat_result kat_sm4_cbc_cts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "iv", fscrypt_ext_sm4_cbc_cts_encrypt, fscrypt_ext_sm4_cbc_cts_decrypt,
		       "fscrypt_ext_sm4_cbc_cts_encrypt", "fscrypt_ext_sm4_cbc_cts_decrypt");
}
