/* NH with Adiantum's parameters: portable code and the backend table. */
#include "nh.h"
#include "le_fast.h"

/*
 * Pass p pairs message word j with key word j + 4p and multiplies the sums
 * of words 0 and 2, and 1 and 3, of each 16-byte unit (stride 2), all mod
 * 2^32, accumulating the 64-bit products mod 2^64.
 */
static void nh_portable_hash(const uint32_t *key, const uint8_t *msg, size_t len, uint8_t out[FSCRYPT_EXT__NH_HASH_BYTES])
{
	uint64_t sums[4] = { 0, 0, 0, 0 };
	uint32_t m0, m1, m2, m3;
	const uint32_t *k;
	int p;

	for (; len >= FSCRYPT_EXT__NH_UNIT; len -= FSCRYPT_EXT__NH_UNIT, msg += FSCRYPT_EXT__NH_UNIT, key += 4) {
		m0 = fscrypt_ext__load_le32(msg);
		m1 = fscrypt_ext__load_le32(msg + 4);
		m2 = fscrypt_ext__load_le32(msg + 8);
		m3 = fscrypt_ext__load_le32(msg + 12);
		for (p = 0; p < 4; p++) {
			k = key + 4 * p;
			sums[p] += (uint64_t)(uint32_t)(m0 + k[0]) * (uint32_t)(m2 + k[2]);
			sums[p] += (uint64_t)(uint32_t)(m1 + k[1]) * (uint32_t)(m3 + k[3]);
		}
	}
	for (p = 0; p < 4; p++)
		fscrypt_ext__store_le64(out + 8 * p, sums[p]);
}

static void nh_portable_load_key(uint32_t *key, const uint8_t *bytes)
{
	size_t i;

	for (i = 0; i < FSCRYPT_EXT__NH_KEY_WORDS; i++)
		key[i] = fscrypt_ext__load_le32(bytes + 4 * i);
}

static int nh_portable_available(void)
{
	return 1;
}

const struct fscrypt_ext__nh_impl fscrypt_ext__nh_portable = {
	.name = "portable",
	.available = nh_portable_available,
	.load_key = nh_portable_load_key,
	.hash = nh_portable_hash,
};
