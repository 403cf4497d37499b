/* Internal AES additions beyond aes.h: backend selection (backend.c, tests) and batched CBC encryption. */
#ifndef FSCRYPT_EXT_CRYPTO_AES_DISPATCH_H
#define FSCRYPT_EXT_CRYPTO_AES_DISPATCH_H

#include "crypto/aes.h"

/* The compiled-in backend with this name, or NULL. */
const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_find(const char *name);
/* The best backend this CPU can run (ignores FSCRYPT_EXT_BACKEND). */
const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_auto(void);
/* Makes impl the backend new keys use; NULL restores the automatic choice. */
void fscrypt_ext__aes_select(const struct fscrypt_ext__aes_impl *impl);

/*
 * n independent CBC encryptions of nblocks blocks each (ESSIV units or names
 * in a batch); ivs[i] is updated to stream i's last ciphertext block. Uses
 * the backend's interleaved code when it has one.
 */
void fscrypt_ext__aes_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n);

#endif
