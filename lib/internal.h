/* Internal helpers shared by every module: byte order, wiping, export and attribute macros. */
#ifndef FSCRYPT_EXT_INTERNAL_H
#define FSCRYPT_EXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fscrypt_ext/common.h"

/* Internal (non-static, non-exported) symbols use the fscrypt_ext__ prefix. */
#define FSCRYPT_EXT__ALIGN(n) __attribute__((aligned(n)))
#define FSCRYPT_EXT__UNUSED __attribute__((unused))
#define FSCRYPT_EXT__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint32_t fscrypt_ext__le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t fscrypt_ext__le64(const uint8_t *p)
{
	return (uint64_t)fscrypt_ext__le32(p) | ((uint64_t)fscrypt_ext__le32(p + 4) << 32);
}

static inline void fscrypt_ext__put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void fscrypt_ext__put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void fscrypt_ext__put_le64(uint8_t *p, uint64_t v)
{
	fscrypt_ext__put_le32(p, (uint32_t)v);
	fscrypt_ext__put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Wipes secrets; never optimised away (libsodium's sodium_memzero). */
void fscrypt_ext__wipe(void *p, size_t n);

/*
 * The same for small buffers on hot paths (hash compressions, HMAC), without
 * a call: the empty asm that takes the buffer's address and clobbers memory
 * keeps the compiler from dropping the memset as a dead store.
 */
static inline void fscrypt_ext__wipe_inline(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ volatile("" : : "r"(p) : "memory");
}

/*
 * Zeroes the FSCRYPT_EXT__STACK_WIPE_BYTES of stack below the caller's frame:
 * what the callees just returned from left there (register spills and
 * temporaries the compiler made of keys and tweaks, which no wipe of a named
 * variable reaches). Called by the one-shot primitives and key setups.
 */
#define FSCRYPT_EXT__STACK_WIPE_BYTES 16384
void fscrypt_ext__wipe_stack(void);
/* The same over FSCRYPT_EXT__STACK_WIPE_SMALL bytes, after one small-framed callee in a hot path (batched key expansion). */
#define FSCRYPT_EXT__STACK_WIPE_SMALL 1024
void fscrypt_ext__wipe_stack_small(void);

/*
 * One-time library initialisation (sodium_init, CPU feature detection,
 * backend choice from FSCRYPT_EXT_BACKEND). Thread-safe and idempotent;
 * every public entry point that needs it calls it.
 */
int fscrypt_ext__init(void);

/* Aligned allocation for derived-key objects; freed with fscrypt_ext__free_secret(), which wipes. */
void *fscrypt_ext__alloc_secret(size_t size);
/* n such objects of one size at once (one allocator lock); returns how many (n unless memory ran out). */
size_t fscrypt_ext__alloc_secret_n(size_t size, void **out, size_t n);
void fscrypt_ext__free_secret(void *p, size_t size);

#endif
