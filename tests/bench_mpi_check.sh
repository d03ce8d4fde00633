#!/usr/bin/env bash
# bench_mpi_check.sh GCNBENCH GCNRUN CORA_DIR SCRATCH: gcnbench's mpi[RxN] configurations end
# to end (issue 12), on one machine:
#  - a tiny matrix on Cora (sequential and ranks = 2x1, 2 epochs, one seed) runs both, with
#    gcnbench itself giving Open MPI its consent to run as root; summary.md has an mpi[2x1]
#    row and the network section, mpi_2x1_metrics.csv holds the run, and the run file records
#    bench.ranks 2, R x N cores used and network bytes equal to the plan's prediction;
#  - a bench whose launcher is missing (mpirun = /nonexistent/mpirun) is refused before the
#    first run: exit 1, one line on stderr naming the fix, no results files.
# Skips (exit 77) when mpirun is not installed (tools/setup.sh installs Open MPI).
set -euo pipefail
gcnbench=$(realpath "$1") gcnrun=$(realpath "$2") cora=$(realpath "$3") scratch=$(realpath -m "$4")
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "bench_mpi_check: $*" >&2; exit 1; }
command -v mpirun >/dev/null 2>&1 || { echo "bench_mpi_check: skipped: no mpirun (tools/setup.sh installs Open MPI)"; exit 77; }
rm -rf "$scratch" && mkdir -p "$scratch"
cd "$root" # run configs are relative to the project root, as gcnbench is run from there
export GCNRUN=$gcnrun
# gcnbench must set Open MPI's consent to run as root for its mpi runs itself
unset OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
# LeakSanitizer settings for MPI processes under the sanitizers
. "$root/tests/mpi_sanitizers.sh"
bench=(--conf bench.run_config=configs/cora.ini --conf "dataset.data=$cora/cora_data.npz"
  --conf "dataset.graph=$cora/cora_graph.npz" --conf "dataset.cache_dir=$scratch/cache"
  --workers 0 --ranks 2x1 --seeds 42 --epochs 2 --no-plots --quiet)

# ---- a tiny matrix ------------------------------------------------------------------------------
out=$scratch/matrix
timeout 300 "$gcnbench" "${bench[@]}" --out "$out" >"$scratch/matrix.out" 2>&1 \
  || fail "matrix: gcnbench failed: $(tail -n 3 "$scratch/matrix.out")"
md=$out/summary.md
grep -q '^| mpi\[2x1\] | 1 | [0-9.]* | [0-9.]*x' "$md" || fail "summary.md has no mpi[2x1] row: $(grep '^| ' "$md" | head -n 5)"
grep -q '^| sequential | 1 | ' "$md" || fail "summary.md has no sequential row"
grep -q '^## Network (mpi configurations)$' "$md" || fail "summary.md has no network section"
grep -q '^| mpi\[2x1\] | 1 | [0-9]* | [0-9]* | [0-9.]* |$' "$md" \
  || fail "summary.md's network table has no mpi[2x1] row: $(sed -n '/^## Network/,/^## Notes/p' "$md")"
[ -s "$out/mpi_2x1_metrics.csv" ] || fail "no mpi_2x1_metrics.csv"
python3 - "$out/runs/mpi2x1_seed42.json" <<'EOF' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
b, net = r["bench"], r.get("network", {})
def fail(msg):
    print(f"bench_mpi_check: {sys.argv[1]}: {msg}", file=sys.stderr)
    sys.exit(1)
if b["status"] != "ok" or b["label"] != "mpi[2x1]" or b["ranks"] != 2 or b["workers"] != 1:
    fail(f"bench object {b}")
if r["ranks"] != 2 or r["workers"] != 1 or r["partitions"] != 2:
    fail(f"gcnrun ran {r['ranks']} ranks x {r['workers']} workers, {r['partitions']} partitions")
if b["cores_used"] != min(2, b["online_cpus"]):
    fail(f"cores_used {b['cores_used']} with {b['online_cpus']} CPUs")
if not net or net["bytes_per_epoch"] != net["predicted_bytes_per_epoch"] or net["bytes_per_epoch"] <= 0:
    fail(f"network {net}")
if not b["command"].startswith("mpirun -np 2 --oversubscribe --bind-to none "):
    fail(f"command {b['command']}")
EOF
echo "ok matrix: sequential and mpi[2x1] on Cora, summary with the network section"

# ---- no launcher --------------------------------------------------------------------------------
out=$scratch/no-launcher
status=0
"$gcnbench" "${bench[@]}" --conf bench.mpirun=/nonexistent/mpirun --out "$out" \
  >"$scratch/no-launcher.out" 2>"$scratch/no-launcher.err" || status=$?
[ "$status" -eq 1 ] || fail "no launcher: exit status $status, expected 1"
[ "$(wc -l <"$scratch/no-launcher.err")" -eq 1 ] || fail "no launcher: stderr is not one line: $(cat "$scratch/no-launcher.err")"
grep -q "^gcnbench: mpi\[2x1\] needs mpirun, but '/nonexistent/mpirun': No such file or directory; install Open MPI" \
  "$scratch/no-launcher.err" || fail "no launcher: $(cat "$scratch/no-launcher.err")"
[ ! -e "$out" ] || fail "no launcher: $out was created: $(find "$out" | head -n 5)"
echo "ok no launcher: one line, exit 1, nothing written"
