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
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
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

static struct fscrypt_ext__key_entry *find_locked(fscrypt_ext_keyring *kr, const uint8_t *id)
{
	struct fscrypt_ext__key_entry *e;

	for (e = kr->entries; e != NULL; e = e->next)
		if (memcmp(e->id, id, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) == 0)
			return e;
	return NULL;
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
static int add_locked(fscrypt_ext_keyring *kr, fscrypt_ext_master_key **mk, struct fscrypt_ext__key_entry **fresh)
{
	struct fscrypt_ext__key_entry *e = find_locked(kr, fscrypt_ext__master_key_id(*mk));

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
	memcpy(e->id, fscrypt_ext__master_key_id(e->mk), FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	e->present = true;
	e->next = kr->entries;
	kr->entries = e;
	return FSCRYPT_EXT_OK;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_add(fscrypt_ext_keyring *kr, const uint8_t *raw, size_t len,
					    uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE])
{
	fscrypt_ext_master_key *mk = NULL;
	struct fscrypt_ext__key_entry *fresh;
	uint8_t new_id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	int err;

	if (kr == NULL || raw == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	/* The expensive import (guarded memory, HKDF) happens outside the lock. */
	err = fscrypt_ext_master_key_new(raw, len, &mk);
	if (err != FSCRYPT_EXT_OK)
		return err;
	memcpy(new_id, fscrypt_ext__master_key_id(mk), sizeof(new_id));
	fresh = calloc(1, sizeof(*fresh));
	if (fresh == NULL) {
		fscrypt_ext_master_key_free(mk);
		return FSCRYPT_EXT_ERR_NOMEM;
	}
	pthread_mutex_lock(&kr->lock);
	err = add_locked(kr, &mk, &fresh);
	pthread_mutex_unlock(&kr->lock);
	fscrypt_ext_master_key_free(mk);
	free(fresh);
	if (err == FSCRYPT_EXT_OK && id != NULL)
		memcpy(id, new_id, sizeof(new_id));
	return err;
}

FSCRYPT_EXT_API int fscrypt_ext_keyring_remove(fscrypt_ext_keyring *kr, const uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE],
					       uint32_t *removal_flags)
{
	struct fscrypt_ext__key_entry *e, *victim = NULL;
	uint32_t flags = 0;

	if (kr == NULL || id == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	pthread_mutex_lock(&kr->lock);
	e = find_locked(kr, id);
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
