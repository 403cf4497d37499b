/*
 * Fuzz target for fscrypt-ext-ext4: the input is a whole ext4 image, opened from a memory file
 * through the reader layer, then `ls -R`, `ls --json -R`, a `cat` of every regular file,
 * `extract /` into a scratch folder and `check`, once without keys and once with the test key (bytes
 * 0x00..0x3f, the key of the hostile images). Built as a libFuzzer target with clang and always
 * as a replay program (replay_image.c) that ctest runs over corpus-ext4/ plus mutations.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmds.h"
#include "keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tc_keyset keys;
static char scratch[64];
static bool ready;

static void silent(void *priv, uint32_t ino, int err, const char *msg)
{
	(void)priv, (void)ino, (void)err, (void)msg;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

static void drop_scratch(void)
{
	nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	rmdir(scratch);
}

static void setup(void)
{
	const char *base;
	uint8_t raw[64];

	if (fscrypt_ext_init())
		abort();
	for (int i = 0; i < 64; i++)
		raw[i] = (uint8_t)i;
	if (fscrypt_ext_master_key_new(raw, sizeof(raw), &keys.keys[0].mk) ||
	    fscrypt_ext_master_key_identifier(keys.keys[0].mk, keys.keys[0].identifier) ||
	    fscrypt_ext_master_key_descriptor(keys.keys[0].mk, keys.keys[0].descriptor))
		abort();
	keys.n = 1;
	/*
	 * $TMPDIR (fuzz-ci.sh points it at a folder it removes: libFuzzer may end without atexit),
	 * else tmpfs when there is one: extraction creates and removes many small files per input.
	 */
	base = getenv("TMPDIR");
	if (!base || !*base || strlen(base) > 40)
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof(scratch), "%s/fuzz-ext4.XXXXXX", base);
	if (!mkdtemp(scratch))
		abort();
	atexit(drop_scratch);
	/* Listings go nowhere; libFuzzer reports on stderr. Messages of the commands are silenced too. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	ready = true;
}

/* cat of every regular file below dir: what `cat` does, through the same reader call. */
static void cat_all(ext4r *r, const ext4r_node *dir, ext4r_walk *w, unsigned int depth)
{
	struct ext4r_dirlist l;
	uint8_t buf[8192];

	if (ext4r_walk_enter(w, dir->ino, depth) || ext4r_dir_read(r, dir, &l))
		return;
	for (size_t i = 0; i < l.n; i++) {
		ext4r_node *c = NULL;
		struct ext4r_xattrs x;
		size_t got = 0;

		if (l.ents[i].dot || l.ents[i].err || ext4r_node_get(r, l.ents[i].ino, &c))
			continue;
		if (!ext4r_permitted(dir, c)) {
			if (c->type == EXT4R_REG) {
				for (uint64_t off = 0; off < c->size && off < (1u << 20); off += got)
					if (ext4r_read(r, c, off, buf, sizeof(buf), &got) || got == 0)
						break;
				/* A range far away: holes or the mapping's end. */
				(void)ext4r_read(r, c, c->size > 5000 ? c->size - 5000 : 0, buf, sizeof(buf), &got);
			} else if (c->type == EXT4R_DIR) {
				cat_all(r, c, w, depth + 1);
			}
			if (!ext4r_xattrs_read(r, c, &x))
				ext4r_xattrs_free(&x);
		}
		ext4r_node_put(c);
	}
	ext4r_dirlist_free(&l);
}

static void run(const char *image, const struct tc_keyset *ks)
{
	char *ls_argv[] = { "/" }, *ex_argv[] = { "/", scratch }, *cat_argv[][1] = { { "/big" }, { "/enc/good" } };
	struct ext4_cmd c = { .max_size = 1u << 20, .max_size_given = true, .recursive = true };
	ext4r_node *root = NULL;
	ext4r_walk *w = NULL;

	if (ext4r_open(image, 0, ks, &c.r, NULL))
		return;
	ext4r_set_reporter(c.r, silent, NULL);
	c.argc = 1;
	c.argv = ls_argv;
	(void)ext4_cmd_ls(&c);
	c.json = true;
	(void)ext4_cmd_ls(&c);
	c.json = false;
	for (size_t i = 0; i < 2; i++) {
		c.argv = cat_argv[i];
		(void)ext4_cmd_cat(&c);
	}
	if (!ext4r_root(c.r, &root) && !ext4r_walk_new(&w))
		cat_all(c.r, root, w, 0);
	ext4r_walk_free(w);
	ext4r_node_put(root);
	c.argc = 2;
	c.argv = ex_argv;
	(void)ext4_cmd_extract(&c);
	nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	/* check last: it installs its own reporter and leaves the default one behind. */
	c.argc = 0;
	c.argv = NULL;
	(void)ext4_cmd_check(&c);
	ext4r_close(c.r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd;

	if (!ready)
		setup();
	if (size < 2048 || size > (8u << 20))
		return 0; /* no superblock, or larger than any corpus image */
	fd = memfd_create("fuzz-ext4", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	run(path, NULL);
	run(path, &keys);
	close(fd);
	return 0;
}
