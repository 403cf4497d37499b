/* fscrypt-ext-ext4 import: the command's entry point, called from the tool's command table. */
#ifndef FSCRYPT_EXT_TOOLS_EXT4_IMPORT_H
#define FSCRYPT_EXT_TOOLS_EXT4_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* A master key the caller loaded, with the names policies use for it. */
struct fscrypt_ext__import_key {
	const fscrypt_ext_master_key *mk;
	uint8_t id[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE];   /* v2 identifier */
	uint8_t desc[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]; /* conventional v1 descriptor */
};

/*
 * `import SRC DEST [--policy TEXT]` on image: args are the words after "import".
 * Returns the process exit status (0 done, 1 failed, 2 usage or refused).
 */
int fscrypt_ext__ext4_import(const char *image, const struct fscrypt_ext__import_key *keys, size_t nkeys,
			     int argc, char **argv);

#endif
