/* HKDF-SHA512 (RFC 5869) on a prepared HMAC-SHA512 (hmac_sha512.c), with the PRK-keyed state prepared once (the kernel's fscrypt_init_hkdf()). */
#include "hkdf.h"
#include "hmac_sha512.h"
#include "fscrypt_ext/primitives.h"

#define HKDF_HASH_LEN 64
#define HKDF_MAX_OKM (255 * HKDF_HASH_LEN)

_Static_assert(sizeof(struct fscrypt_ext__hmac512) <= sizeof(((struct fscrypt_ext__hkdf *)0)->state),
	       "HMAC-SHA512 state does not fit struct fscrypt_ext__hkdf");

static struct fscrypt_ext__hmac512 *hkdf_state(struct fscrypt_ext__hkdf *h)
{
	return (struct fscrypt_ext__hmac512 *)(void *)h->state;
}

static const struct fscrypt_ext__hmac512 *hkdf_cstate(const struct fscrypt_ext__hkdf *h)
{
	return (const struct fscrypt_ext__hmac512 *)(const void *)h->state;
}

/*
 * PRK = HMAC-SHA512(salt, ikm). An empty salt is an HMAC key of zero length,
 * which HMAC pads to the same block as 64 zero bytes (the RFC 5869 default).
 */
static void hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
			 uint8_t prk[HKDF_HASH_LEN])
{
	struct fscrypt_ext__hmac512 st;
	const uint8_t *parts[1] = { ikm };
	size_t lens[1] = { ikm_len };

	fscrypt_ext__hmac512_init(&st, salt, salt_len);
	fscrypt_ext__hmac512_parts(&st, parts, lens, 1, prk);
	fscrypt_ext__wipe(&st, sizeof(st));
}

/*
 * T(i) = HMAC(PRK, T(i-1) || prefix || info || i). Each block starts from a
 * copy of the prepared state, so no block re-derives the HMAC pads.
 */
static void hkdf_expand_parts(const struct fscrypt_ext__hmac512 *prepared, const uint8_t *prefix,
			      size_t prefix_len, const uint8_t *info, size_t info_len, uint8_t *okm,
			      size_t okm_len)
{
	uint8_t t[HKDF_HASH_LEN];
	size_t done = 0;
	uint8_t counter = 0;
	const uint8_t *parts[4] = { t, prefix, info, &counter };
	size_t lens[4] = { 0, prefix_len, info_len, 1 };

	while (done < okm_len) {
		size_t n = okm_len - done < HKDF_HASH_LEN ? okm_len - done : HKDF_HASH_LEN;

		counter++;
		lens[0] = counter > 1 ? sizeof(t) : 0;
		fscrypt_ext__hmac512_parts(prepared, parts, lens, 4, t);
		memcpy(okm + done, t, n);
		done += n;
	}
	fscrypt_ext__wipe(t, sizeof(t));
}

