#!/usr/bin/env bash
# Bounded coverage-guided fuzzing for CI: builds every fuzz target (tests/fuzz/fuzz_*.c) with clang
# and -fsanitize=fuzzer,address,undefined (the library and tools instrumented for coverage too),
# runs each for FUZZ_SECONDS (default 60) over a scratch copy of its corpus, and fails on any crash,
# leak, sanitizer report or slow input (-timeout). Prints the executions of each target.
# usage: fuzz-ci.sh   (from anywhere; builds in build-fuzz/)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
if ! command -v clang > /dev/null; then
	echo "fuzz-ci: FAIL: clang is not installed (tools/debian-packages.txt lists it)"
	exit 1
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -DFSCRYPT_EXT_SANITIZE=ON > build-fuzz.log 2>&1 ||
	{ cat build-fuzz.log; exit 1; }
targets=()
known=$(cmake --build build-fuzz --target help)
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	if grep -qx "\.\.\. $t" <<< "$known"; then
		targets+=("$t")
	else
		echo "fuzz-ci: FAIL: $src has no libFuzzer target $t in tests/fuzz/CMakeLists.txt"
		exit 1
	fi
done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >> build-fuzz.log 2>&1 || { tail -n 40 build-fuzz.log; exit 1; }
rm -f build-fuzz.log

declare -A corpus=([fuzz_parsers]=tests/fuzz/corpus [fuzz_ext4_image]=tests/fuzz/corpus-ext4)
tmp=$(mktemp -d -p "$([ -w /dev/shm ] && echo /dev/shm || echo /tmp)")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scratch"
status=0
summary=()
for t in "${targets[@]}"; do
	seed=${corpus[$t]:-tests/fuzz/corpus-${t#fuzz_}}
	mkdir -p "$tmp/$t" "build-fuzz/artifacts/$t"
	[ -d "$seed" ] && cp -r "$seed"/. "$tmp/$t/"
	echo "fuzz-ci: $t for $seconds s (seeds: $(ls "$tmp/$t" | wc -l) from $seed)"
	if TMPDIR=$tmp/scratch ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"build-fuzz/tests/fuzz/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t/" "$tmp/$t" > "$tmp/$t.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log" | tail -n 1)
		summary+=("$t: ${execs:-?} executions in $seconds s, no crash")
	else
		status=1
		tail -n 60 "$tmp/$t.log"
		summary+=("$t: FAILED (crash input in build-fuzz/artifacts/$t/)")
	fi
done
printf 'fuzz-ci: %s\n' "${summary[@]}"
exit $status
