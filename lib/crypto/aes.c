/* AES backend table, the one-time backend choice, and the modes (ECB, CBC, XTS with stealing, CBC-CS3) built on it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aes.h"
#include "crypto/aes_dispatch.h"

#if defined(FSCRYPT_EXT_HAVE_AESNI) || defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
#include "x86/aes_x86.h"
#endif
#if defined(FSCRYPT_EXT_HAVE_ARMCE) && defined(FSCRYPT_EXT_ARMCE_READY)
extern const struct fscrypt_ext__aes_impl fscrypt_ext__aes_armce;
#endif

const struct fscrypt_ext__aes_impl *const fscrypt_ext__aes_impls[] = {
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&fscrypt_ext__aes_vaes_avx512,
#endif
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2) && defined(FSCRYPT_EXT_VAES_READY)
	&fscrypt_ext__aes_vaes_avx2,
#endif
#if defined(FSCRYPT_EXT_HAVE_AESNI)
	&fscrypt_ext__aes_aesni,
#endif
#if defined(FSCRYPT_EXT_HAVE_ARMCE) && defined(FSCRYPT_EXT_ARMCE_READY)
	&fscrypt_ext__aes_armce,
#endif
	&fscrypt_ext__aes_portable,
	NULL,
};

/* ---- backend choice ---- */

static const struct fscrypt_ext__aes_impl *aes_auto_impl;
static const struct fscrypt_ext__aes_impl *aes_current_impl;
static pthread_once_t aes_choose_once = PTHREAD_ONCE_INIT;

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++)
		if (strcmp(fscrypt_ext__aes_impls[i]->name, name) == 0)
			return fscrypt_ext__aes_impls[i];
	return NULL;
}

/* Best first; FSCRYPT_EXT_BACKEND overrides at start-up when this CPU can run the named backend. */
static void aes_choose(void)
{
	const struct fscrypt_ext__aes_impl *best = &fscrypt_ext__aes_portable, *want;
	const char *env = getenv("FSCRYPT_EXT_BACKEND");

	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++) {
		if (fscrypt_ext__aes_impls[i]->available()) {
			best = fscrypt_ext__aes_impls[i];
			break;
		}
	}
	aes_auto_impl = best;
	want = fscrypt_ext__aes_find(env);
	if (want == NULL || !want->available())
		want = best;
	__atomic_store_n(&aes_current_impl, want, __ATOMIC_RELEASE);
}

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_auto(void)
{
	(void)pthread_once(&aes_choose_once, aes_choose);
	return aes_auto_impl;
}

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_selected(void)
{
	(void)pthread_once(&aes_choose_once, aes_choose);
	return __atomic_load_n(&aes_current_impl, __ATOMIC_ACQUIRE);
}

void fscrypt_ext__aes_select(const struct fscrypt_ext__aes_impl *impl)
{
	(void)pthread_once(&aes_choose_once, aes_choose);
	__atomic_store_n(&aes_current_impl, impl != NULL ? impl : aes_auto_impl, __ATOMIC_RELEASE);
}

/* ---- keys ---- */

int fscrypt_ext__aes_setkey_ex(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
			       const struct fscrypt_ext__aes_impl *impl, unsigned int flags)
{
	if (impl == NULL)
		impl = fscrypt_ext__aes_selected();
	if (k == NULL || key == NULL || (key_len != 16 && key_len != 24 && key_len != 32) ||
	    (flags & ~(FSCRYPT_EXT__AES_ENC_ONLY | FSCRYPT_EXT__AES_ZEROED)) != 0)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (!impl->available())
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	if (!(flags & FSCRYPT_EXT__AES_ZEROED))
		memset(k, 0, sizeof(*k));
	if ((flags & FSCRYPT_EXT__AES_ENC_ONLY) && impl->expand_key_enc != NULL)
		impl->expand_key_enc(k, key, key_len);
	else
		impl->expand_key(k, key, key_len);
	k->rounds = (unsigned int)(key_len / 4 + 6);
	k->impl = impl;
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__aes_setkey_impl(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len,
				 const struct fscrypt_ext__aes_impl *impl)
{
	if (impl == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	return fscrypt_ext__aes_setkey_ex(k, key, key_len, impl, 0);
}

int fscrypt_ext__aes_setkey(struct fscrypt_ext__aes_key *k, const uint8_t *key, size_t key_len)
{
	return fscrypt_ext__aes_setkey_ex(k, key, key_len, NULL, 0);
}

void fscrypt_ext__aes_key_wipe(struct fscrypt_ext__aes_key *k)
{
	if (k != NULL)
		fscrypt_ext__wipe(k, sizeof(*k));
}

/* ---- generic modes, composed from ECB where a backend has no dedicated code ---- */

/* Blocks handled per chunk by the composed modes (bounded stack use). */
#define AES_CHUNK_BLOCKS 32

static inline void xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
	for (unsigned int i = 0; i < 16; i++)
		d[i] = a[i] ^ b[i];
}

void fscrypt_ext__aes_ecb_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	k->impl->ecb_encrypt(k, in, out, nblocks);
}

