/*
 * libfscrypt-ext: the cryptographic building blocks, one-shot, for
 * known-answer tests and for tools. Filesystem code should use inode.h.
 * All functions accept in == out. Errors: INVALID_ARG for a NULL pointer, a
 * key length the function does not take, or a message below its minimum
 * length; ALIGNMENT where whole 16-byte blocks are required (ECB, ESSIV).
 */
#ifndef FSCRYPT_EXT_PRIMITIVES_H
#define FSCRYPT_EXT_PRIMITIVES_H

#include <fscrypt_ext/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* AES-128/192/256 (key_len 16/24/32) on whole blocks; len a multiple of 16 (else ALIGNMENT). */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_ecb_encrypt(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_ecb_decrypt(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out, size_t len);

/* AES-XTS (IEEE 1619), key_len 32 (AES-128) or 64 (AES-256), len >= 16, with ciphertext stealing. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_xts_encrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
			    const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_xts_decrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
			    const uint8_t *in, uint8_t *out, size_t len);

/* AES-CBC-CS3 as Linux cts(cbc(aes)), key_len 16/24/32, len >= 16. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_cbc_cts_encrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
				const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_cbc_cts_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
				const uint8_t *in, uint8_t *out, size_t len);

/* RFC 5869 HKDF with SHA-512; salt may be NULL/0 (no salt). okm_len <= 255 * 64. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_hkdf_sha512(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt, size_t salt_len,
			const uint8_t *info, size_t info_len, uint8_t *okm, size_t okm_len);

/* SipHash-2-4 with a 16-byte key; the 8-byte output read as a little-endian u64. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len, uint64_t *hash);


/*
 * AES-128-CBC-ESSIV(SHA-256) as Linux essiv(cbc(aes),sha256): the IV is first
 * encrypted with AES-256 keyed by SHA-256(key). key 16 bytes; len a multiple of 16.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_cbc_essiv_encrypt(const uint8_t key[16], const uint8_t iv[16],
				  const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_aes_cbc_essiv_decrypt(const uint8_t key[16], const uint8_t iv[16],
				  const uint8_t *in, uint8_t *out, size_t len);

/*
 * Adiantum with XChaCha12 and AES-256 (Linux adiantum(xchacha12,aes)); key 32
 * bytes; fscrypt always uses a 32-byte tweak; len >= 16.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_adiantum_encrypt(const uint8_t key[32], const uint8_t *tweak, size_t tweak_len,
			     const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_adiantum_decrypt(const uint8_t key[32], const uint8_t *tweak, size_t tweak_len,
			     const uint8_t *in, uint8_t *out, size_t len);

/* HCTR2 with AES (key_len 16/24/32; fscrypt uses AES-256 and a 32-byte tweak); len >= 16. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_hctr2_encrypt(const uint8_t *key, size_t key_len, const uint8_t *tweak, size_t tweak_len,
			  const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_hctr2_decrypt(const uint8_t *key, size_t key_len, const uint8_t *tweak, size_t tweak_len,
			  const uint8_t *in, uint8_t *out, size_t len);

/* SM4-XTS (key_len 32) with ciphertext stealing, len >= 16; SM4-CBC-CS3 (key_len 16), len >= 16. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_sm4_xts_encrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
			    const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_sm4_xts_decrypt(const uint8_t *key, size_t key_len, const uint8_t tweak[16],
			    const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_sm4_cbc_cts_encrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
				const uint8_t *in, uint8_t *out, size_t len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_sm4_cbc_cts_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
				const uint8_t *in, uint8_t *out, size_t len);

#ifdef __cplusplus
}
#endif
#endif
