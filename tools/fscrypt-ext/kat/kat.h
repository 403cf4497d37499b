/*
 * fscrypt-ext tool: the `kat` handler interface, what a handler of one vector type may call.
 *
 * To add a vector type: write `enum kat_result kat_<type>(struct kat_vec *v)`
 * in the file of its family (a new file for a new family, listed in
 * tools/CMakeLists.txt), declare it below, and add one line to types.c.
 * Field getters report a missing or malformed field as a failure of the
 * vector and return false/NULL; buffers they return belong to the vector and
 * are freed after the handler returns.
 */
#ifndef FSCRYPT_EXT_CLI_KAT_H
#define FSCRYPT_EXT_CLI_KAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <fscrypt_ext/fscrypt_ext.h>

enum kat_result {
	KAT_PASS,
	KAT_FAIL,
	KAT_SKIP,
};

#define KAT_MAX_ALLOCS 16

/* One vector being run. */
struct kat_vec {
	const char *file;
	size_t index;
	const char *type;
	struct json_object *obj;
	int failures;                 /* kat_fail() calls so far */
	const char *skip_reason;      /* set by kat_skip() */
	void *allocs[KAT_MAX_ALLOCS]; /* freed after the handler */
	size_t n_allocs;
};

typedef enum kat_result (*kat_handler)(struct kat_vec *v);

/* Reports one difference or error of this vector (printed at once) and counts it. */
void kat_fail(struct kat_vec *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A vector the API cannot run as written (e.g. an inode the kernel itself
 * would refuse). reason is a constant phrase: the runner counts skips per
 * reason and prints them; it is never a pass. Returns KAT_SKIP.
 */
enum kat_result kat_skip(struct kat_vec *v, const char *reason);
/* KAT_FAIL if anything failed, else KAT_PASS. */
enum kat_result kat_verdict(const struct kat_vec *v);

/* A buffer owned by the vector (zeroed; n may be 0). NULL (and a failure) if out of memory. */
uint8_t *kat_alloc(struct kat_vec *v, size_t n);

/* Fields. */
bool kat_has(const struct kat_vec *v, const char *field);
uint8_t *kat_hex(struct kat_vec *v, const char *field, size_t *len);
bool kat_hex_fixed(struct kat_vec *v, const char *field, uint8_t *out, size_t n);
/* JSON number or a string of decimal digits, full 64-bit range. */
bool kat_u64(struct kat_vec *v, const char *field, uint64_t *out);
bool kat_u64_in(struct kat_vec *v, struct json_object *obj, const char *field, uint64_t *out);
bool kat_bool_in(struct kat_vec *v, struct json_object *obj, const char *field, bool *out);

/*
 * The "plaintext" and "ciphertext" fields (equal lengths) and a vector-owned
 * buffer of that length; false (and a reported failure) otherwise.
 */
bool kat_pt_ct(struct kat_vec *v, uint8_t **pt, uint8_t **ct, size_t *len, uint8_t **buf);

/*
 * The shape of most primitive vectors: "key" (any length), a 16-byte IV or
 * tweak field (iv_field NULL: none), plaintext and ciphertext. Encrypts out of
 * place, then decrypts in place (aes.c).
 */
typedef int (*kat_cipher16_fn)(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in,
			       uint8_t *out, size_t len);
enum kat_result kat_run_cipher16(struct kat_vec *v, const char *iv_field, kat_cipher16_fn enc, kat_cipher16_fn dec,
				 const char *enc_name, const char *dec_name);

/* Checks: false (and a reported failure) when they differ. */
bool kat_lib_ok(struct kat_vec *v, const char *call, int err);
bool kat_same(struct kat_vec *v, const char *what, const uint8_t *expected, size_t expected_len,
	      const uint8_t *got, size_t got_len);
bool kat_same_u64(struct kat_vec *v, const char *what, uint64_t expected, uint64_t got);

/* The fs object of a vector ("fs": {block_size, stable_inodes, ino_bits, lblk_bits, subblock_data_units,
 * casefolded}), on top of ext4 defaults with default_block_size. */
bool kat_fs_info(struct kat_vec *v, struct json_object *fs_obj, uint32_t default_block_size,
		 struct fscrypt_ext_fs_info *fs, unsigned int *dir_flags);

/*
 * fscrypt-level vectors (inode.c). kat_master_key: the vector's "master_key"
 * (NULL and a failure otherwise). kat_block_size: "block_size", 4096 if absent.
 * kat_kernel_refuses_key_size: whether the kernel would refuse a key this short
 * for the inode's mode, worked out from the mode table. kat_open_inode: the
 * context in ctx_field parsed and opened with the vector's key, ino and fs_uuid;
 * KAT_PASS when open, KAT_SKIP where the kernel itself would refuse the key.
 */
fscrypt_ext_master_key *kat_master_key(struct kat_vec *v);
bool kat_block_size(struct kat_vec *v, uint32_t *block_size);
bool kat_kernel_refuses_key_size(const struct fscrypt_ext_context *ctx, enum fscrypt_ext_inode_type type,
				 size_t key_len);
enum kat_result kat_open_inode(struct kat_vec *v, const char *ctx_field, enum fscrypt_ext_inode_type type,
			       bool casefolded, fscrypt_ext_master_key **mk_out, fscrypt_ext_inode **out);
void kat_close_inode(fscrypt_ext_master_key *mk, fscrypt_ext_inode *inode);

/* Handlers, one per type, by file. */
enum kat_result kat_key_identifier(struct kat_vec *v);  /* keys.c */
enum kat_result kat_key_descriptor(struct kat_vec *v);  /* keys.c */
enum kat_result kat_policy(struct kat_vec *v);          /* policy.c */
enum kat_result kat_context(struct kat_vec *v);         /* policy.c */
enum kat_result kat_contents(struct kat_vec *v);        /* contents.c */
enum kat_result kat_filename(struct kat_vec *v);        /* names.c */
enum kat_result kat_symlink(struct kat_vec *v);         /* names.c */
enum kat_result kat_nokey_name(struct kat_vec *v);      /* nokey.c */
enum kat_result kat_dirhash(struct kat_vec *v);         /* dirhash.c */
enum kat_result kat_extent(struct kat_vec *v);          /* extent.c */
enum kat_result kat_aes_ecb(struct kat_vec *v);         /* aes.c */
enum kat_result kat_aes_xts(struct kat_vec *v);         /* aes.c */
enum kat_result kat_aes_cbc_cts(struct kat_vec *v);     /* aes.c */
enum kat_result kat_aes_cbc_essiv(struct kat_vec *v);   /* aes.c */
enum kat_result kat_hkdf_sha512(struct kat_vec *v);     /* hash.c */
enum kat_result kat_siphash24(struct kat_vec *v);       /* hash.c */
enum kat_result kat_adiantum(struct kat_vec *v);        /* wide.c */
enum kat_result kat_hctr2(struct kat_vec *v);           /* wide.c */
enum kat_result kat_sm4_xts(struct kat_vec *v);         /* sm4.c */
enum kat_result kat_sm4_cbc_cts(struct kat_vec *v);     /* sm4.c */

#endif
