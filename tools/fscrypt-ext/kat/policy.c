/* fscrypt-ext tool: `kat` handlers for policy and context vectors, accepted or refused and serialised back byte for byte. */
#include "kat/kat.h"
#include "util.h"

static void check_valid(struct kat_vec *v, const char *what, bool want, int parse_err, int validate_err)
{
	bool got = parse_err == FSCRYPT_EXT_OK && validate_err == FSCRYPT_EXT_OK;
	int err = parse_err != FSCRYPT_EXT_OK ? parse_err : validate_err;

	if (got == want)
		return;
	if (want)
		kat_fail(v, "%s should be accepted, but %s says %s (%s, %d)", what,
			 parse_err != FSCRYPT_EXT_OK ? "parse" : "validate", fscrypt_ext_strerror(err),
			 cli_err_name(err), err);
	else
		kat_fail(v, "%s should be refused, but parse and validate accept it", what);
}

enum kat_result kat_policy(struct kat_vec *v)
{
	struct fscrypt_ext_policy p;
	struct fscrypt_ext_fs_info fs;
	struct json_object *fs_obj = NULL;
	uint8_t out[FSCRYPT_EXT_POLICY_MAX_SIZE];
	size_t len, out_len;
	int perr, verr = FSCRYPT_EXT_OK;
	uint8_t *raw;
	unsigned int dir_flags;
	bool want;

	json_object_object_get_ex(v->obj, "fs", &fs_obj);
	raw = kat_hex(v, "policy", &len);
	if (raw == NULL || !kat_bool_in(v, v->obj, "valid", &want) || !kat_fs_info(v, fs_obj, 4096, &fs, &dir_flags))
		return KAT_FAIL;
	perr = fscrypt_ext_policy_parse(raw, len, &p);
	if (perr == FSCRYPT_EXT_OK) {
		verr = fscrypt_ext_policy_validate_dir(&p, &fs, dir_flags);
		/* The other direction: what parses serialises back to the same bytes. */
		if (kat_lib_ok(v, "fscrypt_ext_policy_serialize",
			       fscrypt_ext_policy_serialize(&p, out, sizeof(out), &out_len)))
			kat_same(v, "policy_serialize(policy_parse(policy))", raw, len, out, out_len);
	}
	check_valid(v, "policy", want, perr, verr);
	return kat_verdict(v);
}

enum kat_result kat_context(struct kat_vec *v)
{
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	struct json_object *fs_obj = NULL;
	uint8_t out[FSCRYPT_EXT_CONTEXT_MAX_SIZE];
	size_t len, out_len;
	int perr, verr = FSCRYPT_EXT_OK;
	uint8_t *raw;
	unsigned int dir_flags;
	bool want;

	json_object_object_get_ex(v->obj, "fs", &fs_obj);
	raw = kat_hex(v, "context", &len);
	if (raw == NULL || !kat_bool_in(v, v->obj, "valid", &want) || !kat_fs_info(v, fs_obj, 4096, &fs, &dir_flags))
		return KAT_FAIL;
	perr = fscrypt_ext_context_parse(raw, len, &ctx);
	if (perr == FSCRYPT_EXT_OK) {
		verr = fscrypt_ext_context_validate_dir(&ctx, &fs, dir_flags);
		if (kat_lib_ok(v, "fscrypt_ext_context_serialize",
			       fscrypt_ext_context_serialize(&ctx, out, sizeof(out), &out_len)))
			kat_same(v, "context_serialize(context_parse(context))", raw, len, out, out_len);
	}
	check_valid(v, "context", want, perr, verr);
	return kat_verdict(v);
}
