#!/usr/bin/env bash
# fscrypt-ext-ext4 mount (FUSE) against the bundled kernel-written image: with the keys, every
# file, name and symlink equals what `extract` restores and, where a loop mount is allowed, what
# the kernel itself shows; without keys, the no-key names equal the kernel's and files are refused
# with ENOKEY; writes fail with EROFS; random-offset and concurrent reads decrypt correctly;
# --foreground, fusermount3 -u and (where possible) an unprivileged mount work.
# Usage: test-mount.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped, with the reason)
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; fi
build=$1 src=$2
tool="$build/tools/ext4/fscrypt-ext-ext4"
[ -x "$tool" ] || { echo "FAIL: $tool not built"; exit 1; }
"$tool" --help | grep -q "mount MOUNTPOINT" || { echo "SKIP: fscrypt-ext-ext4 built without the mount command (-DFSCRYPT_EXT_FUSE=OFF)"; exit 77; }
[ -c /dev/fuse ] || { echo "SKIP: no /dev/fuse on this machine"; exit 77; }
command -v fusermount3 >/dev/null || { echo "SKIP: fusermount3 is not installed (Debian package fuse3)"; exit 77; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do mountpoint -q "$m" 2>/dev/null && { fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; }; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

img="$tmp/fs.img" keys="$src/tests/data/ext4-linux-6.18-seed1.keys.json"
zstd -q -d -f "$src/tests/data/ext4-linux-6.18-seed1.img.zst" -o "$img"
chmod 644 "$img"
"$tool" "$img" --keys "$keys" extract / "$tmp/out"

# 1. With keys: the mount equals the extracted tree (names, contents, symlink targets, types).
m="$tmp/m"; mkdir "$m"; mounts+=("$m")
"$tool" "$img" --keys "$keys" mount "$m"
mountpoint -q "$m" || fail "mount returned but $m is not mounted"
diff -r --no-dereference "$m" "$tmp/out" || fail "the mount differs from the extracted tree"
nfiles=$(find "$m" -type f | wc -l); nlinks=$(find "$m" -type l | wc -l); ndirs=$(find "$m" -type d | wc -l)
[ "$nfiles" -gt 0 ] && [ "$nlinks" -gt 0 ] || fail "nothing mounted ($nfiles files, $nlinks symlinks)"
echo "mount with keys: $nfiles files, $nlinks symlinks, $ndirs directories identical to extract"
# Symlink sizes are the target lengths, as the kernel reports them.
while IFS= read -r -d '' l; do
  [ "$(stat -c %s "$l")" = "$(readlink "$l" | tr -d '\n' | wc -c)" ] || fail "st_size of symlink $l is not its target's length"
done < <(find "$m" -type l -print0)

# 2. Writes fail with EROFS.
f=$(find "$m" -type f -print -quit); d=$(dirname "$f")
for what in "touch $m/new" "mkdir $m/newdir" "rm -f $f" "ln -s x $d/newlink" "truncate -s 0 $f" "mv $f $f.2" "setfattr -n user.x -v 1 $f"; do
  command -v "${what%% *}" >/dev/null || continue
  if out=$($what 2>&1); then fail "'$what' succeeded on the read-only mount"; fi
  echo "$out" | grep -q "Read-only file system" || fail "'$what' failed without EROFS: $out"
done
sh -c "echo x >> '$f'" 2>"$tmp/err" && fail "appending succeeded"
grep -q "Read-only file system" "$tmp/err" || fail "appending failed without EROFS: $(cat "$tmp/err")"
echo "writes: refused with EROFS"

# 3. Random-offset reads, and many readers at once.
python3 - "$m" "$tmp/out" <<'PY'
import os, random, sys
mnt, ref = sys.argv[1], sys.argv[2]
rng = random.Random(1234)
files = [os.path.relpath(os.path.join(d, f), mnt) for d, _, fs in os.walk(mnt) for f in fs
         if not os.path.islink(os.path.join(d, f))]
n = 0
for rel in files:
    want = open(os.path.join(ref, rel), "rb").read()
    fd = os.open(os.path.join(mnt, rel), os.O_RDONLY)
    try:
        for _ in range(20):
            off = rng.randrange(0, len(want) + 5000)
            ln = rng.choice([1, 15, 16, 17, 511, 512, 4095, 4096, 4097, 65536])
            got = os.pread(fd, ln, off)
            assert got == want[off:off + ln], f"{rel}: pread({ln}, {off}) differs"
            n += 1
    finally:
        os.close(fd)
print(f"random reads: {n} preads at random offsets over {len(files)} files decrypt correctly")
PY
(cd "$tmp/out" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) > "$tmp/want.sums"
(cd "$m" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -P 8 -n 4 sha256sum | LC_ALL=C sort -k2) > "$tmp/got.sums"
LC_ALL=C sort -k2 -o "$tmp/want.sums" "$tmp/want.sums"
diff "$tmp/want.sums" "$tmp/got.sums" >/dev/null || fail "concurrent reads differ"
echo "concurrent reads: $(wc -l < "$tmp/got.sums") files read by 8 readers at once, identical"

# 4. The kernel as the oracle, where loop mounts are allowed.
if [ "$(id -u)" = 0 ] && [ -e /dev/loop-control ]; then
  k="$tmp/k"; mkdir "$k"; mounts+=("$k")
  if mount -o loop,ro "$img" "$k" 2>"$tmp/kmount.err"; then
    m2="$tmp/m2"; mkdir "$m2"; mounts+=("$m2")
    "$tool" "$img" mount "$m2"
    (cd "$k" && find . -mindepth 1 | LC_ALL=C sort) > "$tmp/kernel-nokey.txt"
    (cd "$m2" && find . -mindepth 1 | LC_ALL=C sort) > "$tmp/ours-nokey.txt"
    diff -u "$tmp/kernel-nokey.txt" "$tmp/ours-nokey.txt" || fail "no-key names differ from the kernel's"
    echo "kernel: $(wc -l < "$tmp/ours-nokey.txt") no-key paths identical to the kernel's"
    # Without the key a file is refused as the kernel refuses it, and a symlink shows its no-key target.
    enc=$(cd "$k" && find . -type f -path './v2_xts_cts_pad32/*' -print -quit)
    if cat "$m2/$enc" >/dev/null 2>"$tmp/err"; then fail "a file without its key was readable"; fi
    grep -q "Required key not available" "$tmp/err" || fail "no-key read failed without ENOKEY: $(cat "$tmp/err")"
    kl=$(cd "$k" && find . -type l -path './v2_*' -print -quit)
    [ -n "$kl" ] && { [ "$(readlink "$k/$kl")" = "$(readlink "$m2/$kl")" ] || fail "no-key symlink target of $kl differs from the kernel's"; }
    fusermount3 -u "$m2"
    python3 "$src/tests/scripts/fscrypt_add_keys.py" "$k" "$keys" >/dev/null
    diff -r --no-dereference "$k" "$m" || fail "the mount differs from the kernel's view with the keys"
    echo "kernel: every file, name and symlink identical to what the kernel reads with the keys"
    umount "$k"
  else
    echo "kernel comparison not run: loop mount failed: $(cat "$tmp/kmount.err")"
  fi
else
  echo "kernel comparison not run: needs root and loop devices (the extract comparison above still ran)"
fi

# 5. Unmount: fusermount3 -u ends the daemon.
pid=$(pgrep -f -n "fscrypt-ext-ext4 $img --keys $keys mount $m" || true)
fusermount3 -u "$m"
mountpoint -q "$m" && fail "still mounted after fusermount3 -u"
if [ -n "$pid" ]; then
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "the daemon (pid $pid) did not exit after the unmount"
fi
echo "unmount: fusermount3 -u unmounted and the daemon exited"

# 6. --foreground stays attached and returns 0 after the unmount.
"$tool" "$img" --keys "$keys" mount "$m" --foreground &
fg=$!
for _ in $(seq 100); do mountpoint -q "$m" && break; sleep 0.1; done
mountpoint -q "$m" || fail "--foreground did not mount"
cmp "$m/v2_xts_cts_pad32/.hidden" "$tmp/out/v2_xts_cts_pad32/.hidden" || fail "--foreground read differs"
fusermount3 -u "$m"
wait "$fg" || fail "--foreground exited non-zero after the unmount"
echo "foreground: mounted, read, unmounted, exit 0"

# 7. Usage errors: -o rw is refused, a missing mount point is reported before returning.
"$tool" "$img" mount "$m" -o rw 2>/dev/null && fail "-o rw was accepted"
if "$tool" "$img" mount "$tmp/does-not-exist" 2>"$tmp/err"; then fail "mount on a missing directory succeeded"; fi
[ -s "$tmp/err" ] || fail "mount on a missing directory said nothing"
echo "usage: -o rw refused; a bad mount point reported"

# 8. An unprivileged user, through the setuid fusermount3.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null && [ -u "$(command -v fusermount3)" ] \
   && ! setpriv --reuid=nobody --regid=nogroup --clear-groups /bin/true 2>/dev/null; then
  echo "unprivileged mount not checked: this machine does not let 'nobody' run programs (setpriv ... /bin/true fails)"
elif [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null && [ -u "$(command -v fusermount3)" ]; then
  u="$tmp/unpriv"; mkdir "$u"; chown nobody "$u"; mounts+=("$u")
  cp "$keys" "$tmp/keys.json"; chown nobody "$tmp/keys.json"; chmod 600 "$tmp/keys.json"
  # A copy of the tool and its library where 'nobody' can read them (the build tree may not be).
  mkdir "$tmp/bin"; cp "$tool" "$tmp/bin/"; cp -P "$build"/libfscrypt-ext.so* "$tmp/bin/"; chmod -R a+rX "$tmp/bin"
  if LD_LIBRARY_PATH="$tmp/bin" setpriv --reuid=nobody --regid=nogroup --clear-groups "$tmp/bin/fscrypt-ext-ext4" "$img" --keys "$tmp/keys.json" mount "$u" 2>"$tmp/err"; then
    n=$(setpriv --reuid=nobody --regid=nogroup --clear-groups find "$u" -type f | wc -l)
    [ "$n" = "$nfiles" ] || fail "the unprivileged mount shows $n files, not $nfiles"
    setpriv --reuid=nobody --regid=nogroup --clear-groups fusermount3 -u "$u" || fail "unprivileged unmount failed"
    echo "unprivileged: mounted by 'nobody' through fusermount3, $n files, unmounted by 'nobody'"
  else
    echo "unprivileged mount not checked: $(cat "$tmp/err")"
  fi
else
  echo "unprivileged mount not checked: needs root to switch to 'nobody', setpriv and a setuid fusermount3"
fi
echo "mount: all checks passed"
