/* Check suite "secmem": the locked secret allocator (alignment, zeroing, reuse, wipe on free, locking, threads). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/capability.h>
#include <sys/syscall.h>
#endif

#include "testutil.h"
#include "internal.h"
#include "secmem.h"

#if FSCRYPT_EXT__SECMEM_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* The sanitizers' runtimes turn mlock() into a no-op that reports success, so locking is unobservable there. */
#if FSCRYPT_EXT__SECMEM_ASAN || defined(__SANITIZE_THREAD__)
#define MLOCK_IGNORED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MLOCK_IGNORED 1
#endif
#endif
#ifndef MLOCK_IGNORED
#define MLOCK_IGNORED 0
#endif

/* Sizes around every class boundary, odd sizes, and direct mappings. */
static const size_t sizes[] = { 1,    63,   64,   65,   100,  192,  257,  383,   384,   1000,  1537, 4095,
				4096, 4160, 4288, 6144, 6145, 8192, 12000, 16383, 16384, 16385, 65536, 300000 };

static size_t round64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static bool all_equal(const uint8_t *p, size_t n, uint8_t v)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(p[i] ^ v);
	return acc == 0;
}

static struct fscrypt_ext__secmem_stats get_stats(void)
{
	struct fscrypt_ext__secmem_stats st;

	fscrypt_ext__secmem_get_stats(&st);
	return st;
}

#if !MLOCK_IGNORED
/* VmLck of this process in KiB, from /proc/self/status; -1 where there is none. */
static long vm_locked_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmLck: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}
#endif

START_TEST(test_alignment_and_zero)
{
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		uint8_t *p = fscrypt_ext__secmem_alloc(n);

		ck_assert_msg(p != NULL, "alloc of %zu bytes failed", n);
		ck_assert_msg(((uintptr_t)p & 63) == 0, "alloc of %zu bytes: %p not 64-byte aligned", n, (void *)p);
		ck_assert_msg(all_zero(p, round64(n)), "alloc of %zu bytes not zeroed", n);
		ck_assert_msg(fscrypt_ext__secmem_block_size(n) >= round64(n), "block for %zu bytes is only %zu", n,
			      fscrypt_ext__secmem_block_size(n));
		memset(p, 0xa5, round64(n));
		fscrypt_ext__secmem_free(p, n);
	}
}
END_TEST

/* Holding several blocks of one size at once: distinct, non-overlapping, each aligned. */
START_TEST(test_distinct_blocks)
{
	enum { N = 40 };
	uint8_t *p[N];

	for (size_t s = 0; s < FSCRYPT_EXT__ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		for (int i = 0; i < N; i++) {
			p[i] = fscrypt_ext__secmem_alloc(n);
			ck_assert_msg(p[i] != NULL, "size %zu block %d", n, i);
			ck_assert_msg(all_zero(p[i], n), "size %zu block %d not zero", n, i);
			memset(p[i], i + 1, n);
		}
		for (int i = 0; i < N; i++) {
			ck_assert_msg(all_equal(p[i], n, (uint8_t)(i + 1)), "size %zu block %d overwritten", n, i);
			fscrypt_ext__secmem_free(p[i], n);
		}
	}
}
END_TEST

/*
 * A batch under one lock gives what n single allocations give: n distinct,
 * aligned, zeroed blocks (across chunk boundaries: more than a chunk holds),
 * each freed on its own; the library's variant too.
 */
