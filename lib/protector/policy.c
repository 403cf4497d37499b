/* google/fscrypt policies: parsed PolicyData, unwrapping the master key, creating policies and adding protectors. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gf_internal.h"

int fscrypt_ext_gf_policy_parse(const uint8_t *data, size_t len, fscrypt_ext_gf_policy **out)
{
	fscrypt_ext_gf_policy *p;
	int err;

	if (out == NULL || (data == NULL && len))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	*out = NULL;
	if (len > FSCRYPT_EXT_GF_MAX_METADATA_SIZE)
		return FSCRYPT_EXT_ERR_OVERSIZED;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__gf_decode_policy(len ? data : (const uint8_t *)"", len, p);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext_gf_policy_free(p);
		return err;
	}
	*out = p;
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext_gf_policy_free(fscrypt_ext_gf_policy *p)
{
	if (p == NULL)
		return;
	free(p->e);
	free(p);
}

const char *fscrypt_ext_gf_policy_descriptor(const fscrypt_ext_gf_policy *p)
{
	return p ? p->desc : NULL;
}

size_t fscrypt_ext_gf_policy_descriptor_bytes(const fscrypt_ext_gf_policy *p, uint8_t out[16])
{
	if (p == NULL || out == NULL)
		return 0;
	memcpy(out, p->desc_bytes, p->desc_len);
	return p->desc_len;
}

void fscrypt_ext_gf_policy_options(const fscrypt_ext_gf_policy *p, struct fscrypt_ext_gf_policy_options *o)
{
	if (p && o)
		*o = p->opts;
}

/* metadata/policy.go: the padding code, and DIRECT_KEY only for Adiantum/Adiantum. */
uint8_t fscrypt_ext_gf_policy_flags(const fscrypt_ext_gf_policy *p)
{
	uint8_t f;

	if (p == NULL)
		return 0;
	f = p->opts.padding == 4 ? FSCRYPT_EXT_FLAG_PAD_4
	    : p->opts.padding == 8 ? FSCRYPT_EXT_FLAG_PAD_8
	    : p->opts.padding == 16 ? FSCRYPT_EXT_FLAG_PAD_16
				    : FSCRYPT_EXT_FLAG_PAD_32;
	if (p->opts.contents_mode == FSCRYPT_EXT_MODE_ADIANTUM && p->opts.filenames_mode == FSCRYPT_EXT_MODE_ADIANTUM)
		f |= FSCRYPT_EXT_FLAG_DIRECT_KEY;
	return f;
}

size_t fscrypt_ext_gf_policy_protector_count(const fscrypt_ext_gf_policy *p)
{
	return p ? p->n : 0;
}

const char *fscrypt_ext_gf_policy_protector_descriptor(const fscrypt_ext_gf_policy *p, size_t i)
{
	return p && i < p->n ? p->e[i].desc : NULL;
}

/* The policy's key descriptor for a 64-byte key: v2 the kernel identifier, v1 double SHA-512. */
static int key_descriptor(const uint8_t *key, size_t len, unsigned int version, uint8_t out[16])
{
	fscrypt_ext_master_key *mk = NULL;
	int err = fscrypt_ext_master_key_new(key, len, &mk);

	if (err != FSCRYPT_EXT_OK)
		return err;
	if (version == 2)
		err = fscrypt_ext_master_key_identifier(mk, out);
	else
		err = fscrypt_ext_master_key_descriptor(mk, out);
	fscrypt_ext_master_key_free(mk);
	return err;
}

static const struct fscrypt_ext__gf_policy_entry *find_entry(const fscrypt_ext_gf_policy *p,
							     const uint8_t desc[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE])
{
	for (size_t i = 0; i < p->n; i++)
		if (memcmp(p->e[i].desc_bytes, desc, FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE) == 0)
			return &p->e[i];
	return NULL;
}

