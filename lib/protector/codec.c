/* google/fscrypt ProtectorData / PolicyData: protobuf-c decoding and encoding, with google/fscrypt's field checks. */
#include <stdlib.h>
#include <string.h>

#include "gf_internal.h"
#include "metadata.pb-c.h"

bool fscrypt_ext__gf_unhex(const uint8_t *hex, size_t hex_len, uint8_t *out)
{
	if (hex_len % 2)
		return false;
	for (size_t i = 0; i < hex_len; i++) {
		uint8_t c = hex[i], v;

		if (c >= '0' && c <= '9')
			v = (uint8_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (uint8_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = (uint8_t)(c - 'A' + 10);
		else
			return false;
		if (i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] | v);
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	return true;
}

void fscrypt_ext__gf_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* A descriptor stored as hex text of exactly nbytes bytes; kept lowercase. */
static bool take_desc(const ProtobufCBinaryData *b, size_t nbytes, uint8_t *bytes, char *hex)
{
	if (b->len != 2 * nbytes || !fscrypt_ext__gf_unhex(b->data, b->len, bytes))
		return false;
	fscrypt_ext__gf_hex(bytes, nbytes, hex);
	return true;
}

/* checks.go: IV 16 bytes, HMAC 32 bytes, ciphertext of the expected size. */
static bool take_wrapped(const FscryptExt__WrappedKeyData *w, size_t enc_len, struct fscrypt_ext__gf_wrapped *out)
{
	if (w == NULL || w->iv.len != FSCRYPT_EXT_GF_IV_SIZE || w->hmac.len != FSCRYPT_EXT_GF_HMAC_SIZE ||
	    w->encrypted_key.len != enc_len)
		return false;
	memcpy(out->iv, w->iv.data, FSCRYPT_EXT_GF_IV_SIZE);
	memcpy(out->enc, w->encrypted_key.data, enc_len);
	out->enc_len = enc_len;
	memcpy(out->hmac, w->hmac.data, FSCRYPT_EXT_GF_HMAC_SIZE);
	return true;
}

int fscrypt_ext__gf_decode_protector(const uint8_t *data, size_t len, struct fscrypt_ext_gf_protector *p)
{
	FscryptExt__ProtectorData *m;
	int err = FSCRYPT_EXT_ERR_BAD_METADATA;

	m = fscrypt_ext__protector_data__unpack(NULL, len, data);
	if (m == NULL)
		return FSCRYPT_EXT_ERR_BAD_METADATA;
	/* The structure first (a truncated file is malformed), then the source. */
	if (!take_desc(&m->protector_descriptor, FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE, p->desc_bytes, p->desc) ||
	    !take_wrapped(m->wrapped_key, FSCRYPT_EXT_GF_PROTECTOR_KEY_SIZE, &p->wrapped))
		goto out;
	p->source = (int)m->source;
	if (p->source < FSCRYPT_EXT_GF_SOURCE_PAM_PASSPHRASE || p->source > FSCRYPT_EXT_GF_SOURCE_RAW_KEY) {
		err = FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE;
		goto out;
	}
	if (p->source != FSCRYPT_EXT_GF_SOURCE_RAW_KEY) {
		/* A passphrase needs its salt and costs; their values are checked when hashing. */
		if (m->costs == NULL || m->salt.len != FSCRYPT_EXT_GF_SALT_SIZE)
			goto out;
		p->has_costs = true;
		p->costs.time = m->costs->time;
		p->costs.memory_kib = m->costs->memory;
		p->costs.parallelism = m->costs->parallelism;
		p->costs.truncation_fixed = m->costs->truncation_fixed != 0;
		p->has_salt = true;
		memcpy(p->salt, m->salt.data, FSCRYPT_EXT_GF_SALT_SIZE);
	}
	p->uid = m->uid;
	p->name = malloc(m->name.len + 1);
	if (p->name == NULL) {
		err = FSCRYPT_EXT_ERR_NOMEM;
		goto out;
	}
	if (m->name.len)
		memcpy(p->name, m->name.data, m->name.len);
	p->name[m->name.len] = '\0';
	p->name_len = m->name.len;
	err = FSCRYPT_EXT_OK;
out:
	fscrypt_ext__protector_data__free_unpacked(m, NULL);
	return err;
}

static bool padding_ok(int64_t pad)
{
	return pad == 4 || pad == 8 || pad == 16 || pad == 32;
}

int fscrypt_ext__gf_decode_policy(const uint8_t *data, size_t len, struct fscrypt_ext_gf_policy *p)
{
	FscryptExt__PolicyData *m;
	const FscryptExt__EncryptionOptions *o;
	int err = FSCRYPT_EXT_ERR_BAD_METADATA;
	int64_t version;

	m = fscrypt_ext__policy_data__unpack(NULL, len, data);
	if (m == NULL)
		return FSCRYPT_EXT_ERR_BAD_METADATA;
	o = m->options;
	if (o == NULL || !padding_ok(o->padding) || o->contents <= 0 || o->contents > 255 || o->filenames <= 0 ||
	    o->filenames > 255)
		goto out;
	/* proto3 drops zero: an absent policy_version is a v1 policy (EncryptionOptions, checks.go). */
	version = o->policy_version == 0 ? 1 : o->policy_version;
	if (version != 1 && version != 2)
		goto out;
	p->opts.version = (uint8_t)version;
	p->opts.contents_mode = (uint8_t)o->contents;
	p->opts.filenames_mode = (uint8_t)o->filenames;
	p->opts.padding = (uint8_t)o->padding;
	p->desc_len = version == 1 ? FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE : FSCRYPT_EXT_KEY_IDENTIFIER_SIZE;
	if (!take_desc(&m->key_descriptor, p->desc_len, p->desc_bytes, p->desc))
		goto out;
	if (m->n_wrapped_policy_keys) {
		p->e = calloc(m->n_wrapped_policy_keys, sizeof(*p->e));
		if (p->e == NULL) {
			err = FSCRYPT_EXT_ERR_NOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < m->n_wrapped_policy_keys; i++) {
		const FscryptExt__WrappedPolicyKey *w = m->wrapped_policy_keys[i];

		if (!take_desc(&w->protector_descriptor, FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE, p->e[i].desc_bytes,
			       p->e[i].desc) ||
		    !take_wrapped(w->wrapped_key, FSCRYPT_EXT_GF_POLICY_KEY_SIZE, &p->e[i].wrapped))
			goto out;
		p->n = i + 1;
	}
	err = FSCRYPT_EXT_OK;
out:
	fscrypt_ext__policy_data__free_unpacked(m, NULL);
	return err;
}

static void put_wrapped(FscryptExt__WrappedKeyData *w, const struct fscrypt_ext__gf_wrapped *in)
{
	fscrypt_ext__wrapped_key_data__init(w);
	w->iv.data = (uint8_t *)in->iv;
	w->iv.len = FSCRYPT_EXT_GF_IV_SIZE;
	w->encrypted_key.data = (uint8_t *)in->enc;
	w->encrypted_key.len = in->enc_len;
	w->hmac.data = (uint8_t *)in->hmac;
	w->hmac.len = FSCRYPT_EXT_GF_HMAC_SIZE;
}

int fscrypt_ext__gf_encode_protector(const struct fscrypt_ext_gf_protector *p, uint8_t *buf, size_t size,
				     size_t *len)
{
	FscryptExt__ProtectorData m;
	FscryptExt__HashingCosts c;
	FscryptExt__WrappedKeyData w;
	size_t n;

	fscrypt_ext__protector_data__init(&m);
	m.protector_descriptor.data = (uint8_t *)p->desc;
	m.protector_descriptor.len = 2 * FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE;
	m.source = (FscryptExt__SourceType)p->source;
	m.name.data = (uint8_t *)p->name;
	m.name.len = p->name_len;
	if (p->has_costs) {
		fscrypt_ext__hashing_costs__init(&c);
		c.time = p->costs.time;
		c.memory = p->costs.memory_kib;
		c.parallelism = p->costs.parallelism;
		c.truncation_fixed = p->costs.truncation_fixed;
		m.costs = &c;
	}
	if (p->has_salt) {
		m.salt.data = (uint8_t *)p->salt;
		m.salt.len = FSCRYPT_EXT_GF_SALT_SIZE;
	}
	m.uid = p->uid;
	put_wrapped(&w, &p->wrapped);
	m.wrapped_key = &w;
	n = fscrypt_ext__protector_data__get_packed_size(&m);
	if (n > size)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	*len = fscrypt_ext__protector_data__pack(&m, buf);
	return FSCRYPT_EXT_OK;
}

int fscrypt_ext__gf_encode_policy(const struct fscrypt_ext_gf_policy *p, uint8_t *buf, size_t size, size_t *len)
{
	FscryptExt__PolicyData m;
	FscryptExt__EncryptionOptions o;
	FscryptExt__WrappedPolicyKey *keys = NULL, **ptrs = NULL;
	FscryptExt__WrappedKeyData *w = NULL;
	int err = FSCRYPT_EXT_ERR_NOMEM;
	size_t n;

	if (p->n) {
		keys = calloc(p->n, sizeof(*keys));
		ptrs = calloc(p->n, sizeof(*ptrs));
		w = calloc(p->n, sizeof(*w));
		if (keys == NULL || ptrs == NULL || w == NULL)
			goto out;
	}
	fscrypt_ext__policy_data__init(&m);
	m.key_descriptor.data = (uint8_t *)p->desc;
	m.key_descriptor.len = 2 * p->desc_len;
	fscrypt_ext__encryption_options__init(&o);
	o.padding = p->opts.padding;
	o.contents = p->opts.contents_mode;
	o.filenames = p->opts.filenames_mode;
	o.policy_version = p->opts.version;
	m.options = &o;
	for (size_t i = 0; i < p->n; i++) {
		fscrypt_ext__wrapped_policy_key__init(&keys[i]);
		keys[i].protector_descriptor.data = (uint8_t *)p->e[i].desc;
		keys[i].protector_descriptor.len = 2 * FSCRYPT_EXT__GF_PROTECTOR_DESC_SIZE;
		put_wrapped(&w[i], &p->e[i].wrapped);
		keys[i].wrapped_key = &w[i];
		ptrs[i] = &keys[i];
	}
	m.n_wrapped_policy_keys = p->n;
	m.wrapped_policy_keys = ptrs;
	n = fscrypt_ext__policy_data__get_packed_size(&m);
	if (n > size) {
		err = FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	*len = fscrypt_ext__policy_data__pack(&m, buf);
	err = FSCRYPT_EXT_OK;
out:
	free(keys);
	free(ptrs);
	free(w);
	return err;
}
