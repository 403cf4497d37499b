#!/bin/bash
# fscrypt-ext protector unwrap/create/show and policy-add-protector on the google/fscrypt fixtures
# (tests/data/google-fscrypt, written by fscrypt 0.3.3): keys, exit codes, error names, file modes.
# No root needed. Called by ctest as: bash test-protector-cli.sh BUILD_DIR SOURCE_DIR
set -u
BUILD_DIR=${1:?} SOURCE_DIR=${2:?}
CLI=$BUILD_DIR/tools/fscrypt-ext
D=$SOURCE_DIR/tests/data/google-fscrypt
if ! "$CLI" protector --help >/dev/null 2>&1; then echo "SKIP: fscrypt-ext was built without the protector library"; exit 77; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
FAILS=0 CHECKS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
# expect CODE WHAT -- CMD...: exit code check, output in $T/out
expect() { local want=$1 what=$2; shift 3; CHECKS=$((CHECKS + 1)); "$@" >"$T/out" 2>&1; local got=$?
	if [ "$got" != "$want" ]; then fail "$what: exit $got, expected $want"; sed 's/^/    | /' "$T/out" | tail -5; fi; }
has() { CHECKS=$((CHECKS + 1)); grep -qF -- "$1" "$T/out" || { fail "$2: no '$1' in output"; sed 's/^/    | /' "$T/out" | tail -5; }; }
# The identifier/descriptor of a key file must name the policy.
key_is() { CHECKS=$((CHECKS + 1)); "$CLI" key --key-file "$1" --json >"$T/k" 2>&1; grep -q "\"$2\"" "$T/k" || fail "key $1 is not policy $2: $(cat "$T/k")"; }

pol() { python3 -c "import json,sys; print([d['policy'] for d in json.load(open('$D/manifest.json'))['directories'] if d['dir']=='$1'][0])"; }
A=$(pol a) B=$(pol b) C=$(pol c) V1=$(pol d) F=$(pol f)
i=0
unwrap_ok() { local p=$1; shift; i=$((i + 1)); expect 0 "unwrap $p $*" -- "$CLI" protector unwrap --policy "$D/policies/$p" --metadata-dir "$D" "$@" --out "$T/key$i"
	[ -e "$T/key$i" ] && key_is "$T/key$i" "$p"; CHECKS=$((CHECKS + 1)); [ "$(stat -c %a "$T/key$i" 2>/dev/null)" = 600 ] || fail "key file mode"; }
