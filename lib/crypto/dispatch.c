/* Every implementation table (AES, SM4, ChaCha, NH, POLYVAL, XCTR, Poly1305) and the one-time choice among them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../cpu.h"
#include "dispatch.h"

#if defined(__x86_64__)
#include "../x86/aes_x86.h"
#include "../x86/sm4_x86.h"
#endif
#if defined(__aarch64__)
#include "../arm/aes_arm.h"
#endif

/*
 * The tables, best first, NULL-terminated, the portable implementation last
 * (always present, always runnable). Adding a backend is one line in its
 * table (plus its source file in CMakeLists.txt); adding a primitive is a
 * table, a field in struct fscrypt_ext__dispatch and a row in `primitives`
 * below (docs/layout.md).
 */
const struct fscrypt_ext__aes_impl *const fscrypt_ext__aes_impls[] = {
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&fscrypt_ext__aes_vaes_avx512,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	&fscrypt_ext__aes_vaes_avx2,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&fscrypt_ext__aes_aesni,
#endif
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_ARMCE)
	&fscrypt_ext__aes_armce,
#endif
	&fscrypt_ext__aes_portable,
	NULL,
};

const struct fscrypt_ext__chacha_impl *const fscrypt_ext__chacha_impls[] = {
#if defined(__x86_64__)
	&fscrypt_ext__chacha_avx512vl,
	&fscrypt_ext__chacha_avx2,
#endif
#if FSCRYPT_EXT__HAVE_ARM_NEON
	&fscrypt_ext__chacha_neon,
#endif
	&fscrypt_ext__chacha_portable,
	NULL,
};

const struct fscrypt_ext__nh_impl *const fscrypt_ext__nh_impls[] = {
#if defined(__x86_64__)
	&fscrypt_ext__nh_avx2,
#endif
#if FSCRYPT_EXT__HAVE_ARM_NEON
	&fscrypt_ext__nh_neon,
#endif
	&fscrypt_ext__nh_portable,
	NULL,
};

const struct fscrypt_ext__polyval_impl *const fscrypt_ext__polyval_impls[] = {
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	&fscrypt_ext__polyval_vpclmul_avx512,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	&fscrypt_ext__polyval_vpclmul,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&fscrypt_ext__polyval_pclmul,
#endif
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_ARMCE)
	&fscrypt_ext__polyval_pmull,
#endif
	&fscrypt_ext__polyval_portable,
	NULL,
};

/* The accelerated XCTR rows read round keys in the x86 layout that both x86 AES backends share. */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
static const struct fscrypt_ext__xctr_impl xctr_vaes_avx2 = {
	"vaes-avx2", FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_AVX2, &fscrypt_ext__aes_vaes_avx2, fscrypt_ext__xctr_vaes_avx2,
};
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
static const struct fscrypt_ext__xctr_impl xctr_aesni = {
	"aesni", FSCRYPT_EXT__CPU_AESNI, &fscrypt_ext__aes_aesni, fscrypt_ext__xctr_aesni,
};
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
/* Keys of the VAES backend under a profile that rules VAES out for XCTR (never chosen by default: the row above wins). */
static const struct fscrypt_ext__xctr_impl xctr_aesni_on_vaes = {
	"aesni", FSCRYPT_EXT__CPU_AESNI, &fscrypt_ext__aes_vaes_avx2, fscrypt_ext__xctr_aesni,
};
#endif
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
/* Keys of the VAES+AVX-512 backend hold the standard schedules only: the zmm code, else the AES-NI code. */
static const struct fscrypt_ext__xctr_impl xctr_vaes_avx512 = {
	"vaes-avx512", FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_AVX512, &fscrypt_ext__aes_vaes_avx512,
	fscrypt_ext__xctr_vaes_avx512,
};
static const struct fscrypt_ext__xctr_impl xctr_aesni_on_vaes512 = {
	"aesni", FSCRYPT_EXT__CPU_AESNI, &fscrypt_ext__aes_vaes_avx512, fscrypt_ext__xctr_aesni,
};
#endif
static const struct fscrypt_ext__xctr_impl xctr_generic = { "generic", 0, NULL, fscrypt_ext__xctr_generic };

