/* Internal: a locked, non-dumpable memory allocator for derived keys and other secret objects. */
#ifndef FSCRYPT_EXT_SECMEM_H
#define FSCRYPT_EXT_SECMEM_H

#include <stdbool.h>
#include <stddef.h>

/* AddressSanitizer builds poison free blocks (and keep library objects in ASan's own heap, see fscrypt_ext__alloc_secret). */
#if defined(__SANITIZE_ADDRESS__)
#define FSCRYPT_EXT__SECMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FSCRYPT_EXT__SECMEM_ASAN 1
#endif
#endif
#ifndef FSCRYPT_EXT__SECMEM_ASAN
#define FSCRYPT_EXT__SECMEM_ASAN 0
#endif

/* Blocks are 64-byte aligned; requests above this many bytes get their own mapping. */
#define FSCRYPT_EXT__SECMEM_ALIGN 64
#define FSCRYPT_EXT__SECMEM_MAX_CLASS 16384
/* Slab chunks: mapped, locked and kept this many bytes at a time. */
#define FSCRYPT_EXT__SECMEM_CHUNK 65536
/*
 * Completely free chunks kept mapped (all classes together) before any is
 * unmapped. Loading the extents of a large file in one batch holds 4096
 * infos (4 MiB of 1 KiB AES-256-XTS infos, 24 MiB of 6 KiB Adiantum ones)
 * and frees them together on close: unmapping each
 * chunk then costs a TLB shootdown, measured at 100+ us per extent on a
 * 2-vCPU VM, so a reserve that covers such a file keeps reopening it cheap.
 * Only memory once in use is ever kept.
 */
#define FSCRYPT_EXT__SECMEM_RESERVE ((size_t)32 << 20)

/*
 * Zeroed, 64-byte aligned memory that is mlock()ed (best effort: when
 * RLIMIT_MEMLOCK refuses, the memory is used unlocked and counted in the
 * stats) and excluded from core dumps. NULL for size 0 or when no memory
 * can be mapped; never NULL merely because locking failed. Thread-safe.
 */
void *fscrypt_ext__secmem_alloc(size_t size);
/*
 * n blocks of size bytes (each as fscrypt_ext__secmem_alloc gives it) under
 * one lock: out[0..return) are set; fewer than n only when memory runs out.
 */
size_t fscrypt_ext__secmem_alloc_n(size_t size, void **out, size_t n);
/*
 * Wipes and releases p; size must be the size it was allocated with. A
 * pointer that is not a live block of that size (double free, wrong size)
 * aborts: continuing would hand one block to two owners.
 */
void fscrypt_ext__secmem_free(void *p, size_t size);

struct fscrypt_ext__secmem_stats {
	size_t chunks;           /* slab chunks mapped */
	size_t empty_chunks;     /* of which completely free (the reserve) */
	size_t large;            /* live direct mappings (requests above MAX_CLASS) */
	size_t blocks_in_use;    /* live slab blocks */
	size_t locked_bytes;     /* bytes currently mlock()ed by the allocator */
	size_t unlocked_maps;    /* chunks and large mappings currently in use unlocked */
	size_t lock_failures;    /* mlock() refusals since the process started */
};

/* A consistent snapshot of the allocator's counters. */
void fscrypt_ext__secmem_get_stats(struct fscrypt_ext__secmem_stats *st);

/* The size of the block that serves a request of size bytes: its class size, or whole pages above MAX_CLASS. */
size_t fscrypt_ext__secmem_block_size(size_t size);

#endif
