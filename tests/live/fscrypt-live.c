/*
 * fscrypt-live: test-only helper that drives the kernel's fscrypt ioctls on a
 * scratch ext4 and reads the results back raw, for tests/scripts/test-live-kernel.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hex.h"
#include "live.h"

__attribute__((noreturn)) static void usage(void)
{
	fputs("usage: fscrypt-live add-key MOUNTPOINT [V1_DESCRIPTOR_HEX]   (raw key on stdin)\n"
	      "       fscrypt-live set-policy DIR HEX_POLICY_STRUCT\n"
	      "       fscrypt-live get-nonce FILE\n"
	      "       fscrypt-live get-policy FILE\n"
	      "       fscrypt-live policy-sweep MOUNTPOINT OUTDIR STABLE_INODES(0|1)\n"
	      "       fscrypt-live populate MOUNTPOINT PLAN SEED\n"
	      "       fscrypt-live nokey-list MOUNTPOINT PLAN\n"
	      "       fscrypt-live extract IMAGE PLAN OUT.json\n",
	      stderr);
	exit(2);
}

static int cmd_add_key(int argc, char **argv)
{
	uint8_t key[LIVE_MAX_KEY + 1], desc[8], ident[16];
	char hex[33];
	size_t n = 0;
	ssize_t r;
	int err;

	if (argc != 3 && argc != 4)
		usage();
	if (argc == 4 && live_fromhex(argv[3], desc, sizeof(desc)) != 8)
		live_die("descriptor must be 16 hex digits");
	while (n < sizeof(key) && (r = read(0, key + n, sizeof(key) - n)) > 0)
		n += (size_t)r;
	if (n < 16 || n > LIVE_MAX_KEY)
		live_die("raw key on stdin must be 16..64 bytes, got %zu", n);
	err = live_add_key(argv[2], key, n, argc == 4 ? desc : NULL, ident);
	memset(key, 0, sizeof(key));
	if (err)
		live_die("FS_IOC_ADD_ENCRYPTION_KEY: %s", strerror(err));
	if (argc == 3) {
		tc_hex_encode(ident, 16, hex);
		puts(hex);
	}
	return 0;
}

static int cmd_set_policy(int argc, char **argv)
{
	uint8_t pol[LIVE_POLICY_V2_SIZE];
	long n;
	int fd, err;

	if (argc != 4)
		usage();
	n = live_fromhex(argv[3], pol, sizeof(pol));
	if (n < 1)
		live_die("bad policy hex");
	fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		live_die("%s: %s", argv[2], strerror(errno));
	err = live_set_policy_fd(fd, pol, (size_t)n);
	close(fd);
	if (err) {
		printf("errno %d (%s)\n", err, strerror(err));
		return 1;
	}
	return 0;
}

static int cmd_get_nonce(int argc, char **argv)
{
	uint8_t nonce[16];
	char hex[33];
	int err;

	if (argc != 3)
		usage();
	err = live_get_nonce(argv[2], nonce);
	if (err)
		live_die("FS_IOC_GET_ENCRYPTION_NONCE %s: %s", argv[2], strerror(err));
	tc_hex_encode(nonce, 16, hex);
	puts(hex);
	return 0;
}

static int cmd_get_policy(int argc, char **argv)
{
	uint8_t pol[LIVE_POLICY_V2_SIZE];
	char hex[2 * LIVE_POLICY_V2_SIZE + 1];
	size_t len = 0;
	int err;

	if (argc != 3)
		usage();
	err = live_get_policy(argv[2], pol, &len);
	if (err)
		live_die("FS_IOC_GET_ENCRYPTION_POLICY_EX %s: %s", argv[2], strerror(err));
	tc_hex_encode(pol, len, hex);
	puts(hex);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "add-key"))
		return cmd_add_key(argc, argv);
	if (!strcmp(argv[1], "set-policy"))
		return cmd_set_policy(argc, argv);
	if (!strcmp(argv[1], "get-nonce"))
		return cmd_get_nonce(argc, argv);
	if (!strcmp(argv[1], "get-policy"))
		return cmd_get_policy(argc, argv);
	if (!strcmp(argv[1], "policy-sweep"))
		return live_cmd_sweep(argc, argv);
	if (!strcmp(argv[1], "populate"))
		return live_cmd_populate(argc, argv);
	if (!strcmp(argv[1], "nokey-list"))
		return live_cmd_nokey_list(argc, argv);
	if (!strcmp(argv[1], "extract"))
		return live_cmd_extract(argc, argv);
	usage();
}
