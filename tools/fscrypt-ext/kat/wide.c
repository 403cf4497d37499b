/* fscrypt-ext tool: `kat` handlers for the wide-block primitives, Adiantum (XChaCha12/AES-256) and HCTR2, any tweak length. */
#include <string.h>

#include "kat/kat.h"

enum kat_result kat_adiantum(struct kat_vec *v)
{
	uint8_t key[32];
	size_t tweak_len, len;
	uint8_t *tweak, *pt, *ct, *buf;

	tweak = kat_hex(v, "tweak", &tweak_len);
	if (!kat_hex_fixed(v, "key", key, sizeof(key)) || tweak == NULL || !kat_pt_ct(v, &pt, &ct, &len, &buf))
		return KAT_FAIL;
	/* Encrypt out of place, then decrypt in place (tweak length and message length vary per vector). */
	if (kat_lib_ok(v, "fscrypt_ext_adiantum_encrypt", fscrypt_ext_adiantum_encrypt(key, tweak, tweak_len, pt, buf, len)))
		kat_same(v, "encrypt", ct, len, buf, len);
	memcpy(buf, ct, len);
	if (kat_lib_ok(v, "fscrypt_ext_adiantum_decrypt", fscrypt_ext_adiantum_decrypt(key, tweak, tweak_len, buf, buf, len)))
		kat_same(v, "decrypt (in place)", pt, len, buf, len);
	return kat_verdict(v);
}

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
