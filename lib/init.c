/* Library initialisation, secret memory helpers, version getters, error messages and mode facts. */
#include <pthread.h>
#include <stdlib.h>

#include <sodium.h>

#include "internal.h"
#include "cipher.h"
#include "cpu.h"
#include "secmem.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = FSCRYPT_EXT_ERR_CRYPTO;

static void init_body(void)
{
	if (sodium_init() < 0) {
		init_result = FSCRYPT_EXT_ERR_CRYPTO;
		return;
	}
	/* Feature detection caches itself; doing it here keeps later calls lock-free. */
	(void)fscrypt_ext__cpu_features();
	init_result = FSCRYPT_EXT_OK;
}

int fscrypt_ext__init(void)
{
	if (pthread_once(&init_once, init_body) != 0)
		return FSCRYPT_EXT_ERR_CRYPTO;
	return init_result;
}

FSCRYPT_EXT_API int fscrypt_ext_init(void)
{
	return fscrypt_ext__init();
}

void fscrypt_ext__wipe(void *p, size_t n)
{
	if (p != NULL && n != 0)
		sodium_memzero(p, n);
}

__attribute__((noinline)) void fscrypt_ext__wipe_stack(void)
{
	uint8_t area[FSCRYPT_EXT__STACK_WIPE_BYTES];

	sodium_memzero(area, sizeof(area));
	__asm__ volatile("" : : "r"(area) : "memory");
}

/*
 * Derived-key objects live in locked, non-dumpable slabs (secmem.c), 64-byte
 * aligned so AES schedules never straddle lines needlessly. ASan builds keep
 * them in ASan's own heap instead, whose redzones and quarantine catch
 * overflows and use-after-free that a reusing slab would hide.
 */
void *fscrypt_ext__alloc_secret(size_t size)
{
	size_t rounded = (size + 63) & ~(size_t)63;

	if (size == 0 || rounded < size)
		return NULL;
#if FSCRYPT_EXT__SECMEM_ASAN
	void *p = NULL;

	if (posix_memalign(&p, 64, rounded) != 0)
		return NULL;
	memset(p, 0, rounded);
	return p;
#else
	/* Blocks come zeroed: fresh mappings are zero and every freed block is wiped. */
	return fscrypt_ext__secmem_alloc(size);
#endif
}

void fscrypt_ext__free_secret(void *p, size_t size)
{
	if (p == NULL)
		return;
#if FSCRYPT_EXT__SECMEM_ASAN
	fscrypt_ext__wipe(p, size);
	free(p);
#else
	fscrypt_ext__secmem_free(p, size); /* wipes */
#endif
}

FSCRYPT_EXT_API const char *fscrypt_ext_version_string(void)
{
	return FSCRYPT_EXT_VERSION_STRING;
}

FSCRYPT_EXT_API unsigned int fscrypt_ext_version_number(void)
{
	return FSCRYPT_EXT_VERSION_NUMBER;
}

