#!/usr/bin/env python3
"""Test helper: adds the master keys of a keys.json file to a mounted filesystem through the
kernel's FS_IOC_ADD_ENCRYPTION_KEY ioctl (v2 keys by identifier, v1 keys by their conventional
descriptor SHA-512(SHA-512(key))[:8]). Usage: fscrypt_add_keys.py MOUNTPOINT KEYS.json"""
import fcntl
import hashlib
import json
import os
import struct
import sys

FS_IOC_ADD_ENCRYPTION_KEY = 0xC0506617  # _IOWR('f', 23, struct fscrypt_add_key_arg /* 80 bytes */)
SPEC_DESCRIPTOR, SPEC_IDENTIFIER = 1, 2


def add_key(fd, raw, version):
    if version == 1:
        desc = hashlib.sha512(hashlib.sha512(raw).digest()).digest()[:8]
        spec = struct.pack("<II32s", SPEC_DESCRIPTOR, 0, desc)
    else:
        spec = struct.pack("<II32s", SPEC_IDENTIFIER, 0, b"")
    arg = bytearray(spec + struct.pack("<II32x", len(raw), 0) + raw)
    fcntl.ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, arg)
    return bytes(arg[8:24]) if version == 2 else desc


def main():
    mnt, keys = sys.argv[1], json.load(open(sys.argv[2]))["keys"]
    fd = os.open(mnt, os.O_RDONLY)
    for k in keys:
        spec = add_key(fd, bytes.fromhex(k["master_key"]), int(k.get("policy_version", 2)))
        print(f"added v{k.get('policy_version', 2)} key {spec.hex()}")
    os.close(fd)


if __name__ == "__main__":
    main()
