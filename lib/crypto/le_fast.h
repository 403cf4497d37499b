/* Little-endian loads and stores through memcpy, so hot loops compile to single moves (internal.h's byte-wise forms do not always merge). */
#ifndef FSCRYPT_EXT_CRYPTO_LE_FAST_H
#define FSCRYPT_EXT_CRYPTO_LE_FAST_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FSCRYPT_EXT__LE32(v) __builtin_bswap32(v)
#define FSCRYPT_EXT__LE64(v) __builtin_bswap64(v)
#else
#define FSCRYPT_EXT__LE32(v) (v)
#define FSCRYPT_EXT__LE64(v) (v)
#endif

static inline uint32_t fscrypt_ext__load_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return FSCRYPT_EXT__LE32(v);
}

static inline uint64_t fscrypt_ext__load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return FSCRYPT_EXT__LE64(v);
}

static inline void fscrypt_ext__store_le32(uint8_t *p, uint32_t v)
{
	v = FSCRYPT_EXT__LE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void fscrypt_ext__store_le64(uint8_t *p, uint64_t v)
{
	v = FSCRYPT_EXT__LE64(v);
	memcpy(p, &v, sizeof(v));
}

#endif
