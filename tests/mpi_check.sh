#!/usr/bin/env bash
# mpi_check.sh GCNRUN CORA_DIR SCRATCH: gcnrun under mpirun on StarPU-MPI (issue 12), on one
# machine, ranks oversubscribing its cores.
#  - mpirun -np R gcnrun --workers N trains the model of gcnrun --workers R*N (same P = R x N):
#    every epoch's loss within 1e-4 relative and the same test F1, for R in {1, 2, 4} and N in
#    {1, 2}, with both shuffle modes and every partitioner spread over the cases; Cora with
#    dropout, and a synthetic graph with the cached layer 1;
#  - the same over TCP on the loopback interface (a real network path, not shared memory);
#  - every timed epoch sends through MPI exactly the bytes the plan predicts, and what the
#    ranks sent is what they received;
#  - a merged trace of 2 ranks has the MPI transfers and parses in ViTE with 0 errors and 0
#    warnings (when ViTE is installed);
#  - each rank's memory after set-up falls as R grows (a rank keeps only its partitions);
#  - ranks started with different settings refuse before training; a rank killed mid-epoch
#    ends the job within seconds; neither leaves a result file.
# Skips (exit 77) when mpirun is not installed (tools/setup.sh installs Open MPI).
set -euo pipefail
gcnrun=$1 cora=$2 scratch=$3
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "mpi_check: $*" >&2; exit 1; }
command -v mpirun >/dev/null 2>&1 || { echo "mpi_check: skipped: no mpirun (tools/setup.sh installs Open MPI)"; exit 77; }
rm -rf "$scratch" && mkdir -p "$scratch"
# Open MPI refuses root without these (README, "Several machines"); ranks may exceed cores
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --bind-to none)
# LeakSanitizer settings for MPI processes under the sanitizers
. "$root/tests/mpi_sanitizers.sh"
cora_args=(--config "$root/configs/cora.ini" --conf "dataset.data=$cora/cora_data.npz"
  --conf "dataset.graph=$cora/cora_graph.npz")
synth_args=(--config "$root/configs/quick-synth.ini" --conf "dataset.cache_dir=$scratch/cache")

# same_model REF.json REF.csv RUN.json RUN.csv WHAT: losses within 1e-4, same test F1, and for
# a run of several ranks, the bytes of every timed epoch equal to the plan's prediction
same_model() {
  python3 - "$@" <<'EOF' || exit 1
import csv, json, sys
ref, refcsv, run, runcsv, what = sys.argv[1:6]
a, b = json.load(open(ref)), json.load(open(run))
la = [float(r["loss"]) for r in csv.DictReader(open(refcsv))]
lb = [float(r["loss"]) for r in csv.DictReader(open(runcsv))]
def fail(msg):
    print(f"mpi_check: {what}: {msg}", file=sys.stderr)
    sys.exit(1)
if len(la) != len(lb) or not la:
    fail(f"{len(lb)} epochs against {len(la)}")
for e, (x, y) in enumerate(zip(la, lb)):
    if abs(x - y) > 1e-4 * abs(x):
        fail(f"epoch {e + 1} loss {y} against {x} with one process")
if a["test_f1_micro"] != b["test_f1_micro"]:
    fail(f"test F1 {b['test_f1_micro']} against {a['test_f1_micro']}")
if b["partitions"] != a["partitions"]:
    fail(f"{b['partitions']} partitions against {a['partitions']}")
if b["ranks"] > 1:
    net, ranks = b["network"], b["per_rank"]
    timed = net["bytes_per_epoch_list"][b["warmup_epochs"]:]
    if not timed or any(x != net["predicted_bytes_per_epoch"] for x in timed):
        fail(f"MPI bytes per epoch {timed}, the plan predicts {net['predicted_bytes_per_epoch']}")
    sent = sum(r["sent_bytes_per_epoch"] for r in ranks)
    got = sum(r["received_bytes_per_epoch"] for r in ranks)
    if sent != got or sent != net["bytes_per_epoch"]:
        fail(f"ranks sent {sent} bytes per epoch and received {got}")
EOF
}

# compare NAME R N DATA_ARGS... -- RUN_ARGS...: mpirun -np R --workers N against --workers R*N
compare() {
  local name=$1 r=$2 n=$3; shift 3
  local data=() extra=()
  while [ "$1" != -- ]; do data+=("$1"); shift; done
  shift
  local mpi_extra=()
  [ "${MPI_EXTRA:-}" ] && read -r -a mpi_extra <<<"$MPI_EXTRA"
  local d="$scratch/$name"
  mkdir -p "$d"
  "$gcnrun" "${data[@]}" --workers $((r * n)) --epochs 4 --quiet "$@" \
    --result "$d/ref.json" --epoch-log "$d/ref.csv" </dev/null >"$d/ref.out" 2>&1 \
    || fail "$name: gcnrun --workers $((r * n)) failed: $(tail -n 1 "$d/ref.out")"
  timeout 300 "${mpi[@]}" "${mpi_extra[@]}" -np "$r" "$gcnrun" "${data[@]}" --workers "$n" \
    --epochs 4 --quiet "$@" --result "$d/run.json" --epoch-log "$d/run.csv" </dev/null \
    >"$d/run.out" 2>&1 \
    || fail "$name: mpirun -np $r gcnrun --workers $n failed: $(grep -m1 gcnrun "$d/run.out" || tail -n 3 "$d/run.out")"
  same_model "$d/ref.json" "$d/ref.csv" "$d/run.json" "$d/run.csv" "$name"
  echo "ok $name: mpirun -np $r --workers $n = --workers $((r * n))"
}

# ---- the same model: R x N, both shuffles, every partitioner --------------------------------
while read -r r n shuffle part; do
  compare "cora-${r}x${n}-$shuffle-$part" "$r" "$n" "${cora_args[@]}" -- \
    --shuffle "$shuffle" --partitioner "$part"
