/*
 * libfscrypt-ext: encryption policies (the ioctl structs) and inode contexts
 * (the on-disk xattr), with validation exactly as Linux 6.18 decides it.
 *
 * Wire formats are parsed into plain structs and serialised back explicitly;
 * never cast on-disk bytes to these structs.
 */
#ifndef FSCRYPT_EXT_POLICY_H
#define FSCRYPT_EXT_POLICY_H

#include <stdbool.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Policy version bytes (note: v1 policies carry 0) and context version bytes. */
#define FSCRYPT_EXT_POLICY_V1 0
#define FSCRYPT_EXT_POLICY_V2 2
#define FSCRYPT_EXT_CONTEXT_V1 1
#define FSCRYPT_EXT_CONTEXT_V2 2

#define FSCRYPT_EXT_POLICY_V1_SIZE 12
#define FSCRYPT_EXT_POLICY_V2_SIZE 24
#define FSCRYPT_EXT_CONTEXT_V1_SIZE 28
#define FSCRYPT_EXT_CONTEXT_V2_SIZE 40
#define FSCRYPT_EXT_POLICY_MAX_SIZE FSCRYPT_EXT_POLICY_V2_SIZE
#define FSCRYPT_EXT_CONTEXT_MAX_SIZE FSCRYPT_EXT_CONTEXT_V2_SIZE

/* An encryption policy: a v1 (12-byte) or v2 (24-byte) ioctl struct. */
struct fscrypt_ext_policy {
	uint8_t version;             /* FSCRYPT_EXT_POLICY_V1 (0) or FSCRYPT_EXT_POLICY_V2 (2) */
	uint8_t contents_mode;       /* enum fscrypt_ext_mode */
	uint8_t filenames_mode;      /* enum fscrypt_ext_mode */
	uint8_t flags;               /* FSCRYPT_EXT_FLAG_* */
	uint8_t log2_data_unit_size; /* v2 only; 0 means the filesystem block size */
	uint8_t reserved[3];         /* v2 only; must be zero to validate */
	uint8_t key_descriptor[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]; /* v1 only */
	uint8_t key_identifier[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]; /* v2 only */
};

/* An inode's encryption context: v1 (28 bytes) or v2 (40 bytes) on disk. */
struct fscrypt_ext_context {
	uint8_t version;             /* FSCRYPT_EXT_CONTEXT_V1 (1) or FSCRYPT_EXT_CONTEXT_V2 (2) */
	uint8_t contents_mode;
	uint8_t filenames_mode;
	uint8_t flags;
	uint8_t log2_data_unit_size; /* v2 only */
	uint8_t reserved[3];         /* v2 only; zero */
	uint8_t key_descriptor[FSCRYPT_EXT_KEY_DESCRIPTOR_SIZE]; /* v1 only */
	uint8_t key_identifier[FSCRYPT_EXT_KEY_IDENTIFIER_SIZE]; /* v2 only */
	uint8_t nonce[FSCRYPT_EXT_NONCE_SIZE];
};

/*
 * What the filesystem tells fscrypt about itself. Validation depends on it
 * exactly as the kernel's checks depend on the superblock.
 */
struct fscrypt_ext_fs_info {
	uint32_t block_size;          /* bytes, a power of two from 512 to 65536 */
	uint8_t ino_bits;             /* width of inode numbers (ext4: 32) */
	uint8_t lblk_bits;            /* width of logical block numbers (ext4: 32) */
	bool stable_inodes;           /* inode numbers never change (ext4 stable_inodes) */
	bool subblock_data_units;     /* accepts log2_data_unit_size (ext4, f2fs) */
	bool casefolded;              /* the directory is casefolded (v1 refused) */
	uint8_t uuid[16];             /* filesystem UUID (IV_INO_LBLK_* keys) */
};

/* ext4 with the given block size: 32-bit inodes and blocks, stable inodes, sub-block units, zero UUID. */
FSCRYPT_EXT_API void fscrypt_ext_fs_info_ext4(struct fscrypt_ext_fs_info *fs, uint32_t block_size);

