/* Extent infos: per-extent keys (btrfs series v6, NOT upstream), reference counting, extent contents (docs/per-extent-keys.md). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "extent.h"
#include "cipher.h"
#include "hkdf.h"
#include "key.h"
#include "policy_internal.h"

/*
 * Allocated only as far as its cipher state uses (info_size): an
 * AES-256-XTS info on the AES-NI/VAES backends is 1 KiB instead of the 6 KiB
 * a full struct needs (a 4 KiB state for Adiantum/HCTR2/SM4). Loading a
 * file's thousands of extents is bounded by that memory traffic.
 */
struct fscrypt_ext_extent_info {
	atomic_uint refs;
	unsigned int du_bits;
	uint32_t size; /* bytes allocated, wiped and freed */
	struct fscrypt_ext__key_entry *entry; /* active reference on the master key, or NULL */
	struct fscrypt_ext_extent_context ctx;
	struct fscrypt_ext__cipher cipher; /* last: ends where its mode's state ends */
};

/* Bytes of an info for mode m whose AES keys use backend aes. */
static size_t info_size(const struct fscrypt_ext__mode *m, const struct fscrypt_ext__aes_impl *aes)
{
	return offsetof(struct fscrypt_ext_extent_info, cipher) + fscrypt_ext__cipher_size(m, aes);
}

/*
 * A zeroed info of size bytes (info_size(m, aes)) with its size recorded and
 * its AES backend pinned (the size depends on it), or NULL.
 */
static fscrypt_ext_extent_info *info_alloc(size_t size, const struct fscrypt_ext__aes_impl *aes)
{
	fscrypt_ext_extent_info *ei = fscrypt_ext__alloc_secret(size);

	if (ei != NULL) {
		ei->size = (uint32_t)size;
		ei->cipher.aes = aes;
	}
	return ei;
}

unsigned int fscrypt_ext__extent_du_bits(const struct fscrypt_ext_context *inode_ctx,
					 const struct fscrypt_ext_fs_info *fs)
{
	return fscrypt_ext__context_du_bits(inode_ctx, fs);
}

/*
 * extent key = HKDF-Expand(PRK(mk), "fscrypt\0" || FSCRYPT_EXT__HKDF_PER_EXTENT_KEY
 * || nonce, contents mode key size). The context byte 9 follows the posted
 * btrfs v6 series (v5: 8); it is NOT upstream and lives only in lib/hkdf.h.
 */
static int derive_extent_key(const fscrypt_ext_master_key *mk, const struct fscrypt_ext__mode *m,
			     const uint8_t nonce[FSCRYPT_EXT_EXTENT_NONCE_SIZE], struct fscrypt_ext__cipher *c)
{
	uint8_t key[FSCRYPT_EXT_MAX_KEY_SIZE];
	int err;

	err = fscrypt_ext__hkdf_expand(fscrypt_ext__master_key_hkdf(mk), FSCRYPT_EXT__HKDF_PER_EXTENT_KEY, nonce,
				       FSCRYPT_EXT_EXTENT_NONCE_SIZE, key, m->key_size);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__cipher_init_zeroed(c, m, key); /* c is in a fresh fscrypt_ext__alloc_secret block */
	fscrypt_ext__wipe(key, sizeof(key));
	return err;
}

