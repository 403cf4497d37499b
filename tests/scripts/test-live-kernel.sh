#!/usr/bin/env bash
# Live-kernel cross-check: the running kernel's fscrypt (ext4 on a loop device) against the library.
#
# Usage (ctest): bash test-live-kernel.sh BUILD_DIR SOURCE_DIR
#  1. policy sweep: every v1/v2 policy struct of the issue's space is offered to
#     FS_IOC_SET_ENCRYPTION_POLICY on ext4 with and without stable_inodes; the
#     answers go through `fscrypt-ext kat` (type "policy").
#  2. data: files, names and symlinks written through the kernel under several
#     policies with random keys are read back raw (debugfs, the image) and
#     decrypted/encrypted by `fscrypt-ext kat`.
# Skips (exit 77) without root, loop devices, the e2fsprogs tools, or ext4 encryption.
# FSCRYPT_LIVE_SEED=N replays a run's keys, names and contents (nonces are the kernel's).
set -u -o pipefail

BUILD_DIR=${1:?usage: test-live-kernel.sh BUILD_DIR SOURCE_DIR}
ARGS="$*"
TOOL=$BUILD_DIR/tools/fscrypt-ext
LIVE=$BUILD_DIR/tests/live/fscrypt-live
SEED=${FSCRYPT_LIVE_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
START=$SECONDS

skip() { echo "SKIP: $*"; exit 77; }

[ "$(uname -s)" = Linux ] || skip "not Linux"
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, mount, fscrypt ioctls); running as uid $(id -u)"
[ -e /dev/loop-control ] || skip "no /dev/loop-control (loop devices unavailable)"
for t in mkfs.ext4 debugfs losetup mount umount mountpoint; do
	command -v "$t" > /dev/null || skip "$t not found"
