#!/usr/bin/env bash
# Demo for set-up command 1: lists and extracts the bundled kernel-written ext4 image with its
# keys, offline, and shows what a reader without the keys sees (the kernel's no-key names).
# Usage: demo-ext4.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; fi
build=$1 src=$2
tool="$build/tools/ext4/fscrypt-ext-ext4"
[ -x "$tool" ] || { echo "demo-ext4: $tool was not built" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
img="$tmp/fs.img" keys="$src/tests/data/ext4-linux-6.18-seed1.keys.json"
zstd -q -d -f "$src/tests/data/ext4-linux-6.18-seed1.img.zst" -o "$img"
echo "\$ fscrypt-ext-ext4 fs.img --keys $(basename "$keys") ls -R / | head -12"
"$tool" "$img" --keys "$keys" ls -R / >"$tmp/ls.txt"; head -12 "$tmp/ls.txt"
echo "\$ fscrypt-ext-ext4 fs.img ls /v2_xts_cts_pad32      # without keys: no-key names"
"$tool" "$img" ls /v2_xts_cts_pad32 >"$tmp/nokey.txt"; head -4 "$tmp/nokey.txt"
"$tool" "$img" --keys "$keys" extract / "$tmp/out" >/dev/null
echo "extract: $(find "$tmp/out" -type f | wc -l) files, $(find "$tmp/out" -type l | wc -l) symlinks, $(du -sh "$tmp/out" | cut -f1) restored"
