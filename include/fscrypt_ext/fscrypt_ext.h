/*
 * libfscrypt-ext: the Linux fscrypt key hierarchy in userspace, byte for byte
 * compatible with the kernel. Umbrella header.
 *
 * Flow: on-disk bytes -> fscrypt_ext_context_parse() -> fscrypt_ext_inode_open()
 * with a fscrypt_ext_master_key -> encrypt/decrypt calls.
 */
#ifndef FSCRYPT_EXT_FSCRYPT_EXT_H
#define FSCRYPT_EXT_FSCRYPT_EXT_H

#include "common.h"
#include "backend.h"
#include "key.h"
#include "policy.h"
#include "inode.h"
#include "nokey.h"
#include "extent.h"
#include "keyring.h"
#include "primitives.h"

#endif
