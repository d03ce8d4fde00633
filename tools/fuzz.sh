#!/usr/bin/env bash
# Builds and runs one libFuzzer target of fuzz/ under ASan + UBSan (issue 6).
#
# Usage: tools/fuzz.sh TARGET SECONDS [LIBFUZZER_ARGS...]
#   TARGET   npy | npz | graph | config (fuzz/fuzz_TARGET.c)
#   SECONDS  fuzzing time; 0 only builds and replays the seeds and the saved corpus
#   GCNRUN_FUZZ_DIR  build folder (default build-fuzz): clang, -Db_sanitize=address,undefined,
#                    -Dfuzz=true, coverage instrumentation (-fsanitize=fuzzer-no-link) everywhere
#
# Needs tools/setup.sh to have run once (it builds StarPU into .deps/starpu, which the meson
# project requires) and Debian's clang with libFuzzer (clang, libclang-rt-14-dev: installed
# here when missing). Seeds come from Cora and configs/*.ini (fuzz/make_seeds.py) into
# DIR/seeds/TARGET; inputs libFuzzer finds interesting accumulate in DIR/corpus/TARGET and
# are reused by the next run; crashing, hanging (30 s), leaking or memory-hungry (2 GiB) inputs
# land in DIR/crashes/TARGET/.
# One process, one job (-jobs and -workers are not used): run it under nice on a shared
# machine. There, a process can stall for minutes (seen on this project's VM) and libFuzzer
# then reports a timeout or slow unit: replay the input (DIR/fuzz/fuzz_TARGET FILE) to tell a
# real hang from a stall, and pass -timeout=N after SECONDS to be more patient.
# Ends with one line "fuzz TARGET: N inputs in S s, K new crash files in DIR" and exits 1 when
# this run wrote a crash, leak, timeout or out-of-memory file.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ $# -lt 2 ]; then
  echo "usage: tools/fuzz.sh npy|npz|graph|config SECONDS [LIBFUZZER_ARGS...]" >&2
  exit 2
fi
target="$1"
seconds="$2"
shift 2
case "$target" in
  npy) max_len=32768; dict=fuzz/npy.dict ;;
  npz|graph) max_len=65536; dict=fuzz/npy.dict ;;
  config) max_len=8192; dict=fuzz/config.dict ;;
  *) echo "fuzz.sh: unknown target '$target' (npy, npz, graph, config)" >&2; exit 2 ;;
esac
case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
dir="${GCNRUN_FUZZ_DIR:-build-fuzz}"
say() { printf 'fuzz: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -d .deps/starpu/lib/pkgconfig ]; then
  echo "fuzz.sh: .deps/starpu is missing: run tools/setup.sh once first (it builds StarPU)" >&2
  exit 1
fi
libfuzzer=(/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a)
if ! command -v clang >/dev/null || [ ! -f "${libfuzzer[0]}" ]; then
  say "installing clang and its libFuzzer runtime (Debian: clang libclang-rt-14-dev)"
  as_root apt-get install -y clang libclang-rt-14-dev
fi

if [ ! -f "$dir/build.ninja" ]; then
  say "configuring $dir (clang, ASan + UBSan, libFuzzer)"
  setup_log=$(mktemp)
  CC=clang meson setup "$dir" -Dpkg_config_path="$root/.deps/starpu/lib/pkgconfig" \
    -Dfuzz=true -Dtests=disabled -Dbuildtype=debugoptimized -Db_lundef=false \
    -Db_sanitize=address,undefined -Dc_args=-fsanitize=fuzzer-no-link >"$setup_log" 2>&1 ||
    { cat "$setup_log" >&2; rm -f "$setup_log"; exit 1; }
  rm -f "$setup_log"
fi
ninja -C "$dir" "fuzz/fuzz_$target" >"$dir/ninja-$target.log" 2>&1 ||
  { cat "$dir/ninja-$target.log" >&2; exit 1; }

seeds="$dir/seeds"
if [ ! -f "$seeds/.stamp" ]; then
  /usr/bin/python3 fuzz/make_seeds.py "${GCNRUN_CORA_DIR:-../shared/datasets/cora}" configs "$seeds"
  touch "$seeds/.stamp"
fi
corpus="$dir/corpus/$target"
crashes="$dir/crashes/$target"
mkdir -p "$corpus" "$crashes"
# what libFuzzer writes for a failure (slow-unit-* files only note an input that took long)
failures() {
  find "$crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
    wc -l
}
before=$(failures)

# halt_on_error: a UBSan report is a crash, not a warning; OpenMP threads sleep when idle
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
log="$dir/fuzz-$target.log"
if [ "$seconds" -eq 0 ]; then
  args=(-runs=0)
else
  args=(-max_total_time="$seconds")
fi
set +e
"$dir/fuzz/fuzz_$target" "${args[@]}" -max_len="$max_len" -timeout=30 -report_slow_units=30 \
  -rss_limit_mb=2048 -dict="$dict" -print_final_stats=1 -artifact_prefix="$crashes/" "$@" \
  "$corpus" "$seeds/$target" >"$log" 2>&1
rc=$?
set -e
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
after=$(failures)
tail -n 25 "$log"
echo "fuzz $target: ${runs:-?} inputs in ${elapsed:-?} s, $((after - before)) new crash files" \
  "in $crashes (log: $log)"
if [ "$after" -gt "$before" ] || [ "$rc" -ne 0 ]; then
  exit 1
fi