/*
 * Parses a 12-byte v1 or 24-byte v2 policy struct. Only the shape is checked:
 * TRUNCATED (empty, or shorter than its version needs), OVERSIZED (longer),
 * BAD_VERSION (first byte neither 0 nor 2), INVALID_ARG (NULL out, or NULL buf
 * with len > 0). Reserved bytes are kept for validate to judge.
 * Use fscrypt_ext_policy_validate() to decide whether a filesystem accepts it.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_policy *out);

/*
 * Writes the 12- or 24-byte struct; *out_len (may be NULL) gets its size.
 * INVALID_ARG (NULL p or buf), BAD_VERSION, BUFFER_TOO_SMALL (buf untouched).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_serialize(const struct fscrypt_ext_policy *p, uint8_t *buf, size_t buf_len, size_t *out_len);

/*
 * Decides as Linux 6.18's fscrypt_supported_policy() does, in the same order:
 * modes, flags, exclusive flags, data unit size, DIRECT_KEY, IV_INO_LBLK_*,
 * reserved bytes. Returns OK or the specific error of the first failed rule
 * (BAD_VERSION for a version byte other than 0 or 2). INVALID_ARG for NULL
 * arguments or a block size that is not a power of two in 512..65536.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_validate(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs);

/*
 * Human text form, one line, e.g.
 *   "v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32|IV_INO_LBLK_64 data_unit=4096 key=<32 hex>"
 * v1 uses "v1 ... key=<16 hex>" (descriptor). data_unit is omitted when 0.
 * Unknown modes print as numbers ("contents=3"), non-zero reserved bytes as "reserved=<6 hex>".
 * to_text: INVALID_ARG (NULL), BAD_VERSION, BUFFER_TOO_SMALL (buf then holds "").
 * fscrypt_ext_policy_from_text() accepts what to_text prints (fields in any order, separated
 * by blanks; "flags=0" or "flags=PAD_4" for none; "log2_data_unit_size=N" as well as
 * "data_unit=BYTES"; modes by name or number; unnamed flag bits as one "0x%02x" token) and
 * returns BAD_ENCODING otherwise (also for text over 4096 bytes), INVALID_ARG for NULL,
 * NOMEM. *out is untouched on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_to_text(const struct fscrypt_ext_policy *p, char *buf, size_t buf_len);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_from_text(const char *text, struct fscrypt_ext_policy *out);

/*
 * Parses a 28-byte v1 or 40-byte v2 context as the kernel loads it:
 * TRUNCATED/OVERSIZED (length wrong for the version), BAD_VERSION,
 * RESERVED_BITS (v2 reserved bytes non-zero), INVALID_ARG (NULL out, or NULL
 * buf with len > 0). The policy rules are left to fscrypt_ext_context_validate().
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_parse(const uint8_t *buf, size_t len, struct fscrypt_ext_context *out);

/*
 * Writes the 28- or 40-byte context; *out_len (may be NULL) gets its size.
 * INVALID_ARG (NULL ctx or buf), BAD_VERSION, BUFFER_TOO_SMALL (buf untouched).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_serialize(const struct fscrypt_ext_context *ctx, uint8_t *buf, size_t buf_len, size_t *out_len);

/* The policy a context carries (context version 1 -> policy version 0). INVALID_ARG, BAD_VERSION. */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_to_policy(const struct fscrypt_ext_context *ctx, struct fscrypt_ext_policy *out);

/*
 * Strict validation: the shape as _parse reports it (BAD_VERSION, then
 * RESERVED_BITS), then the policy rules of fscrypt_ext_policy_validate() for
 * this filesystem. INVALID_ARG as for fscrypt_ext_policy_validate().
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_validate(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs);

/*
 * A new context for a new inode under policy p, with a fresh random nonce,
 * as the kernel's fscrypt_new_context(). p must validate on fs (its error
 * otherwise); INVALID_ARG for NULL arguments; *out untouched on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_new(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
			struct fscrypt_ext_context *out);

#ifdef __cplusplus
}
#endif
#endif
