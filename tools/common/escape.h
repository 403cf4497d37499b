/* tools/common: names and symlink targets made safe to print on a terminal (text) or in JSON. */
#ifndef FSCRYPT_EXT_TOOLS_ESCAPE_H
#define FSCRYPT_EXT_TOOLS_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Writes len bytes as `ls -b` does for control bytes: backslash as "\\",
 * \a \b \t \n \v \f \r as C escapes, every other byte below 0x20, DEL, a C1
 * control (U+0080..U+009F) and every byte that is not part of a valid UTF-8
 * sequence as a three-digit octal escape ("\033"). Valid printable UTF-8 and
 * spaces are written as they are. The output never holds a raw control byte,
 * so a name cannot forge a line or a terminal sequence.
 */
void tc_escape_text(FILE *f, const uint8_t *s, size_t len);

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 when s[0] does not
 * start one within len bytes (overlong forms, surrogates and code points
 * above U+10FFFF are invalid). *cp gets the code point.
 */
size_t tc_utf8_seq(const uint8_t *s, size_t len, uint32_t *cp);

#endif