int fscrypt_ext__extent_info_make(const struct fscrypt_ext_extent_context *ectx, unsigned int du_bits,
				  const fscrypt_ext_master_key *mk, struct fscrypt_ext__key_entry *entry,
				  fscrypt_ext_extent_info **out)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(ectx->contents_mode);
	const struct fscrypt_ext__aes_impl *aes;
	fscrypt_ext_extent_info *ei;
	int err;

	if (m == NULL || m->encrypt_unit == NULL || m->decrypt_unit == NULL || m->key_size > FSCRYPT_EXT_MAX_KEY_SIZE)
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if (memcmp(fscrypt_ext__master_key_id(mk), ectx->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
		return FSCRYPT_EXT_ERR_WRONG_KEY;
	aes = fscrypt_ext__aes_selected();
	ei = info_alloc(info_size(m, aes), aes);
	if (ei == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = derive_extent_key(mk, m, ectx->nonce, &ei->cipher);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext__free_secret(ei, ei->size);
		return err;
	}
	ei->ctx = *ectx;
	ei->du_bits = du_bits;
	ei->entry = entry;
	atomic_init(&ei->refs, 1);
	*out = ei;
	return FSCRYPT_EXT_OK;
}

/* The checks fscrypt_load_extent_info() makes, plus the inode's own validity on this filesystem. */
static int check_inode_and_extent(const struct fscrypt_ext_context *inode_ctx, const struct fscrypt_ext_fs_info *fs,
				  const struct fscrypt_ext_extent_context *ectx, unsigned int flags)
{
	int err = fscrypt_ext_extent_policy_check(inode_ctx);

	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_context_validate(inode_ctx, fs);
	if (err == FSCRYPT_EXT_OK && ectx != NULL)
		err = fscrypt_ext_extent_context_validate(ectx, inode_ctx, flags);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_info_load(const struct fscrypt_ext_context *inode_ctx,
						 const struct fscrypt_ext_fs_info *fs,
						 const struct fscrypt_ext_extent_context *ectx,
						 const fscrypt_ext_master_key *mk, unsigned int flags,
						 fscrypt_ext_extent_info **out)
{
	int err;

	if (inode_ctx == NULL || fs == NULL || ectx == NULL || mk == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = check_inode_and_extent(inode_ctx, fs, ectx, flags);
	if (err != FSCRYPT_EXT_OK)
		return err;
	return fscrypt_ext__extent_info_make(ectx, fscrypt_ext__extent_du_bits(inode_ctx, fs), mk, NULL, out);
}

FSCRYPT_EXT_API int fscrypt_ext_extent_info_new(const struct fscrypt_ext_context *inode_ctx,
						const struct fscrypt_ext_fs_info *fs,
						const fscrypt_ext_master_key *mk,
						struct fscrypt_ext_extent_context *ectx_out, fscrypt_ext_extent_info **out)
{
	struct fscrypt_ext_extent_context c;
	int err;

	if (inode_ctx == NULL || fs == NULL || mk == NULL || ectx_out == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = check_inode_and_extent(inode_ctx, fs, NULL, 0);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext_extent_context_new(inode_ctx, &c);
	if (err != FSCRYPT_EXT_OK)
		return err;
	err = fscrypt_ext__extent_info_make(&c, fscrypt_ext__extent_du_bits(inode_ctx, fs), mk, NULL, out);
	if (err == FSCRYPT_EXT_OK)
		*ectx_out = c;
	return err;
}

FSCRYPT_EXT_API fscrypt_ext_extent_info *fscrypt_ext_extent_info_get(fscrypt_ext_extent_info *ei)
{
	if (ei != NULL)
		atomic_fetch_add_explicit(&ei->refs, 1, memory_order_relaxed);
	return ei;
}

FSCRYPT_EXT_API void fscrypt_ext_extent_info_put(fscrypt_ext_extent_info *ei)
{
	struct fscrypt_ext__key_entry *entry;

	if (ei == NULL)
		return;
	/* acq_rel: every use by other holders happens before the wipe below. */
	if (atomic_fetch_sub_explicit(&ei->refs, 1, memory_order_acq_rel) != 1)
		return;
	entry = ei->entry;
	/* Wipes the whole object, the prepared key included. */
	fscrypt_ext__free_secret(ei, ei->size);
	if (entry != NULL)
		fscrypt_ext__key_entry_release(entry);
}

size_t fscrypt_ext__extent_info_alloc_size(const fscrypt_ext_extent_info *ei)
{
	return ei->size;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_info_context(const fscrypt_ext_extent_info *ei,
						    struct fscrypt_ext_extent_context *out)
{
	if (ei == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	*out = ei->ctx;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API size_t fscrypt_ext_extent_info_data_unit_size(const fscrypt_ext_extent_info *ei)
{
	return ei != NULL ? (size_t)1 << ei->du_bits : 0;
}

/*
 * docs/per-extent-keys.md: the DUN of a data unit is its index from the start of the extent,
 * alone in the IV (le64, rest zero): no nonce, no inode number.
 */
static void extent_unit_iv(const void *unused, uint64_t index, uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE])
{
	memset(iv, 0, FSCRYPT_EXT__MAX_IV_SIZE);
	fscrypt_ext__put_le64(iv, index);
}

static int extent_crypt(const fscrypt_ext_extent_info *ei, uint64_t extent_offset, const uint8_t *in, uint8_t *out,
			size_t len, bool encrypt)
{
	size_t du;

	if (ei == NULL || (len != 0 && (in == NULL || out == NULL)))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	du = (size_t)1 << ei->du_bits;
	if ((extent_offset & (du - 1)) != 0 || (len & (du - 1)) != 0)
		return FSCRYPT_EXT_ERR_ALIGNMENT;
	if (extent_offset + (uint64_t)len < extent_offset)
		return FSCRYPT_EXT_ERR_RANGE;
	return fscrypt_ext__cipher_crypt_units(&ei->cipher, extent_unit_iv, NULL, extent_offset >> ei->du_bits, in,
					       out, len, du, encrypt);
}

FSCRYPT_EXT_API int fscrypt_ext_extent_encrypt(const fscrypt_ext_extent_info *ei, uint64_t extent_offset,
					       const uint8_t *in, uint8_t *out, size_t len)
{
	return extent_crypt(ei, extent_offset, in, out, len, true);
}

FSCRYPT_EXT_API int fscrypt_ext_extent_decrypt(const fscrypt_ext_extent_info *ei, uint64_t extent_offset,
					       const uint8_t *in, uint8_t *out, size_t len)
{
	return extent_crypt(ei, extent_offset, in, out, len, false);
}

/* ---- batches: many extents of one file under one master key ---- */

#define EXTENT_BATCH 8

/*
 * Up to EXTENT_BATCH infos whose contexts are validated and name mk: their
 * keys come from one multi-buffer HKDF call (a key is at most 64 bytes: the
 * first HMAC block T(1), spec section 4), then each cipher is prepared in
 * its fresh secret block. All or nothing: on failure nothing is left.
 */
static int make_group(const struct fscrypt_ext_extent_context *ectxs, size_t n, unsigned int du_bits,
		      const fscrypt_ext_master_key *mk, struct fscrypt_ext__key_entry *const *entries,
		      fscrypt_ext_extent_info **out)
{
	uint8_t keys[EXTENT_BATCH][FSCRYPT_EXT_MAX_KEY_SIZE];
	const uint8_t *nonces[EXTENT_BATCH];
	uint8_t *okms[EXTENT_BATCH];
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(ectxs[0].contents_mode);
	const struct fscrypt_ext__aes_impl *aes = fscrypt_ext__aes_selected();
	const size_t size = info_size(m, aes);
	struct fscrypt_ext__cipher *ciphers[EXTENT_BATCH];
	void *blocks[EXTENT_BATCH];
	size_t i;
	int err = FSCRYPT_EXT_OK;

	for (i = 0; i < n; i++) {
		nonces[i] = ectxs[i].nonce;
		okms[i] = keys[i];
		out[i] = NULL;
	}
	err = fscrypt_ext__hkdf_expand_n(fscrypt_ext__master_key_hkdf(mk), FSCRYPT_EXT__HKDF_PER_EXTENT_KEY, nonces,
					 FSCRYPT_EXT_EXTENT_NONCE_SIZE, okms, m->key_size, n);
	if (err == FSCRYPT_EXT_OK) {
		size_t got = fscrypt_ext__alloc_secret_n(size, blocks, n);

		if (got != n) {
			for (i = 0; i < got; i++)
				fscrypt_ext__free_secret(blocks[i], size);
			err = FSCRYPT_EXT_ERR_NOMEM;
		}
	}
	for (i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		fscrypt_ext_extent_info *ei = blocks[i];

		ei->size = (uint32_t)size;
		ei->cipher.aes = aes;
		ei->ctx = ectxs[i];
		ei->du_bits = du_bits;
		atomic_init(&ei->refs, 1);
		out[i] = ei;
		ciphers[i] = &ei->cipher;
	}
	/* All keys of the group expanded together (the backend's batched AES key expansion). */
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__cipher_init_zeroed_n(ciphers, m, (const uint8_t *const *)okms, n);
	if (err == FSCRYPT_EXT_OK)
		for (i = 0; i < n; i++)
			out[i]->entry = entries != NULL ? entries[i] : NULL;
	if (err != FSCRYPT_EXT_OK) {
		/* The entries stay the caller's: detach them before freeing. */
		for (size_t j = 0; j < i; j++) {
			out[j]->entry = NULL;
			fscrypt_ext_extent_info_put(out[j]);
			out[j] = NULL;
		}
	}
	fscrypt_ext__wipe(keys, sizeof(keys));
	return err;
}

int fscrypt_ext__extent_info_make_batch(const struct fscrypt_ext_extent_context *ectxs, size_t n,
					unsigned int du_bits, const fscrypt_ext_master_key *mk,
					struct fscrypt_ext__key_entry *const *entries, fscrypt_ext_extent_info **out)
{
	size_t done = 0;
	int err = FSCRYPT_EXT_OK;

	for (size_t i = 0; i < n; i++) {
		const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(ectxs[i].contents_mode);

		if (m == NULL || m->encrypt_unit == NULL || m->decrypt_unit == NULL ||
		    m->key_size > FSCRYPT_EXT_MAX_KEY_SIZE)
			return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
		if (memcmp(fscrypt_ext__master_key_id(mk), ectxs[i].key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
			return FSCRYPT_EXT_ERR_WRONG_KEY;
		/* One mode per group (one key length per HKDF batch); a file's extents share its contents mode. */
		if (ectxs[i].contents_mode != ectxs[0].contents_mode)
			return FSCRYPT_EXT_ERR_EXTENT_MISMATCH;
	}
	while (done < n && err == FSCRYPT_EXT_OK) {
		size_t g = n - done < EXTENT_BATCH ? n - done : EXTENT_BATCH;

		err = make_group(ectxs + done, g, du_bits, mk, entries != NULL ? entries + done : NULL, out + done);
		if (err == FSCRYPT_EXT_OK)
			done += g;
	}
	if (err != FSCRYPT_EXT_OK) {
		for (size_t j = 0; j < done; j++) {
			out[j]->entry = NULL;
			fscrypt_ext_extent_info_put(out[j]);
			out[j] = NULL;
		}
	}
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_extent_info_load_batch(const struct fscrypt_ext_context *inode_ctx,
						       const struct fscrypt_ext_fs_info *fs,
						       const struct fscrypt_ext_extent_context *ectxs, size_t n,
						       const fscrypt_ext_master_key *mk, unsigned int flags,
						       fscrypt_ext_extent_info **out, size_t *failed)
{
	int err;

	if (failed != NULL)
		*failed = 0;
	if (inode_ctx == NULL || fs == NULL || (n != 0 && (ectxs == NULL || out == NULL)) || mk == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	err = check_inode_and_extent(inode_ctx, fs, NULL, flags);
	if (err != FSCRYPT_EXT_OK)
		return err;
	for (size_t i = 0; i < n; i++) {
		err = fscrypt_ext_extent_context_validate(&ectxs[i], inode_ctx, flags);
		if (err == FSCRYPT_EXT_OK &&
		    memcmp(fscrypt_ext__master_key_id(mk), ectxs[i].key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) != 0)
			err = FSCRYPT_EXT_ERR_WRONG_KEY;
		if (err != FSCRYPT_EXT_OK) {
			if (failed != NULL)
				*failed = i;
			return err;
		}
	}
	return fscrypt_ext__extent_info_make_batch(ectxs, n, fscrypt_ext__extent_du_bits(inode_ctx, fs), mk, NULL, out);
}
