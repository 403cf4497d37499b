/* fscrypt-ext tool: printing policies and contexts field by field, as text or JSON. */
#ifndef FSCRYPT_EXT_CLI_SHOW_H
#define FSCRYPT_EXT_CLI_SHOW_H

#include <json-c/json.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* "PAD_32|IV_INO_LBLK_64", unknown bits as "0x40". */
void cli_flags_str(unsigned int flags, char *buf, size_t n);

/*
 * The fields of a policy (modes, flags, data unit size, reserved bytes, key),
 * its text form and its validation on fs: as aligned "name: value" lines, or
 * added to json when json is not NULL. Returns the validation result
 * (for a directory with dir_flags, FSCRYPT_EXT_DIR_*).
 */
int cli_show_policy(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
		    unsigned int dir_flags, struct json_object *json);

/* A validation result: "yes" or "no: <reason> (NAME, code)" / JSON valid + error fields. */
void cli_show_validity(const char *label, int err, struct json_object *json);

#endif
