/* ext4 reader: the one bounds-checked way into an ext4 image, for every command of fscrypt-ext-ext4. */
#ifndef FSCRYPT_EXT_EXT4_READER_H
#define FSCRYPT_EXT_EXT4_READER_H

/*
 * Every command (ls, cat, extract, check, import, mount) reaches the image
 * through this layer and never through libext2fs directly, because the image
 * is hostile: it may be damaged or written by an attacker, with its checksums
 * recomputed so that it looks valid. The rules this layer keeps:
 *
 *  - Buffers are sized from what was actually read, never from what the disk
 *    claims. Directory records and names are checked against the block they
 *    sit in (including the 8-byte hash of casefolded encrypted directories);
 *    inline data and xattrs are read with their explicit lengths; a symlink's
 *    i_size must fit what is stored; a file's i_size only bounds reads, the
 *    work done is bounded by the blocks actually mapped (holes stay holes).
 *  - The kernel's rules come before any decryption: a child of an encrypted
 *    directory must be encrypted with the same policy
 *    (fscrypt_has_permitted_context()), else EXT4R_ERR_POLICY_MISMATCH; a path
 *    walk or lookup refuses such a child with a clear message.
 *  - Walks detect loops and depth (ext4r_walk_*): a directory reached twice
 *    (an inode visited twice on one path is a special case) and paths deeper
 *    than EXT4R_MAX_DEPTH.
 *  - Problems are reported through one channel (ext4r_set_reporter(); by
 *    default "fscrypt-ext-ext4: inode N: message" on stderr) and counted
 *    (ext4r_problems()), so a tool can exit non-zero at the end. Messages
 *    carry inode numbers and error names, never names read from the image.
 *
 * Threads: an ext4r handle may be used from any number of threads at once
 * (each call into libext2fs, which is not thread-safe, holds the handle's
 * mutex). Nodes are immutable once returned and reference counted: share
 * them freely, take a reference with ext4r_node_ref() and drop each with
 * ext4r_node_put(). Directory lists are owned by their caller.
 *
 * Secrets: decrypted names and symlink targets are wiped when their list is
 * freed (ext4r_dirlist_free) or by the caller (ext4r_readlink's buffer:
 * ext4r_wipe). Master keys belong to the caller's tc_keyset, which must
 * outlive the handle; derived per-inode keys live in the nodes.
 *
 * Return values: 0 or a negative EXT4R_ERR_* code (ext4r_strerror,
 * ext4r_errname). Where a library call failed, the node or entry also keeps
 * the library's fscrypt_ext error (lib_err) for tools that show it.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include <fscrypt_ext/fscrypt_ext.h>

#include "keyfile.h"

#define EXT4R_MAX_DEPTH 512       /* path components below the walk's start */
#define EXT4R_CTX_RAW_MAX 64      /* bytes of a stored context kept raw (longer ones are BAD_CONTEXT) */
#define EXT4R_SYMLINK_MAX 65536   /* ext4 symlinks are below one block (64 KiB at most) */
#define EXT4R_INLINE_MAX (1u << 20) /* inline data: 60 bytes in the inode + system.data (one block in practice) */

enum ext4r_error {
	EXT4R_OK = 0,
	EXT4R_ERR_IO = -1,              /* libext2fs could not read a structure (message says which) */
	EXT4R_ERR_NOMEM = -2,
	EXT4R_ERR_CORRUPT = -3,         /* on-disk structure inconsistent: record/name length, sizes, mapping */
	EXT4R_ERR_NO_CONTEXT = -4,      /* the encrypt flag is set but there is no context xattr */
	EXT4R_ERR_BAD_CONTEXT = -5,     /* the context does not parse or validate (lib_err says why) */
	EXT4R_ERR_POLICY_MISMATCH = -6, /* child of an encrypted directory unencrypted or under another policy */
	EXT4R_ERR_NO_KEY = -7,          /* the key is missing: contents/target not decrypted */
	EXT4R_ERR_DECRYPT = -8,         /* the library refused to decrypt (lib_err says why) */
	EXT4R_ERR_LOOP = -9,            /* a directory reached twice (hard-linked directory or a cycle) */
	EXT4R_ERR_DEPTH = -10,          /* deeper than EXT4R_MAX_DEPTH */
	EXT4R_ERR_NOT_FOUND = -11,      /* no such name */
	EXT4R_ERR_NOT_DIR = -12,
	EXT4R_ERR_WRONG_TYPE = -13,     /* operation not valid for this inode type */
	EXT4R_ERR_BAD_NAME = -14,       /* a stored or decrypted name is empty or holds '/' or NUL */
	EXT4R_ERR_UNSUPPORTED = -15,    /* valid, but not handled (e.g. encrypted inline data) */
	EXT4R_ERR_INVALID = -16,        /* bad argument */
	EXT4R_ERR_TOO_BIG = -17,        /* a caller's bound would be passed */
	EXT4R_ERR_EXISTS = -18,         /* extract: the output already has that name (never replaced) */
};

