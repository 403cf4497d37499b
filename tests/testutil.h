/* Test helpers shared by the Check suites: hex conversion, random bytes, backend selection, stack probes. */
#ifndef FSCRYPT_EXT_TESTUTIL_H
#define FSCRYPT_EXT_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes hex into a malloc'd buffer (*len set); aborts the test on bad hex. */
uint8_t *tu_hex(const char *hex, size_t *len);
/* Decodes exactly n bytes of hex into out; fails the test if the length differs. */
void tu_hex_into(const char *hex, uint8_t *out, size_t n);
/* Lowercase hex of n bytes into a static-per-call malloc'd string (free it). */
char *tu_tohex(const uint8_t *p, size_t n);
/* Deterministic pseudo-random bytes for reproducible tests (seeded per suite). */
void tu_rand(void *out, size_t n);
uint32_t tu_rand_u32(void);

/*
 * Runs the suite. Honours FSCRYPT_EXT_BACKEND: when this CPU cannot run the
 * requested backend, prints why and exits 77 (ctest shows SKIPPED, never passed).
 * Returns the process exit code (0 when all passed).
 */
int tu_run(Suite *s);

/* Name of the backend the run uses (for failure messages). */
const char *tu_backend(void);

/*
 * Stack probes: did a call leave secret bytes in the dead stack below its
 * caller? Call tu_stack_fill(), then the function under test, then
 * tu_stack_find(), all three from the same function (the same depth).
 * ASan moves locals to its own stacks, so suites skip these checks when
 * tu_under_asan() (saying so).
 */
#define TU_STACK_PROBE_BYTES 32768
int tu_under_asan(void);
/* Overwrites the TU_STACK_PROBE_BYTES below the caller with 0xa5, a byte no secret is made of here. */
void tu_stack_fill(void);
/*
 * The index of a pattern (pats[i], lens[i] bytes) some 8-byte piece of which
 * lies in the dead stack below the caller, with its offset into the probe in
 * *offset; -1 when none does.
 */
int tu_stack_find(const uint8_t *const pats[], const size_t lens[], size_t npat, long *offset);

#endif
