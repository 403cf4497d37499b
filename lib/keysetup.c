/* Every fscrypt key derivation: v1 AES-128-ECB KDF, v1/v2 DIRECT_KEY, HKDF contexts 2-7, inode hashing (the kernel's fs/crypto/keysetup.c, keysetup_v1.c). */
#include "keysetup.h"
#include "key.h"

int fscrypt_ext__derive_v1_key(const uint8_t *mk, size_t mk_len, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
			       uint8_t *out, size_t key_size)
{
	struct fscrypt_ext__aes_key k;
	int err;

	if (key_size == 0 || key_size % 16 != 0 || key_size > mk_len)
		return FSCRYPT_EXT_ERR_KEY_SIZE;
	err = fscrypt_ext__aes_setkey(&k, nonce, FSCRYPT_EXT_NONCE_SIZE);
	if (err == FSCRYPT_EXT_OK)
		fscrypt_ext__aes_ecb_encrypt(&k, mk, out, key_size / 16);
	fscrypt_ext__aes_key_wipe(&k);
	return err;
}

int fscrypt_ext__derive_per_file_key(const struct fscrypt_ext__hkdf *h, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
				     uint8_t *out, size_t key_size)
{
	return fscrypt_ext__hkdf_expand(h, FSCRYPT_EXT__HKDF_PER_FILE_KEY, nonce, FSCRYPT_EXT_NONCE_SIZE, out, key_size);
}

int fscrypt_ext__derive_direct_key(const struct fscrypt_ext__hkdf *h, uint8_t mode, uint8_t *out, size_t key_size)
{
	return fscrypt_ext__hkdf_expand(h, FSCRYPT_EXT__HKDF_DIRECT_KEY, &mode, 1, out, key_size);
}

int fscrypt_ext__derive_iv_ino_lblk_key(const struct fscrypt_ext__hkdf *h, uint8_t context, uint8_t mode,
					const uint8_t uuid[16], uint8_t *out, size_t key_size)
{
	uint8_t info[17];

	info[0] = mode;
	memcpy(info + 1, uuid, 16);
	return fscrypt_ext__hkdf_expand(h, context, info, sizeof(info), out, key_size);
}

int fscrypt_ext__derive_dirhash_key(const struct fscrypt_ext__hkdf *h, const uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE],
				    uint8_t out[FSCRYPT_EXT__SIPHASH_KEY_SIZE])
{
	return fscrypt_ext__hkdf_expand(h, FSCRYPT_EXT__HKDF_DIRHASH_KEY, nonce, FSCRYPT_EXT_NONCE_SIZE, out,
					FSCRYPT_EXT__SIPHASH_KEY_SIZE);
}

int fscrypt_ext__derive_inode_hash_key(const struct fscrypt_ext__hkdf *h, uint8_t out[FSCRYPT_EXT__SIPHASH_KEY_SIZE])
{
	return fscrypt_ext__hkdf_expand(h, FSCRYPT_EXT__HKDF_INODE_HASH_KEY, NULL, 0, out, FSCRYPT_EXT__SIPHASH_KEY_SIZE);
}

/* The kernel's siphash_1u64(ino, key) equals SipHash-2-4 of the 8 bytes le64(ino). */
uint32_t fscrypt_ext__hash_ino(const uint8_t key[FSCRYPT_EXT__SIPHASH_KEY_SIZE], uint64_t ino)
{
	uint8_t msg[8];

	fscrypt_ext__put_le64(msg, ino);
	return (uint32_t)fscrypt_ext__siphash(key, msg, sizeof(msg));
}

int fscrypt_ext__check_master_key_size(uint8_t ctx_version, const struct fscrypt_ext__mode *m, size_t mk_len)
{
	size_t need = ctx_version == FSCRYPT_EXT_CONTEXT_V1 ? m->key_size : m->security_strength;

	return mk_len >= need ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_KEY_SIZE;
}

/* v1 (keysetup_v1.c): DIRECT_KEY uses the raw key bytes as is; otherwise the AES-ECB KDF. */
static int derive_v1(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
		     const struct fscrypt_ext__mode *m, uint8_t *key)
{
	size_t mk_len;
	const uint8_t *raw = fscrypt_ext__master_key_raw(mk, &mk_len);

	if (mk_len < m->key_size)
		return FSCRYPT_EXT_ERR_KEY_SIZE;
	if (ctx->flags & FSCRYPT_EXT_FLAG_DIRECT_KEY) {
		memcpy(key, raw, m->key_size);
		return FSCRYPT_EXT_OK;
	}
	return fscrypt_ext__derive_v1_key(raw, mk_len, ctx->nonce, key, m->key_size);
}

