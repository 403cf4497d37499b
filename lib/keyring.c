/* The master key keyring: add, look up, remove with the kernel's incomplete-removal semantics (FS_IOC_REMOVE_ENCRYPTION_KEY in Documentation/filesystems/fscrypt.rst). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "keyring.h"
#include "key.h"

struct fscrypt_ext__key_entry {
	struct fscrypt_ext__key_entry *next;
	fscrypt_ext_keyring *kr;
	fscrypt_ext_master_key *mk; /* set at creation, wiped only once unlinked */
	uint8_t spec_type;          /* SPEC_V1 (descriptor chosen by the adder) or SPEC_V2 (identifier) */
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]; /* v1: descriptor, zero-padded */
	uint32_t users;             /* active references */
	bool present;               /* false once removal has started (the kernel's mk_present) */
};

/* Everything below the lock; entries are unlinked (and then wiped) when neither present nor used. */
struct fscrypt_ext_keyring {
	pthread_mutex_t lock;
	struct fscrypt_ext__key_entry *entries;
	uint64_t total_users;
	uint64_t secrets_wiped;
	bool owner_gone; /* fscrypt_ext_keyring_free() was called; destroy with the last user */
};

/* The kernel's key specifier types: v1 keys are found by descriptor, v2 keys by identifier. */
#define SPEC_V1 1
#define SPEC_V2 2

static struct fscrypt_ext__key_entry *find_spec_locked(fscrypt_ext_keyring *kr, uint8_t type, const uint8_t *spec)
{
	struct fscrypt_ext__key_entry *e;
	size_t n = type == SPEC_V1 ? FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE : FSCRYPT_EXT_KEY_IDENTIFIER_SIZE;

	for (e = kr->entries; e != NULL; e = e->next)
		if (e->spec_type == type && memcmp(e->id, spec, n) == 0)
			return e;
	return NULL;
}

static struct fscrypt_ext__key_entry *find_locked(fscrypt_ext_keyring *kr, const uint8_t *id)
{
	return find_spec_locked(kr, SPEC_V2, id);
}

static void unlink_locked(fscrypt_ext_keyring *kr, struct fscrypt_ext__key_entry *victim)
{
	struct fscrypt_ext__key_entry **pp;

	for (pp = &kr->entries; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			victim->next = NULL;
			kr->secrets_wiped++;
			return;
		}
	}
}

/* Wipes the secret (sodium_free inside) and the entry; called with the lock released. */
static void entry_destroy(struct fscrypt_ext__key_entry *e)
{
	while (e != NULL) {
		struct fscrypt_ext__key_entry *next = e->next;

		fscrypt_ext_master_key_free(e->mk);
		fscrypt_ext__wipe(e, sizeof(*e));
		free(e);
		e = next;
	}
}

