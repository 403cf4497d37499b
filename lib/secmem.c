/* Locked memory for secrets: size-classed slabs in mlock()ed, non-dumpable chunks, large requests mapped alone. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h"
#include "secmem.h"

#if FSCRYPT_EXT__SECMEM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK FSCRYPT_EXT__SECMEM_CHUNK
#define MAP_WORDS (CHUNK / FSCRYPT_EXT__SECMEM_ALIGN / 64)
#define CHUNK_MAGIC UINT64_C(0x6663786d656d6368)
#define LARGE_MAGIC UINT64_C(0x6663786d656d6c67)

/*
 * Powers of two with the halfway steps: inode objects and Adiantum extent
 * infos (a 4 KiB cipher state plus a header, about 4.2 KiB) take 6 KiB
 * blocks, ten to a chunk, instead of 8 KiB ones; AES-256-XTS extent infos
 * (sized to their keys, lib/extent.c) take 1 KiB ones (3 KiB with the
 * portable AES). All are multiples of 64.
 */
static const uint16_t class_size[] = { 64,   128,  192,  256,  384,  512,   768,   1024,
				       1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384 };
#define NCLASSES FSCRYPT_EXT__ARRAY_SIZE(class_size)

/*
 * Chunk metadata lives in the (unlocked, ordinary) page just below the
 * chunk's CHUNK-aligned block area, so a block finds its chunk by masking
 * and free blocks are never written to: they stay all zero and, under ASan,
 * poisoned. A set bit in free_map is a free block.
 */
struct chunk {
	uint64_t magic;
	struct chunk *next, *prev; /* the class's chunks that have a free block */
	unsigned int cls, nblocks, nfree;
	size_t locked_len; /* 0 when mlock() refused */
	uint64_t free_map[MAP_WORDS];
};

/* Header page of a direct mapping; the caller's memory starts one page later. */
struct large {
	uint64_t magic;
	size_t size, map_len;
	bool locked;
};

static pthread_mutex_t secmem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct chunk *avail[NCLASSES];
static struct fscrypt_ext__secmem_stats stats;

static pthread_once_t page_once = PTHREAD_ONCE_INIT;
static size_t page;

static void page_init(void)
{
	long n = sysconf(_SC_PAGESIZE);

	page = n > 0 ? (size_t)n : 4096;
}

