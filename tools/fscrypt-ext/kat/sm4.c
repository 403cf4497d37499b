/* fscrypt-ext tool: `kat` handlers for the SM4 primitives, SM4-XTS and SM4-CBC-CTS. */
#include "kat/kat.h"

enum kat_result kat_sm4_xts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "tweak", fscrypt_ext_sm4_xts_encrypt, fscrypt_ext_sm4_xts_decrypt, "fscrypt_ext_sm4_xts_encrypt",
		       "fscrypt_ext_sm4_xts_decrypt");
}

enum kat_result kat_sm4_cbc_cts(struct kat_vec *v)
{
	return kat_run_cipher16(v, "iv", fscrypt_ext_sm4_cbc_cts_encrypt, fscrypt_ext_sm4_cbc_cts_decrypt,
		       "fscrypt_ext_sm4_cbc_cts_encrypt", "fscrypt_ext_sm4_cbc_cts_decrypt");
}
