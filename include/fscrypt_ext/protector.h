/*
 * libfscrypt-ext-protector: google/fscrypt protectors and policies (the /.fscrypt metadata).
 *
 * google/fscrypt (the `fscrypt` command, Debian package fscrypt) never hands users
 * a raw fscrypt master key. It keeps, in <mountpoint>/.fscrypt/:
 *
 *   protectors/<16 hex>   a ProtectorData protobuf: a random 32-byte *protector key*
 *                         wrapped under a *wrapping key*, which is either a raw 32-byte
 *                         key file (source raw_key) or Argon2id(passphrase, salt, costs)
 *                         (sources custom_passphrase and pam_passphrase);
 *   policies/<16|32 hex>  a PolicyData protobuf: the 64-byte fscrypt master key wrapped
 *                         once under each protector key that may open it.
 *
 * Every wrapping is encrypt-then-MAC: HKDF-SHA256(wrapping key) gives an AES-256-CTR
 * key and an HMAC-SHA256 key; the HMAC over IV || ciphertext is checked in constant
 * time before anything is decrypted. After unwrapping, the protector's descriptor
 * (SHA-512(SHA-512(protector key)), 8 bytes) and the policy's key descriptor (v2: the
 * kernel key identifier; v1: SHA-512(SHA-512(master key)), 8 bytes) are checked too,
 * so a key that "decrypts" but does not belong to the metadata is never returned.
 *
 * This library is a separate target (libfscrypt-ext-protector, pkg-config
 * fscrypt-ext-protector, CMake fscrypt-ext::fscrypt-ext-protector) so that the core
 * library does not depend on libargon2 and protobuf-c. It uses the core library only
 * through its public API. Format facts: docs in spec/google-fscrypt-format.md,
 * checked against google/fscrypt 0.3.3.
 *
 * Secrets: passphrase-derived wrapping keys, protector keys and master keys live
 * only in guarded libsodium memory (sodium_malloc) and are wiped when freed.
 * Metadata objects hold no secret (the wrapped keys in them are ciphertext).
 *
 * Typical use (offline unlock of a directory whose policy descriptor is known):
 *
 *   fscrypt_ext_gf_protector *prot; fscrypt_ext_gf_policy *pol;
 *   fscrypt_ext_gf_protector_key *pk; fscrypt_ext_master_key *mk;
 *   fscrypt_ext_gf_protector_parse(prot_bytes, prot_len, &prot);
 *   fscrypt_ext_gf_policy_parse(pol_bytes, pol_len, &pol);
 *   fscrypt_ext_gf_protector_unwrap(prot, pass, pass_len, NULL, &pk);
 *   fscrypt_ext_gf_policy_unwrap(pol, pk, &mk);       // the fscrypt master key
 *
 * Error codes (common.h): besides the core codes, these functions return
 *   FSCRYPT_EXT_ERR_WRONG_PASSPHRASE      the HMAC does not verify: wrong passphrase or key file
 *   FSCRYPT_EXT_ERR_BAD_METADATA          the protobuf or one of its fields is malformed
 *   FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE    a protector source this library does not know
 *   FSCRYPT_EXT_ERR_COSTS_RANGE           Argon2id costs invalid, or above the caller's limits
 *   FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH   the unwrapped key does not match the stored descriptor
 *   FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR the policy holds no key wrapped by this protector
 */
#ifndef FSCRYPT_EXT_PROTECTOR_H
#define FSCRYPT_EXT_PROTECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fscrypt_ext/common.h>
#include <fscrypt_ext/key.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes fixed by the format. */
#define FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE 32  /* protector keys and raw_key wrapping keys */
#define FSCRYPT_EXT_GF_POLICY_KEY_SIZE 64     /* the fscrypt master key inside a policy */
#define FSCRYPT_EXT_GF_SALT_SIZE 16
#define FSCRYPT_EXT_GF_IV_SIZE 16
#define FSCRYPT_EXT_GF_HMAC_SIZE 32
/* Descriptors are stored as lowercase hex: protectors and v1 policies 16 digits, v2 policies 32. */
#define FSCRYPT_EXT_GF_DESCRIPTOR_HEX_MAX 32
/* google/fscrypt refuses metadata files larger than this (maxMetadataFileSize). */
#define FSCRYPT_EXT_GF_MAX_METADATA_SIZE 16384

