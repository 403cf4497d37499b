/*
 * populate: writes keys, directories, files, names and symlinks through the kernel's
 * fscrypt under several policies and records what it wrote in a plan file;
 * nokey-list: after a remount without keys, records the names the kernel shows instead.
 *
 * Plan lines (space separated, binary as hex, "-" for empty):
 *   seed N
 *   key NAME KEYHEX v1|v2 DESCRIPTOR_OR_IDENTIFIER_HEX
 *   inode INO f|d|l KEYNAME PARENT_INO NAMEHEX DATAHEX   (PARENT_INO 0: name not encrypted)
 *   nonce INO NONCEHEX                                    (FS_IOC_GET_ENCRYPTION_NONCE)
 *   nokey PARENT_INO INO ENCODED
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "live.h"

struct live_key {
	const char *name;
	size_t len;
	bool v1;
	uint8_t raw[64];
	uint8_t spec[16]; /* v1 descriptor (8) or v2 identifier (16), as the policy names it */
};

/* Policies the issue asks for: v1 PAD_32, v2 PAD_4/16/32, IV_INO_LBLK_64/32, sub-block data units. */
struct live_policy {
	const char *dir;
	int key;          /* index into keys[] */
	uint8_t flags;
	uint8_t log2_du;
	bool big;         /* also make a directory large enough to become an htree */
};

static struct live_key keys[] = {
	{ .name = "v1-64", .len = 64, .v1 = true },
	{ .name = "v2-64", .len = 64 },
	{ .name = "v2-32", .len = 32 },
	{ .name = "v2-48", .len = 48 },
};

static const struct live_policy policies[] = {
	{ "v1-pad32", 0, 0x03, 0, true },
	{ "v1-pad4", 0, 0x00, 0, false },
	{ "v2-pad4", 1, 0x00, 0, false },
	{ "v2-pad16", 2, 0x02, 0, false },
	{ "v2-pad32", 1, 0x03, 0, true },
	{ "v2-lblk64", 1, 0x0b, 0, false },
	{ "v2-lblk32", 2, 0x13, 0, true },
	{ "v2-du4096", 3, 0x03, 12, false },
	{ "v2-du1024", 1, 0x03, 10, false },
	{ "v2-du512", 3, 0x01, 9, false },
};

static const size_t name_lengths[] = { 1, 15, 16, 17, 32, 100, 254, 255 };
static const size_t file_sizes[] = { 0, 1, 4095, 4096, 10000, 70000 };
static const size_t symlink_lengths[] = { 1, 5, 20, 45, 300, 3000 };

static FILE *plan;

static void plan_hex(const uint8_t *p, size_t n)
{
	fputc(' ', plan);
	if (!n) {
		fputc('-', plan);
		return;
	}
	for (size_t i = 0; i < n; i += 64) {
		char hex[2 * 64 + 1];

		tc_hex_encode(p + i, n - i < 64 ? n - i : 64, hex);
		fputs(hex, plan);
	}
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		live_die("lstat %s: %s", path, strerror(errno));
	return st.st_ino;
}

static void record(const char *path, char type, int key, ino_t parent, const char *name, const uint8_t *data,
		   size_t data_len)
{
	fprintf(plan, "inode %lu %c %s %lu", (unsigned long)ino_of(path), type, keys[key].name,
		(unsigned long)parent);
	plan_hex((const uint8_t *)name, strlen(name));
	plan_hex(data, data_len);
	fputc('\n', plan);
	/* The kernel's own view of the nonce, to check later that debugfs read the right inode. */
	if (type != 'l') {
		uint8_t nonce[16];
		int err = live_get_nonce(path, nonce);

		if (err)
			live_die("FS_IOC_GET_ENCRYPTION_NONCE %s: %s", path, strerror(err));
		fprintf(plan, "nonce %lu", (unsigned long)ino_of(path));
		plan_hex(nonce, sizeof(nonce));
		fputc('\n', plan);
	}
}

