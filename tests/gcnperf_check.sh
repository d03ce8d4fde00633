#!/usr/bin/env bash
# gcnperf_check.sh GCNPERF CORA_DIR SCRATCH: gcnperf end to end on Cora (issue 13). Both the
# per-epoch and the cached first aggregation: every section of the report is there, the top
# layer's backward SpMM is timed over its training-column plan (a share of the nonzeros
# below 100 %), each verdict matches its printed ratio, the exit status matches the verdicts,
# and a missing config is one error line with a non-zero exit.
set -euo pipefail
gcnperf=$1 cora=$2 scratch=$3
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "gcnperf_check: $*" >&2; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch"
cfg=(--config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz"
     --conf "dataset.graph=$cora/cora_graph.npz" --epochs 3)

# verdict PREFIX FILE: on FILE's line starting with PREFIX, "R (target <= T) PASS|MISS" must
# agree with R <= T; prints the verdict, or BAD and the line's figures
verdict() {
  awk -v p="$1" 'index($0, p) == 1 {
      for (i = 1; i <= NF; i++) if ($i == "(target") { r = $(i - 1); t = $(i + 2); v = $(i + 3) }
      sub(/\)/, "", t)
      ok = (r + 0 <= t + 0) ? "PASS" : "MISS"
      if (v != ok) { print "BAD " r " " t " " v; exit }
      print v; exit }' "$2"
}

for mode in per-epoch cached; do
  out="$scratch/$mode.txt"
  extra=()
  [ "$mode" = cached ] && extra=(--conf model.dropout=0)
  set +e
  "$gcnperf" "${cfg[@]}" "${extra[@]}" >"$out" 2>"$scratch/$mode.err"
  rc=$?
  set -e
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "$mode: exit $rc: $(cat "$scratch/$mode.err")"
  for want in "dataset: cora, 2708 nodes" "memory bandwidth (STREAM triad" "sgemm GFLOP/s" \
              "  openblas " "epoch runs with: " "spmm d=16" "epoch: " "bound: "; do
    grep -qF "$want" "$out" || fail "$mode: no '$want' in the report"
  done
  share=$(sed -n 's/^spmm d=7 backward, training nodes. columns (\([0-9.]*\)% of the nonzeros): [0-9.]* s$/\1/p' "$out")
  [ -n "$share" ] || fail "$mode: no timing of the top layer's training-column plan"
  awk -v s="$share" 'BEGIN { exit !(s > 0 && s < 100) }' || fail "$mode: share $share % not in (0, 100)"
  if [ "$mode" = cached ]; then
    grep -q "^layer 1 aggregation: Â X computed once" "$out" || fail "cached: Â X not cached"
    grep -q "^spmm d=16 (not run per epoch)" "$out" || fail "cached: layer 1's SpMM counted per epoch"
  else
    grep -q "^layer 1 aggregation: every epoch" "$out" || fail "per-epoch: aggregation cached"
  fi
  e=$(verdict "epoch / bound: " "$out")
  m=$(verdict "peak RSS " "$out")
  case "$e$m" in *BAD*|"") fail "$mode: a verdict disagrees with its ratio ($e, $m)";; esac
  want_rc=0
  [ "$e" = PASS ] && [ "$m" = PASS ] || want_rc=3
  [ "$rc" = "$want_rc" ] || fail "$mode: exit $rc with verdicts $e, $m (want $want_rc)"
done

# a missing config: one line naming it, non-zero exit
set +e
"$gcnperf" --config "$scratch/missing.ini" >"$scratch/missing.out" 2>"$scratch/missing.err"
rc=$?
set -e
[ "$rc" != 0 ] || fail "a missing config exited 0"
[ "$(wc -l <"$scratch/missing.err")" = 1 ] && grep -q "missing.ini" "$scratch/missing.err" \
  || fail "a missing config's error: $(cat "$scratch/missing.err")"
echo "gcnperf_check: ok"
