#!/usr/bin/env bash
# fscrypt-ext-ext4's keys file handling: every bad keys file is refused with exit 2 and a message
# naming the problem, without leaking the keys imported before the bad one (LeakSanitizer in the
# ASan build sees every path here), and an oversized or endless file is refused by its size cap.
set -uo pipefail
build=${1:?usage: test-ext4-keys.sh BUILD_DIR SRC_DIR} src=${2:?usage: test-ext4-keys.sh BUILD_DIR SRC_DIR}
tool=$build/tools/ext4/fscrypt-ext-ext4
[ -x "$tool" ] || { echo "FAIL: $tool not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
zstd -q -d -f "$src/tests/data/ext4-linux-6.18-seed1.img.zst" -o "$tmp/img"
good=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"][0]["master_key"])' \
	"$src/tests/data/ext4-linux-6.18-seed1.keys.json")
fails=0

# check NAME WANT_RC MESSAGE KEYS_FILE
check() {
	local name=$1 want=$2 msg=$3 keys=$4 rc
	"$tool" "$tmp/img" --keys "$keys" ls / > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ] || { [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; } ||
		grep -qE "Sanitizer|runtime error:" "$tmp/err"; then
		echo "FAIL: $name: exit $rc (want $want), stderr:"; head -n 20 "$tmp/err"; fails=$((fails + 1))
	else
		echo "ok: $name (exit $rc: $(head -n 1 "$tmp/err"))"
	fi
}

printf '{"keys": [{"master_key": "%s"}, {"master_key": "zz"}]}' "$good" > "$tmp/badhex.json"
check "second key not hex, first already imported" 2 "key 1: master_key is not hex" "$tmp/badhex.json"
printf '{"keys": [{"master_key": "%s"}, {"master_key": "0011"}]}' "$good" > "$tmp/short.json"
check "second key too short" 2 "key 1: master key size not allowed for this use (FSCRYPT_EXT_ERR_KEY_SIZE)" "$tmp/short.json"
printf '{"keys": [{"master_key": "%s"}, {"other": 1}]}' "$good" > "$tmp/nokey.json"
check "entry without master_key" 2 'key 1 has no "master_key" string' "$tmp/nokey.json"
printf '{"keys": [{"master_key": "%s"' "$good" > "$tmp/trunc.json"
check "truncated JSON" 2 "truncated JSON" "$tmp/trunc.json"
printf '{"nothing": []}' > "$tmp/nokeys.json"
check "no keys array" 2 'no "keys" array' "$tmp/nokeys.json"
python3 -c 'import json; print(json.dumps({"keys": [{"master_key": "%02x" % i * 32} for i in range(65)]}))' > "$tmp/many.json"
check "65 keys" 2 "more than 64 keys" "$tmp/many.json"
check "endless file (/dev/zero)" 2 "larger than 65536 bytes" /dev/zero
check "missing file" 2 "cannot open" "$tmp/none.json"
printf '{"keys": [{"master_key": "%s"}]}' "$good" > "$tmp/ok.json"
check "good keys file" 0 "" "$tmp/ok.json"

[ "$fails" = 0 ] || { echo "$fails keys-file check(s) failed"; exit 1; }
echo "keys files: 9 cases handled, no leak reported"
