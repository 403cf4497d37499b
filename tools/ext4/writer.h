/* The ext4 writer's internal interface: new encrypted inodes, their data, and directory blocks, through libext2fs. */
#ifndef FSCRYPT_EXT_TOOLS_EXT4_WRITER_H
#define FSCRYPT_EXT_TOOLS_EXT4_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include <fscrypt_ext/fscrypt_ext.h>

/* One hard-linked source file already written: the second link reuses the inode. */
struct fscrypt_ext__wr_hardlink {
	dev_t dev;
	ino_t src_ino;
	ext2_ino_t ino;
};

struct fscrypt_ext__writer {
	ext2_filsys fs;
	struct fscrypt_ext_fs_info fsinfo;
	const fscrypt_ext_master_key *mk; /* the key of the policy being written */
	bool extents;                     /* the image uses extent trees for new inodes */
	bool csum;                        /* metadata_csum: directory blocks carry checksum tails */
	int hash_version;                 /* the htree hash the kernel uses (unsigned variant applied) */
	int root_hash_version;            /* what a dx root records: s_def_hash_version */

	/* Every inode allocated so far, for rollback when the import fails half-way. */
	ext2_ino_t *created;
	size_t ncreated, cap_created;
	struct fscrypt_ext__wr_hardlink *links;
	size_t nlinks, cap_links;

	uint8_t *buf; /* chunk buffer for file contents */
	size_t buf_blocks;

	/* Totals for the summary line. */
	uint64_t files, dirs, symlinks, hardlinks, skipped, data_bytes;
};

/* An entry to be written into a new directory: the name as stored (ciphertext). */
struct fscrypt_ext__wr_dirent {
	ext2_ino_t ino;
	uint8_t file_type; /* EXT2_FT_* */
	uint8_t name_len;
	uint8_t name[EXT2_NAME_LEN];
	ext2_dirhash_t hash, minor;
};

/* Reports a libext2fs error for the operation what on inode ino; returns -1. */
int fscrypt_ext__wr_fail(errcode_t e, const char *what, ext2_ino_t ino);

/* Allocates an inode number near parent (recorded for rollback). */
int fscrypt_ext__wr_alloc_ino(struct fscrypt_ext__writer *w, ext2_ino_t parent, uint16_t mode, ext2_ino_t *ino_out);

/*
 * Writes the new encrypted inode ino: mode (type and permission bits), owner
 * and times from st, i_size size, the encryption context ctx stored in the
 * inode body (xattr index 9, name "c", as ext4 stores it), EXT4_ENCRYPT_FL,
 * and an empty extent tree; or, for a fast symlink, fast_target (size bytes)
 * in i_block.
 */
int fscrypt_ext__wr_new_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint16_t mode, const struct stat *st,
			      uint64_t size, const uint8_t *fast_target, const struct fscrypt_ext_context *ctx);

/* Reads and writes the whole on-disk inode (all of s_inode_size), keeping the body's xattrs. */
int fscrypt_ext__wr_read_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint8_t *buf);
int fscrypt_ext__wr_write_inode(struct fscrypt_ext__writer *w, ext2_ino_t ino, uint8_t *buf);

/* The new inode's context: the parent's policy with a fresh nonce (fscrypt_ext_context_inherit, as the kernel). */
int fscrypt_ext__wr_child_context(const struct fscrypt_ext_context *parent, const struct fscrypt_ext_fs_info *fs,
				  struct fscrypt_ext_context *out);

/* Allocates blocks [lblk, lblk + n) of ino, initialised (their contents are written next). */
int fscrypt_ext__wr_alloc(struct fscrypt_ext__writer *w, ext2_ino_t ino, blk64_t lblk, blk64_t n);

/* Writes n blocks from buf at logical blocks lblk.. of ino (already allocated), in physical runs. */
int fscrypt_ext__wr_blocks(struct fscrypt_ext__writer *w, ext2_ino_t ino, blk64_t lblk, blk64_t n,
			   const uint8_t *buf);

/* Encrypts the regular file open as fd (size bytes) into ino, data unit by data unit; holes stay holes. */
int fscrypt_ext__wr_file_data(struct fscrypt_ext__writer *w, ext2_ino_t ino, const fscrypt_ext_inode *key,
			      int fd, uint64_t size);

/*
 * Writes the blocks of a new directory dir (parent parent) holding ents (names
 * as stored): one linear block when they fit, else an htree indexed with the
 * hash of the stored bytes (for encrypted, non-casefolded directories the
 * kernel hashes the ciphertext with the filesystem's hash), or linear blocks
 * without dir_index. Sets i_size, EXT2_INDEX_FL and the link count nlink.
 * ents is reordered.
 */
int fscrypt_ext__wr_dir_write(struct fscrypt_ext__writer *w, ext2_ino_t dir, ext2_ino_t parent,
			      struct fscrypt_ext__wr_dirent *ents, size_t n, uint16_t nlink);

/*
 * Adds an entry with a raw stored name to an existing linear directory
 * (expanding it by a block when full). ext2fs_link() takes a C string, which a
 * ciphertext name with a zero byte is not.
 */
int fscrypt_ext__wr_dir_add(struct fscrypt_ext__writer *w, ext2_ino_t dir, const uint8_t *name, size_t len,
			    ext2_ino_t ino, int file_type);

/* Copies the host tree at (dirfd, name) under the encrypted directory parent; see import_tree.c. */
int fscrypt_ext__wr_import_node(struct fscrypt_ext__writer *w, int dirfd, const char *name, ext2_ino_t parent,
				const struct fscrypt_ext_context *parent_ctx, ext2_ino_t *ino_out, uint8_t *ftype_out);

/* Frees every inode allocated so far (blocks and inode), after a failure. Returns how many. */
size_t fscrypt_ext__wr_rollback(struct fscrypt_ext__writer *w);

#endif
