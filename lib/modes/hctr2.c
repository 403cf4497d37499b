/* fscrypt mode 10, AES-256-HCTR2 for filenames: the whole padded name is one wide block, the 32-byte IV its tweak. */
#include "modes/modes.h"
#include "crypto/hctr2.h"

_Static_assert(sizeof(struct fscrypt_ext__hctr2_key) <= FSCRYPT_EXT__CIPHER_STATE_SIZE, "HCTR2 state too large");

int fscrypt_ext__hctr2_mode_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	return fscrypt_ext__hctr2_setkey((struct fscrypt_ext__hctr2_key *)c->u.state, key, 32);
}

/* The whole padded name is one wide block, the 32-byte IV (docs/iv-methods.md) is the tweak. */
void fscrypt_ext__hctr2_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len)
{
	fscrypt_ext__hctr2_encrypt((const struct fscrypt_ext__hctr2_key *)c->u.state, iv, 32, in, out, len);
}

void fscrypt_ext__hctr2_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len)
{
	fscrypt_ext__hctr2_decrypt((const struct fscrypt_ext__hctr2_key *)c->u.state, iv, 32, in, out, len);
}
