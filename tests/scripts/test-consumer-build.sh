#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then builds and runs an out-of-tree
# program twice: through pkg-config and through CMake find_package(fscrypt-ext).
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
# A sanitizer build installs a sanitized library: its consumers must link the same runtimes.
san=()
if grep -q '^FSCRYPT_EXT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  san=(-fsanitize=address,undefined)
  echo "sanitized build: consumers are built with ${san[*]}"
fi
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'fscrypt-ext.pc' | head -1)")/..
[ -f "$libdir/pkgconfig/fscrypt-ext.pc" ] || { echo "FAIL: no fscrypt-ext.pc installed"; exit 1; }
grep -q '^Requires.private: libsodium libcrypto' "$libdir/pkgconfig/fscrypt-ext.pc" || { echo "FAIL: Requires.private"; exit 1; }

echo "== pkg-config build"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# The .pc file was configured for the build prefix; point it at the temporary one.
sed -i "s|^prefix=.*|prefix=$prefix|" "$libdir/pkgconfig/fscrypt-ext.pc"
sed -i "s|^libdir=.*|libdir=$(cd "$libdir" && pwd)|; s|^includedir=.*|includedir=$prefix/include|" "$libdir/pkgconfig/fscrypt-ext.pc"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "${san[@]}" -o "$tmp/consumer-pc" "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs fscrypt-ext)
LD_LIBRARY_PATH="$(cd "$libdir" && pwd)" "$tmp/consumer-pc"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "${san[@]}" -o "$tmp/consumer-static" "$src/tests/consumer/consumer.c" \
   $(pkg-config --static --cflags fscrypt-ext) "$(cd "$libdir" && pwd)/libfscrypt-ext.a" $(pkg-config --static --libs-only-l --libs-only-L libsodium libcrypto) -lpthread
"$tmp/consumer-static"

echo "== CMake find_package build"
cmake -S "$src/tests/consumer" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="${san[*]}" -DCMAKE_EXE_LINKER_FLAGS="${san[*]}" >/dev/null
cmake --build "$tmp/cm" >/dev/null
LD_LIBRARY_PATH="$(cd "$libdir" && pwd)" "$tmp/cm/consumer"

echo "== exported symbols all carry the fscrypt_ext_ prefix"
bad=$(nm -D --defined-only "$libdir/libfscrypt-ext.so" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^fscrypt_ext_' | grep -v '^_' || true)
if [ -n "$bad" ]; then echo "FAIL: unexpected exported symbols:"; echo "$bad"; exit 1; fi
internal=$(nm -D --defined-only "$libdir/libfscrypt-ext.so" | awk '{print $3}' | grep '^fscrypt_ext__' || true)
if [ -n "$internal" ]; then echo "FAIL: internal symbols exported:"; echo "$internal"; exit 1; fi
readelf -d "$libdir/libfscrypt-ext.so" | grep -q 'SONAME.*libfscrypt-ext.so.0' || { echo "FAIL: SONAME"; exit 1; }
echo "== public headers compile next to <linux/fscrypt.h>, as C and C++"
printf '#include <linux/fscrypt.h>\n#include <fscrypt_ext/fscrypt_ext.h>\nint main(void){return FSCRYPT_MODE_AES_256_XTS == FSCRYPT_EXT_MODE_AES_256_XTS ? 0 : 1;}\n' > "$tmp/both.c"
cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$prefix/include" -c "$tmp/both.c" -o "$tmp/both.o"
if command -v c++ >/dev/null; then cp "$tmp/both.c" "$tmp/both.cc"; c++ -Wall -Werror -I"$prefix/include" -c "$tmp/both.cc" -o "$tmp/both2.o"; fi

# The protector library (google/fscrypt), when built: its own .pc, CMake component, symbols, SONAME.
if [ -f "$libdir/pkgconfig/fscrypt-ext-protector.pc" ]; then
  echo "== protector library: pkg-config (shared, static) and find_package(... COMPONENTS protector)"
  pc=$libdir/pkgconfig/fscrypt-ext-protector.pc
  sed -i "s|^prefix=.*|prefix=$prefix|; s|^libdir=.*|libdir=$(cd "$libdir" && pwd)|; s|^includedir=.*|includedir=$prefix/include|" "$pc"
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Werror "${san[@]}" -o "$tmp/cp-pc" "$src/tests/consumer/consumer_protector.c" $(pkg-config --cflags --libs fscrypt-ext-protector)
  LD_LIBRARY_PATH="$(cd "$libdir" && pwd)" "$tmp/cp-pc"
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Werror "${san[@]}" -o "$tmp/cp-static" "$src/tests/consumer/consumer_protector.c" \
     $(pkg-config --static --cflags fscrypt-ext-protector) "$(cd "$libdir" && pwd)/libfscrypt-ext-protector.a" \
     "$(cd "$libdir" && pwd)/libfscrypt-ext.a" $(pkg-config --static --libs-only-l --libs-only-L libargon2 libprotobuf-c libsodium libcrypto) -lpthread
  "$tmp/cp-static"
  cmake -S "$src/tests/consumer/protector" -B "$tmp/cmp" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="${san[*]}" -DCMAKE_EXE_LINKER_FLAGS="${san[*]}" >/dev/null
  cmake --build "$tmp/cmp" >/dev/null
  LD_LIBRARY_PATH="$(cd "$libdir" && pwd)" "$tmp/cmp/consumer_protector"
  bad=$(nm -D --defined-only "$libdir/libfscrypt-ext-protector.so" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^fscrypt_ext_gf_' | grep -v '^_' || true)
  if [ -n "$bad" ]; then echo "FAIL: unexpected symbols exported by the protector library:"; echo "$bad"; exit 1; fi
  readelf -d "$libdir/libfscrypt-ext-protector.so" | grep -q 'SONAME.*libfscrypt-ext-protector.so.0' || { echo "FAIL: protector SONAME"; exit 1; }
  printf '#include <linux/fscrypt.h>\n#include <fscrypt_ext/protector.h>\nint main(void){return FSCRYPT_EXT_GF_SOURCE_RAW_KEY == 3 ? 0 : 1;}\n' > "$tmp/gf.c"
  cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$prefix/include" -c "$tmp/gf.c" -o "$tmp/gf.o"
fi
echo "consumer builds: OK"