START_TEST(test_alloc_n)
{
	enum { N = 70 };
	void *p[N];
	struct fscrypt_ext__secmem_stats before, during, after;

	for (size_t s = 0; s < FSCRYPT_EXT__ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s], got;

		fscrypt_ext__secmem_get_stats(&before);
		got = fscrypt_ext__secmem_alloc_n(n, p, N);
		ck_assert_msg(got == N, "size %zu: %zu of %d blocks", n, got, N);
		fscrypt_ext__secmem_get_stats(&during);
		if (fscrypt_ext__secmem_block_size(n) <= FSCRYPT_EXT__SECMEM_MAX_CLASS)
			ck_assert_msg(during.blocks_in_use == before.blocks_in_use + N, "size %zu: %zu blocks in use, was %zu",
				      n, during.blocks_in_use, before.blocks_in_use);
		for (int i = 0; i < N; i++) {
			ck_assert_msg(((uintptr_t)p[i] & 63) == 0, "size %zu block %d not aligned", n, i);
			ck_assert_msg(all_zero(p[i], n), "size %zu block %d not zero", n, i);
			memset(p[i], i + 1, n);
		}
		for (int i = 0; i < N; i++) {
			ck_assert_msg(all_equal(p[i], n, (uint8_t)(i + 1)), "size %zu block %d overwritten", n, i);
			fscrypt_ext__secmem_free(p[i], n);
		}
		fscrypt_ext__secmem_get_stats(&after);
		ck_assert_uint_eq(after.blocks_in_use, before.blocks_in_use);
		ck_assert_uint_eq(after.large, before.large);
	}
	ck_assert_uint_eq(fscrypt_ext__secmem_alloc_n(0, p, 4), 0);
	ck_assert_uint_eq(fscrypt_ext__alloc_secret_n(1008, p, 8), 8);
	for (int i = 0; i < 8; i++) {
		ck_assert_msg(((uintptr_t)p[i] & 63) == 0 && all_zero(p[i], 1008), "library block %d", i);
		fscrypt_ext__free_secret(p[i], 1008);
	}
}
END_TEST

START_TEST(test_reuse_and_wipe)
{
	for (size_t s = 0; s < FSCRYPT_EXT__ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		uint8_t *a = fscrypt_ext__secmem_alloc(n), *b = fscrypt_ext__secmem_alloc(n), *c;

		ck_assert_msg(a != NULL && b != NULL, "size %zu", n);
		memset(a, 0x5c, n);
		fscrypt_ext__secmem_free(a, n);
		c = fscrypt_ext__secmem_alloc(n);
		if (n <= FSCRYPT_EXT__SECMEM_MAX_CLASS)
			ck_assert_msg(c == a, "size %zu: freed block %p not reused (got %p)", n, (void *)a, (void *)c);
		ck_assert_msg(c != NULL && all_zero(c, n), "size %zu: reallocated block not wiped", n);
		fscrypt_ext__secmem_free(c, n);
		fscrypt_ext__secmem_free(b, n);
	}
}
END_TEST

/* A block freed at its full class size and reused for a smaller request of the same class is zero. */
START_TEST(test_wipe_whole_block)
{
	for (size_t s = 0; s < FSCRYPT_EXT__ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s], full = fscrypt_ext__secmem_block_size(n);
		uint8_t *a, *c;

		if (full > FSCRYPT_EXT__SECMEM_MAX_CLASS)
			continue; /* direct mappings are unmapped on free, covered by test_large */
		a = fscrypt_ext__secmem_alloc(full);
		ck_assert_msg(a != NULL, "size %zu", full);
		memset(a, 0xff, full);
		fscrypt_ext__secmem_free(a, full);
		c = fscrypt_ext__secmem_alloc(n);
		ck_assert_msg(c == a, "size %zu after %zu: block not reused", n, full);
		ck_assert_msg(all_zero(c, round64(n)), "size %zu after %zu: stale bytes", n, full);
		fscrypt_ext__secmem_free(c, n);
	}
}
END_TEST

START_TEST(test_library_path)
{
	struct fscrypt_ext__secmem_stats before = get_stats(), during;
	uint8_t *p = fscrypt_ext__alloc_secret(4288);

	ck_assert_ptr_nonnull(p);
	ck_assert(((uintptr_t)p & 63) == 0);
	ck_assert(all_zero(p, 4288));
	memset(p, 0x77, 4288);
	during = get_stats();
	/* ASan builds keep library objects in ASan's heap (fscrypt_ext__alloc_secret in secmem.c); others use the locked slabs. */
	ck_assert_uint_eq(during.blocks_in_use, before.blocks_in_use + (FSCRYPT_EXT__SECMEM_ASAN ? 0 : 1));
	fscrypt_ext__free_secret(p, 4288);
	ck_assert_uint_eq(get_stats().blocks_in_use, before.blocks_in_use);
	p = fscrypt_ext__alloc_secret(4288);
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(all_zero(p, 4288), "secret block not wiped before reuse");
	fscrypt_ext__free_secret(p, 4288);
	ck_assert_ptr_null(fscrypt_ext__alloc_secret(0));
	ck_assert_ptr_null(fscrypt_ext__alloc_secret(SIZE_MAX));
	fscrypt_ext__free_secret(NULL, 64);
}
END_TEST

