/* google/fscrypt key wrapping: HKDF-SHA256 stretch, AES-256-CTR, HMAC-SHA256 (encrypt-then-MAC); descriptors. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sodium.h>

#include "gf_internal.h"

int fscrypt_ext__gf_init(void)
{
	return sodium_init() < 0 ? FSCRYPT_EXT_ERR_CRYPTO : FSCRYPT_EXT_OK;
}

void *fscrypt_ext__gf_secure_alloc(size_t n)
{
	void *p;

	if (fscrypt_ext__gf_init() != FSCRYPT_EXT_OK)
		return NULL;
	p = sodium_malloc(n);
	if (p != NULL)
		sodium_memzero(p, n);
	return p;
}

void fscrypt_ext__gf_secure_free(void *p)
{
	sodium_free(p); /* wipes; NULL is fine */
}

/* Derived keys and MAC state of one wrap or unwrap, all in guarded memory. */
struct scratch {
	uint8_t okm[64]; /* encryption key || authentication key */
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
};

/*
 * stretchKey (crypto.go): HKDF-SHA256 with no salt (RFC 5869: HashLen zero bytes) and
 * an empty info, 64 bytes: the first 32 encrypt (AES-256-CTR), the last 32 authenticate.
 */
static int stretch(const uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE], uint8_t okm[64])
{
	static const uint8_t zero_salt[32];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5], *q = params;
	int ok = 0;

	if (kdf == NULL)
		return FSCRYPT_EXT_ERR_CRYPTO;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return FSCRYPT_EXT_ERR_CRYPTO;
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)wkey, FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)zero_salt, sizeof(zero_salt));
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)"", 0);
	*q = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, okm, 64, params) == 1;
	EVP_KDF_CTX_free(ctx); /* OpenSSL cleanses its copy of the key */
	return ok ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_CRYPTO;
}

/* AES-256-CTR with the whole 16-byte IV as the big-endian counter block (OpenSSL increments all 128 bits). */
static int ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0, ok;

	if (c == NULL)
		return FSCRYPT_EXT_ERR_CRYPTO;
	ok = EVP_EncryptInit_ex(c, EVP_aes_256_ctr(), NULL, key, iv) == 1 &&
	     EVP_EncryptUpdate(c, out, &n1, in, (int)len) == 1 && EVP_EncryptFinal_ex(c, out + n1, &n2) == 1 &&
	     (size_t)(n1 + n2) == len;
	EVP_CIPHER_CTX_free(c); /* cleanses the key schedule */
	return ok ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_CRYPTO;
}

static void mac(struct scratch *s, const uint8_t *iv, const uint8_t *enc, size_t enc_len)
{
	crypto_auth_hmacsha256_init(&s->st, s->okm + 32, 32);
	crypto_auth_hmacsha256_update(&s->st, iv, FSCRYPT_EXT_GF_IV_SIZE);
	crypto_auth_hmacsha256_update(&s->st, enc, enc_len);
	crypto_auth_hmacsha256_final(&s->st, s->mac);
}

int fscrypt_ext__gf_unwrap(const uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE],
			   const struct fscrypt_ext__gf_wrapped *w, uint8_t *out)
{
	struct scratch *s = fscrypt_ext__gf_secure_alloc(sizeof(*s));
	int err;

	if (s == NULL)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	err = stretch(wkey, s->okm);
	if (err == FSCRYPT_EXT_OK) {
		mac(s, w->iv, w->enc, w->enc_len);
		/* Authenticate first, in constant time; nothing is decrypted under a wrong key. */
		if (sodium_memcmp(s->mac, w->hmac, sizeof(s->mac)) != 0)
			err = FSCRYPT_EXT_ERR_WRONG_PASSPHRASE;
		else
			err = ctr(s->okm, w->iv, w->enc, w->enc_len, out);
	}
	if (err != FSCRYPT_EXT_OK)
		sodium_memzero(out, w->enc_len);
	fscrypt_ext__gf_secure_free(s);
	return err;
}

int fscrypt_ext__gf_wrap(const uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE], const uint8_t *plain, size_t len,
			 struct fscrypt_ext__gf_wrapped *w)
{
	struct scratch *s;
	int err;

	if (len > sizeof(w->enc))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	s = fscrypt_ext__gf_secure_alloc(sizeof(*s));
	if (s == NULL)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	randombytes_buf(w->iv, sizeof(w->iv));
	w->enc_len = len;
	err = stretch(wkey, s->okm);
	if (err == FSCRYPT_EXT_OK)
		err = ctr(s->okm, w->iv, plain, len, w->enc);
	if (err == FSCRYPT_EXT_OK) {
		mac(s, w->iv, w->enc, len);
		memcpy(w->hmac, s->mac, sizeof(w->hmac));
	}
	fscrypt_ext__gf_secure_free(s);
	return err;
}

void fscrypt_ext__gf_double_sha512(const uint8_t *key, size_t len, uint8_t out[8])
{
	uint8_t *h = fscrypt_ext__gf_secure_alloc(2 * crypto_hash_sha512_BYTES);

	if (h == NULL) {
		/* Only a hash of a hash of the key reaches the stack; still wiped. */
		uint8_t a[crypto_hash_sha512_BYTES], b[crypto_hash_sha512_BYTES];

		crypto_hash_sha512(a, key, len);
		crypto_hash_sha512(b, a, sizeof(a));
		memcpy(out, b, 8);
		sodium_memzero(a, sizeof(a));
		sodium_memzero(b, sizeof(b));
		return;
	}
	crypto_hash_sha512(h, key, len);
	crypto_hash_sha512(h + crypto_hash_sha512_BYTES, h, crypto_hash_sha512_BYTES);
	memcpy(out, h + crypto_hash_sha512_BYTES, 8);
	fscrypt_ext__gf_secure_free(h);
}
