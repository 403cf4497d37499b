#!/usr/bin/env bash
# Cross-builds the library, tests and tool for arm64 and runs the whole ctest suite under
# qemu-aarch64 -cpu max: every per-backend suite once with armv8-ce and once with portable,
# plus the known-answer vector run. Usage: arm64.sh [BUILD_DIR]; run as root on a fresh Debian 12
# to install the cross toolchain (set FSCRYPT_EXT_ARM64_NO_INSTALL=1 to skip installing).
# The protector library is left out (-DFSCRYPT_EXT_PROTECTOR=OFF): no :arm64 libargon2/protobuf-c here.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-arm64}
jobs=${JOBS:-$(nproc)}
start=$(date +%s)
say() { echo "arm64.sh [$(( $(date +%s) - start ))s]: $*"; }

# Multiarch :arm64 -dev packages install next to the amd64 ones as long as both come from the
# same Debian release and security level (libssl-dev:arm64 must match libssl-dev:amd64 exactly),
# so one apt-get update and install brings them in together.
pkgs=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user pkg-config cmake libc6:arm64
      libsodium-dev:arm64 libssl-dev:arm64 check:arm64 libsubunit-dev:arm64 libjson-c-dev:arm64)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${FSCRYPT_EXT_ARM64_NO_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
    echo "arm64.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update
  # The amd64 -dev packages are upgraded together so the :arm64 twins get the same versions.
  # No recommends: qemu-user alone is enough (no binfmt, no systemd).
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" \
    libssl-dev libsodium-dev libjson-c-dev check
fi

say "configuring $build"
mkdir -p "$build"
cmake -S "$src" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFSCRYPT_EXT_PROTECTOR=OFF >"$build/arm64-configure.log" 2>&1 || { cat "$build/arm64-configure.log"; exit 1; }
grep -E "fscrypt-ext backends" "$build/arm64-configure.log" || true
grep -q "FSCRYPT_EXT_HAVE_ARMCE" "$build/arm64-configure.log" || { echo "arm64.sh: the ARMv8-CE backend was not configured" >&2; exit 1; }
say "building"
cmake --build "$build" -j"$jobs" >"$build/arm64-build.log" 2>&1 || { tail -50 "$build/arm64-build.log"; exit 1; }

# Which backend the library picks by itself under qemu -cpu max (must be armv8-ce).
probe=$build/arm64-backend-probe
cat >"$probe.c" <<'C'
#include <stdio.h>
#include <fscrypt_ext/fscrypt_ext.h>
int main(void)
{
	int avail;
	if (fscrypt_ext_init() != 0)
		return 2;
	for (size_t i = 0; fscrypt_ext_backend_at(i, &avail) != NULL; i++)
		printf("backend %s%s\n", fscrypt_ext_backend_at(i, &avail), avail ? " (available)" : "");
	printf("selected %s\n", fscrypt_ext_backend_name());
	const char *impl;
	for (size_t i = 0; fscrypt_ext_backend_primitive(i, &impl) != NULL; i++)
		printf("  %s: %s\n", fscrypt_ext_backend_primitive(i, NULL), impl);
	return 0;
}
C
lib=$(find "$build" -maxdepth 2 -name 'libfscrypt-ext.so' | head -1)
aarch64-linux-gnu-gcc -I"$src/include" "$probe.c" -o "$probe" -L"$(dirname "$lib")" -lfscrypt-ext \
  -Wl,-rpath,"$(dirname "$lib")"
sel=$(env -u FSCRYPT_EXT_BACKEND qemu-aarch64 -cpu max "$probe")
echo "$sel"
echo "$sel" | grep -qx "selected armv8-ce" || { echo "arm64.sh: expected armv8-ce to be selected" >&2; exit 1; }

# Shell-script tests run host tools on the build tree (no binfmt_misc for arm64 binaries in
# containers), so they are left to the native run; everything else runs under qemu.
ntests=$(ctest --test-dir "$build" -N -E '^script-' | sed -n 's/^Total Tests: //p')
nce=$(ctest --test-dir "$build" -N -R '@armv8-ce$' | sed -n 's/^Total Tests: //p')
say "running $ntests tests under qemu-aarch64 -cpu max ($nce with FSCRYPT_EXT_BACKEND=armv8-ce)"
[ "${nce:-0}" -gt 0 ] || { echo "arm64.sh: no armv8-ce test entries" >&2; exit 1; }
ctest --test-dir "$build" -E '^script-' --output-on-failure -j"$jobs" --timeout 900
say "all arm64 tests passed (armv8-ce and portable backends)"