START_TEST(test_large)
{
	struct fscrypt_ext__secmem_stats before = get_stats();
	size_t n = (size_t)1 << 20;
	uint8_t *p = fscrypt_ext__secmem_alloc(n), *q = fscrypt_ext__secmem_alloc(n + 1);
	long pg = sysconf(_SC_PAGESIZE);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	ck_assert(((uintptr_t)p % (uintptr_t)pg) == 0 && ((uintptr_t)q % (uintptr_t)pg) == 0);
	ck_assert(all_zero(p, n) && all_zero(q, n + 1));
	memset(p, 0x11, n);
	memset(q, 0x22, n + 1);
	ck_assert_uint_eq(get_stats().large, before.large + 2);
	ck_assert_uint_eq(p[n - 1], 0x11);
	fscrypt_ext__secmem_free(p, n);
	fscrypt_ext__secmem_free(q, n + 1);
	ck_assert_uint_eq(get_stats().large, before.large);
	ck_assert_uint_eq(get_stats().locked_bytes, before.locked_bytes);
}
END_TEST

START_TEST(test_failure_paths)
{
	struct fscrypt_ext__secmem_stats before = get_stats();

	ck_assert_ptr_null(fscrypt_ext__secmem_alloc(0));
	ck_assert_ptr_null(fscrypt_ext__secmem_alloc(SIZE_MAX));
	ck_assert_ptr_null(fscrypt_ext__secmem_alloc(SIZE_MAX - 4096));
	/* 2^62 bytes is more address space than any current MMU maps. */
	ck_assert_ptr_null(fscrypt_ext__secmem_alloc((size_t)1 << 62));
	fscrypt_ext__secmem_free(NULL, 100);
	ck_assert_uint_eq(get_stats().large, before.large);
	ck_assert_uint_eq(get_stats().blocks_in_use, before.blocks_in_use);
}
END_TEST

/* Empty chunks beyond the reserve are unmapped; the reserve itself stays for reuse. */
START_TEST(test_reserve)
{
	/* Enough 6 KiB blocks to fill 100 chunks more than the reserve holds. */
	enum { N = (int)((FSCRYPT_EXT__SECMEM_RESERVE / FSCRYPT_EXT__SECMEM_CHUNK + 100) * (FSCRYPT_EXT__SECMEM_CHUNK / 6144)) };
	static uint8_t *p[N];
	struct fscrypt_ext__secmem_stats before = get_stats(), mid, after;
	size_t n = 6000;

	for (int i = 0; i < N; i++) {
		p[i] = fscrypt_ext__secmem_alloc(n);
		ck_assert_msg(p[i] != NULL, "block %d of %zu bytes", i, n);
	}
	mid = get_stats();
	ck_assert_uint_ge(mid.chunks, before.chunks + N / (FSCRYPT_EXT__SECMEM_CHUNK / 6144));
	for (int i = 0; i < N; i++)
		fscrypt_ext__secmem_free(p[i], n);
	after = get_stats();
	ck_assert_uint_eq(after.blocks_in_use, before.blocks_in_use);
	ck_assert_msg(after.empty_chunks * (size_t)FSCRYPT_EXT__SECMEM_CHUNK <= FSCRYPT_EXT__SECMEM_RESERVE,
		      "%zu empty chunks kept", after.empty_chunks);
	ck_assert_msg(after.chunks < mid.chunks, "no chunk released (%zu mapped)", after.chunks);
	/* The kept chunks serve the next burst without new mappings. */
	p[0] = fscrypt_ext__secmem_alloc(n);
	ck_assert_uint_eq(get_stats().chunks, after.chunks);
	fscrypt_ext__secmem_free(p[0], n);
}
END_TEST

