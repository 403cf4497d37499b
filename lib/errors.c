/* Error codes as text: the English message (fscrypt_ext_strerror) and the enum identifier (fscrypt_ext_error_name). */
#include "internal.h"

/*
 * One row per fscrypt_ext_error value: the identifier and the message, kept
 * together so that a new code is one new line. -31 is reserved (it was
 * FSCRYPT_EXT_ERR_BUSY, which nothing ever returned) and has no row.
 */
#define ERROR_LIST(X)                                                                                                  \
	X(OK, "success")                                                                                               \
	X(ERR_INVALID_ARG, "invalid argument")                                                                        \
	X(ERR_NOMEM, "out of memory")                                                                                 \
	X(ERR_TRUNCATED, "input is shorter than its format requires")                                                 \
	X(ERR_OVERSIZED, "input is longer than its format allows")                                                    \
	X(ERR_BAD_VERSION, "invalid policy or context version (corrupt)")                                                       \
	X(ERR_RESERVED_BITS, "reserved bytes are not zero")                                                           \
	X(ERR_UNSUPPORTED_MODES, "unsupported combination of encryption modes")                                       \
	X(ERR_UNSUPPORTED_FLAGS, "unsupported policy flags")                                                          \
	X(ERR_EXCLUSIVE_FLAGS, "DIRECT_KEY, IV_INO_LBLK_64 and IV_INO_LBLK_32 are mutually exclusive")                \
	X(ERR_DIRECT_KEY_MODES, "DIRECT_KEY needs equal modes with a 32-byte IV (Adiantum)")                          \
	X(ERR_DATA_UNIT_SIZE, "data unit size not allowed on this filesystem")                                        \
	X(ERR_IV_INO_LBLK, "IV_INO_LBLK policies need AES-256-XTS, stable 32-bit inode numbers and 32-bit data unit indices") \
	X(ERR_CASEFOLD_V1, "v1 policies cannot be used on casefolded directories")                                    \
	X(ERR_KEY_SIZE, "master key size not allowed for this use")                                                   \
	X(ERR_WRONG_KEY, "master key does not match the policy's key identifier or descriptor")                       \
	X(ERR_BUFFER_TOO_SMALL, "output buffer too small")                                                            \
	X(ERR_ALIGNMENT, "offset or length is not a multiple of the data unit size")                                  \
	X(ERR_NAME_TOO_LONG, "name or symlink target too long")                                                       \
	X(ERR_CORRUPT, "on-disk data is corrupt")                                                                     \
	X(ERR_BAD_ENCODING, "malformed text, hex or base64 input")                                                    \
	X(ERR_RANGE, "number out of range")                                                                           \
	X(ERR_NOT_SUPPORTED, "not supported by this build or operation")                                              \
	X(ERR_WRONG_TYPE, "operation not valid for this inode type")                                                  \
	X(ERR_LOCKED_MEMORY, "locked or guarded memory unavailable")                                                  \
	X(ERR_CRYPTO, "a cryptographic dependency failed")                                                            \
	X(ERR_KEY_NOT_FOUND, "key not found in the keyring")                                                          \
	X(ERR_KEY_EXISTS, "key already present in the keyring")                                                       \
	X(ERR_KEY_REMOVED, "key is being removed")                                                                    \
	X(ERR_EXTENT_POLICY, "the inode's policy cannot carry per-extent keys")                                       \
	X(ERR_EXTENT_MISMATCH, "extent context does not match its inode")                                             \
	X(ERR_NO_KEY_NAME, "not a valid no-key name")                                                                \
	X(ERR_UNKNOWN_VERSION, "policy or context of an unknown (future) version")                                    \
	X(ERR_NO_FS_UUID, "IV_INO_LBLK_64/32 need the filesystem UUID, which is zero") \
	X(ERR_WRONG_PASSPHRASE, "wrong passphrase or key file (the wrapped key does not verify)")                      \
	X(ERR_BAD_METADATA, "malformed google/fscrypt metadata")                                                      \
	X(ERR_UNSUPPORTED_SOURCE, "unsupported protector source")                                                     \
	X(ERR_COSTS_RANGE, "Argon2id costs invalid or above the allowed limits")                                      \
	X(ERR_DESCRIPTOR_MISMATCH, "unwrapped key does not match the stored descriptor")                              \
	X(ERR_NO_MATCHING_PROTECTOR, "the policy has no key wrapped by this protector")

struct error_row {
	int code;
	const char *name;
	const char *message;
};

#define ERROR_ROW(id, msg) { FSCRYPT_EXT_##id, "FSCRYPT_EXT_" #id, msg },
static const struct error_row error_rows[] = { ERROR_LIST(ERROR_ROW) };
#undef ERROR_ROW

static const struct error_row *error_find(int err)
{
	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(error_rows); i++)
		if (error_rows[i].code == err)
			return &error_rows[i];
	return NULL;
}

FSCRYPT_EXT_API const char *fscrypt_ext_strerror(int err)
{
	const struct error_row *r = error_find(err);

	return r != NULL ? r->message : "unknown error";
}

FSCRYPT_EXT_API const char *fscrypt_ext_error_name(int err)
{
	const struct error_row *r = error_find(err);

	return r != NULL ? r->name : NULL;
}
