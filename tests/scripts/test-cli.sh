#!/bin/bash
# The fscrypt-ext command-line tool: kat over every bundled vector file, usage errors, skips, failures, subcommands.
# Called by ctest as: bash test-cli.sh BUILD_DIR SOURCE_DIR
set -u

BUILD_DIR=${1:?usage: test-cli.sh BUILD_DIR SOURCE_DIR}
SOURCE_DIR=${2:?usage: test-cli.sh BUILD_DIR SOURCE_DIR}
CLI="$BUILD_DIR/tools/fscrypt-ext"
VECTORS="$SOURCE_DIR/tests/vectors"

if [ ! -x "$CLI" ]; then
	echo "SKIP: $CLI was not built (FSCRYPT_EXT_BUILD_TOOLS=OFF?)"
	exit 77
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND (stdout+stderr to $TMP/out), checks the exit code.
expect() {
	local want=$1 what=$2 got
	shift 3
	CHECKS=$((CHECKS + 1))
	"$@" >"$TMP/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		fail "$what: exit $got, expected $want ($*)"
		sed 's/^/    | /' "$TMP/out" | tail -n 20
		return 1
	fi
	return 0
}

# has TEXT DESCRIPTION: the last command's output contains TEXT.
has() {
	CHECKS=$((CHECKS + 1))
	if ! grep -qF -- "$1" "$TMP/out"; then
		fail "$2: output lacks '$1'"
		sed 's/^/    | /' "$TMP/out" | tail -n 20
	fi
}

# last_line_is TEXT DESCRIPTION
last_line_is() {
	CHECKS=$((CHECKS + 1))
	local last
	last=$(tail -n 1 "$TMP/out")
	if [ "$last" != "$1" ]; then
		fail "$2: last line is '$last', expected '$1'"
	fi
}

# ---------------------------------------------------------------- kat over every bundled file

mapfile -t FILES < <(find "$VECTORS" -name '*.json' | sort)
if [ "${#FILES[@]}" -eq 0 ]; then
	fail "no vector files under $VECTORS"
else
	expect 0 "kat over all ${#FILES[@]} bundled vector files" -- "$CLI" kat "${FILES[@]}"
	CHECKS=$((CHECKS + 1))
	if ! tail -n 1 "$TMP/out" | grep -Eq '^[0-9]+ passed, 0 failed, [0-9]+ skipped$'; then
		fail "kat over all files: closing line is '$(tail -n 1 "$TMP/out")'"
		grep '^FAIL' "$TMP/out" | head -n 20
	fi
	echo "kat: $(tail -n 1 "$TMP/out")"
fi

# Every file gets its own result line.
for f in "${FILES[@]}"; do
	CHECKS=$((CHECKS + 1))
	grep -qE "^(PASS|SKIP) $f: [0-9]+ passed, 0 failed, [0-9]+ skipped$" "$TMP/out" || fail "no clean result line for $f"
done

# The kernel-written vectors: all pass, none skipped.
KERNEL="$VECTORS/kernel/ext4-linux-6.18-seed1.json"
if [ -f "$KERNEL" ]; then
	expect 0 "kat kernel vectors" -- "$CLI" kat "$KERNEL"
	CHECKS=$((CHECKS + 1))
	tail -n 1 "$TMP/out" | grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped$' ||
		fail "kernel vectors: '$(tail -n 1 "$TMP/out")' (want 0 failed, 0 skipped)"
fi

# The portable backend always runs; a backend this CPU lacks, or a made-up one, is a skip (77).
if [ -f "$VECTORS/primitives/siphash-2-4.json" ]; then
	expect 0 "kat --require-backend portable" -- "$CLI" kat --require-backend portable "$VECTORS/primitives/siphash-2-4.json"
	has "backend: portable" "kat --require-backend portable"
fi
expect 77 "kat --require-backend for a backend that does not exist" -- "$CLI" kat --require-backend no-such-backend "$KERNEL"
has "SKIP: backend no-such-backend not available on this CPU" "unavailable backend message"

