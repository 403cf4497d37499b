#!/usr/bin/env python3
"""Test helper: prints the kernel's encryption policy of a directory as 'VERSION HEXKEY' (v1: the
8-byte descriptor, v2: the 16-byte identifier), read with FS_IOC_GET_ENCRYPTION_POLICY_EX."""
import fcntl
import os
import struct
import sys

FS_IOC_GET_ENCRYPTION_POLICY_EX = 0xC0096616  # _IOWR('f', 22, __u8[9])


def main():
    fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
    arg = bytearray(struct.pack("<Q", 24) + bytes(24))
    fcntl.ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, arg)
    os.close(fd)
    pol = bytes(arg[8:])
    if pol[0] == 0:
        print("1", pol[4:12].hex())
    else:
        print("2", pol[8:24].hex())


main()
