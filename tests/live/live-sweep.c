/*
 * policy-sweep: asks the running kernel which policy structs it accepts on this
 * ext4 (FS_IOC_SET_ENCRYPTION_POLICY on fresh empty directories) and writes the
 * answers as "policy" vectors (tests/vectors/FORMAT.md), split into several files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonout.h"
#include "live.h"

/* The space the issue names: modes 0..11, every flags byte, log2 data unit sizes 0 and 8..13. */
#define MODE_LIMIT 12
static const uint8_t log2_sizes[] = { 0, 8, 9, 10, 11, 12, 13 };
/* Pairs the kernel lists for v2; used to aim the reserved-byte variants at otherwise valid structs. */
static const uint8_t v2_pairs[][2] = { { 1, 4 }, { 5, 6 }, { 9, 9 }, { 1, 10 }, { 7, 8 } };
/* Non-zero reserved bytes (offsets 5..7 of the v2 struct). */
static const uint8_t reserved_patterns[][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0x80 }, { 0xff, 0xff, 0xff } };
static const uint8_t bad_versions[] = { 1, 3, 4, 0x7f, 0x80, 0xff };

struct sweep {
	const char *mnt;
	const char *outdir;
	bool stable;
	int dirfd;         /* the current fresh empty directory */
	char dirname[64];
	unsigned long dircount;
	FILE *out;         /* current vector file */
	unsigned long in_file, total, accepted;
	unsigned long errno_count[256];
	uint8_t ident[16];  /* identifier written into v2 structs */
	uint8_t desc[8];    /* descriptor written into v1 structs */
};

static void drop_dir(struct sweep *s)
{
	char path[4200];

	if (s->dirfd < 0)
		return;
	close(s->dirfd);
	s->dirfd = -1;
	snprintf(path, sizeof(path), "%s/%s", s->mnt, s->dirname);
	if (rmdir(path) != 0)
		live_die("rmdir %s: %s", path, strerror(errno));
}

/* Policies can only be set on empty unencrypted directories: each accepted one costs a new directory. */
static void fresh_dir(struct sweep *s)
{
	char path[4200];

	drop_dir(s);
	snprintf(s->dirname, sizeof(s->dirname), "sweep-%lu", s->dircount++);
	snprintf(path, sizeof(path), "%s/%s", s->mnt, s->dirname);
	if (mkdir(path, 0700) != 0)
		live_die("mkdir %s: %s", path, strerror(errno));
	s->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		live_die("open %s: %s", path, strerror(errno));
}

static void open_part(struct sweep *s, const char *part, const char *what)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/policy-%s.json", s->outdir, part);
	s->out = fopen(path, "w");
	if (!s->out)
		live_die("%s: %s", path, strerror(errno));
	fprintf(s->out,
		"{\"description\": \"FS_IOC_SET_ENCRYPTION_POLICY results, %s, on ext4 (4096-byte blocks, %s)\",\n"
		" \"source\": \"Linux kernel (live sweep by tests/live/fscrypt-live policy-sweep); "
		"kernel_errno is the ioctl's errno, informational\",\n \"vectors\": [\n",
		what, s->stable ? "stable_inodes" : "no stable_inodes");
	s->in_file = 0;
}

static void close_part(struct sweep *s)
{
	fputs("\n]}\n", s->out);
	if (fclose(s->out) != 0)
		live_die("writing vectors: %s", strerror(errno));
	s->out = NULL;
}

/* One struct: ask the kernel, record the answer, replace the directory if it took the policy. */
static void try_policy(struct sweep *s, const uint8_t *pol, size_t len)
{
	int err = live_set_policy_fd(s->dirfd, pol, len);

	if (err == ENOKEY || err == EEXIST || err == ENOTEMPTY || err == EPERM || err == EACCES)
		live_die("unexpected errno %d (%s) from FS_IOC_SET_ENCRYPTION_POLICY: the sweep's "
			 "assumptions (root, fresh empty directory) do not hold", err, strerror(err));
	fprintf(s->out, "%s{\"type\": \"policy\", \"policy\": ", s->in_file ? ",\n" : "");
	tc_json_hex(s->out, pol, len);
	fprintf(s->out,
		", \"fs\": {\"block_size\": 4096, \"stable_inodes\": %s, \"ino_bits\": 32, \"lblk_bits\": 32, "
		"\"subblock_data_units\": true}, \"valid\": %s, \"kernel_errno\": %d}",
		s->stable ? "true" : "false", err ? "false" : "true", err);
	s->in_file++;
	s->total++;
	s->errno_count[err < 256 ? err : 255]++;
	if (!err) {
		s->accepted++;
		fresh_dir(s);
	}
}

static void make_v2(uint8_t *p, uint8_t cm, uint8_t fm, uint8_t flags, uint8_t l2, const uint8_t *rsv,
		    const uint8_t ident[16])
{
	p[0] = 2;
	p[1] = cm;
	p[2] = fm;
	p[3] = flags;
	p[4] = l2;
	memcpy(p + 5, rsv, 3);
	memcpy(p + 8, ident, 16);
}

