#!/usr/bin/env bash
# Prints a deb-src entry for Debian's main archive copied from this machine's own deb entry, so
# that `apt-get source` goes through the same mirror or proxy, with the same options
# (Signed-By, [arch=...], ...), as the binary packages. tools/setup.sh calls it when no deb-src
# entry is configured.
#
# Usage: tools/debsrc.sh [--suite SUITE] [ROOT]
#   ROOT     the apt configuration folder to read (default /etc/apt): ROOT/sources.list and
#            ROOT/sources.list.d/*.list (one-line format), ROOT/sources.list.d/*.sources (deb822)
#   --suite  the archive suite to copy (default bookworm, the release tools/setup.sh targets)
#
# It picks the first enabled entry of type deb that lists SUITE itself (not SUITE-security or
# SUITE-updates) with component main, in apt's reading order (sources.list, then
# sources.list.d/ by name), preferring an entry whose URI ends in /debian (a Debian archive or
# a mirror of one) over any other. It prints that entry with deb-src as its type and SUITE as
# its only suite, everything else as it was, in the entry's own format, after one comment line
# saying where it was copied from: "# deb-src copy of FILE line N (tools/debsrc.sh)". Without
# such an entry it prints one line on stderr and exits 1; a usage error exits 2.
set -euo pipefail
export LC_ALL=C

suite=bookworm
root=/etc/apt
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) [ $# -ge 2 ] || { echo "usage: tools/debsrc.sh [--suite SUITE] [ROOT]" >&2; exit 2; }
             suite=$2; shift 2 ;;
    -*) echo "usage: tools/debsrc.sh [--suite SUITE] [ROOT]" >&2; exit 2 ;;
    *) root=$1; shift; [ $# -eq 0 ] || { echo "usage: tools/debsrc.sh [--suite SUITE] [ROOT]" >&2; exit 2; } ;;
  esac
done
fail() { echo "debsrc.sh: $*" >&2; exit 1; }
[ -d "$root" ] || fail "$root: no such folder (pass the apt configuration folder, e.g. /etc/apt)"

best="" best_tier=3 best_origin=""
# offer TIER ENTRY ORIGIN: keeps the first entry of the best (lowest) tier
offer() { if [ "$1" -lt "$best_tier" ]; then best_tier=$1 best=$2 best_origin=$3; fi; }
# tier URI...: 1 when some URI's path ends in /debian, else 2
tier() {
  local u
  for u in "$@"; do [[ "${u%/}" == */debian ]] && { echo 1; return; }; done
  echo 2
}
has_word() { local w=$1; shift; local x; for x in "$@"; do [ "$x" = "$w" ] && return 0; done; return 1; }

# One-line format: deb [ OPTIONS ] URI SUITE COMPONENT...; '#' starts a comment.
scan_list() {
  local file=$1 n=0 line i opts
  local -a tok
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    line=${line%%#*}
    read -r -a tok <<<"$line" || true
    if [ "${#tok[@]}" -lt 3 ] || [ "${tok[0]}" != deb ]; then continue; fi
    i=1 opts=""
    if [[ ${tok[1]} == "["* ]]; then
      while [ "$i" -lt "${#tok[@]}" ]; do
        opts+="${opts:+ }${tok[i]}"
        i=$((i + 1))
        [[ $opts == *"]" ]] && break
      done
      [[ $opts == *"]" ]] || continue # unterminated options: apt rejects the line too
    fi
    [ $((i + 2)) -lt "${#tok[@]}" ] || continue # URI, suite and at least one component
    local uri=${tok[i]} s=${tok[i + 1]}
    local -a comps=("${tok[@]:i+2}")
    if [ "$s" != "$suite" ] || ! has_word main "${comps[@]}"; then continue; fi
    offer "$(tier "$uri")" "deb-src${opts:+ $opts} $uri $s ${comps[*]}" "$file line $n"
  done <"$file"
}

# deb822 format: stanzas of "Key: value" fields (continuation lines start with a blank)
# separated by empty lines; '#' lines are comments.
stanza_lines=() stanza_start=0
scan_stanza() {
  local file=$1 l key val
  local types="" suites="" components="" uris="" enabled=yes
  local -a keys=() vals=()
  [ "${#stanza_lines[@]}" -gt 0 ] || return 0
  for l in "${stanza_lines[@]}"; do
    if [[ $l == [[:blank:]]* ]] && [ "${#keys[@]}" -gt 0 ]; then
      vals[-1]+=$'\n'"$l"
    elif [[ $l == *:* ]]; then
      keys+=("${l%%:*}") vals+=("$l")
    fi
  done
  for i in "${!keys[@]}"; do
    key=${keys[i],,}
    val=${vals[i]#*:}
    val=${val//$'\n'/ }
    case "$key" in
      types) types=$val ;; suites) suites=$val ;; components) components=$val ;; uris) uris=$val ;;
      enabled) read -r enabled <<<"$val" || true ;;
    esac
  done
  [ "${enabled,,}" != no ] || return 0
  # shellcheck disable=SC2086 # word lists
  if ! has_word deb $types || ! has_word "$suite" $suites || ! has_word main $components; then
    return 0
  fi
  local out=""
  for i in "${!keys[@]}"; do
    case "${keys[i],,}" in
      types) out+="Types: deb-src"$'\n' ;;
      suites) out+="Suites: $suite"$'\n' ;;
      *) out+="${vals[i]}"$'\n' ;;
    esac
  done
  # shellcheck disable=SC2086
  offer "$(tier $uris)" "${out%$'\n'}" "$file line $stanza_start"
}
scan_sources() {
  local file=$1 n=0 line
  stanza_lines=() stanza_start=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [[ $line =~ ^[[:blank:]]*$ ]]; then
      scan_stanza "$file"
      stanza_lines=() stanza_start=0
    elif [[ $line != \#* ]]; then
      [ "$stanza_start" -gt 0 ] || stanza_start=$n
      stanza_lines+=("$line")
    fi
  done <"$file"
  scan_stanza "$file"
}

[ -f "$root/sources.list" ] && scan_list "$root/sources.list"
for f in "$root"/sources.list.d/*; do
  [ -f "$f" ] || continue
  case "$f" in
    *.list) scan_list "$f" ;;
    *.sources) scan_sources "$f" ;;
  esac
done
[ -n "$best" ] || fail "no enabled deb entry for Debian $suite main in $root/sources.list or $root/sources.list.d/*.list, *.sources; add one (e.g. deb http://deb.debian.org/debian $suite main) or a deb-src entry by hand"
printf '# deb-src copy of %s (tools/debsrc.sh)\n%s\n' "$best_origin" "$best"
