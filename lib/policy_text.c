/* The one-line human text form of policies, both ways (include/fscrypt_ext/policy.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "internal.h"
#include "cipher.h"
#include "policy_internal.h"
#include "fscrypt_ext/policy.h"

static const struct {
	uint8_t bit;
	const char *name;
} flag_names[] = {
	{ FSCRYPT_EXT_FLAG_DIRECT_KEY, "DIRECT_KEY" },
	{ FSCRYPT_EXT_FLAG_IV_INO_LBLK_64, "IV_INO_LBLK_64" },
	{ FSCRYPT_EXT_FLAG_IV_INO_LBLK_32, "IV_INO_LBLK_32" },
};

/* A bounded string being appended to; overflow sticks once something did not fit. */
struct text_buf {
	char *p;
	size_t cap;
	size_t len;
	bool overflow;
};

static void tb_add(struct text_buf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tb_add(struct text_buf *tb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (tb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tb->p + tb->len, tb->cap - tb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= tb->cap - tb->len) {
		tb->overflow = true;
		return;
	}
	tb->len += (size_t)n;
}

static void tb_hex(struct text_buf *tb, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tb_add(tb, "%02x", b[i]);
}

static void tb_mode(struct text_buf *tb, const char *field, uint8_t mode)
{
	const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(mode);

	if (m != NULL)
		tb_add(tb, " %s=%s", field, m->name);
	else
		tb_add(tb, " %s=%u", field, mode);
}

static void tb_flags(struct text_buf *tb, uint8_t flags)
{
	uint8_t unknown = flags & (uint8_t)~FSCRYPT_EXT_FLAG_PAD_MASK;

	tb_add(tb, " flags=PAD_%u", 4u << (flags & FSCRYPT_EXT_FLAG_PAD_MASK));
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(flag_names); i++) {
		if (flags & flag_names[i].bit) {
			tb_add(tb, "|%s", flag_names[i].name);
			unknown &= (uint8_t)~flag_names[i].bit;
		}
	}
	if (unknown)
		tb_add(tb, "|0x%02x", unknown);
}

FSCRYPT_EXT_API int fscrypt_ext_policy_to_text(const struct fscrypt_ext_policy *p, char *buf, size_t buf_len)
{
	struct text_buf tb = { buf, buf_len, 0, false };
	bool v2;

	if (p == NULL || buf == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	if (p->version != FSCRYPT_EXT_POLICY_V1 && p->version != FSCRYPT_EXT_POLICY_V2)
		return fscrypt_ext__version_error(p->version);
	if (buf_len == 0)
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	v2 = p->version == FSCRYPT_EXT_POLICY_V2;
	tb_add(&tb, "%s", v2 ? "v2" : "v1");
	tb_mode(&tb, "contents", p->contents_mode);
	tb_mode(&tb, "filenames", p->filenames_mode);
	tb_flags(&tb, p->flags);
	if (v2 && p->log2_data_unit_size != 0) {
		if (p->log2_data_unit_size < 32)
			tb_add(&tb, " data_unit=%lu", 1ul << p->log2_data_unit_size);
		else
			tb_add(&tb, " log2_data_unit_size=%u", p->log2_data_unit_size);
	}
	if (v2 && (p->reserved[0] | p->reserved[1] | p->reserved[2])) {
		tb_add(&tb, " reserved=");
		tb_hex(&tb, p->reserved, 3);
	}
	tb_add(&tb, " key=");
	if (v2)
		tb_hex(&tb, p->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE);
	else
		tb_hex(&tb, p->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE);
	if (tb.overflow) {
		buf[0] = '\0';
		return FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL;
	}
	return FSCRYPT_EXT_OK;
}

/* Exactly 2n hex digits, either case (libsodium's decoder). */
static bool parse_hex_exact(const char *s, uint8_t *out, size_t n)
{
	size_t len = strlen(s), got = 0;
	const char *end = NULL;

	if (len != 2 * n)
		return false;
	return sodium_hex2bin(out, n, s, len, NULL, &got, &end) == 0 && got == n && end == s + len;
}

/* A decimal number without sign, leading zeros or overflow past max. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

static bool parse_mode(const char *s, uint8_t *mode)
{
	unsigned long v;

	for (unsigned int i = 0; i <= 255; i++) {
		const struct fscrypt_ext__mode *m = fscrypt_ext__mode_get(i);

		if (m != NULL && strcmp(s, m->name) == 0) {
			*mode = (uint8_t)i;
			return true;
		}
	}
	if (!parse_uint(s, 255, &v))
		return false;
	*mode = (uint8_t)v;
	return true;
}

/* to_text prints, as one "0x%02x" token, only the bits that have no name. */
static bool parse_unnamed_bits(const char *tok, uint8_t *flags)
{
	uint8_t named = FSCRYPT_EXT_FLAG_PAD_MASK, v;

	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(flag_names); i++)
		named |= flag_names[i].bit;
	if (strncmp(tok, "0x", 2) != 0 || !parse_hex_exact(tok + 2, &v, 1) || v == 0 || (v & named) != 0)
		return false;
	*flags |= v;
	return true;
}