/* ProtectorData.source; the numbers are the on-disk enum values. */
enum fscrypt_ext_gf_source {
	FSCRYPT_EXT_GF_SOURCE_DEFAULT = 0, /* never valid on disk */
	FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE = 1,
	FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE = 2,
	FSCRYPT_EXT_GF_SOURCE_RAW_KEY = 3,
};

/* Short name of a source as google/fscrypt prints it ("custom_passphrase"), or NULL if unknown. */
FSCRYPT_EXT_API const char *fscrypt_ext_gf_source_name(int source);

/*
 * Argon2id costs as stored (HashingCosts). google/fscrypt runs Argon2id with
 * lanes = (uint8_t)parallelism, so a stored 260 runs 4 lanes and 256 runs none
 * (refused here with COSTS_RANGE); truncation_fixed (upstream HEAD) means the
 * value is used as is and must be 1..255.
 */
struct fscrypt_ext_gf_costs {
	int64_t time;        /* passes, > 0 */
	int64_t memory_kib;  /* KiB, >= 8 * parallelism */
	int64_t parallelism; /* as stored; see fscrypt_ext_gf_costs_lanes() */
	bool truncation_fixed;
};

/* The lanes google/fscrypt actually runs for these costs (0 = it cannot run them). */
FSCRYPT_EXT_API uint32_t fscrypt_ext_gf_costs_lanes(const struct fscrypt_ext_gf_costs *c);

/*
 * What the library agrees to spend on one Argon2id run: hostile metadata must not
 * make an unlock attempt allocate terabytes or run for hours. A run whose memory
 * (KiB), passes, or passes * memory exceeds a limit fails with COSTS_RANGE before
 * anything is allocated. google/fscrypt's own tuning stays at or below 128 MiB.
 */
struct fscrypt_ext_gf_limits {
	uint64_t max_memory_kib; /* default 1 GiB (1048576) */
	uint64_t max_time;       /* default 1000 passes */
	uint64_t max_work_kib;   /* time * memory_kib; default 2^26 (= 64 GiB of block passes, ~30 s) */
};
#define FSCRYPT_EXT_GF_DEFAULT_MAX_MEMORY_KIB UINT64_C(1048576)
#define FSCRYPT_EXT_GF_DEFAULT_MAX_TIME UINT64_C(1000)
#define FSCRYPT_EXT_GF_DEFAULT_MAX_WORK_KIB (UINT64_C(1) << 26)

/* Fills *l with the defaults above. The override: raise the fields (UINT64_MAX = no limit). */
FSCRYPT_EXT_API void fscrypt_ext_gf_limits_default(struct fscrypt_ext_gf_limits *l);

/* ---- Parsed metadata (no secrets inside) ---- */

typedef struct fscrypt_ext_gf_protector fscrypt_ext_gf_protector;
typedef struct fscrypt_ext_gf_policy fscrypt_ext_gf_policy;

/*
 * Parses a ProtectorData file (the bytes of .fscrypt/protectors/<desc>).
 * Unknown fields are skipped and absent fields read as zero, as proto3 wants.
 * Checked as google/fscrypt checks it: a 16-hex-digit descriptor, a known source
 * (else UNSUPPORTED_SOURCE), for passphrase sources a 16-byte salt and costs
 * present, a wrapped key with a 16-byte IV, 32-byte ciphertext and 32-byte HMAC.
 * The costs' values are checked later, when a passphrase is tried.
 * Errors: INVALID_ARG, OVERSIZED (> FSCRYPT_EXT_GF_MAX_METADATA_SIZE),
 * BAD_METADATA, UNSUPPORTED_SOURCE, NOMEM.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_protector_parse(const uint8_t *data, size_t len, fscrypt_ext_gf_protector **out);
FSCRYPT_EXT_API void fscrypt_ext_gf_protector_free(fscrypt_ext_gf_protector *p);

/* The descriptor as stored: 16 lowercase hex digits, NUL-terminated. */
FSCRYPT_EXT_API const char *fscrypt_ext_gf_protector_descriptor(const fscrypt_ext_gf_protector *p);
FSCRYPT_EXT_API int fscrypt_ext_gf_protector_source(const fscrypt_ext_gf_protector *p);
/* The name, *len bytes, NUL-terminated (may contain any byte: escape it before printing). */
FSCRYPT_EXT_API const char *fscrypt_ext_gf_protector_name(const fscrypt_ext_gf_protector *p, size_t *len);
/* The owner uid (pam_passphrase protectors; 0 otherwise). */
FSCRYPT_EXT_API int64_t fscrypt_ext_gf_protector_uid(const fscrypt_ext_gf_protector *p);
/* false for raw_key protectors (no costs); otherwise fills *c. */
FSCRYPT_EXT_API bool fscrypt_ext_gf_protector_costs(const fscrypt_ext_gf_protector *p, struct fscrypt_ext_gf_costs *c);

