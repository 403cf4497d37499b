/* Internal ChaCha and XChaCha stream ciphers (DJB layout: 64-bit counter, 64-bit nonce), as Adiantum's XChaCha12 uses them. */
#ifndef FSCRYPT_EXT_CRYPTO_CHACHA_H
#define FSCRYPT_EXT_CRYPTO_CHACHA_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

/* The NEON backends assume little-endian AArch64 (vector lanes read as little-endian words). */
#if defined(__aarch64__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FSCRYPT_EXT__HAVE_ARM_NEON 1
#else
#define FSCRYPT_EXT__HAVE_ARM_NEON 0
#endif

#define FSCRYPT_EXT__CHACHA_BLOCK 64
#define FSCRYPT_EXT__CHACHA_KEY_WORDS 8
#define FSCRYPT_EXT__XCHACHA_NONCE 24

/*
 * The 16-word state: "expand 32-byte k", 8 key words, the block counter in
 * words 12-13 (low word first) and the 8-byte nonce in words 14-15. This is
 * the original ChaCha layout that Linux's xchacha12 and google/adiantum use,
 * not the RFC 8439 one.
 */
struct fscrypt_ext__chacha_impl {
	const char *name;          /* "portable", "avx2", "avx512vl", "neon" */
	unsigned int needs;        /* FSCRYPT_EXT__CPU_* bits it uses (the dispatch's profiles filter on them) */
	int (*available)(void);    /* 1 if this CPU can run it */
	/*
	 * XORs len bytes of keystream into in, writing out (in == out allowed).
	 * The counter in state[12..13] advances by ceil(len / 64). rounds is even.
	 */
	void (*xor_stream)(uint32_t state[16], const uint8_t *in, uint8_t *out, size_t len, int rounds);
};

extern const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_portable;
#if defined(__x86_64__)
extern const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_avx512vl;
extern const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_avx2;
#endif
#if FSCRYPT_EXT__HAVE_ARM_NEON
extern const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_neon;
#endif
/* Best first, NULL-terminated; the portable one is last and always available. */
extern const struct fscrypt_ext__chacha_impl *const fscrypt_ext__chacha_impls[];
/* The first entry of the table this CPU runs (crypto/dispatch.c; ignores FSCRYPT_EXT_BACKEND). */
const struct fscrypt_ext__chacha_impl *fscrypt_ext__chacha_best(void);

/* The ChaCha permutation of x (rounds even), without the final addition. */
void fscrypt_ext__chacha_permute(uint32_t x[16], int rounds);
/* state = constants || key || counter (8 bytes LE) || nonce (8 bytes). */
void fscrypt_ext__chacha_init(uint32_t state[16], const uint32_t key[8], uint64_t counter, const uint8_t nonce[8]);
/* HChaCha: the subkey for XChaCha from key and the first 16 nonce bytes. */
void fscrypt_ext__hchacha(uint32_t subkey[8], const uint32_t key[8], const uint8_t nonce[16], int rounds);
/* XChaCha: state for nonce (24 bytes) with the counter at 0. */
void fscrypt_ext__xchacha_init(uint32_t state[16], const uint32_t key[8], const uint8_t nonce[24], int rounds);
/* Key bytes to key words (little-endian). */
void fscrypt_ext__chacha_load_key(uint32_t key[8], const uint8_t bytes[32]);


#endif
