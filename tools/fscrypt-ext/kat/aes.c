/* fscrypt-ext tool: `kat` handlers for the AES primitives (ECB, XTS, CBC-CTS, CBC-ESSIV) and the shared block-cipher-mode shape. */
#include <string.h>

#include "kat/kat.h"

enum kat_result kat_run_cipher16(struct kat_vec *v, const char *iv_field, kat_cipher16_fn enc, kat_cipher16_fn dec,
				 const char *enc_name, const char *dec_name)
{
	uint8_t iv[16] = { 0 };
	size_t key_len, len;
	uint8_t *key, *pt, *ct, *buf;

	key = kat_hex(v, "key", &key_len);
	if (key == NULL || (iv_field && !kat_hex_fixed(v, iv_field, iv, sizeof(iv))) || !kat_pt_ct(v, &pt, &ct, &len, &buf))
		return KAT_FAIL;
	if (kat_lib_ok(v, enc_name, enc(key, key_len, iv, pt, buf, len)))
		kat_same(v, "encrypt", ct, len, buf, len);
	memcpy(buf, ct, len);
	if (kat_lib_ok(v, dec_name, dec(key, key_len, iv, buf, buf, len)))
		kat_same(v, "decrypt (in place)", pt, len, buf, len);
	return kat_verdict(v);
}

static int ecb_enc(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in, uint8_t *out,
		   size_t len)
{
	(void)iv;
	return fscrypt_ext_aes_ecb_encrypt(key, key_len, in, out, len);
}

static int ecb_dec(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in, uint8_t *out,
		   size_t len)
{
	(void)iv;
	return fscrypt_ext_aes_ecb_decrypt(key, key_len, in, out, len);
}

enum kat_result kat_aes_ecb(struct kat_vec *v)
{
	return kat_run_cipher16(v, NULL, ecb_enc, ecb_dec, "fscrypt_ext_aes_ecb_encrypt", "fscrypt_ext_aes_ecb_decrypt");
}

enum kat_result kat_aes_xts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "tweak", fscrypt_ext_aes_xts_encrypt, fscrypt_ext_aes_xts_decrypt,
			  "fscrypt_ext_aes_xts_encrypt", "fscrypt_ext_aes_xts_decrypt");
}

enum kat_result kat_aes_cbc_cts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "iv", fscrypt_ext_aes_cbc_cts_encrypt, fscrypt_ext_aes_cbc_cts_decrypt,
			  "fscrypt_ext_aes_cbc_cts_encrypt", "fscrypt_ext_aes_cbc_cts_decrypt");
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
