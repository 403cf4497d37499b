#!/usr/bin/env bash
# One hostile-image class of issue 10: makes a fresh ext4 with mke2fs, turns it hostile with mkhostile
# (checksums recomputed), runs fscrypt-ext-ext4 ls/cat/extract on it with and without the key, and
# asserts the safe outcome: the expected exit status and message, no signal and no sanitizer report,
# no raw control byte in any listing, nothing written outside the output folder, no ciphertext as
# plaintext, and bounded time and output.
# usage: run-hostile.sh BUILD_DIR CLASS
set -uo pipefail
build=${1:?usage: run-hostile.sh BUILD_DIR CLASS} class=${2:?usage: run-hostile.sh BUILD_DIR CLASS}
tool=$build/tools/ext4/fscrypt-ext-ext4
gen=$build/tests/hostile/mkhostile
command -v mke2fs > /dev/null || { echo "SKIP: mke2fs (e2fsprogs) not installed"; exit 77; }
[ -x "$tool" ] && [ -x "$gen" ] || { echo "FAIL: $tool or $gen not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
img=$tmp/image
keys=$tmp/keys.json
work=$tmp/work
mkdir -p "$work"
failures=0

fail() { echo "FAIL [$class]: $*"; failures=$((failures + 1)); }

case $class in
symlink-*) mkfs_opts=(-b 1024 -O inline_data) ;;
casefold-hash) mkfs_opts=(-b 4096 -O encrypt,casefold,^metadata_csum -E encoding=utf8) ;;
*) mkfs_opts=(-b 4096 -O encrypt,inline_data) ;;
esac
mke2fs -q -F -t ext4 "${mkfs_opts[@]}" "$img" 8M > "$tmp/mkfs.log" 2>&1 || { cat "$tmp/mkfs.log"; echo "FAIL: mke2fs"; exit 1; }
"$gen" "$img" "$class" || { echo "FAIL: mkhostile $class"; exit 1; }
printf '{"keys": [{"master_key": "%s"}]}\n' "$(python3 -c 'print(bytes(range(64)).hex())')" > "$keys"

# run NAME WANT_RC CMD... (WANT_RC any: only signals and sanitizers count): stdout to $tmp/NAME.out, stderr to $tmp/NAME.err; checks the exit status,
# signals (timeout 60 s) and sanitizer reports.
run() {
	local name=$1 want=$2 rc
	shift 2
	timeout 60 "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	rc=$?
	if [ "$rc" = 124 ]; then
		fail "$name: did not finish in 60 s"
	elif [ "$rc" -ge 126 ]; then
		fail "$name: killed by a signal or sanitizer (exit $rc)"
	elif [ "$want" != any ] && [ "$rc" != "$want" ]; then
		fail "$name: exit $rc, expected $want"
	fi
	if grep -qE "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:" "$tmp/$name.err"; then
		fail "$name: sanitizer report"
	fi
	if { [ "$want" != any ] && [ "$rc" != "$want" ]; } || grep -qE "Sanitizer|runtime error:" "$tmp/$name.err"; then
		echo "--- $name stderr (first lines):"; head -n 15 "$tmp/$name.err"
	fi
}

# No raw control byte (newline ends lines; everything else must be escaped) in a listing or message.
no_raw_controls() {
	python3 - "$1" <<'PY' || fail "$1: raw control bytes in the output"
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in data if (b < 0x20 and b != 0x0a) or b == 0x7f]
bad += [m for m in range(len(data) - 1) if data[m] == 0xc2 and 0x80 <= data[m + 1] <= 0x9f]
sys.exit(1 if bad else 0)
PY
}

expect_in() { grep -qF -- "$2" "$tmp/$1" || fail "$1 lacks: $2"; }
expect_not_in() { ! grep -qF -- "$2" "$tmp/$1" || fail "$1 holds: $2"; }

# Extraction happens in $work/out next to $work/outside.txt: nothing else under $work may change.
extract_checked() {
	local name=$1 want=$2 out=$work/out-$1
	shift 2
	echo original > "$work/outside.txt"
	(cd "$work" && find . -path "./out-*" -prune -o -printf '%p %y %s\n' | sort) > "$tmp/before"
	run "$name" "$want" "$tool" "$img" "$@" extract / "$out"
	(cd "$work" && find . -path "./out-*" -prune -o -printf '%p %y %s\n' | sort) > "$tmp/after"
	diff -u "$tmp/before" "$tmp/after" > /dev/null || fail "$name: something outside the output folder changed"
	[ "$(cat "$work/outside.txt")" = original ] || fail "$name: outside.txt was overwritten or truncated"
	if grep -rqs PWNED "$work" --exclude-dir="out-*" 2> /dev/null; then fail "$name: PWNED written outside"; fi
	no_raw_controls "$tmp/$name.err"
}

