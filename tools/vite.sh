#!/usr/bin/env bash
# Opens a gcnrun trace folder (gcnrun --trace DIR) in ViTE, installing Debian's vite package
# when it is missing.
#
# Usage: tools/vite.sh DIR      open DIR/paje.trace in ViTE
#        tools/vite.sh --check DIR
#                               only make sure DIR holds a converted trace and say whether
#                               ViTE is installed; install and open nothing (for machines
#                               without a display, and for tests)
# When DIR holds the raw FxT file but no paje.trace (a run that was killed before its
# conversion), it is converted first with the starpu_fxt_tool that gcnrun was built with.
set -euo pipefail

check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
if [ $# -ne 1 ] || [ "${1:0:1}" = "-" ]; then
  echo "usage: tools/vite.sh [--check] TRACE_DIR (a folder written by gcnrun --trace)" >&2
  exit 2
fi
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "vite.sh: $*" >&2; exit 1; }

[ -d "$dir" ] || fail "$dir: no such folder; pass the folder given to gcnrun --trace"
if [ ! -s "$dir/paje.trace" ]; then
  raw=$(find "$dir" -maxdepth 1 -name 'gcnrun.fxt*' -type f | head -n 1)
  [ -n "$raw" ] || fail "$dir holds neither paje.trace nor a raw gcnrun.fxt_0 file; run gcnrun --trace $dir first"
  tool=$(command -v starpu_fxt_tool || true)
  [ -n "$tool" ] || tool="$root/.deps/starpu/bin/starpu_fxt_tool"
  [ -x "$tool" ] || fail "starpu_fxt_tool not found (on PATH or in $root/.deps/starpu/bin); run tools/setup.sh"
  echo "vite.sh: converting $raw with $tool"
  (cd "$dir" && "$tool" -i "$(basename "$raw")" >fxt_tool.log 2>&1) \
    || fail "starpu_fxt_tool failed on $raw; see $dir/fxt_tool.log"
  [ -s "$dir/paje.trace" ] || fail "starpu_fxt_tool wrote no paje.trace; see $dir/fxt_tool.log"
fi

if [ "$check_only" -eq 1 ]; then
  if command -v vite >/dev/null 2>&1; then have="installed"; else have="not installed yet (tools/vite.sh installs it)"; fi
  echo "vite.sh: $dir/paje.trace is ready; ViTE is $have; open it with: vite $dir/paje.trace"
  exit 0
fi
if ! command -v vite >/dev/null 2>&1; then
  echo "vite.sh: installing Debian's vite package"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q vite >/dev/null \
    || { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q vite >/dev/null; } \
    || fail "could not install vite (apt-get install vite); install it by hand"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  fail "no display (DISPLAY is unset): copy $dir to a machine with one and run vite $dir/paje.trace there"
fi
exec vite "$dir/paje.trace"
