/* google/fscrypt protectors: parsed ProtectorData, unwrapping the protector key, creating new protectors. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gf_internal.h"

const char *fscrypt_ext_gf_source_name(int source)
{
	switch (source) {
	case FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE: return "pam_passphrase";
	case FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE: return "custom_passphrase";
	case FSCRYPT_EXT_GF_SOURCE_RAW_KEY: return "raw_key";
	default: return NULL;
	}
}

int fscrypt_ext_gf_protector_parse(const uint8_t *data, size_t len, fscrypt_ext_gf_protector **out)
{
	fscrypt_ext_gf_protector *p;
	int err;

	if (out == NULL || (data == NULL && len))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	*out = NULL;
	if (len > FSCRYPT_EXT_GF_MAX_METADATA_SIZE)
		return FSCRYPT_EXT_ERR_OVERSIZED;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	err = fscrypt_ext__gf_decode_protector(len ? data : (const uint8_t *)"", len, p);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext_gf_protector_free(p);
		return err;
	}
	*out = p;
	return FSCRYPT_EXT_OK;
}

void fscrypt_ext_gf_protector_free(fscrypt_ext_gf_protector *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p);
}

const char *fscrypt_ext_gf_protector_descriptor(const fscrypt_ext_gf_protector *p)
{
	return p ? p->desc : NULL;
}

int fscrypt_ext_gf_protector_source(const fscrypt_ext_gf_protector *p)
{
	return p ? p->source : FSCRYPT_EXT_GF_SOURCE_DEFAULT;
}

const char *fscrypt_ext_gf_protector_name(const fscrypt_ext_gf_protector *p, size_t *len)
{
	if (len)
		*len = p ? p->name_len : 0;
	return p ? p->name : NULL;
}

int64_t fscrypt_ext_gf_protector_uid(const fscrypt_ext_gf_protector *p)
{
	return p ? p->uid : 0;
}

bool fscrypt_ext_gf_protector_costs(const fscrypt_ext_gf_protector *p, struct fscrypt_ext_gf_costs *c)
{
	if (p == NULL || !p->has_costs)
		return false;
	if (c)
		*c = p->costs;
	return true;
}

void fscrypt_ext_gf_protector_key_free(fscrypt_ext_gf_protector_key *k)
{
	fscrypt_ext__gf_secure_free(k);
}

int fscrypt_ext_gf_protector_key_descriptor(const fscrypt_ext_gf_protector_key *k, char hex[17])
{
	uint8_t d[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE];

	if (k == NULL || hex == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	fscrypt_ext__gf_double_sha512(k->key, sizeof(k->key), d);
	fscrypt_ext__gf_hex(d, sizeof(d), hex);
	return FSCRYPT_EXT_OK;
}

/* The wrapping key of a credential for this source, into wkey (guarded memory). */
static int wrapping_key(int source, const struct fscrypt_ext_gf_costs *costs, const uint8_t *salt,
			const uint8_t *secret, size_t secret_len, const struct fscrypt_ext_gf_limits *limits,
			uint8_t wkey[FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE])
{
	switch (source) {
	case FSCRYPT_EXT_GF_SOURCE_RAW_KEY:
		/* cmd/fscrypt/keys.go: a raw key file is exactly 32 bytes, used as the wrapping key. */
		if (secret_len != FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE)
			return FSCRYPT_EXT_ERR_KEY_SIZE;
		memcpy(wkey, secret, FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
		return FSCRYPT_EXT_OK;
	case FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE:
	case FSCRYPT_EXT_GF_SOURCE_CUSTOM_PASSPHRASE:
		return fscrypt_ext_gf_passphrase_hash(secret, secret_len, salt, costs, limits, wkey);
	default:
		return FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE;
	}
}

int fscrypt_ext_gf_protector_unwrap(const fscrypt_ext_gf_protector *p, const uint8_t *secret, size_t secret_len,
				    const struct fscrypt_ext_gf_limits *limits, fscrypt_ext_gf_protector_key **out)
{
	fscrypt_ext_gf_protector_key *k;
	uint8_t *wkey, d[FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE];
	int err;

	if (out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	*out = NULL;
	if (p == NULL || (secret == NULL && secret_len))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	wkey = fscrypt_ext__gf_secure_alloc(FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	k = fscrypt_ext__gf_secure_alloc(sizeof(*k));
	if (wkey == NULL || k == NULL) {
		err = FSCRYPT_EXT_ERR_LOCKED_MEMORY;
		goto out;
	}
	err = wrapping_key(p->source, &p->costs, p->salt, secret, secret_len, limits, wkey);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__gf_unwrap(wkey, &p->wrapped, k->key);
	if (err == FSCRYPT_EXT_OK) {
		/* The file name and the stored descriptor both name the protector key: check it. */
		fscrypt_ext__gf_double_sha512(k->key, sizeof(k->key), d);
		if (sodium_memcmp(d, p->desc_bytes, sizeof(d)) != 0)
			err = FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH;
	}
out:
	fscrypt_ext__gf_secure_free(wkey);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext__gf_secure_free(k);
		return err;
	}
	*out = k;
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext_gf_protector_create(const struct fscrypt_ext_gf_protector_params *params, const uint8_t *secret,
				    size_t secret_len, uint8_t *buf, size_t buf_size, size_t *len,
				    fscrypt_ext_gf_protector_key **key_out)
{
	struct fscrypt_ext_gf_protector p;
	fscrypt_ext_gf_protector_key *k = NULL;
	struct fscrypt_ext_gf_limits unl = { UINT64_MAX, UINT64_MAX, UINT64_MAX };
	uint8_t *wkey = NULL;
	int err;

	if (key_out)
		*key_out = NULL;
	if (params == NULL || buf == NULL || len == NULL || key_out == NULL || (secret == NULL && secret_len))
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (fscrypt_ext_gf_source_name(params->source) == NULL)
		return FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE;
	memset(&p, 0, sizeof(p));
	p.source = params->source;
	p.uid = params->uid;
	if (params->name) {
		p.name = (char *)params->name;
		p.name_len = strlen(params->name);
	}
	if (p.source != FSCRYPT_EXT_GF_SOURCE_RAW_KEY) {
		p.has_costs = p.has_salt = true;
		if (params->costs.time == 0)
			err = fscrypt_ext__gf_tune_costs(params, &p.costs);
		else
			err = FSCRYPT_EXT_OK, p.costs = params->costs;
		if (err != FSCRYPT_EXT_OK)
			return err;
		randombytes_buf(p.salt, sizeof(p.salt));
	}
	wkey = fscrypt_ext__gf_secure_alloc(FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE);
	k = fscrypt_ext__gf_secure_alloc(sizeof(*k));
	if (wkey == NULL || k == NULL) {
		err = FSCRYPT_EXT_ERR_LOCKED_MEMORY;
		goto out;
	}
	/* The caller chose these costs: no limit, but google/fscrypt's own checks apply. */
	err = wrapping_key(p.source, &p.costs, p.salt, secret, secret_len, &unl, wkey);
	if (err != FSCRYPT_EXT_OK)
		goto out;
	randombytes_buf(k->key, sizeof(k->key));
	fscrypt_ext__gf_double_sha512(k->key, sizeof(k->key), p.desc_bytes);
	fscrypt_ext__gf_hex(p.desc_bytes, sizeof(p.desc_bytes), p.desc);
	err = fscrypt_ext__gf_wrap(wkey, k->key, sizeof(k->key), &p.wrapped);
	if (err == FSCRYPT_EXT_OK)
		err = fscrypt_ext__gf_encode_protector(&p, buf, buf_size, len);
out:
	fscrypt_ext__gf_secure_free(wkey);
	if (err != FSCRYPT_EXT_OK) {
		fscrypt_ext__gf_secure_free(k);
		return err;
	}
	*key_out = k;
	return FSCRYPT_EXT_OK;
}
