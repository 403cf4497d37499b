/* Internal to libfscrypt-ext-protector: parsed metadata structs and the helpers the files share. */
#ifndef FSCRYPT_EXT_GF_INTERNAL_H
#define FSCRYPT_EXT_GF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fscrypt_ext/protector.h>

#define FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE 8 /* bytes; 16 hex digits */

/* WrappedKeyData: IV || AES-256-CTR ciphertext, authenticated by an HMAC-SHA256 over both. */
struct fscrypt_ext__gf_wrapped {
	uint8_t iv[FSCRYPT_EXT_GF_IV_SIZE];
	uint8_t enc[FSCRYPT_EXT_GF_POLICY_KEY_SIZE]; /* 32 bytes used for protectors, 64 for policies */
	size_t enc_len;
	uint8_t hmac[FSCRYPT_EXT_GF_HMAC_SIZE];
};

struct fscrypt_ext_gf_protector {
	char desc[2 * FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE + 1];
	uint8_t desc_bytes[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE];
	int source;
	char *name; /* NUL-terminated copy, name_len bytes */
	size_t name_len;
	int64_t uid;
	bool has_costs;
	struct fscrypt_ext_gf_costs costs;
	bool has_salt;
	uint8_t salt[FSCRYPT_EXT_GF_SALT_SIZE];
	struct fscrypt_ext__gf_wrapped wrapped;
};

struct fscrypt_ext__gf_policy_entry {
	char desc[2 * FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE + 1];
	uint8_t desc_bytes[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE];
	struct fscrypt_ext__gf_wrapped wrapped;
};

struct fscrypt_ext_gf_policy {
	char desc[FSCRYPT_EXT_GF_DESCRIPTOR_HEX_MAX + 1];
	uint8_t desc_bytes[FSCRYPT_EXT_GF_DESCRIPTOR_HEX_MAX / 2];
	size_t desc_len; /* 8 (v1) or 16 (v2) */
	struct fscrypt_ext_gf_policy_options opts;
	size_t n;
	struct fscrypt_ext__gf_policy_entry *e;
};

/* Lives in sodium_malloc'd memory as a whole. */
struct fscrypt_ext_gf_protector_key {
	uint8_t key[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE];
};

/* codec.c: protobuf-c <-> the structs above (descriptors, lengths and enums checked). */
int fscrypt_ext__gf_decode_protector(const uint8_t *data, size_t len, struct fscrypt_ext_gf_protector *p);
int fscrypt_ext__gf_decode_policy(const uint8_t *data, size_t len, struct fscrypt_ext_gf_policy *p);
int fscrypt_ext__gf_encode_protector(const struct fscrypt_ext_gf_protector *p, uint8_t *buf, size_t size,
				     size_t *len);
int fscrypt_ext__gf_encode_policy(const struct fscrypt_ext_gf_policy *p, uint8_t *buf, size_t size, size_t *len);
/* hex_len lowercase-or-uppercase hex digits into hex_len / 2 bytes; false if not hex. */
bool fscrypt_ext__gf_unhex(const uint8_t *hex, size_t hex_len, uint8_t *out);
void fscrypt_ext__gf_hex(const uint8_t *p, size_t n, char *out);

/* wrap.c: encrypt-then-MAC under a 32-byte wrapping key (HKDF-SHA256 -> AES-256-CTR key, HMAC key). */
int fscrypt_ext__gf_unwrap(const uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE],
			   const struct fscrypt_ext__gf_wrapped *w, uint8_t *out);
int fscrypt_ext__gf_wrap(const uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE], const uint8_t *plain, size_t len,
			 struct fscrypt_ext__gf_wrapped *w);
/* First 8 bytes of SHA-512(SHA-512(key)): protector descriptors and v1 key descriptors. */
void fscrypt_ext__gf_double_sha512(const uint8_t *key, size_t len, uint8_t out[8]);
/* Guarded, zeroed memory (sodium_malloc); NULL on failure. */
void *fscrypt_ext__gf_secure_alloc(size_t n);
void fscrypt_ext__gf_secure_free(void *p);
int fscrypt_ext__gf_init(void);

/* kdf.c: costs chosen for a time budget (params as in protector.h). */
int fscrypt_ext__gf_tune_costs(const struct fscrypt_ext_gf_protector_params *params, struct fscrypt_ext_gf_costs *out);

#endif
