/* Adiantum with XChaCha12 and AES-256 (Crowley & Biggers 2018; Linux crypto/adiantum.c). */
#include "adiantum.h"
#include "dispatch.h"
#include "le_fast.h"

#define ADIANTUM_ROUNDS 12
#define DERIVED_BYTES (32 + 16 + 16 + FSCRYPT_EXT__NH_KEY_BYTES)

/* 128-bit integers mod 2^128, stored little-endian: the hash and the right-hand block are added as such. */
struct le128 {
	uint64_t lo, hi;
};

static struct le128 le128_load(const uint8_t *p)
{
	struct le128 v = { fscrypt_ext__load_le64(p), fscrypt_ext__load_le64(p + 8) };

	return v;
}

static void le128_store(uint8_t *p, struct le128 v)
{
	fscrypt_ext__store_le64(p, v.lo);
	fscrypt_ext__store_le64(p + 8, v.hi);
}

static struct le128 le128_add(struct le128 a, struct le128 b)
{
	struct le128 r = { a.lo + b.lo, a.hi + b.hi + (a.lo + b.lo < a.lo) };

	return r;
}

static struct le128 le128_sub(struct le128 a, struct le128 b)
{
	struct le128 r = { a.lo - b.lo, a.hi - b.hi - (a.lo < b.lo) };

	return r;
}

/*
 * Poly1305 (tweak key, no s) of the message length in bits as a 16-byte
 * little-endian block, then the tweak (RFC 8439 padding for a final partial
 * block). It depends only on the tweak and the length, so one computation
 * serves both hash steps of an operation.
 */
static struct le128 tweak_hash(const struct fscrypt_ext__adiantum_key *k, size_t bulk_len,
			       const uint8_t *tweak, size_t tweak_len)
{
	struct fscrypt_ext__poly1305_state st;
	uint8_t block[16] = { 0 };

	fscrypt_ext__store_le64(block, (uint64_t)bulk_len * 8);
	fscrypt_ext__poly1305_init(&st);
	fscrypt_ext__poly1305_blocks(&st, &k->tweak_poly, block, 1);
	fscrypt_ext__poly1305_blocks(&st, &k->tweak_poly, tweak, tweak_len / 16);
	if (tweak_len % 16)
		fscrypt_ext__poly1305_partial(&st, &k->tweak_poly, tweak + (tweak_len & ~(size_t)15), tweak_len % 16);
	fscrypt_ext__poly1305_emit(&st, block);
	return le128_load(block);
}

/*
 * NH of the last chunk when its length is not a multiple of 16: NH is a sum
 * over units, so hash the whole units in place and add the zero-padded last
 * unit hashed with the key shifted to its position.
 */
static void nh_padded(const struct fscrypt_ext__adiantum_key *k, const uint8_t *msg, size_t len, uint8_t out[32])
{
	size_t whole = len & ~(size_t)(FSCRYPT_EXT__NH_UNIT - 1);
	uint8_t unit[FSCRYPT_EXT__NH_UNIT] = { 0 };
	uint8_t last[FSCRYPT_EXT__NH_HASH_BYTES];
	int i;

	memcpy(unit, msg + whole, len - whole);
	k->nh->hash(k->nh_key + whole / 4, unit, FSCRYPT_EXT__NH_UNIT, last);
	if (whole == 0) {
		memcpy(out, last, sizeof(last));
	} else {
		k->nh->hash(k->nh_key, msg, whole, out);
		for (i = 0; i < 4; i++)
			fscrypt_ext__store_le64(out + 8 * i, fscrypt_ext__load_le64(out + 8 * i) + fscrypt_ext__load_le64(last + 8 * i));
	}
	fscrypt_ext__wipe(unit, sizeof(unit));
}

/* NH-Poly1305 (Linux nhpoly1305): NH of each 1 KiB chunk (the last one zero-padded to 16 bytes), Poly1305 of the NH outputs. */
static struct le128 message_hash(const struct fscrypt_ext__adiantum_key *k, const uint8_t *msg, size_t len)
{
	struct fscrypt_ext__poly1305_state st;
	uint8_t nh[FSCRYPT_EXT__NH_HASH_BYTES];

	fscrypt_ext__poly1305_init(&st);
	for (; len >= FSCRYPT_EXT__NH_MESSAGE_BYTES; len -= FSCRYPT_EXT__NH_MESSAGE_BYTES, msg += FSCRYPT_EXT__NH_MESSAGE_BYTES) {
		k->nh->hash(k->nh_key, msg, FSCRYPT_EXT__NH_MESSAGE_BYTES, nh);
		fscrypt_ext__poly1305_blocks(&st, &k->msg_poly, nh, sizeof(nh) / 16);
	}
	if (len % FSCRYPT_EXT__NH_UNIT)
		nh_padded(k, msg, len, nh);
	else if (len > 0)
		k->nh->hash(k->nh_key, msg, len, nh);
	if (len > 0)
		fscrypt_ext__poly1305_blocks(&st, &k->msg_poly, nh, sizeof(nh) / 16);
	fscrypt_ext__poly1305_emit(&st, nh);
	return le128_load(nh);
}

