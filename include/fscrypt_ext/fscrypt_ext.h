/*
 * libfscrypt-ext: the Linux fscrypt key hierarchy in userspace, byte for byte
 * compatible with the kernel. Umbrella header.
 *
 * Flow: on-disk bytes -> fscrypt_ext_context_parse() -> fscrypt_ext_inode_open()
 * with a fscrypt_ext_master_key -> encrypt/decrypt calls.
 */
#ifndef FSCRYPT_EXT_FSCRYPT_EXT_H
#define FSCRYPT_EXT_FSCRYPT_EXT_H

#include <fscrypt_ext/common.h>
#include <fscrypt_ext/backend.h>
#include <fscrypt_ext/key.h>
#include <fscrypt_ext/policy.h>
#include <fscrypt_ext/inode.h>
#include <fscrypt_ext/nokey.h>
#include <fscrypt_ext/extent.h>
#include <fscrypt_ext/keyring.h>
#include <fscrypt_ext/primitives.h>

#endif
