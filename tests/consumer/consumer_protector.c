/* Out-of-tree consumer of an installed libfscrypt-ext-protector: a raw_key protector and a policy, round trip. */
#include <stdio.h>
#include <string.h>

#include <fscrypt_ext/fscrypt_ext.h>
#include <fscrypt_ext/protector.h>

int main(void)
{
	struct fscrypt_ext_gf_protector_params prm = { 0 };
	struct fscrypt_ext_gf_policy_options o = { 2, FSCRYPT_EXT_MODE_AES_256_XTS, FSCRYPT_EXT_MODE_AES_256_CTS, 32 };
	static uint8_t buf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], pbuf[FSCRYPT_EXT_GF_MAX_METADATA_SIZE];
	uint8_t raw[32], mkey[64], id[16], want[16];
	size_t len, plen;
	fscrypt_ext_gf_protector_key *k = NULL, *k2 = NULL;
	fscrypt_ext_gf_protector *p = NULL;
	fscrypt_ext_gf_policy *pol = NULL;
	fscrypt_ext_master_key *mk = NULL;
	const fscrypt_ext_gf_protector_key *one[1];

	for (int i = 0; i < 32; i++)
		raw[i] = (uint8_t)(i * 7 + 1);
	for (int i = 0; i < 64; i++)
		mkey[i] = (uint8_t)(i * 13 + 5);
	prm.source = FSCRYPT_EXT_GF_SOURCE_RAW_KEY;
	prm.name = "consumer";
	if (fscrypt_ext_gf_protector_create(&prm, raw, sizeof(raw), buf, sizeof(buf), &len, &k) != FSCRYPT_EXT_OK)
		return 1;
	one[0] = k;
	if (fscrypt_ext_gf_policy_create(mkey, sizeof(mkey), &o, one, 1, pbuf, sizeof(pbuf), &plen) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_protector_parse(buf, len, &p) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_policy_parse(pbuf, plen, &pol) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_protector_unwrap(p, raw, sizeof(raw), NULL, &k2) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_policy_unwrap(pol, k2, &mk) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_master_key_identifier(mk, id) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_policy_descriptor_bytes(pol, want) != 16 || memcmp(id, want, 16) != 0)
		return 1;
	raw[0] ^= 1;
	if (fscrypt_ext_gf_protector_unwrap(p, raw, sizeof(raw), NULL, &k) != FSCRYPT_EXT_ERR_WRONG_PASSPHRASE)
		return 1;
	printf("protector consumer: policy %s opened by protector %s\n", fscrypt_ext_gf_policy_descriptor(pol),
	       fscrypt_ext_gf_protector_descriptor(p));
	fscrypt_ext_master_key_free(mk);
	fscrypt_ext_gf_protector_key_free(k2);
	fscrypt_ext_gf_protector_free(p);
	fscrypt_ext_gf_policy_free(pol);
	return 0;
}
