/* fscrypt-ext tool: known-answer handler for the "adiantum" primitive type (XChaCha12/AES-256, any tweak length). */
#include <string.h>

#include "kat.h"

enum kat_result kat_adiantum(struct kat_vec *v)
{
	uint8_t key[32];
	size_t tweak_len, pt_len, ct_len;
	uint8_t *tweak, *pt, *ct, *buf;

	tweak = kat_hex(v, "tweak", &tweak_len);
	pt = kat_hex(v, "plaintext", &pt_len);
	ct = kat_hex(v, "ciphertext", &ct_len);
	if (!kat_hex_fixed(v, "key", key, sizeof(key)) || tweak == NULL || pt == NULL || ct == NULL)
		return KAT_FAIL;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return KAT_FAIL;
	}
	buf = kat_alloc(v, pt_len);
	if (buf == NULL)
		return KAT_FAIL;
	/* Encrypt out of place, then decrypt in place (tweak length and message length vary per vector). */
	if (kat_lib_ok(v, "fscrypt_ext_adiantum_encrypt",
		       fscrypt_ext_adiantum_encrypt(key, tweak, tweak_len, pt, buf, pt_len)))
		kat_same(v, "encrypt", ct, ct_len, buf, pt_len);
	memcpy(buf, ct, ct_len);
	if (kat_lib_ok(v, "fscrypt_ext_adiantum_decrypt",
		       fscrypt_ext_adiantum_decrypt(key, tweak, tweak_len, buf, buf, ct_len)))
		kat_same(v, "decrypt (in place)", pt, pt_len, buf, ct_len);
	memset(key, 0, sizeof(key));
	return kat_verdict(v);
}