static const struct fscrypt_ext__xctr_impl *const xctr_impls[] = {
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&xctr_vaes_avx512,
	&xctr_aesni_on_vaes512,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	&xctr_vaes_avx2,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
	&xctr_aesni,
#if defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	&xctr_aesni_on_vaes,
#endif
#endif
	&xctr_generic,
	NULL,
};

/* Every SM4 row is constant time; OpenSSL's table-based SM4 is never a candidate (only a test oracle). */
const struct fscrypt_ext__sm4_impl *const fscrypt_ext__sm4_impls[] = {
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_SM4_GFNI)
	&fscrypt_ext__sm4_gfni,
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_SM4_AESNI)
	&fscrypt_ext__sm4_aesni,
#endif
	&fscrypt_ext__sm4_portable,
	NULL,
};

static const struct fscrypt_ext__poly1305_impl poly1305_portable = { "portable", 0 };
static const struct fscrypt_ext__poly1305_impl *const poly1305_impls[] = { &poly1305_portable, NULL };

/*
 * SHA-512: multi-buffer rows first (their one-stream code is the assembly
 * one where it was built, else the BMI2 C), then one-stream only.
 */
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_SHA512_X86)
extern const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx512, fscrypt_ext__sha512_avx2,
	fscrypt_ext__sha512_bmi2;
#if defined(FSCRYPT_EXT_HAVE_SHA512_ASM)
extern const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_avx512_asm, fscrypt_ext__sha512_avx2_asm;
#endif
#endif
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_SHA512_ARMCE)
extern const struct fscrypt_ext__sha512_impl fscrypt_ext__sha512_armce;
#endif
const struct fscrypt_ext__sha512_impl *const fscrypt_ext__sha512_impls[] = {
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_SHA512_X86)
	&fscrypt_ext__sha512_avx512,
	&fscrypt_ext__sha512_avx2,
#if defined(FSCRYPT_EXT_HAVE_SHA512_ASM)
	&fscrypt_ext__sha512_avx512_asm,
	&fscrypt_ext__sha512_avx2_asm,
#endif
	&fscrypt_ext__sha512_bmi2,
#endif
#if defined(__aarch64__) && defined(FSCRYPT_EXT_HAVE_SHA512_ARMCE)
	&fscrypt_ext__sha512_armce,
#endif
	&fscrypt_ext__sha512_portable,
	NULL,
};

/* ---- what "runnable" means for each table ---- */

/* A row is usable when the CPU has every feature it needs and the active profile allows them. */
static int usable(unsigned int needs, int (*available)(void), unsigned int allowed)
{
	unsigned int have = fscrypt_ext__cpu_features();

	if ((needs & ~(have & allowed)) != 0)
		return 0;
	return available == NULL || available();
}

/*
 * One table, seen generically: row i's name, needs and runnability, and a
 * slot in struct fscrypt_ext__dispatch. The casts are confined here.
 */
struct primitive {
	const char *name;
	const void *const *rows;
	size_t name_off, needs_off; /* offsets of the name and needs fields inside a row */
	int (*(*available_of)(const void *row))(void);
	size_t slot; /* offset of the field in struct fscrypt_ext__dispatch */
};

static int (*aes_avail(const void *row))(void) { return ((const struct fscrypt_ext__aes_impl *)row)->available; }
static int (*chacha_avail(const void *row))(void) { return ((const struct fscrypt_ext__chacha_impl *)row)->available; }
static int (*nh_avail(const void *row))(void) { return ((const struct fscrypt_ext__nh_impl *)row)->available; }
static int (*polyval_avail(const void *row))(void) { return ((const struct fscrypt_ext__polyval_impl *)row)->available; }
static int (*sha512_avail(const void *row))(void) { return ((const struct fscrypt_ext__sha512_impl *)row)->available; }
static int (*sm4_avail(const void *row))(void) { return ((const struct fscrypt_ext__sm4_impl *)row)->available; }
static int (*no_avail(const void *row))(void) { (void)row; return NULL; }