/* A name of exactly len bytes: ASCII, or (multibyte) UTF-8 characters of 2..4 bytes padded with ASCII. */
static void make_name(char *out, size_t len, bool multibyte)
{
	static const char *wide[] = { "\xc3\xa9", "\xd0\xb6", "\xe2\x82\xac", "\xe6\x96\x87", "\xf0\x9f\x98\x80" };
	static const char ascii[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	size_t n = 0;

	while (multibyte && len - n >= 4) {
		const char *w = wide[live_prng_u64() % 5];

		memcpy(out + n, w, strlen(w));
		n += strlen(w);
	}
	while (n < len)
		out[n++] = ascii[live_prng_u64() % (sizeof(ascii) - 1)];
	out[n] = '\0';
}

static void write_file(const char *path, const uint8_t *data, size_t len, off_t offset)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		live_die("create %s: %s", path, strerror(errno));
	if (len && pwrite(fd, data, len, offset) != (ssize_t)len)
		live_die("write %s: %s", path, strerror(errno));
	if (close(fd) != 0)
		live_die("close %s: %s", path, strerror(errno));
}

static void add_file(const char *dir, ino_t dir_ino, int key, const char *name, size_t size)
{
	char path[4352];
	uint8_t *data = malloc(size ? size : 1);

	if (!data)
		live_die("out of memory");
	live_prng_bytes(data, size);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, data, size, 0);
	record(path, 'f', key, dir_ino, name, data, size);
	free(data);
}

/* A file with a hole: one block at 0, a hole, then 100 bytes at 12288 (two extents). */
static void add_sparse_file(const char *dir, ino_t dir_ino, int key)
{
	char path[4352];
	uint8_t data[12388];

	memset(data, 0, sizeof(data));
	live_prng_bytes(data, 4096);
	live_prng_bytes(data + 12288, 100);
	snprintf(path, sizeof(path), "%s/sparse", dir);
	write_file(path, data, 4096, 0);
	write_file(path, data + 12288, 100, 12288);
	record(path, 'f', key, dir_ino, "sparse", data, sizeof(data));
}

static void add_symlink(const char *dir, ino_t dir_ino, int key, size_t target_len, int idx)
{
	char path[4352], name[32], target[4096];

	make_name(target, target_len, idx % 2);
	snprintf(name, sizeof(name), "link%d-%zu", idx, target_len);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (symlink(target, path) != 0)
		live_die("symlink %s: %s", path, strerror(errno));
	record(path, 'l', key, dir_ino, name, (const uint8_t *)target, target_len);
}

static ino_t add_dir(const char *path, int key, ino_t parent, const char *name)
{
	if (mkdir(path, 0755) != 0)
		live_die("mkdir %s: %s", path, strerror(errno));
	record(path, 'd', key, parent, name, NULL, 0);
	return ino_of(path);
}

static void add_big_dir(const char *dir, ino_t dir_ino, int key)
{
	char path[4352], name[256];
	ino_t ino;

	snprintf(path, sizeof(path), "%s/big", dir);
	ino = add_dir(path, key, dir_ino, "big");
	/* ~80 long names fill several 4 KiB blocks, so ext4 turns the directory into an htree. */
	for (int i = 0; i < 80; i++) {
		/* Lengths may repeat: a two-letter prefix keeps the names distinct. */
		make_name(name + 2, 98 + live_prng_u64() % 156, i % 3 == 0);
		name[0] = (char)('A' + i % 26);
		name[1] = (char)('A' + i / 26);
		snprintf(path, sizeof(path), "%s/big", dir);
		add_file(path, ino, key, name, 0);
	}
}

static void make_policy_bytes(const struct live_policy *p, uint8_t *out, size_t *len)
{
	const struct live_key *k = &keys[p->key];

	memset(out, 0, LIVE_POLICY_V2_SIZE);
	out[0] = k->v1 ? 0 : 2;
	out[1] = 1; /* AES-256-XTS contents */
	out[2] = 4; /* AES-256-CTS filenames */
	out[3] = p->flags;
	if (k->v1) {
		memcpy(out + 4, k->spec, 8);
		*len = LIVE_POLICY_V1_SIZE;
	} else {
		out[4] = p->log2_du;
		memcpy(out + 8, k->spec, 16);
		*len = LIVE_POLICY_V2_SIZE;
	}
}

