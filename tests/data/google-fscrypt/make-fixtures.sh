#!/bin/bash
# Regenerates the google/fscrypt fixtures in this folder with the real `fscrypt` tool (0.3.3) on a
# loop-mounted ext4 image (root needed). The metadata files, credentials and manifest.json it writes
# are committed as data; test_protector.c checks them. Usage: bash make-fixtures.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SCRIPTS=$HERE/../../scripts
GF_WORK=$(mktemp -d)
. "$SCRIPTS/gf-lib.sh"
trap gf_cleanup EXIT
gf_need_root
gf_lock
gf_mount 64
M=$GF_MNT
gf_setup 1 1024 1 2

printf 'correct horse 1' >"$GF_WORK/p1"
printf 'lanes two passphrase' >"$GF_WORK/p2"
printf 'four lanes here' >"$GF_WORK/p4"
printf 'truncated to four lanes' >"$GF_WORK/p260"
printf 'p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac' >"$GF_WORK/putf8"
printf 'other filesystem' >"$GF_WORK/plinked"
head -c 32 /dev/urandom >"$GF_WORK/raw.key"

# enc DIR NAME PASSFILE: a new directory under a new custom_passphrase protector.
enc() { mkdir "$M/$1"; { cat "$3"; echo; } | fscrypt encrypt "$M/$1" --source=custom_passphrase --name="$2" --quiet; }
desc_of() { fscrypt status "$M/$1" | awk '/^Policy:/ {print $2}'; }
prot_of_name() { fscrypt status "$M" | awk -v n="$1" '$0 ~ "\"" n "\"" {print $1}' | head -1; }

gf_conf 2 2048 2 2
enc a lanes2 "$GF_WORK/p2"
gf_conf 1 1024 1 2
{ cat "$GF_WORK/p1"; echo; } | fscrypt metadata create protector "$M" --source=custom_passphrase --name=lanes1 --quiet
fscrypt metadata create protector "$M" --source=raw_key --name=rawkey1 --key="$GF_WORK/raw.key" --quiet
PA=$(desc_of a)
P2=$(prot_of_name lanes2); P1=$(prot_of_name lanes1); PR=$(prot_of_name rawkey1)
{ cat "$GF_WORK/p1"; echo; cat "$GF_WORK/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$P1" --policy="$M:$PA" --unlock-with="$M:$P2" --quiet
{ cat "$GF_WORK/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$PR" --policy="$M:$PA" --unlock-with="$M:$P2" --key="$GF_WORK/raw.key" --quiet
gf_conf 1 4096 4 2
enc b lanes4 "$GF_WORK/p4"
gf_conf 1 4096 260 2
enc c p260 "$GF_WORK/p260"
gf_conf 2 1024 2 1
enc d utf8 "$GF_WORK/putf8"
gf_conf 1 1024 1 2
mkdir "$M/e"; fscrypt encrypt "$M/e" --protector="$M:$PR" --key="$GF_WORK/raw.key" --quiet
# A protector on the root filesystem: the image gets a .link and a recovery protector.
{ cat "$GF_WORK/plinked"; echo; } | fscrypt metadata create protector / --source=custom_passphrase --name=linked-$$ --quiet
PL=$(fscrypt status / | awk -v n="linked-$$" '$0 ~ "\"" n "\"" {print $1}' | head -1)
mkdir "$M/f"; { cat "$GF_WORK/plinked"; echo; } | fscrypt encrypt "$M/f" --protector="/:$PL" --quiet
sed -n 's/.*passphrase: *\([a-z]\{20\}\).*/\1/p; s/^ *\([a-z]\{20\}\) *$/\1/p' "$M/f/fscrypt_recovery_readme.txt" | head -1 | tr -d '\n' >"$GF_WORK/precovery"
[ -s "$GF_WORK/precovery" ] || { echo "no recovery passphrase found in:"; cat "$M/f/fscrypt_recovery_readme.txt"; exit 1; }
PREC=$(prot_of_name "Recovery passphrase for f")

rm -rf "$HERE/protectors" "$HERE/policies" "$HERE/other" "$HERE/credentials"
mkdir -p "$HERE/protectors" "$HERE/policies" "$HERE/other/protectors" "$HERE/credentials"
cp "$M/.fscrypt/protectors/"* "$HERE/protectors/"
cp "$M/.fscrypt/policies/"* "$HERE/policies/"
cp "/.fscrypt/protectors/$PL" "$HERE/other/protectors/"
cp "$GF_WORK"/p1 "$GF_WORK"/p2 "$GF_WORK"/p4 "$GF_WORK"/p260 "$GF_WORK"/putf8 "$GF_WORK"/plinked \
	"$GF_WORK"/precovery "$GF_WORK"/raw.key "$HERE/credentials/"
rm -f "/.fscrypt/protectors/$PL"

# The kernel's own view of each directory's key (the known answers), and what unlocks what.
kern() { python3 "$SCRIPTS/gf_policy_of.py" "$M/$1"; }
{
	echo '{ "comment": "written by make-fixtures.sh with google/fscrypt '"$(fscrypt --version | awk '{print $3}')"'",'
	echo '  "protectors": ['
	echo '    { "descriptor": "'$P2'", "credential": "p2", "lanes": 2, "parallelism": 2 },'
	echo '    { "descriptor": "'$P1'", "credential": "p1", "lanes": 1, "parallelism": 1 },'
	echo '    { "descriptor": "'$PR'", "credential": "raw.key", "raw": true },'
	echo '    { "descriptor": "'$(prot_of_name lanes4)'", "credential": "p4", "lanes": 4, "parallelism": 4 },'
	echo '    { "descriptor": "'$(prot_of_name p260)'", "credential": "p260", "lanes": 4, "parallelism": 260 },'
	echo '    { "descriptor": "'$(prot_of_name utf8)'", "credential": "putf8", "lanes": 2, "parallelism": 2 },'
	echo '    { "descriptor": "'$PREC'", "credential": "precovery", "lanes": 1, "parallelism": 1 },'
	echo '    { "descriptor": "'$PL'", "credential": "plinked", "lanes": 1, "parallelism": 1, "dir": "other" }'
	echo '  ],'
	echo '  "directories": ['
	first=1
	for d in a b c d e f; do
		read -r v k < <(kern $d)
		[ $first = 1 ] || echo ','
		first=0
		printf '    { "dir": "%s", "policy": "%s", "version": %s, "kernel_key": "%s", "protectors": [' "$d" "$(desc_of $d)" "$v" "$k"
		fscrypt status "$M/$d" | grep -oE '^[0-9a-f]{16} ' | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, | tr -d '\n'
		printf '] }'
	done
	echo
	echo '  ] }'
} >"$HERE/manifest.json"
python3 -m json.tool "$HERE/manifest.json" >/dev/null
echo "fixtures written to $HERE"