int fscrypt_ext__hkdf_init(struct fscrypt_ext__hkdf *h, const uint8_t *ikm, size_t ikm_len)
{
	uint8_t prk[HKDF_HASH_LEN];
	int err;

	if (h == NULL || (ikm == NULL && ikm_len != 0))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	hkdf_extract(NULL, 0, ikm, ikm_len, prk);
	memset(h, 0, sizeof(*h));
	fscrypt_ext__hmac512_init(hkdf_state(h), prk, sizeof(prk));
	fscrypt_ext__wipe(prk, sizeof(prk));
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__hkdf_expand(const struct fscrypt_ext__hkdf *h, uint8_t context, const uint8_t *info,
			     size_t info_len, uint8_t *okm, size_t okm_len)
{
	/* fscrypt's own prefix: "fscrypt\0" then the context byte (not part of RFC 5869). */
	const uint8_t prefix[9] = { 'f', 's', 'c', 'r', 'y', 'p', 't', 0, context };

	if (h == NULL || okm == NULL || (info == NULL && info_len != 0) || okm_len > HKDF_MAX_OKM)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (okm_len <= HKDF_HASH_LEN && info_len <= FSCRYPT_EXT__HMAC512_SHORT_MAX - sizeof(prefix) - 1) {
		/*
		 * Every fscrypt key: T(1) = HMAC(PRK, prefix || info || 0x01), one
		 * block built in place (two compressions, no parts to gather).
		 */
		/* Zeroed by its initializer: GCC emits eight 16-byte stores where memset() became `rep stos`. */
		uint8_t b[128] = { 0 }, t[HKDF_HASH_LEN];

		memcpy(b, prefix, sizeof(prefix));
		/* Per-file and per-extent keys take a 16-byte nonce: a fixed-size copy the compiler inlines. */
		if (info_len == 16)
			memcpy(b + sizeof(prefix), info, 16);
		else if (info_len)
			memcpy(b + sizeof(prefix), info, info_len);
		b[sizeof(prefix) + info_len] = 1;
		if (okm_len == HKDF_HASH_LEN) {
			fscrypt_ext__hmac512_block(hkdf_cstate(h), b, sizeof(prefix) + info_len + 1, okm);
		} else {
			fscrypt_ext__hmac512_block(hkdf_cstate(h), b, sizeof(prefix) + info_len + 1, t);
			memcpy(okm, t, okm_len);
			fscrypt_ext__wipe(t, sizeof(t));
		}
		return FSCRYPT_EXT_OK;
	}
	hkdf_expand_parts(hkdf_cstate(h), prefix, sizeof(prefix), info, info_len, okm, okm_len);
	return FSCRYPT_EXT_OK;
}

#define HKDF_GROUP 8

int fscrypt_ext__hkdf_expand_n(const struct fscrypt_ext__hkdf *h, uint8_t context, const uint8_t *const *infos,
			       size_t info_len, uint8_t *const *okms, size_t okm_len, size_t n)
{
	const size_t prefix_len = 9, msg_len = prefix_len + info_len + 1;
	uint8_t msg[HKDF_GROUP][FSCRYPT_EXT__HMAC512_SHORT_MAX];
	uint8_t t[HKDF_GROUP][HKDF_HASH_LEN];
	const uint8_t *m[HKDF_GROUP];
	size_t lens[HKDF_GROUP], i;

	if (h == NULL || (n != 0 && (infos == NULL || okms == NULL)) || okm_len > HKDF_MAX_OKM)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	for (i = 0; i < n; i++)
		if (okms[i] == NULL || (infos[i] == NULL && info_len != 0))
			return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (okm_len > HKDF_HASH_LEN || msg_len > FSCRYPT_EXT__HMAC512_SHORT_MAX) {
		/* Several HMAC blocks per key (T(2) depends on T(1)) or a long info: one key at a time. */
		for (i = 0; i < n; i++)
			(void)fscrypt_ext__hkdf_expand(h, context, infos[i], info_len, okms[i], okm_len);
		return FSCRYPT_EXT_OK;
	}
	while (n) {
		size_t g = n < HKDF_GROUP ? n : HKDF_GROUP;

		/* T(1) = HMAC(PRK, "fscrypt\0" || context || info || 0x01), spec section 4. */
		for (i = 0; i < g; i++) {
			memcpy(msg[i], "fscrypt", 8);
			msg[i][8] = context;
			if (info_len)
				memcpy(msg[i] + prefix_len, infos[i], info_len);
			msg[i][prefix_len + info_len] = 1;
			m[i] = msg[i];
			lens[i] = msg_len;
		}
		fscrypt_ext__hmac512_n(hkdf_cstate(h), m, lens, g, t);
		for (i = 0; i < g; i++)
			memcpy(okms[i], t[i], okm_len);
		infos += g, okms += g, n -= g;
	}
	fscrypt_ext__wipe(t, sizeof(t));
	fscrypt_ext__wipe(msg, sizeof(msg));
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext__hkdf_wipe(struct fscrypt_ext__hkdf *h)
{
	if (h != NULL)
		fscrypt_ext__wipe(h, sizeof(*h));
}

FSCRYPT_EXT_API int fscrypt_ext_hkdf_sha512(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
					    size_t salt_len, const uint8_t *info, size_t info_len,
					    uint8_t *okm, size_t okm_len)
{
	struct fscrypt_ext__hmac512 st;
	uint8_t prk[HKDF_HASH_LEN];
	int err;

	if ((ikm == NULL && ikm_len != 0) || (salt == NULL && salt_len != 0) ||
	    (info == NULL && info_len != 0) || (okm == NULL && okm_len != 0) || okm_len > HKDF_MAX_OKM)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	hkdf_extract(salt, salt_len, ikm, ikm_len, prk);
	fscrypt_ext__hmac512_init(&st, prk, sizeof(prk));
	hkdf_expand_parts(&st, NULL, 0, info, info_len, okm, okm_len);
	fscrypt_ext__wipe(&st, sizeof(st));
	fscrypt_ext__wipe(prk, sizeof(prk));
	return FSCRYPT_EXT_OK;
}
