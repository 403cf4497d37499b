/*
 * Example: decrypt one regular file of an fscrypt filesystem from what a
 * filesystem tool can read off the disk: the inode's encryption context
 * (the xattr bytes), the master key, the inode number, the filesystem UUID
 * and block size, and the raw (encrypted) data blocks.
 *
 *   decrypt_file CONTEXT_HEX KEY_FILE INO FS_UUID_HEX BLOCK_SIZE FILE_SIZE < raw_blocks > plaintext
 *
 * KEY_FILE holds the raw master key bytes ("-" for stdin is not allowed here
 * because stdin carries the data). Keys never come from argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fscrypt_ext/fscrypt_ext.h>

static int parse_hex(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = (uint8_t)b;
	}
	*len = n / 2;
	return 0;
}

/* Reads the raw key; the buffer is wiped by the caller. */
static int read_key(const char *path, uint8_t *key, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	*len = fread(key, 1, max + 1, f);
	fclose(f);
	return (*len >= FSCRYPT_EXT_MIN_KEY_SIZE && *len <= max) ? 0 : -1;
}

static int die(const char *what, int err)
{
	fprintf(stderr, "decrypt_file: %s: %s\n", what, fscrypt_ext_strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	uint8_t ctx_bytes[FSCRYPT_EXT_CONTEXT_MAX_SIZE], uuid[16], key[FSCRYPT_EXT_MAX_KEY_SIZE];
	size_t ctx_len, uuid_len, key_len = 0, unit;
	struct fscrypt_ext_context ctx;
	struct fscrypt_ext_fs_info fs;
	fscrypt_ext_master_key *mk = NULL;
	fscrypt_ext_inode *inode = NULL;
	unsigned long long ino, file_size, offset = 0;
	uint8_t *buf;
	int err;

	if (argc != 7) {
		fprintf(stderr, "usage: %s CONTEXT_HEX KEY_FILE INO FS_UUID_HEX BLOCK_SIZE FILE_SIZE < raw > plain\n", argv[0]);
		return 2;
	}
	if (parse_hex(argv[1], ctx_bytes, sizeof(ctx_bytes), &ctx_len) ||
	    parse_hex(argv[4], uuid, sizeof(uuid), &uuid_len) || uuid_len != 16) {
		fprintf(stderr, "decrypt_file: bad hex argument\n");
		return 2;
	}
	ino = strtoull(argv[3], NULL, 0);
	file_size = strtoull(argv[6], NULL, 0);

	/* 1. The filesystem's properties (here: ext4) and the context bytes. */
	fscrypt_ext_fs_info_ext4(&fs, (uint32_t)strtoul(argv[5], NULL, 0));
	memcpy(fs.uuid, uuid, 16);
	err = fscrypt_ext_context_parse(ctx_bytes, ctx_len, &ctx);
	if (err)
		return die("context", err);

	/* 2. The master key, held in locked memory by the library. */
	if (read_key(argv[2], key, sizeof(key), &key_len)) {
		fprintf(stderr, "decrypt_file: cannot read a 16..64-byte key from %s\n", argv[2]);
		return 2;
	}
	err = fscrypt_ext_master_key_new(key, key_len, &mk);
	explicit_bzero(key, sizeof(key)); /* our copy is no longer needed */
	if (err)
		return die("master key", err);

	/* 3. The inode's key, derived exactly as the kernel derives it. */
	err = fscrypt_ext_inode_open(&ctx, mk, FSCRYPT_EXT_INODE_REG, ino, &fs, &inode);
	if (err) {
		fscrypt_ext_master_key_free(mk);
		return die("inode key", err);
	}

	/* 4. Decrypt data unit by data unit; the last unit is stored zero-padded. */
	unit = fscrypt_ext_inode_data_unit_size(inode);
	buf = malloc(unit);
	if (!buf)
		return 1;
	while (offset < file_size) {
		size_t got = fread(buf, 1, unit, stdin);
		size_t keep = file_size - offset < unit ? (size_t)(file_size - offset) : unit;

		if (got != unit) {
			fprintf(stderr, "decrypt_file: raw data ends at %llu, file size %llu\n", offset + got, file_size);
			err = 1;
			break;
		}
		err = fscrypt_ext_decrypt_data_units(inode, offset, buf, buf, unit);
		if (err) {
			die("decrypt", err);
			break;
		}
		fwrite(buf, 1, keep, stdout);
		offset += unit;
	}
	free(buf);
	fscrypt_ext_inode_free(inode);
	fscrypt_ext_master_key_free(mk);
	return err ? 1 : 0;
}
