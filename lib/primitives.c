/* Public one-shot primitives backed by libsodium: SipHash-2-4 (HKDF-SHA512 lives in hkdf.c). */
#include <sodium.h>

#include "internal.h"
#include "keysetup.h"
#include "fscrypt_ext/primitives.h"

/* libsodium reads the key as two little-endian words, as the kernel's siphash_key_t after le64_to_cpus. */
uint64_t fscrypt_ext__siphash(const uint8_t key[FSCRYPT_EXT__SIPHASH_KEY_SIZE], const uint8_t *msg, size_t len)
{
	uint8_t out[crypto_shorthash_siphash24_BYTES];

	/* It cannot fail; an empty message still needs a valid pointer. */
	(void)crypto_shorthash_siphash24(out, len ? msg : out, len, key);
	return fscrypt_ext__le64(out);
}

FSCRYPT_EXT_API int fscrypt_ext_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len, uint64_t *hash)
{
	int err;

	if (key == NULL || hash == NULL || (msg == NULL && len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	*hash = fscrypt_ext__siphash(key, msg, len);
	return FSCRYPT_EXT_OK;
}
