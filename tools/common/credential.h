/* tools/common: google/fscrypt credentials (passphrase files and 32-byte raw-key files), only in guarded memory. */
#ifndef FSCRYPT_EXT_TOOLS_CREDENTIAL_H
#define FSCRYPT_EXT_TOOLS_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TC_PASSPHRASE_MAX 65536
#define TC_RAW_KEY_SIZE 32

/* A passphrase (the bytes google/fscrypt would hash) or a raw_key protector's key file. */
struct tc_cred {
	bool raw;
	uint8_t *bytes;   /* sodium_malloc'd; wiped and freed by tc_cred_free */
	size_t len;
	const char *path; /* for messages ("-" is stdin) */
};

/*
 * Reads a passphrase from path ("-" = standard input; never from argv) as
 * google/fscrypt's passphraseReader reads its input: byte by byte up to the
 * first '\n' or '\r' (so a second passphrase on stdin stays unread); bytes 8
 * and 127 delete the previous byte; 3 and 4 cancel (an error). No trimming,
 * no Unicode normalisation. False with a message on error.
 */
bool tc_cred_read_passphrase(const char *path, struct tc_cred *c);

/* A raw_key file: exactly 32 bytes (stdin: its first 32 bytes, as fscrypt). False with a message on error. */
bool tc_cred_read_raw_key(const char *path, struct tc_cred *c);

/* Wipes and frees; c may be zeroed or already freed. */
void tc_cred_free(struct tc_cred *c);

#endif
