/* HCTR2 with AES (google/hctr2 specification; Linux hctr2(aes)): hash, one block encryption, XCTR, hash. */
#include "hctr2.h"

#include "dispatch.h"

static void xor_bytes(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = a[i] ^ b[i];
}

int fscrypt_ext__hctr2_setkey_impl(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len,
				   const struct fscrypt_ext__aes_impl *aes, const struct fscrypt_ext__polyval_impl *polyval)
{
	uint8_t blk[16] = { 0 }, h[16];
	int err;

	if (aes != NULL)
		err = fscrypt_ext__aes_setkey_impl(&k->aes, key, key_len, aes);
	else
		err = fscrypt_ext__aes_setkey(&k->aes, key, key_len);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* h = E(le128(0)), L = E(le128(1)). */
	fscrypt_ext__aes_ecb_encrypt(&k->aes, blk, h, 1);
	blk[0] = 1;
	fscrypt_ext__aes_ecb_encrypt(&k->aes, blk, k->l, 1);
	/* POLYVAL from the dispatch (or the caller); XCTR must read this AES backend's round keys. */
	fscrypt_ext__polyval_setkey(&k->polyval, h, polyval);
	k->xctr = fscrypt_ext__xctr_for(k->aes.impl);
	fscrypt_ext__wipe(h, sizeof(h));
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__hctr2_setkey(struct fscrypt_ext__hctr2_key *k, const uint8_t *key, size_t key_len)
{
	return fscrypt_ext__hctr2_setkey_impl(k, key, key_len, NULL, NULL);
}

void fscrypt_ext__hctr2_key_wipe(struct fscrypt_ext__hctr2_key *k)
{
	fscrypt_ext__wipe(k, sizeof(*k));
}

/*
 * The hash state after the length block and the tweak. The first block is
 * le128(2 * 8 * tweak_len + 2), plus 1 when the message is not a multiple of
 * 16 bytes; the tweak is zero-padded to a block boundary.
 */
static void hash_tweak(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len, int ragged,
		       uint8_t acc[16])
{
	/* Short tweaks (fscrypt's 32 bytes) go in one call with the length block: one reduction. */
	uint8_t blk[16 + 64] = { 0 };
	size_t full = tweak_len / 16, rem = tweak_len % 16;

	memset(acc, 0, 16);
	fscrypt_ext__put_le64(blk, (uint64_t)tweak_len * 16 + 2 + (ragged ? 1 : 0));
	if (tweak_len <= 64) {
		if (tweak_len)
			memcpy(blk + 16, tweak, tweak_len);
		fscrypt_ext__polyval_update(&k->polyval, acc, blk, 1 + (tweak_len + 15) / 16);
		return;
	}
	fscrypt_ext__polyval_update(&k->polyval, acc, blk, 1);
	fscrypt_ext__polyval_update(&k->polyval, acc, tweak, full);
	if (rem) {
		memset(blk, 0, 16);
		memcpy(blk, tweak + 16 * full, rem);
		fscrypt_ext__polyval_update(&k->polyval, acc, blk, 1);
	}
}

/* Continues the hash over the message; a partial last block is padded with 0x01 then zeros. */
static void hash_message(const struct fscrypt_ext__hctr2_key *k, const uint8_t tweak_state[16], const uint8_t *msg,
			 size_t len, uint8_t out[16])
{
	uint8_t blk[16] = { 0 };
	size_t full = len / 16, rem = len % 16;

	memcpy(out, tweak_state, 16);
	fscrypt_ext__polyval_update(&k->polyval, out, msg, full);
	if (rem) {
		memcpy(blk, msg + 16 * full, rem);
		blk[rem] = 1;
		fscrypt_ext__polyval_update(&k->polyval, out, blk, 1);
		fscrypt_ext__wipe(blk, sizeof(blk));
	}
}

/*
 * The bulk part through XCTR, then the second hash over what XCTR produced.
 * (Fusing the two loops was measured on Zen 4: AES and VPCLMULQDQ hardly
 * overlap there, so the plain order stays.)
 */
static void xctr_then_hash(const struct fscrypt_ext__hctr2_key *k, const uint8_t s[16], const uint8_t ts[16],
			   const uint8_t *in, uint8_t *out, size_t len, uint8_t hash[16])
{
	k->xctr(&k->aes, s, in, out, len);
	hash_message(k, ts, out, len, hash);
}

/* Per-call temporaries, wiped together. */
struct hctr2_tmp {
	uint8_t ts[16]; /* hash state after the length block and the tweak */
	uint8_t mm[16];
	uint8_t uu[16];
	uint8_t s[16];  /* XCTR nonce */
	uint8_t h[16];  /* second hash */
};

void fscrypt_ext__hctr2_encrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len)
{
	struct hctr2_tmp t;
	size_t nlen = len - 16;

	if (len < 16)
		return;
	hash_tweak(k, tweak, tweak_len, nlen % 16 != 0, t.ts);
	hash_message(k, t.ts, in + 16, nlen, t.mm);
	xor_bytes(t.mm, t.mm, in, 16);
	fscrypt_ext__aes_ecb_encrypt(&k->aes, t.mm, t.uu, 1);
	xor_bytes(t.s, t.mm, t.uu, 16);
	xor_bytes(t.s, t.s, k->l, 16);
	xctr_then_hash(k, t.s, t.ts, in + 16, out + 16, nlen, t.h);
	xor_bytes(out, t.uu, t.h, 16);
	fscrypt_ext__wipe(&t, sizeof(t));
}

void fscrypt_ext__hctr2_decrypt(const struct fscrypt_ext__hctr2_key *k, const uint8_t *tweak, size_t tweak_len,
				const uint8_t *in, uint8_t *out, size_t len)
{
	struct hctr2_tmp t;
	size_t nlen = len - 16;

	if (len < 16)
		return;
	hash_tweak(k, tweak, tweak_len, nlen % 16 != 0, t.ts);
	hash_message(k, t.ts, in + 16, nlen, t.uu);
	xor_bytes(t.uu, t.uu, in, 16);
	fscrypt_ext__aes_ecb_decrypt(&k->aes, t.uu, t.mm, 1);
	xor_bytes(t.s, t.mm, t.uu, 16);
	xor_bytes(t.s, t.s, k->l, 16);
	xctr_then_hash(k, t.s, t.ts, in + 16, out + 16, nlen, t.h);
	xor_bytes(out, t.mm, t.h, 16);
	fscrypt_ext__wipe(&t, sizeof(t));
}
