/* ChaCha/HChaCha/XChaCha: portable code, state setup and the backend table (Adiantum's stream cipher). */
#include "chacha.h"
#include "le_fast.h"

#define ROTL32(v, n) (((v) << (n)) | ((v) >> (32 - (n))))

#define QUARTERROUND(a, b, c, d)                    \
	do {                                        \
		a += b; d ^= a; d = ROTL32(d, 16);  \
		c += d; b ^= c; b = ROTL32(b, 12);  \
		a += b; d ^= a; d = ROTL32(d, 8);   \
		c += d; b ^= c; b = ROTL32(b, 7);   \
	} while (0)

/* "expand 32-byte k" */
static const uint32_t chacha_constants[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };

void fscrypt_ext__chacha_permute(uint32_t x[16], int rounds)
{
	uint32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
	uint32_t x8 = x[8], x9 = x[9], x10 = x[10], x11 = x[11], x12 = x[12], x13 = x[13], x14 = x[14], x15 = x[15];
	int i;

	for (i = 0; i < rounds; i += 2) {
		QUARTERROUND(x0, x4, x8, x12);
		QUARTERROUND(x1, x5, x9, x13);
		QUARTERROUND(x2, x6, x10, x14);
		QUARTERROUND(x3, x7, x11, x15);
		QUARTERROUND(x0, x5, x10, x15);
		QUARTERROUND(x1, x6, x11, x12);
		QUARTERROUND(x2, x7, x8, x13);
		QUARTERROUND(x3, x4, x9, x14);
	}
	x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3; x[4] = x4; x[5] = x5; x[6] = x6; x[7] = x7;
	x[8] = x8; x[9] = x9; x[10] = x10; x[11] = x11; x[12] = x12; x[13] = x13; x[14] = x14; x[15] = x15;
}

void fscrypt_ext__chacha_load_key(uint32_t key[8], const uint8_t bytes[32])
{
	int i;

	for (i = 0; i < 8; i++)
		key[i] = fscrypt_ext__load_le32(bytes + 4 * i);
}

void fscrypt_ext__chacha_init(uint32_t state[16], const uint32_t key[8], uint64_t counter, const uint8_t nonce[8])
{
	memcpy(state, chacha_constants, sizeof(chacha_constants));
	memcpy(state + 4, key, 8 * sizeof(uint32_t));
	state[12] = (uint32_t)counter;
	state[13] = (uint32_t)(counter >> 32);
	state[14] = fscrypt_ext__load_le32(nonce);
	state[15] = fscrypt_ext__load_le32(nonce + 4);
}

/* HChaCha: the permuted state's first and last rows, with no feed-forward (XChaCha paper / Linux hchacha_block). */
void fscrypt_ext__hchacha(uint32_t subkey[8], const uint32_t key[8], const uint8_t nonce[16], int rounds)
{
	uint32_t x[16];
	int i;

	memcpy(x, chacha_constants, sizeof(chacha_constants));
	memcpy(x + 4, key, 8 * sizeof(uint32_t));
	for (i = 0; i < 4; i++)
		x[12 + i] = fscrypt_ext__load_le32(nonce + 4 * i);
	fscrypt_ext__chacha_permute(x, rounds);
	memcpy(subkey, x, 4 * sizeof(uint32_t));
	memcpy(subkey + 4, x + 12, 4 * sizeof(uint32_t));
	fscrypt_ext__wipe(x, sizeof(x));
}

void fscrypt_ext__xchacha_init(uint32_t state[16], const uint32_t key[8], const uint8_t nonce[24], int rounds)
{
	uint32_t subkey[8];

	fscrypt_ext__hchacha(subkey, key, nonce, rounds);
	fscrypt_ext__chacha_init(state, subkey, 0, nonce + 16);
	fscrypt_ext__wipe(subkey, sizeof(subkey));
}

/* One block of keystream into x (words), advancing the counter; callers wipe x. */
static void chacha_keystream_words(uint32_t state[16], uint32_t x[16], int rounds)
{
	int i;

	memcpy(x, state, 16 * sizeof(uint32_t));
	fscrypt_ext__chacha_permute(x, rounds);
	for (i = 0; i < 16; i++)
		x[i] += state[i];
	if (++state[12] == 0)
		state[13]++;
}

static void chacha_portable_xor(uint32_t state[16], const uint8_t *in, uint8_t *out, size_t len, int rounds)
{
	uint32_t x[16];
	uint8_t ks[FSCRYPT_EXT__CHACHA_BLOCK];
	size_t i;

	while (len >= FSCRYPT_EXT__CHACHA_BLOCK) {
		chacha_keystream_words(state, x, rounds);
		for (i = 0; i < 16; i++)
			fscrypt_ext__store_le32(out + 4 * i, fscrypt_ext__load_le32(in + 4 * i) ^ x[i]);
		in += FSCRYPT_EXT__CHACHA_BLOCK;
		out += FSCRYPT_EXT__CHACHA_BLOCK;
		len -= FSCRYPT_EXT__CHACHA_BLOCK;
	}
	if (len > 0) {
		chacha_keystream_words(state, x, rounds);
		for (i = 0; i < 16; i++)
			fscrypt_ext__store_le32(ks + 4 * i, x[i]);
		for (i = 0; i < len; i++)
			out[i] = in[i] ^ ks[i];
		fscrypt_ext__wipe(ks, sizeof(ks));
	}
	fscrypt_ext__wipe(x, sizeof(x));
}

static int chacha_portable_available(void)
{
	return 1;
}

const struct fscrypt_ext__chacha_impl fscrypt_ext__chacha_portable = {
	.name = "portable",
	.available = chacha_portable_available,
	.xor_stream = chacha_portable_xor,
};
