/* tools/common: master keys from files (a raw or hex key file, or a keys JSON file), only ever in locked memory. */
#ifndef FSCRYPT_EXT_TOOLS_KEYFILE_H
#define FSCRYPT_EXT_TOOLS_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* Caps on what is read: key files are small, and a bigger one is a mistake or an attack. */
#define TC_KEY_FILE_MAX 4096    /* a raw or hex master key file */
#define TC_KEYS_JSON_MAX 65536  /* a keys JSON file */
#define TC_KEYSET_MAX 64        /* keys in one keys JSON file */

/* One imported master key with the two names policies use for it. */
struct tc_key {
	fscrypt_ext_master_key *mk;
	uint8_t identifier[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]; /* v2 policies */
	uint8_t descriptor[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]; /* v1 policies (the conventional SHA-512 rule) */
};

/* The keys a program was given. Zero-initialise, fill with tc_keyset_load_json, free with tc_keyset_free. */
struct tc_keyset {
	size_t n;
	struct tc_key keys[TC_KEYSET_MAX];
};

/*
 * Loads a keys JSON file: {"keys": [{"master_key": "<hex, 16..64 bytes>", ...}, ...]}
 * (other members are ignored). The file is read into sodium_malloc'd memory
 * (at most TC_KEYS_JSON_MAX bytes), parsed there by json-c with its string
 * buffer grown in advance (so no realloc leaves a fragment behind), and every
 * string json-c made is wiped before the document is freed; the decoded keys
 * only pass through guarded memory on their way into the library. On error
 * (message printed) every key imported so far is freed and ks is left empty.
 * Appends to ks; fails when it would pass TC_KEYSET_MAX keys.
 */
bool tc_keyset_load_json(struct tc_keyset *ks, const char *path);

/* The key a context names: v2 by identifier, v1 by descriptor; NULL if none. */
const fscrypt_ext_master_key *tc_keyset_find(const struct tc_keyset *ks, const struct fscrypt_ext_context *ctx);

/* Frees (and so wipes) every key; ks is empty afterwards. */
void tc_keyset_free(struct tc_keyset *ks);

/*
 * Reads one master key from path ("-" = standard input; never from argv):
 * the raw bytes, or hex text (surrounding whitespace allowed) when hex is true.
 * Same locked-memory discipline as above; at most TC_KEY_FILE_MAX bytes.
 * False with a message on error (the library's KEY_SIZE for a bad length).
 */
bool tc_read_master_key(const char *path, bool hex, fscrypt_ext_master_key **out);

#endif