/*
 * Parses a PolicyData file (.fscrypt/policies/<desc>). Checked: a key descriptor
 * of 16 (v1) or 32 (v2) hex digits matching policy_version (absent = 1), padding
 * 4/8/16/32, non-zero modes, and each wrapped key (16-hex protector descriptor,
 * 16-byte IV, 64-byte ciphertext, 32-byte HMAC).
 * Errors: INVALID_ARG, OVERSIZED, BAD_METADATA, NOMEM.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_policy_parse(const uint8_t *data, size_t len, fscrypt_ext_gf_policy **out);
FSCRYPT_EXT_API void fscrypt_ext_gf_policy_free(fscrypt_ext_gf_policy *p);

/* The policy's options, as google/fscrypt stores and applies them. */
struct fscrypt_ext_gf_policy_options {
	uint8_t version;        /* 1 or 2 */
	uint8_t contents_mode;  /* kernel mode numbers (enum fscrypt_ext_mode) */
	uint8_t filenames_mode;
	uint8_t padding;        /* 4, 8, 16 or 32 */
};

/* The key descriptor as stored, 16 (v1) or 32 (v2) hex digits, NUL-terminated. */
FSCRYPT_EXT_API const char *fscrypt_ext_gf_policy_descriptor(const fscrypt_ext_gf_policy *p);
/* The key descriptor as bytes: 8 (v1 descriptor) or 16 (v2 identifier); returns the count. */
FSCRYPT_EXT_API size_t fscrypt_ext_gf_policy_descriptor_bytes(const fscrypt_ext_gf_policy *p, uint8_t out[16]);
FSCRYPT_EXT_API void fscrypt_ext_gf_policy_options(const fscrypt_ext_gf_policy *p,
						   struct fscrypt_ext_gf_policy_options *o);
/* google/fscrypt's policy flags: the padding code, plus DIRECT_KEY when both modes are Adiantum. */
FSCRYPT_EXT_API uint8_t fscrypt_ext_gf_policy_flags(const fscrypt_ext_gf_policy *p);
/* Number of protectors that wrap this policy's key, and the i-th one's descriptor (NULL if out of range). */
FSCRYPT_EXT_API size_t fscrypt_ext_gf_policy_protector_count(const fscrypt_ext_gf_policy *p);
FSCRYPT_EXT_API const char *fscrypt_ext_gf_policy_protector_descriptor(const fscrypt_ext_gf_policy *p, size_t i);

/* ---- Protector keys (secret, opaque, guarded memory) ---- */

typedef struct fscrypt_ext_gf_protector_key fscrypt_ext_gf_protector_key;

/*
 * Derives the wrapping key from a credential and unwraps the protector key.
 *   passphrase sources: secret is the passphrase bytes exactly as google/fscrypt
 *     reads them (no newline, no normalisation); Argon2id with the stored salt and
 *     costs, within *limits (NULL = fscrypt_ext_gf_limits_default);
 *   raw_key: secret is the 32-byte key file.
 * The HMAC is checked before decrypting, then the descriptor.
 * Errors: INVALID_ARG, KEY_SIZE (raw key not 32 bytes), COSTS_RANGE,
 * WRONG_PASSPHRASE, DESCRIPTOR_MISMATCH, LOCKED_MEMORY, NOMEM, CRYPTO.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_protector_unwrap(const fscrypt_ext_gf_protector *p, const uint8_t *secret, size_t secret_len,
				const struct fscrypt_ext_gf_limits *limits, fscrypt_ext_gf_protector_key **out);

/* Wipes and frees. NULL is allowed. */
FSCRYPT_EXT_API void fscrypt_ext_gf_protector_key_free(fscrypt_ext_gf_protector_key *k);

/* The descriptor of a protector key (hex(SHA-512(SHA-512(key))[0:8])), 17 bytes with the NUL. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_protector_key_descriptor(const fscrypt_ext_gf_protector_key *k, char hex[17]);

/* ---- Policy keys ---- */