static void keyring_destroy(fscrypt_ext_keyring *kr)
{
	pthread_mutex_destroy(&kr->lock);
	fscrypt_ext__wipe(kr, sizeof(*kr));
	free(kr);
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_new(fscrypt_ext_keyring **out)
{
	fscrypt_ext_keyring *kr;
	int err;

	if (out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	kr = calloc(1, sizeof(*kr));
	if (kr == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	if (pthread_mutex_init(&kr->lock, NULL) != 0) {
		free(kr);
		return FSCRYPT_EXT_ERR_NOMEM;
	}
	*out = kr;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API void fscrypt_ext_keyring_free(fscrypt_ext_keyring *kr)
{
	struct fscrypt_ext__key_entry *e, *next, *victims = NULL;
	bool destroy;

	if (kr == NULL)
		return;
	pthread_mutex_lock(&kr->lock);
	kr->owner_gone = true;
	for (e = kr->entries; e != NULL; e = next) {
		next = e->next;
		e->present = false;
		if (e->users == 0) {
			unlink_locked(kr, e);
			e->next = victims;
			victims = e;
		}
	}
	destroy = kr->total_users == 0;
	pthread_mutex_unlock(&kr->lock);
	entry_destroy(victims);
	if (destroy)
		keyring_destroy(kr);
}

/* A present key comes back as KEY_EXISTS; a removed one still in use is revived (the kernel's mk_present again). */
static int add_locked(fscrypt_ext_keyring *kr, uint8_t type, const uint8_t *spec, fscrypt_ext_master_key **mk,
		      struct fscrypt_ext__key_entry **fresh)
{
	struct fscrypt_ext__key_entry *e = find_spec_locked(kr, type, spec);

	if (e != NULL) {
		if (e->present)
			return FSCRYPT_EXT_ERR_KEY_EXISTS;
		/* Same identifier, same key: keep the secret the open users derive from. */
		e->present = true;
		return FSCRYPT_EXT_OK;
	}
	e = *fresh;
	*fresh = NULL;
	e->kr = kr;
	e->mk = *mk;
	*mk = NULL;
	e->spec_type = type;
	memcpy(e->id, spec, type == SPEC_V1 ? FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE : FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	e->present = true;
	e->next = kr->entries;
	kr->entries = e;
	return FSCRYPT_EXT_OK;
}

/* Adds under a v1 descriptor (desc != NULL) or the key's own v2 identifier; new_id gets the identifier. */
static int keyring_add(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len, const uint8_t *desc,
		       uint8_t new_id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE])
{
	fscrypt_ext_master_key *mk = NULL;
	struct fscrypt_ext__key_entry *fresh;
	uint8_t spec[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE] = { 0 };
	int err;

	if (kr == NULL || raw == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* The expensive import (guarded memory, HKDF) happens outside the lock. */
	err = fscrypt_ext_master_key_new(raw, len, &mk);
	if (err != FSCRYPT_EXT_OK)
		return err;
	memcpy(new_id, fscrypt_ext__master_key_id(mk), FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	if (desc != NULL)
		memcpy(spec, desc, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	else
		memcpy(spec, new_id, sizeof(spec));
	fresh = calloc(1, sizeof(*fresh));
	if (fresh == NULL) {
		fscrypt_ext_master_key_free(mk);
		return FSCRYPT_EXT_ERR_NOMEM;
	}
	pthread_mutex_lock(&kr->lock);
	err = add_locked(kr, desc != NULL ? SPEC_V1 : SPEC_V2, spec, &mk, &fresh);
	pthread_mutex_unlock(&kr->lock);
	fscrypt_ext_master_key_free(mk);
	free(fresh);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_add(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len,
					    uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE])
{
	uint8_t new_id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	int err = keyring_add(kr, raw, len, NULL, new_id);

	if (err == FSCRYPT_EXT_OK && id != NULL)
		memcpy(id, new_id, sizeof(new_id));
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_add_v1(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len,
					       const uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE])
{
	uint8_t new_id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];

	if (desc == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	return keyring_add(kr, raw, len, desc, new_id);
}

static int keyring_remove(fscrypt_ext_keyring *kr, uint8_t type, const uint8_t *id, uint32_t *removal_flags)
{
	struct fscrypt_ext__key_entry *e, *victim = NULL;
	uint32_t flags = 0;

	if (kr == NULL || id == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	pthread_mutex_lock(&kr->lock);
	e = find_spec_locked(kr, type, id);
	if (e == NULL) {
		pthread_mutex_unlock(&kr->lock);
		return FSCRYPT_EXT_ERR_KEY_NOT_FOUND;
	}
	e->present = false;
	if (e->users == 0) {
		unlink_locked(kr, e);
		victim = e;
	} else {
		flags = FSCRYPT_EXT_KEY_REMOVAL_FILES_BUSY;
	}
	pthread_mutex_unlock(&kr->lock);
	entry_destroy(victim);
	if (removal_flags != NULL)
		*removal_flags = flags;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_remove(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
					       uint32_t *removal_flags)
{
	return keyring_remove(kr, SPEC_V2, id, removal_flags);
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_remove_v1(fscrypt_ext_keyring *kr,
						  const uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE],
						  uint32_t *removal_flags)
{
	return keyring_remove(kr, SPEC_V1, desc, removal_flags);
}

/* The specifier a context names: v1 descriptor or v2 identifier. */
static int context_spec(const struct fscrypt_ext_context *ctx, uint8_t *type, const uint8_t **spec)
{
	if (ctx->version == FSCRYPT_EXT_CONTEXT_V1) {
		*type = SPEC_V1;
		*spec = ctx->key_descriptor;
	} else if (ctx->version == FSCRYPT_EXT_CONTEXT_V2) {
		*type = SPEC_V2;
		*spec = ctx->key_identifier;
	} else {
		return ctx->version > 2 ? FSCRYPT_EXT_ERR_UNKNOWN_VERSION : FSCRYPT_EXT_ERR_BAD_VERSION;
	}
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_lookup(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
					       struct fscrypt_ext_key_status_info *out)
{
	struct fscrypt_ext_key_status_info st = { FSCRYPT_EXT_KEY_STATUS_ABSENT, 0 };
	struct fscrypt_ext__key_entry *e;
	const uint8_t *spec;
	uint8_t type;
	int err;

	if (kr == NULL || ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = context_spec(ctx, &type, &spec);
	if (err != FSCRYPT_EXT_OK)
		return err;
	pthread_mutex_lock(&kr->lock);
	e = find_spec_locked(kr, type, spec);
	if (e != NULL) {
		st.status = e->present ? FSCRYPT_EXT_KEY_STATUS_PRESENT : FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED;
		st.user_count = e->users;
	}
	pthread_mutex_unlock(&kr->lock);
	*out = st;
	return st.status == FSCRYPT_EXT_KEY_STATUS_ABSENT ? FSCRYPT_EXT_ERR_KEY_NOT_FOUND : FSCRYPT_EXT_OK;
}

int fscrypt_ext__keyring_acquire_for(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
				     struct fscrypt_ext__key_entry **out)
{
	struct fscrypt_ext__key_entry *e;
	const uint8_t *spec;
	uint8_t type;
	int err = context_spec(ctx, &type, &spec);

	if (err != FSCRYPT_EXT_OK)
		return err;
	pthread_mutex_lock(&kr->lock);
	e = find_spec_locked(kr, type, spec);
	if (e == NULL) {
		err = FSCRYPT_EXT_ERR_KEY_NOT_FOUND;
	} else if (!e->present) {
		err = FSCRYPT_EXT_ERR_KEY_REMOVED;
	} else {
		e->users++;
		kr->total_users++;
		*out = e;
	}
	pthread_mutex_unlock(&kr->lock);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_get_key(fscrypt_ext_keyring *kr, const struct fscrypt_ext_context *ctx,
						fscrypt_ext_master_key **out)
{
	struct fscrypt_ext__key_entry *e;
	const uint8_t *raw;
	size_t len;
	int err;

	if (kr == NULL || ctx == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__keyring_acquire_for(kr, ctx, &e);
	if (err != FSCRYPT_EXT_OK)
		return err;
	/* An independent copy: the caller's handle outlives any later removal from the keyring. */
	raw = fscrypt_ext__master_key_raw(e->mk, &len);
	err = fscrypt_ext_master_key_new(raw, len, out);
	fscrypt_ext__key_entry_release(e);
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_status(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
					       struct fscrypt_ext_key_status_info *out)
{
	struct fscrypt_ext_key_status_info st = { FSCRYPT_EXT_KEY_STATUS_ABSENT, 0 };
	struct fscrypt_ext__key_entry *e;

	if (kr == NULL || id == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	pthread_mutex_lock(&kr->lock);
	e = find_locked(kr, id);
	if (e != NULL) {
		st.status = e->present ? FSCRYPT_EXT_KEY_STATUS_PRESENT : FSCRYPT_EXT_KEY_STATUS_INCOMPLETELY_REMOVED;
		st.user_count = e->users;
	}
	pthread_mutex_unlock(&kr->lock);
	*out = st;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_stats(fscrypt_ext_keyring *kr, struct fscrypt_ext_keyring_stats *out)
{
	struct fscrypt_ext_keyring_stats st = { 0, 0, 0 };
	struct fscrypt_ext__key_entry *e;

	if (kr == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	pthread_mutex_lock(&kr->lock);
	for (e = kr->entries; e != NULL; e = e->next) {
		if (e->present)
			st.present++;
		else
			st.incompletely_removed++;
	}
	st.secrets_wiped = kr->secrets_wiped;
	pthread_mutex_unlock(&kr->lock);
	*out = st;
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__keyring_acquire(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
				 struct fscrypt_ext__key_entry **out)
{
	struct fscrypt_ext__key_entry *e;
	int err = FSCRYPT_EXT_OK;

	pthread_mutex_lock(&kr->lock);
	e = find_locked(kr, id);
	if (e == NULL) {
		err = FSCRYPT_EXT_ERR_KEY_NOT_FOUND;
	} else if (!e->present) {
		err = FSCRYPT_EXT_ERR_KEY_REMOVED;
	} else {
		e->users++;
		kr->total_users++;
		*out = e;
	}
	pthread_mutex_unlock(&kr->lock);
	return err;
}

void fscrypt_ext__key_entry_hold(struct fscrypt_ext__key_entry *e)
{
	fscrypt_ext_keyring *kr = e->kr;

	pthread_mutex_lock(&kr->lock);
	e->users++;
	kr->total_users++;
	pthread_mutex_unlock(&kr->lock);
}

/* fscrypt_put_master_key_activeref() with the series' change: the secret goes with the last user. */
void fscrypt_ext__key_entry_release(struct fscrypt_ext__key_entry *e)
{
	fscrypt_ext_keyring *kr = e->kr;
	struct fscrypt_ext__key_entry *victim = NULL;
	bool destroy;

	pthread_mutex_lock(&kr->lock);
	e->users--;
	kr->total_users--;
	if (e->users == 0 && !e->present) {
		unlink_locked(kr, e);
		victim = e;
	}
	destroy = kr->owner_gone && kr->total_users == 0;
	pthread_mutex_unlock(&kr->lock);
	entry_destroy(victim);
	if (destroy)
		keyring_destroy(kr);
}

const fscrypt_ext_master_key *fscrypt_ext__key_entry_key(const struct fscrypt_ext__key_entry *e)
{
	return e->mk;
}