FSCRYPT_EXT_API const char *fscrypt_ext_strerror(int err)
{
	switch (err) {
	case FSCRYPT_EXT_OK: return "success";
	case FSCRYPT_EXT_ERR_INVALID_ARG: return "invalid argument";
	case FSCRYPT_EXT_ERR_NOMEM: return "out of memory";
	case FSCRYPT_EXT_ERR_TRUNCATED: return "input is shorter than its format requires";
	case FSCRYPT_EXT_ERR_OVERSIZED: return "input is longer than its format allows";
	case FSCRYPT_EXT_ERR_BAD_VERSION: return "unknown policy or context version";
	case FSCRYPT_EXT_ERR_RESERVED_BITS: return "reserved bytes are not zero";
	case FSCRYPT_EXT_ERR_UNSUPPORTED_MODES: return "unsupported combination of encryption modes";
	case FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS: return "unsupported policy flags";
	case FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS: return "DIRECT_KEY, IV_INO_LBLK_64 and IV_INO_LBLK_32 are mutually exclusive";
	case FSCRYPT_EXT_ERR_DIRECT_KEY_MODES: return "DIRECT_KEY needs equal modes with a 32-byte IV (Adiantum)";
	case FSCRYPT_EXT_ERR_DATA_UNIT_SIZE: return "data unit size not allowed on this filesystem";
	case FSCRYPT_EXT_ERR_IV_INO_LBLK: return "IV_INO_LBLK policies need AES-256-XTS, stable 32-bit inode numbers and 32-bit data unit indices";
	case FSCRYPT_EXT_ERR_CASEFOLD_V1: return "v1 policies cannot be used on casefolded directories";
	case FSCRYPT_EXT_ERR_KEY_SIZE: return "master key size not allowed for this use";
	case FSCRYPT_EXT_ERR_WRONG_KEY: return "master key does not match the policy's key identifier or descriptor";
	case FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
	case FSCRYPT_EXT_ERR_ALIGNMENT: return "offset or length is not a multiple of the data unit size";
	case FSCRYPT_EXT_ERR_NAME_TOO_LONG: return "name or symlink target too long";
	case FSCRYPT_EXT_ERR_CORRUPT: return "on-disk data is corrupt";
	case FSCRYPT_EXT_ERR_BAD_ENCODING: return "malformed text, hex or base64 input";
	case FSCRYPT_EXT_ERR_RANGE: return "number out of range";
	case FSCRYPT_EXT_ERR_NOT_SUPPORTED: return "not supported by this build or operation";
	case FSCRYPT_EXT_ERR_WRONG_TYPE: return "operation not valid for this inode type";
	case FSCRYPT_EXT_ERR_LOCKED_MEMORY: return "locked or guarded memory unavailable";
	case FSCRYPT_EXT_ERR_CRYPTO: return "a cryptographic dependency failed";
	case FSCRYPT_EXT_ERR_KEY_NOT_FOUND: return "key not found in the keyring";
	case FSCRYPT_EXT_ERR_KEY_EXISTS: return "key already present in the keyring";
	case FSCRYPT_EXT_ERR_KEY_REMOVED: return "key is being removed";
	case FSCRYPT_EXT_ERR_EXTENT_POLICY: return "the inode's policy cannot carry per-extent keys";
	case FSCRYPT_EXT_ERR_EXTENT_MISMATCH: return "extent context does not match its inode";
	case FSCRYPT_EXT_ERR_BUSY: return "object still in use";
	case FSCRYPT_EXT_ERR_NO_KEY_NAME: return "not a valid no-key name";
	default: return "unknown error";
	}
}

FSCRYPT_EXT_API int fscrypt_ext_mode_info(unsigned int mode, struct fscrypt_ext_mode_info *info)
{
	const struct fscrypt_ext__mode *m;

	if (info == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	m = fscrypt_ext__mode_get(mode);
	if (m == NULL)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_MODES;
	info->name = m->name;
	info->key_size = m->key_size;
	info->security_strength = m->security_strength;
	info->iv_size = m->iv_size;
	/* Spec 2.1: HCTR2 is filenames-only; the CTS modes are filenames-only; Adiantum does both. */
	info->for_contents = (mode == FSCRYPT_EXT_MODE_AES_256_XTS || mode == FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV ||
			      mode == FSCRYPT_EXT_MODE_SM4_XTS || mode == FSCRYPT_EXT_MODE_ADIANTUM);
	info->for_filenames = (mode == FSCRYPT_EXT_MODE_AES_256_CTS || mode == FSCRYPT_EXT_MODE_AES_128_CTS ||
			       mode == FSCRYPT_EXT_MODE_SM4_CTS || mode == FSCRYPT_EXT_MODE_ADIANTUM ||
			       mode == FSCRYPT_EXT_MODE_AES_256_HCTR2);
	return FSCRYPT_EXT_OK;
}
