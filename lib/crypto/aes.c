/* AES keys and the modes built on the backend table: ECB, CBC, XTS with stealing, CBC-CS3 (through crypto/blockmode.c). */
#include <stddef.h>
#include <string.h>

#include "crypto/aes.h"
#include "crypto/blockmode.h"
#include "crypto/dispatch.h"

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_selected(void)
{
	return fscrypt_ext__dispatch()->aes;
}

/* ---- keys ---- */

int fscrypt_ext__aes_setkey_ex(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
			       const struct fscrypt_ext__aes_impl *impl, unsigned int flags)
{
	if (impl == NULL)
		impl = fscrypt_ext__aes_selected();
	if (k == NULL || key == NULL || (key_len != 16 && key_len != 24 && key_len != 32) ||
	    (flags & ~(FSCRYPT_EXT__AES_ENC_ONLY | FSCRYPT_EXT__AES_ZEROED)) != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (!impl->available())
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if (!(flags & FSCRYPT_EXT__AES_ZEROED))
		memset(k, 0, sizeof(*k));
	if ((flags & FSCRYPT_EXT__AES_ENC_ONLY) && impl->expand_key_enc != NULL)
		impl->expand_key_enc(k, key, key_len);
	else
		impl->expand_key(k, key, key_len);
	k->rounds = (unsigned int)(key_len / 4 + 6);
	k->impl = impl;
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__aes_setkey_impl(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
				 const struct fscrypt_ext__aes_impl *impl)
{
	if (impl == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	return fscrypt_ext__aes_setkey_ex(k, key, key_len, impl, 0);
}

int fscrypt_ext__aes_setkey(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	return fscrypt_ext__aes_setkey_ex(k, key, key_len, NULL, 0);
}

void fscrypt_ext__aes_key_wipe(struct fscrypt_ext__aes_key *k)
{
	if (k != NULL)
		fscrypt_ext__wipe(k, sizeof(*k));
}

size_t fscrypt_ext__aes_key_size(const struct fscrypt_ext__aes_impl *impl, unsigned int flags)
{
	size_t used;

	if (impl == NULL)
		impl = fscrypt_ext__aes_selected();
	/* An encryption-only key falls back to expand_key where the backend has no expand_key_enc. */
	used = (flags & FSCRYPT_EXT__AES_ENC_ONLY) && impl->expand_key_enc != NULL ? impl->sched_enc_bytes
										   : impl->sched_bytes;
	if (used == 0 || used > sizeof(((struct fscrypt_ext__aes_key *)0)->u))
		used = sizeof(((struct fscrypt_ext__aes_key *)0)->u);
	return offsetof(struct fscrypt_ext__aes_key, u) + used;
}

int fscrypt_ext__aes_setkeys_256(struct fscrypt_ext__aes_key *const *k, const uint8_t *const *key, size_t n,
				 const struct fscrypt_ext__aes_impl *impl, unsigned int flags, uint32_t enc_only)
{
	if (impl == NULL)
		impl = fscrypt_ext__aes_selected();
	if (n > 32 || (n != 0 && (k == NULL || key == NULL)) ||
	    (flags & ~(FSCRYPT_EXT__AES_ENC_ONLY | FSCRYPT_EXT__AES_ZEROED)) != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (flags & FSCRYPT_EXT__AES_ENC_ONLY)
		enc_only = n == 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
	if (impl->expand_keys_256 == NULL || n < 2) {
		for (size_t i = 0; i < n; i++) {
			unsigned int f = flags | ((enc_only >> i) & 1 ? FSCRYPT_EXT__AES_ENC_ONLY : 0);
			int err = fscrypt_ext__aes_setkey_ex(k[i], key[i], 32, impl, f);

			if (err != FSCRYPT_EXT_OK)
				return err;
		}
		return FSCRYPT_EXT_OK;
	}
	if (!impl->available())
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	for (size_t i = 0; i < n; i++) {
		if (k[i] == NULL || key[i] == NULL)
			return FSCRYPT_EXT_ERR_INVALID_ARG;
		if (!(flags & FSCRYPT_EXT__AES_ZEROED))
			memset(k[i], 0, sizeof(*k[i]));
	}
	impl->expand_keys_256(k, key, n, enc_only);
	/* Its raw key words may have been spilled to its frame (under 400 bytes with GCC 12 on every x86 backend): clear what it left below ours. */
	fscrypt_ext__wipe_stack_small();
	for (size_t i = 0; i < n; i++) {
		k[i]->rounds = 14;
		k[i]->impl = impl;
	}
	return FSCRYPT_EXT_OK;
}

/* ---- the block-cipher view of an AES key, for the shared modes ---- */

static void aes_ecb_enc(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	k->impl->ecb_encrypt(k, in, out, nblocks);
}

static void aes_ecb_dec(const void *key, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	k->impl->ecb_decrypt(k, in, out, nblocks);
}

/* ECB only: what the shared code composes from when a backend has no dedicated CBC or XTS entry. */
static const struct fscrypt_ext__blockcipher aes_ecb_only = {
	.ecb_encrypt = aes_ecb_enc,
	.ecb_decrypt = aes_ecb_dec,
};

/* The backend's own CBC and whole-block XTS code where it has it (decided per key: keys remember their backend). */
static void aes_cbc_enc(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	if (k->impl->cbc_encrypt != NULL)
		k->impl->cbc_encrypt(k, iv, in, out, nblocks);
	else
		fscrypt_ext__bc_cbc_encrypt(&aes_ecb_only, k, iv, in, out, nblocks);
}

static void aes_cbc_dec(const void *key, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	if (k->impl->cbc_decrypt != NULL)
		k->impl->cbc_decrypt(k, iv, in, out, nblocks);
	else
		fscrypt_ext__bc_cbc_decrypt(&aes_ecb_only, k, iv, in, out, nblocks);
}

static void aes_xts_enc(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	if (k->impl->xts_encrypt != NULL)
		k->impl->xts_encrypt(k, tweak, in, out, nblocks);
	else
		fscrypt_ext__bc_xts_blocks(&aes_ecb_only, k, tweak, in, out, nblocks, true);
}

static void aes_xts_dec(const void *key, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks)
{
	const struct fscrypt_ext__aes_key *k = key;

	if (k->impl->xts_decrypt != NULL)
		k->impl->xts_decrypt(k, tweak, in, out, nblocks);
	else
		fscrypt_ext__bc_xts_blocks(&aes_ecb_only, k, tweak, in, out, nblocks, false);
}

const struct fscrypt_ext__blockcipher fscrypt_ext__aes_blockcipher = {
	.ecb_encrypt = aes_ecb_enc,
	.ecb_decrypt = aes_ecb_dec,
	.cbc_encrypt = aes_cbc_enc,
	.cbc_decrypt = aes_cbc_dec,
	.xts_encrypt = aes_xts_enc,
	.xts_decrypt = aes_xts_dec,
};

void fscrypt_ext__aes_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	k->impl->ecb_encrypt(k, in, out, nblocks);
}

void fscrypt_ext__aes_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	k->impl->ecb_decrypt(k, in, out, nblocks);
}

void fscrypt_ext__aes_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	aes_cbc_enc(k, iv, in, out, nblocks);
}

void fscrypt_ext__aes_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	aes_cbc_dec(k, iv, in, out, nblocks);
}

void fscrypt_ext__aes_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	if (k->impl->cbc_encrypt_multi != NULL) {
		k->impl->cbc_encrypt_multi(k, ivs, in, out, nblocks, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		aes_cbc_enc(k, ivs[i], in[i], out[i], nblocks);
}

void fscrypt_ext__aes_xts_encrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	fscrypt_ext__bc_xts_encrypt(&fscrypt_ext__aes_blockcipher, data_key, tweak_key, iv, in, out, len);
}

void fscrypt_ext__aes_xts_decrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	fscrypt_ext__bc_xts_decrypt(&fscrypt_ext__aes_blockcipher, data_key, tweak_key, iv, in, out, len);
}

void fscrypt_ext__aes_cbc_cts_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	fscrypt_ext__bc_cbc_cts_encrypt(&fscrypt_ext__aes_blockcipher, k, iv, in, out, len);
}

void fscrypt_ext__aes_cbc_cts_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	fscrypt_ext__bc_cbc_cts_decrypt(&fscrypt_ext__aes_blockcipher, k, iv, in, out, len);
}
