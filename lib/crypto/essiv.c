/* CBC-ESSIV(SHA-256) over AES, as the kernel's essiv(cbc(aes),sha256): the IV is encrypted with AES-256 keyed by SHA-256 of the key. */
#include "essiv.h"

#include <sodium.h>


int fscrypt_ext__essiv_setkeys(struct fscrypt_ext__aes_key *data, struct fscrypt_ext__aes_key *essiv, const uint8_t *key,
			       size_t key_len)
{
	uint8_t salt[crypto_hash_sha256_BYTES];
	int err;

	err = fscrypt_ext__aes_setkey(data, key, key_len);
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (crypto_hash_sha256(salt, key, key_len) != 0) {
		fscrypt_ext__aes_key_wipe(data);
		return FSCRYPT_EXT_ERR_CRYPTO;
	}
	/* The ESSIV key only ever encrypts IVs: no decryption schedule. */
	err = fscrypt_ext__aes_setkey_ex(essiv, salt, sizeof(salt), NULL, FSCRYPT_EXT__AES_ENC_ONLY);
	fscrypt_ext__wipe(salt, sizeof(salt));
	if (err != FSCRYPT_EXT_OK)
		fscrypt_ext__aes_key_wipe(data);
	return err;
}

void fscrypt_ext__essiv_iv(const struct fscrypt_ext__aes_key *essiv, const uint8_t iv[16], uint8_t out[16])
{
	fscrypt_ext__aes_ecb_encrypt(essiv, iv, out, 1);
}

void fscrypt_ext__essiv_encrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t chain[16];

	fscrypt_ext__essiv_iv(essiv, iv, chain);
	fscrypt_ext__aes_cbc_encrypt(data, chain, in, out, len / 16);
	fscrypt_ext__wipe(chain, sizeof(chain));
}

void fscrypt_ext__essiv_decrypt(const struct fscrypt_ext__aes_key *data, const struct fscrypt_ext__aes_key *essiv,
				const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t chain[16];

	fscrypt_ext__essiv_iv(essiv, iv, chain);
	fscrypt_ext__aes_cbc_decrypt(data, chain, in, out, len / 16);
	fscrypt_ext__wipe(chain, sizeof(chain));
}
