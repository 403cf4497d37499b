/* Master keys: import into guarded memory, v2 identifier, conventional v1 descriptor (the kernel's fscrypt_init_hkdf() and FS_IOC_ADD_ENCRYPTION_KEY). */
#include <stdlib.h>

#include <sodium.h>

#include "key.h"

/* The e4crypt / google/fscrypt convention: SHA-512(SHA-512(key))[:8]. */
static void compute_descriptor(const uint8_t *raw, size_t len, uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE])
{
	uint8_t h[crypto_hash_sha512_BYTES];

	crypto_hash_sha512(h, raw, len);
	crypto_hash_sha512(h, h, sizeof(h));
	memcpy(desc, h, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	fscrypt_ext__wipe(h, sizeof(h));
}

static void master_key_release(fscrypt_ext_master_key *mk)
{
	/* sodium_free wipes before unmapping, even for read-only regions. */
	if (mk->raw != NULL)
		sodium_free(mk->raw);
	if (mk->hkdf != NULL)
		sodium_free(mk->hkdf);
	fscrypt_ext__wipe(mk, sizeof(*mk));
	free(mk);
}

static int master_key_setup(fscrypt_ext_master_key *mk, const uint8_t *raw, size_t len)
{
	int err;

	mk->raw = sodium_malloc(len);
	mk->hkdf = sodium_malloc(sizeof(*mk->hkdf));
	if (mk->raw == NULL || mk->hkdf == NULL)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	memcpy(mk->raw, raw, len);
	mk->raw_len = len;
	err = fscrypt_ext__hkdf_init(mk->hkdf, raw, len);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__hkdf_expand(mk->hkdf, FSCRYPT_EXT__HKDF_KEY_IDENTIFIER, NULL, 0, mk->identifier,
				       sizeof(mk->identifier));
	if (err != FSCRYPT_EXT_OK)
		return err;
	compute_descriptor(raw, len, mk->descriptor);
	if (sodium_mprotect_readonly(mk->raw) != 0 || sodium_mprotect_readonly(mk->hkdf) != 0)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_master_key_new(const uint8_t *raw, size_t len, fscrypt_ext_master_key **out)
{
	fscrypt_ext_master_key *mk;
	int err;

	if (raw == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (len < FSCRYPT_EXT_MIN_KEY_SIZE || len > FSCRYPT_EXT_MAX_KEY_SIZE)
		return FSCRYPT_EXT_ERR_KEY_SIZE;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	mk = calloc(1, sizeof(*mk));
	if (mk == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = master_key_setup(mk, raw, len);
	if (err != FSCRYPT_EXT_OK) {
		master_key_release(mk);
		return err;
	}
	*out = mk;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API void fscrypt_ext_master_key_free(fscrypt_ext_master_key *mk)
{
	if (mk != NULL)
		master_key_release(mk);
}

FSCRYPT_EXT_API size_t fscrypt_ext_master_key_size(const fscrypt_ext_master_key *mk)
{
	return mk != NULL ? mk->raw_len : 0;
}

FSCRYPT_EXT_API int fscrypt_ext_master_key_identifier(const fscrypt_ext_master_key *mk,
						      uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE])
{
	if (mk == NULL || id == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	memcpy(id, mk->identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_master_key_descriptor(const fscrypt_ext_master_key *mk,
						      uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE])
{
	if (mk == NULL || desc == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	memcpy(desc, mk->descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	return FSCRYPT_EXT_OK;
}

const struct fscrypt_ext__hkdf *fscrypt_ext__master_key_hkdf(const fscrypt_ext_master_key *mk)
{
	return mk->hkdf;
}

const uint8_t *fscrypt_ext__master_key_raw(const fscrypt_ext_master_key *mk, size_t *len)
{
	if (len != NULL)
		*len = mk->raw_len;
	return mk->raw;
}

const uint8_t *fscrypt_ext__master_key_id(const fscrypt_ext_master_key *mk)
{
	return mk->identifier;
}

const uint8_t *fscrypt_ext__master_key_desc(const fscrypt_ext_master_key *mk)
{
	return mk->descriptor;
}