done <<'EOF'
1 1 pairwise range
1 2 broadcast hash
2 1 pairwise metis
2 1 broadcast range
2 2 pairwise hash
2 2 broadcast metis
4 1 pairwise range
4 1 broadcast hash
4 2 pairwise metis
4 2 broadcast range
EOF
# the cached layer 1 (quick-synth has no dropout, so layer 1's aggregation is computed once)
compare synth-2x1-pairwise 2 1 "${synth_args[@]}" -- --shuffle pairwise --partitioner metis
grep -q 'layer 1 aggregation cached\|"first_aggregation_cached": true' "$scratch/synth-2x1-pairwise/run.json" \
  || fail "synth-2x1-pairwise: layer 1 was not cached"
compare synth-2x2-broadcast 2 2 "${synth_args[@]}" -- --shuffle broadcast --partitioner range
# a real network path: TCP over the loopback interface instead of shared memory
MPI_EXTRA="--mca btl tcp,self --mca btl_tcp_if_include lo" \
  compare cora-tcp-2x1 2 1 "${cora_args[@]}" -- --shuffle pairwise --partitioner metis

# ---- a merged trace ----------------------------------------------------------------------------
t="$scratch/trace"
timeout 300 "${mpi[@]}" -np 2 "$gcnrun" "${cora_args[@]}" --workers 1 --epochs 2 --quiet \
  --trace "$t" >"$scratch/trace.out" 2>&1 || fail "trace: mpirun failed: $(tail -n 3 "$scratch/trace.out")"
[ -s "$t/paje.trace" ] || fail "trace: no paje.trace"
grep -q '^7.*1_p' "$t/paje.trace" || fail "trace: rank 1's program is not in the merged trace"
grep -q 'MPIL' "$t/paje.trace" || fail "trace: no MPI transfer links"
if command -v vite >/dev/null 2>&1 && command -v xvfb-run >/dev/null 2>&1; then
  mkdir -p "$scratch/home"
  (cd "$t" && HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home" timeout 300 \
    xvfb-run -a vite -f "$t/paje.trace" -e "$t/trace.svg" >"$t/vite.txt" 2>&1) || true
  grep -qw '0 errors and 0 warnings' "$t/vite.txt" \
    || fail "trace: ViTE: $(grep -m1 'errors and' "$t/vite.txt" || tail -n 1 "$t/vite.txt"); $(head -n 3 "$t/log.txt" 2>/dev/null)"
  echo "ok trace: 2 ranks merged, MPI links, 0 ViTE errors"
fi

# ---- memory: a rank keeps its partitions only ---------------------------------------------------
for r in 1 4; do
  timeout 300 "${mpi[@]}" -np $r "$gcnrun" "${synth_args[@]}" --conf synthetic.nodes=60000 \
    --conf synthetic.features=512 --workers 1 --epochs 2 --quiet --result "$scratch/mem$r.json" \
    >"$scratch/mem$r.out" 2>&1 || fail "memory: mpirun -np $r failed: $(tail -n 3 "$scratch/mem$r.out")"
done
python3 - "$scratch/mem1.json" "$scratch/mem4.json" <<'EOF' || exit 1
import json, sys
one, four = (json.load(open(f))["per_rank"] for f in sys.argv[1:3])
a, b = one[0]["resident_bytes_after_setup"], max(r["resident_bytes_after_setup"] for r in four)
if not b < 0.8 * a:
    print(f"mpi_check: memory: a rank of 4 holds {b >> 20} MiB after set-up, one rank {a >> 20} MiB",
          file=sys.stderr)
    sys.exit(1)
print(f"ok memory: {a >> 20} MiB on 1 rank, at most {b >> 20} MiB on each of 4")
EOF

# ---- faults --------------------------------------------------------------------------------------
res="$scratch/fault.json"
if timeout 120 "${mpi[@]}" -np 1 "$gcnrun" "${cora_args[@]}" --workers 1 --epochs 4 --result "$res" \
  : -np 1 "$gcnrun" "${cora_args[@]}" --workers 1 --epochs 5 --result "$res" >"$scratch/differ.out" 2>&1; then
  fail "ranks with different settings trained"
fi
grep -q 'different data or settings' "$scratch/differ.out" \
  || fail "different settings: no clear error: $(head -n 3 "$scratch/differ.out")"
[ ! -e "$res" ] || fail "different settings: a result file was written"
echo "ok different settings refused"

"${mpi[@]}" -np 2 "$gcnrun" "${synth_args[@]}" --workers 1 --epochs 100000 --result "$res" \
  >"$scratch/kill.out" 2>&1 &
job=$!
for _ in $(seq 1 100); do grep -q 'epoch 3' "$scratch/kill.out" 2>/dev/null && break; sleep 0.2; done
grep -q 'epoch 3' "$scratch/kill.out" || { kill -9 "$job"; fail "kill: the job did not start training"; }
victim=$(pgrep -P "$job" | tail -n 1)
[ -n "$victim" ] || { kill -9 "$job"; fail "kill: no rank process found"; }
kill -9 "$victim"
start=$(date +%s)
status=0
timeout 60 tail --pid="$job" -f /dev/null || { kill -9 "$job"; fail "kill: the other rank still runs 60 s after one was killed"; }
wait "$job" || status=$?
took=$(( $(date +%s) - start ))
[ "$status" -ne 0 ] || fail "kill: mpirun exited 0 after a rank was killed"
[ "$took" -le 30 ] || fail "kill: the job took $took s to end"
[ ! -e "$res" ] || fail "kill: a result file was written"
echo "ok a rank killed mid-epoch: the job ended in $took s with status $status, no result file"
