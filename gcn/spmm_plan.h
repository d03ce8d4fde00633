/* spmm_plan.h: the GCN's sparse product, pattern(A) x, as a prepared plan.
 *
 * A row-by-row gather (out_i = sum of x_j over row i) fetches one row of x per nonzero; on
 * Reddit's graph (115M nonzeros over 233k rows) those fetches come from all over x and the
 * product runs at DRAM or L3 latency. The plan takes the rows in panels of panel_rows
 * (default GCN_SPMM_PANEL_ROWS) and splits the columns each panel touches, in one fixed
 * column order, into tiles of tile_cols (default GCN_SPMM_TILE_COLS). The product copies a
 * tile's rows of x into a block that stays in L2 (nearly a sequential read: once per panel),
 * then runs down the panel's rows, each summing its nonzeros in that tile from the block in
 * registers and adding them into the panel's scratch rows: one read-modify-write of an
 * output row per row and tile rather than per nonzero. Each output element still adds its
 * terms one at a time, in the order its CSR row lists them, so the result is bit-identical
 * to gcn_spmm_plain (kernels.h) on the same CSR. Measured on reddit-synth at Reddit's degree,
 * d = 41, one core: see README, "Performance".
 *
 * The fixed column order is a key per column (NULL: the column index itself); every CSR row
 * must list its columns in non-decreasing key order, which the build checks. Sorted CSR rows
 * need no key: a partition's block is sorted in its [local | halo] numbering; the same block
 * in a broadcast's gathered numbering keeps that order, so there the key of a column is its
 * [local | halo] row number.
 *
 * A plan is one self-contained block of bytes (no pointers), so the runtime can register it
 * as a partition's data like any array. */
#ifndef GCN_SPMM_PLAN_H
#define GCN_SPMM_PLAN_H

#include <stddef.h>
#include <stdint.h>

struct gcn_csr;

/* Rows per panel: the panel's scratch block is panel_rows x 48 floats (3 MiB, in L3), read
 * and written in row order once per tile. At most 65536 (row numbers are 16-bit). */
#define GCN_SPMM_PANEL_ROWS 16384
/* Columns per tile: a tile's block of x is tile_cols x 48 floats (768 KiB), which stays in a
 * 1 MiB L2 while the panel's rows sum from it. At most 65536. Measured at d = 41 on
 * reddit-synth, degree 492, 2-core AMD EPYC (Zen 4) VM: see README, "Performance". */
#define GCN_SPMM_TILE_COLS 4096

/* Columns per tile for a CPU whose L2 (per core) holds l2_bytes (0: unknown): the default,
 * halved while its block would fill more than 3/4 of the L2, down to 1024 (a 512 KiB L2, as
 * on Zen 2 and 3, gets 2048). A rule: only the 1 MiB L2 of the VM above was measured. */
size_t gcn_spmm_tile_cols_for(size_t l2_bytes);

/* gcn_spmm_tile_cols_for this CPU's L2 (sysconf). */
size_t gcn_spmm_tile_cols(void);

/* Bytes a plan of this CSR needs (an upper bound: it assumes every panel touches
 * min(its nonzeros, n_cols) columns); 0 when panel_rows or tile_cols is 0 or above 65536. */
size_t gcn_spmm_plan_bytes(const int64_t *rowptr, size_t n_rows, size_t n_cols,
                           size_t panel_rows, size_t tile_cols);

/* Builds the plan of the CSR (rowptr, col) with n_rows rows and columns in [0, n_cols) into
 * plan (bytes from gcn_spmm_plan_bytes with the same arguments, 8-byte aligned; every size is
 * a multiple of 64). key (NULL: the identity) gives column j the key key[j] in
 * [0, key_range); keys must be distinct, and each row's columns non-decreasing in key. Runs
 * on up to one OpenMP thread per panel.
 * Errors (GCN_ERR, message): a decreasing rowptr, a row out of key order, a column or key out
 * of range, a panel or tile size out of range, too small or misaligned a buffer, no
 * memory. */
int gcn_spmm_plan_build(void *plan, size_t bytes, const int64_t *rowptr, const int32_t *col,
                        size_t n_rows, size_t n_cols, const int32_t *key, size_t key_range,
                        size_t panel_rows, size_t tile_cols);

/* gcn_spmm_plan_build into a new buffer (free with free), with no key, the default panel size
 * and gcn_spmm_tile_cols: the plan of a CSR whose rows are sorted. */
int gcn_spmm_plan_create(void **plan, const int64_t *rowptr, const int32_t *col, size_t n_rows,
                         size_t n_cols);

/* The propagation pattern A + I of adj and dinv (gcn_propagation_build, graph.h), with the
 * pattern as a plan (gcn_spmm_plan_create) and the CSR freed; free plan and dinv with free. */
int gcn_spmm_plan_propagation(void **plan, float **dinv, const struct gcn_csr *adj);

/* The plan's rows, panels and bytes (gcn_spmm_plan_bytes of its CSR and sizes; plan: a
 * built plan, 8-byte aligned). */
size_t gcn_spmm_plan_rows(const void *plan);
size_t gcn_spmm_plan_panels(const void *plan);
size_t gcn_spmm_plan_size(const void *plan);

/* out (n_rows, w), rows of panels [panel_begin, panel_end) only:
 * out_i = s_row[i] * sum over j in row i of s[j] * x_j, x_j the w floats at x + j * ldx
 * (s_row, s: NULL = 1). Bit-identical to gcn_spmm_plain on the plan's CSR. Safe to call
 * from several threads on disjoint panel ranges. Paths: AVX-512F, AVX2 (each with a scratch
 * and a tile block it allocates per call), plain C (adds into out itself, reading x where it
 * lies; also taken when the blocks cannot be had); the environment variable
 * GCN_SPMM_ISA = avx2 | plain caps the path (tests). */
void gcn_spmm_plan_run(float *out, const void *plan, const float *s_row, const float *s,
                       const float *x, size_t ldx, size_t w, size_t panel_begin,
                       size_t panel_end);

/* gcn_spmm_plan_run over every panel: out (n_rows, w) = pattern x, unscaled. */
void gcn_spmm(float *out, const void *plan, const float *x, size_t w);

#endif