# ---------------------------------------------------------------- kat: usage and input errors (exit 2)

expect 2 "kat without files" -- "$CLI" kat && has "no vector files given" "kat without files"
expect 2 "kat with an unknown option" -- "$CLI" kat --frobnicate "$KERNEL" && has "unknown option '--frobnicate'" "unknown option"
expect 2 "kat --require-backend without a value" -- "$CLI" kat --require-backend && has "needs a value" "missing value"
expect 2 "kat on a missing file" -- "$CLI" kat "$TMP/does-not-exist.json" && has "cannot open" "missing file"
printf '{"vectors": [ {"type": "aes-ecb", ' >"$TMP/truncated.json"
expect 2 "kat on truncated JSON" -- "$CLI" kat "$TMP/truncated.json" && has "JSON error" "truncated JSON"
printf '{"vectors": [] } trailing' >"$TMP/trailing.json"
expect 2 "kat on JSON with trailing garbage" -- "$CLI" kat "$TMP/trailing.json" && has "trailing data" "trailing garbage"
printf '{"description": "no vectors array"}' >"$TMP/novectors.json"
expect 2 "kat on a file without a vectors array" -- "$CLI" kat "$TMP/novectors.json" && has "not a vector file" "no vectors array"
expect 0 "kat --help" -- "$CLI" kat --help && has "Usage: fscrypt-ext kat" "kat --help"

# ---------------------------------------------------------------- kat: unknown types are skipped, never passed

cat >"$TMP/unknown.json" <<'EOF'
{ "description": "one vector of a type nobody knows, one known",
  "vectors": [
    { "type": "no-such-type", "anything": "00" },
    { "type": "siphash-2-4", "key": "000102030405060708090a0b0c0d0e0f", "message": "", "hash": 8246050544436514353 }
  ] }
EOF
expect 0 "kat with an unknown type" -- "$CLI" kat "$TMP/unknown.json"
last_line_is "1 passed, 0 failed, 1 skipped" "unknown type counted as skipped"
has 'unknown type "no-such-type"' "unknown type named"

# A big integer may also be a string of digits; 2^64-1 must survive (no double rounding).
cat >"$TMP/bigint.json" <<'EOF'
{ "vectors": [
    { "type": "siphash-2-4", "key": "000102030405060708090a0b0c0d0e0f", "message": "", "hash": "8246050544436514353" },
    { "type": "siphash-2-4", "key": "000102030405060708090a0b0c0d0e0f", "message": "", "hash": 18446744073709551615 }
  ] }
EOF
expect 1 "kat with string and 2^64-1 integers" -- "$CLI" kat "$TMP/bigint.json"
last_line_is "1 passed, 1 failed, 0 skipped" "string integer passes, 2^64-1 fails"
has "expected 18446744073709551615" "2^64-1 read exactly"

# ---------------------------------------------------------------- kat: corrupted vectors fail (exit 1)

# FIPS-197 C.1 with one ciphertext bit flipped; a malformed vector (missing field) also fails.
cat >"$TMP/corrupt.json" <<'EOF'
{ "vectors": [
    { "type": "aes-ecb", "key": "000102030405060708090a0b0c0d0e0f",
      "plaintext": "00112233445566778899aabbccddeeff", "ciphertext": "69c4e0d86a7b0430d8cdb78070b4c55a" },
    { "type": "aes-ecb", "key": "000102030405060708090a0b0c0d0e0f",
      "plaintext": "00112233445566778899aabbccddeeff", "ciphertext": "69c4e0d86a7b0430d8cdb78070b4c55b" },
    { "type": "aes-ecb", "key": "000102030405060708090a0b0c0d0e0f", "plaintext": "00112233445566778899aabbccddeeff" },
    { "type": "aes-ecb", "key": "000102030405060708090a0b0c0d0e0f",
      "plaintext": "00112233445566778899aabbccddeefg", "ciphertext": "69c4e0d86a7b0430d8cdb78070b4c55a" },
    { "type": "aes-ecb", "key": "000102030405060708090a0b0c0d0e0f",
      "plaintext": "00112233445566778899aabbccddeef", "ciphertext": "69c4e0d86a7b0430d8cdb78070b4c55a" }
  ] }
