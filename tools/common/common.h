/* tools/common: the shared base of the programs (message prefix, exit codes); include the part you need. */
#ifndef FSCRYPT_EXT_TOOLS_COMMON_H
#define FSCRYPT_EXT_TOOLS_COMMON_H

/*
 * The helpers below print their own messages on stderr as "PROG: message",
 * PROG being tc_prog (set it once in main; default "fscrypt-ext"). They never
 * print a secret, and they print names only through the escapers of escape.h.
 */
extern const char *tc_prog;

#include <stddef.h>

/* "PROG: message\n" on stderr. */
void tc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "DIR/NAME" in a new malloc'd string (free it), with the len bytes of name
 * taken as they are; DIR "/" gives "/NAME". NULL when out of memory.
 */
char *tc_path_join(const char *dir, const char *name, size_t len);

#endif
