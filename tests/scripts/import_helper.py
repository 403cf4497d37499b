#!/usr/bin/env python3
"""Test helper for test-import-kernel.sh (one process per step: Python starts slowly on a loaded
machine).

  import_helper.py prepare DIR SEED BLOCK_SIZE VERSION FLAGS PAIR...
      A random host tree DIR/src for `fscrypt-ext-ext4 import`: names 1..255 bytes (ASCII and
      UTF-8), files of 0, 1, 4095, 4096, 4097 bytes and larger, sparse files, symlinks up to the
      longest target the block size allows (BLOCK_SIZE - 3), one directory with hundreds of
      entries, nesting, hard links, random modes, owners and times. A random master key in
      DIR/keys.json; prints the policy text (one of the PAIRs "contents/filenames", the key's v2
      identifier or v1 descriptor computed here independently of the library).
  import_helper.py prepare-wide DIR SEED VERSION FLAGS PAIR...
      As prepare, with a tree of one directory of 2000 empty files with long names: on 1 KiB
      blocks its htree needs an index level below the root.
  import_helper.py kernel MNT DEST SRC KEYS
      Adds the keys (FS_IOC_ADD_ENCRYPTION_KEY), checks that the kernel reads MNT/DEST exactly as
      SRC (names, types, modes, owners, mtimes, contents, symlink targets), then has the kernel
      create a file and a directory in every directory and 200 more entries in the largest one,
      and reads them back. Prints the number of directories and how many are htrees.
  import_helper.py list DIR
      The listing the comparison uses, one line per node."""
import fcntl
import hashlib
import hmac
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fscrypt_add_keys  # noqa: E402

FS_IOC_GETFLAGS = 0x80086601
EXT4_INDEX_FL = 0x1000

UTF8_CHARS = "éüßøÅ中文字😀ĀЖж"


