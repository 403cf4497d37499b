#!/usr/bin/env bash
# `fscrypt-ext-ext4 import` against the live kernel: random host trees written encrypted into fresh
# ext4 images (1 KiB and 4 KiB blocks) under five policy shapes (v2 PAD_32; PAD_4|IV_INO_LBLK_64;
# PAD_16|IV_INO_LBLK_32; PAD_8 with 512-byte data units; v1 PAD_32) with random modes and keys,
# and one directory of 2000 long names on 1 KiB blocks (a two-level htree).
# Each run: import, `e2fsck -fn` clean, `fscrypt-ext-ext4 check` clean, the offline reader (ls -R, extract) gives the tree back,
# the kernel mounts the image and, once the key is added (FS_IOC_ADD_ENCRYPTION_KEY), reads every
# name, mode, owner, mtime, file and symlink target back identical; a second import inherits the
# policy of an encrypted parent; the kernel then adds files and directories in every written
# directory (and many in the htree one); after unmounting `e2fsck -fn` is still clean. Also the
# refusals: no encrypt feature, IV_INO_LBLK_* without stable_inodes, a mounted image, an existing
# DEST, a different policy under an encrypted parent, 128-byte inodes, and a failed import that
# leaves nothing behind.
# Usage (ctest): bash test-import-kernel.sh BUILD_DIR SOURCE_DIR
# Skips (exit 77) without root, loop devices, e2fsprogs or ext4 encryption in the kernel.
# FSCRYPT_IMPORT_SEED=N replays a run's trees, keys and modes (nonces are fresh every time).
set -u -o pipefail

BUILD_DIR=${1:?usage: test-import-kernel.sh BUILD_DIR SOURCE_DIR}
SRC_DIR=${2:?usage: test-import-kernel.sh BUILD_DIR SOURCE_DIR}
TOOL=$BUILD_DIR/tools/ext4/fscrypt-ext-ext4
CLI=$BUILD_DIR/tools/fscrypt-ext
HELPER=$SRC_DIR/tests/scripts/import_helper.py
ADDKEYS=$SRC_DIR/tests/scripts/fscrypt_add_keys.py
SEED=${FSCRYPT_IMPORT_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
START=$SECONDS

skip() { echo "SKIP: $*"; exit 77; }

[ "$(uname -s)" = Linux ] || skip "not Linux"
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, mount, FS_IOC_ADD_ENCRYPTION_KEY); running as uid $(id -u)"
[ -e /dev/loop-control ] || skip "no /dev/loop-control (loop devices unavailable)"
for t in mkfs.ext4 e2fsck debugfs dumpe2fs losetup mount umount mountpoint lsattr python3; do
	command -v "$t" > /dev/null || skip "$t not found"