EOF
expect 1 "kat with a corrupted vector" -- "$CLI" kat --verbose "$TMP/corrupt.json"
last_line_is "1 passed, 4 failed, 0 skipped" "corrupted vector counted as failed"
has "field \"plaintext\" is not valid hex" "non-hex and odd-length fields reported"
has "FAIL $TMP/corrupt.json #1 (aes-ecb): encrypt: differs at byte 15 of 16" "failure names file, index, type, difference"
has "expected: 69c4e0d86a7b0430d8cdb78070b4c55b" "failure shows the expected bytes"
has "got:      69c4e0d86a7b0430d8cdb78070b4c55a" "failure shows the computed bytes"
has "missing field \"ciphertext\"" "malformed vector reported"
has "plaintext = \"00112233445566778899aabbccddeeff\"" "--verbose prints the parameters"

# One flipped ciphertext digit in the first kernel contents vector.
if [ -f "$KERNEL" ]; then
	perl -0pe 's/("type": "contents",.*?"ciphertext": ")(.)/$1.($2 eq "0" ? "1" : "0")/se' "$KERNEL" >"$TMP/kernel-corrupt.json"
	CHECKS=$((CHECKS + 1))
	cmp -s "$KERNEL" "$TMP/kernel-corrupt.json" && fail "could not corrupt $KERNEL"
	expect 1 "kat with a corrupted kernel contents vector" -- "$CLI" kat "$TMP/kernel-corrupt.json"
	has "(contents): encrypt: differs at byte 0" "corrupted contents vector: encrypt"
	has "(contents): decrypt (in place): differs" "corrupted contents vector: decrypt"
	CHECKS=$((CHECKS + 1))
	tail -n 1 "$TMP/out" | grep -Eq '^[0-9]+ passed, 1 failed, 0 skipped$' || fail "corrupted kernel file: '$(tail -n 1 "$TMP/out")'"
fi

# ---------------------------------------------------------------- subcommands, on the values of spec 10.6
# MK = bytes 00..3f, nonce 10..1f: identifier, descriptor, the first 32 bytes of a zero block
# and the name "hello" under PAD_32 (cross-checked there with xfstests' fscrypt-crypt-util).

for i in $(seq 0 63); do printf "\\$(printf %03o "$i")"; done >"$TMP/mk.bin"
od -An -tx1 -v "$TMP/mk.bin" | tr -d ' \n' >"$TMP/mk.hex"
ID=8699c2c53707405da5aba5ae4d8583c0
CTX=0201040300000000${ID}101112131415161718191a1b1c1d1e1f
POL=0201040300000000${ID}

for cmd in version key policy context encrypt-data decrypt-data encrypt-name decrypt-name nokey; do
	expect 0 "$cmd --help" -- "$CLI" "$cmd" --help && has "fscrypt-ext $cmd " "$cmd --help" && has "Usage:" "$cmd --help"
done

expect 0 "version" -- "$CLI" version && has "portable" "version lists the portable backend"
expect 0 "version --json" -- "$CLI" version --json && has '"selected_backend"' "version --json"

