#!/usr/bin/env bash
# Runs every ```sh block of README.md in order, from the repository root, as a reader would
# after set-up command 1 (tools installed on PATH), so the README cannot drift from the code.
# A block preceded by the line "<!-- readme-test: skip -->" is not run (the two set-up
# commands themselves, which .ci/run runs as its own stages).
# Usage: test-readme.sh [README]   (run by .ci/run after the quickstart; needs the installed tools)
set -euo pipefail
cd "$(dirname "$0")/../.."
readme=${1:-README.md}
[ -f "$readme" ] || { echo "usage: $0 [README.md]" >&2; exit 2; }
for t in fscrypt-ext fscrypt-ext-ext4; do
  command -v "$t" >/dev/null || { echo "test-readme: $t is not on PATH: run set-up command 1 (bash tools/quickstart.sh) first" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Split the README into one file per shell block: block-NNN.sh, with its line number.
python3 - "$readme" "$work" <<'PY'
import sys, os
readme, out = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().split("\n")
n = 0; i = 0; prev = ""
while i < len(lines):
    line = lines[i]
    if line.strip() in ("```sh", "```bash", "```console"):
        start = i + 1; body = []; i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i]); i += 1
        if prev.strip() != "<!-- readme-test: skip -->":
            n += 1
            with open(os.path.join(out, "block-%03d.sh" % n), "w") as f:
                f.write("# README.md line %d\n" % start)
                f.write("\n".join(l[3:] if l.startswith("   ") and all(x.startswith("   ") or not x for x in body) else l for l in body) + "\n")
    if line.strip():
        prev = line
    i += 1
print("test-readme: %d shell blocks to run" % n)
PY

passed=0 failed=0
for b in "$work"/block-*.sh; do
  [ -e "$b" ] || continue
  where=$(head -1 "$b")
  echo "--- ${where#\# }: $(sed -n 2p "$b")"
  if bash -euo pipefail "$b" >"$b.out" 2>&1; then
    passed=$((passed + 1))
    tail -3 "$b.out" | sed 's/^/    /'
  else
    rc=$?
    failed=$((failed + 1))
    echo "FAIL (exit $rc): the block at ${where#\# } did not run as written:"
    sed 's/^/  | /' "$b"
    echo "  output:"
    tail -30 "$b.out" | sed 's/^/  > /'
  fi
done
echo "readme: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