done
[ -x "$TOOL" ] || { echo "FAIL: $TOOL not built (libext2fs-dev missing?)"; exit 1; }
[ -x "$CLI" ] || { echo "FAIL: $CLI not built"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fscrypt-import.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
LOOP=""
MNT="$WORK/mnt"
mkdir "$MNT"

cleanup() {
	if mountpoint -q "$MNT"; then
		umount "$MNT" 2> /dev/null || { sleep 1; umount "$MNT"; } || umount -l "$MNT"
	fi
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2> /dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

CASE="setup"
fail() {
	echo "FAIL [$CASE]: $*"
	echo "replay with: FSCRYPT_IMPORT_SEED=$SEED bash $0 $BUILD_DIR $SRC_DIR"
	exit 1
}

mount_img() {
	LOOP=$(losetup -f --show "$1") || fail "losetup $1"
	mount "$LOOP" "$MNT" 2> "$WORK/mount.log" || fail "kernel refused to mount $1: $(cat "$WORK/mount.log")"
}

umount_img() {
	umount "$MNT" || fail "umount"
	losetup -d "$LOOP" || fail "losetup -d"
	LOOP=""
}

fsck_clean() {
	e2fsck -fn "$1" > "$WORK/fsck.log" 2>&1 || fail "e2fsck -fn not clean ($2):
$(cat "$WORK/fsck.log")"
}

# A random 64-byte key (hex) and its v2 identifier from the library's CLI.
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
identifier() { "$CLI" key --key-file "$1" --key-hex --json | sed -n 's/.*"identifier": *"\([0-9a-f]*\)".*/\1/p'; }

# Kernel support probe: an ext4 image with the encrypt feature must mount.
truncate -s 16M "$WORK/probe.img"
mkfs.ext4 -q -F -I 256 -O encrypt "$WORK/probe.img" > /dev/null 2>&1 || skip "mkfs.ext4 -O encrypt failed (e2fsprogs too old?)"
LOOP=$(losetup -f --show "$WORK/probe.img") || skip "losetup failed (no free loop device or not allowed)"
mount "$LOOP" "$MNT" 2> /dev/null || { losetup -d "$LOOP"; LOOP=""; skip "cannot mount an ext4 loop image here"; }
umount "$MNT"
losetup -d "$LOOP"
LOOP=""
echo "seed $SEED"

# Which mode pairs this kernel's crypto API has: a one-file import per pair, read by the kernel.
# ENOPKG ("Package not installed") means the mode is missing; such pairs are checked offline only.
ALL_PAIRS="AES-256-XTS/AES-256-CTS AES-256-XTS/AES-256-HCTR2 AES-128-CBC-ESSIV/AES-128-CTS Adiantum/Adiantum"
KERNEL_PAIRS=""
OFFLINE_PAIRS=""
probe_pairs() {
	local p="$WORK/probe" i=0 pair key id
	mkdir -p "$p/src"
	echo probe > "$p/src/f"
	ln -s f "$p/src/l"
	key=$(random_hex 64)
	printf '{"keys": [{"master_key": "%s"}]}\n' "$key" > "$p/keys.json"
	printf '%s' "$key" > "$p/key.hex"
	id=$(identifier "$p/key.hex")
	[ -n "$id" ] || fail "no key identifier from $CLI key"
	for pair in $ALL_PAIRS; do
		i=$((i + 1))
		"$TOOL" "$WORK/probe.img" --keys "$p/keys.json" import "$p/src" "/p$i" \
			--policy "v2 contents=${pair%/*} filenames=${pair#*/} flags=PAD_32 key=$id" > "$p/log" 2>&1 ||
			fail "probe import with $pair: $(cat "$p/log")"
	done
	mount_img "$WORK/probe.img"
	python3 "$ADDKEYS" "$MNT" "$p/keys.json" > "$p/log" 2>&1 || fail "FS_IOC_ADD_ENCRYPTION_KEY: $(cat "$p/log")"
	i=0
	for pair in $ALL_PAIRS; do
		i=$((i + 1))
		# Without the mode the kernel lists no-key names; opening one says ENOPKG, not ENOKEY.
		ls -A "$MNT/p$i" > "$p/list" 2> "$p/err" || fail "kernel cannot list a $pair probe directory: $(cat "$p/err")"
		if grep -qx f "$p/list" && [ "$(cat "$MNT/p$i/f" 2> "$p/err")" = probe ]; then
			KERNEL_PAIRS="$KERNEL_PAIRS $pair"
		elif ! grep -qx f "$p/list" &&
			{ while read -r n; do cat "$MNT/p$i/$n"; readlink "$MNT/p$i/$n"; done < "$p/list"; } > /dev/null 2> "$p/err";
			grep -q "Package not installed" "$p/err"; then
			OFFLINE_PAIRS="$OFFLINE_PAIRS $pair"
		else
			fail "kernel cannot read a $pair probe file: $(cat "$p/list" "$p/err")"
		fi
	done
	umount_img
	echo "kernel has:$KERNEL_PAIRS; offline only:${OFFLINE_PAIRS:- none}"
}
CASE="mode probe"
probe_pairs

# One run: $1 name, $2 block size, $3 mkfs features, $4 policy version (1|2), $5 flags text,
# $6 "kernel" or "offline" (the kernel lacks the modes: the offline reader checks alone), $7.. mode pairs.
run_case() {
	local name=$1 bs=$2 feat=$3 ver=$4 flags=$5 check=$6
	shift 6
	CASE="$name bs=$bs"
	local dir="$WORK/$name-$bs" img="$WORK/$name-$bs/img" policy p pairs=() res
	for p in "$@"; do
		case " $([ "$check" = kernel ] && echo "$KERNEL_PAIRS" || echo "$OFFLINE_PAIRS") " in *" $p "*) pairs+=("$p") ;; esac
	done
	[ "${#pairs[@]}" -gt 0 ] || fail "no mode pair left to test"
	if [ "$name" = wide ]; then
		policy=$(python3 "$HELPER" prepare-wide "$dir" "$(cksum <<< "$SEED-$name-$bs" | cut -d' ' -f1)" "$ver" "$flags" "${pairs[@]}")
	else
		policy=$(python3 "$HELPER" prepare "$dir" "$(cksum <<< "$SEED-$name-$bs" | cut -d' ' -f1)" "$bs" "$ver" "$flags" "${pairs[@]}")
	fi ||
		fail "tree generator: $policy"
	CASE="$name bs=$bs policy=[$policy]"
	truncate -s 128M "$img"
	mkfs.ext4 -q -F -b "$bs" -I 256 -O "$feat" "$img" > "$dir/mkfs.log" 2>&1 || fail "mkfs.ext4 -b $bs -O $feat: $(cat "$dir/mkfs.log")"

	"$TOOL" "$img" --keys "$dir/keys.json" import "$dir/src" /dest --policy "$policy" > "$dir/import.log" 2>&1 ||
		fail "import: $(cat "$dir/import.log")"
	fsck_clean "$img" "after import"
	if [ "$name" = wide ]; then
		debugfs -R "htree /dest" "$img" 2> /dev/null | grep -q "Indirect levels: 1" ||
			fail "the 2000-entry directory is not a two-level htree: $(debugfs -R "htree /dest" "$img" 2>&1 | head -8)"
	fi
	# The strict offline check (canonical padding, policies, nonces, every file decrypted).
	"$TOOL" "$img" --keys "$dir/keys.json" check > "$dir/check.log" 2>&1 || fail "fscrypt-ext-ext4 check: $(tail -5 "$dir/check.log")"

	# The offline reader reads the written tree back.
	"$TOOL" "$img" --keys "$dir/keys.json" ls -R /dest > "$dir/ls.out" 2>&1 || fail "offline ls -R: $(tail -3 "$dir/ls.out")"
	"$TOOL" "$img" --keys "$dir/keys.json" extract /dest "$dir/out" > "$dir/extract.log" 2>&1 ||
		fail "offline extract: $(tail -3 "$dir/extract.log")"
	diff -r --no-dereference "$dir/src" "$dir/out/dest" > "$dir/diff.log" 2>&1 ||
		fail "offline extract differs: $(head -5 "$dir/diff.log")"

	# A second import under an encrypted (linear) directory inherits its policy.
	mkdir -p "$dir/small/inner" "$dir/inh/d"
	echo small > "$dir/small/inner/f"
	echo inherited > "$dir/inh/file"
	ln -s file "$dir/inh/d/link"
	head -c 5000 /dev/urandom > "$dir/inh/d/blob"
	"$TOOL" "$img" --keys "$dir/keys.json" import "$dir/small" /small --policy "$policy" > "$dir/import2.log" 2>&1 ||
		fail "import /small: $(cat "$dir/import2.log")"
	"$TOOL" "$img" --keys "$dir/keys.json" import "$dir/inh" /small/inherited > "$dir/import3.log" 2>&1 ||
		fail "import under an encrypted parent (inherit): $(cat "$dir/import3.log")"
	fsck_clean "$img" "after the inheriting import"
	"$TOOL" "$img" --keys "$dir/keys.json" extract /small/inherited "$dir/out2" > "$dir/extract.log" 2>&1 ||
		fail "offline extract of the inherited import: $(tail -3 "$dir/extract.log")"
	diff -r --no-dereference "$dir/inh" "$dir/out2/inherited" > "$dir/diff.log" 2>&1 ||
		fail "offline extract of the inherited import differs: $(head -5 "$dir/diff.log")"
	if [ "$check" = offline ]; then
		echo "ok  $CASE: offline reader only (the kernel lacks these modes)"
		rm -rf "$dir"
		return
	fi

	mount_img "$img"
	lsattr -d "$MNT/dest" 2> /dev/null | grep -q E || fail "kernel does not see /dest as encrypted"
	diff -r --no-dereference "$dir/inh" "$MNT/small/inherited" > "$dir/diff.log" 2>&1 &&
		fail "the kernel reads /small/inherited without its key"
	res=$(python3 "$HELPER" kernel "$MNT" dest "$dir/src" "$dir/keys.json" 2>&1) || fail "kernel check: $res"
	diff -r --no-dereference "$dir/inh" "$MNT/small/inherited" > "$dir/diff.log" 2>&1 ||
		fail "kernel reads the inherited import differently: $(head -5 "$dir/diff.log")"
	echo kernel > "$MNT/small/inherited/d/zz-new" || fail "kernel cannot add to the inherited import"
	umount_img
	fsck_clean "$img" "after the kernel added entries"
	echo "ok  $CASE: $(head -1 "$dir/import.log" | sed 's/ in [0-9.]* s.*//'); $res"
	rm -rf "$dir"
}

for bs in 1024 4096; do
	# shellcheck disable=SC2086
	run_case v2-pad32 "$bs" encrypt 2 PAD_32 kernel $ALL_PAIRS
	run_case v2-pad4-iv64 "$bs" encrypt,stable_inodes 2 "PAD_4|IV_INO_LBLK_64" kernel \
		AES-256-XTS/AES-256-CTS AES-256-XTS/AES-256-HCTR2
	run_case v2-pad16-iv32 "$bs" encrypt,stable_inodes 2 "PAD_16|IV_INO_LBLK_32" kernel \
		AES-256-XTS/AES-256-CTS AES-128-CBC-ESSIV/AES-128-CTS
	run_case v2-pad8-du512 "$bs" encrypt 2 "PAD_8 data_unit=512" kernel AES-256-XTS/AES-256-CTS AES-256-XTS/AES-256-HCTR2
	run_case v1-pad32 "$bs" encrypt 1 PAD_32 kernel AES-256-XTS/AES-256-CTS AES-128-CBC-ESSIV/AES-128-CTS Adiantum/Adiantum
done
# 2000 long names on 1 KiB blocks: an htree with an index level below the root.
run_case wide 1024 encrypt 2 PAD_32 kernel AES-256-XTS/AES-256-CTS
# Modes the kernel here lacks are written all the same and read back with the library.
for p in $OFFLINE_PAIRS; do
	run_case "offline-${p%%/*}" 4096 encrypt 2 "PAD_16" offline "$p"
done

# ---- refusals ----
CASE="refusals"
R="$WORK/refuse"
mkdir -p "$R/src"
echo x > "$R/src/f"
key=$(random_hex 64)
printf '{"keys": [{"master_key": "%s"}]}\n' "$key" > "$R/keys.json"
printf '%s' "$key" > "$R/key.hex"
id=$(identifier "$R/key.hex")
[ -n "$id" ] || fail "no key identifier from $CLI key"
pol="v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32 key=$id"

expect_refusal() { # $1 image, $2 what, $3 grep pattern in stderr, $4.. import args
	local img=$1 what=$2 pat=$3 rc
	shift 3
	"$TOOL" "$img" --keys "$R/keys.json" import "$@" > "$R/out.log" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "$what: expected exit 2, got $rc: $(cat "$R/out.log")"
	grep -q -- "$pat" "$R/out.log" || fail "$what: message does not say '$pat': $(cat "$R/out.log")"
}

truncate -s 32M "$R/plain.img"
mkfs.ext4 -q -F -I 256 "$R/plain.img" > /dev/null 2>&1
expect_refusal "$R/plain.img" "no encrypt feature" "tune2fs -O encrypt" "$R/src" /d --policy "$pol"
truncate -s 32M "$R/enc.img"
mkfs.ext4 -q -F -I 256 -O encrypt "$R/enc.img" > /dev/null 2>&1
expect_refusal "$R/enc.img" "IV_INO_LBLK_64 without stable_inodes" "stable_inodes" "$R/src" /d \
	--policy "v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32|IV_INO_LBLK_64 key=$id"
expect_refusal "$R/enc.img" "no policy under a plain parent" "policy" "$R/src" /d
"$TOOL" "$R/enc.img" --keys "$R/keys.json" import "$R/src" /d --policy "$pol" > "$R/out.log" 2>&1 || fail "import: $(cat "$R/out.log")"
expect_refusal "$R/enc.img" "existing DEST" "already exists" "$R/src" /d --policy "$pol"
expect_refusal "$R/enc.img" "different policy under an encrypted parent" "another policy" "$R/src" /d/e \
	--policy "v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_16 key=$id"
mount_img "$R/enc.img"
expect_refusal "$R/enc.img" "mounted image" "mounted" "$R/src" /d2 --policy "$pol"
umount_img
truncate -s 32M "$R/small-inode.img"
mkfs.ext4 -q -F -I 128 -O encrypt "$R/small-inode.img" > /dev/null 2>&1
expect_refusal "$R/small-inode.img" "128-byte inodes" "256" "$R/src" /d --policy "$pol"
# A failed import (a symlink target too long for 1 KiB blocks) frees what it wrote.
mkdir -p "$R/bad/sub"
for i in $(seq 1 20); do head -c 3000 /dev/urandom > "$R/bad/sub/f$i"; done
ln -s "$(printf 'y%.0s' $(seq 1 1500))" "$R/bad/zz-too-long"
truncate -s 32M "$R/k1.img"
mkfs.ext4 -q -F -b 1024 -I 256 -O encrypt "$R/k1.img" > /dev/null 2>&1
free_before=$(dumpe2fs -h "$R/k1.img" 2> /dev/null | grep -E '^Free (blocks|inodes):')
"$TOOL" "$R/k1.img" --keys "$R/keys.json" import "$R/bad" /bad --policy "$pol" > "$R/out.log" 2>&1 &&
	fail "import of a 1500-byte symlink target on 1 KiB blocks succeeded"
grep -q "nothing was linked" "$R/out.log" || fail "failed import does not say what was left: $(cat "$R/out.log")"
fsck_clean "$R/k1.img" "after a failed import"
free_after=$(dumpe2fs -h "$R/k1.img" 2> /dev/null | grep -E '^Free (blocks|inodes):')
[ "$free_before" = "$free_after" ] || fail "failed import leaked space: before [$free_before] after [$free_after]"
echo "ok  refusals (no encrypt, stable_inodes, no policy, existing DEST, other policy, mounted, 128-byte inodes, rollback)"

echo "PASS: import checked against the kernel in $((SECONDS - START)) s (seed $SEED)"