expect 0 "key from a file" -- "$CLI" key --key-file "$TMP/mk.bin"
has "identifier: $ID" "key identifier"
has "descriptor: 04334e23057a6e2d" "key descriptor"
expect 0 "key from stdin, hex" -- sh -c "'$CLI' key --key-file - --key-hex --json < '$TMP/mk.hex'"
has "\"identifier\": \"$ID\"" "key --json from stdin"
expect 2 "key given on the command line" -- "$CLI" key 00112233445566778899aabbccddeeff
has "never read from the command line" "keys never from argv"
expect 2 "key file with a hex key read as raw" -- "$CLI" key --key-file "$TMP/mk.hex"
has "use --key-hex" "hint for hex key files"
# Hex key files: either case and surrounding whitespace are fine; a stray or missing digit is not.
{ printf '  '; tr 'a-f' 'A-F' <"$TMP/mk.hex"; printf '\n'; } >"$TMP/mk-upper.hex"
expect 0 "upper-case hex key with whitespace" -- "$CLI" key --key-file "$TMP/mk-upper.hex" --key-hex
has "identifier: $ID" "upper-case hex key"
{ head -c 127 "$TMP/mk.hex"; printf 'g'; } >"$TMP/mk-bad.hex"
expect 2 "hex key with a non-hex digit" -- "$CLI" key --key-file "$TMP/mk-bad.hex" --key-hex && has "is not hex" "non-hex key digit"
head -c 127 "$TMP/mk.hex" >"$TMP/mk-odd.hex"
expect 2 "hex key of odd length" -- "$CLI" key --key-file "$TMP/mk-odd.hex" --key-hex && has "is not hex" "odd hex key"
head -c 15 "$TMP/mk.bin" >"$TMP/short.bin"
expect 2 "15-byte key" -- "$CLI" key --key-file "$TMP/short.bin" && has "16 to 64 bytes" "short key"
head -c 5000 /dev/zero >"$TMP/huge.key"
expect 2 "key file over the 4096-byte cap" -- "$CLI" key --key-file "$TMP/huge.key" && has "larger than 4096 bytes, refused" "key file cap"
expect 2 "policy --file /dev/zero ends (bounded read)" -- timeout 60 "$CLI" policy parse --file /dev/zero && has "refused" "file cap"

expect 0 "policy print" -- "$CLI" policy print "$POL"
has "v2 contents=AES-256-XTS filenames=AES-256-CTS flags=PAD_32 key=$ID" "policy text"
TEXT=$(tail -n 1 "$TMP/out")
expect 0 "policy print --hex from text" -- "$CLI" policy print --hex "$TEXT" && last_line_is "$POL" "policy text -> struct"
expect 0 "policy parse" -- "$CLI" policy parse "$POL" && has "AES-256-XTS" "policy parse"
expect 0 "policy validate (IV_INO_LBLK_64 on ext4)" -- "$CLI" policy validate 0201040b00000000$ID
expect 1 "policy validate (IV_INO_LBLK_64, 64-bit inodes)" -- "$CLI" policy validate --ino-bits 64 0201040b00000000$ID
has "IV_INO_LBLK" "validation error named"
expect 1 "policy parse, truncated" -- "$CLI" policy parse 0201 && has "TRUNCATED" "truncated policy"
expect 2 "policy parse, not hex" -- "$CLI" policy parse 02zz
expect 2 "policy parse, odd hex" -- "$CLI" policy parse 020
expect 2 "policy, unknown action" -- "$CLI" policy frob "$POL"

expect 0 "context decode" -- "$CLI" context decode "$CTX"
has "101112131415161718191a1b1c1d1e1f" "context nonce"
has "context valid:   yes" "context valid"
expect 0 "context decode --json" -- "$CLI" context decode --json "$CTX" && has '"valid": true' "context --json"
printf '\002\001\004\003' >"$TMP/ctx-short.bin"
expect 1 "context decode, truncated file" -- "$CLI" context decode --file "$TMP/ctx-short.bin"

head -c 8192 /dev/zero >"$TMP/zero"
expect 0 "encrypt-data" -- sh -c "'$CLI' encrypt-data --key-file '$TMP/mk.bin' --context $CTX < '$TMP/zero' > '$TMP/zero.enc'"
CHECKS=$((CHECKS + 1))
[ "$(od -An -tx1 -N32 -v "$TMP/zero.enc" | tr -d ' \n')" = 3908c2e68ea54ae5eff9ece6c4534ea0ff39b7f864ca0b508bb66752adeab431 ] ||
	fail "encrypt-data: first 32 bytes differ from spec 10.6"
