#!/usr/bin/env bash
# Remakes corpus-ext4/: one small ext4 image (1 KiB blocks, 192 KiB, no journal) per hostile class
# of tests/hostile (mkhostile), the seeds of the fuzz_ext4_image target.
# usage: make-ext4-corpus.sh BUILD_DIR   (needs the mkhostile target built)
set -euo pipefail
build=${1:?usage: make-ext4-corpus.sh BUILD_DIR}
out=$(cd "$(dirname "$0")" && pwd)/corpus-ext4
gen=$build/tests/hostile/mkhostile
uuid=5a5a5a5a-0000-4000-8000-000000000001
mkdir -p "$out"
for class in symlink-inline-ext symlink-size-lies casefold-hash names planted loops huge unencrypted-child; do
	opts=(-O ^has_journal,encrypt,inline_data)
	[ "$class" = casefold-hash ] && opts=(-O ^has_journal,encrypt,casefold,^metadata_csum -E encoding=utf8)
	# Fixed UUID, hash seed and time, so that the corpus is the same on every run.
	E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext4 -b 1024 -N 64 -U "$uuid" -E "hash_seed=$uuid" \
		"${opts[@]}" "$out/$class.img" 192K > /dev/null
	E2FSPROGS_FAKE_TIME=1700000000 "$gen" "$out/$class.img" "$class"
done
ls -l "$out"
