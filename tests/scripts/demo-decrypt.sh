#!/usr/bin/env bash
# Demo and test of examples/decrypt_file: decrypts kernel-written file data taken from the
# bundled kernel vectors (context, key, raw ciphertext) and compares with what the kernel was given.
# Usage: demo-decrypt.sh BUILD_DIR SOURCE_DIR [COUNT]
set -euo pipefail
build=$1 src=$2 count=${3:-8}
exe="$build/examples/decrypt_file"
[ -x "$exe" ] || { echo "demo: $exe not built"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$src/tests/vectors/kernel" "$tmp" "$count" <<'PY'
import json, os, sys, glob
src, tmp, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0
for path in sorted(glob.glob(os.path.join(src, "*.json"))):
    for v in json.load(open(path))["vectors"]:
        if v["type"] != "contents" or int(v["file_offset"]) != 0 or n >= count:
            continue
        d = os.path.join(tmp, "case%d" % n); os.mkdir(d)
        open(os.path.join(d, "key"), "wb").write(bytes.fromhex(v["master_key"]))
        open(os.path.join(d, "raw"), "wb").write(bytes.fromhex(v["ciphertext"]))
        open(os.path.join(d, "expected"), "wb").write(bytes.fromhex(v["plaintext"]))
        open(os.path.join(d, "args"), "w").write("%s %s %s %s %d\n" % (v["context"], v["ino"], v["fs_uuid"], v["block_size"], len(v["plaintext"]) // 2))
        n += 1
print("demo: %d kernel-written files" % n)
PY
fail=0
for d in "$tmp"/case*; do
  read -r ctx ino uuid bs size < "$d/args"
  if "$exe" "$ctx" "$d/key" "$ino" "$uuid" "$bs" "$size" < "$d/raw" > "$d/out" && cmp -s "$d/out" "$d/expected"; then
    echo "demo: inode $ino, context ${ctx:0:10}..., $size bytes: decrypted exactly as written by the kernel"
  else
    echo "demo: inode $ino, context $ctx: MISMATCH"; fail=1
  fi
done
exit $fail