for k in nokey key; do
	kopt=()
	[ $k = key ] && kopt=(--keys "$keys")
	run "ls-$k" any "$tool" "$img" "${kopt[@]}" ls -R /
	no_raw_controls "$tmp/ls-$k.out"
	no_raw_controls "$tmp/ls-$k.err"
done

case $class in
symlink-inline-ext)
	# The 60 + 900 stored bytes are read with their explicit length: listed, escaped, exit 0.
	run ls 0 "$tool" "$img" ls /
	no_raw_controls "$tmp/ls.out"
	expect_in ls.out 'link -> inline-start-BBBB'
	expect_in ls.out '\033[31mred\n- 1 1 forged'
	extract_checked extract 0
	[ "$(readlink "$work/out-extract/link" | head -c 13)" = inline-start- ] || fail "extracted link target wrong"
	;;
symlink-size-lies)
	run ls 1 "$tool" "$img" ls /
	expect_in ls.err "symlink size 900 but 60 bytes stored"
	expect_in ls.err "symlink size 3072 but 1024 bytes stored"
	expect_in ls.out "fast-ok -> fine"
	expect_not_in ls.out "inline-lies ->"
	expect_not_in ls.out "slow-lies ->"
	extract_checked extract 1
	[ ! -e "$work/out-extract/inline-lies" ] && [ ! -L "$work/out-extract/slow-lies" ] || fail "lying symlinks extracted"
	[ "$(readlink "$work/out-extract/fast-ok")" = fine ] || fail "fast-ok not extracted"
	;;
casefold-hash)
	for k in nokey key; do
		kopt=()
		[ $k = key ] && kopt=(--keys "$keys")
		run "cf-$k" 1 "$tool" "$img" "${kopt[@]}" ls -R /
		expect_in "cf-$k.err" "bad record"
	done
	expect_in cf-key.out " good"
	# The good entry is still read; the bad record met on the way is reported (exit 1).
	run cat-good 1 "$tool" "$img" --keys "$keys" cat /cf/good
	[ "$(cat "$tmp/cat-good.out")" = "good data" ] || fail "cf/good contents"
	;;
names)
	run ls 1 "$tool" "$img" --keys "$keys" ls -R /
	no_raw_controls "$tmp/ls.out"
	expect_in ls.out 'nl\n- 99 99 forged'
	expect_in ls.out 'esc\033]0;pwned\a\033[2J'
	expect_in ls.out 'bad-utf8-\377\300\257'
	! grep -q '^- *99 *99' "$tmp/ls.out" || fail "a name forged a listing line"
	expect_in ls.err "BAD_NAME"
	run json 1 "$tool" "$img" --keys "$keys" ls --json -R /
	python3 - "$tmp/json.out" <<'PY' || fail "ls --json is not JSON or lost a name"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert all(b >= 0x20 or b == 0x0a for b in raw), "raw control byte"
names = {e["name"].encode("utf-8", "surrogateescape") for e in json.loads(raw)}
for want in (b"nl\n- 99 99 forged", b"esc\x1b]0;pwned\x07\x1b[2J", b"bad-utf8-\xff\xc0\xaf", b"fine", b"ok"):
    assert want in names, want
PY
	extract_checked extract 1 --keys "$keys"
	[ "$(cat "$work/out-extract/fine")" = payload ] || fail "fine not extracted"
	[ -f "$work/out-extract/enc/ok" ] || fail "enc/ok not extracted"
	[ ! -e "$work/escape" ] && [ ! -e "$tmp/escape" ] && [ ! -e "$work/up" ] && [ ! -e "$work/out-extract/up" ] ||
		fail "a name escaped the output folder"
	[ "$(find "$work/out-extract" -mindepth 1 -print0 | tr -cd "\\0" | wc -c)" -eq 7 ] || fail "unexpected entries extracted"
	;;
planted)
	for k in nokey key; do
		kopt=()
		[ $k = key ] && kopt=(--keys "$keys")
		extract_checked "extract-$k" 1 "${kopt[@]}"
		[ -L "$work/out-extract-$k/victim" ] || fail "extract-$k: victim symlink not restored"
		expect_in "extract-$k.err" "already exists"
	done
	[ -L "$work/out-extract-key/enc/v" ] || fail "encrypted symlink v not restored"
	;;
loops)
	run ls 1 "$tool" "$img" ls -R /
	expect_in ls.err "reached twice"
	[ "$(wc -l < "$tmp/ls.out")" -lt 500 ] || fail "ls -R output not bounded: $(wc -l < "$tmp/ls.out") lines"
	extract_checked extract 1
	[ "$(du -sk "$work/out-extract" | cut -f1)" -lt 2048 ] || fail "extract output not bounded"
	[ "$(find "$work/out-extract" | wc -l)" -lt 200 ] || fail "extract made $(find "$work/out-extract" | wc -l) paths"
	;;
