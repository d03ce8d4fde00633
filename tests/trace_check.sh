#!/usr/bin/env bash
# trace_check.sh GCNRUN CORA_DIR SCRATCH: gcnrun --trace end to end (issue 4). A local[2] run on
# Cora records an FxT trace and converts it: paje.trace names tasks for what they do, in one
# word each (ViTE splits names at blanks), and colors them by category, a broadcast's gather
# tasks included; tools/vite.sh --check
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
for name in L1_fwd_gemm_p0 L1_fwd_shuffle_-\>1 L2_bwd_spmm_p1 dW_reduce_0+=1 dW_reduce adam; do
  grep -q "Name: $name\$" "$dir/tasks.rec" || fail "no task named '$name' in tasks.rec"
done
# compute green 0x2ca02c = 44 160 44, shuffle purple 0x9467bd = 148 103 189 (not red: StarPU
# draws idle and sleeping workers red)
# (the entity-value lines: 6 ALIAS WS NAME "R G B")
grep -q '^6	L1_fwd_gemm_p0	WS	L1_fwd_gemm_p0	"44.000000 160.000000 44.000000"' "$dir/paje.trace" \
  || fail "gemm not green"
grep -q '^6	L1_fwd_shuffle_->1	WS	L1_fwd_shuffle_->1	"148.000000 103.000000 189.000000"' "$dir/paje.trace" \
  || fail "shuffle not purple"
# dW reduce blue 0x1f77b4 = 31 119 180
grep -q '^6	dW_reduce_0+=1	WS	dW_reduce_0+=1	"31.000000 119.000000 180.000000"' "$dir/paje.trace" \
  || fail "reduce not blue"

# a broadcast names its gather tasks by source partition and colors them as shuffle
bdir="$scratch/trace-broadcast"
"$gcnrun" --config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz" \
  --conf "dataset.graph=$cora/cora_graph.npz" --workers 2 --epochs 1 --shuffle broadcast \
  --trace "$bdir" >"$scratch/out-broadcast.txt" || fail "gcnrun --shuffle broadcast --trace failed"
grep -q "broadcast: 2,708 rows gathered once" "$scratch/out-broadcast.txt" \
  || fail "the summary does not say the rows were broadcast"
grep -q '^6	L2_bwd_shuffle_1->all	WS	L2_bwd_shuffle_1->all	"148.000000 103.000000 189.000000"' \
  "$bdir/paje.trace" || fail "no purple 'L2_bwd_shuffle_1->all' task in the broadcast trace"

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
