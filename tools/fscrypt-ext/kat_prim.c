/* fscrypt-ext tool: known-answer handlers for the primitive vector types (AES modes, HKDF, SipHash). */
#include <string.h>

#include "kat.h"
#include "util.h"

typedef int (*cipher_fn)(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in,
			 uint8_t *out, size_t len);

/*
 * key (+ a 16-byte iv/tweak field) + plaintext + ciphertext: encrypt out of
 * place, then decrypt in place.
 */
static enum kat_result run_cipher(struct kat_vec *v, const char *iv_field, cipher_fn enc, cipher_fn dec,
				  const char *enc_name, const char *dec_name)
{
	uint8_t iv[16] = { 0 };
	size_t key_len, pt_len, ct_len;
	uint8_t *key, *pt, *ct, *buf;

	key = kat_hex(v, "key", &key_len);
	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	if (key == NULL || pt == NULL || ct == NULL || (iv_field && !kat_hex_fixed(v, iv_field, iv, sizeof(iv))))
		return KAT_FAIL;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return KAT_FAIL;
	}
	buf = kat_alloc(v, pt_len);
	if (buf == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, enc_name, enc(key, key_len, iv, pt, buf, pt_len)))
		kat_same(v, "encrypt", ct, ct_len, buf, pt_len);
	memcpy(buf, ct, ct_len);
	if (kat_lib_ok(v, dec_name, dec(key, key_len, iv, buf, buf, ct_len)))
		kat_same(v, "decrypt (in place)", pt, pt_len, buf, ct_len);
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
	return run_cipher(v, NULL, ecb_enc, ecb_dec, "fscrypt_ext_aes_ecb_encrypt", "fscrypt_ext_aes_ecb_decrypt");
}

enum kat_result kat_aes_xts(struct kat_vec *v)
{
	return run_cipher(v, "tweak", fscrypt_ext_aes_xts_encrypt, fscrypt_ext_aes_xts_decrypt,
			  "fscrypt_ext_aes_xts_encrypt", "fscrypt_ext_aes_xts_decrypt");
}

enum kat_result kat_aes_cbc_cts(struct kat_vec *v)
{
	return run_cipher(v, "iv", fscrypt_ext_aes_cbc_cts_encrypt, fscrypt_ext_aes_cbc_cts_decrypt,
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