static bool parse_flag_token(const char *tok, uint8_t *flags, bool *have_pad)
{
	if (strncmp(tok, "PAD_", 4) == 0) {
		static const char *const pads[] = { "4", "8", "16", "32" };

		if (*have_pad)
			return false;
		for (uint8_t i = 0; i < 4; i++) {
			if (strcmp(tok + 4, pads[i]) == 0) {
				*flags |= i;
				*have_pad = true;
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(flag_names); i++) {
		if (strcmp(tok, flag_names[i].name) == 0) {
			*flags |= flag_names[i].bit;
			return true;
		}
	}
	if (strcmp(tok, "0") == 0)
		return true;
	return parse_unnamed_bits(tok, flags);
}

/* "PAD_32|IV_INO_LBLK_64", "0", "PAD_4|0x20". */
static bool parse_flags(char *s, uint8_t *flags)
{
	bool have_pad = false;
	char *save = NULL;

	*flags = 0;
	if (*s == '\0' || s[strlen(s) - 1] == '|')
		return false;
	for (char *tok = strtok_r(s, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save)) {
		if (!parse_flag_token(tok, flags, &have_pad))
			return false;
	}
	return true;
}

static bool parse_data_unit(const char *s, uint8_t *log2)
{
	unsigned long v;

	if (!parse_uint(s, 0x80000000ul, &v) || v < 2 || (v & (v - 1)) != 0)
		return false;
	*log2 = 0;
	while (v > 1) {
		v >>= 1;
		(*log2)++;
	}
	return true;
}

enum text_field { F_CONTENTS, F_FILENAMES, F_FLAGS, F_DATA_UNIT, F_RESERVED, F_KEY, F_COUNT };

static int parse_field(char *tok, struct fscrypt_ext_policy *p, unsigned int *seen)
{
	static const char *const names[F_COUNT] = { "contents", "filenames", "flags", "data_unit", "reserved", "key" };
	char *eq = strchr(tok, '=');
	bool v2 = p->version == FSCRYPT_EXT_POLICY_V2;
	unsigned long v;
	int f;

	if (eq == NULL)
		return FSCRYPT_EXT_ERR_BAD_ENCODING;
	*eq = '\0';
	if (strcmp(tok, "log2_data_unit_size") == 0) {
		if (!v2 || (*seen & (1u << F_DATA_UNIT)) || !parse_uint(eq + 1, 255, &v) || v == 0)
			return FSCRYPT_EXT_ERR_BAD_ENCODING;
		*seen |= 1u << F_DATA_UNIT;
		p->log2_data_unit_size = (uint8_t)v;
		return FSCRYPT_EXT_OK;
	}
	for (f = 0; f < F_COUNT && strcmp(tok, names[f]) != 0; f++)
		;
	if (f == F_COUNT || (*seen & (1u << f)))
		return FSCRYPT_EXT_ERR_BAD_ENCODING;
	*seen |= 1u << f;
	switch (f) {
	case F_CONTENTS:
		return parse_mode(eq + 1, &p->contents_mode) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
	case F_FILENAMES:
		return parse_mode(eq + 1, &p->filenames_mode) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
	case F_FLAGS:
		return parse_flags(eq + 1, &p->flags) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
	case F_DATA_UNIT:
		return v2 && parse_data_unit(eq + 1, &p->log2_data_unit_size) ? FSCRYPT_EXT_OK
									       : FSCRYPT_EXT_ERR_BAD_ENCODING;
	case F_RESERVED:
		return v2 && parse_hex_exact(eq + 1, p->reserved, 3) ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
	default:
		if (v2)
			return parse_hex_exact(eq + 1, p->key_identifier, FSCRYPT_EXT_KEY_IDENTIFIER_SIZE)
				       ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
		return parse_hex_exact(eq + 1, p->key_descriptor, FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE)
			       ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
	}
}

static int parse_text(char *s, struct fscrypt_ext_policy *p)
{
	const unsigned int required = (1u << F_CONTENTS) | (1u << F_FILENAMES) | (1u << F_FLAGS) | (1u << F_KEY);
	unsigned int seen = 0;
	char *save = NULL;
	char *tok = strtok_r(s, " \t\n", &save);
	int err;

	if (tok == NULL)
		return FSCRYPT_EXT_ERR_BAD_ENCODING;
	if (strcmp(tok, "v1") == 0)
		p->version = FSCRYPT_EXT_POLICY_V1;
	else if (strcmp(tok, "v2") == 0)
		p->version = FSCRYPT_EXT_POLICY_V2;
	else
		return FSCRYPT_EXT_ERR_BAD_ENCODING;
	while ((tok = strtok_r(NULL, " \t\n", &save)) != NULL) {
		err = parse_field(tok, p, &seen);
		if (err != FSCRYPT_EXT_OK)
			return err;
	}
	return (seen & required) == required ? FSCRYPT_EXT_OK : FSCRYPT_EXT_ERR_BAD_ENCODING;
}

FSCRYPT_EXT_API int fscrypt_ext_policy_from_text(const char *text, struct fscrypt_ext_policy *out)
{
	struct fscrypt_ext_policy p;
	char *copy;
	size_t n;
	int err;

	if (text == NULL || out == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	n = strlen(text);
	if (n > 4096)
		return FSCRYPT_EXT_ERR_BAD_ENCODING;
	copy = malloc(n + 1);
	if (copy == NULL)
		return FSCRYPT_EXT_ERR_NOMEM;
	memcpy(copy, text, n + 1);
	memset(&p, 0, sizeof(p));
	err = parse_text(copy, &p);
	free(copy);
	if (err == FSCRYPT_EXT_OK)
		*out = p;
	return err;
}
