/* The fscrypt ioctls the live test needs, on raw byte buffers laid out as the kernel's UAPI structs. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/fscrypt.h>

#include "live.h"

/* fscrypt_key_specifier types (UAPI). */
#define SPEC_DESCRIPTOR 1
#define SPEC_IDENTIFIER 2

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int live_set_policy_fd(int fd, const uint8_t *policy, size_t len)
{
	/* The kernel reads the version byte, then 12 or 24 bytes; always pass 24 readable bytes. */
	uint8_t buf[LIVE_POLICY_V2_SIZE] = { 0 };

	memcpy(buf, policy, len < sizeof(buf) ? len : sizeof(buf));
	if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, buf) == 0)
		return 0;
	return errno;
}

int live_add_key(const char *mnt, const uint8_t *key, size_t key_len, const uint8_t *desc,
		 uint8_t ident_out[16])
{
	/* struct fscrypt_add_key_arg: key_spec (type, reserved, u[32]) · raw_size · key_id · reserved[8] · raw[]. */
	uint8_t arg[LIVE_ADD_KEY_HDR + LIVE_MAX_KEY] = { 0 };
	int fd, err = 0;

	if (key_len > LIVE_MAX_KEY)
		return EINVAL;
	put_le32(arg, desc ? SPEC_DESCRIPTOR : SPEC_IDENTIFIER);
	if (desc)
		memcpy(arg + 8, desc, 8);
	put_le32(arg + 40, (uint32_t)key_len);
	memcpy(arg + LIVE_ADD_KEY_HDR, key, key_len);
	fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, arg) != 0)
		err = errno;
	else if (!desc)
		memcpy(ident_out, arg + 8, 16);
	close(fd);
	memset(arg, 0, sizeof(arg));
	return err;
}

int live_get_nonce(const char *path, uint8_t nonce[16])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_NONCE, nonce) != 0)
		err = errno;
	close(fd);
	return err;
}

int live_get_policy(const char *path, uint8_t out[24], size_t *len)
{
	/* struct fscrypt_get_policy_ex_arg: u64 policy_size (in: room, out: size) then the policy. */
	uint8_t arg[8 + LIVE_POLICY_V2_SIZE] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	arg[0] = LIVE_POLICY_V2_SIZE;
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, arg) != 0) {
		err = errno;
	} else {
		*len = arg[0];
		memcpy(out, arg + 8, LIVE_POLICY_V2_SIZE);
	}
	close(fd);
	return err;
}
