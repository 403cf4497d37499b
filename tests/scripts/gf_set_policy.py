#!/usr/bin/env python3
"""Test helper: encrypts an empty directory through the kernel with a raw 64-byte master key, as
fscryptctl would: FS_IOC_ADD_ENCRYPTION_KEY on the mountpoint, then FS_IOC_SET_ENCRYPTION_POLICY
(v2, AES-256-XTS / AES-256-CTS, padding 32 - google/fscrypt's defaults) on the directory.
Usage: gf_set_policy.py MOUNTPOINT DIR KEYFILE; prints the key identifier."""
import fcntl
import os
import struct
import sys

FS_IOC_ADD_ENCRYPTION_KEY = 0xC0506617
FS_IOC_SET_ENCRYPTION_POLICY = 0x800C6613


def main():
    mnt, d, keyfile = sys.argv[1:4]
    raw = open(keyfile, "rb").read()
    assert len(raw) == 64, "a google/fscrypt master key is 64 bytes"
    fd = os.open(mnt, os.O_RDONLY)
    arg = bytearray(struct.pack("<II32s", 2, 0, b"") + struct.pack("<II32x", len(raw), 0) + raw)
    fcntl.ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, arg)
    os.close(fd)
    ident = bytes(arg[8:24])
    pol = struct.pack("<BBBBB3x16s", 2, 1, 4, 3, 0, ident)
    fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, pol)
    os.close(fd)
    print(ident.hex())


main()
