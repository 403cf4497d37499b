#!/bin/bash
# Interop with the real google/fscrypt client (Debian package fscrypt), both ways, on a loop-mounted ext4:
#  1. fscrypt encrypts directories (custom passphrases with 1, 2 and 4 lanes and a stored parallelism
#     of 260, a raw key, a policy with three protectors, a v1 policy, a linked protector with its
#     recovery passphrase); after unmounting, our tools recover every file, name and symlink with only
#     the passphrase or key file, identical to what the kernel showed;
#  2. our library creates a protector and a policy for a master key, the kernel encrypts a directory
#     with that key, and `fscrypt unlock` opens it with the passphrase.
# Needs root and loop devices (exit 77 otherwise). Called by ctest as: bash test-google-fscrypt.sh BUILD SRC
set -u
BUILD_DIR=${1:?usage: test-google-fscrypt.sh BUILD_DIR SOURCE_DIR}
SOURCE_DIR=${2:?usage: test-google-fscrypt.sh BUILD_DIR SOURCE_DIR}
CLI=$BUILD_DIR/tools/fscrypt-ext
EXT4=$BUILD_DIR/tools/ext4/fscrypt-ext-ext4
SCRIPTS=$SOURCE_DIR/tests/scripts
if ! "$CLI" protector --help >/dev/null 2>&1; then echo "SKIP: fscrypt-ext was built without the protector library"; exit 77; fi
if [ ! -x "$EXT4" ]; then echo "SKIP: fscrypt-ext-ext4 was not built (libext2fs missing)"; exit 77; fi
GF_WORK=$(mktemp -d)
. "$SCRIPTS/gf-lib.sh"
trap gf_cleanup EXIT
gf_need_root
gf_lock
gf_mount 64
M=$GF_MNT W=$GF_WORK
FAILS=0 CHECKS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
check() { CHECKS=$((CHECKS + 1)); if ! "$@"; then fail "$*"; return 1; fi; }

# Small Argon2id costs keep this fast; the lanes are what matters.
gf_setup 1 1024 1 2
printf 'lanes one' >"$W/p1"; printf 'lanes two' >"$W/p2"; printf 'lanes four' >"$W/p4"
printf 'stored 260' >"$W/p260"; printf 'v1 p\xc3\xa4ss \xe2\x9c\x93' >"$W/pv1"; printf 'on root fs' >"$W/plinked"
head -c 32 /dev/urandom >"$W/raw.key"
enc() { mkdir "$M/$1"; { cat "$3"; echo; } | fscrypt encrypt "$M/$1" --source=custom_passphrase --name="$2" --quiet; }
prot_of() { fscrypt status "$1" | awk -v n="$2" '$0 ~ "\"" n "\"" {print $1}' | head -1; }