#define PRIM(nm, tbl, type, avail, field)                                                                              \
	{ nm, (const void *const *)(tbl), offsetof(type, name), offsetof(type, needs), avail,                          \
	  offsetof(struct fscrypt_ext__dispatch, field) }

/* In the order `fscrypt-ext version` lists them. XCTR is last among the picked ones: it depends on the AES pick. */
static const struct primitive primitives[] = {
	PRIM("aes", fscrypt_ext__aes_impls, struct fscrypt_ext__aes_impl, aes_avail, aes),
	PRIM("sm4", fscrypt_ext__sm4_impls, struct fscrypt_ext__sm4_impl, sm4_avail, sm4),
	PRIM("chacha", fscrypt_ext__chacha_impls, struct fscrypt_ext__chacha_impl, chacha_avail, chacha),
	PRIM("nh", fscrypt_ext__nh_impls, struct fscrypt_ext__nh_impl, nh_avail, nh),
	PRIM("polyval", fscrypt_ext__polyval_impls, struct fscrypt_ext__polyval_impl, polyval_avail, polyval),
	PRIM("sha512", fscrypt_ext__sha512_impls, struct fscrypt_ext__sha512_impl, sha512_avail, sha512),
	PRIM("poly1305", poly1305_impls, struct fscrypt_ext__poly1305_impl, no_avail, poly1305),
	PRIM("xctr", xctr_impls, struct fscrypt_ext__xctr_impl, no_avail, xctr),
};
#define XCTR_INDEX (FSCRYPT_EXT__ARRAY_SIZE(primitives) - 1)

static const char *row_name(const struct primitive *p, const void *row)
{
	return *(const char *const *)((const char *)row + p->name_off);
}

static unsigned int row_needs(const struct primitive *p, const void *row)
{
	return *(const unsigned int *)((const char *)row + p->needs_off);
}

static int row_usable(const struct primitive *p, const void *row, unsigned int allowed)
{
	return usable(row_needs(p, row), p->available_of(row), allowed);
}

static const void **slot(struct fscrypt_ext__dispatch *d, const struct primitive *p)
{
	return (const void **)((char *)d + p->slot);
}

/* XCTR rows also have to read keys of the chosen AES backend. */
static int xctr_fits(const struct fscrypt_ext__xctr_impl *x, const struct fscrypt_ext__aes_impl *aes)
{
	return x->aes == NULL || x->aes == aes;
}

static const struct fscrypt_ext__xctr_impl *xctr_pick(const struct fscrypt_ext__aes_impl *aes, unsigned int allowed)
{
	for (size_t i = 0; xctr_impls[i] != NULL; i++)
		if (xctr_fits(xctr_impls[i], aes) && usable(xctr_impls[i]->needs, NULL, allowed))
			return xctr_impls[i];
	return &xctr_generic;
}

/* Every primitive's first usable row under the features `allowed`. */
static void pick_all(struct fscrypt_ext__dispatch *d, unsigned int allowed)
{
	for (size_t i = 0; i < XCTR_INDEX; i++) {
		const struct primitive *p = &primitives[i];
		size_t r = 0;

		while (p->rows[r + 1] != NULL && !row_usable(p, p->rows[r], allowed))
			r++;
		*slot(d, p) = p->rows[r];
	}
	d->xctr = xctr_pick(d->aes, allowed);
}

