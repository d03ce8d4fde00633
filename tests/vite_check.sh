#!/usr/bin/env bash
# vite_check.sh GCNRUN CORA_DIR SCRATCH: every kind of trace gcnrun writes parses in ViTE with
# 0 errors and 0 warnings (issue 14). local[2] on Cora records one trace per shuffle mode
# (pairwise, broadcast) and per layer-1 aggregation (per epoch: cora.ini's dropout 0.5;
# cached once: dropout 0), and ViTE's headless export (vite -f TRACE -e OUT.svg, under
# xvfb-run: ViTE is a Qt program and wants a display even to export) reports its parse counts
# as "N errors and M warnings were found during parsing."; anything but 0 and 0, or no such
# line, fails with ViTE's log.txt (one line per problem, written into the current folder).
# Skips (exit 77) when vite or xvfb-run is not installed (tools/setup.sh installs both).
set -euo pipefail
gcnrun=$1 cora=$2 scratch=$3
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "vite_check: $*" >&2; exit 1; }
for tool in vite xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "vite_check: skipped: $tool is not installed (tools/setup.sh installs vite, xvfb and xauth)"
    exit 77
  fi
done
rm -rf "$scratch" && mkdir -p "$scratch/home"

for shuffle in pairwise broadcast; do
  for aggregation in per-epoch cached; do
    kind="$shuffle-$aggregation"
    dir="$scratch/$kind"
    mkdir -p "$dir"
    dropout=()
    [ "$aggregation" = cached ] && dropout=(--conf model.dropout=0)
    "$gcnrun" --config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz" \
      --conf "dataset.graph=$cora/cora_graph.npz" --workers 2 --epochs 2 --shuffle "$shuffle" \
      "${dropout[@]}" --trace "$dir/trace" --quiet >"$dir.out" 2>&1 \
      || fail "$kind: gcnrun --trace failed: $(tail -n 1 "$dir.out")"
    # the trace is of the kind it is named for
    if grep -q 'L1_fwd_spmm' "$dir/trace/paje.trace"; then got=per-epoch; else got=cached; fi
    [ "$got" = "$aggregation" ] || fail "$kind: the trace's layer-1 aggregation is $got"
    if grep -q 'shuffle_[0-9]*->all' "$dir/trace/paje.trace"; then got=broadcast; else got=pairwise; fi
    [ "$got" = "$shuffle" ] || fail "$kind: the trace's shuffle is $got"
    # ViTE writes log.txt into the folder it runs in, and only when it found problems
    (cd "$dir" && HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home" timeout 300 \
      xvfb-run -a vite -f "$dir/trace/paje.trace" -e "$dir/trace.svg" >"$dir/vite.txt" 2>&1) \
      || fail "$kind: vite failed (exit $?): $(tail -n 3 "$dir/vite.txt")"
    counts=$(grep -aoE '[0-9]+ errors and [0-9]+ warnings were found during parsing' \
      "$dir/vite.txt" | tail -n 1 || true)
    [ -n "$counts" ] || fail "$kind: ViTE printed no parse counts: $(tail -n 3 "$dir/vite.txt")"
    if [ "$counts" != "0 errors and 0 warnings were found during parsing" ]; then
      log=""
      [ -f "$dir/log.txt" ] && log=$(grep -a ' : ' "$dir/log.txt" | head -n 5)
      fail "$kind: $counts; first problems (line : message): $log"
    fi
    echo "vite_check: $kind: $counts"
  done
done
echo "vite_check: ok"
