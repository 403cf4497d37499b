# CMake toolchain file: cross-build for arm64 with Debian's aarch64-linux-gnu gcc and multiarch
# (:arm64) -dev packages; ctest runs the programs under qemu-aarch64 (tests/scripts/arm64.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Headers and libraries come from /usr (multiarch) and the cross libc; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see only the arm64 .pc files, never the amd64 ones.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# "-cpu max" exposes the ARMv8 Crypto Extensions (AES, PMULL), so the armv8-ce backend is chosen.
# Programs run on the multiarch libc6:arm64 (/lib/ld-linux-aarch64.so.1, which the :arm64 -dev
# packages pull in), not with -L /usr/aarch64-linux-gnu: that loader is the cross libc's, and paired
# with the multiarch libc.so.6 of a different build, fork() hangs under qemu-user 7.2.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -cpu max)
