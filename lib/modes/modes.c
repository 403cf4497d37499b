/* The fscrypt mode table (the kernel's fscrypt_modes[] in fs/crypto/keysetup.c), the AES-XTS unit / AES-CTS hooks, and mode facts. */
#include "modes/modes.h"

static void aes_xts_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				 uint8_t *out, size_t len)
{
	fscrypt_ext__aes_xts_encrypt(&c->u.xts.data, fscrypt_ext__xts_tweak_key_const(c), iv, in, out, len);
}

static void aes_xts_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				 uint8_t *out, size_t len)
{
	fscrypt_ext__aes_xts_decrypt(&c->u.xts.data, fscrypt_ext__xts_tweak_key_const(c), iv, in, out, len);
}

/* Setkeys here run only from fscrypt_ext__cipher_init*, on a state it has just cleared (ZEROED). */
static int aes_256_cts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	return fscrypt_ext__aes_setkey_ex(&c->u.cts, key, 32, c->aes, FSCRYPT_EXT__AES_ZEROED);
}

static int aes_128_cts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key)
{
	return fscrypt_ext__aes_setkey_ex(&c->u.cts, key, 16, c->aes, FSCRYPT_EXT__AES_ZEROED);
}

/* Filenames: CBC-CS3 with the 16-byte IV of docs/iv-methods.md (index 0). */
static void aes_cts_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				 uint8_t *out, size_t len)
{
	fscrypt_ext__aes_cbc_cts_encrypt(&c->u.cts, iv, in, out, len);
}

static void aes_cts_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				 uint8_t *out, size_t len)
{
	fscrypt_ext__aes_cbc_cts_decrypt(&c->u.cts, iv, in, out, len);
}

/*
 * Indexed by the on-disk mode number. The hooks of the other modes live in
 * their own files under lib/modes/, declared in modes/modes.h.
 */
static const struct fscrypt_ext__mode mode_table[FSCRYPT_EXT_MODE_MAX + 1] = {
	[FSCRYPT_EXT_MODE_AES_256_XTS] = {
		.num = FSCRYPT_EXT_MODE_AES_256_XTS, .name = "AES-256-XTS",
		.key_size = 64, .security_strength = 32, .iv_size = 16,
		.setkey = fscrypt_ext__xts_setkey,
		.setkey_n = fscrypt_ext__xts_setkey_n,
		.state_size = fscrypt_ext__xts_state_size,
		.encrypt_unit = aes_xts_encrypt_unit,
		.decrypt_unit = aes_xts_decrypt_unit,
		.encrypt_units = fscrypt_ext__xts_encrypt_units,
		.decrypt_units = fscrypt_ext__xts_decrypt_units,
	},
	[FSCRYPT_EXT_MODE_AES_256_CTS] = {
		.num = FSCRYPT_EXT_MODE_AES_256_CTS, .name = "AES-256-CTS",
		.key_size = 32, .security_strength = 32, .iv_size = 16,
		.setkey = aes_256_cts_setkey,
		.encrypt_name = aes_cts_encrypt_name,
		.decrypt_name = aes_cts_decrypt_name,
	},
	[FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV] = {
		.num = FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV, .name = "AES-128-CBC-ESSIV",
		.key_size = 16, .security_strength = 16, .iv_size = 16,
		.setkey = fscrypt_ext__essiv_setkey,
		.encrypt_unit = fscrypt_ext__essiv_encrypt_unit,
		.decrypt_unit = fscrypt_ext__essiv_decrypt_unit,
		.encrypt_units = fscrypt_ext__essiv_encrypt_units,
	},
	[FSCRYPT_EXT_MODE_AES_128_CTS] = {
		.num = FSCRYPT_EXT_MODE_AES_128_CTS, .name = "AES-128-CTS",
		.key_size = 16, .security_strength = 16, .iv_size = 16,
		.setkey = aes_128_cts_setkey,
		.encrypt_name = aes_cts_encrypt_name,
		.decrypt_name = aes_cts_decrypt_name,
	},
	[FSCRYPT_EXT_MODE_SM4_XTS] = {
		.num = FSCRYPT_EXT_MODE_SM4_XTS, .name = "SM4-XTS",
		.key_size = 32, .security_strength = 16, .iv_size = 16,
		.setkey = fscrypt_ext__sm4_xts_setkey,
		.encrypt_unit = fscrypt_ext__sm4_xts_encrypt_unit,
		.decrypt_unit = fscrypt_ext__sm4_xts_decrypt_unit,
	},
	[FSCRYPT_EXT_MODE_SM4_CTS] = {
		.num = FSCRYPT_EXT_MODE_SM4_CTS, .name = "SM4-CTS",
		.key_size = 16, .security_strength = 16, .iv_size = 16,
		.setkey = fscrypt_ext__sm4_cts_setkey,
		.encrypt_name = fscrypt_ext__sm4_cts_encrypt_name,
		.decrypt_name = fscrypt_ext__sm4_cts_decrypt_name,
	},
	[FSCRYPT_EXT_MODE_ADIANTUM] = {
		.num = FSCRYPT_EXT_MODE_ADIANTUM, .name = "Adiantum",
		.key_size = 32, .security_strength = 32, .iv_size = 32,
		.setkey = fscrypt_ext__adiantum_mode_setkey,
		.encrypt_unit = fscrypt_ext__adiantum_mode_encrypt,
		.decrypt_unit = fscrypt_ext__adiantum_mode_decrypt,
		.encrypt_name = fscrypt_ext__adiantum_mode_encrypt,
		.decrypt_name = fscrypt_ext__adiantum_mode_decrypt,
	},
	[FSCRYPT_EXT_MODE_AES_256_HCTR2] = {
		.num = FSCRYPT_EXT_MODE_AES_256_HCTR2, .name = "AES-256-HCTR2",
		.key_size = 32, .security_strength = 32, .iv_size = 32,
		.setkey = fscrypt_ext__hctr2_mode_setkey,
		.encrypt_name = fscrypt_ext__hctr2_encrypt_name,
		.decrypt_name = fscrypt_ext__hctr2_decrypt_name,
	},
};

const struct fscrypt_ext__mode *fscrypt_ext__mode_get(unsigned int num)
{
	if (num > FSCRYPT_EXT_MODE_MAX || mode_table[num].name == NULL)
		return NULL;
	return &mode_table[num];
}

/* Which uses each mode is allowed for (Documentation/filesystems/fscrypt.rst, "Encryption modes and usage"). */
FSCRYPT_EXT_API int fscrypt_ext_mode_info(unsigned int mode, struct fscrypt_ext_mode_info *info)
{
	const struct fscrypt_ext__mode *m;

	if (info == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	m = fscrypt_ext__mode_get(mode);
	if (m == NULL)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	info->name = m->name;
	info->key_size = m->key_size;
	info->security_strength = m->security_strength;
	info->iv_size = m->iv_size;
	/* HCTR2 and the CTS modes are filenames-only; Adiantum does both. */
	info->for_contents = (mode == FSCRYPT_EXT_MODE_AES_256_XTS || mode == FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV ||
			      mode == FSCRYPT_EXT_MODE_SM4_XTS || mode == FSCRYPT_EXT_MODE_ADIANTUM);
	info->for_filenames = (mode == FSCRYPT_EXT_MODE_AES_256_CTS || mode == FSCRYPT_EXT_MODE_AES_128_CTS ||
			       mode == FSCRYPT_EXT_MODE_SM4_CTS || mode == FSCRYPT_EXT_MODE_ADIANTUM ||
			       mode == FSCRYPT_EXT_MODE_AES_256_HCTR2);
	return FSCRYPT_EXT_OK;
}
