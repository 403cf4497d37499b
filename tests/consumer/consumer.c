/* An out-of-tree program built against an installed libfscrypt-ext (pkg-config and CMake). */
#include <stdio.h>
#include <string.h>

#include <fscrypt_ext/fscrypt_ext.h>

int main(void)
{
	/* The v2 identifier of the key 00 01 .. 3f (fscrypt-spec section 10.6). */
	static const uint8_t expect[16] = { 0x86, 0x99, 0xc2, 0xc5, 0x37, 0x07, 0x40, 0x5d,
					    0xa5, 0xab, 0xa5, 0xae, 0x4d, 0x85, 0x83, 0xc0 };
	uint8_t raw[64], id[16];
	fscrypt_ext_master_key *mk;
	int err;

	for (int i = 0; i < 64; i++)
		raw[i] = (uint8_t)i;
	err = fscrypt_ext_master_key_new(raw, sizeof(raw), &mk);
	if (err) {
		fprintf(stderr, "master key: %s\n", fscrypt_ext_strerror(err));
		return 1;
	}
	err = fscrypt_ext_master_key_identifier(mk, id);
	fscrypt_ext_master_key_free(mk);
	if (err || memcmp(id, expect, 16) != 0) {
		fprintf(stderr, "identifier mismatch\n");
		return 1;
	}
	printf("consumer: libfscrypt-ext %s (headers %s), backend %s: key identifier OK\n",
	       fscrypt_ext_version_string(), FSCRYPT_EXT_VERSION_STRING, fscrypt_ext_backend_name());
	return 0;
}
