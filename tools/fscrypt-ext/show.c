/* fscrypt-ext tool: printing policies and contexts field by field, as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "show.h"
#include "util.h"

void cli_flags_str(unsigned int flags, char *buf, size_t n)
{
	static const char *const pads[] = { "PAD_4", "PAD_8", "PAD_16", "PAD_32" };
	unsigned int unknown = flags & ~(unsigned int)(FSCRYPT_EXT_FLAG_PAD_MASK | FSCRYPT_EXT_FLAG_DIRECT_KEY |
						       FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 |
						       FSCRYPT_EXT_FLAG_IV_INO_LBLK_32);
	char extra[16] = "";

	if (unknown)
		snprintf(extra, sizeof(extra), "|0x%02x", unknown);
	snprintf(buf, n, "%s%s%s%s%s", pads[flags & FSCRYPT_EXT_FLAG_PAD_MASK],
		 flags & FSCRYPT_EXT_FLAG_DIRECT_KEY ? "|DIRECT_KEY" : "",
		 flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 ? "|IV_INO_LBLK_64" : "",
		 flags & FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 ? "|IV_INO_LBLK_32" : "", extra);
}

void cli_show_validity(const char *label, int err, struct json_object *json)
{
	if (json != NULL) {
		cli_json_add_bool(json, "valid", err == FSCRYPT_EXT_OK);
		if (err != FSCRYPT_EXT_OK) {
			cli_json_add_int(json, "error", err);
			cli_json_add_str(json, "error_name", cli_err_name(err));
			cli_json_add_str(json, "error_message", fscrypt_ext_strerror(err));
		}
		return;
	}
	if (err == FSCRYPT_EXT_OK)
		printf("%-16s yes\n", label);
	else
		printf("%-16s no: %s (%s, %d)\n", label, fscrypt_ext_strerror(err), cli_err_name(err), err);
}

static void show_mode(const char *label, unsigned int mode, struct json_object *json)
{
	const char *name = cli_mode_name(mode);

	if (json != NULL) {
		struct json_object *m = json_object_new_object();

		cli_json_add_u64(m, "number", mode);
		cli_json_add_str(m, "name", name);
		json_object_object_add(json, label, m);
	} else {
		printf("%-16s %u (%s)\n", label, mode, name ? name : "unknown");
	}
}

int cli_show_policy(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
		    unsigned int dir_flags, struct json_object *json)
{
	char flags[80], text[256];
	bool v2 = p->version == FSCRYPT_EXT_POLICY_V2;
	int terr, verr;

	cli_flags_str(p->flags, flags, sizeof(flags));
	terr = fscrypt_ext_policy_to_text(p, text, sizeof(text));
	verr = fscrypt_ext_policy_validate_dir(p, fs, dir_flags);
	if (json != NULL) {
		cli_json_add_u64(json, "policy_version", p->version);
		show_mode("contents_mode", p->contents_mode, json);
		show_mode("filenames_mode", p->filenames_mode, json);
		cli_json_add_u64(json, "flags", p->flags);
		cli_json_add_str(json, "flags_text", flags);
		if (v2) {
			cli_json_add_u64(json, "log2_data_unit_size", p->log2_data_unit_size);
			cli_json_add_hex(json, "reserved", p->reserved, sizeof(p->reserved));
			cli_json_add_hex(json, "key_identifier", p->key_identifier, sizeof(p->key_identifier));
		} else {
			cli_json_add_hex(json, "key_descriptor", p->key_descriptor, sizeof(p->key_descriptor));
		}
		cli_json_add_str(json, "text", terr == FSCRYPT_EXT_OK ? text : NULL);
		cli_show_validity("valid", verr, json);
		return verr;
	}
	printf("%-16s %u (%s)\n", "policy version:", p->version, v2 ? "v2" : p->version == 0 ? "v1" : "unknown");
	show_mode("contents:", p->contents_mode, NULL);
	show_mode("filenames:", p->filenames_mode, NULL);
	printf("%-16s 0x%02x (%s)\n", "flags:", p->flags, flags);
	if (v2) {
		if (p->log2_data_unit_size)
			printf("%-16s %u (%lu bytes)\n", "data unit:", p->log2_data_unit_size,
			       p->log2_data_unit_size < 32 ? 1ul << p->log2_data_unit_size : 0ul);
		else
			printf("%-16s 0 (the filesystem block size)\n", "data unit:");
		if (p->reserved[0] | p->reserved[1] | p->reserved[2]) {
			printf("%-16s ", "reserved:");
			cli_fprint_hex(stdout, p->reserved, sizeof(p->reserved), 0);
			printf(" (must be zero)\n");
		}
		printf("%-16s ", "key identifier:");
		cli_fprint_hex(stdout, p->key_identifier, sizeof(p->key_identifier), 0);
	} else {
		printf("%-16s ", "key descriptor:");
		cli_fprint_hex(stdout, p->key_descriptor, sizeof(p->key_descriptor), 0);
	}
	putchar('\n');
	if (terr == FSCRYPT_EXT_OK)
		printf("%-16s %s\n", "text:", text);
	cli_show_validity("policy valid:", verr, NULL);
	return verr;
}