static size_t page_size(void)
{
	(void)pthread_once(&page_once, page_init);
	return page;
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* The class serving size bytes, or NCLASSES for a direct mapping (also when pages exceed a chunk). */
static unsigned int class_of(size_t size)
{
	unsigned int c = 0;

	if (size > FSCRYPT_EXT__SECMEM_MAX_CLASS || page_size() > CHUNK)
		return NCLASSES;
	while (class_size[c] < size)
		c++;
	return c;
}

size_t fscrypt_ext__secmem_block_size(size_t size)
{
	unsigned int c = class_of(size);

	return c < NCLASSES ? class_size[c] : round_up(size, page_size());
}

/*
 * Best effort: an mlock() refusal (RLIMIT_MEMLOCK) is counted, never fatal.
 * Sanitizer runtimes make mlock() a no-op that succeeds.
 */
static bool lock_region(void *p, size_t len)
{
#ifdef MADV_DONTDUMP
	(void)madvise(p, len, MADV_DONTDUMP);
#endif
	return mlock(p, len) == 0;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint8_t *chunk_blocks(struct chunk *ch)
{
	return (uint8_t *)ch + page_size();
}

static void avail_push(struct chunk *ch)
{
	ch->prev = NULL;
	ch->next = avail[ch->cls];
	if (ch->next != NULL)
		ch->next->prev = ch;
	avail[ch->cls] = ch;
}

static void avail_remove(struct chunk *ch)
{
	if (ch->prev != NULL)
		ch->prev->next = ch->next;
	else
		avail[ch->cls] = ch->next;
	if (ch->next != NULL)
		ch->next->prev = ch->prev;
	ch->next = ch->prev = NULL;
}

/* Maps a CHUNK-aligned block area with its header page below it; called with secmem_lock held. */
static struct chunk *chunk_new(unsigned int cls)
{
	size_t pg = page_size(), span = 2 * (size_t)CHUNK;
	uint8_t *raw = map_anon(span), *blocks, *end;
	struct chunk *ch;

	if (raw == NULL)
		return NULL;
	blocks = (uint8_t *)round_up((uintptr_t)raw + pg, CHUNK);
	end = blocks + CHUNK;
	if (blocks - pg > raw)
		(void)munmap(raw, (size_t)(blocks - pg - raw));
	if (end < raw + span)
		(void)munmap(end, (size_t)(raw + span - end));
	ch = (struct chunk *)(void *)(blocks - pg);
	ch->magic = CHUNK_MAGIC;
	ch->cls = cls;
	ch->nblocks = CHUNK / class_size[cls];
	ch->nfree = ch->nblocks;
	for (unsigned int i = 0; i < ch->nblocks; i++)
		ch->free_map[i / 64] |= UINT64_C(1) << (i % 64);
	ch->locked_len = round_up((size_t)ch->nblocks * class_size[cls], pg);
	if (!lock_region(blocks, ch->locked_len)) {
		ch->locked_len = 0;
		stats.lock_failures++;
		stats.unlocked_maps++;
	}
	stats.locked_bytes += ch->locked_len;
	stats.chunks++;
	stats.empty_chunks++;
	POISON(blocks, CHUNK);
	return ch;
}

/* Called with secmem_lock held; the chunk is completely free, so all its blocks are already zero. */
static void chunk_release(struct chunk *ch)
{
	avail_remove(ch);
	stats.chunks--;
	stats.empty_chunks--;
	stats.locked_bytes -= ch->locked_len;
	if (ch->locked_len == 0)
		stats.unlocked_maps--;
	ch->magic = 0;
	UNPOISON(chunk_blocks(ch), CHUNK); /* the address range may be mapped again for someone else */
	(void)munmap(ch, page_size() + CHUNK);
}

static unsigned int take_free_block(struct chunk *ch)
{
	unsigned int w = 0, bit;

	while (ch->free_map[w] == 0)
		w++;
	bit = (unsigned int)__builtin_ctzll(ch->free_map[w]);
	ch->free_map[w] &= ~(UINT64_C(1) << bit);
	return w * 64 + bit;
}

/* One block of class cls, or NULL when no chunk can be mapped; called with secmem_lock held. */
static uint8_t *slab_take_locked(unsigned int cls)
{
	struct chunk *ch = avail[cls];
	unsigned int i;

	if (ch == NULL) {
		ch = chunk_new(cls);
		if (ch == NULL)
			return NULL;
		avail_push(ch);
	}
	if (ch->nfree == ch->nblocks)
		stats.empty_chunks--;
	i = take_free_block(ch);
	if (--ch->nfree == 0)
		avail_remove(ch);
	stats.blocks_in_use++;
	return chunk_blocks(ch) + (size_t)i * class_size[cls];
}

static void *slab_alloc(unsigned int cls, size_t size)
{
	uint8_t *p;

	pthread_mutex_lock(&secmem_lock);
	p = slab_take_locked(cls);
	pthread_mutex_unlock(&secmem_lock);
	if (p != NULL)
		UNPOISON(p, round_up(size, FSCRYPT_EXT__SECMEM_ALIGN));
	return p;
}

static void *large_alloc(size_t size)
{
	size_t pg = page_size(), data_len, map_len;
	struct large *hdr;
	bool locked;

	if (size > SIZE_MAX - 2 * pg)
		return NULL;
	data_len = round_up(size, pg);
	map_len = pg + data_len;
	hdr = map_anon(map_len);
	if (hdr == NULL)
		return NULL;
	locked = lock_region((uint8_t *)hdr + pg, data_len);
	hdr->magic = LARGE_MAGIC;
	hdr->size = size;
	hdr->map_len = map_len;
	hdr->locked = locked;
	pthread_mutex_lock(&secmem_lock);
	stats.large++;
	if (locked) {
		stats.locked_bytes += data_len;
	} else {
		stats.lock_failures++;
		stats.unlocked_maps++;
	}
	pthread_mutex_unlock(&secmem_lock);
	return (uint8_t *)hdr + pg;
}

void *fscrypt_ext__secmem_alloc(size_t size)
{
	unsigned int cls;

	if (size == 0)
		return NULL;
	cls = class_of(size);
	return cls < NCLASSES ? slab_alloc(cls, size) : large_alloc(size);
}

size_t fscrypt_ext__secmem_alloc_n(size_t size, void **out, size_t n)
{
	unsigned int cls;
	size_t i = 0;

	if (size == 0)
		return 0;
	cls = class_of(size);
	if (cls >= NCLASSES) {
		for (; i < n && (out[i] = large_alloc(size)) != NULL; i++)
			;
		return i;
	}
	/* One lock for the whole batch (a file's extents are loaded eight at a time). */
	pthread_mutex_lock(&secmem_lock);
	for (; i < n && (out[i] = slab_take_locked(cls)) != NULL; i++)
		;
	pthread_mutex_unlock(&secmem_lock);
	for (size_t j = 0; j < i; j++)
		UNPOISON(out[j], round_up(size, FSCRYPT_EXT__SECMEM_ALIGN));
	return i;
}

static void large_free(void *p, size_t size)
{
	size_t pg = page_size();
	struct large *hdr = (struct large *)(void *)((uint8_t *)p - pg);

	if (((uintptr_t)p & (pg - 1)) != 0 || hdr->magic != LARGE_MAGIC || hdr->size != size)
		abort();
	fscrypt_ext__wipe(p, size); /* munmap does not clear the pages; the next owner's fault does */
	pthread_mutex_lock(&secmem_lock);
	stats.large--;
	if (hdr->locked)
		stats.locked_bytes -= hdr->map_len - pg;
	else
		stats.unlocked_maps--;
	pthread_mutex_unlock(&secmem_lock);
	hdr->magic = 0;
	(void)munmap(hdr, hdr->map_len);
}

/* The chunk and block index of p, aborting unless p is the start of a block of class cls. */
static struct chunk *block_chunk(const void *p, unsigned int cls, unsigned int *index)
{
	uintptr_t blocks = (uintptr_t)p & ~(uintptr_t)(CHUNK - 1);
	struct chunk *ch = (struct chunk *)(blocks - page_size());
	size_t off = (uintptr_t)p - blocks;

	if (ch->magic != CHUNK_MAGIC || ch->cls != cls || off % class_size[cls] != 0 ||
	    off / class_size[cls] >= ch->nblocks)
		abort();
	*index = (unsigned int)(off / class_size[cls]);
	return ch;
}

static void slab_free(void *p, unsigned int cls, size_t size)
{
	unsigned int i;
	struct chunk *ch = block_chunk(p, cls, &i);
	uint64_t bit = UINT64_C(1) << (i % 64);

	/* Keeps the free-block invariant: every free block is all zero, so alloc need not clear. */
	fscrypt_ext__wipe(p, round_up(size, FSCRYPT_EXT__SECMEM_ALIGN));
	POISON(p, class_size[cls]);
	pthread_mutex_lock(&secmem_lock);
	if (ch->free_map[i / 64] & bit)
		abort(); /* double free */
	ch->free_map[i / 64] |= bit;
	stats.blocks_in_use--;
	if (++ch->nfree == 1)
		avail_push(ch);
	if (ch->nfree == ch->nblocks) {
		stats.empty_chunks++;
		/* Keep a reserve so alloc/free cycles do not map, lock and fault chunks again. */
		if (stats.empty_chunks * (size_t)CHUNK > FSCRYPT_EXT__SECMEM_RESERVE)
			chunk_release(ch);
	}
	pthread_mutex_unlock(&secmem_lock);
}

void fscrypt_ext__secmem_free(void *p, size_t size)
{
	unsigned int cls;

	if (p == NULL)
		return;
	cls = class_of(size);
	if (cls < NCLASSES)
		slab_free(p, cls, size);
	else
		large_free(p, size);
}

void fscrypt_ext__secmem_get_stats(struct fscrypt_ext__secmem_stats *st)
{
	pthread_mutex_lock(&secmem_lock);
	*st = stats;
	pthread_mutex_unlock(&secmem_lock);
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

__attribute__((noinline)) void fscrypt_ext__wipe_stack_small(void)
{
	uint8_t area[FSCRYPT_EXT__STACK_WIPE_SMALL];

	sodium_memzero(area, sizeof(area));
	__asm__ volatile("" : : "r"(area) : "memory");
}

/*
 * Derived-key objects live in the locked, non-dumpable slabs above, 64-byte
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

size_t fscrypt_ext__alloc_secret_n(size_t size, void **out, size_t n)
{
#if FSCRYPT_EXT__SECMEM_ASAN
	size_t i = 0;

	for (; i < n && (out[i] = fscrypt_ext__alloc_secret(size)) != NULL; i++)
		;
	return i;
#else
	if (size == 0 || ((size + 63) & ~(size_t)63) < size)
		return 0;
	return fscrypt_ext__secmem_alloc_n(size, out, n);
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
