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

#include <fscrypt_ext/common.h>

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
 * exactly as the kernel's checks depend on the superblock. Only
 * filesystem-wide facts live here: whether one directory is casefolded is a
 * per-directory parameter (FSCRYPT_EXT_DIR_CASEFOLDED below; the field
 * `casefolded` that used to be here is gone, see NEWS.md).
 */
struct fscrypt_ext_fs_info {
	uint32_t block_size;          /* bytes, a power of two from 512 to 65536 */
	uint8_t ino_bits;             /* width of inode numbers (ext4: 32) */
	uint8_t lblk_bits;            /* width of logical block numbers (ext4: 32) */
	bool stable_inodes;           /* inode numbers never change (ext4 stable_inodes) */
	bool subblock_data_units;     /* accepts log2_data_unit_size (ext4, f2fs) */
	uint8_t uuid[16];             /* filesystem UUID (IV_INO_LBLK_* keys; all-zero means unknown) */
};

/*
 * ext4 with the given block size: 32-bit inodes and blocks, stable inodes,
 * sub-block units, zero UUID. Copy the superblock's s_uuid into fs->uuid
 * before opening IV_INO_LBLK_64/32 inodes: they refuse a zero UUID
 * (FSCRYPT_EXT_ERR_NO_FS_UUID) rather than derive keys the kernel never would.
 */
FSCRYPT_EXT_API void fscrypt_ext_fs_info_ext4(struct fscrypt_ext_fs_info *fs, uint32_t block_size);

/* Per-directory facts, for the *_dir calls: the directory is casefolded (ext4/f2fs +F). */
#define FSCRYPT_EXT_DIR_CASEFOLDED 0x1u

/*
 * Parses a 12-byte v1 or 24-byte v2 policy struct. Only the shape is checked:
 * TRUNCATED (empty, or shorter than its version needs), OVERSIZED (longer),
 * BAD_VERSION (first byte 1: never a policy version), UNKNOWN_VERSION (above
 * 2: perhaps a future format; its length is not judged), INVALID_ARG (NULL out, or NULL buf
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
 * (BAD_VERSION for version 1, UNKNOWN_VERSION above 2). INVALID_ARG for NULL
 * arguments or a block size that is not a power of two in 512..65536.
 * This is the rule for a directory that is not casefolded.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_validate(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs);

/*
 * As fscrypt_ext_policy_validate() for a directory with dir_flags
 * (FSCRYPT_EXT_DIR_CASEFOLDED: v1 is refused with CASEFOLD_V1, as the kernel
 * refuses v1 on IS_CASEFOLDED inodes). Unknown dir_flags bits: INVALID_ARG.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_validate_dir(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
				unsigned int dir_flags);

/*
 * A total order on policies, for trees and sorting (an fsck's policy-ID
 * tree): negative, 0 or positive. It compares the version, then the fields
 * that version carries in their wire order (v1: modes, flags, descriptor;
 * v2: modes, flags, log2_data_unit_size, reserved, identifier). Fields the
 * version does not carry are ignored, so 0 means exactly what the kernel's
 * fscrypt_policies_equal() decides (memcmp of the version's struct).
 * Unknown versions compare by version byte only. NULL sorts first.
 */
FSCRYPT_EXT_API int fscrypt_ext_policy_compare(const struct fscrypt_ext_policy *a, const struct fscrypt_ext_policy *b);
/* fscrypt_policies_equal(): fscrypt_ext_policy_compare() == 0. */
FSCRYPT_EXT_API bool fscrypt_ext_policies_equal(const struct fscrypt_ext_policy *a, const struct fscrypt_ext_policy *b);

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
 * TRUNCATED/OVERSIZED (length wrong for the version), BAD_VERSION (version
 * 0: corrupt), UNKNOWN_VERSION (above 2: a future format, e2fsck's
 * "unrecognized"; its length is not judged),
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
 * Strict validation: the shape as _parse reports it (BAD_VERSION or
 * UNKNOWN_VERSION, then RESERVED_BITS), then the policy rules of
 * fscrypt_ext_policy_validate() for this filesystem. INVALID_ARG as for
 * fscrypt_ext_policy_validate(). _dir: for a directory with dir_flags.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_validate(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs);
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_validate_dir(const struct fscrypt_ext_context *ctx, const struct fscrypt_ext_fs_info *fs,
				 unsigned int dir_flags);

