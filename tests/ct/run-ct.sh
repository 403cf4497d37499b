#!/usr/bin/env bash
# Runs the constant-time check (ct_check) under valgrind memcheck: first the negative self-test, which
# memcheck must report, then every portable primitive and fscrypt mode, which it must not.
# Usage: run-ct.sh PATH-TO-ct_check. Exit 77 (skip) without valgrind, its header, or in a sanitized build.
set -uo pipefail
prog=${1:-}
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIP: valgrind is not installed (apt-get install valgrind)"; exit 77
fi
if [ -z "$prog" ] || [ ! -x "$prog" ]; then
  echo "SKIP: ct_check was not built (valgrind/memcheck.h missing at configure time)"; exit 77
fi
# grep -c reads all of nm's output (grep -q would stop early and pipefail would see nm's SIGPIPE).
if [ "$(nm "$prog" 2>/dev/null | grep -c '__asan_init\|__tsan_init')" -gt 0 ]; then
  echo "SKIP: sanitized build; memcheck runs on the plain build"; exit 77
fi
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
vg=(valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --num-callers=30 --leak-check=no
    --suppressions="$(dirname "$0")/ct.supp")
export FSCRYPT_EXT_BACKEND=portable

# 1. The check can fail: a secret-indexed table lookup and a secret branch must both be reported.
if "${vg[@]}" "$prog" --negative >"$log/neg.out" 2>"$log/neg.err"; then
  cat "$log/neg.err"; echo "FAIL: memcheck did not report the deliberate secret-dependent code"; exit 1
fi
if ! grep -q "Use of uninitialised value of size" "$log/neg.err" ||
   ! grep -q "Conditional jump or move depends on uninitialised value" "$log/neg.err"; then
  cat "$log/neg.err"; echo "FAIL: the negative self-test's index and branch were not both reported"; exit 1
fi
echo "negative self-test: secret table index and secret branch reported, as they must be"

# 1b. A real table-based cipher is caught too: OpenSSL's SM4 (skipped, and said so, if this OpenSSL lacks SM4).
"${vg[@]}" "$prog" --negative-openssl-sm4 >"$log/ossl.out" 2>"$log/ossl.err"
rc=$?
if [ "$rc" -eq 3 ]; then
  echo "negative OpenSSL SM4: this OpenSSL has no SM4-ECB, not run"
elif [ "$rc" -eq 1 ] && grep -q "Use of uninitialised value of size" "$log/ossl.err"; then
  echo "negative OpenSSL SM4: $(grep -o 'ERROR SUMMARY: [0-9]* errors from [0-9]* contexts' "$log/ossl.err" | head -1) (table lookups), as expected"
else
  cat "$log/ossl.err"; echo "FAIL: memcheck did not report OpenSSL's table-based SM4 (exit $rc)"; exit 1
fi

# 2. The library: no report.
start=$(date +%s)
"${vg[@]}" -s "$prog" >"$log/out" 2>"$log/err"
rc=$?
cat "$log/err"
cases=$(grep -c '^ct: case ' "$log/err")
echo "constant-time check: $cases cases on the portable backend in $(( $(date +%s) - start ))s, valgrind exit $rc"
if [ "$rc" -ne 0 ]; then
  echo "FAIL: memcheck reported secret-dependent branches or indices (see above; each follows its 'ct: case')"
  exit 1
fi

# 3. The same with the assembly SHA-512 (lib/x86/sha512_x86_64.S, AVX2 and BMI2, both of which
# memcheck runs) behind every HMAC and HKDF, where this build and CPU have it: its rounds and
# message schedule must not branch on or index by the key either.
if [ "$(nm "$prog" 2>/dev/null | grep -c 'fscrypt_ext__sha512_x86_hmac$')" -gt 0 ] && grep -qw bmi2 /proc/cpuinfo &&
   grep -qw avx2 /proc/cpuinfo; then
  start=$(date +%s)
  FSCRYPT_EXT_BACKEND=portable,sha512=avx2-asm "${vg[@]}" -s "$prog" >"$log/asm.out" 2>"$log/asm.err"
  rc=$?
  cases=$(grep -c '^ct: case ' "$log/asm.err")
  echo "constant-time check: $cases cases with sha512=avx2-asm in $(( $(date +%s) - start ))s, valgrind exit $rc"
  if [ "$rc" -ne 0 ]; then
    cat "$log/asm.err"
    echo "FAIL: memcheck reported secret-dependent branches or indices with the assembly SHA-512"
    exit 1
  fi
else
  echo "constant-time check: assembly SHA-512 not built or AVX2/BMI2 missing here, its pass not run"
fi
