/* No-key names: base64url of the dirhash words and the ciphertext (or its prefix and SHA-256); docs/nokey-names.md, the kernel's fscrypt_fname_disk_to_usr(). */
#include <sodium.h>

#include "internal.h"
#include "fscrypt_ext/inode.h"
#include "fscrypt_ext/nokey.h"
#include "nokey_internal.h"

/* struct fscrypt_nokey_name: u32 dirhash[2], u8 bytes[149], u8 sha256[32]. */
#define NOKEY_HASH_BYTES 8
#define NOKEY_SHA_OFFSET (NOKEY_HASH_BYTES + FSCRYPT_EXT_NOKEY_NAME_BYTES) /* 157 */
#define NOKEY_MAX (NOKEY_SHA_OFFSET + 32)                                 /* 189 */

/* RFC 4648 base64url without '=' padding: ceil(4n / 3) characters. */
static size_t b64_encoded_len(size_t n)
{
	return (4 * n + 2) / 3;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * As Linux 6.18's decoder (fs/crypto/fname.c): alphabet only, and the
 * leftover bits must be zero. That accepts a trailing group of 6 zero bits
 * (one extra 'A'), which libsodium's strict decoder refuses, so decoding is
 * our own while encoding is libsodium's. Returns the length or -1.
 */
static long b64_decode(const char *src, size_t n, uint8_t *dst, size_t cap)
{
	uint32_t ac = 0;
	unsigned int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int v = b64_value(src[i]);

		if (v < 0)
			return -1;
		ac = (ac << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			dst[o++] = (uint8_t)(ac >> bits);
		}
	}
	if (ac & ((1u << bits) - 1))
		return -1;
	return (long)o;
}

FSCRYPT_EXT_API int fscrypt_ext_nokey_name_encode(const uint8_t *ct, size_t ct_len, uint32_t hash,
						  uint32_t minor_hash, char *out, size_t out_cap, size_t *out_len)
{
	if (ct == NULL || out == NULL || out_len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (ct_len > FSCRYPT_EXT_NAME_MAX)
		return FSCRYPT_EXT_ERR_CORRUPT;
	return fscrypt_ext__nokey_encode(ct, ct_len, hash, minor_hash, out, out_cap, out_len);
}

/* fscrypt_fname_disk_to_usr() without a key; symlink targets may be far longer than a name. */
int fscrypt_ext__nokey_encode(const uint8_t *ct, size_t ct_len, uint32_t hash, uint32_t minor_hash, char *out,
			      size_t out_cap, size_t *out_len)
{
	uint8_t raw[NOKEY_MAX];
	size_t raw_len;

	if (ct_len < 16)
		return FSCRYPT_EXT_ERR_CORRUPT;
	/* The kernel stores the words CPU-endian; little-endian is what every usual platform writes. */
	fscrypt_ext__put_le32(raw, hash);
	fscrypt_ext__put_le32(raw + 4, minor_hash);
	if (ct_len <= FSCRYPT_EXT_NOKEY_NAME_BYTES) {
		memcpy(raw + NOKEY_HASH_BYTES, ct, ct_len);
		raw_len = NOKEY_HASH_BYTES + ct_len;
	} else {
		memcpy(raw + NOKEY_HASH_BYTES, ct, FSCRYPT_EXT_NOKEY_NAME_BYTES);
		crypto_hash_sha256(raw + NOKEY_SHA_OFFSET, ct + FSCRYPT_EXT_NOKEY_NAME_BYTES,
				   ct_len - FSCRYPT_EXT_NOKEY_NAME_BYTES);
		raw_len = NOKEY_MAX;
	}
	if (out_cap < b64_encoded_len(raw_len) + 1)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	sodium_bin2base64(out, out_cap, raw, raw_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*out_len = b64_encoded_len(raw_len);
	return FSCRYPT_EXT_OK;
}

/* fscrypt_setup_filename(): decoded size at least 9, and either the full ciphertext (<= 157) or exactly 189. */
FSCRYPT_EXT_API int fscrypt_ext_nokey_name_decode(const char *name, size_t name_len,
						  struct fscrypt_ext_nokey_name *out)
{
	uint8_t raw[NOKEY_MAX];
	struct fscrypt_ext_nokey_name nk;
	long n;

	if ((name == NULL && name_len != 0) || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (name_len > FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED)
		return FSCRYPT_EXT_ERR_NO_KEY_NAME;
	n = b64_decode(name, name_len, raw, sizeof(raw));
	if (n < NOKEY_HASH_BYTES + 1 || (n > NOKEY_SHA_OFFSET && n != NOKEY_MAX))
		return FSCRYPT_EXT_ERR_NO_KEY_NAME;
	memset(&nk, 0, sizeof(nk));
	nk.hash = fscrypt_ext__le32(raw);
	nk.minor_hash = fscrypt_ext__le32(raw + 4);
	if (n == NOKEY_MAX) {
		nk.has_sha256 = true;
		nk.bytes_len = FSCRYPT_EXT_NOKEY_NAME_BYTES;
		memcpy(nk.bytes, raw + NOKEY_HASH_BYTES, FSCRYPT_EXT_NOKEY_NAME_BYTES);
		memcpy(nk.sha256, raw + NOKEY_SHA_OFFSET, 32);
	} else {
		nk.bytes_len = (size_t)n - NOKEY_HASH_BYTES;
		memcpy(nk.bytes, raw + NOKEY_HASH_BYTES, nk.bytes_len);
	}
	*out = nk;
	return FSCRYPT_EXT_OK;
}

/* fscrypt_match_name(): exact bytes, or the 149-byte prefix plus SHA-256 of the rest. */
FSCRYPT_EXT_API bool fscrypt_ext_nokey_name_matches(const struct fscrypt_ext_nokey_name *nk, const uint8_t *ct,
						    size_t ct_len)
{
	uint8_t sha[crypto_hash_sha256_BYTES];

	/* bytes_len past the array can only come from a hand-built struct: never read beyond it. */
	if (nk == NULL || ct == NULL || nk->bytes_len > FSCRYPT_EXT_NOKEY_NAME_BYTES)
		return false;
	if (!nk->has_sha256)
		return nk->bytes_len == ct_len && memcmp(ct, nk->bytes, ct_len) == 0;
	if (ct_len <= FSCRYPT_EXT_NOKEY_NAME_BYTES || memcmp(ct, nk->bytes, FSCRYPT_EXT_NOKEY_NAME_BYTES) != 0)
		return false;
	if (fscrypt_ext__init() != FSCRYPT_EXT_OK)
		return false;
	crypto_hash_sha256(sha, ct + FSCRYPT_EXT_NOKEY_NAME_BYTES, ct_len - FSCRYPT_EXT_NOKEY_NAME_BYTES);
	return memcmp(sha, nk->sha256, sizeof(sha)) == 0;
}
