/* ext4 reader: what the reader's own files share (the handle's layout, locking, little-endian loads). */
#ifndef FSCRYPT_EXT_EXT4_READER_INT_H
#define FSCRYPT_EXT_EXT4_READER_INT_H

#include "reader.h"

struct ext4r {
	ext2_filsys fs;
	pthread_mutex_t lock; /* held around every libext2fs call: the library is not thread-safe */
	struct fscrypt_ext_fs_info fsinfo;
	const struct tc_keyset *keys;
	ext4r_reporter rep;
	void *rep_priv;
	unsigned long problems; /* updated atomically */
	uint32_t block_size;
	uint64_t blocks_count;
	uint32_t inodes_count;
};

static inline void ext4r__lock(ext4r *r)
{
	pthread_mutex_lock(&r->lock);
}

static inline void ext4r__unlock(ext4r *r)
{
	pthread_mutex_unlock(&r->lock);
}

static inline uint32_t ext4r__le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t ext4r__le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * The inline data of a node: the 60 bytes of i_block followed by the value of
 * its system.data xattr, read with the xattr's explicit length (capped at
 * EXT4R_INLINE_MAX). malloc'd into *buf (*len bytes). CORRUPT, IO, NOMEM.
 */
int ext4r__inline_read(ext4r *r, const ext4r_node *n, uint8_t **buf, size_t *len);

#endif
