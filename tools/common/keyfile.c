/* tools/common: key files and keys JSON files read, parsed and wiped in guarded memory. */
#include <string.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>
#include <sodium.h>

#include "common.h"
#include "file.h"
#include "hex.h"
#include "keyfile.h"

/* Hex text of a key, whitespace around it allowed: decoded into guarded memory, then imported. */
static int import_hex(const char *hex, size_t hex_len, fscrypt_ext_master_key **out)
{
	uint8_t *raw;
	int err;

	while (hex_len && (hex[0] == ' ' || hex[0] == '\t' || hex[0] == '\n' || hex[0] == '\r')) {
		hex++;
		hex_len--;
	}
	while (hex_len && (hex[hex_len - 1] == ' ' || hex[hex_len - 1] == '\t' || hex[hex_len - 1] == '\n' ||
			   hex[hex_len - 1] == '\r'))
		hex_len--;
	if (hex_len > 2 * FSCRYPT_EXT_MAX_KEY_SIZE)
		return FSCRYPT_EXT_ERR_KEY_SIZE;
	raw = sodium_malloc(FSCRYPT_EXT_MAX_KEY_SIZE);
	if (!raw)
		return FSCRYPT_EXT_ERR_LOCKED_MEMORY;
	if (!tc_hex_decode(hex, hex_len, raw))
		err = FSCRYPT_EXT_ERR_BAD_ENCODING;
	else
		err = fscrypt_ext_master_key_new(raw, hex_len / 2, out);
	sodium_free(raw); /* wipes */
	return err;
}

/* Wipes every string json-c holds in the document (keys are strings; nothing else matters, but this is cheap). */
static void wipe_strings(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string: {
		/* json-c hands out const pointers into its own, writable, allocation. */
		char *s = (char *)json_object_get_string(o);
		int n = json_object_get_string_len(o);

		if (s && n > 0)
			sodium_memzero(s, (size_t)n);
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			wipe_strings(json_object_array_get_idx(o, i));
		break;
	case json_type_object: {
		json_object_object_foreach(o, k, v)
		{
			(void)k;
			wipe_strings(v);
		}
		break;
	}
	default:
		break;
	}
}

static bool add_key(struct tc_keyset *ks, const char *path, size_t i, json_object *k)
{
	json_object *mkj;
	struct tc_key *slot;
	int err;

	if (ks->n == TC_KEYSET_MAX) {
		tc_err("%s: more than %d keys", path, TC_KEYSET_MAX);
		return false;
	}
	if (!json_object_is_type(k, json_type_object) || !json_object_object_get_ex(k, "master_key", &mkj) ||
	    !json_object_is_type(mkj, json_type_string)) {
		tc_err("%s: key %zu has no \"master_key\" string", path, i);
		return false;
	}
	slot = &ks->keys[ks->n];
	err = import_hex(json_object_get_string(mkj), (size_t)json_object_get_string_len(mkj), &slot->mk);
	if (err) {
		if (err == FSCRYPT_EXT_ERR_BAD_ENCODING)
			tc_err("%s: key %zu: master_key is not hex", path, i);
		else
			tc_err("%s: key %zu: %s (%s)", path, i, fscrypt_ext_strerror(err), fscrypt_ext_error_name(err));
		return false;
	}
	if (fscrypt_ext_master_key_identifier(slot->mk, slot->identifier) ||
	    fscrypt_ext_master_key_descriptor(slot->mk, slot->descriptor)) {
		tc_err("%s: key %zu: cannot compute its identifier", path, i);
		fscrypt_ext_master_key_free(slot->mk);
		slot->mk = NULL;
		return false;
	}
	ks->n++;
	return true;
}

bool tc_keyset_load_json(struct tc_keyset *ks, const char *path)
{
	struct json_tokener *tok;
	json_object *root = NULL, *keys;
	uint8_t *buf;
	size_t len, first = ks->n;
	bool ok = false;

	if (!tc_read_secret_file(path, TC_KEYS_JSON_MAX, &buf, &len))
		return false;
	tok = json_tokener_new();
	if (!tok) {
		tc_err("%s: out of memory", path);
		sodium_free(buf);
		return false;
	}
	/*
	 * json-c gathers each string in tok->pb before copying it out. Growing that
	 * buffer now, while it holds nothing, means no realloc during the parse can
	 * leave a piece of a key in freed memory; it is wiped below.
	 */
	if (printbuf_memset(tok->pb, 0, 0, (int)len + 1) < 0) {
		tc_err("%s: out of memory", path);
		goto out;
	}
	printbuf_reset(tok->pb);
	root = json_tokener_parse_ex(tok, (const char *)buf, (int)len);
	if (!root) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (je == json_tokener_continue)
			tc_err("%s: truncated JSON", path);
		else
			tc_err("%s: not valid JSON (%s)", path, json_tokener_error_desc(je));
		goto out;
	}
	if (!json_object_object_get_ex(root, "keys", &keys) || !json_object_is_type(keys, json_type_array)) {
		tc_err("%s: no \"keys\" array", path);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(keys); i++)
		if (!add_key(ks, path, i, json_object_array_get_idx(keys, i)))
			goto out;
	ok = true;
out:
	if (tok->pb && tok->pb->buf)
		sodium_memzero(tok->pb->buf, (size_t)tok->pb->size);
	json_tokener_free(tok);
	if (root) {
		wipe_strings(root);
		json_object_put(root);
	}
	sodium_free(buf); /* wipes */
	if (!ok) {
		while (ks->n > first) {
			ks->n--;
			fscrypt_ext_master_key_free(ks->keys[ks->n].mk);
			ks->keys[ks->n].mk = NULL;
		}
	}
	return ok;
}

const fscrypt_ext_master_key *tc_keyset_find(const struct tc_keyset *ks, const struct fscrypt_ext_context *ctx)
{
	for (size_t i = 0; i < ks->n; i++) {
		if (ctx->version == FSCRYPT_EXT_CONTEXT_V2 &&
		    sodium_memcmp(ctx->key_identifier, ks->keys[i].identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE) == 0)
			return ks->keys[i].mk;
		if (ctx->version == FSCRYPT_EXT_CONTEXT_V1 &&
		    sodium_memcmp(ctx->key_descriptor, ks->keys[i].descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE) == 0)
			return ks->keys[i].mk;
	}
	return NULL;
}

void tc_keyset_free(struct tc_keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		fscrypt_ext_master_key_free(ks->keys[i].mk);
		ks->keys[i].mk = NULL;
	}
	ks->n = 0;
}

bool tc_read_master_key(const char *path, bool hex, fscrypt_ext_master_key **out)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (!tc_read_secret_file(path, TC_KEY_FILE_MAX, &buf, &len))
		return false;
	err = hex ? import_hex((const char *)buf, len, out) : fscrypt_ext_master_key_new(buf, len, out);
	sodium_free(buf); /* wipes */
	if (err) {
		if (err == FSCRYPT_EXT_ERR_BAD_ENCODING)
			tc_err("%s: not hex", path);
		else
			tc_err("%s: %s (%s)", path, fscrypt_ext_strerror(err), fscrypt_ext_error_name(err));
		return false;
	}
	return true;
}