/*
 * A new context for a new inode under policy p, with a fresh random nonce,
 * as the kernel's fscrypt_new_context(). p must validate on fs (its error
 * otherwise); INVALID_ARG for NULL arguments; *out untouched on failure.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_new(const struct fscrypt_ext_policy *p, const struct fscrypt_ext_fs_info *fs,
			struct fscrypt_ext_context *out);

/*
 * The context of a new inode (directory, regular file or symlink) created in
 * an encrypted directory whose context is parent: the parent's policy with a
 * fresh random nonce, as the kernel's fscrypt_prepare_new_inode() and
 * fscrypt_set_context() do. The parent's context must validate on fs (its
 * error otherwise: BAD_VERSION, UNKNOWN_VERSION, ...); INVALID_ARG for NULL;
 * *child untouched on failure. Special files (devices, FIFOs, sockets) get
 * no context: do not call this for them.
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_context_inherit(const struct fscrypt_ext_context *parent, const struct fscrypt_ext_fs_info *fs,
			    struct fscrypt_ext_context *child);

/* What a directory entry's inode is, for fscrypt_ext_context_permitted(). */
enum fscrypt_ext_file_kind {
	FSCRYPT_EXT_KIND_REG = 1,     /* same numbers as enum fscrypt_ext_inode_type */
	FSCRYPT_EXT_KIND_DIR = 2,
	FSCRYPT_EXT_KIND_SYMLINK = 3,
	FSCRYPT_EXT_KIND_SPECIAL = 4, /* device, FIFO, socket: never encrypted */
};

/*
 * May an entry of kind child_kind with context child sit in a directory with
 * context parent? NULL means "not encrypted". The kernel's
 * fscrypt_has_permitted_context(): true when the parent is not encrypted or
 * the child is a special file; false when the child is not encrypted, when
 * either context is not a known version, or when their policies differ
 * (fscrypt_ext_policies_equal; the nonces are ignored). An unknown
 * child_kind is treated as a regular file.
 */
FSCRYPT_EXT_API bool
fscrypt_ext_context_permitted(const struct fscrypt_ext_context *parent, const struct fscrypt_ext_context *child,
			      enum fscrypt_ext_file_kind child_kind);

/*
 * Sizes for planning without a key (a filesystem writer laying out directory
 * entries or choosing between a fast and a block symlink before any inode is
 * open). The same numbers fscrypt_ext_fname_encrypted_size() and
 * fscrypt_ext_symlink_encrypt() give once the key is there: a name of
 * name_len bytes is stored as max(name_len, 16) rounded up to the policy's
 * padding, capped at max_len (FSCRYPT_EXT_NAME_MAX for directory entries).
 * Errors: INVALID_ARG (NULL, name_len 0, max_len < 16), BAD_VERSION (neither
 * a v1 nor a v2 policy), NAME_TOO_LONG (name_len > max_len).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_fname_size(const struct fscrypt_ext_policy *p, size_t name_len, size_t max_len, size_t *out_len);

/*
 * The stored form of a target_len-byte symlink target (the le16 length and
 * the ciphertext, as fscrypt_ext_symlink_encrypt() writes it, without the
 * NUL the kernel adds) under a filesystem limit max_disk_len (ext4: the block
 * size). ext4 keeps it in the inode (a fast symlink) when *out_len + 1 <= 60.
 * Errors: INVALID_ARG (NULL, target_len 0, max_disk_len outside 19..65539),
 * BAD_VERSION, NAME_TOO_LONG (target_len > max_disk_len - 3).
 */
FSCRYPT_EXT_API FSCRYPT_EXT_WUR int
fscrypt_ext_policy_symlink_size(const struct fscrypt_ext_policy *p, size_t target_len, size_t max_disk_len,
				size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