static void populate_policy(const char *mnt, const struct live_policy *p)
{
	char dir[4200], path[4352], name[256];
	uint8_t pol[LIVE_POLICY_V2_SIZE];
	size_t pol_len;
	ino_t dir_ino, sub_ino;
	int fd, err;

	snprintf(dir, sizeof(dir), "%s/%s", mnt, p->dir);
	if (mkdir(dir, 0755) != 0)
		live_die("mkdir %s: %s", dir, strerror(errno));
	make_policy_bytes(p, pol, &pol_len);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		live_die("open %s: %s", dir, strerror(errno));
	err = live_set_policy_fd(fd, pol, pol_len);
	close(fd);
	if (err)
		live_die("FS_IOC_SET_ENCRYPTION_POLICY on %s: %s", dir, strerror(err));
	record(dir, 'd', p->key, 0, p->dir, NULL, 0);
	dir_ino = ino_of(dir);

	for (size_t i = 0; i < sizeof(name_lengths) / sizeof(name_lengths[0]); i++) {
		make_name(name, name_lengths[i], i % 2);
		add_file(dir, dir_ino, p->key, name, file_sizes[i % (sizeof(file_sizes) / sizeof(file_sizes[0]))]);
	}
	add_sparse_file(dir, dir_ino, p->key);
	for (size_t i = 0; i < sizeof(symlink_lengths) / sizeof(symlink_lengths[0]); i++)
		add_symlink(dir, dir_ino, p->key, symlink_lengths[i], (int)i);
	snprintf(path, sizeof(path), "%s/sub", dir);
	sub_ino = add_dir(path, p->key, dir_ino, "sub");
	add_file(path, sub_ino, p->key, "inner", 5000);
	add_symlink(path, sub_ino, p->key, 7, 0);
	if (p->big)
		add_big_dir(dir, dir_ino, p->key);
}

static void add_keys(const char *mnt)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct live_key *k = &keys[i];
		int err;

		live_prng_bytes(k->raw, k->len);
		if (k->v1) {
			live_v1_descriptor(k->raw, k->len, k->spec);
			err = live_add_key(mnt, k->raw, k->len, k->spec, NULL);
		} else {
			err = live_add_key(mnt, k->raw, k->len, NULL, k->spec);
		}
		if (err)
			live_die("FS_IOC_ADD_ENCRYPTION_KEY (%s): %s", k->name, strerror(err));
		fprintf(plan, "key %s", k->name);
		plan_hex(k->raw, k->len);
		fprintf(plan, " %s", k->v1 ? "v1" : "v2");
		plan_hex(k->spec, k->v1 ? 8 : 16);
		fputc('\n', plan);
	}
}

int live_cmd_populate(int argc, char **argv)
{
	unsigned long long seed;
	int fd;

	if (argc != 5)
		live_die("usage: populate MOUNTPOINT PLAN SEED");
	seed = strtoull(argv[4], NULL, 0);
	live_prng_seed(seed);
	plan = fopen(argv[3], "w");
	if (!plan)
		live_die("%s: %s", argv[3], strerror(errno));
	fprintf(plan, "seed %llu\n", seed);
	add_keys(argv[2]);
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		populate_policy(argv[2], &policies[i]);
	if (fclose(plan) != 0)
		live_die("writing plan: %s", strerror(errno));
	fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) != 0)
		live_die("syncfs %s: %s", argv[2], strerror(errno));
	close(fd);
	return 0;
}

/* Lists dir (no key present) into the plan, recursing into subdirectories by their no-key names. */
static void list_nokey(int dirfd, unsigned *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (fstat(dirfd, &st) != 0)
		live_die("fstat: %s", strerror(errno));
	d = fdopendir(dirfd);
	if (!d)
		live_die("fdopendir: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		fprintf(plan, "nokey %lu %lu %s\n", (unsigned long)st.st_ino, (unsigned long)de->d_ino, de->d_name);
		(*count)++;
		if (de->d_type == DT_DIR) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (sub < 0)
				live_die("open no-key directory %s: %s", de->d_name, strerror(errno));
			list_nokey(sub, count);
		}
	}
	closedir(d);
}

int live_cmd_nokey_list(int argc, char **argv)
{
	char path[4200];
	unsigned count = 0;

	if (argc != 4)
		live_die("usage: nokey-list MOUNTPOINT PLAN");
	plan = fopen(argv[3], "a");
	if (!plan)
		live_die("%s: %s", argv[3], strerror(errno));
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", argv[2], policies[i].dir);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			live_die("open %s: %s", path, strerror(errno));
		list_nokey(fd, &count);
	}
	if (fclose(plan) != 0)
		live_die("writing plan: %s", strerror(errno));
	printf("nokey-list: %u names\n", count);
	return 0;
}
