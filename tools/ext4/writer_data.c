/* The ext4 writer's file contents: each data run of the source encrypted per data unit; holes stay holes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "writer.h"

/* Reads up to len bytes at off; what the file no longer has reads as zeros. */
static int read_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("fscrypt-ext-ext4: import: read");
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	memset(buf + got, 0, len - got);
	return 0;
}

/* Encrypts and writes blocks [first, end) of the file: the source bytes there are all data. */
static int write_run(struct fscrypt_ext__writer *w, ext2_ino_t ino, const fscrypt_ext_inode *key, int fd,
		     blk64_t first, blk64_t end)
{
	unsigned int bs = w->fs->blocksize;

	if (fscrypt_ext__wr_alloc(w, ino, first, end - first))
		return -1;
	for (blk64_t b = first; b < end;) {
		blk64_t n = end - b < w->buf_blocks ? end - b : w->buf_blocks;
		size_t len = (size_t)n * bs;
		int err;

		/*
		 * Whole blocks: the tail of the last one is zeros, as in the kernel's
		 * page cache, and whole data units are encrypted (spec: contents).
		 */
		if (read_full(fd, w->buf, len, (uint64_t)b * bs))
			return -1;
		err = fscrypt_ext_encrypt_data_units(key, (uint64_t)b * bs, w->buf, w->buf, len);
		if (err) {
			fprintf(stderr, "fscrypt-ext-ext4: import: inode %u: encrypt at block %llu: %s\n", ino,
				(unsigned long long)b, fscrypt_ext_strerror(err));
			return -1;
		}
		if (fscrypt_ext__wr_blocks(w, ino, b, n, w->buf))
			return -1;
		b += n;
	}
	return 0;
}

int fscrypt_ext__wr_file_data(struct fscrypt_ext__writer *w, ext2_ino_t ino, const fscrypt_ext_inode *key,
			      int fd, uint64_t size)
{
	unsigned int bs = w->fs->blocksize;
	blk64_t nblocks = (size + bs - 1) / bs, done = 0;
	int ret = 0;

	while (done < nblocks && !ret) {
		off_t data = lseek(fd, (off_t)((uint64_t)done * bs), SEEK_DATA), hole;
		blk64_t first, end;

		if ((data < 0 && errno == ENXIO) || (data >= 0 && (uint64_t)data >= size))
			break; /* the rest is a hole */
		if (data < 0) {
			data = (off_t)((uint64_t)done * bs); /* no SEEK_DATA here: everything is data */
			hole = (off_t)size;
		} else {
			hole = lseek(fd, data, SEEK_HOLE);
			if (hole < 0 || (uint64_t)hole > size)
				hole = (off_t)size;
		}
		/* Source holes need not be aligned to this block size: a block with any data is data. */
		first = (uint64_t)data / bs;
		if (first < done)
			first = done;
		end = ((uint64_t)hole + bs - 1) / bs;
		if (end > nblocks)
			end = nblocks;
		if (end <= first)
			end = first + 1;
		ret = write_run(w, ino, key, fd, first, end);
		done = end;
	}
	explicit_bzero(w->buf, w->buf_blocks * bs);
	return ret;
}