/*
 * Profiles: one name forces a consistent set. A profile named after an AES
 * backend takes that backend and lets the other primitives use every feature
 * that backend's generation of CPU has: "aesni" rules out VAES,
 * VPCLMULQDQ and GFNI (which came with them), so POLYVAL, XCTR and SM4 step
 * down with AES. "portable" allows no feature at all: every primitive runs
 * portable code.
 */
struct profile {
	const char *name;
	unsigned int allowed;
};

static const struct profile profiles[] = {
	{ "portable", 0 },
	{ "aesni", ~(FSCRYPT_EXT__CPU_VAES | FSCRYPT_EXT__CPU_VPCLMULQDQ | FSCRYPT_EXT__CPU_GFNI | FSCRYPT_EXT__CPU_AVX512) },
	/* The AVX2 generation: an AVX-512 machine forced here runs every AVX2 path (SHA-512 x4 included). */
	{ "vaes-avx2", ~FSCRYPT_EXT__CPU_AVX512 },
	{ "vaes-avx512", ~0u },
	{ "armv8-ce", ~0u },
};

static struct fscrypt_ext__dispatch slots[2];
static const struct fscrypt_ext__dispatch *current;
static struct fscrypt_ext__dispatch automatic;
static pthread_once_t dispatch_once = PTHREAD_ONCE_INIT;

static const struct fscrypt_ext__dispatch *publish(const struct fscrypt_ext__dispatch *d)
{
	/* Two slots: readers of the previous pointer keep a consistent copy while the other is written. */
	struct fscrypt_ext__dispatch *next = current == &slots[0] ? &slots[1] : &slots[0];

	*next = *d;
	__atomic_store_n(&current, next, __ATOMIC_RELEASE);
	return next;
}

/* Applies one token to *d: a profile name or primitive=implementation. */
static int apply_token(struct fscrypt_ext__dispatch *d, const char *tok, size_t len)
{
	const char *eq = memchr(tok, '=', len);

	if (eq == NULL) {
		if (len == 4 && memcmp(tok, "auto", 4) == 0) {
			*d = automatic;
			return FSCRYPT_EXT_OK;
		}
		for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(profiles); i++) {
			if (strlen(profiles[i].name) != len || memcmp(profiles[i].name, tok, len) != 0)
				continue;
			pick_all(d, profiles[i].allowed);
			/* A profile named after an AES backend means that backend, or nothing. */
			if (strcmp(profiles[i].name, "portable") != 0 && strcmp(d->aes->name, profiles[i].name) != 0)
				return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
			return FSCRYPT_EXT_OK;
		}
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	}
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(primitives); i++) {
		const struct primitive *p = &primitives[i];
		size_t plen = (size_t)(eq - tok), ilen = len - plen - 1;

		if (strlen(p->name) != plen || memcmp(p->name, tok, plen) != 0)
			continue;
		for (size_t r = 0; p->rows[r] != NULL; r++) {
			const char *n = row_name(p, p->rows[r]);

			if (strlen(n) != ilen || memcmp(n, eq + 1, ilen) != 0 || !row_usable(p, p->rows[r], ~0u))
				continue;
			if (i == XCTR_INDEX && !xctr_fits(p->rows[r], d->aes))
				continue;
			*slot(d, p) = p->rows[r];
			/* A new AES backend needs an XCTR that reads its keys. */
			if (i == 0 && !xctr_fits(d->xctr, d->aes))
				d->xctr = xctr_pick(d->aes, ~0u);
			return FSCRYPT_EXT_OK;
		}
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	}
	return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
}

static int parse_spec(struct fscrypt_ext__dispatch *d, const char *spec)
{
	const char *p = spec;

	if (*p == '\0')
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		int err;

		if (len == 0)
			return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
		err = apply_token(d, p, len);
		if (err != FSCRYPT_EXT_OK)
			return err;
		if (end == NULL)
			return FSCRYPT_EXT_OK;
		p = end + 1;
	}
}