static void sweep_v2_mode(struct sweep *s, int cm)
{
	static const uint8_t zero[3];
	uint8_t p[LIVE_POLICY_V2_SIZE];

	for (int fm = 0; fm < MODE_LIMIT; fm++) {
		for (int flags = 0; flags < 256; flags++) {
			for (size_t l = 0; l < sizeof(log2_sizes); l++) {
				make_v2(p, (uint8_t)cm, (uint8_t)fm, (uint8_t)flags, log2_sizes[l], zero, s->ident);
				try_policy(s, p, sizeof(p));
			}
		}
	}
}

static void sweep_reserved(struct sweep *s)
{
	uint8_t p[LIVE_POLICY_V2_SIZE];

	for (size_t i = 0; i < sizeof(v2_pairs) / sizeof(v2_pairs[0]); i++)
		for (int flags = 0; flags < 256; flags++)
			for (size_t r = 0; r < sizeof(reserved_patterns) / sizeof(reserved_patterns[0]); r++)
				for (int l2 = 0; l2 <= 12; l2 += 12) {
					make_v2(p, v2_pairs[i][0], v2_pairs[i][1], (uint8_t)flags, (uint8_t)l2,
						reserved_patterns[r], s->ident);
					try_policy(s, p, sizeof(p));
				}
}

static void sweep_v1_and_bad(struct sweep *s)
{
	uint8_t p[LIVE_POLICY_V2_SIZE];

	for (int cm = 0; cm < MODE_LIMIT; cm++)
		for (int fm = 0; fm < MODE_LIMIT; fm++)
			for (int flags = 0; flags < 256; flags++) {
				p[0] = 0;
				p[1] = (uint8_t)cm;
				p[2] = (uint8_t)fm;
				p[3] = (uint8_t)flags;
				memcpy(p + 4, s->desc, 8);
				try_policy(s, p, LIVE_POLICY_V1_SIZE);
			}
	/* Unknown version bytes, shaped as otherwise valid v1 and v2 structs. */
	for (size_t v = 0; v < sizeof(bad_versions); v++) {
		static const uint8_t zero[3];

		make_v2(p, 1, 4, 0x02, 0, zero, s->ident);
		p[0] = bad_versions[v];
		try_policy(s, p, LIVE_POLICY_V2_SIZE);
		memcpy(p + 4, s->desc, 8);
		try_policy(s, p, LIVE_POLICY_V1_SIZE);
	}
}

/* As root, CAP_FOWNER should let a v2 policy name a key that was never added; check, else add one. */
static void choose_identifier(struct sweep *s)
{
	static const uint8_t zero[3];
	uint8_t p[LIVE_POLICY_V2_SIZE], key[64];
	int err;

	live_prng_bytes(s->ident, sizeof(s->ident));
	live_prng_bytes(s->desc, sizeof(s->desc));
	make_v2(p, 1, 4, 0x02, 0, zero, s->ident);
	err = live_set_policy_fd(s->dirfd, p, sizeof(p));
	if (err == 0) {
		printf("sweep: v2 policy with an absent key accepted (CAP_FOWNER bypass holds)\n");
		fresh_dir(s);
		return;
	}
	if (err != ENOKEY)
		live_die("probe v2 policy refused with errno %d (%s)", err, strerror(err));
	printf("sweep: v2 policy with an absent key refused (ENOKEY); adding a key first\n");
	live_prng_bytes(key, sizeof(key));
	err = live_add_key(s->mnt, key, sizeof(key), NULL, s->ident);
	memset(key, 0, sizeof(key));
	if (err)
		live_die("FS_IOC_ADD_ENCRYPTION_KEY: %s", strerror(err));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int live_cmd_sweep(int argc, char **argv)
{
	struct sweep s = { .dirfd = -1 };
	char part[32];
	double t0 = now();

	if (argc != 5)
		live_die("usage: policy-sweep MOUNTPOINT OUTDIR STABLE_INODES(0|1)");
	s.mnt = argv[2];
	s.outdir = argv[3];
	s.stable = !strcmp(argv[4], "1");
	live_prng_seed((uint64_t)time(NULL) ^ (uint64_t)getpid() << 32);
	fresh_dir(&s);
	choose_identifier(&s);

	for (int cm = 0; cm < MODE_LIMIT; cm++) {
		snprintf(part, sizeof(part), "v2-contents%02d", cm);
		open_part(&s, part, "v2 structs");
		sweep_v2_mode(&s, cm);
		close_part(&s);
	}
	open_part(&s, "v2-reserved", "v2 structs with non-zero reserved bytes");
	sweep_reserved(&s);
	close_part(&s);
	open_part(&s, "v1", "v1 structs and unknown version bytes");
	sweep_v1_and_bad(&s);
	close_part(&s);

	drop_dir(&s);
	printf("sweep: %lu structs, %lu accepted, %lu rejected (", s.total, s.accepted, s.total - s.accepted);
	for (int e = 1; e < 256; e++)
		if (s.errno_count[e])
			printf(" %s=%lu", e == EINVAL ? "EINVAL" : strerror(e), s.errno_count[e]);
	printf(" ) in %.1f s\n", now() - t0);
	return 0;
}
