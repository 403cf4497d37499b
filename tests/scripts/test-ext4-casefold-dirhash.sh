#!/usr/bin/env bash
# Live-kernel check of fscrypt_ext_ext4_dirhash(): the (hash, minor_hash) pairs Linux writes after each
# name in a casefolded, encrypted ext4 directory must be exactly what the library computes.
#
# Usage (ctest): bash test-ext4-casefold-dirhash.sh BUILD_DIR SOURCE_DIR
# Skips (exit 77) without root, loop devices, e2fsprogs with casefold, or a kernel with casefold+encrypt.
set -u -o pipefail

BUILD_DIR=${1:?usage: test-ext4-casefold-dirhash.sh BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: test-ext4-casefold-dirhash.sh BUILD_DIR SOURCE_DIR}
LIVE=$BUILD_DIR/tests/live/fscrypt-live
skip() { echo "SKIP: $*"; exit 77; }

[ "$(uname -s)" = Linux ] || skip "not Linux"
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, mount, fscrypt ioctls); running as uid $(id -u)"
[ -e /dev/loop-control ] || skip "no /dev/loop-control"
for t in mkfs.ext4 debugfs losetup mount umount chattr python3; do
	command -v "$t" > /dev/null || skip "$t not found"
done
[ -x "$LIVE" ] || { echo "FAIL: helper $LIVE not built"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fscrypt-cf.XXXXXX") || exit 1
MNT=$WORK/mnt
LOOP=
cleanup() {
	mountpoint -q "$MNT" 2> /dev/null && { umount "$MNT" 2> /dev/null || umount -l "$MNT"; }
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2> /dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$MNT"
# ext4 refuses to mount casefold filesystems without the kernel's UTF-8 tables.
if [ -r /proc/config.gz ] && zcat /proc/config.gz | grep -q '^# CONFIG_UNICODE is not set'; then
	skip "this kernel ($(uname -r)) is built without CONFIG_UNICODE: no casefolded ext4 to compare with (the rule itself is checked in the fsck_api suite)"
fi

truncate -s 32M "$WORK/img"
mkfs.ext4 -q -F -b 4096 -O encrypt,casefold "$WORK/img" 2> "$WORK/mkfs.err" ||
	skip "mkfs.ext4 -O encrypt,casefold failed: $(cat "$WORK/mkfs.err")"
LOOP=$(losetup -f --show "$WORK/img") || skip "no free loop device"
mount -t ext4 "$LOOP" "$MNT" 2> "$WORK/mount.err" || skip "cannot mount casefold+encrypt ext4: $(cat "$WORK/mount.err")"
mkdir "$MNT/d"
chattr +F "$MNT/d" 2> "$WORK/chattr.err" || skip "chattr +F refused: $(cat "$WORK/chattr.err")"
head -c 64 /dev/urandom > "$WORK/key"
ID=$("$LIVE" add-key "$MNT" < "$WORK/key") || { echo "FAIL: add-key"; exit 1; }
# v2, AES-256-XTS / AES-256-CTS, PAD_32 (the policy fscrypt(1) picks).
out=$("$LIVE" set-policy "$MNT/d" "0201040200000000$ID" 2>&1)
[ -z "$out" ] || skip "the kernel refuses an encrypted casefolded directory: $out"
NONCE=$("$LIVE" get-nonce "$MNT/d") || { echo "FAIL: get-nonce"; exit 1; }
# Mixed case: ext4 hashes the casefolded (here: lower-case ASCII) name.
python3 - "$MNT/d" <<'PY' || { echo "FAIL: creating files"; exit 1; }
import os, random, sys
random.seed(int.from_bytes(os.urandom(4), "little"))
alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
names = set()
while len(names) < 40:
    n = "".join(random.choice(alpha) for _ in range(random.randint(1, 40)))
    if n not in (".", "..") and n.lower() not in {x.lower() for x in names}:
        names.add(n)
for n in names:
    open(os.path.join(sys.argv[1], n), "w").close()
PY
INO=$(stat -c %i "$MNT/d")
umount "$MNT"
debugfs -R "blocks <$INO>" "$LOOP" > "$WORK/blocks" 2> /dev/null || { echo "FAIL: debugfs blocks"; exit 1; }
losetup -d "$LOOP"
LOOP=

PYTHONPATH=$SRC/bindings/python FSCRYPT_EXT_LIBRARY=$BUILD_DIR/libfscrypt-ext.so.0 python3 - \
	"$WORK/img" "$WORK/key" "$ID" "$NONCE" "$INO" $(cat "$WORK/blocks") <<'PY'
import struct, sys
import fscrypt_ext as fx

img, keyf, ident, nonce, ino = sys.argv[1:6]
blocks = [int(b) for b in sys.argv[6:]]
raw = open(keyf, "rb").read()
ctx = fx.Context.parse(bytes.fromhex("0201040200000000" + ident + nonce))
checked = 0
with fx.MasterKey(raw) as mk, fx.Inode(ctx, mk, 2, int(ino), casefolded=True) as d, open(img, "rb") as f:
    for blk in blocks:
        f.seek(blk * 4096)
        data = f.read(4096)
        off = 0
        while off + 8 <= len(data):
            inum, rec_len, name_len, ftype = struct.unpack_from("<IHBB", data, off)
            if rec_len < 8 or off + rec_len > len(data):
                print(f"FAIL: bad rec_len {rec_len} at {off} in block {blk}"); sys.exit(1)
            if inum != 0 and name_len > 0 and ftype != 0xde:
                name = data[off + 8: off + 8 + name_len]
                if name not in (b".", b".."):
                    hoff = off + 8 + ((name_len + 3) & ~3)
                    h, m = struct.unpack_from("<II", data, hoff)
                    plain = d.decrypt_name(name)
                    want = d.ext4_dirhash(plain.decode().casefold().encode())
                    if (h, m) != want:
                        print(f"FAIL: {plain!r}: kernel stored {h:08x}/{m:08x}, library {want[0]:08x}/{want[1]:08x}")
                        sys.exit(1)
                    if h & 1:
                        print(f"FAIL: {plain!r}: kernel hash {h:08x} has bit 0 set"); sys.exit(1)
                    checked += 1
            off += rec_len
if checked < 40:
    print(f"FAIL: only {checked} entries found (want 40)"); sys.exit(1)
print(f"ok: {checked} kernel-written casefolded encrypted entries match fscrypt_ext_ext4_dirhash")
PY