void fscrypt_ext__aes_ecb_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	k->impl->ecb_decrypt(k, in, out, nblocks);
}

void fscrypt_ext__aes_cbc_encrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	uint8_t x[16];

	if (k->impl->cbc_encrypt != NULL) {
		k->impl->cbc_encrypt(k, iv, in, out, nblocks);
		return;
	}
	for (size_t i = 0; i < nblocks; i++) {
		xor16(x, in + 16 * i, iv);
		k->impl->ecb_encrypt(k, x, out + 16 * i, 1);
		memcpy(iv, out + 16 * i, 16);
	}
	fscrypt_ext__wipe(x, sizeof(x));
}

void fscrypt_ext__aes_cbc_encrypt_multi(const struct fscrypt_ext__aes_key *k, uint8_t (*ivs)[16],
					const uint8_t *const *in, uint8_t *const *out, size_t nblocks, size_t n)
{
	if (k->impl->cbc_encrypt_multi != NULL) {
		k->impl->cbc_encrypt_multi(k, ivs, in, out, nblocks, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fscrypt_ext__aes_cbc_encrypt(k, ivs[i], in[i], out[i], nblocks);
}

void fscrypt_ext__aes_cbc_decrypt(const struct fscrypt_ext__aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out,
				  size_t nblocks)
{
	uint8_t c[AES_CHUNK_BLOCKS * 16];

	if (k->impl->cbc_decrypt != NULL) {
		k->impl->cbc_decrypt(k, iv, in, out, nblocks);
		return;
	}
	while (nblocks > 0) {
		size_t n = nblocks < AES_CHUNK_BLOCKS ? nblocks : AES_CHUNK_BLOCKS;

		/* Keep the ciphertext: in place, out overwrites it before it is chained. */
		memcpy(c, in, 16 * n);
		k->impl->ecb_decrypt(k, c, out, n);
		xor16(out, out, iv);
		for (size_t i = 1; i < n; i++)
			xor16(out + 16 * i, out + 16 * i, c + 16 * (i - 1));
		memcpy(iv, c + 16 * (n - 1), 16);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
}

/* T * x in GF(2^128) with the XTS (little-endian) bit order: IEEE 1619 5.2. */
static inline void xts_mul_x(uint8_t t[16])
{
	uint64_t lo = fscrypt_ext__le64(t), hi = fscrypt_ext__le64(t + 8);
	uint64_t carry = hi >> 63;

	hi = (hi << 1) | (lo >> 63);
	lo = (lo << 1) ^ (0x87 & (0 - carry));
	fscrypt_ext__put_le64(t, lo);
	fscrypt_ext__put_le64(t + 8, hi);
}

static void xts_generic(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
			size_t nblocks, int enc)
{
	uint8_t t[AES_CHUNK_BLOCKS * 16], buf[AES_CHUNK_BLOCKS * 16];

	while (nblocks > 0) {
		size_t n = nblocks < AES_CHUNK_BLOCKS ? nblocks : AES_CHUNK_BLOCKS;

		for (size_t i = 0; i < n; i++) {
			memcpy(t + 16 * i, tweak, 16);
			xts_mul_x(tweak);
			xor16(buf + 16 * i, in + 16 * i, t + 16 * i);
		}
		if (enc)
			k->impl->ecb_encrypt(k, buf, buf, n);
		else
			k->impl->ecb_decrypt(k, buf, buf, n);
		for (size_t i = 0; i < n; i++)
			xor16(out + 16 * i, buf + 16 * i, t + 16 * i);
		in += 16 * n;
		out += 16 * n;
		nblocks -= n;
	}
	fscrypt_ext__wipe(buf, sizeof(buf));
}

static void xts_blocks(const struct fscrypt_ext__aes_key *k, uint8_t tweak[16], const uint8_t *in, uint8_t *out,
		       size_t nblocks, int enc)
{
	if (enc && k->impl->xts_encrypt != NULL)
		k->impl->xts_encrypt(k, tweak, in, out, nblocks);
	else if (!enc && k->impl->xts_decrypt != NULL)
		k->impl->xts_decrypt(k, tweak, in, out, nblocks);
	else
		xts_generic(k, tweak, in, out, nblocks, enc);
}

/*
 * IEEE 1619 ciphertext stealing for a final partial block of tail bytes:
 * encryption makes CC from the last full block with T(m-1), emits its first
 * tail bytes as the short last block, and encrypts the partial plaintext
 * padded with the rest of CC under T(m) into the last full position.
 * Decryption undoes it, using T(m) before T(m-1).
 */
static void xts_crypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
		      const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len, int enc)
{
	uint8_t t[16], t_next[16], cc[16], pp[16];
	size_t nfull = len / 16, tail = len % 16;

	tweak_key->impl->ecb_encrypt(tweak_key, iv, t, 1);
	if (tail == 0) {
		xts_blocks(data_key, t, in, out, nfull, enc);
		fscrypt_ext__wipe(t, sizeof(t));
		return;
	}
	xts_blocks(data_key, t, in, out, nfull - 1, enc);
	in += 16 * (nfull - 1);
	out += 16 * (nfull - 1);
	memcpy(t_next, t, 16);
	xts_mul_x(t_next);
	/* t is T(m-1) for the last full block, t_next is T(m). */
	xts_blocks(data_key, enc ? t : t_next, in, cc, 1, enc);
	memcpy(pp, in + 16, tail);
	memcpy(pp + tail, cc + tail, 16 - tail);
	memcpy(out + 16, cc, tail);
	xts_blocks(data_key, enc ? t_next : t, pp, out, 1, enc);
	fscrypt_ext__wipe(cc, sizeof(cc));
	fscrypt_ext__wipe(pp, sizeof(pp));
	fscrypt_ext__wipe(t, sizeof(t));
	fscrypt_ext__wipe(t_next, sizeof(t_next));
}

void fscrypt_ext__aes_xts_encrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	xts_crypt(data_key, tweak_key, iv, in, out, len, 1);
}

void fscrypt_ext__aes_xts_decrypt(const struct fscrypt_ext__aes_key *data_key, const struct fscrypt_ext__aes_key *tweak_key,
				  const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
	xts_crypt(data_key, tweak_key, iv, in, out, len, 0);
}

/*
 * CBC-CS3 as Linux cts(cbc(aes)) (RFC 3962 / NIST SP 800-38A addendum CS3):
 * one block is plain CBC; otherwise the data is CBC-encrypted with the last
 * block zero-padded, the last two ciphertext blocks are swapped, and the
 * result is cut to len. The swap happens for block-aligned lengths too.
 */
void fscrypt_ext__aes_cbc_cts_encrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	uint8_t v[16], p[32], c[32];
	size_t nblocks = (len + 15) / 16, tail = len - 16 * (nblocks - 1);

	memcpy(v, iv, 16);
	if (len <= 16) {
		fscrypt_ext__aes_cbc_encrypt(k, v, in, out, 1);
		fscrypt_ext__wipe(v, sizeof(v));
		return;
	}
	fscrypt_ext__aes_cbc_encrypt(k, v, in, out, nblocks - 2);
	in += 16 * (nblocks - 2);
	out += 16 * (nblocks - 2);
	memset(p, 0, sizeof(p));
	memcpy(p, in, 16 + tail);
	fscrypt_ext__aes_cbc_encrypt(k, v, p, c, 2);
	memcpy(out, c + 16, 16);
	memcpy(out + 16, c, tail);
	fscrypt_ext__wipe(p, sizeof(p));
	fscrypt_ext__wipe(c, sizeof(c));
	fscrypt_ext__wipe(v, sizeof(v));
}