int fscrypt_ext_gf_policy_unwrap_raw(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *k,
				     uint8_t out[FSCRYPT_EXT_GF_POLICY_KEY_SIZE])
{
	const struct fscrypt_ext__gf_policy_entry *e;
	uint8_t d[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE], want[16];
	int err;

	if (p == NULL || k == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	fscrypt_ext__gf_double_sha512(k->key, sizeof(k->key), d);
	e = find_entry(p, d);
	if (e == NULL) {
		sodium_memzero(out, FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
		return FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR;
	}
	err = fscrypt_ext__gf_unwrap(k->key, &e->wrapped, out);
	if (err == FSCRYPT_EXT_OK)
		err = key_descriptor(out, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, p->opts.version, want);
	if (err == FSCRYPT_EXT_OK && memcmp(want, p->desc_bytes, p->desc_len) != 0)
		err = FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH;
	if (err != FSCRYPT_EXT_OK)
		sodium_memzero(out, FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
	return err;
}

int fscrypt_ext_gf_policy_unwrap(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *k,
				 fscrypt_ext_master_key **out)
{
	uint8_t *raw;
	int err;

	if (out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	*out = NULL;
	raw = fscrypt_ext__gf_secure_alloc(FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
	if (raw == NULL)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	err = fscrypt_ext_gf_policy_unwrap_raw(p, k, raw);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext_master_key_new(raw, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, out);
	fscrypt_ext__gf_secure_free(raw);
	return err;
}

static bool options_ok(const struct fscrypt_ext_gf_policy_options *o)
{
	return (o->version == 1 || o->version == 2) && o->contents_mode != 0 && o->filenames_mode != 0 &&
	       (o->padding == 4 || o->padding == 8 || o->padding == 16 || o->padding == 32);
}

int fscrypt_ext_gf_policy_create(const uint8_t *master_key, size_t key_len, const struct fscrypt_ext_gf_policy_options *o,
				 const fscrypt_ext_gf_protector_key *const *keys, size_t n, uint8_t *buf, size_t buf_size,
				 size_t *len)
{
	struct fscrypt_ext_gf_policy p;
	int err = FSCRYPT_EXT_OK;

	if (master_key == NULL || o == NULL || (keys == NULL && n) || buf == NULL || len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (key_len != FSCRYPT_EXT_GF_POLICY_KEY_SIZE)
		return FSCRYPT_EXT_ERR_KEY_SIZE;
	if (!options_ok(o))
		return FSCRYPT_EXT_ERR_BAD_METADATA;
	memset(&p, 0, sizeof(p));
	p.opts = *o;
	p.desc_len = o->version == 1 ? FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE : FSCRYPT_EXT_KEY_IDENTIFIER_SIZE;
	err = key_descriptor(master_key, key_len, o->version, p.desc_bytes);
	if (err != FSCRYPT_EXT_OK)
		return err;
	fscrypt_ext__gf_hex(p.desc_bytes, p.desc_len, p.desc);
	if (n) {
		p.e = calloc(n, sizeof(*p.e));
		if (p.e == NULL)
			return FSCRYPT_EXT_ERR_NOMEM;
	}
	for (size_t i = 0; i < n && err == FSCRYPT_EXT_OK; i++) {
		if (keys[i] == NULL) {
			err = FSCRYPT_EXT_ERR_INVALID_ARG;
			break;
		}
		fscrypt_ext__gf_double_sha512(keys[i]->key, sizeof(keys[i]->key), p.e[i].desc_bytes);
		fscrypt_ext__gf_hex(p.e[i].desc_bytes, sizeof(p.e[i].desc_bytes), p.e[i].desc);
		p.n = i + 1;
		if (find_entry(&p, p.e[i].desc_bytes) != &p.e[i])
			err = FSCRYPT_EXT_ERR_INVALID_ARG; /* the same protector twice */
		else
			err = fscrypt_ext__gf_wrap(keys[i]->key, master_key, key_len, &p.e[i].wrapped);
	}
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__gf_encode_policy(&p, buf, buf_size, len);
	free(p.e);
	return err;
}

int fscrypt_ext_gf_policy_add_protector(const fscrypt_ext_gf_policy *p, const fscrypt_ext_gf_protector_key *with,
					const fscrypt_ext_gf_protector_key *add, uint8_t *buf, size_t buf_size,
					size_t *len)
{
	struct fscrypt_ext_gf_policy q;
	uint8_t *raw;
	int err;

	if (p == NULL || with == NULL || add == NULL || buf == NULL || len == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	raw = fscrypt_ext__gf_secure_alloc(FSCRYPT_EXT_GF_POLICY_KEY_SIZE);
	if (raw == NULL)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	q = *p;
	q.e = calloc(p->n + 1, sizeof(*q.e));
	if (q.e == NULL) {
		fscrypt_ext__gf_secure_free(raw);
		return FSCRYPT_EXT_ERR_NOMEM;
	}
	if (p->n)
		memcpy(q.e, p->e, p->n * sizeof(*q.e));
	err = fscrypt_ext_gf_policy_unwrap_raw(p, with, raw);
	if (err == FSCRYPT_EXT_OK) {
		struct fscrypt_ext__gf_policy_entry *e = &q.e[p->n];

		fscrypt_ext__gf_double_sha512(add->key, sizeof(add->key), e->desc_bytes);
		fscrypt_ext__gf_hex(e->desc_bytes, sizeof(e->desc_bytes), e->desc);
		if (find_entry(p, e->desc_bytes) != NULL)
			err = FSCRYPT_EXT_ERR_INVALID_ARG;
		else
			err = fscrypt_ext__gf_wrap(add->key, raw, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, &e->wrapped);
	}
	q.n = p->n + 1;
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__gf_encode_policy(&q, buf, buf_size, len);
	free(q.e);
	fscrypt_ext__gf_secure_free(raw);
	return err;
}
