/* fscrypt mode 9, Adiantum: the key lives in the cipher state and the 32-byte IV is the tweak, for contents and names alike. */
#include "modes/modes.h"
#include "crypto/adiantum.h"

_Static_assert(sizeof(struct fscrypt_ext__adiantum_key) <= FSCRYPT_EXT__CIPHER_STATE_SIZE,
	       "the Adiantum key must fit in struct fscrypt_ext__cipher");
_Static_assert(_Alignof(struct fscrypt_ext__adiantum_key) <= 64, "u.state is only 64-byte aligned");

static struct fscrypt_ext__adiantum_key *mode_key(struct fscrypt_ext__cipher *c)
{
	return (struct fscrypt_ext__adiantum_key *)(void *)c->u.state;
}

static const struct fscrypt_ext__adiantum_key *mode_key_const(const struct fscrypt_ext__cipher *c)
{
	return (const struct fscrypt_ext__adiantum_key *)(const void *)c->u.state;
}

int fscrypt_ext__adiantum_mode_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	return fscrypt_ext__adiantum_setkey(mode_key(c), key);
}

/* fscrypt passes its whole 32-byte IV (docs/iv-methods.md) as the tweak; data units and names are one wide block each. */
void fscrypt_ext__adiantum_mode_encrypt(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
					uint8_t *out, size_t len)
{
	fscrypt_ext__adiantum_encrypt(mode_key_const(c), iv, FSCRYPT_EXT__MAX_IV_SIZE, in, out, len);
}

void fscrypt_ext__adiantum_mode_decrypt(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
					uint8_t *out, size_t len)
{
	fscrypt_ext__adiantum_decrypt(mode_key_const(c), iv, FSCRYPT_EXT__MAX_IV_SIZE, in, out, len);
}