void fscrypt_ext__aes_cbc_cts_decrypt(const struct fscrypt_ext__aes_key *k, const uint8_t iv[16], const uint8_t *in,
				      uint8_t *out, size_t len)
{
	uint8_t v[16], d[16], c[32], p[32];
	size_t nblocks = (len + 15) / 16, tail = len - 16 * (nblocks - 1);

	memcpy(v, iv, 16);
	if (len <= 16) {
		fscrypt_ext__aes_cbc_decrypt(k, v, in, out, 1);
		fscrypt_ext__wipe(v, sizeof(v));
		return;
	}
	fscrypt_ext__aes_cbc_decrypt(k, v, in, out, nblocks - 2);
	in += 16 * (nblocks - 2);
	out += 16 * (nblocks - 2);
	/* in[0..16) is E(P_n padded ^ C_{n-1}); in[16..16+tail) is the head of C_{n-1}. */
	k->impl->ecb_decrypt(k, in, d, 1);
	memcpy(c, in + 16, tail);
	memcpy(c + tail, d + tail, 16 - tail);
	memcpy(c + 16, in, 16);
	/* Now c = C_{n-1} || C_n' and plain CBC decryption gives P_{n-1} || (P_n padded). */
	fscrypt_ext__aes_cbc_decrypt(k, v, c, p, 2);
	memcpy(out, p, 16 + tail);
	fscrypt_ext__wipe(d, sizeof(d));
	fscrypt_ext__wipe(p, sizeof(p));
	fscrypt_ext__wipe(v, sizeof(v));
}
