/*
 * libfscrypt-ext: common definitions (export macro, version, error codes, modes and flags).
 *
 * Every public name starts with fscrypt_ext_ / FSCRYPT_EXT_; none reuses a name
 * from <linux/fscrypt.h>, so both headers can be included together.
 */
#ifndef FSCRYPT_EXT_COMMON_H
#define FSCRYPT_EXT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one export macro: the library is built with hidden visibility. */
#if defined(_WIN32)
#define FSCRYPT_EXT_API
#elif defined(__GNUC__)
#define FSCRYPT_EXT_API __attribute__((visibility("default")))
#else
#define FSCRYPT_EXT_API
#endif

/* Tags every fallible call: its result is an fscrypt_ext_error and must be checked. */
#if defined(__GNUC__)
#define FSCRYPT_EXT_WUR __attribute__((warn_unused_result))
#else
#define FSCRYPT_EXT_WUR
#endif

#define FSCRYPT_EXT_VERSION_MAJOR 0
#define FSCRYPT_EXT_VERSION_MINOR 1
#define FSCRYPT_EXT_VERSION_PATCH 0
#define FSCRYPT_EXT_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define FSCRYPT_EXT_VERSION_NUMBER \
	(FSCRYPT_EXT_VERSION_MAJOR * 10000 + FSCRYPT_EXT_VERSION_MINOR * 100 + FSCRYPT_EXT_VERSION_PATCH)

/* The version of the library actually loaded (compare with the macros above). */
FSCRYPT_EXT_API const char *fscrypt_ext_version_string(void);
FSCRYPT_EXT_API unsigned int fscrypt_ext_version_number(void);

/*
 * Error codes. Every fallible function returns one of these: 0 on success,
 * a negative value on failure. The values are pinned and never reused.
 * On failure, output buffers are left untouched or wiped.
 */
typedef enum fscrypt_ext_error {
	FSCRYPT_EXT_OK = 0,
	FSCRYPT_EXT_ERR_INVALID_ARG = -1,       /* NULL pointer or impossible argument */
	FSCRYPT_EXT_ERR_NOMEM = -2,             /* allocation failed */
	FSCRYPT_EXT_ERR_TRUNCATED = -3,         /* input shorter than its format requires */
	FSCRYPT_EXT_ERR_OVERSIZED = -4,         /* input longer than its format allows */
	FSCRYPT_EXT_ERR_BAD_VERSION = -5,       /* version byte that is no version (policy 1, context 0): corrupt */
	FSCRYPT_EXT_ERR_RESERVED_BITS = -6,     /* reserved bytes are not zero */
	FSCRYPT_EXT_ERR_UNSUPPORTED_MODES = -7, /* (contents, filenames) pair not allowed for this version */
	FSCRYPT_EXT_ERR_UNSUPPORTED_FLAGS = -8, /* unknown flag bits for this version */
	FSCRYPT_EXT_ERR_EXCLUSIVE_FLAGS = -9,   /* more than one of DIRECT_KEY, IV_INO_LBLK_64, IV_INO_LBLK_32 */
	FSCRYPT_EXT_ERR_DIRECT_KEY_MODES = -10, /* DIRECT_KEY needs equal modes with a 32-byte IV (Adiantum) */
	FSCRYPT_EXT_ERR_DATA_UNIT_SIZE = -11,   /* log2_data_unit_size not allowed on this filesystem */
	FSCRYPT_EXT_ERR_IV_INO_LBLK = -12,      /* IV_INO_LBLK_* needs AES-256-XTS, stable 32-bit inodes, 32-bit unit indices */
	FSCRYPT_EXT_ERR_CASEFOLD_V1 = -13,      /* v1 policies cannot be used on casefolded directories */
	FSCRYPT_EXT_ERR_KEY_SIZE = -14,         /* master key too short or too long for this use */
	FSCRYPT_EXT_ERR_WRONG_KEY = -15,        /* master key does not match the identifier/descriptor */
	FSCRYPT_EXT_ERR_BUFFER_TOO_SMALL = -16, /* output buffer too small */
	FSCRYPT_EXT_ERR_ALIGNMENT = -17,        /* offset or length not a multiple of the data unit size */
	FSCRYPT_EXT_ERR_NAME_TOO_LONG = -18,    /* name or symlink target longer than allowed */
	FSCRYPT_EXT_ERR_CORRUPT = -19,          /* on-disk data is inconsistent (short name, bad symlink length...) */
	FSCRYPT_EXT_ERR_BAD_ENCODING = -20,     /* text, hex or base64 input is malformed */
	FSCRYPT_EXT_ERR_RANGE = -21,            /* a number does not fit (inode > 32 bits, index overflow...) */
	FSCRYPT_EXT_ERR_NOT_SUPPORTED = -22,    /* valid, but this build or operation does not support it */
	FSCRYPT_EXT_ERR_WRONG_TYPE = -23,       /* operation not valid for this inode type (contents on a directory...) */
	FSCRYPT_EXT_ERR_LOCKED_MEMORY = -24,    /* locked/guarded memory could not be obtained */
	FSCRYPT_EXT_ERR_CRYPTO = -25,           /* a dependency (libsodium, OpenSSL) failed */
	FSCRYPT_EXT_ERR_KEY_NOT_FOUND = -26,    /* no such key in the keyring */
	FSCRYPT_EXT_ERR_KEY_EXISTS = -27,       /* key already present in the keyring */
	FSCRYPT_EXT_ERR_KEY_REMOVED = -28,      /* key is (incompletely) removed: no new users */
	FSCRYPT_EXT_ERR_EXTENT_POLICY = -29,    /* the inode's policy cannot carry per-extent keys */
	FSCRYPT_EXT_ERR_EXTENT_MISMATCH = -30,  /* extent context does not match its inode (mode or key) */
	/* -31 is reserved: it was FSCRYPT_EXT_ERR_BUSY, which no function ever returned. */
	FSCRYPT_EXT_ERR_NO_KEY_NAME = -32,      /* not a valid no-key name */
	FSCRYPT_EXT_ERR_UNKNOWN_VERSION = -33,  /* policy/context version byte from the future (> 2): unrecognised, not corrupt */
	FSCRYPT_EXT_ERR_NO_FS_UUID = -34,       /* IV_INO_LBLK_64/32 need the filesystem UUID and it is all zero */
	/*
	 * google/fscrypt protectors (libfscrypt-ext-protector, protector.h). The block starts
	 * at -42 (the maximum when it was chosen, -32, + 10) so that codes added after -32 by other
	 * work (-33, -34...) cannot collide.
	 */
	FSCRYPT_EXT_ERR_WRONG_PASSPHRASE = -42,      /* wrapped key does not verify: wrong passphrase or key file */
	FSCRYPT_EXT_ERR_BAD_METADATA = -43,          /* google/fscrypt metadata (protobuf or a field) is malformed */
	FSCRYPT_EXT_ERR_UNSUPPORTED_SOURCE = -44,    /* protector source type not known */
	FSCRYPT_EXT_ERR_COSTS_RANGE = -45,           /* Argon2id costs invalid or above the allowed limits */
	FSCRYPT_EXT_ERR_DESCRIPTOR_MISMATCH = -46,   /* unwrapped key does not match the stored descriptor */
	FSCRYPT_EXT_ERR_NO_MATCHING_PROTECTOR = -47, /* the policy has no key wrapped by this protector */
} fscrypt_ext_error;

