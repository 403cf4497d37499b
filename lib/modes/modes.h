/* Internal: the fscrypt mode hooks behind the mode table (lib/modes/modes.c), one file per cipher family. */
#ifndef FSCRYPT_EXT_MODES_MODES_H
#define FSCRYPT_EXT_MODES_MODES_H

#include "cipher.h"

/*
 * AES-256-XTS (mode 1) state: the tweak key of c (ENC_ONLY) sits right after
 * the data key's schedule as the data key's backend lays it out, rounded to
 * 64 bytes, so a per-extent object ends where the tweak schedule ends.
 */
struct fscrypt_ext__aes_key *fscrypt_ext__xts_tweak_key(struct fscrypt_ext__cipher *c,
							 const struct fscrypt_ext__aes_impl *aes);
const struct fscrypt_ext__aes_key *fscrypt_ext__xts_tweak_key_const(const struct fscrypt_ext__cipher *c);
/* The bytes of c->u an AES-256-XTS state uses with backend aes. */
size_t fscrypt_ext__xts_state_size(const struct fscrypt_ext__aes_impl *aes);
/* setkey and setkey_n of mode 1 (data and tweak keys of all states expanded in one batch). */
int fscrypt_ext__xts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
int fscrypt_ext__xts_setkey_n(struct fscrypt_ext__cipher *const *c, const uint8_t *const *key, size_t n);

/* AES-256-XTS (mode 1) over several data units per call, their tweaks encrypted together (modes/aes_xts.c). */
void fscrypt_ext__xts_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n);
void fscrypt_ext__xts_decrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				    uint8_t *out, size_t len, size_t n);

/* AES-128-CBC-ESSIV (mode 5), state in c->u.essiv (modes/aes_essiv.c). */
int fscrypt_ext__essiv_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__essiv_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);
void fscrypt_ext__essiv_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);
void fscrypt_ext__essiv_encrypt_units(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in,
				      uint8_t *out, size_t len, size_t n);

/* SM4-XTS (mode 7, contents) and SM4-CTS (mode 8, filenames), state in c->u.state (modes/sm4.c). */
int fscrypt_ext__sm4_xts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__sm4_xts_encrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len);
void fscrypt_ext__sm4_xts_decrypt_unit(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len);
int fscrypt_ext__sm4_cts_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__sm4_cts_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len);
void fscrypt_ext__sm4_cts_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				       uint8_t *out, size_t len);

/* Adiantum (mode 9): the whole 32-byte IV is the tweak, for contents and filenames alike (modes/adiantum.c). */
int fscrypt_ext__adiantum_mode_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__adiantum_mode_encrypt(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
					uint8_t *out, size_t len);
void fscrypt_ext__adiantum_mode_decrypt(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
					uint8_t *out, size_t len);

/* AES-256-HCTR2 (mode 10, filenames only): 32-byte IV as the tweak (modes/hctr2.c). */
int fscrypt_ext__hctr2_mode_setkey(struct fscrypt_ext__cipher *c, const uint8_t *key);
void fscrypt_ext__hctr2_encrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);
void fscrypt_ext__hctr2_decrypt_name(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in,
				     uint8_t *out, size_t len);

#endif
