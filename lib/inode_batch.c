/* Opening many inodes of one directory under one master key at once: their per-file and dirhash keys derived side by side. */
#include <stdlib.h>

#include "inode_internal.h"
#include "key.h"

#define GROUP 8

/*
 * Up to GROUP checked per-file-key inodes: one multi-buffer HKDF call for
 * their per-file keys (64 bytes each: every mode's key is a prefix of T(1),
 * spec section 4) and one for the directories' dirhash keys, then each
 * inode object is prepared. On failure the caller frees out[0..n).
 */
static int open_group(const struct fscrypt_ext_context *ctxs, const enum fscrypt_ext_inode_type *types,
		      const uint64_t *inos, const struct fscrypt_ext__mode *const *modes, const size_t *idx, size_t n,
		      const fscrypt_ext_master_key *mk, const struct fscrypt_ext_fs_info *fs, fscrypt_ext_inode **out)
{
	const struct fscrypt_ext__hkdf *h = fscrypt_ext__master_key_hkdf(mk);
	uint8_t keys[GROUP][FSCRYPT_EXT__MAX_MODE_KEY_SIZE], dh[GROUP][FSCRYPT_EXT__SIPHASH_KEY_SIZE];
	const uint8_t *nonces[GROUP], *dir_nonces[GROUP];
	uint8_t *key_out[GROUP], *dh_out[GROUP];
	size_t ndirs = 0, i, nbatch = 0;
	const struct fscrypt_ext__mode *batch_mode = NULL;
	struct fscrypt_ext__cipher *batch_c[GROUP];
	const uint8_t *batch_k[GROUP];
	int err;

	for (i = 0; i < n; i++) {
		nonces[i] = ctxs[idx[i]].nonce;
		key_out[i] = keys[i];
		if (types[idx[i]] == FSCRYPT_EXT_INODE_DIR) {
			dir_nonces[ndirs] = ctxs[idx[i]].nonce;
			dh_out[ndirs++] = dh[i];
		}
	}
	err = fscrypt_ext__hkdf_expand_n(h, FSCRYPT_EXT__HKDF_PER_FILE_KEY, nonces, FSCRYPT_EXT_NONCE_SIZE, key_out,
					 FSCRYPT_EXT__MAX_MODE_KEY_SIZE, n);
	if (err == FSCRYPT_EXT_OK && ndirs)
		err = fscrypt_ext__hkdf_expand_n(h, FSCRYPT_EXT__HKDF_DIRHASH_KEY, dir_nonces, FSCRYPT_EXT_NONCE_SIZE,
						 dh_out, FSCRYPT_EXT__SIPHASH_KEY_SIZE, ndirs);
	for (i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		size_t k = idx[i];
		fscrypt_ext_inode *inode = fscrypt_ext__alloc_secret(sizeof(*inode));

		if (inode == NULL) {
			err = FSCRYPT_EXT_ERR_NOMEM;
			break;
		}
		out[k] = inode;
		if (types[k] != FSCRYPT_EXT_INODE_DIR && modes[k]->setkey_n != NULL &&
		    (batch_mode == NULL || batch_mode == modes[k])) {
			/* Set up below, with the other files of this mode. */
			batch_mode = modes[k];
			batch_c[nbatch] = &inode->keys.cipher;
			batch_k[nbatch++] = keys[i];
		} else {
			err = fscrypt_ext__setup_inode_keys_derived(modes[k], keys[i],
								    types[k] == FSCRYPT_EXT_INODE_DIR ? dh[i] : NULL,
								    &inode->keys);
		}
		if (err == FSCRYPT_EXT_OK)
			fscrypt_ext__inode_fill(inode, &ctxs[k], types[k], inos[k], fs);
	}
	/*
	 * The group's non-directories whose mode has a batched setkey (one mode:
	 * AES-256-XTS contents): their AES keys expanded together. The objects are fresh
	 * from fscrypt_ext__alloc_secret, so zeroed.
	 */
	if (err == FSCRYPT_EXT_OK && nbatch != 0)
		err = fscrypt_ext__cipher_init_zeroed_n(batch_c, batch_mode, batch_k, nbatch);
	fscrypt_ext__wipe(keys, sizeof(keys));
	fscrypt_ext__wipe(dh, sizeof(dh));
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_inode_open_batch(const struct fscrypt_ext_context *ctxs,
						 const enum fscrypt_ext_inode_type *types, const uint64_t *inos, size_t n,
						 const fscrypt_ext_master_key *mk, const struct fscrypt_ext_fs_info *fs,
						 fscrypt_ext_inode **out, size_t *failed)
{
	const struct fscrypt_ext__mode *modes_small[GROUP], **modes = modes_small;
	size_t idx[GROUP], g = 0, i, at = 0;
	int err = FSCRYPT_EXT_OK;

	if (failed != NULL)
		*failed = 0;
	if (n != 0 && (ctxs == NULL || types == NULL || inos == NULL || out == NULL))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (n > GROUP) {
		modes = calloc(n, sizeof(*modes));
		if (modes == NULL)
			return FSCRYPT_EXT_ERR_NOMEM;
	}
	/* Every inode is checked, in order, before any key is derived: the first failure is the one reported. */
	for (i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		err = fscrypt_ext__inode_check(&ctxs[i], mk, types[i], inos[i], fs, 0, &modes[i]);
		at = i;
	}
	for (i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		if (!fscrypt_ext__inode_keys_per_file(&ctxs[i])) {
			/* Policy-wide keys (DIRECT_KEY, IV_INO_LBLK_*) and v1: the single path. */
			err = fscrypt_ext_inode_open(&ctxs[i], mk, types[i], inos[i], fs, &out[i]);
			at = i;
			continue;
		}
		idx[g++] = i;
		if (g == GROUP || i + 1 == n) {
			err = open_group(ctxs, types, inos, modes, idx, g, mk, fs, out);
			at = idx[0];
			g = 0;
		}
	}
	if (err == FSCRYPT_EXT_OK && g != 0) {
		err = open_group(ctxs, types, inos, modes, idx, g, mk, fs, out);
		at = idx[0];
	}
	if (modes != modes_small)
		free(modes);
	if (err != FSCRYPT_EXT_OK) {
		if (failed != NULL)
			*failed = at;
		for (i = 0; i < n; i++) {
			fscrypt_ext_inode_free(out[i]);
			out[i] = NULL;
		}
	}
	return err;
}
