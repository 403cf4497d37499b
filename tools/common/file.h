/* tools/common: bounded whole-file readers, one for ordinary data and one for secrets. */
#ifndef FSCRYPT_EXT_TOOLS_FILE_H
#define FSCRYPT_EXT_TOOLS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads the whole of path ("-" = standard input) into a malloc'd buffer,
 * NUL-terminated (the NUL is not counted in *len). Refuses, with a message
 * naming max, anything longer than max bytes (so --file /dev/zero ends).
 * Reads with read(2), never through stdio buffers. False (message printed,
 * *buf untouched) on any error.
 */
bool tc_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);

/*
 * As tc_read_file, for key material: the one buffer is sodium_malloc'd
 * (guarded, locked where the system allows) at max + 1 bytes before the first
 * read, so no partial copy is ever left behind by a realloc or by stdio.
 * Free it with sodium_free(), which wipes it. On error everything read is
 * wiped and freed.
 */
bool tc_read_secret_file(const char *path, size_t max, uint8_t **buf, size_t *len);

#endif