done
[ -x "$LIVE" ] || { echo "FAIL: helper $LIVE not built"; exit 1; }
[ -x "$TOOL" ] || { echo "FAIL: tool $TOOL not built"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fscrypt-live.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
LOOPS=()
KEEP=0

cleanup() {
	local m d
	for m in "$WORK"/mnt-*; do
		[ -d "$m" ] || continue
		if mountpoint -q "$m"; then
			umount "$m" 2> /dev/null || { sleep 1; umount "$m"; } || umount -l "$m"
		fi
	done
	for d in "${LOOPS[@]}"; do
		losetup -d "$d" 2> /dev/null
	done
	if [ "$KEEP" = 1 ]; then
		mkdir -p "$BUILD_DIR/live-kernel-failed"
		cp -r "$WORK"/plan "$WORK"/*.json "$WORK"/sweep-* "$BUILD_DIR/live-kernel-failed/" 2> /dev/null
		echo "kept the plan and vector files in $BUILD_DIR/live-kernel-failed/"
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
	echo "FAIL: $*"
	echo "replay with: FSCRYPT_LIVE_SEED=$SEED bash $0 $ARGS"
	if [ -f "$WORK/plan" ]; then
		echo "master keys of this run (seed $SEED):"
		grep '^key ' "$WORK/plan" | sed 's/^/  /'
	fi
	KEEP=1
	exit 1
}

# Until the first ext4 with encryption is mounted, a refusal means "this machine cannot": skip.
# After that the same steps must work, so a refusal is a failure.
PROBED=0
cannot() { if [ "$PROBED" = 1 ]; then fail "$*"; else skip "$*"; fi; }

# mkfs + attach + mount one image; sets MNT and CUR_DEV.
mount_new_fs() { # NAME FEATURES
	local img=$WORK/$1.img
	MNT=$WORK/mnt-$1
	mkdir -p "$MNT"
	truncate -s 64M "$img" || fail "truncate $img"
	mkfs.ext4 -q -F -b 4096 -O "$2" "$img" > "$WORK/mkfs.log" 2>&1 || cannot "mkfs.ext4 -O $2 failed: $(cat "$WORK/mkfs.log")"
	remount "$1"
}

remount() { # NAME (image already made)
	local img=$WORK/$1.img dev
	MNT=$WORK/mnt-$1
	dev=$(losetup -f --show "$img" 2> "$WORK/losetup.log") || cannot "losetup failed: $(cat "$WORK/losetup.log")"
	LOOPS+=("$dev")
	mount -t ext4 "$dev" "$MNT" 2> "$WORK/mount.log" ||
		cannot "mounting an ext4 with -O encrypt on $dev failed: $(cat "$WORK/mount.log")"
	CUR_DEV=$dev
}

unmount() {
	local d keep=()
	umount "$MNT" || fail "umount $MNT"
	losetup -d "$CUR_DEV" 2> /dev/null
	for d in "${LOOPS[@]}"; do
		[ "$d" = "$CUR_DEV" ] || keep+=("$d")
	done
	LOOPS=("${keep[@]}")
}

# Runs fscrypt-ext kat on files; fails loudly with its output unless 0 failed and 0 skipped.
run_kat() { # LABEL [KAT OPTIONS] FILE...
	local label=$1 out=$WORK/kat-$1.log last
	shift
	"$TOOL" kat "$@" > "$out" 2>&1
	local rc=$?
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$out" | tail -n 1)
	if [ $rc -ne 0 ] || [ -z "$last" ] || ! [[ $last =~ ^([0-9]+)\ passed,\ 0\ failed,\ 0\ skipped ]]; then
		echo "---- fscrypt-ext kat ($label) output (exit $rc), first 150 lines:"
		head -n 150 "$out"
		echo "---- last 20 lines:"
		tail -n 20 "$out"
		fail "kat on the $label vectors: ${last:-no summary line}"
	fi
	KAT_PASSED=${BASH_REMATCH[1]}
	echo "kat $label: $last"
}

echo "live-kernel cross-check on $(uname -r), seed $SEED, work dir $WORK"

# 0. Does this kernel do fscrypt on ext4 at all?
mount_new_fs stable encrypt,stable_inodes
mkdir "$MNT/probe" || fail "mkdir"
probe=$("$LIVE" set-policy "$MNT/probe" 000104030011223344556677 2>&1) ||
	case $probe in
	*"Operation not supported"* | *"Inappropriate ioctl"*) skip "this kernel has no fscrypt for ext4: $probe" ;;
	*) fail "probe v1 policy refused: $probe" ;;
	esac
rmdir "$MNT/probe"
PROBED=1

# 1. Policy sweeps: ext4 with stable_inodes, then without.
mkdir -p "$WORK/sweep-stable" "$WORK/sweep-unstable"
"$LIVE" policy-sweep "$MNT" "$WORK/sweep-stable" 1 | tee "$WORK/sweep-stable.log" || fail "policy sweep (stable_inodes)"
unmount
mount_new_fs unstable encrypt
"$LIVE" policy-sweep "$MNT" "$WORK/sweep-unstable" 0 | tee "$WORK/sweep-unstable.log" || fail "policy sweep (no stable_inodes)"
unmount
swept=0 accepted=0
for f in "$WORK"/sweep-*.log; do
	read -r n a < <(sed -n 's/^sweep: \([0-9]*\) structs, \([0-9]*\) accepted.*/\1 \2/p' "$f")
	swept=$((swept + n)) accepted=$((accepted + a))
done

# 2. Data written by the kernel, read back raw.
mount_new_fs data encrypt,stable_inodes
"$LIVE" populate "$MNT" "$WORK/plan" "$SEED" || fail "populate"
unmount
remount data # no keys now: the kernel shows no-key names
"$LIVE" nokey-list "$MNT" "$WORK/plan" || fail "nokey-list"
unmount
VEC=$BUILD_DIR/live-kernel-vectors.json
"$LIVE" extract "$WORK/data.img" "$WORK/plan" "$VEC" | tee "$WORK/extract.log" || fail "extract"
cp "$VEC" "$WORK/data.json"

# 2b. The offline ext4 reader on the same kernel-written image (htree directories, holes, sub-block
# data units, IV_INO_LBLK_*): everything it extracts must equal what the kernel reads with the keys.
EXT4=$BUILD_DIR/tools/ext4/fscrypt-ext-ext4
if [ -x "$EXT4" ]; then
	awk 'BEGIN { printf "{\"keys\": [" }
	     $1 == "key" { printf "%s{\"master_key\": \"%s\", \"policy_version\": %s}", n++ ? ", " : "", $3, substr($4, 2) }
	     END { print "]}" }' "$WORK/plan" > "$WORK/keys.json"
	"$EXT4" "$WORK/data.img" --keys "$WORK/keys.json" extract / "$WORK/offline" > "$WORK/ext4.log" 2>&1 ||
		{ cat "$WORK/ext4.log"; fail "fscrypt-ext-ext4 extract"; }
	remount data
	python3 "${2:?}/tests/scripts/fscrypt_add_keys.py" "$MNT" "$WORK/keys.json" > /dev/null || fail "adding the keys"
	if ! diff -r --no-dereference "$MNT" "$WORK/offline" > "$WORK/ext4-diff.log" 2>&1; then
		head -n 30 "$WORK/ext4-diff.log"
		fail "fscrypt-ext-ext4 output differs from what the kernel reads"
	fi
	unmount
	echo "ext4 reader: $(find "$WORK/offline" | wc -l) paths of the kernel-written image identical to the kernel's view"
	# Without keys, its names must be the kernel's no-key names (recorded by nokey-list above).
	"$EXT4" "$WORK/data.img" ls -R / > "$WORK/ext4-nokey.ls" 2> "$WORK/ext4-nokey.err" ||
		{ head -n 20 "$WORK/ext4-nokey.err"; fail "fscrypt-ext-ext4 ls without keys"; }
	python3 - "$WORK/plan" "$WORK/ext4-nokey.ls" <<'PY' || fail "fscrypt-ext-ext4 no-key names differ from the kernel's"
import re, sys
kernel = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "nokey":
        kernel[int(f[2])] = f[3]
ours = {}
for line in open(sys.argv[2]):
    m = re.match(r"^[-dl?] +(\d+) +\d+ (\S+)", line)
    if m:
        ours[int(m.group(1))] = m.group(2)
bad = [(i, n, ours.get(i)) for i, n in kernel.items() if ours.get(i) != n]
for b in bad[:10]:
    print("inode %d: kernel %s, ours %s" % b)
print("ext4 reader: %d no-key names, %d differ from the kernel's" % (len(kernel), len(bad)))
sys.exit(1 if bad or not kernel else 0)
PY
else
	echo "ext4 reader: not built (no libext2fs), not checked here"
fi

# 3. The library's answers.
run_kat policy-sweep "$WORK"/sweep-stable/*.json "$WORK"/sweep-unstable/*.json
kat_policy=$KAT_PASSED
# Data vectors once per AES backend this CPU runs (as `fscrypt-ext version` lists them).
backends=$("$TOOL" version 2> /dev/null | awk '$2 == "available" { print $1 }')
kat_data=0 ran=""
for be in ${backends:-default}; do
	if [ "$be" = default ]; then
		run_kat data "$VEC"
	else
		run_kat "data@$be" --require-backend "$be" "$VEC"
	fi
	kat_data=$((kat_data + KAT_PASSED)) ran="$ran $be"
done

echo "summary: $swept policy structs swept on 2 filesystems, $accepted accepted by the kernel," \
	"$kat_policy policy vectors agree; $kat_data kernel-written data vector checks (backends:$ran)" \
	"($(sed -n "s/^extract: [0-9]* vectors: \([^;]*\).*/\1/p" "$WORK/extract.log")); $((SECONDS - START)) s"
exit 0
