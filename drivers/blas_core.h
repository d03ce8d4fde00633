/* blas_core.h: making OpenBLAS use the kernels this CPU can run.
 *
 * OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernel set at load time from the CPU
 * model. A model newer than the library (Debian 12's 0.3.21 on Sapphire Rapids and later
 * Xeons) falls back to "Prescott", SSE3 kernels: measured here, sgemm at the GCN's shapes ran
 * 21-30 GFLOP/s instead of 84-121 with the SkylakeX kernels, which made every epoch a
 * benchmark of the fallback. OPENBLAS_CORETYPE overrides the choice, but only before the
 * library loads, so the fix is to re-execute the program once with it set. */
#ifndef GCNRUN_BLAS_CORE_H
#define GCNRUN_BLAS_CORE_H

/* When OpenBLAS chose a generic kernel set although the CPU supports AVX-512 (SkylakeX
 * kernels) or AVX2 + FMA (Haswell kernels), and OPENBLAS_CORETYPE is not set, sets it and
 * re-executes /proc/self/exe with argv. Returns when nothing needs to change, or when the
 * re-execution failed (the run then goes on with the generic kernels; results record
 * software.openblas_corename either way). A user's OPENBLAS_CORETYPE always wins. */
void gcn_blas_pick_core(char **argv);

#endif
