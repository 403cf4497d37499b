/* A raw fscrypt HKDF-SHA512 derivation from a prepared master key (tools, known-answer tests, benchmarks). */
#include "key.h"

#define DERIVE_MAX (255 * 64)

FSCRYPT_EXT_API int fscrypt_ext_master_key_derive(const fscrypt_ext_master_key *mk, uint8_t context,
						  const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
	if (mk == NULL || out == NULL || out_len == 0 || out_len > DERIVE_MAX || (info == NULL && info_len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* The PRK-keyed HMAC state was prepared at import: this costs two SHA-512 compressions for out_len <= 64. */
	return fscrypt_ext__hkdf_expand(fscrypt_ext__master_key_hkdf(mk), context, info, info_len, out, out_len);
}

FSCRYPT_EXT_API int fscrypt_ext_master_key_derive_batch(const fscrypt_ext_master_key *mk, uint8_t context,
							const uint8_t *const *infos, size_t info_len, uint8_t *const *outs,
							size_t out_len, size_t n)
{
	if (mk == NULL || (n != 0 && (infos == NULL || outs == NULL)) || out_len == 0 || out_len > DERIVE_MAX)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* Side by side: one multi-buffer SHA-512 call per 4 or 8 keys (hkdf.c checks each pointer). */
	return fscrypt_ext__hkdf_expand_n(fscrypt_ext__master_key_hkdf(mk), context, infos, info_len, outs, out_len, n);
}
