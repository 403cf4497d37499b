/* Internal: a prepared fscrypt cipher (one mode, one key) and the mode table that maps mode numbers to code. */
#ifndef FSCRYPT_EXT_CIPHER_H
#define FSCRYPT_EXT_CIPHER_H

#include <stdbool.h>

#include "internal.h"
#include "crypto/aes.h"

/* Room for the largest per-mode state (Adiantum: XChaCha key, AES-256, NH and Poly1305 keys). */
#define FSCRYPT_EXT__CIPHER_STATE_SIZE 4096
#define FSCRYPT_EXT__MAX_IV_SIZE 32

struct fscrypt_ext__cipher;

/*
 * One fscrypt mode (the kernel's struct fscrypt_mode). Function pointers are NULL for what a
 * mode does not do (HCTR2 has no contents) or what this build lacks.
 */
struct fscrypt_ext__mode {
	uint8_t num;
	const char *name;
	uint8_t key_size;
	uint8_t security_strength;
	uint8_t iv_size;
	/* Prepares c from key_size bytes. Returns an fscrypt_ext_error. */
	int (*setkey)(struct fscrypt_ext__cipher *c, const uint8_t *key);
	/* Contents: one data unit of len bytes (a multiple of 16, >= 16). iv is iv_size bytes. */
	void (*encrypt_unit)(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);
	void (*decrypt_unit)(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);
	/*
	 * Optional: n whole data units of len bytes each, contiguous in in/out;
	 * ivs holds n IVs, FSCRYPT_EXT__MAX_IV_SIZE bytes apart. For modes whose
	 * single unit is serial (CBC-ESSIV encryption), where interleaving
	 * independent units is the only speed-up.
	 */
	void (*encrypt_units)(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in, uint8_t *out,
			      size_t len, size_t n);
	/* Optional, the same for decryption (XTS: all tweaks encrypted in one parallel call). */
	void (*decrypt_units)(const struct fscrypt_ext__cipher *c, const uint8_t *ivs, const uint8_t *in, uint8_t *out,
			      size_t len, size_t n);
	/* Filenames: one padded name of len bytes (16..4096, any length for CTS). */
	void (*encrypt_name)(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);
	void (*decrypt_name)(const struct fscrypt_ext__cipher *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);
	/*
	 * Optional: the bytes of c->u this mode's setkey writes and its hooks
	 * read when its AES keys use backend aes (never NULL); NULL = all of u.
	 * Lets per-extent objects end where their keys end.
	 */
	size_t (*state_size)(const struct fscrypt_ext__aes_impl *aes);
	/*
	 * Optional: setkey for n <= 16 zeroed states of this mode at once (their
	 * AES key expansions batched), all with the same c[i]->aes. Each result
	 * equals what setkey gives.
	 */
	int (*setkey_n)(struct fscrypt_ext__cipher *const *c, const uint8_t *const *key, size_t n);
};

struct fscrypt_ext__cipher {
	const struct fscrypt_ext__mode *mode;
	/*
	 * The AES backend the mode's AES keys are set up with; NULL = the one
	 * selected at setkey time. A state allocated only as far as
	 * fscrypt_ext__cipher_size(m, aes) says must pin it here, so that a
	 * backend forced later cannot lay out keys that do not fit.
	 */
	const struct fscrypt_ext__aes_impl *aes;
	/* Mode-specific: AES-256-XTS keeps the offset of its tweak key in u here (set by its setkey). */
	uint32_t aux;
	FSCRYPT_EXT__ALIGN(64) union {
		/*
		 * AES-256-XTS: the data key, then the encryption-only tweak key at
		 * the offset modes/aes_xts.c gives (right after the data key's
		 * schedule in its backend's layout): use fscrypt_ext__xts_tweak_key().
		 */
		struct {
			struct fscrypt_ext__aes_key data;
			uint8_t tweak_room[sizeof(struct fscrypt_ext__aes_key)];
		} xts;
		struct fscrypt_ext__aes_key cts;
		struct {
			struct fscrypt_ext__aes_key data;
			struct fscrypt_ext__aes_key essiv; /* AES-256 keyed by SHA-256(data key) */
		} essiv;
		/* Modes in their own files (Adiantum, HCTR2, SM4) cast this; they check the size statically. */
		FSCRYPT_EXT__ALIGN(64) uint8_t state[FSCRYPT_EXT__CIPHER_STATE_SIZE];
	} u;
};

/* The mode with on-disk number num, or NULL. */
const struct fscrypt_ext__mode *fscrypt_ext__mode_get(unsigned int num);

/* Prepares c for mode m (NOT_SUPPORTED when m->setkey is NULL). */
int fscrypt_ext__cipher_init(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m, const uint8_t *key);
/*
 * As fscrypt_ext__cipher_init for a c that is already all zero (fresh from
 * fscrypt_ext__alloc_secret): skips clearing the 4 KiB state again, which the
 * per-extent setup would otherwise pay on every extent.
 */
int fscrypt_ext__cipher_init_zeroed(struct fscrypt_ext__cipher *c, const struct fscrypt_ext__mode *m,
				    const uint8_t *key);
/*
 * fscrypt_ext__cipher_init_zeroed for n states of mode m, fresh from
 * fscrypt_ext__alloc_secret, all with the same c[i]->aes: uses the mode's
 * batched setkey where it has one. On failure every state is wiped (as far
 * as fscrypt_ext__cipher_size says).
 */
int fscrypt_ext__cipher_init_zeroed_n(struct fscrypt_ext__cipher *const *c, const struct fscrypt_ext__mode *m,
				      const uint8_t *const *key, size_t n);
/*
 * The leading bytes of a struct fscrypt_ext__cipher that mode m uses with
 * AES backend aes (non-NULL): allocate a state this far only if c->aes is
 * set to aes before any setkey, and never wipe it with cipher_wipe.
 */
size_t fscrypt_ext__cipher_size(const struct fscrypt_ext__mode *m, const struct fscrypt_ext__aes_impl *aes);
/* Wipes the whole state. */
void fscrypt_ext__cipher_wipe(struct fscrypt_ext__cipher *c);

/* Writes the IV of data unit `index` (zero-padded to FSCRYPT_EXT__MAX_IV_SIZE bytes); ctx is the caller's. */
typedef void (*fscrypt_ext__unit_iv_fn)(const void *ctx, uint64_t index, uint8_t iv[FSCRYPT_EXT__MAX_IV_SIZE]);

/*
 * Encrypts (enc) or decrypts len bytes of whole data units of unit_size
 * bytes, the first numbered first_index, each with the IV make_iv gives it;
 * shared by inode contents (inode.c) and extent contents (extent.c,
 * docs/per-extent-keys.md). Uses the
 * mode's multi-unit hook where it has one. The caller has checked alignment
 * and index ranges. Returns NOT_SUPPORTED when the mode has no contents hooks.
 */
int fscrypt_ext__cipher_crypt_units(const struct fscrypt_ext__cipher *c, fscrypt_ext__unit_iv_fn make_iv,
				    const void *iv_ctx, uint64_t first_index, const uint8_t *in, uint8_t *out,
				    size_t len, size_t unit_size, bool enc);

#endif