/*
 * Unwraps the policy's master key with a protector key: finds the wrapped key for
 * the protector's descriptor, checks its HMAC, decrypts, and checks the key
 * descriptor (v2: the kernel identifier, v1: double SHA-512).
 * Errors: INVALID_ARG, NO_MATCHING_PROTECTOR, WRONG_PASSPHRASE (the HMAC does not
 * verify: the metadata was altered), DESCRIPTOR_MISMATCH, LOCKED_MEMORY, NOMEM, CRYPTO.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_policy_unwrap(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *k,
			     fscrypt_ext_master_key **out);

/*
 * As fscrypt_ext_gf_policy_unwrap, but writes the 64 raw bytes to out (for writing a
 * key file or handing the key to the kernel). out should be guarded memory
 * (sodium_malloc); it is wiped on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_policy_unwrap_raw(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *k,
				 uint8_t out[FSCRYPT_EXT_GF_POLICY_KEY_SIZE]);

/* ---- Creating metadata that google/fscrypt accepts ---- */

/* What a new protector looks like. */
struct fscrypt_ext_gf_protector_params {
	int source;           /* enum fscrypt_ext_gf_source (not DEFAULT) */
	const char *name;     /* custom_passphrase and raw_key need one; pam_passphrase has none (NULL) */
	int64_t uid;          /* pam_passphrase: the owner */
	/*
	 * Passphrase sources: the costs to store. With costs.time == 0 the costs are
	 * tuned instead: parallelism = costs.parallelism if > 0 else the CPU count
	 * (at most 255), memory up to tune_max_memory_kib (0 = 128 MiB), passes until
	 * one derivation takes about tune_ms milliseconds (0 = 1000).
	 */
	struct fscrypt_ext_gf_costs costs;
	uint32_t tune_ms;
	uint64_t tune_max_memory_kib;
};

/*
 * Creates a protector: a random protector key wrapped under the credential (the
 * passphrase, or the 32-byte raw key), with a random 16-byte salt for passphrase
 * sources. Writes the serialized ProtectorData to buf (*len bytes; its file name is
 * the descriptor, fscrypt_ext_gf_protector_key_descriptor) and returns the new
 * protector key in *key_out (free it with fscrypt_ext_gf_protector_key_free).
 * Errors: INVALID_ARG, UNSUPPORTED_SOURCE, KEY_SIZE, COSTS_RANGE, BUFFER_TOO_SMALL,
 * LOCKED_MEMORY, NOMEM, CRYPTO.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_protector_create(const struct fscrypt_ext_gf_protector_params *params, const uint8_t *secret,
				size_t secret_len, uint8_t *buf, size_t buf_size, size_t *len,
				fscrypt_ext_gf_protector_key **key_out);

/*
 * Creates a policy: the 64-byte master key wrapped under each of the n protector
 * keys. The key descriptor is computed from the key (v2 identifier or v1 double
 * SHA-512). o->version must be 1 or 2, padding 4/8/16/32, modes non-zero.
 * Errors: INVALID_ARG, KEY_SIZE (not 64 bytes), BAD_METADATA (options),
 * BUFFER_TOO_SMALL, LOCKED_MEMORY, NOMEM, CRYPTO.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_policy_create(const uint8_t *master_key, size_t key_len, const struct fscrypt_ext_gf_policy_options *o,
			     const fscrypt_ext_gf_protector_key *const *keys, size_t n, uint8_t *buf, size_t buf_size,
			     size_t *len);

/*
 * Adds a protector to an existing policy: unwraps the master key with `with`
 * (a protector already in the policy), wraps it under `add`, and writes the new
 * PolicyData (the old entries kept as they were). Adding a protector that is
 * already there is refused with INVALID_ARG.
 * Errors: as fscrypt_ext_gf_policy_unwrap, plus BUFFER_TOO_SMALL.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_policy_add_protector(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *with,
				    const fscrypt_ext_gf_protector_key *add, uint8_t *buf, size_t buf_size,
				    size_t *len);

/*
 * One Argon2id run as google/fscrypt does it (golang.org/x/crypto/argon2 IDKey:
 * version 0x13, no secret, no associated data, lanes = fscrypt_ext_gf_costs_lanes),
 * 32 bytes into out (should be guarded memory). For known-answer tests and timing.
 * Errors: INVALID_ARG, COSTS_RANGE, NOMEM, CRYPTO.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_gf_passphrase_hash(const uint8_t *pass, size_t pass_len, const uint8_t salt[FSCRYPT_EXT_GF_SALT_SIZE],
			       const struct fscrypt_ext_gf_costs *c, const struct fscrypt_ext_gf_limits *limits,
			       uint8_t out[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE]);

#ifdef __cplusplus
}
#endif
#endif