expect 0 "decrypt-data" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/mk.bin' --context $CTX < '$TMP/zero.enc' | cmp - '$TMP/zero'"
head -c 10000 /dev/urandom >"$TMP/rand"
expect 0 "encrypt-data at an offset, padded" -- sh -c "'$CLI' encrypt-data --key-file '$TMP/mk.bin' --context $CTX --offset 12288 < '$TMP/rand' > '$TMP/rand.enc'"
CHECKS=$((CHECKS + 1))
[ "$(wc -c <"$TMP/rand.enc")" -eq 12288 ] || fail "encrypt-data did not pad to whole units"
expect 0 "decrypt-data at an offset, cut to length" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/mk.bin' --context $CTX --offset 12288 --length 10000 < '$TMP/rand.enc' | cmp - '$TMP/rand'"
expect 1 "decrypt-data at the wrong offset gives other bytes" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/mk.bin' --context $CTX --offset 0 --length 10000 < '$TMP/rand.enc' | cmp -s - '$TMP/rand'"
expect 2 "decrypt-data, unaligned offset" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/mk.bin' --context $CTX --offset 100 < '$TMP/rand.enc'"
has "not a multiple of the data unit size" "unaligned offset"
expect 2 "decrypt-data, partial unit" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/mk.bin' --context $CTX < '$TMP/rand'"
expect 2 "encrypt-data without a key" -- "$CLI" encrypt-data --context $CTX
expect 1 "encrypt-data with the wrong key" -- sh -c "'$CLI' encrypt-data --key-file '$TMP/mk.hex' --key-hex --context 0201040300000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f < '$TMP/zero'"
has "WRONG_KEY" "wrong key named"
expect 2 "IV_INO_LBLK_64 context without --ino" -- sh -c "'$CLI' encrypt-data --key-file '$TMP/mk.bin' --context 0201040b00000000${ID}101112131415161718191a1b1c1d1e1f < '$TMP/zero'"
has "needs the inode number" "IV_INO_LBLK needs --ino"

expect 0 "encrypt-name" -- "$CLI" encrypt-name --key-file "$TMP/mk.bin" --context "$CTX" --nokey hello
has d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7 "encrypted name"
has AAAAAAAAAADSusL1NqdSvG0rV-BokTjznclvv5-JhSvD9VK1UWUS1w "no-key name"
expect 0 "decrypt-name" -- "$CLI" decrypt-name --key-file "$TMP/mk.bin" --context "$CTX" d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7
last_line_is hello "decrypted name"
expect 0 "decrypt-name from a no-key name" -- "$CLI" decrypt-name --key-file "$TMP/mk.bin" --context "$CTX" --json --nokey-name AAAAAAAAAADSusL1NqdSvG0rV-BokTjznclvv5-JhSvD9VK1UWUS1w
has '"plaintext": "hello"' "decrypt-name --nokey-name"
expect 0 "encrypt-name --symlink" -- "$CLI" encrypt-name --key-file "$TMP/mk.bin" --context "$CTX" --symlink /a/target
LINK=$(tail -n 1 "$TMP/out")
expect 0 "decrypt-name --symlink" -- "$CLI" decrypt-name --key-file "$TMP/mk.bin" --context "$CTX" --symlink "$LINK"
last_line_is /a/target "symlink round trip"
expect 1 "decrypt-name, too short" -- "$CLI" decrypt-name --key-file "$TMP/mk.bin" --context "$CTX" 00112233
expect 2 "encrypt-name without a name" -- "$CLI" encrypt-name --key-file "$TMP/mk.bin" --context "$CTX"

expect 0 "nokey encode" -- "$CLI" nokey encode d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7
last_line_is AAAAAAAAAADSusL1NqdSvG0rV-BokTjznclvv5-JhSvD9VK1UWUS1w "nokey encode"
expect 0 "nokey decode" -- "$CLI" nokey decode --json AAAAAAAAAADSusL1NqdSvG0rV-BokTjznclvv5-JhSvD9VK1UWUS1w
has '"ciphertext": "d2bac2f536a752bc6d2b57e0689138f39dc96fbf9f89852bc3f552b5516512d7"' "nokey decode"
expect 1 "nokey decode, not a no-key name" -- "$CLI" nokey decode 'not*base64' && has "NO_KEY_NAME" "bad no-key name"
expect 2 "nokey, unknown action" -- "$CLI" nokey frob x

