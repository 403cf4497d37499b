/* Internal declarations of the x86 AES backends (AES-NI here; VAES+AVX2 in its own file). */
#ifndef FSCRYPT_EXT_X86_AES_X86_H
#define FSCRYPT_EXT_X86_AES_X86_H

#include "crypto/aes.h"

#if defined(FSCRYPT_EXT_HAVE_AESNI)
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_aesni;
/* AES-NI key schedules into u.hw (enc, and dec for AESDEC); the VAES backend shares the u.hw layout. Callers check the CPU. */
void fscrypt_ext__aesni_expand_key(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len);
void fscrypt_ext__aesni_expand_key_enc(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len);
#endif
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_vaes_avx2;
#endif
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_vaes_avx512;
#endif

#endif
