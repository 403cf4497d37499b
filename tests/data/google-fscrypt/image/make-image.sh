#!/bin/bash
# Regenerates image/: a small ext4 image on which the real `fscrypt` (0.3.3) encrypted six
# directories, compressed (fs.img.zst), with the kernel's view of each directory (view-*.txt), the
# credentials, the linked protector that lives on the root filesystem (rootmeta/), and
# manifest.json (which credential opens which directory). Root needed; the result is committed as
# data so that test-google-fscrypt-image.sh runs without root. Usage: bash make-image.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SCRIPTS=$HERE/../../../scripts
GF_WORK=$(mktemp -d)
. "$SCRIPTS/gf-lib.sh"
trap gf_cleanup EXIT
gf_need_root
gf_lock
gf_mount 16
M=$GF_MNT W=$GF_WORK
gf_setup 1 1024 1 2
mkdir "$W/cred"
printf 'lanes one' >"$W/cred/p1"; printf 'lanes two' >"$W/cred/p2"; printf 'lanes four' >"$W/cred/p4"
printf 'stored 260' >"$W/cred/p260"; printf 'v1 p\xc3\xa4ss \xe2\x9c\x93' >"$W/cred/pv1"; printf 'on root fs' >"$W/cred/plinked"
head -c 32 /dev/urandom >"$W/cred/raw.key"
enc() { mkdir "$M/$1"; { cat "$3"; echo; } | fscrypt encrypt "$M/$1" --source=custom_passphrase --name="$2" --quiet; }
prot_of() { fscrypt status "$1" | awk -v n="$2" '$0 ~ "\"" n "\"" {print $1}' | head -1; }
gf_conf 2 2048 2 2; enc a lanes2 "$W/cred/p2"; gf_populate "$M/a" 9000
gf_conf 1 1024 1 2
{ cat "$W/cred/p1"; echo; } | fscrypt metadata create protector "$M" --source=custom_passphrase --name=lanes1 --quiet
fscrypt metadata create protector "$M" --source=raw_key --name=raw1 --key="$W/cred/raw.key" --quiet
PA=$(fscrypt status "$M/a" | awk '/^Policy:/ {print $2}')
P2=$(prot_of "$M" lanes2) P1=$(prot_of "$M" lanes1) PR=$(prot_of "$M" raw1)
{ cat "$W/cred/p1"; echo; cat "$W/cred/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$P1" --policy="$M:$PA" --unlock-with="$M:$P2" --quiet
{ cat "$W/cred/p2"; echo; } |
	fscrypt metadata add-protector-to-policy --protector="$M:$PR" --policy="$M:$PA" --unlock-with="$M:$P2" --key="$W/cred/raw.key" --quiet
gf_conf 1 4096 4 2; enc b lanes4 "$W/cred/p4"; gf_populate "$M/b" 9000
gf_conf 1 4096 260 2; enc c p260 "$W/cred/p260"; gf_populate "$M/c" 9000
gf_conf 1 1024 2 1; enc d v1 "$W/cred/pv1"; gf_populate "$M/d" 9000
gf_conf 1 1024 1 2
mkdir "$M/e"; fscrypt encrypt "$M/e" --protector="$M:$PR" --key="$W/cred/raw.key" --quiet; gf_populate "$M/e" 9000
{ cat "$W/cred/plinked"; echo; } | fscrypt metadata create protector / --source=custom_passphrase --name=gf-linked-$$ --quiet
PL=$(prot_of / gf-linked-$$)
mkdir "$M/f"; { cat "$W/cred/plinked"; echo; } | fscrypt encrypt "$M/f" --protector="/:$PL" --quiet; gf_populate "$M/f" 9000
grep -oE '\b[a-z]{20}\b' "$M/f/fscrypt_recovery_readme.txt" | head -1 | tr -d '\n' >"$W/cred/precovery"
mkdir -p "$W/rootmeta/protectors"; cp "/.fscrypt/protectors/$PL" "$W/rootmeta/protectors/"
rm -f "/.fscrypt/protectors/$PL"
mkdir "$M/plain"; echo "not encrypted" >"$M/plain/readme"
rm -rf "$HERE/credentials" "$HERE/rootmeta" "$HERE"/view-*.txt
for d in a b c d e f; do gf_view "$M/$d" >"$HERE/view-$d.txt"; done
gf_umount
zstd -q -19 -f "$GF_IMG" -o "$HERE/fs.img.zst"
cp -r "$W/cred" "$HERE/credentials"
cp -r "$W/rootmeta" "$HERE/rootmeta"
cat >"$HERE/manifest.json" <<JSON
{ "comment": "written by make-image.sh with google/fscrypt $(fscrypt --version | awk '{print $3}')",
  "linked_protector": "$PL",
  "opens": { "a": ["--passphrase-file p2", "--passphrase-file p1", "--raw-key-file raw.key"],
             "b": ["--passphrase-file p4"], "c": ["--passphrase-file p260"], "d": ["--passphrase-file pv1"],
             "e": ["--raw-key-file raw.key"],
             "f": ["--passphrase-file precovery", "--passphrase-file plinked --metadata-dir rootmeta"] } }
JSON
ls -la "$HERE/fs.img.zst"