const char *ext4r_strerror(int err);
/* "POLICY_MISMATCH" etc., for messages and JSON; "?" if unknown. */
const char *ext4r_errname(int err);

typedef struct ext4r ext4r;

/* Reports one problem: ino (0 for the filesystem), the EXT4R_ERR_* code, a message without image names. */
typedef void (*ext4r_reporter)(void *priv, uint32_t ino, int err, const char *msg);

/* Flags for ext4r_open. */
#define EXT4R_OPEN_IGNORE_CSUM 0x1 /* read structures whose checksum is wrong (fsck); default: refuse them */

/*
 * Opens an image read-only (libext2fs unix I/O; a path, or "/proc/self/fd/N"
 * for a memory file). keys may be NULL (no keys: no-key names, no contents)
 * and must outlive the handle. Prints nothing: on failure *msg (if not NULL)
 * gets a static description (libext2fs's message).
 */
int ext4r_open(const char *image, unsigned int flags, const struct tc_keyset *keys, ext4r **out, const char **msg);
void ext4r_close(ext4r *r);

/* Replaces the default stderr reporter (NULL restores it). Called with the handle's mutex not held. */
void ext4r_set_reporter(ext4r *r, ext4r_reporter fn, void *priv);
/* Problems reported so far (every call that reports counts one). */
unsigned long ext4r_problems(const ext4r *r);
/* Reports a problem found by a command (same channel and count). */
void ext4r_report(ext4r *r, uint32_t ino, int err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Filesystem facts the commands need. */
uint32_t ext4r_block_size(const ext4r *r);
const struct fscrypt_ext_fs_info *ext4r_fs_info(const ext4r *r); /* for fscrypt_ext_inode_open etc. */
bool ext4r_has_keys(const ext4r *r);

enum ext4r_type { EXT4R_REG = 1, EXT4R_DIR, EXT4R_SYMLINK, EXT4R_OTHER };

/*
 * One inode as read, immutable. Fields are read-only for users.
 * ctx_status: 0 when unencrypted or the context parsed and validated;
 * otherwise NO_CONTEXT or BAD_CONTEXT (lib_err: the library's reason).
 * key: the prepared per-inode key, or NULL (no matching master key: no_key
 * true; key setup refused: key_err is the library's error).
 */
typedef struct ext4r_node {
	uint32_t ino;
	enum ext4r_type type;
	struct ext2_inode_large inode; /* as libext2fs read it (i_mode, i_flags, times, ...) */
	uint64_t size;                 /* i_size as stored; never trusted as a buffer size */
	bool encrypted;                /* EXT4_ENCRYPT_FL */
	bool casefold;                 /* EXT4_CASEFOLD_FL */
	bool inline_data;              /* EXT4_INLINE_DATA_FL */
	int ctx_status;
	int lib_err;
	uint8_t raw_ctx[EXT4R_CTX_RAW_MAX]; /* the stored context bytes (raw_ctx_len of them) */
	size_t raw_ctx_len;                 /* the stored length, even when over EXT4R_CTX_RAW_MAX */
	struct fscrypt_ext_context ctx;     /* valid when encrypted && ctx_status == 0 */
	const fscrypt_ext_inode *key;
	bool no_key;
	int key_err;
	/* private */
	int refs;
	fscrypt_ext_inode *key_owned;
} ext4r_node;

/* Loads inode ino (context, key). Only IO/CORRUPT/NOMEM fail: a bad context is a field of the node. */
int ext4r_node_get(ext4r *r, uint32_t ino, ext4r_node **out);
/* The root directory (inode 2). */
int ext4r_root(ext4r *r, ext4r_node **out);
ext4r_node *ext4r_node_ref(ext4r_node *n);
void ext4r_node_put(ext4r_node *n); /* NULL allowed; frees (wiping the key) at the last reference */

/*
 * The kernel's fscrypt_has_permitted_context(parent, child): 0 when the child
 * may live in the parent (parent unencrypted; child neither file, directory
 * nor symlink; or both encrypted with the same policy, nonces aside).
 * POLICY_MISMATCH otherwise, or the child's ctx_status when its context is
 * unusable. Pure: reports nothing.
 */
int ext4r_permitted(const ext4r_node *parent, const ext4r_node *child);

/* How a directory entry's name was obtained. */
enum ext4r_name_kind {
	EXT4R_NAME_PLAIN = 1, /* unencrypted directory (or "." and ".."): the stored bytes */
	EXT4R_NAME_DECRYPTED, /* decrypted with the directory's key */
	EXT4R_NAME_NOKEY,     /* no key: the kernel's no-key name (base64url) */
	EXT4R_NAME_NONE,      /* could not be made (err says why); name is empty */
};

/*
 * One directory entry. raw_name is the stored name (ciphertext in an
 * encrypted directory); name is what a user sees, NUL-terminated, possibly
 * holding control bytes (print it escaped) or, for a bad entry, '/' (err is
 * then BAD_NAME). hash/minor_hash: the casefold hash stored after the name
 * (has_stored_hash), or the htree hash the kernel would give no-key names.
 */
struct ext4r_dirent {
	uint32_t ino;
	uint8_t file_type;           /* EXT2_FT_* as stored (a hint: trust the inode's mode) */
	bool dot;                    /* "." or ".." */
	enum ext4r_name_kind kind;
	int err;                     /* 0, BAD_NAME, DECRYPT or CORRUPT: the entry is unusable */
	int lib_err;                 /* the library's error when err is DECRYPT/CORRUPT from it */
	uint8_t raw_name[EXT2_NAME_LEN];
	size_t raw_name_len;
	char name[FSCRYPT_EXT_NOKEY_NAME_MAX_ENCODED + 8]; /* NUL-terminated */
	size_t name_len;
	bool has_stored_hash;
	uint32_t hash, minor_hash;
	uint64_t lblk;   /* the directory block holding it (0 for inline directories) */
	uint32_t offset; /* its offset in that block */
};

/* A directory's entries in on-disk order. corrupt counts blocks whose records could not all be parsed. */
struct ext4r_dirlist {
	struct ext4r_dirent *ents;
	size_t n;
	unsigned int corrupt;
};

/*
 * Reads every entry of a directory node (blocks or inline data). Entries
 * that fail (BAD_NAME, DECRYPT) are kept with err set and reported; a block
 * whose records are inconsistent is reported and parsed up to the bad record
 * (corrupt++). Work is bounded by the directory's mapped blocks. Errors:
 * NOT_DIR, NOMEM, IO (nothing could be read); the node's ctx_status when the
 * directory is encrypted with an unusable context (no names can be made).
 * The entries' names are wiped by ext4r_dirlist_free.
 */
int ext4r_dir_read(ext4r *r, const ext4r_node *dir, struct ext4r_dirlist *out);
/*
 * For fsck (check): the same records with the same structural checks, but no
 * names are made for an encrypted directory (kind NONE, raw_name and the
 * stored hash only), so it works without keys and with an unusable context.
 */
int ext4r_dir_read_raw(ext4r *r, const ext4r_node *dir, struct ext4r_dirlist *out);
void ext4r_dirlist_free(struct ext4r_dirlist *l);

/*
 * Finds name (name_len bytes) in dir: plaintext in an unencrypted or keyed
 * directory, the no-key name in an encrypted directory without its key.
 * Loads the child and applies ext4r_permitted() (refused, and reported, with
 * POLICY_MISMATCH). NOT_FOUND, NOT_DIR and the errors above.
 */
int ext4r_lookup(ext4r *r, const ext4r_node *dir, const char *name, size_t name_len, ext4r_node **out);

/*
 * Resolves an absolute path from the root ("/" is the root; empty components
 * and "." are skipped; ".." is the stored ".." entry). *out gets the node;
 * parent (may be NULL) gets its parent's node (the root's parent is the root).
 * The errors of ext4r_lookup, and DEPTH.
 */
int ext4r_resolve(ext4r *r, const char *path, ext4r_node **out, ext4r_node **parent);

/*
 * A symlink's target into out (cap bytes, at least 2): decrypted when
 * encrypted and keyed, the kernel's no-key form when the key is missing
 * (*nokey true, may be NULL), the stored bytes up to the first NUL otherwise.
 * NUL-terminated; *len excludes the NUL. The stored size must fit what is
 * stored (fast symlink: the 60-byte i_block; inline data: its explicit
 * length; else one mapped block), else CORRUPT. WRONG_TYPE, TOO_BIG (out
 * too small), DECRYPT; NO_KEY, not reported, for a keyless target whose
 * ciphertext is over NAME_MAX (the library has no no-key form for it).
 * Wipe out after use when the target was decrypted.
 */
int ext4r_readlink(ext4r *r, const ext4r_node *n, char *out, size_t cap, size_t *len, bool *nokey);

/*
 * A symlink's stored bytes, unprocessed (encrypted: le16 length and
 * ciphertext), for checkers that judge the framing themselves: *out
 * (malloc'd, free it) gets exactly i_size bytes, once i_size is known to fit
 * what is stored (else CORRUPT, reported as by ext4r_readlink). WRONG_TYPE,
 * NOMEM, CORRUPT.
 */
int ext4r_symlink_raw(ext4r *r, const ext4r_node *n, uint8_t **out, size_t *len);

/*
 * One contiguous run of a regular file's blocks, in file order. pblk 0 never
 * appears: holes are simply absent; unwritten extents come with unwritten set
 * (they read as zeros, as holes do). len is in blocks.
 */
struct ext4r_run {
	uint64_t lblk, pblk, len;
	bool unwritten;
};
/* Called for each run; return non-zero to stop (that value is returned). */
typedef int (*ext4r_run_cb)(const struct ext4r_run *run, void *priv);

/*
 * Enumerates the mapped runs of a regular file below ceil(size / block size):
 * the work is bounded by what is mapped, never by i_size. Runs that point
 * outside the filesystem are reported and CORRUPT is returned. Inline-data
 * files have no runs (use ext4r_read). WRONG_TYPE, IO.
 */
int ext4r_runs(ext4r *r, const ext4r_node *n, ext4r_run_cb cb, void *priv);

/*
 * Reads plaintext bytes [off, off + len) of a regular file into buf,
 * decrypting only the data units the range touches; bytes past i_size are
 * not returned (*got is short), holes and unwritten extents read as zeros.
 * Encrypted without key: NO_KEY (ciphertext is never handed out as
 * plaintext). Inline data: unencrypted only (UNSUPPORTED otherwise).
 * Thread-safe; the node is not changed.
 */
int ext4r_read(ext4r *r, const ext4r_node *n, uint64_t off, void *buf, size_t len, size_t *got);

/*
 * Reads whole blocks [lblk, lblk + count) from the image into buf (count *
 * block size bytes) and decrypts them in place when the node is encrypted
 * (NO_KEY without its key). For callers that walk ext4r_runs (extract).
 * The blocks must be inside the run they came from.
 */
int ext4r_read_blocks(ext4r *r, const ext4r_node *n, uint64_t lblk, uint64_t pblk, size_t count, void *buf);

/* One extended attribute: name with its prefix ("user.x", "security.selinux", "c" for index 9). */
struct ext4r_xattr {
	char *name;
	uint8_t *value;
	size_t value_len;
};
struct ext4r_xattrs {
	struct ext4r_xattr *v;
	size_t n;
};
/* Every xattr of a node, with explicit lengths (copies). IO, NOMEM. */
int ext4r_xattrs_read(ext4r *r, const ext4r_node *n, struct ext4r_xattrs *out);
void ext4r_xattrs_free(struct ext4r_xattrs *x);

/*
 * Loop and depth detection for recursive walks. Create one per walk; mark each
 * directory when entering it: LOOP when it was already reached in this walk
 * (a cycle or a second hard link to a directory), DEPTH past EXT4R_MAX_DEPTH.
 * Not thread-safe (one per walking thread).
 */
typedef struct ext4r_walk ext4r_walk;
int ext4r_walk_new(ext4r_walk **out);
void ext4r_walk_free(ext4r_walk *w);
int ext4r_walk_enter(ext4r_walk *w, uint32_t dir_ino, unsigned int depth);

/* Filesystem-wide counts for statfs (read-only flag set; counts clamped to be consistent). */
struct statvfs;
int ext4r_statfs(ext4r *r, struct statvfs *out);

/* Wipes n bytes (decrypted names, targets, file data). */
void ext4r_wipe(void *p, size_t n);

#endif