def rand_name(rng, used, max_bytes=255):
    while True:
        target = rng.choice([1, 2, 3, rng.randint(1, 40), rng.randint(1, 255), 255, 254, rng.randint(200, 255)])
        target = min(target, max_bytes)
        out = b""
        while len(out) < target:
            if rng.random() < 0.25:
                c = rng.choice(UTF8_CHARS).encode()
            else:
                c = bytes([rng.choice(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,+= ~")])
            if len(out) + len(c) > target:
                break
            out += c
        name = out.decode()
        if name and name not in (".", "..") and name not in used:
            used.add(name)
            return name


def set_meta(rng, path, is_link=False):
    uid = rng.choice([0, 1000, rng.randint(1, 65535), rng.randint(65536, 2**31)])
    gid = rng.choice([0, 100, rng.randint(1, 65535), rng.randint(65536, 2**31)])
    os.lchown(path, uid, gid)
    t = rng.randint(0, 2**33) if rng.random() < 0.2 else rng.randint(10**9, 2 * 10**9)
    ns = rng.randint(0, 10**9 - 1)
    if not is_link:
        os.utime(path, ns=(t * 10**9 + ns, t * 10**9 + ns), follow_symlinks=False)
    else:
        os.utime(path, ns=(t * 10**9 + ns, t * 10**9 + ns), follow_symlinks=False)


def make_file(rng, path, size):
    with open(path, "wb") as f:
        f.write(rng.randbytes(size))
    os.chmod(path, rng.choice([0o644, 0o600, 0o755, 0o4755, 0o640, 0o777, 0o000]))
    set_meta(rng, path)


def make_sparse(rng, path, bs):
    size = rng.randint(1, 8) * 1024 * 1024 + rng.randint(0, 5000)
    with open(path, "wb") as f:
        f.truncate(size)
        for _ in range(rng.randint(1, 5)):
            off = rng.randrange(0, size)
            f.seek(off)
            f.write(rng.randbytes(min(rng.randint(1, 3 * bs), size - off)))
        if rng.random() < 0.5:  # data in the last block
            f.seek(size - 10)
            f.write(b"0123456789")
    os.chmod(path, 0o644)
    set_meta(rng, path)


def make(root, seed, bs):
    rng = random.Random(seed)
    os.mkdir(root)
    used = set()
    for size in [0, 1, 4095, 4096, 4097, bs - 1, bs, bs + 1, rng.randint(5000, 300000), 1 << 20]:
        make_file(rng, os.path.join(root, rand_name(rng, used)), size)
    for _ in range(3):
        make_sparse(rng, os.path.join(root, rand_name(rng, used)), bs)
    longest = bs - 3  # the stored form (2-byte length + ciphertext) must fit one block with its NUL
    for tlen in [1, 15, 16, 17, 40, 41, 57, 58, rng.randint(60, longest), longest - 1, longest]:
        t = "".join(rng.choice("abcdefghij/._-") for _ in range(tlen))
        p = os.path.join(root, rand_name(rng, used))
        os.symlink(t, p)
        set_meta(rng, p, True)
    # A directory with hundreds of entries: an htree on either block size.
    big = os.path.join(root, rand_name(rng, used))
    os.mkdir(big)
    bused = {"hardlink-" + str(seed % 1000)}
    for i in range(rng.randint(300, 500)):
        p = os.path.join(big, rand_name(rng, bused))
        if i % 7 == 0:
            os.symlink(rand_name(rng, set(), 100), p)
        elif i % 11 == 0:
            os.mkdir(p)
        else:
            make_file(rng, p, rng.choice([0, 1, 100, 5000]))
    os.chmod(big, 0o755)
    # Nesting, with a hard link from the deepest level to a top-level file.
    d, dused = root, used  # the names already taken in d
    for depth in range(rng.randint(5, 9)):
        d = os.path.join(d, rand_name(rng, dused, 60))
        os.mkdir(d)
        dused = {"hardlink-" + str(seed % 1000)}
        make_file(rng, os.path.join(d, rand_name(rng, dused)), rng.randint(0, 9000))
    first = os.path.join(root, rand_name(rng, used))
    make_file(rng, first, 12345)
    os.link(first, os.path.join(d, "hardlink-" + str(seed % 1000)))
    os.link(first, os.path.join(big, "hardlink-" + str(seed % 1000)))
    # Directory modes and times last: adding entries changes a directory's mtime.
    for dirpath, dirnames, _ in os.walk(root, topdown=False):
        for dn in dirnames:
            p = os.path.join(dirpath, dn)
            os.chmod(p, rng.choice([0o755, 0o700, 0o1777, 0o2755]))
            set_meta(rng, p)
    os.chmod(root, 0o755)


def listing(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            kind = "d" if os.path.isdir(p) and not os.path.islink(p) else "l" if os.path.islink(p) else "f"
            extra = ""
            if kind == "l":
                extra = os.readlink(p)
            elif kind == "f":
                with open(p, "rb") as f:
                    extra = "%d %s" % (st.st_size, hashlib.sha256(f.read()).hexdigest())
            mtime = st.st_mtime_ns
            out.append("%r %s %o %d %d %d %s" % (rel, kind, st.st_mode & 0o7777, st.st_uid, st.st_gid, mtime, extra))
    return sorted(out)


def key_spec(raw, version):
    """The v2 identifier (HKDF-SHA512, info "fscrypt\\0" + context 1) or the v1 descriptor."""
    if version == 1:
        return hashlib.sha512(hashlib.sha512(raw).digest()).digest()[:8].hex()
    prk = hmac.new(b"", raw, hashlib.sha512).digest()
    return hmac.new(prk, b"fscrypt\x00\x01\x01", hashlib.sha512).digest()[:16].hex()


def make_wide(root, seed):
    rng = random.Random(seed)
    os.mkdir(root)
    used = set()
    for i in range(2000):
        name = "%04d-" % i + rand_name(rng, used, 200)
        while len(name.encode()) < 180:
            name += "x"
        open(os.path.join(root, name), "w").close()


def prepare(d, seed, bs, version, flags, pairs, wide=False):
    rng = random.Random("%s-keys" % seed)
    raw = rng.randbytes(64)
    pair = rng.choice(pairs)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "keys.json"), "w") as f:
        json.dump({"keys": [{"master_key": raw.hex(), "policy_version": version}]}, f)
    if wide:
        make_wide(os.path.join(d, "src"), seed)
    else:
        make(os.path.join(d, "src"), seed, bs)
    contents, filenames = pair.split("/")
    print("v%d contents=%s filenames=%s flags=%s key=%s" % (version, contents, filenames, flags,
                                                            key_spec(raw, version)))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def kernel(mnt, dest, src, keys):
    fd = os.open(mnt, os.O_RDONLY)
    for k in json.load(open(keys))["keys"]:
        fscrypt_add_keys.add_key(fd, bytes.fromhex(k["master_key"]), int(k.get("policy_version", 2)))
    os.close(fd)
    root = os.path.join(mnt, dest)
    want, got = listing(src), listing(root)
    if want != got:
        a, b = set(want), set(got)
        fail("kernel reads %d entries, %d expected; only in source: %s; only in the image: %s"
             % (len(got), len(want), sorted(a - b)[:3], sorted(b - a)[:3]))
    dirs, htree, biggest = 0, 0, (-1, None)
    for dirpath, dirnames, filenames in os.walk(root):
        dirs += 1
        dfd = os.open(dirpath, os.O_RDONLY | os.O_DIRECTORY)
        flags = struct.unpack("l", fcntl.ioctl(dfd, FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
        os.close(dfd)
        htree += bool(flags & EXT4_INDEX_FL)
        biggest = max(biggest, (len(dirnames) + len(filenames), dirpath))
    for dirpath, dirnames, _ in list(os.walk(root)):
        with open(os.path.join(dirpath, "zz-kernel-new-file"), "w") as f:
            f.write("kernel " + dirpath)
        os.mkdir(os.path.join(dirpath, "zz-kernel-new-dir"))
    for dirpath, dirnames, _ in os.walk(root):
        if os.path.basename(dirpath) == "zz-kernel-new-dir":
            continue
        with open(os.path.join(dirpath, "zz-kernel-new-file")) as f:
            if f.read() != "kernel " + dirpath:
                fail("kernel-written file reads back wrong in " + dirpath)
        if not os.path.isdir(os.path.join(dirpath, "zz-kernel-new-dir")):
            fail("kernel-made directory missing in " + dirpath)
    big = biggest[1]
    names = ["zz-kernel-more-%d-%s" % (i, "n" * (i % 200)) for i in range(200)]
    for n in names:
        open(os.path.join(big, n), "w").close()
    have = set(os.listdir(big))
    if not all(n in have for n in names):
        fail("kernel lost entries added to the largest directory " + big)
    print("%d dirs, %d htree" % (dirs, htree))
    if htree == 0:
        fail("no written directory is an htree (the one with hundreds of entries should be)")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "prepare" and len(sys.argv) >= 8:
        prepare(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7:])
    elif cmd == "prepare-wide" and len(sys.argv) >= 7:
        prepare(sys.argv[2], int(sys.argv[3]), 0, int(sys.argv[4]), sys.argv[5], sys.argv[6:], True)
    elif cmd == "kernel" and len(sys.argv) == 6:
        kernel(*sys.argv[2:6])
    elif cmd == "list" and len(sys.argv) == 3:
        print("\n".join(listing(sys.argv[2])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