struct worker {
	unsigned int id;
	int failures;
};

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *worker_main(void *arg)
{
	enum { LIVE = 24, ROUNDS = 20000 };
	static const size_t wsizes[] = { 64, 100, 700, 4288, 6144, 9000, 16384, 40000 };
	struct worker *w = arg;
	uint8_t *live[LIVE] = { NULL };
	size_t len[LIVE] = { 0 };
	uint32_t seed = 0x9e3779b9u * (w->id + 1);

	for (int r = 0; r < ROUNDS; r++) {
		unsigned int slot = xorshift(&seed) % LIVE;
		uint8_t tag = (uint8_t)(w->id * 31 + slot + 1);

		if (live[slot] != NULL) {
			/* Another thread writing into this block would show here. */
			if (live[slot][0] != tag || live[slot][len[slot] - 1] != tag)
				w->failures++;
			fscrypt_ext__secmem_free(live[slot], len[slot]);
			live[slot] = NULL;
			continue;
		}
		len[slot] = wsizes[xorshift(&seed) % FSCRYPT_EXT__ARRAY_SIZE(wsizes)];
		live[slot] = fscrypt_ext__secmem_alloc(len[slot]);
		if (live[slot] == NULL || !all_zero(live[slot], len[slot])) {
			w->failures++;
			continue;
		}
		memset(live[slot], tag, len[slot]);
	}
	for (unsigned int i = 0; i < LIVE; i++)
		fscrypt_ext__secmem_free(live[i], len[i]);
	return NULL;
}

START_TEST(test_threads)
{
	enum { T = 4 };
	pthread_t th[T];
	struct worker w[T];
	struct fscrypt_ext__secmem_stats before = get_stats(), after;

	for (unsigned int i = 0; i < T; i++) {
		w[i] = (struct worker){ .id = i };
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (unsigned int i = 0; i < T; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_msg(w[i].failures == 0, "thread %u: %d blocks not zero or overwritten", i, w[i].failures);
	}
	after = get_stats();
	ck_assert_uint_eq(after.blocks_in_use, before.blocks_in_use);
	ck_assert_uint_eq(after.large, before.large);
}
END_TEST

#if !MLOCK_IGNORED
/* Whether mlock() of `bytes` more must succeed here: CAP_IPC_LOCK, or room under RLIMIT_MEMLOCK. */
static bool lock_allowed(size_t bytes, long locked_kib)
{
	struct rlimit rl;

#if defined(__linux__)
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) == 0 &&
	    (data[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32))) != 0)
		return true;
#endif
	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return false;
	return rl.rlim_cur == RLIM_INFINITY || (rlim_t)locked_kib * 1024 + bytes <= rl.rlim_cur;
}

/* Allocates blocks of n bytes until a new chunk is mapped; returns how many (all kept in p). */
static int force_new_chunk(uint8_t **p, int max, size_t n)
{
	size_t chunks = get_stats().chunks;
	int i = 0;

	while (i < max && get_stats().chunks == chunks) {
		p[i] = fscrypt_ext__secmem_alloc(n);
		ck_assert_msg(p[i] != NULL, "block %d of %zu bytes", i, n);
		i++;
	}
	ck_assert_msg(get_stats().chunks > chunks, "no new chunk after %d blocks of %zu", i, n);
	return i;
}

START_TEST(test_locked)
{
	enum { MAXB = 8 };
	uint8_t *blocks[MAXB];
	size_t large_len = 256 * 1024;
	long before = vm_locked_kib(), after;
	struct fscrypt_ext__secmem_stats st0 = get_stats(), st1;
	bool allowed;
	uint8_t *big;
	int nb;

	ck_assert_msg(before >= 0, "no VmLck line in /proc/self/status");
	allowed = lock_allowed(large_len + FSCRYPT_EXT__SECMEM_CHUNK, before);
	big = fscrypt_ext__secmem_alloc(large_len);
	ck_assert_ptr_nonnull(big);
	nb = force_new_chunk(blocks, MAXB, 16384);
	after = vm_locked_kib();
	st1 = get_stats();
	printf("secmem: VmLck %ld -> %ld KiB, locking %s, %zu lock failures\n", before, after,
	       allowed ? "allowed" : "refused by RLIMIT_MEMLOCK", st1.lock_failures);
	if (allowed) {
		ck_assert_msg(after - before >= (long)(large_len + FSCRYPT_EXT__SECMEM_CHUNK) / 1024,
			      "VmLck grew by %ld KiB only", after - before);
		ck_assert_uint_eq(st1.lock_failures, st0.lock_failures);
		ck_assert_uint_eq(st1.locked_bytes, st0.locked_bytes + large_len + FSCRYPT_EXT__SECMEM_CHUNK);
	} else {
		ck_assert_uint_gt(st1.lock_failures, st0.lock_failures);
		ck_assert_uint_gt(st1.unlocked_maps, st0.unlocked_maps);
	}
	fscrypt_ext__secmem_free(big, large_len);
	while (nb > 0) {
		nb--;
		fscrypt_ext__secmem_free(blocks[nb], 16384);
	}
	ck_assert_uint_eq(get_stats().large, st0.large);
}
END_TEST

