/* fscrypt-ext tool: `kat` vector types, one line each, with the file that handles them. */
#include "kat/runner.h"
#include "util.h"

/* To add a type: write its handler in the file of its family, declare it in kat.h, and add one line here. */
const struct kat_type kat_types[] = {
	/* fscrypt level, through the public API as a filesystem tool would use it */
	{ "key-identifier", kat_key_identifier },       /* keys.c */
	{ "key-descriptor", kat_key_descriptor },       /* keys.c */
	{ "policy", kat_policy },                       /* policy.c */
	{ "context", kat_context },                     /* policy.c */
	{ "contents", kat_contents },                   /* contents.c */
	{ "filename", kat_filename },                   /* names.c */
	{ "symlink", kat_symlink },                     /* names.c */
	{ "nokey-name", kat_nokey_name },               /* nokey.c */
	{ "dirhash", kat_dirhash },                     /* dirhash.c */
	{ "extent", kat_extent },                       /* extent.c */
	/* primitives */
	{ "aes-ecb", kat_aes_ecb },                     /* aes.c */
	{ "aes-xts", kat_aes_xts },                     /* aes.c */
	{ "aes-cbc-cts", kat_aes_cbc_cts },             /* aes.c */
	{ "aes-cbc-essiv", kat_aes_cbc_essiv },         /* aes.c */
	{ "hkdf-sha512", kat_hkdf_sha512 },             /* hash.c */
	{ "siphash-2-4", kat_siphash24 },               /* hash.c */
	{ "adiantum", kat_adiantum },                   /* wide.c */
	{ "hctr2", kat_hctr2 },                         /* wide.c */
	{ "sm4-xts", kat_sm4_xts },                     /* sm4.c */
	{ "sm4-cbc-cts", kat_sm4_cbc_cts },             /* sm4.c */
};

const size_t kat_n_types = CLI_ARRAY_SIZE(kat_types);
