/* fscrypt-ext tool: the library side of `bench` rows shared by several cases (data units, names, symlink targets). */
#include "bench/bench.h"

int bench_lib_units_op(void *arg)
{
	struct bench_lib_units *u = arg;

	return u->enc ? fscrypt_ext_encrypt_data_units(u->inode, 0, u->in, u->out, u->len)
		      : fscrypt_ext_decrypt_data_units(u->inode, 0, u->in, u->out, u->len);
}

int bench_lib_name_op(void *arg)
{
	struct bench_lib_name *n = arg;
	size_t out_len;

	return n->enc ? fscrypt_ext_fname_encrypt(n->dir, n->in, n->len, n->out, FSCRYPT_EXT_NAME_MAX, &out_len)
		      : fscrypt_ext_fname_decrypt(n->dir, n->in, n->len, n->out, FSCRYPT_EXT_NAME_MAX, &out_len);
}

int bench_lib_link_op(void *arg)
{
	struct bench_lib_link *l = arg;
	size_t out_len;

	return l->enc ? fscrypt_ext_symlink_encrypt(l->link, l->in, l->len, 4096, l->out, 4096, &out_len)
		      : fscrypt_ext_symlink_decrypt(l->link, l->in, l->len, l->out, 4096, &out_len);
}
