/* fscrypt-ext tool: `kat` handlers for master-key vectors, the v2 key identifier and the v1 key descriptor. */
#include "kat/kat.h"

enum kat_result kat_key_identifier(struct kat_vec *v)
{
	uint8_t want[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE], got[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];
	fscrypt_ext_master_key *mk;

	if (!kat_hex_fixed(v, "identifier", want, sizeof(want)) || (mk = kat_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_master_key_identifier", fscrypt_ext_master_key_identifier(mk, got)))
		kat_same(v, "identifier", want, sizeof(want), got, sizeof(got));
	fscrypt_ext_master_key_free(mk);
	return kat_verdict(v);
}

enum kat_result kat_key_descriptor(struct kat_vec *v)
{
	uint8_t want[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE], got[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE];
	fscrypt_ext_master_key *mk;

	if (!kat_hex_fixed(v, "descriptor", want, sizeof(want)) || (mk = kat_master_key(v)) == NULL)
		return KAT_FAIL;
	if (kat_lib_ok(v, "fscrypt_ext_master_key_descriptor", fscrypt_ext_master_key_descriptor(mk, got)))
		kat_same(v, "descriptor", want, sizeof(want), got, sizeof(got));
	fscrypt_ext_master_key_free(mk);
	return kat_verdict(v);
}