#if defined(__linux__)
/* In a child without CAP_IPC_LOCK and with RLIMIT_MEMLOCK 0: mlock() fails, allocation must not. */
static int refused_child(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	struct rlimit rl;
	struct fscrypt_ext__secmem_stats st0, st1;
	uint8_t *blocks[8], *big;
	int nb = 0;
	size_t chunks;

	if (syscall(SYS_capget, &hdr, data) != 0)
		return 10;
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	if (syscall(SYS_capset, &hdr, data) != 0)
		return 11;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return 12;
	rl.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return 13;
	fscrypt_ext__secmem_get_stats(&st0);
	big = fscrypt_ext__secmem_alloc(100000);
	if (big == NULL || !all_zero(big, 100000))
		return 20;
	memset(big, 0x33, 100000);
	chunks = st0.chunks;
	do {
		blocks[nb] = fscrypt_ext__secmem_alloc(12288);
		if (blocks[nb] == NULL || !all_zero(blocks[nb], 12288))
			return 21;
		memset(blocks[nb], 0x44, 12288);
		fscrypt_ext__secmem_get_stats(&st1);
	} while (++nb < 8 && st1.chunks == chunks);
	if (st1.chunks == chunks)
		return 22;
	if (st1.lock_failures < st0.lock_failures + 2 || st1.unlocked_maps < st0.unlocked_maps + 2)
		return 23;
	fscrypt_ext__secmem_free(big, 100000);
	while (nb > 0) {
		nb--;
		fscrypt_ext__secmem_free(blocks[nb], 12288);
	}
	fscrypt_ext__secmem_get_stats(&st1);
	if (st1.large != st0.large || st1.blocks_in_use != st0.blocks_in_use)
		return 24;
	return 0;
}

START_TEST(test_lock_refused)
{
	int status = 0;
	pid_t pid = fork();

	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(refused_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died (status %#x)", status);
	/* 1x: could not drop the privilege; 2x: allocation failed or counters wrong (see refused_child). */
	ck_assert_msg(WEXITSTATUS(status) == 0, "child failed with code %d", WEXITSTATUS(status));
}
END_TEST
#endif
#endif /* !MLOCK_IGNORED */

#if FSCRYPT_EXT__SECMEM_ASAN
/* ASan builds: free blocks and the slack after a request are poisoned, so stray accesses are reported. */
START_TEST(test_asan_poison)
{
	uint8_t *p = fscrypt_ext__secmem_alloc(257);

	ck_assert_ptr_nonnull(p);
	ck_assert(!__asan_address_is_poisoned(p + 256));
	ck_assert(__asan_address_is_poisoned(p + round64(257)));
	fscrypt_ext__secmem_free(p, 257);
	ck_assert(__asan_address_is_poisoned(p));
}
END_TEST
#endif

static Suite *make_suite(void)
{
	Suite *s = suite_create("secmem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_alignment_and_zero);
	tcase_add_test(tc, test_distinct_blocks);
	tcase_add_test(tc, test_alloc_n);
	tcase_add_test(tc, test_reuse_and_wipe);
	tcase_add_test(tc, test_wipe_whole_block);
	tcase_add_test(tc, test_library_path);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_failure_paths);
	tcase_add_test(tc, test_reserve);
	tcase_add_test(tc, test_threads);
#if MLOCK_IGNORED
	printf("secmem: sanitizer build, mlock() is a no-op here: test_locked and test_lock_refused "
	       "run in the plain build only\n");
#else
	tcase_add_test(tc, test_locked);
#if defined(__linux__)
	tcase_add_test(tc, test_lock_refused);
#endif
#endif
#if FSCRYPT_EXT__SECMEM_ASAN
	tcase_add_test(tc, test_asan_poison);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
