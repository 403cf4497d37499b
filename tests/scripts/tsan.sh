#!/usr/bin/env bash
# CI stage: the keyring lifecycle and thread stress suite under ThreadSanitizer, in build-tsan/.
# (Not a ctest script: .ci/run calls it directly. Any TSan report makes the suite fail: exit 66 in Check's child.)
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFSCRYPT_EXT_TSAN=ON \
      -DFSCRYPT_EXT_BUILD_TOOLS=OFF -DFSCRYPT_EXT_BUILD_EXAMPLES=OFF
cmake --build build-tsan -j"$(nproc)" --target test_keyring test_secmem
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
ctest --test-dir build-tsan --output-on-failure -R '^(keyring|secmem)$'
