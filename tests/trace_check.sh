#!/usr/bin/env bash
# trace_check.sh GCNRUN CORA_DIR SCRATCH: gcnrun --trace end to end (issue 4). A local[2] run on
# Cora records an FxT trace and converts it: paje.trace names tasks for what they do and
# colors them by category, a broadcast's gather tasks included; tools/vite.sh --check
# re-converts a folder whose conversion is missing, and refuses a folder without a trace with
# one line and exit 1.
set -euo pipefail
gcnrun=$1 cora=$2 scratch=$3
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "trace_check: $*" >&2; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch"
dir="$scratch/trace"

"$gcnrun" --config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz" \
  --conf "dataset.graph=$cora/cora_graph.npz" --workers 2 --epochs 2 --shuffle pairwise \
  --trace "$dir" >"$scratch/out.txt" || fail "gcnrun --trace failed"
for f in paje.trace tasks.rec dag.dot; do [ -s "$dir/$f" ] || fail "$f missing from $dir"; done
grep -q "vite $dir/paje.trace" "$scratch/out.txt" || fail "the summary does not print the ViTE command"
for name in "L1 fwd gemm p0" "L1 fwd shuffle ->1" "L2 bwd spmm p1" "dW reduce" "adam"; do
  grep -q "Name: $name\$" "$dir/tasks.rec" || fail "no task named '$name' in tasks.rec"
done
# compute green 0x2ca02c = 44 160 44, shuffle red 0xd62728 = 214 39 40
grep -q 'L1 fwd gemm p0.*"44.000000 160.000000 44.000000"' "$dir/paje.trace" || fail "gemm not green"
grep -q 'L1 fwd shuffle ->1.*"214.000000 39.000000 40.000000"' "$dir/paje.trace" || fail "shuffle not red"

# a broadcast names its gather tasks by source partition and colors them as shuffle
bdir="$scratch/trace-broadcast"
"$gcnrun" --config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz" \
  --conf "dataset.graph=$cora/cora_graph.npz" --workers 2 --epochs 1 --shuffle broadcast \
  --trace "$bdir" >"$scratch/out-broadcast.txt" || fail "gcnrun --shuffle broadcast --trace failed"
grep -q "broadcast: 2,708 rows gathered once" "$scratch/out-broadcast.txt" \
  || fail "the summary does not say the rows were broadcast"
grep -q 'L2 bwd shuffle 1->all.*"214.000000 39.000000 40.000000"' "$bdir/paje.trace" \
  || fail "no red 'L2 bwd shuffle 1->all' task in the broadcast trace"

rm "$dir/paje.trace"
"$root/tools/vite.sh" --check "$dir" >"$scratch/vite.txt" || fail "vite.sh --check could not re-convert"
[ -s "$dir/paje.trace" ] || fail "vite.sh --check did not rebuild paje.trace"
grep -q "open it with: vite $dir/paje.trace" "$scratch/vite.txt" || fail "vite.sh --check printed no command"

mkdir -p "$scratch/empty"
if "$root/tools/vite.sh" --check "$scratch/empty" 2>"$scratch/err.txt"; then
  fail "vite.sh accepted a folder without a trace"
fi
[ "$(wc -l <"$scratch/err.txt")" -eq 1 ] || fail "vite.sh: expected one error line, got: $(cat "$scratch/err.txt")"
echo "trace_check: ok"