unwrap_ok "$A" --passphrase-file "$D/credentials/p2"
unwrap_ok "$A" --passphrase-file "$D/credentials/p1"
unwrap_ok "$A" --raw-key-file "$D/credentials/raw.key"
unwrap_ok "$B" --passphrase-file "$D/credentials/p4"
unwrap_ok "$C" --passphrase-file "$D/credentials/p260"
unwrap_ok "$V1" --passphrase-file "$D/credentials/putf8"
unwrap_ok "$F" --passphrase-file "$D/credentials/precovery"
unwrap_ok "$F" --passphrase-file "$D/credentials/plinked" --metadata-dir "$D/other"
# stdin: the passphrase ends at the first newline or carriage return; backspace deletes a byte.
i=$((i + 1)); { cat "$D/credentials/p4"; printf '\nignored\n'; } >"$T/in"
expect 0 "passphrase on stdin" -- "$CLI" protector unwrap --policy "$D/policies/$B" --metadata-dir "$D" --passphrase-file - --out "$T/key$i" <"$T/in"
i=$((i + 1)); { cat "$D/credentials/p4"; printf 'x\x7f\r'; } >"$T/in"
expect 0 "backspace and CR as fscrypt reads them" -- "$CLI" protector unwrap --policy "$D/policies/$B" --metadata-dir "$D" --passphrase-file "$T/in" --out "$T/key$i"
# Wrong credentials: exit 1, nothing written; an existing key file is never overwritten.
expect 1 "wrong passphrase" -- "$CLI" protector unwrap --policy "$D/policies/$B" --metadata-dir "$D" --passphrase-file "$D/credentials/p2" --out "$T/none"
has "no credential opened" "wrong passphrase message"
CHECKS=$((CHECKS + 1)); [ ! -e "$T/none" ] || fail "a key file was written for a wrong passphrase"
expect 1 "linked protector missing" -- "$CLI" protector unwrap --policy "$D/policies/$F" --metadata-dir "$D" --passphrase-file "$D/credentials/plinked" --out "$T/none"
expect 2 "existing output" -- "$CLI" protector unwrap --policy "$D/policies/$B" --metadata-dir "$D" --passphrase-file "$D/credentials/p4" --out "$T/key1"
has "File exists" "O_EXCL"
expect 2 "raw key of 31 bytes" -- "$CLI" protector unwrap --policy "$D/policies/$A" --metadata-dir "$D" --raw-key-file <(head -c 31 "$D/credentials/raw.key") --out "$T/none"
# Hostile or too-costly metadata: specific errors.
head -c 60 "$D/policies/$B" >"$T/trunc"
expect 2 "truncated policy" -- "$CLI" protector unwrap --policy "$T/trunc" --metadata-dir "$D" --passphrase-file "$D/credentials/p4" --out "$T/none"
has "BAD_METADATA" "truncated policy error"
expect 1 "memory cap" -- "$CLI" protector unwrap --policy "$D/policies/$B" --metadata-dir "$D" --passphrase-file "$D/credentials/p4" --max-memory 2048 --out "$T/none"
has "COSTS_RANGE" "memory cap error"
expect 0 "show" -- "$CLI" protector show "$D"/protectors/* "$D"/policies/*
has "(lanes 4)" "show lanes"; has "parallelism 260" "show stored parallelism"; has "linked protector" "show .link"
expect 2 "show malformed" -- "$CLI" protector show "$T/trunc"
# create -> unwrap, a policy for a given key, then another protector added.
mkdir "$T/meta"; head -c 64 /dev/urandom >"$T/master"; printf 'new pass' >"$T/np"; head -c 32 /dev/urandom >"$T/nraw"
expect 0 "create passphrase protector + policy" -- "$CLI" protector create --metadata-dir "$T/meta" --name made --passphrase-file "$T/np" --time 1 --memory 1024 --parallelism 2 --policy-key-file "$T/master"
NP=$(awk '/^policy/ {print $2}' "$T/out") NPROT=$(awk '/^protector/ {print $2}' "$T/out")
expect 0 "create raw_key protector" -- "$CLI" protector create --metadata-dir "$T/meta" --name raw --raw-key-file "$T/nraw"
NRAW=$(awk '/^protector/ {print $2}' "$T/out")
expect 1 "new raw protector does not open it yet" -- "$CLI" protector unwrap --policy "$T/meta/policies/$NP" --metadata-dir "$T/meta" --raw-key-file "$T/nraw" --out "$T/none"
expect 0 "policy-add-protector" -- "$CLI" policy-add-protector --policy "$T/meta/policies/$NP" --protector "$T/meta/protectors/$NPROT" --passphrase-file "$T/np" --add-protector "$T/meta/protectors/$NRAW" --add-raw-key-file "$T/nraw"
for cred in "--passphrase-file $T/np" "--raw-key-file $T/nraw"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	expect 0 "unwrap created ($cred)" -- "$CLI" protector unwrap --policy "$T/meta/policies/$NP" --metadata-dir "$T/meta" $cred --out "$T/key$i"
	CHECKS=$((CHECKS + 1)); cmp -s "$T/key$i" "$T/master" || fail "created policy gives another key ($cred)"
done
expect 2 "passphrase on the command line is refused" -- "$CLI" protector unwrap --policy "$T/meta/policies/$NP" secret
echo "$CHECKS checks, $FAILS failures"
[ "$FAILS" = 0 ]
