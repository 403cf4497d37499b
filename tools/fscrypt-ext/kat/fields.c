/* fscrypt-ext tool: `kat` field getters, a vector's hex, numbers, booleans and fs object, failing the vector when malformed. */
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "kat/kat.h"
#include "util.h"

uint8_t *kat_alloc(struct kat_vec *v, size_t n)
{
	uint8_t *p;

	if (v->n_allocs == KAT_MAX_ALLOCS || (p = calloc(1, n ? n : 1)) == NULL) {
		kat_fail(v, "out of memory (or too many buffers) for %zu bytes", n);
		return NULL;
	}
	v->allocs[v->n_allocs++] = p;
	return p;
}

bool kat_has(const struct kat_vec *v, const char *field)
{
	return json_object_object_get_ex(v->obj, field, NULL);
}

uint8_t *kat_hex(struct kat_vec *v, const char *field, size_t *len)
{
	struct json_object *f;
	const char *s;
	size_t slen;
	uint8_t *out;

	if (!json_object_object_get_ex(v->obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return NULL;
	}
	if (!json_object_is_type(f, json_type_string)) {
		kat_fail(v, "malformed vector: field \"%s\" is not a hex string", field);
		return NULL;
	}
	s = json_object_get_string(f);
	slen = (size_t)json_object_get_string_len(f);
	out = kat_alloc(v, slen / 2);
	if (out == NULL)
		return NULL;
	if (!tc_hex_decode(s, slen, out)) {
		kat_fail(v, "malformed vector: field \"%s\" is not valid hex", field);
		return NULL;
	}
	*len = slen / 2;
	return out;
}

bool kat_pt_ct(struct kat_vec *v, uint8_t **pt, uint8_t **ct, size_t *len, uint8_t **buf)
{
	size_t pt_len, ct_len;

	*pt = kat_hex(v, "plaintext", &pt_len);
	*ct = kat_hex(v, "ciphertext", &ct_len);
	if (*pt == NULL || *ct == NULL)
		return false;
	if (pt_len != ct_len) {
		kat_fail(v, "malformed vector: plaintext has %zu bytes, ciphertext %zu", pt_len, ct_len);
		return false;
	}
	*len = pt_len;
	*buf = kat_alloc(v, pt_len);
	return *buf != NULL;
}

bool kat_hex_fixed(struct kat_vec *v, const char *field, uint8_t *out, size_t n)
{
	size_t len;
	uint8_t *p = kat_hex(v, field, &len);

	if (p == NULL)
		return false;
	if (len != n) {
		kat_fail(v, "malformed vector: field \"%s\" has %zu bytes, expected %zu", field, len, n);
		return false;
	}
	memcpy(out, p, n);
	return true;
}

bool kat_u64_in(struct kat_vec *v, struct json_object *obj, const char *field, uint64_t *out)
{
	struct json_object *f;

	if (!json_object_object_get_ex(obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return false;
	}
	switch (json_object_get_type(f)) {
	case json_type_int:
		/*
		 * json-c keeps integers past INT64_MAX as uint64 (get_int64 then clamps to
		 * INT64_MAX) and the rest as int64; neither path goes through a double.
		 */
		if (json_object_get_int64(f) < 0) {
			kat_fail(v, "malformed vector: field \"%s\" is negative", field);
			return false;
		}
		*out = json_object_get_uint64(f);
		return true;
	case json_type_string: {
		/* Some generators write big integers as strings of decimal digits. */
		const char *s = json_object_get_string(f);
		size_t n = strlen(s);

		for (size_t i = 0; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				n = 0;
		if (n != 0 && cli_parse_u64(s, out))
			return true;
		break;
	}
	default:
		break;
	}
	kat_fail(v, "malformed vector: field \"%s\" is not an unsigned 64-bit integer", field);
	return false;
}

bool kat_u64(struct kat_vec *v, const char *field, uint64_t *out)
{
	return kat_u64_in(v, v->obj, field, out);
}

bool kat_bool_in(struct kat_vec *v, struct json_object *obj, const char *field, bool *out)
{
	struct json_object *f;

	if (!json_object_object_get_ex(obj, field, &f)) {
		kat_fail(v, "malformed vector: missing field \"%s\"", field);
		return false;
	}
	if (json_object_is_type(f, json_type_boolean)) {
		*out = json_object_get_boolean(f);
		return true;
	}
	if (json_object_is_type(f, json_type_int) &&
	    (json_object_get_int64(f) == 0 || json_object_get_int64(f) == 1)) {
		*out = json_object_get_int64(f) == 1;
		return true;
	}
	kat_fail(v, "malformed vector: field \"%s\" is not a boolean", field);
	return false;
}

bool kat_fs_info(struct kat_vec *v, struct json_object *fs_obj, uint32_t default_block_size,
		 struct fscrypt_ext_fs_info *fs, unsigned int *dir_flags)
{
	uint64_t n;
	bool b;

	fscrypt_ext_fs_info_ext4(fs, default_block_size);
	*dir_flags = 0;
	if (fs_obj == NULL)
		return true;
	if (!json_object_is_type(fs_obj, json_type_object)) {
		kat_fail(v, "malformed vector: \"fs\" is not an object");
		return false;
	}
	if (json_object_object_get_ex(fs_obj, "block_size", NULL)) {
		if (!kat_u64_in(v, fs_obj, "block_size", &n))
			return false;
		if (n > UINT32_MAX) {
			kat_fail(v, "malformed vector: fs.block_size %llu out of range", (unsigned long long)n);
			return false;
		}
		fs->block_size = (uint32_t)n;
	}
	if (json_object_object_get_ex(fs_obj, "ino_bits", NULL)) {
		if (!kat_u64_in(v, fs_obj, "ino_bits", &n))
			return false;
		fs->ino_bits = (uint8_t)(n > 255 ? 255 : n);
	}
	if (json_object_object_get_ex(fs_obj, "lblk_bits", NULL)) {
		if (!kat_u64_in(v, fs_obj, "lblk_bits", &n))
			return false;
		fs->lblk_bits = (uint8_t)(n > 255 ? 255 : n);
	}
	if (json_object_object_get_ex(fs_obj, "stable_inodes", NULL)) {
		if (!kat_bool_in(v, fs_obj, "stable_inodes", &b))
			return false;
		fs->stable_inodes = b;
	}
	if (json_object_object_get_ex(fs_obj, "subblock_data_units", NULL)) {
		if (!kat_bool_in(v, fs_obj, "subblock_data_units", &b))
			return false;
		fs->subblock_data_units = b;
	}
	if (json_object_object_get_ex(fs_obj, "casefolded", NULL)) {
		if (!kat_bool_in(v, fs_obj, "casefolded", &b))
			return false;
		/* A per-directory fact in the library; the vector format keeps it with the filesystem. */
		*dir_flags = b ? FSCRYPT_EXT_DIR_CASEFOLDED : 0;
	}
	return true;
}
