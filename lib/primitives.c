/* Public one-shot primitives backed by libsodium: SipHash-2-4 (HKDF-SHA512 lives in hkdf.c). */
#include <sodium.h>

#include "internal.h"
#include "fscrypt_ext/primitives.h"

FSCRYPT_EXT_API int fscrypt_ext_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len, uint64_t *hash)
{
	uint8_t out[crypto_shorthash_siphash24_BYTES];
	int err;

	if (key == NULL || hash == NULL || (msg == NULL && len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* libsodium reads the key as two little-endian words, as the kernel's siphash_key_t after le64_to_cpus. */
	if (crypto_shorthash_siphash24(out, len ? msg : out, len, key) != 0)
		return FSCRYPT_EXT_ERR_CRYPTO;
	*hash = fscrypt_ext__le64(out);
	return FSCRYPT_EXT_OK;
}
