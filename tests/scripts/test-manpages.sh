#!/usr/bin/env bash
# The man pages (docs/man/*.1) agree with the programs' --help: every command each program lists
# has its own entry in the page, and every option any --help prints is documented there; the
# pages render without warnings.
# Usage: test-manpages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; fi
build=$1 src=$2
cli="$build/tools/fscrypt-ext"
ext4="$build/tools/ext4/fscrypt-ext-ext4"
fail=0 checked=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The page's text with roff escapes for '-' removed, so "\-\-keys" reads "--keys".
page_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(em/--/g' "$1"; }

# Options printed by a --help text: --long and -x forms at the start of an item or in usage lines.
options_of() { grep -oE '(^|[][ (|,])--?[a-zA-Z][a-zA-Z0-9-]*' | sed -E 's/^[][ (|,]//' | grep -vE '^-(h|-help)$' | sort -u; }

check_options() { # PAGE_TEXT_FILE WHAT HELP_TEXT
  local text=$1 what=$2 help=$3 o
  while IFS= read -r o; do
    [ -n "$o" ] || continue
    checked=$((checked + 1))
    grep -qF -- "$o" "$text" || bad "$what: option $o (in --help) is not in the man page"
  done < <(printf '%s\n' "$help" | options_of)
}

for tool in fscrypt-ext fscrypt-ext-ext4; do
  page="$src/docs/man/$tool.1"
  [ -f "$page" ] || { bad "$page is missing"; continue; }
  text=$(mktemp); page_text "$page" > "$text"
  if command -v groff >/dev/null; then
    warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
    [ -z "$warn" ] || bad "$page renders with warnings: $warn"
    checked=$((checked + 1))
  else
    bad "groff is not installed, so $page cannot be checked (apt-get install groff-base; man-db brings it)"
  fi
  if [ "$tool" = fscrypt-ext ]; then
    [ -x "$cli" ] || { bad "$cli not built"; continue; }
    help=$("$cli" --help)
    check_options "$text" "$tool" "$help"
    cmds=$(printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" {print $1}')
    [ -n "$cmds" ] || bad "no commands found in fscrypt-ext --help"
    for c in $cmds; do
      checked=$((checked + 1))
      grep -qE "^\.SS \"?$c( |\"|$)" "$text" || bad "$tool: command '$c' has no .SS entry in the man page"
      sub=$("$cli" "$c" --help 2>&1 || true)
      check_options "$text" "$tool $c" "$sub"
      # Actions with their own --help ("protector unwrap|create|show"): their options too.
      for a in $(printf '%s\n' "$sub" | awk -v c="$c" '{for (i = 1; i < NF; i++) if ($i == "fscrypt-ext" && $(i + 1) == c) print $(i + 2)}' \
                 | tr '|' '\n' | grep -E '^[a-z][a-z-]*$' | sort -u); do
        act=$("$cli" "$c" "$a" --help 2>&1) || continue
        [ "$act" != "$sub" ] || continue
        check_options "$text" "$tool $c $a" "$act"
      done
    done
  else
    if [ ! -x "$ext4" ] && grep -q '^FSCRYPT_EXT_EXT4_TOOL:BOOL=OFF' "$build/CMakeCache.txt" 2>/dev/null; then
      echo "SKIP: $tool was turned off (-DFSCRYPT_EXT_EXT4_TOOL=OFF); its page is not compared with --help"
      rm -f "$text"; continue
    fi
    [ -x "$ext4" ] || { bad "$ext4 not built"; continue; }
    help=$("$ext4" --help)
    check_options "$text" "$tool" "$help"
    # Commands: the lines indented by two spaces right after the usage line, up to the first
    # unindented line (deeper-indented lines continue a command's description).
    cmds=$(printf '%s\n' "$help" | awk 'NR == 1 {next} /^[^ ]/ {exit} /^  [a-z]/ {print $1}' | sort -u)
    [ -n "$cmds" ] || bad "no commands found in fscrypt-ext-ext4 --help"
    for c in $cmds; do
      checked=$((checked + 1))
      grep -qE "^\.SS \"?$c( |\"|$)" "$text" || bad "$tool: command '$c' has no .SS entry in the man page"
    done
  fi
  rm -f "$text"
done
echo "man pages: $checked commands and options checked, $fail missing"
[ "$fail" = 0 ] && [ "$checked" -gt 0 ]
