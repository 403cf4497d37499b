/*
 * Fuzz target for google/fscrypt metadata: ProtectorData and PolicyData parsing, re-encoding,
 * and the unwrap path (Argon2id within tight limits, HMAC, AES-CTR, descriptor checks). The
 * first byte picks the message: even = ProtectorData, odd = PolicyData. Built as a libFuzzer
 * target with clang, and always as a replay program that ctest runs over corpus-protector/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fscrypt_ext/protector.h>

#include "gf_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The raw_key protector fc9c22f43e713b3b of tests/data/google-fscrypt and its key file (test data). */
static const uint8_t raw_key[32] = {
	0x5b, 0xe3, 0x1e, 0x8c, 0x2f, 0xfe, 0x43, 0x82, 0xfc, 0x61, 0xc9, 0xb4, 0xcb, 0xe1, 0x10, 0xc5,
	0x86, 0x1d, 0x05, 0x63, 0xec, 0x60, 0xd1, 0x23, 0x13, 0xf3, 0x19, 0x0a, 0x27, 0x1c, 0xd0, 0x80,
};
static const char raw_protector_hex[] =
	"0a106663396332326634336537313362336210031a077261776b6579313a560a102eef036e857af5412a80bd73f1ba"
	"f98b1220cfe8ec136bc13b86e29bb43bf29d2b7a439e587549e717f8d1e8717977de450d1a20043ccbfa8caf588c15"
	"6334496a8982e2bb089f458ccd154403d7768647d13680";

/* Its protector key, unwrapped once: policies in the corpus that it opens reach the whole path. */
static fscrypt_ext_gf_protector_key *known_key(void)
{
	static fscrypt_ext_gf_protector_key *k;
	static int done;

	if (!done) {
		uint8_t bytes[sizeof(raw_protector_hex) / 2];
		fscrypt_ext_gf_protector *p = NULL;

		done = 1;
		if (!fscrypt_ext__gf_unhex((const uint8_t *)raw_protector_hex, sizeof(raw_protector_hex) - 1, bytes) ||
		    fscrypt_ext_gf_protector_parse(bytes, sizeof(bytes), &p) != FSCRYPT_EXT_OK ||
		    fscrypt_ext_gf_protector_unwrap(p, raw_key, sizeof(raw_key), NULL, &k) != FSCRYPT_EXT_OK)
			abort(); /* the embedded fixture must work */
		fscrypt_ext_gf_protector_free(p);
	}
	return k;
}

/* Parsed metadata re-encodes to bytes that parse to the same encoding (a fixed point). */
static void protector_case(const uint8_t *data, size_t size)
{
	static const struct fscrypt_ext_gf_limits tight = { 1024, 1, 1024 }; /* replays must stay fast */
	static const char *const passphrases[] = { "correct horse 1" };
	uint8_t out1[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], out2[FSCRYPT_EXT_GF_MAX_METADATA_SIZE];
	size_t n1, n2, nl;
	fscrypt_ext_gf_protector *p, *q;
	fscrypt_ext_gf_protector_key *k = NULL;
	struct fscrypt_ext_gf_costs c;

	if (fscrypt_ext_gf_protector_parse(data, size, &p) != FSCRYPT_EXT_OK)
		return;
	(void)fscrypt_ext_gf_protector_name(p, &nl);
	(void)fscrypt_ext_gf_protector_costs(p, &c);
	if (fscrypt_ext__gf_encode_protector(p, out1, sizeof(out1), &n1) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_protector_parse(out1, n1, &q) != FSCRYPT_EXT_OK ||
	    fscrypt_ext__gf_encode_protector(q, out2, sizeof(out2), &n2) != FSCRYPT_EXT_OK || n1 != n2 ||
	    memcmp(out1, out2, n1) != 0)
		abort();
	fscrypt_ext_gf_protector_free(q);
	if (fscrypt_ext_gf_protector_source(p) == FSCRYPT_EXT_GF_SOURCE_RAW_KEY) {
		if (fscrypt_ext_gf_protector_unwrap(p, raw_key, sizeof(raw_key), NULL, &k) == FSCRYPT_EXT_OK) {
			char hex[17];

			/* Success means the descriptor was checked against the key. */
			if (fscrypt_ext_gf_protector_key_descriptor(k, hex) != FSCRYPT_EXT_OK ||
			    strcmp(hex, fscrypt_ext_gf_protector_descriptor(p)) != 0)
				abort();
			fscrypt_ext_gf_protector_key_free(k);
		}
	} else {
		for (size_t i = 0; i < sizeof(passphrases) / sizeof(passphrases[0]); i++) {
			k = NULL;
			if (fscrypt_ext_gf_protector_unwrap(p, (const uint8_t *)passphrases[i], strlen(passphrases[i]), &tight,
							    &k) == FSCRYPT_EXT_OK)
				fscrypt_ext_gf_protector_key_free(k);
		}
	}
	fscrypt_ext_gf_protector_free(p);
}

static void policy_case(const uint8_t *data, size_t size)
{
	uint8_t out1[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], out2[FSCRYPT_EXT_GF_MAX_METADATA_SIZE], desc[16], raw[64];
	size_t n1, n2;
	fscrypt_ext_gf_policy *p, *q;
	struct fscrypt_ext_gf_policy_options o;
	fscrypt_ext_master_key *mk = NULL;

	if (fscrypt_ext_gf_policy_parse(data, size, &p) != FSCRYPT_EXT_OK)
		return;
	fscrypt_ext_gf_policy_options(p, &o);
	(void)fscrypt_ext_gf_policy_flags(p);
	(void)fscrypt_ext_gf_policy_descriptor_bytes(p, desc);
	for (size_t i = 0; i < fscrypt_ext_gf_policy_protector_count(p); i++)
		if (fscrypt_ext_gf_policy_protector_descriptor(p, i) == NULL)
			abort();
	if (fscrypt_ext__gf_encode_policy(p, out1, sizeof(out1), &n1) != FSCRYPT_EXT_OK ||
	    fscrypt_ext_gf_policy_parse(out1, n1, &q) != FSCRYPT_EXT_OK ||
	    fscrypt_ext__gf_encode_policy(q, out2, sizeof(out2), &n2) != FSCRYPT_EXT_OK || n1 != n2 ||
	    memcmp(out1, out2, n1) != 0)
		abort();
	fscrypt_ext_gf_policy_free(q);
	if (fscrypt_ext_gf_policy_unwrap(p, known_key(), &mk) == FSCRYPT_EXT_OK) {
		uint8_t id[16];

		/* Success means the key matches the stored descriptor. */
		if ((o.version == 2 ? fscrypt_ext_master_key_identifier(mk, id) : fscrypt_ext_master_key_descriptor(mk, id)) !=
			    FSCRYPT_EXT_OK ||
		    memcmp(id, desc, o.version == 2 ? 16 : 8) != 0)
			abort();
		fscrypt_ext_master_key_free(mk);
	}
	(void)!fscrypt_ext_gf_policy_unwrap_raw(p, known_key(), raw);
	fscrypt_ext_gf_policy_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		policy_case(data + 1, size - 1);
	else
		protector_case(data + 1, size - 1);
	return 0;
}
