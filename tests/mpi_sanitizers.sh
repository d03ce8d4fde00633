# mpi_sanitizers.sh: sourced by the scripted tests that start gcnrun under mpirun
# (mpi_check.sh, bench_mpi_check.sh), with $root set. Under the sanitizers (.ci/run sets
# LSAN_OPTIONS), LeakSanitizer gets settings for MPI processes:
#  - tests/lsan-mpi.supp sets aside Open MPI's, PMIx's and StarPU-MPI's once-per-process
#    allocations; it needs full stacks, because Open MPI unloads its plugins before the report;
#  - use_tls=0: with 4 ranks, LeakSanitizer's exit-time tracer crashed in 3 of the 4 ranks,
#    every time ("Tracer caught signal 11"), reading a bogus dynamic-TLS range of the main
#    thread ("DTLS 12 at 0x400f-0x400005111"). Without thread-local storage as a root the scan
#    can only report more leaks, not fewer.
if [ -n "${LSAN_OPTIONS:-}" ]; then
  export LSAN_OPTIONS="suppressions=$root/tests/lsan-mpi.supp:use_tls=0"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0"
fi
