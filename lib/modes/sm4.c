/* fscrypt modes 7 (SM4-XTS, contents) and 8 (SM4-CTS, filenames) on crypto/sm4.c, as the kernel's xts(sm4) and cts(cbc(sm4)). */
#include <assert.h>

#include "modes/modes.h"
#include "crypto/sm4.h"

struct sm4_xts_state {
	struct fscrypt_ext__sm4_key data;
	struct fscrypt_ext__sm4_key tweak;
};

static_assert(sizeof(struct sm4_xts_state) <= FSCRYPT_EXT__CIPHER_STATE_SIZE, "SM4-XTS state too large");
static_assert(sizeof(struct fscrypt_ext__sm4_key) <= FSCRYPT_EXT__CIPHER_STATE_SIZE, "SM4 key too large");


/* Mode 7: the 32-byte key is the data key followed by the tweak key, as xts(sm4) splits it. */
int fscrypt_ext__sm4_xts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	struct sm4_xts_state *s = (struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_setkey(&s->data, key);
	fscrypt_ext__sm4_setkey(&s->tweak, key + 16);
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__sm4_xts_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	const struct sm4_xts_state *s = (const struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_xts_encrypt(&s->data, &s->tweak, iv, in, out, len);
}

void fscrypt_ext__sm4_xts_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	const struct sm4_xts_state *s = (const struct sm4_xts_state *)c->u.state;

	fscrypt_ext__sm4_xts_decrypt(&s->data, &s->tweak, iv, in, out, len);
}

int fscrypt_ext__sm4_cts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	fscrypt_ext__sm4_setkey((struct fscrypt_ext__sm4_key *)c->u.state, key);
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__sm4_cts_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	fscrypt_ext__sm4_cbc_cts_encrypt((const struct fscrypt_ext__sm4_key *)c->u.state, iv, in, out, len);
}

void fscrypt_ext__sm4_cts_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len)
{
	fscrypt_ext__sm4_cbc_cts_decrypt((const struct fscrypt_ext__sm4_key *)c->u.state, iv, in, out, len);
}