huge)
	extract_checked extract 0 --keys "$keys"
	for f in big enc/bigenc; do
		p=$work/out-extract/$f
		[ "$(stat -c %s "$p")" = 1099511627776 ] || fail "$f: apparent size $(stat -c %s "$p")"
		[ $(( $(stat -c %b "$p") * 512 )) -le 1048576 ] || fail "$f: $(( $(stat -c %b "$p") * 512 )) bytes on disk"
		[ "$(head -c 5 "$p")" = HELLO ] || fail "$f: first bytes"
	done
	run cat 1 "$tool" "$img" cat /big
	expect_in cat.err "would pass --max-size"
	[ ! -s "$tmp/cat.out" ] || fail "cat wrote output before refusing"
	run extract-small 1 "$tool" "$img" --max-size 2 extract /big "$work/out-small"
	expect_in extract-small.err "would pass --max-size 2"
	[ ! -e "$work/out-small/big" ] || fail "partial file left behind"
	;;
unencrypted-child)
	for f in plain other; do
		run "cat-$f" 1 "$tool" "$img" --keys "$keys" cat "/enc/$f"
		expect_in "cat-$f.err" "POLICY_MISMATCH"
		[ ! -s "$tmp/cat-$f.out" ] || fail "cat /enc/$f gave out bytes"
	done
	run cat-good 0 "$tool" "$img" --keys "$keys" cat /enc/good
	[ "$(cat "$tmp/cat-good.out")" = "good data" ] || fail "enc/good contents"
	run ls 1 "$tool" "$img" --keys "$keys" ls /enc
	expect_in ls.out "plain (refused: POLICY_MISMATCH)"
	extract_checked extract 1 --keys "$keys"
	[ -f "$work/out-extract/enc/good" ] && [ ! -e "$work/out-extract/enc/plain" ] && [ ! -e "$work/out-extract/enc/other" ] ||
		fail "extract: wrong set of files"
	! grep -rqs CIPHERTEXT-AS-PLAINTEXT "$work" || fail "the unencrypted child's bytes were given out"
	;;
*) echo "FAIL: unknown class $class"; exit 1 ;;
esac

# The same image through the FUSE mount (issue 14): it goes through the same reader, so browsing it
# with ordinary tools must end, show no raw control byte, refuse what the kernel refuses, and the
# daemon (kept in the foreground so its sanitizer reports are seen) must exit cleanly.
if "$tool" --help | grep -q "mount MOUNTPOINT" && [ -c /dev/fuse ] && command -v fusermount3 > /dev/null; then
	mnt=$tmp/mnt
	mkdir -p "$mnt"
	"$tool" "$img" --keys "$keys" mount "$mnt" --foreground > "$tmp/mount.out" 2> "$tmp/mount.err" &
	mpid=$!
	for _ in $(seq 100); do mountpoint -q "$mnt" && break; sleep 0.1; done
	if ! mountpoint -q "$mnt"; then
		fail "mount: not mounted"; head -n 15 "$tmp/mount.err"
	else
		timeout 60 find "$mnt" > "$tmp/mfind.out" 2> "$tmp/mfind.err"
		[ $? = 124 ] && fail "mount: find did not finish in 60 s"
		# (Names are shown as the filesystem has them, as the kernel would: no escaping check here.
		# Files over 64 MiB are sparse claims, a filesystem serves their zeros: not read here.)
		timeout 60 find "$mnt" -type f -size -64M -exec cat {} + > "$tmp/mcat.out" 2> "$tmp/mcat.err"
		[ $? = 124 ] && fail "mount: reading every file did not finish in 60 s"
		! grep -qs CIPHERTEXT-AS-PLAINTEXT "$tmp/mcat.out" || fail "mount: the unencrypted child's bytes were given out"
		case $class in
		loops) grep -q "Too many levels of symbolic links" "$tmp/mfind.err" || fail "mount: no ELOOP for the looping directories" ;;
		unencrypted-child) grep -q "Operation not permitted" "$tmp/mfind.err" "$tmp/mcat.err" ||
			fail "mount: the unencrypted child was not refused with EPERM" ;;
		esac
		fusermount3 -u "$mnt" || umount -l "$mnt"
	fi
	wait "$mpid"; mrc=$?
	# 0, or 1 when the reader reported damage on the way (as for every command); never a signal.
	[ "$mrc" = 0 ] || [ "$mrc" = 1 ] || fail "mount: the daemon exited with $mrc"
	grep -qE "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:" "$tmp/mount.err" &&
		{ fail "mount: sanitizer report"; head -n 30 "$tmp/mount.err"; }
else
	echo "hostile $class: mount not checked (no mount command, /dev/fuse or fusermount3)"
fi

if [ "$failures" -ne 0 ]; then
	echo "hostile $class: $failures check(s) failed"
	exit 1
fi
echo "hostile $class: safe outcome (exit status, messages, output folder, escaping) as expected"
