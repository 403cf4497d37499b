/* Shared declarations of the live-kernel test helper (fscrypt-live): ioctls, hex parsing, PRNG, plan file. */
#ifndef FSCRYPT_LIVE_H
#define FSCRYPT_LIVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Sizes of the kernel's ABI structs, written as raw bytes (old UAPI headers lack log2_data_unit_size). */
#define LIVE_POLICY_V1_SIZE 12
#define LIVE_POLICY_V2_SIZE 24
#define LIVE_ADD_KEY_HDR 80
#define LIVE_MAX_KEY 64

/* Print to stderr and exit 1 (this is a test helper: any unexpected failure is fatal). */
__attribute__((noreturn, format(printf, 1, 2))) void live_die(const char *fmt, ...);

/* Hex and JSON output come from tools/common (hex.h: tc_hex_encode; jsonout.h: tc_json_hex). */
/* Parses a NUL-terminated hex string into out (at most max bytes); returns the byte count or -1 on bad hex. */
long live_fromhex(const char *hex, uint8_t *out, size_t max);

/* Deterministic PRNG (splitmix64) so a run can be replayed from its seed. */
void live_prng_seed(uint64_t seed);
uint64_t live_prng_u64(void);
void live_prng_bytes(void *out, size_t n);

/* FS_IOC_SET_ENCRYPTION_POLICY on an open directory: 0 or the errno. */
int live_set_policy_fd(int fd, const uint8_t *policy, size_t len);
/*
 * FS_IOC_ADD_ENCRYPTION_KEY on the filesystem of mnt. desc == NULL adds a v2
 * key and stores the kernel's identifier in ident_out (16 bytes); otherwise a
 * v1 key under the 8-byte descriptor. Returns 0 or the errno.
 */
int live_add_key(const char *mnt, const uint8_t *key, size_t key_len, const uint8_t *desc,
		 uint8_t ident_out[16]);
/* FS_IOC_GET_ENCRYPTION_NONCE: 0 or the errno. */
int live_get_nonce(const char *path, uint8_t nonce[16]);
/* FS_IOC_GET_ENCRYPTION_POLICY_EX: policy bytes into out (24), size in *len; 0 or the errno. */
int live_get_policy(const char *path, uint8_t out[24], size_t *len);

/* The conventional v1 descriptor: SHA-512(SHA-512(key))[:8]. */
void live_v1_descriptor(const uint8_t *key, size_t len, uint8_t desc[8]);

/* Subcommands. */
int live_cmd_sweep(int argc, char **argv);
int live_cmd_populate(int argc, char **argv);
int live_cmd_nokey_list(int argc, char **argv);
int live_cmd_extract(int argc, char **argv);

#endif