/* fscrypt_setup_v2_file_key(): one key per policy flag type, else per file. */
static int derive_v2(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext__hkdf *h,
		     const struct fscrypt_ext__mode *m, const uint8_t uuid[16], uint8_t *key)
{
	if (ctx->flags & FSCRYPT_EXT_FLAG_DIRECT_KEY)
		return fscrypt_ext__derive_direct_key(h, m->num, key, m->key_size);
	if (ctx->flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64)
		return fscrypt_ext__derive_iv_ino_lblk_key(h, FSCRYPT_EXT__HKDF_IV_INO_LBLK_64, m->num, uuid, key,
							   m->key_size);
	if (ctx->flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32)
		return fscrypt_ext__derive_iv_ino_lblk_key(h, FSCRYPT_EXT__HKDF_IV_INO_LBLK_32, m->num, uuid, key,
							   m->key_size);
	return fscrypt_ext__derive_per_file_key(h, ctx->nonce, key, m->key_size);
}

/* IV_INO_LBLK_32: hashed_ino under the master key's inode hash key (context 7). */
static int setup_hashed_ino(const struct fscrypt_ext__hkdf *h, uint64_t ino, uint32_t *hashed)
{
	uint8_t hkey[FSCRYPT_EXT__SIPHASH_KEY_SIZE];
	int err = fscrypt_ext__derive_inode_hash_key(h, hkey);

	if (err == FSCRYPT_EXT_OK)
		*hashed = fscrypt_ext__hash_ino(hkey, ino);
	fscrypt_ext__wipe(hkey, sizeof(hkey));
	return err;
}

int fscrypt_ext__setup_inode_keys(const struct fscrypt_ext_context *ctx, const fscrypt_ext_master_key *mk,
				  const struct fscrypt_ext__mode *m, bool is_dir, uint64_t ino,
				  const uint8_t uuid[16], struct fscrypt_ext__inode_keys *out)
{
	uint8_t key[FSCRYPT_EXT__MAX_MODE_KEY_SIZE];
	const struct fscrypt_ext__hkdf *h = fscrypt_ext__master_key_hkdf(mk);
	int err;

	if (m->key_size > sizeof(key))
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if (m->setkey == NULL)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V1)
		err = derive_v1(ctx, mk, m, key);
	else
		err = derive_v2(ctx, h, m, uuid, key);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__cipher_init(&out->cipher, m, key);
	fscrypt_ext__wipe(key, sizeof(key));
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V2 && (ctx->flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32))
		err = setup_hashed_ino(h, ino, &out->hashed_ino);
	/* The kernel derives it only for casefolded directories; it is cheap and any v2 directory may need it. */
	if (err == FSCRYPT_EXT_OK && is_dir && ctx->version == FSCRYPT_EXT_CONTEXT_V2) {
		err = fscrypt_ext__derive_dirhash_key(h, ctx->nonce, out->dirhash_key);
		out->has_dirhash_key = err == FSCRYPT_EXT_OK;
	}
	if (err != FSCRYPT_EXT_OK)
		fscrypt_ext__wipe(out, sizeof(*out));
	return err;
}

bool fscrypt_ext__inode_keys_per_file(const struct fscrypt_ext_context *ctx)
{
	return ctx->version == FSCRYPT_EXT_CONTEXT_V2 &&
	       !(ctx->flags & (FSCRYPT_EXT_FLAG_DIRECT_KEY | FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 |
			       FSCRYPT_EXT_FLAG_IV_INO_LBLK_32));
}

int fscrypt_ext__setup_inode_keys_derived(const struct fscrypt_ext__mode *m, const uint8_t *key,
					  const uint8_t *dirhash_key, struct fscrypt_ext__inode_keys *out)
{
	int err;

	if (m->setkey == NULL || m->key_size > FSCRYPT_EXT__MAX_MODE_KEY_SIZE)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	err = fscrypt_ext__cipher_init(&out->cipher, m, key);
	if (err == FSCRYPT_EXT_OK && dirhash_key != NULL) {
		memcpy(out->dirhash_key, dirhash_key, FSCRYPT_EXT__SIPHASH_KEY_SIZE);
		out->has_dirhash_key = true;
	}
	return err;
}