/* Detection first; FSCRYPT_EXT_BACKEND then adjusts it, and is ignored as a whole if any part cannot apply. */
static void dispatch_init(void)
{
	const char *env = getenv("FSCRYPT_EXT_BACKEND");
	struct fscrypt_ext__dispatch d;

	pick_all(&automatic, ~0u);
	d = automatic;
	if (env == NULL || parse_spec(&d, env) != FSCRYPT_EXT_OK)
		d = automatic;
	publish(&d);
}

const struct fscrypt_ext__dispatch *fscrypt_ext__dispatch(void)
{
	/*
	 * Once published, current is never NULL again: one acquire load (which
	 * also orders `automatic`, written before the first publish) instead of
	 * a pthread_once call on every lookup, which the derivation path pays.
	 */
	const struct fscrypt_ext__dispatch *d = __atomic_load_n(&current, __ATOMIC_ACQUIRE);

	if (__builtin_expect(d != NULL, 1))
		return d;
	(void)pthread_once(&dispatch_once, dispatch_init);
	return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

int fscrypt_ext__dispatch_force(const char *spec)
{
	struct fscrypt_ext__dispatch d = *fscrypt_ext__dispatch();
	int err;

	if (spec == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = parse_spec(&d, spec);
	if (err == FSCRYPT_EXT_OK)
		publish(&d);
	return err;
}

const char *fscrypt_ext__dispatch_primitive(size_t i, const char **impl)
{
	const struct fscrypt_ext__dispatch *d = fscrypt_ext__dispatch();

	if (i >= FSCRYPT_EXT__ARRAY_SIZE(primitives))
		return NULL;
	if (impl != NULL)
		*impl = row_name(&primitives[i], *(const void *const *)((const char *)d + primitives[i].slot));
	return primitives[i].name;
}

fscrypt_ext__xctr_fn fscrypt_ext__xctr_for(const struct fscrypt_ext__aes_impl *aes)
{
	const struct fscrypt_ext__dispatch *d = fscrypt_ext__dispatch();

	if (xctr_fits(d->xctr, aes))
		return d->xctr->crypt;
	return xctr_pick(aes, ~0u)->crypt;
}

/* ---- the per-table lookups tests and benchmarks use ---- */

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; fscrypt_ext__aes_impls[i] != NULL; i++)
		if (strcmp(fscrypt_ext__aes_impls[i]->name, name) == 0)
			return fscrypt_ext__aes_impls[i];
	return NULL;
}

const struct fscrypt_ext__aes_impl *fscrypt_ext__aes_auto(void)
{
	(void)fscrypt_ext__dispatch();
	return automatic.aes;
}

void fscrypt_ext__aes_select(const struct fscrypt_ext__aes_impl *impl)
{
	struct fscrypt_ext__dispatch d = *fscrypt_ext__dispatch();

	if (impl == NULL) {
		publish(&automatic);
		return;
	}
	d.aes = impl;
	if (!xctr_fits(d.xctr, impl))
		d.xctr = xctr_pick(impl, ~0u);
	publish(&d);
}

const struct fscrypt_ext__chacha_impl *fscrypt_ext__chacha_best(void)
{
	(void)fscrypt_ext__dispatch();
	return automatic.chacha;
}

const struct fscrypt_ext__nh_impl *fscrypt_ext__nh_best(void)
{
	(void)fscrypt_ext__dispatch();
	return automatic.nh;
}

const struct fscrypt_ext__polyval_impl *fscrypt_ext__polyval_best(void)
{
	(void)fscrypt_ext__dispatch();
	return automatic.polyval;
}

const struct fscrypt_ext__polyval_impl *fscrypt_ext__polyval_find(const char *name)
{
	for (size_t i = 0; fscrypt_ext__polyval_impls[i] != NULL; i++)
		if (strcmp(fscrypt_ext__polyval_impls[i]->name, name) == 0)
			return fscrypt_ext__polyval_impls[i]->available() ? fscrypt_ext__polyval_impls[i] : NULL;
	return NULL;
}
