/* Internal AES interface: one key type, one implementation table per backend, and the modes built on it. */
#ifndef FSCRYPT_EXT_CRYPTO_AES_H
#define FSCRYPT_EXT_CRYPTO_AES_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

struct fscrypt_ext__blockcipher;

#define FSCRYPT_EXT__AES_BLOCK 16
#define FSCRYPT_EXT__AES_MAX_ROUNDS 14

/*
 * An expanded AES key (128, 192 or 256 bits) for both directions. It remembers
 * the backend that expanded it, so a key always runs on the code that built
 * its schedule even if the selected backend changes later. Wipe with
 * fscrypt_ext__aes_key_wipe().
 */
struct fscrypt_ext__aes_key {
	unsigned int rounds; /* 10, 12 or 14 */
	const struct fscrypt_ext__aes_impl *impl;
	/*
	 * Last, so an object that holds a key may end where the backend's
	 * schedule ends (fscrypt_ext__aes_key_size): an encryption-only
	 * AES-NI/VAES key needs only u.hw.enc.
	 */
	FSCRYPT_EXT__ALIGN(64) union {
		/* AES-NI, VAES and ARMv8-CE: standard round keys; dec = equivalent inverse cipher keys. */
		struct {
			uint8_t enc[FSCRYPT_EXT__AES_MAX_ROUNDS + 1][16];
			uint8_t dec[FSCRYPT_EXT__AES_MAX_ROUNDS + 1][16];
		} hw;
		/* Portable constant-time backend: eight bit planes per round key, sw[8 * round + plane]. */
		uint64_t sw[8 * (FSCRYPT_EXT__AES_MAX_ROUNDS + 1)];
	} u;
};

/*
 * One backend. Every function works on whole 16-byte blocks; nblocks may be 0.
 * in and out may be equal (in place) but must not otherwise overlap; neither
 * needs any alignment. Tweak and IV buffers are updated so that calls chain.
 * Optional entries may be NULL: the generic code then composes the operation
 * from ecb_encrypt/ecb_decrypt.
 */
struct fscrypt_ext__aes_impl {
	const char *name;          /* "portable", "aesni", "vaes-avx2", "vaes-avx512", "armv8-ce" */
	unsigned int needs;        /* FSCRYPT_EXT__CPU_* bits it uses (the dispatch's profiles filter on them) */
	int (*available)(void);    /* 1 if this CPU can run it */
	void (*expand_key)(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len);
	void (*ecb_encrypt)(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*ecb_decrypt)(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*cbc_encrypt)(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*cbc_decrypt)(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	/* XTS on whole blocks; tweak holds the already-encrypted tweak T and is advanced (multiplied by x per block). */
	void (*xts_encrypt)(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	void (*xts_decrypt)(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out, size_t nblocks);
	/* n independent CBC encryptions of nblocks each (batched ESSIV/filenames); optional. */
	void (*cbc_encrypt_multi)(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16], const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n);
	/* Optional: the encryption schedule only (FSCRYPT_EXT__AES_ENC_ONLY); NULL = expand_key. */
	void (*expand_key_enc)(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len);
	/*
	 * Optional: n independent AES-256 keys at once (their latencies
	 * overlap), each exactly as expand_key (or expand_key_enc where bit i of
	 * enc_only is set) would expand it. n <= 32. NULL = one at a time.
	 */
	void (*expand_keys_256)(struct fscrypt_ext__aes_key *const *k, const uint8_t *const *key, size_t n,
				uint32_t enc_only);
	/*
	 * Bytes of u this backend writes and reads for a key (sched_bytes) and
	 * for an encryption-only key (sched_enc_bytes); 0 = all of u.
	 */
	uint16_t sched_bytes, sched_enc_bytes;
};

/* The backend table lives in crypto/dispatch.c (fscrypt_ext__aes_impls); the portable backend is always there. */
extern const struct fscrypt_ext__aes_impl *const fscrypt_ext__aes_impls[];
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_portable;

/* AES as a struct fscrypt_ext__blockcipher (crypto/blockmode.h); the key argument is a struct fscrypt_ext__aes_key. */
extern const struct fscrypt_ext__blockcipher fscrypt_ext__aes_blockcipher;

/* The backend new keys use (crypto/dispatch.c picks it once at initialisation; tests may force one). */
const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_selected(void);

/* Expands with the selected backend. key_len must be 16, 24 or 32 (else FSCRYPT_EXT_ERR_INVALID_ARG). */
int fscrypt_ext__aes_setkey(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len);
/* Expands with a given backend (differential tests). */
int fscrypt_ext__aes_setkey_impl(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
				 const struct fscrypt_ext__aes_impl *impl);
/*
 * Key setup options for the per-extent/per-file hot path (each key is set up
 * once per extent, so its cost counts: docs/per-extent-keys.md).
 * ENC_ONLY: the key only ever encrypts (the XTS tweak key only encrypts the
 * IV); the backend may skip the decryption schedule, so such a key must never
 * reach a decrypt function.
 * ZEROED: *k is already all zero (inside a state fscrypt_ext__cipher_init
 * just cleared), so the clearing of stale bytes is skipped.
 */
#define FSCRYPT_EXT__AES_ENC_ONLY 0x1u
#define FSCRYPT_EXT__AES_ZEROED 0x2u
/* fscrypt_ext__aes_setkey_impl with flags; impl NULL = the selected backend. */
int fscrypt_ext__aes_setkey_ex(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
			       const struct fscrypt_ext__aes_impl *impl, unsigned int flags);
void fscrypt_ext__aes_key_wipe(struct fscrypt_ext__aes_key *k);

/*
 * The leading bytes of a struct fscrypt_ext__aes_key that impl (NULL = the
 * selected backend) uses for a key set up with flags (ENC_ONLY): an object
 * whose last member is a key may be allocated only that far. Such a key must
 * be set up ZEROED and never wiped with fscrypt_ext__aes_key_wipe.
 */
size_t fscrypt_ext__aes_key_size(const struct fscrypt_ext__aes_impl *impl, unsigned int flags);

/*
 * n AES-256 keys (32 bytes each) with one backend (impl NULL = the
 * selected one), as n calls of fscrypt_ext__aes_setkey_ex with the same
 * flags would set them up, except that bit i of enc_only adds
 * FSCRYPT_EXT__AES_ENC_ONLY for key i. n <= 32. Uses the backend's
 * batched expansion where it has one.
 */
int fscrypt_ext__aes_setkeys_256(struct fscrypt_ext__aes_key *const *k, const uint8_t *const *key, size_t n,
				 const struct fscrypt_ext__aes_impl *impl, unsigned int flags, uint32_t enc_only);

void fscrypt_ext__aes_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
void fscrypt_ext__aes_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
void fscrypt_ext__aes_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);
void fscrypt_ext__aes_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks);

/*
 * n independent CBC encryptions of nblocks blocks each (ESSIV units or names
 * in a batch); ivs[i] is updated to stream i's last ciphertext block. Uses
 * the backend's interleaved code when it has one.
 */
void fscrypt_ext__aes_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n);

/*
 * XTS (IEEE 1619) with ciphertext stealing for lengths that are not a
 * multiple of 16. data_key encrypts the data, tweak_key encrypts the 16-byte
 * IV. len >= 16.
 */
void fscrypt_ext__aes_xts_encrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__aes_xts_decrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

/* CBC-CS3 as Linux cts(cbc(aes)): len >= 16; exactly 16 is one CBC block; otherwise the last two blocks are swapped. */
void fscrypt_ext__aes_cbc_cts_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void fscrypt_ext__aes_cbc_cts_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

#endif