populate() { gf_populate "$@"; }
gf_conf 2 2048 2 2; enc a lanes2 "$W/p2"; populate "$M/a"
gf_conf 1 1024 1 2
{ cat "$W/p1"; echo; } | fscrypt metadata create protector "$M" --source=custom_passphrase --name=lanes1 --quiet
fscrypt metadata create protector "$M" --source=raw_key --name=raw1 --key="$W/raw.key" --quiet
PA=$(fscrypt status "$M/a" | awk '/^Policy:/ {print $2}')
P2=$(prot_of "$M" lanes2) P1=$(prot_of "$M" lanes1) PR=$(prot_of "$M" raw1)
{ cat "$W/p1"; echo; cat "$W/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$P1" --policy="$M:$PA" --unlock-with="$M:$P2" --quiet
{ cat "$W/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$PR" --policy="$M:$PA" --unlock-with="$M:$P2" --key="$W/raw.key" --quiet
gf_conf 1 4096 4 2; enc b lanes4 "$W/p4"; populate "$M/b"
gf_conf 1 4096 260 2; enc c p260 "$W/p260"; populate "$M/c"
gf_conf 1 1024 2 1; enc d v1 "$W/pv1"; populate "$M/d"
gf_conf 1 1024 1 2
mkdir "$M/e"; fscrypt encrypt "$M/e" --protector="$M:$PR" --key="$W/raw.key" --quiet; populate "$M/e"
# A login-like protector on the root filesystem: the image holds only a .link and a recovery protector.
{ cat "$W/plinked"; echo; } | fscrypt metadata create protector / --source=custom_passphrase --name=gf-linked-$$ --quiet
PL=$(prot_of / gf-linked-$$)
mkdir "$M/f"; { cat "$W/plinked"; echo; } | fscrypt encrypt "$M/f" --protector="/:$PL" --quiet; populate "$M/f"
grep -oE '\b[a-z]{20}\b' "$M/f/fscrypt_recovery_readme.txt" | head -1 | tr -d '\n' >"$W/precovery"
check test -s "$W/precovery"
mkdir -p "$W/rootmeta/protectors"; cp "/.fscrypt/protectors/$PL" "$W/rootmeta/protectors/"
check test -e "$M/.fscrypt/protectors/$PL.link"

# What the kernel shows: type, path, symlink target, contents hash (sorted).
view() { gf_view "$@"; }
for d in a b c d e f; do view "$M/$d" >"$W/kernel-$d.txt"; done
declare -A POL
for d in a b c d e f; do POL[$d]=$(fscrypt status "$M/$d" | awk '/^Policy:/ {print $2}'); done
gf_umount
rm -f "/.fscrypt/protectors/$PL"

# ---- direction 1: offline, only the image and one credential ----
# unwrap_and_extract DIR CREDOPT CREDFILE [extra unwrap options...]: master key through `protector unwrap`,
# then fscrypt-ext-ext4 extracts the directory with that key; the tree must equal the kernel's view.
meta=$W/meta
mkdir -p "$meta"; debugfs -R "rdump /.fscrypt $meta" "$GF_IMG" >/dev/null 2>&1
check test -d "$meta/.fscrypt/policies"
n=0
unwrap_and_extract() {
	local d=$1 opt=$2 cred=$3 key=$W/key-$n out=$W/out-$n
	shift 3
	n=$((n + 1))
	CHECKS=$((CHECKS + 1))
	if ! "$CLI" protector unwrap --policy "$meta/.fscrypt/policies/${POL[$d]}" --metadata-dir "$meta" "$@" \
		"$opt" "$cred" --out "$key" >"$W/log" 2>&1; then
		fail "unwrap $d with $cred"; cat "$W/log"; return
	fi
	check test "$(stat -c %a "$key")" = 600
	printf '{"keys":[{"master_key":"%s"}]}' "$(od -An -tx1 -v "$key" | tr -d ' \n')" >"$key.json"
	mkdir "$out"
	if ! "$EXT4" "$GF_IMG" --keys "$key.json" extract "/$d" "$out" >"$W/log" 2>&1; then
		fail "extract /$d"; cat "$W/log"; return
	fi
	view "$out/$d" >"$W/ours-$d.txt"
	CHECKS=$((CHECKS + 1))
	if ! diff -u "$W/kernel-$d.txt" "$W/ours-$d.txt" >"$W/diff"; then
		fail "directory $d ($cred): tree differs from the kernel's"; head -20 "$W/diff"; return
	fi
	echo "ok: /$d recovered with $(basename "$cred") via protector unwrap ($(wc -l <"$W/kernel-$d.txt") entries+hashes)"
	# The same with fscrypt-ext-ext4 alone: the credential, the image (and --metadata-dir folders).
	local extra=()
	[ $# -gt 0 ] && extra=("$@")
	CHECKS=$((CHECKS + 1))
	mkdir "$out.direct"
	if ! "$EXT4" "$GF_IMG" "$opt" "$cred" "${extra[@]}" extract "/$d" "$out.direct" >"$W/log" 2>&1; then
		fail "fscrypt-ext-ext4 $opt $(basename "$cred") extract /$d"; cat "$W/log"; return
	fi
	view "$out.direct/$d" >"$W/direct-$d.txt"
	CHECKS=$((CHECKS + 1))
	if ! diff -u "$W/kernel-$d.txt" "$W/direct-$d.txt" >"$W/diff"; then
		fail "directory $d (fscrypt-ext-ext4 $opt $cred): tree differs from the kernel's"; head -20 "$W/diff"; return
	fi
	echo "ok: /$d recovered with $(basename "$cred") by fscrypt-ext-ext4 $opt"
}
unwrap_and_extract a --passphrase-file "$W/p2"
unwrap_and_extract a --passphrase-file "$W/p1"
unwrap_and_extract a --raw-key-file "$W/raw.key"
unwrap_and_extract b --passphrase-file "$W/p4"
unwrap_and_extract c --passphrase-file "$W/p260"
unwrap_and_extract d --passphrase-file "$W/pv1"
unwrap_and_extract e --raw-key-file "$W/raw.key"
unwrap_and_extract f --passphrase-file "$W/precovery"
unwrap_and_extract f --passphrase-file "$W/plinked" --metadata-dir "$W/rootmeta"
# One fscrypt-ext-ext4 run with every credential recovers the whole image (extract /), as the kernel showed it.
mkdir "$W/all"
CHECKS=$((CHECKS + 1))
if "$EXT4" "$GF_IMG" --passphrase-file "$W/p2" --passphrase-file "$W/p4" --passphrase-file "$W/p260" \
	--passphrase-file "$W/pv1" --raw-key-file "$W/raw.key" --passphrase-file "$W/precovery" extract / "$W/all" >"$W/log" 2>&1; then
	for d in a b c d e f; do view "$W/all/$d" >"$W/all-$d.txt"; check diff -q "$W/kernel-$d.txt" "$W/all-$d.txt"; done
else
	fail "fscrypt-ext-ext4 with every credential: extract /"; cat "$W/log"
fi
# `protectors --json`: every policy, what opened it, its directory; the linked protector.
"$EXT4" "$GF_IMG" --passphrase-file "$W/p4" --raw-key-file "$W/raw.key" --metadata-dir "$W/rootmeta" \
	--passphrase-file "$W/plinked" protectors --json >"$W/prot.json" 2>"$W/log"
check python3 - "$W/prot.json" "${POL[a]}" "${POL[b]}" "${POL[e]}" "${POL[f]}" "${POL[c]}" "$PL" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
a, b, e, f, c, pl = sys.argv[2:]
pols = {p["descriptor"]: p for p in j["policies"]}
assert j["image_metadata"], j
assert len(pols) == 6, pols.keys()
for d, name in ((a, "/a"), (b, "/b"), (e, "/e"), (f, "/f")):
    assert pols[d]["unlocked"] and pols[d]["directories"] == [name], (d, pols[d])
assert not pols[c]["unlocked"] and pols[c]["directories"] == ["/c"], pols[c]
assert len(pols[a]["protectors"]) == 3
prots = {p["descriptor"]: p for p in j["protectors"]}
assert prots[pl]["unlocked"] and prots[pl]["origin"] != "image", prots[pl]
assert any(l["descriptor"] == pl and l["found"] for l in j["linked_protectors"]), j["linked_protectors"]
assert {p["costs"]["lanes"] for p in j["protectors"] if "costs" in p} >= {1, 2, 4}
PY
"$EXT4" "$GF_IMG" protectors >"$W/prot.txt" 2>&1; check grep -q "not found: give --metadata-dir" "$W/prot.txt"
# A wrong passphrase opens nothing: names stay no-key names, exit 1 for what could not be read.
CHECKS=$((CHECKS + 1))
"$EXT4" "$GF_IMG" --passphrase-file "$W/p1" cat /b/one >/dev/null 2>&1 && fail "cat /b/one with a wrong passphrase succeeded"
# Wrong credentials are refused (exit 1) and write nothing.
CHECKS=$((CHECKS + 1))
"$CLI" protector unwrap --policy "$meta/.fscrypt/policies/${POL[b]}" --metadata-dir "$meta" \
	--passphrase-file "$W/p2" --raw-key-file "$W/raw.key" --out "$W/nokey" >/dev/null 2>&1
rc=$?
[ $rc = 1 ] && [ ! -e "$W/nokey" ] || fail "wrong credentials: exit $rc"

# ---- direction 2: our protector and policy, fscrypt unlocks ----
head -c 64 /dev/urandom >"$W/master.key"; chmod 600 "$W/master.key"
printf 'made by fscrypt-ext' >"$W/pours"
mount "$GF_LOOP" "$M" 2>/dev/null || { GF_LOOP=$(losetup -f --show "$GF_IMG") && mount "$GF_LOOP" "$M"; }
check "$CLI" protector create --metadata-dir "$M" --name "ours lanes 2" --passphrase-file "$W/pours" \
	--time 2 --memory 2048 --parallelism 2 --policy-key-file "$W/master.key" >"$W/log" 2>&1 || cat "$W/log"
mkdir "$M/ours"
check python3 "$SCRIPTS/gf_set_policy.py" "$M" "$M/ours" "$W/master.key" >/dev/null
populate "$M/ours"
view "$M/ours" >"$W/kernel-ours.txt"
umount "$M"; mount "$GF_LOOP" "$M"    # drops the key: the directory is locked again
CHECKS=$((CHECKS + 1))
if [ -e "$M/ours/empty" ]; then fail "directory still unlocked after remount"; fi
CHECKS=$((CHECKS + 1))
if { cat "$W/pours"; echo; } | fscrypt unlock "$M/ours" --quiet >"$W/log" 2>&1; then
	view "$M/ours" >"$W/fscrypt-ours.txt"
	check diff -q "$W/kernel-ours.txt" "$W/fscrypt-ours.txt"
	echo "ok: fscrypt unlock opened the directory protected by our metadata"
else
	fail "fscrypt unlock refused our protector"; cat "$W/log"
fi
fscrypt status "$M/ours" >"$W/log" 2>&1; check grep -q "ours lanes 2" "$W/log"
# A wrong passphrase is refused by fscrypt too (the metadata is not accepting anything).
fscrypt lock "$M/ours" --quiet >/dev/null 2>&1
CHECKS=$((CHECKS + 1))
if printf 'wrong\n' | fscrypt unlock "$M/ours" --quiet >/dev/null 2>&1; then fail "fscrypt accepted a wrong passphrase"; fi
# A raw_key protector added with policy-add-protector also opens it.
head -c 32 /dev/urandom >"$W/raw2.key"
POURS=$(ls "$M/.fscrypt/policies/" | while read -r p; do "$CLI" protector show "$M/.fscrypt/policies/$p" | grep -q "$(python3 "$SCRIPTS/gf_policy_of.py" "$M/ours" | cut -d' ' -f2)" && echo "$p"; done)
PROT_OURS=$(fscrypt status "$M/ours" | grep -oE '^[0-9a-f]{16}' | head -1)
"$CLI" protector create --metadata-dir "$M" --name "ours raw" --raw-key-file "$W/raw2.key" >"$W/log" 2>&1
PROT_RAW=$(awk '/^protector/ {print $2}' "$W/log")
check "$CLI" policy-add-protector --policy "$M/.fscrypt/policies/$POURS" --protector "$M/.fscrypt/protectors/$PROT_OURS" \
	--passphrase-file "$W/pours" --add-protector "$M/.fscrypt/protectors/$PROT_RAW" --add-raw-key-file "$W/raw2.key"
CHECKS=$((CHECKS + 1))
if fscrypt unlock "$M/ours" --unlock-with="$M:$PROT_RAW" --key="$W/raw2.key" --quiet >"$W/log" 2>&1 && [ -e "$M/ours/empty" ]; then
	echo "ok: fscrypt unlock opened it with the raw_key protector we added"
else
	fail "fscrypt unlock with our added raw_key protector"; cat "$W/log"
fi
fscrypt lock "$M/ours" --quiet >/dev/null 2>&1

echo "$CHECKS checks, $FAILS failures"
[ "$FAILS" = 0 ]