void fscrypt_ext__adiantum_nhpoly1305(const struct fscrypt_ext__adiantum_key *k, const uint8_t *msg, size_t len,
				      uint8_t out[16])
{
	le128_store(out, message_hash(k, msg, len));
}

/* XChaCha12 of the bulk under the nonce C_M || 1 || 0^7 (Linux: rbuf.words[4] = 1). */
static void stream_xor(const struct fscrypt_ext__adiantum_key *k, const uint8_t cm[16], const uint8_t *in,
		       uint8_t *out, size_t len)
{
	uint8_t nonce[FSCRYPT_EXT__XCHACHA_NONCE] = { 0 };
	uint32_t state[16];

	memcpy(nonce, cm, 16);
	nonce[16] = 1;
	fscrypt_ext__xchacha_init(state, k->stream_key, nonce, ADIANTUM_ROUNDS);
	if (len > 0)
		k->chacha->xor_stream(state, in, out, len, ADIANTUM_ROUNDS);
	fscrypt_ext__wipe(state, sizeof(state));
}

void fscrypt_ext__adiantum_encrypt(const struct fscrypt_ext__adiantum_key *k, const uint8_t *tweak, size_t tweak_len,
				   const uint8_t *in, uint8_t *out, size_t len)
{
	const size_t bulk = len - 16;
	const struct le128 th = tweak_hash(k, bulk, tweak, tweak_len);
	struct le128 v;
	uint8_t block[16];

	/* P_M = P_R + H(T, P_L); C_M = AES(P_M); C_L = P_L ^ XChaCha12(C_M); C_R = C_M - H(T, C_L) */
	v = le128_add(le128_load(in + bulk), le128_add(th, message_hash(k, in, bulk)));
	le128_store(block, v);
	fscrypt_ext__aes_ecb_encrypt(&k->aes, block, block, 1);
	stream_xor(k, block, in, out, bulk);
	v = le128_sub(le128_load(block), le128_add(th, message_hash(k, out, bulk)));
	le128_store(out + bulk, v);
	fscrypt_ext__wipe(block, sizeof(block));
}

void fscrypt_ext__adiantum_decrypt(const struct fscrypt_ext__adiantum_key *k, const uint8_t *tweak, size_t tweak_len,
				   const uint8_t *in, uint8_t *out, size_t len)
{
	const size_t bulk = len - 16;
	const struct le128 th = tweak_hash(k, bulk, tweak, tweak_len);
	struct le128 v;
	uint8_t block[16];

	/* C_M = C_R + H(T, C_L); P_L = C_L ^ XChaCha12(C_M); P_M = AES^-1(C_M); P_R = P_M - H(T, P_L) */
	v = le128_add(le128_load(in + bulk), le128_add(th, message_hash(k, in, bulk)));
	le128_store(block, v);
	stream_xor(k, block, in, out, bulk);
	fscrypt_ext__aes_ecb_decrypt(&k->aes, block, block, 1);
	v = le128_sub(le128_load(block), le128_add(th, message_hash(k, out, bulk)));
	le128_store(out + bulk, v);
	fscrypt_ext__wipe(block, sizeof(block));
}

int fscrypt_ext__adiantum_setkey_impl(struct fscrypt_ext__adiantum_key *k, const uint8_t key[32],
				      const struct fscrypt_ext__chacha_impl *chacha,
				      const struct fscrypt_ext__nh_impl *nh,
				      const struct fscrypt_ext__aes_impl *aes)
{
	static const uint8_t derive_nonce[FSCRYPT_EXT__XCHACHA_NONCE] = { 1 };
	uint8_t derived[DERIVED_BYTES];
	uint32_t state[16];
	int err;

	k->chacha = chacha;
	k->nh = nh;
	fscrypt_ext__chacha_load_key(k->stream_key, key);
	memset(derived, 0, sizeof(derived));
	fscrypt_ext__xchacha_init(state, k->stream_key, derive_nonce, ADIANTUM_ROUNDS);
	chacha->xor_stream(state, derived, derived, sizeof(derived), ADIANTUM_ROUNDS);
	if (aes != NULL)
		err = fscrypt_ext__aes_setkey_impl(&k->aes, derived, 32, aes);
	else
		err = fscrypt_ext__aes_setkey(&k->aes, derived, 32);
	fscrypt_ext__poly1305_setkey(&k->tweak_poly, derived + 32);
	fscrypt_ext__poly1305_setkey(&k->msg_poly, derived + 48);
	nh->load_key(k->nh_key, derived + 64);
	fscrypt_ext__wipe(derived, sizeof(derived));
	fscrypt_ext__wipe(state, sizeof(state));
	if (err != FSCRYPT_EXT_OK)
		fscrypt_ext__adiantum_key_wipe(k);
	return err;
}

int fscrypt_ext__adiantum_setkey(struct fscrypt_ext__adiantum_key *k, const uint8_t key[32])
{
	const struct fscrypt_ext__dispatch *d = fscrypt_ext__dispatch();

	return fscrypt_ext__adiantum_setkey_impl(k, key, d->chacha, d->nh, d->aes);
}

void fscrypt_ext__adiantum_key_wipe(struct fscrypt_ext__adiantum_key *k)
{
	fscrypt_ext__wipe(k, sizeof(*k));
}
