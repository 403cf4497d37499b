#!/usr/bin/env bash
# `fscrypt-ext-ext4 check` on an image google/fscrypt (the real client) encrypted through the kernel:
# it must check clean without keys (the policy key is wrapped by fscrypt's protector, so no master key
# is at hand here), and the check must really have seen the encrypted names and symlinks.
# Usage (ctest): bash test-ext4-check-fscrypt.sh BUILD_DIR SOURCE_DIR
# Skips (exit 77) without root, loop devices, ext4 encryption or the fscrypt tool. The global fscrypt
# configuration is written to a temporary FSCRYPT_CONF: nothing outside the scratch image is touched.
set -u -o pipefail
BUILD_DIR=${1:?usage: test-ext4-check-fscrypt.sh BUILD_DIR SOURCE_DIR}
TOOL=$BUILD_DIR/tools/ext4/fscrypt-ext-ext4
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, mount); running as uid $(id -u)"
[ -e /dev/loop-control ] || skip "no /dev/loop-control"
for t in mkfs.ext4 losetup mount umount fscrypt python3; do command -v "$t" > /dev/null || skip "$t not found"; done
[ -x "$TOOL" ] || skip "fscrypt-ext-ext4 not built (no libext2fs)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fscrypt-gcheck.XXXXXX") || exit 1
MNT=$WORK/mnt
LOOP=
cleanup() {
	mountpoint -q "$MNT" 2> /dev/null && { umount "$MNT" 2> /dev/null || umount -l "$MNT"; }
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2> /dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$MNT"
export FSCRYPT_CONF=$WORK/fscrypt.conf
cat > "$FSCRYPT_CONF" <<'CONF'
{"source": "raw_key", "hash_costs": {"time": "1", "memory": "1024", "parallelism": "1"},
 "options": {"padding": "32", "contents": "AES_256_XTS", "filenames": "AES_256_CTS", "policy_version": "2"},
 "use_fs_keyring_for_v1_policies": false, "allow_cross_user_metadata": false}
CONF
truncate -s 64M "$WORK/img"
mkfs.ext4 -q -F -b 4096 -O encrypt "$WORK/img" || skip "mkfs.ext4 -O encrypt failed"
LOOP=$(losetup -f --show "$WORK/img") || skip "no free loop device"
mount -t ext4 "$LOOP" "$MNT" || skip "cannot mount the scratch ext4"
fscrypt setup "$MNT" --quiet > /dev/null || skip "fscrypt setup refused"
mkdir "$MNT/secret"
head -c 32 /dev/urandom > "$WORK/raw.key"
fscrypt encrypt "$MNT/secret" --source=raw_key --name=check-test --key="$WORK/raw.key" --quiet ||
	skip "fscrypt encrypt failed (kernel without ext4 encryption?)"
python3 - "$MNT/secret" <<'PY' || { echo "FAIL: populating"; exit 1; }
import os, sys
top = sys.argv[1]
os.makedirs(os.path.join(top, "sub", "deeper"))
for i, n in enumerate(["a", "é-ü-名前", "x" * 255, "sp ace", "tab\tname"]):
    with open(os.path.join(top, "sub" if i % 2 else "", n), "wb") as f:
        f.write(os.urandom(5000 * i + 1))
os.symlink("/short", os.path.join(top, "l1"))
os.symlink("/" + "t" * 1500, os.path.join(top, "sub", "long-target"))
os.link(os.path.join(top, "a"), os.path.join(top, "sub", "deeper", "hardlink"))
PY
umount "$MNT"
losetup -d "$LOOP"
LOOP=
"$TOOL" "$WORK/img" check --json > "$WORK/out.json"
rc=$?
python3 - "$WORK/out.json" "$rc" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
if rc != 0 or doc["problems"] or not doc["clean"]:
    print(f"FAIL: google/fscrypt image: exit {rc}, problems {doc['problems']}"); sys.exit(1)
if doc["names"] < 9 or doc["symlinks"] < 2:
    print(f"FAIL: the check saw {doc['names']} encrypted names and {doc['symlinks']} symlinks (want >= 9, >= 2)")
    sys.exit(1)
print(f"ok: google/fscrypt image clean without keys ({doc['names']} encrypted names, {doc['symlinks']} symlinks, "
      f"{doc['inodes']} inodes)")
PY
