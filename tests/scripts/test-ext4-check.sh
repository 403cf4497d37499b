#!/usr/bin/env bash
# `fscrypt-ext-ext4 check` on the bundled kernel-written image: clean untouched, and one planted fault per copy
# (tests/scripts/ext4_check_faults.py), each found with the right inode and kind, with and without keys.
# Usage (ctest): bash test-ext4-check.sh BUILD_DIR SOURCE_DIR
set -u -o pipefail
BUILD_DIR=${1:?usage: test-ext4-check.sh BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: test-ext4-check.sh BUILD_DIR SOURCE_DIR}
skip() { echo "SKIP: $*"; exit 77; }
[ -x "$BUILD_DIR/tools/ext4/fscrypt-ext-ext4" ] || skip "fscrypt-ext-ext4 not built (no libext2fs)"
[ -x "$BUILD_DIR/tests/check/plant-fault" ] || skip "plant-fault helper not built"
for t in zstd debugfs python3; do command -v "$t" > /dev/null || skip "$t not found"; done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fscrypt-check.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
zstd -dq "$SRC/tests/data/ext4-linux-6.18-seed1.img.zst" -o "$WORK/seed.img" || { echo "FAIL: zstd"; exit 1; }
python3 "$SRC/tests/scripts/ext4_check_faults.py" "$BUILD_DIR" "$SRC" "$WORK"