# Extents (btrfs design): the first vector of the bundled extent file, through the data commands.
EXT="$VECTORS/extent/extent-seed1.json"
if [ -f "$EXT" ]; then
	# field NAME: the value of NAME in the file's first vector (one field per line, as bundled).
	field() { perl -ne 'if (/"'"$1"'": "?([0-9a-f]*)"?,?$/) { print $1; exit }' "$EXT"; }
	hex2bin() { perl -e 'print pack("H*", $ARGV[0])' "$1"; }
	EIC=$(field inode_context); EEC=$(field extent_context); EOFF=$(field extent_offset); EBS=$(field block_size)
	hex2bin "$(field master_key)" >"$TMP/ext.key"
	hex2bin "$(field plaintext)" >"$TMP/ext.pt"
	hex2bin "$(field ciphertext)" >"$TMP/ext.ct"
	expect 0 "context decode of an extent context" -- "$CLI" context decode "$EEC" --inode-context "$EIC"
	has "valid for inode: yes" "extent belongs to its inode"
	expect 0 "encrypt-data --extent-context (known answer)" -- sh -c "'$CLI' encrypt-data --key-file '$TMP/ext.key' --context $EIC --extent-context $EEC --offset $EOFF --block-size $EBS < '$TMP/ext.pt' | cmp - '$TMP/ext.ct'"
	expect 0 "decrypt-data --extent-context (known answer)" -- sh -c "'$CLI' decrypt-data --key-file '$TMP/ext.key' --context $EIC --extent-context $EEC --offset $EOFF --block-size $EBS < '$TMP/ext.ct' | cmp - '$TMP/ext.pt'"
fi

# ---------------------------------------------------------------- bench (usage, and one short smoke run of its self-checks)

expect 0 "bench --help" -- "$CLI" bench --help && has "vary by +-20%." "bench --help"
CHECKS=$((CHECKS + 1))
if grep -qF '%%' "$TMP/out"; then fail "bench --help prints a literal %%"; fi
expect 2 "bench --rounds 0" -- "$CLI" bench --rounds 0 && has "--rounds wants 1..101" "bench --rounds 0"
expect 2 "bench with an argument" -- "$CLI" bench extra && has "unexpected argument 'extra'" "bench extra argument"
expect 2 "bench --backend for a backend that does not exist" -- "$CLI" bench --backend no-such-backend --rounds 1 --quick
has "no backend named 'no-such-backend'" "bench unknown backend"
# Every row checks the library's output against OpenSSL's before timing it; one round on the portable backend.
if expect 0 "bench --backend portable --json (self-checks)" -- sh -c "'$CLI' bench --backend portable --rounds 1 --quick --json 2>&1"; then
	for row in aes-256-xts-encrypt-4096 aes-128-cbc-essiv-decrypt-4096 aes-256-cts-decrypt-32 adiantum-encrypt-4096 \
		aes-256-hctr2-decrypt-4064 key-derivation-64 inode-open-aes-256-xts extent-info-setup; do
		has "\"benchmark\": \"$row\"" "bench row $row"
	done
	has '"baseline_cycles_per_byte"' "bench JSON fields"
fi

# ---------------------------------------------------------------- top level

expect 0 "--version" -- "$CLI" --version && has "fscrypt-ext " "--version"
expect 0 "--help" -- "$CLI" --help && has "Commands:" "--help"
expect 2 "no command" -- "$CLI"
expect 2 "unknown command" -- "$CLI" frobnicate && has "unknown command 'frobnicate'" "unknown command"
expect 0 "help kat" -- "$CLI" help kat && has "Usage: fscrypt-ext kat" "help kat"

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