/* A static English message for an error code (never NULL; unknown codes get a generic text). */
FSCRYPT_EXT_API const char *fscrypt_ext_strerror(int err);

/*
 * The enum identifier of an error code as a static string, e.g.
 * "FSCRYPT_EXT_ERR_CORRUPT" for FSCRYPT_EXT_ERR_CORRUPT and "FSCRYPT_EXT_OK"
 * for 0; NULL for a number that is not a fscrypt_ext_error value (including
 * reserved ones). For logs and bindings that want a stable, greppable name.
 */
FSCRYPT_EXT_API const char *fscrypt_ext_error_name(int err);

/*
 * Optional explicit initialisation (libsodium, CPU feature detection, backend
 * choice). Every function that needs it calls it itself; it is thread-safe
 * and idempotent. Returns FSCRYPT_EXT_ERR_CRYPTO if libsodium cannot start.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_init(void);

/* Encryption modes; the numbers are the on-disk mode bytes. */
enum fscrypt_ext_mode {
	FSCRYPT_EXT_MODE_INVALID = 0,
	FSCRYPT_EXT_MODE_AES_256_XTS = 1,
	FSCRYPT_EXT_MODE_AES_256_CTS = 4,
	FSCRYPT_EXT_MODE_AES_128_CBC_ESSIV = 5,
	FSCRYPT_EXT_MODE_AES_128_CTS = 6,
	FSCRYPT_EXT_MODE_SM4_XTS = 7,
	FSCRYPT_EXT_MODE_SM4_CTS = 8,
	FSCRYPT_EXT_MODE_ADIANTUM = 9,
	FSCRYPT_EXT_MODE_AES_256_HCTR2 = 10,
};
#define FSCRYPT_EXT_MODE_MAX 10

/* Policy flags (byte 3 of policies and contexts). */
#define FSCRYPT_EXT_FLAG_PAD_4 0x00
#define FSCRYPT_EXT_FLAG_PAD_8 0x01
#define FSCRYPT_EXT_FLAG_PAD_16 0x02
#define FSCRYPT_EXT_FLAG_PAD_32 0x03
#define FSCRYPT_EXT_FLAG_PAD_MASK 0x03
#define FSCRYPT_EXT_FLAG_DIRECT_KEY 0x04
#define FSCRYPT_EXT_FLAG_IV_INO_LBLK_64 0x08
#define FSCRYPT_EXT_FLAG_IV_INO_LBLK_32 0x10

/* Sizes of the fixed formats and secrets. */
#define FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE 8
#define FSCRYPT_EXT_KEY_IDENTIFIER_SIZE 16
#define FSCRYPT_EXT_NONCE_SIZE 16
#define FSCRYPT_EXT_MIN_KEY_SIZE 16
#define FSCRYPT_EXT_MAX_KEY_SIZE 64

/* Properties of a mode: key size, security strength and IV size in bytes; NULL name for unknown modes. */
struct fscrypt_ext_mode_info {
	const char *name;          /* "AES-256-XTS", ... */
	uint8_t key_size;
	uint8_t security_strength;
	uint8_t iv_size;
	uint8_t for_contents;      /* 1 if usable for file contents */
	uint8_t for_filenames;     /* 1 if usable for filenames */
};
/* Fills *info for mode; FSCRYPT_EXT_ERR_UNSUPPORTED_MODES for an unknown mode number. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int fscrypt_ext_mode_info(unsigned int mode, struct fscrypt_ext_mode_info *info);

#ifdef __cplusplus
}
#endif
#endif
