/* fscrypt-ext tool: known-answer handlers for the primitive vector types (AES modes, HKDF, SipHash). */
#include <string.h>

#include "kat.h"
#include "util.h"

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

enum kat_result kat_hkdf_sha512(struct kat_vec *v)
{
	size_t ikm_len, salt_len, info_len, okm_len;
	uint8_t *ikm, *salt, *info, *okm, *out;

	ikm = kat_hex(v, "ikm", &ikm_len);
	salt = kat_hex(v, "salt", &salt_len);
	info = kat_hex(v, "info", &info_len);
	okm = kat_hex(v, "okm", &okm_len);
	if (ikm == NULL || salt == NULL || info == NULL || okm == NULL || (out = kat_alloc(v, okm_len)) == NULL)
		return KAT_FAIL;
	/* An empty salt is "no salt": RFC 5869 then uses HashLen zero bytes, which is the same thing. */
	if (kat_lib_ok(v, "fscrypt_ext_hkdf_sha512",
		       fscrypt_ext_hkdf_sha512(ikm, ikm_len, salt_len ? salt : NULL, salt_len, info, info_len, out,
					       okm_len)))
		kat_same(v, "okm", okm, okm_len, out, okm_len);
	return kat_verdict(v);
}

enum kat_result kat_siphash24(struct kat_vec *v)
{
	uint8_t key[16];
	uint64_t want, got;
	size_t msg_len;
	uint8_t *msg;

	msg = kat_hex(v, "message", &msg_len);
	if (msg == NULL || !kat_hex_fixed(v, "key", key, sizeof(key)) || !kat_u64(v, "hash", &want))
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_siphash24", fscrypt_ext_siphash24(key, msg, msg_len, &got)))
		kat_same_u64(v, "hash", want, got);
	return kat_verdict(v);
}
