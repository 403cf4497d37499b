/* Passphrase -> wrapping key: Argon2id (libargon2) as google/fscrypt runs it, cost limits and time tuning. */
#include <time.h>
#include <unistd.h>

#include <argon2.h>
#include <sodium.h>

#include "gf_internal.h"

void fscrypt_ext_gf_limits_default(struct fscrypt_ext_gf_limits *l)
{
	if (l == NULL)
		return;
	l->max_memory_kib = FSCRYPT_EXT_GF_DEFAULT_MAX_MEMORY_KIB;
	l->max_time = FSCRYPT_EXT_GF_DEFAULT_MAX_TIME;
	l->max_work_kib = FSCRYPT_EXT_GF_DEFAULT_MAX_WORK_KIB;
}

/*
 * PassphraseHash (crypto.go) passes uint8(parallelism) as Argon2's thread/lane count,
 * in v0.3.3 and upstream HEAD alike; only files with truncation_fixed (HEAD) use the
 * value as is, which must then be 1..255.
 */
uint32_t fscrypt_ext_gf_costs_lanes(const struct fscrypt_ext_gf_costs *c)
{
	if (c == NULL)
		return 0;
	if (c->truncation_fixed)
		return c->parallelism >= 1 && c->parallelism <= 255 ? (uint32_t)c->parallelism : 0;
	return (uint32_t)((uint64_t)c->parallelism & 0xff);
}

/* google/fscrypt's checks (time > 0, parallelism > 0, memory >= 8 * parallelism), what
 * libargon2 can run, and the caller's limits. */
static int check_costs(const struct fscrypt_ext_gf_costs *c, const struct fscrypt_ext_gf_limits *lim)
{
	struct fscrypt_ext_gf_limits def;
	uint32_t lanes = fscrypt_ext_gf_costs_lanes(c);

	if (lim == NULL) {
		fscrypt_ext_gf_limits_default(&def);
		lim = &def;
	}
	if (c->time <= 0 || c->parallelism <= 0 || c->memory_kib <= 0 || lanes == 0)
		return FSCRYPT_EXT_ERR_COSTS_RANGE;
	if (c->time > UINT32_MAX || c->memory_kib > UINT32_MAX || c->memory_kib / 8 < c->parallelism)
		return FSCRYPT_EXT_ERR_COSTS_RANGE;
	if ((uint64_t)c->memory_kib > lim->max_memory_kib || (uint64_t)c->time > lim->max_time ||
	    (uint64_t)c->memory_kib > lim->max_work_kib / (uint64_t)c->time)
		return FSCRYPT_EXT_ERR_COSTS_RANGE;
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext_gf_passphrase_hash(const uint8_t *pass, size_t pass_len, const uint8_t salt[FSCRYPT_EXT_GF_SALT_SIZE],
				   const struct fscrypt_ext_gf_costs *c, const struct fscrypt_ext_gf_limits *limits,
				   uint8_t out[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE])
{
	int err, r;

	if ((pass == NULL && pass_len) || salt == NULL || c == NULL || out == NULL || pass_len > UINT32_MAX)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = check_costs(c, limits);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/*
	 * golang.org/x/crypto/argon2.IDKey: version 0x13, no secret, no associated data;
	 * H0 takes the stored memory, the block count is then rounded as the reference
	 * code does. libargon2 wipes its block memory when it frees it.
	 */
	r = argon2id_hash_raw((uint32_t)c->time, (uint32_t)c->memory_kib, fscrypt_ext_gf_costs_lanes(c),
			      pass_len ? pass : (const uint8_t *)"", pass_len, salt, FSCRYPT_EXT_GF_SALT_SIZE, out,
			      FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	if (r == ARGON2_OK)
		return FSCRYPT_EXT_OK;
	sodium_memzero(out, FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	return r == ARGON2_MEMORY_ALLOCATION_ERROR ? FSCRYPT_EXT_ERR_NOMEM : FSCRYPT_EXT_ERR_CRYPTO;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Milliseconds of one run with these costs (a dummy passphrase), or < 0 on failure. */
static double time_run(const struct fscrypt_ext_gf_costs *c)
{
	static const uint8_t salt[FSCRYPT_EXT_GF_SALT_SIZE];
	struct fscrypt_ext_gf_limits unl = { UINT64_MAX, UINT64_MAX, UINT64_MAX };
	uint8_t *out = fscrypt_ext__gf_secure_alloc(FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	double t0 = now_ms(), t;
	int err;

	if (out == NULL)
		return -1;
	err = fscrypt_ext_gf_passphrase_hash((const uint8_t *)"tuning", 6, salt, c, &unl, out);
	t = now_ms() - t0;
	fscrypt_ext__gf_secure_free(out);
	return err == FSCRYPT_EXT_OK ? t : -1;
}

/*
 * Like `fscrypt setup` (getHashingCosts, actions/config.go), in our own steps: lanes
 * = the CPU count (at most 255), the memory doubled up to the cap while a pass is
 * still under budget, then as many passes as fit the budget.
 */
int fscrypt_ext__gf_tune_costs(const struct fscrypt_ext_gf_protector_params *params, struct fscrypt_ext_gf_costs *out)
{
	double budget = params->tune_ms ? (double)params->tune_ms : 1000.0, t;
	uint64_t max_mem = params->tune_max_memory_kib ? params->tune_max_memory_kib : 131072;
	struct fscrypt_ext_gf_costs c = { 1, 0, params->costs.parallelism, false };

	if (c.parallelism <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c.parallelism = n < 1 ? 1 : n > 255 ? 255 : n;
	}
	if (c.parallelism > 255)
		return FSCRYPT_EXT_ERR_COSTS_RANGE;
	c.memory_kib = 8 * c.parallelism;
	if ((uint64_t)c.memory_kib > max_mem || max_mem > UINT32_MAX)
		return FSCRYPT_EXT_ERR_COSTS_RANGE;
	t = time_run(&c);
	while (t >= 0 && (uint64_t)c.memory_kib * 2 <= max_mem && t * 2 < budget) {
		c.memory_kib *= 2;
		t = time_run(&c);
	}
	if (t < 0)
		return FSCRYPT_EXT_ERR_CRYPTO;
	if (t > 0 && t < budget) {
		double passes = budget / t;

		c.time = passes > 1000 ? 1000 : (int64_t)passes;
		if (c.time < 1)
			c.time = 1;
	}
	*out = c;
	return FSCRYPT_EXT_OK;
}
