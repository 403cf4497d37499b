#!/usr/bin/env bash
# The offline ext4 reader must recover every file, name and symlink of each kernel-written image
# (tests/data/*.img.zst with its keys file, plus any in $FSCRYPT_EXT_IMAGES_DIR or ../shared/images):
#  1. extract with the keys and compare with the kernel-written vectors (tests/vectors/kernel);
#  2. where the machine allows a loop mount, compare byte for byte with what the kernel itself
#     reads after adding the keys, and compare our no-key names with the kernel's (no keys added).
# Usage: test-ext4-image.sh BUILD_DIR SOURCE_DIR   (ctest passes both: build/ and the checkout)
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR   e.g. $0 build ." >&2
  exit 2
fi
build=$1 src=$2
tool="$build/tools/ext4/fscrypt-ext-ext4"
[ -x "$tool" ] || { echo "FAIL: $tool not built (libext2fs-dev missing?)"; exit 1; }
tmp=$(mktemp -d)
mnt="$tmp/mnt"
cleanup() { mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"; rm -rf "$tmp"; }
trap cleanup EXIT

images=()
for d in "$src/tests/data" "${FSCRYPT_EXT_IMAGES_DIR:-}" "$src/../shared/images"; do
  [ -n "$d" ] && [ -d "$d" ] || continue
  for img in "$d"/*.img.zst; do [ -e "$img" ] && images+=("$img"); done
done
[ "${#images[@]}" -gt 0 ] || { echo "FAIL: no image found"; exit 1; }

can_mount=1; why=""
if [ "$(id -u)" != 0 ]; then can_mount=0; why="not root"
elif [ ! -e /dev/loop-control ]; then can_mount=0; why="no loop devices"; fi

checked=0
declare -A seen
for img in "${images[@]}"; do
  sum=$(sha256sum "$img" | cut -c1-16)
  [ -z "${seen[$sum]:-}" ] || continue
  seen[$sum]=1
  keys="${img%.img.zst}.keys.json"
  [ -f "$keys" ] || { echo "FAIL: $img has no keys file"; exit 1; }
  name=$(basename "$img" .img.zst)
  echo "== $name"
  raw="$tmp/$name.img"
  zstd -q -d -f "$img" -o "$raw"
  out="$tmp/$name.out"
  "$tool" "$raw" --keys "$keys" extract / "$out"
  "$tool" "$raw" --keys "$keys" ls -R / > "$tmp/$name.ls"
  "$tool" "$raw" ls -R / > "$tmp/$name.nokey.ls"

  # 1. Kernel-written vectors for this image (same fs UUID), if any.
  python3 - "$out" "$tmp/$name.ls" "$keys" "$src/tests/vectors/kernel" <<'PY'
import glob, json, os, re, sys
root, listing, keysfile, vecdir = sys.argv[1:5]
uuid = json.load(open(keysfile))["fs_uuid"]
ino_path = {}
cur = None
for line in open(listing, encoding="utf-8", errors="surrogateescape"):
    line = line.rstrip("\n")
    if line.endswith(":") and line.startswith("/"):
        cur = line[:-1].rstrip("/"); continue
    m = re.match(r"^([-dl?]) +(\d+) +(\d+) (.*)$", line)
    if m:
        name = m.group(4).split(" -> ")[0]
        ino_path[int(m.group(2))] = (cur + "/" + name, m.group(1), m.group(4))
checked = 0
for path in glob.glob(os.path.join(vecdir, "*.json")):
    for v in json.load(open(path))["vectors"]:
        if v.get("fs_uuid") != uuid:
            continue
        ino = int(v.get("ino", 0))
        if v["type"] == "contents":
            p, t, _ = ino_path[ino]
            data = open(root + p, "rb").read()
            off, pt = int(v["file_offset"]), bytes.fromhex(v["plaintext"])
            want = pt[: max(0, len(data) - off)]
            assert data[off:off + len(want)] == want, f"contents of inode {ino} ({p}) at {off} differ"
            checked += 1
        elif v["type"] == "symlink":
            p, t, _ = ino_path[ino]
            assert os.readlink(root + p).encode("utf-8", "surrogateescape") == bytes.fromhex(v["plaintext"]), p
            checked += 1
        elif v["type"] == "filename":
            names = {os.path.basename(q).encode("utf-8", "surrogateescape") for q, _, _ in ino_path.values()}
            assert bytes.fromhex(v["plaintext"]) in names, v["plaintext"]
            checked += 1
print(f"vectors: {checked} kernel-written contents/symlink/filename answers match the extracted tree")
PY

  # 2. The live kernel as the oracle.
  if [ "$can_mount" = 1 ]; then
    mkdir -p "$mnt"
    if mount -o loop,ro "$raw" "$mnt" 2>"$tmp/mount.err"; then
      # Without keys: the kernel's no-key names must be ours.
      (cd "$mnt" && find . -mindepth 1 | LC_ALL=C sort) > "$tmp/kernel-nokey.txt"
      python3 - "$tmp/$name.nokey.ls" > "$tmp/ours-nokey.txt" <<'PY'
import re, sys
cur, out = None, []
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    line = line.rstrip("\n")
    if line.endswith(":") and line.startswith("/"):
        cur = line[:-1].rstrip("/"); continue
    m = re.match(r"^([-dl?]) +(\d+) +(\d+) (.*)$", line)
    if m:
        name = m.group(4).split(" -> ")[0].replace(" (no key)", "")
        out.append("." + cur + "/" + name)
sys.stdout.write("".join(x + "\n" for x in sorted(out, key=lambda s: s.encode("utf-8", "surrogateescape"))))
PY
      LC_ALL=C sort -o "$tmp/ours-nokey.txt" "$tmp/ours-nokey.txt"
      if ! diff -u "$tmp/kernel-nokey.txt" "$tmp/ours-nokey.txt" > "$tmp/nokey.diff"; then
        head -40 "$tmp/nokey.diff"; echo "FAIL: no-key names differ from the kernel's"; exit 1
      fi
      echo "kernel: $(wc -l < "$tmp/kernel-nokey.txt") no-key paths identical to the kernel's"
      python3 "$src/tests/scripts/fscrypt_add_keys.py" "$mnt" "$keys" >/dev/null
      diff -r --no-dereference "$mnt" "$out"
      echo "kernel: every file, name and symlink identical to what the kernel reads with the keys"
      umount "$mnt"
    else
      echo "kernel comparison not run: mount failed: $(cat "$tmp/mount.err")"
    fi
  else
    echo "kernel comparison not run: $why (the vector comparison above still ran)"
  fi
  checked=$((checked + 1))
done
echo "ext4 images recovered: $checked"
