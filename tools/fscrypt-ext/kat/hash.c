/* fscrypt-ext tool: `kat` handlers for the hash-based primitives, HKDF-SHA512 and SipHash-2-4. */
#include "kat/kat.h"

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
