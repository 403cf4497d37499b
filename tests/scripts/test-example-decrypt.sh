#!/usr/bin/env bash
# ctest wrapper: the decrypt_file example must reproduce every kernel-written file start.
exec bash "$(dirname "$0")/demo-decrypt.sh" "$1" "$2" 1000
