/* fscrypt-ext tool: `kat` handler for no-key name vectors, encode, decode and match. */
#include <string.h>

#include <sodium.h>

#include "kat/kat.h"

static bool vec_u32(struct kat_vec *v, const char *field, uint32_t *out)
{
	uint64_t n;

	if (!kat_u64(v, field, &n))
		return false;
	if (n > UINT32_MAX) {
		kat_fail(v, "malformed vector: %s %llu does not fit 32 bits", field, (unsigned long long)n);
		return false;
	}
	*out = (uint32_t)n;
	return true;
}

/* The decoded fields, checked against the inputs with an independent SHA-256 (libsodium). */
static void check_nokey_fields(struct kat_vec *v, const struct fscrypt_ext_nokey_name *nk, const uint8_t *ct,
			       size_t ct_len, uint32_t hash, uint32_t minor)
{
	uint8_t sha[crypto_hash_sha256_BYTES];
	bool long_form = ct_len > FSCRYPT_EXT_NOKEY_NAME_BYTES;
	size_t head = long_form ? FSCRYPT_EXT_NOKEY_NAME_BYTES : ct_len;

	kat_same_u64(v, "decoded hash", hash, nk->hash);
	kat_same_u64(v, "decoded minor_hash", minor, nk->minor_hash);
	if (nk->has_sha256 != long_form)
		kat_fail(v, "decoded has_sha256: expected %d, got %d", long_form, nk->has_sha256);
	kat_same(v, "decoded bytes", ct, head, nk->bytes,
		 nk->bytes_len <= FSCRYPT_EXT_NOKEY_NAME_BYTES ? nk->bytes_len : FSCRYPT_EXT_NOKEY_NAME_BYTES);
	if (long_form && nk->has_sha256) {
		crypto_hash_sha256(sha, ct + head, ct_len - head);
		kat_same(v, "decoded sha256", sha, sizeof(sha), nk->sha256, sizeof(nk->sha256));
	}
}

enum kat_result kat_nokey_name(struct kat_vec *v)
{
	struct fscrypt_ext_nokey_name nk;
	struct json_object *enc_obj;
	char out[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 1];
	const char *encoded;
	size_t ct_len, enc_len, out_len;
	uint32_t hash, minor;
	uint8_t *ct, *flipped;

	ct = kat_hex(v, "ciphertext", &ct_len);
	if (ct == NULL || !vec_u32(v, "hash", &hash) || !vec_u32(v, "minor_hash", &minor))
		return KAT_FAIL;
	if (!json_object_object_get_ex(v->obj, "encoded", &enc_obj) || !json_object_is_type(enc_obj, json_type_string)) {
		kat_fail(v, "malformed vector: missing string field \"encoded\"");
		return KAT_FAIL;
	}
	encoded = json_object_get_string(enc_obj);
	enc_len = (size_t)json_object_get_string_len(enc_obj);
	if (kat_lib_ok(v, "fscrypt_ext_nokey_name_encode",
		       fscrypt_ext_nokey_name_encode(ct, ct_len, hash, minor, out, sizeof(out), &out_len)))
		kat_same(v, "encode", (const uint8_t *)encoded, enc_len, (const uint8_t *)out, out_len);
	if (!kat_lib_ok(v, "fscrypt_ext_nokey_name_decode", fscrypt_ext_nokey_name_decode(encoded, enc_len, &nk)))
		return KAT_FAIL;
	check_nokey_fields(v, &nk, ct, ct_len, hash, minor);
	if (!fscrypt_ext_nokey_name_matches(&nk, ct, ct_len))
		kat_fail(v, "matches(decode(encoded), ciphertext) is false");
	/* A different last byte is a different entry, in the prefix and in the SHA-256 form alike. */
	flipped = kat_alloc(v, ct_len);
	if (flipped != NULL && ct_len > 0) {
		memcpy(flipped, ct, ct_len);
		flipped[ct_len - 1] ^= 1;
		if (fscrypt_ext_nokey_name_matches(&nk, flipped, ct_len))
			kat_fail(v, "matches() accepts the ciphertext with its last byte changed");
	}
	return kat_verdict(v);
}
