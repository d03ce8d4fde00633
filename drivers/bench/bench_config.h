/* bench_config.h: gcnbench's benchmark configuration (the [bench] and [sweep] sections of a
 * bench INI, documented in configs/README.md, "Benchmark configurations"). Sources apply in
 * cli.h's order: defaults, the INI file, each --conf in the order given, then the dedicated
 * flags (--workers, --seeds, ...), each a shorthand for one key. The [targets] section
 * belongs to the report (drivers/bench/bench_report.h) and is skipped here.
 *
 * A --conf whose section is bench or sweep sets a bench key; any other section is a gcnrun
 * key, passed to every run (checked later, by gcnrun's own parser, when the plan is built).
 * Lists are comma-separated. Errors leave one line in gcn_last_error() naming the file and
 * line (or the flag), the key and what is accepted. */
#ifndef GCNRUN_BENCH_CONFIG_H
#define GCNRUN_BENCH_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/config.h"

#define BENCH_LIST_MAX 64   /* values in one list (workers, seeds, hidden, ...) */
#define BENCH_CONF_LEN 1024 /* characters of one gcnrun --conf assignment, NUL included */
#define BENCH_RANKS_MAX 1024 /* R and N of one ranks entry: 1 .. this */

/* One MPI configuration of the matrix: mpirun -np ranks gcnrun --workers workers. */
struct bench_rxn {
    int ranks;   /* R: processes under mpirun, >= 1 */
    int workers; /* N: StarPU workers per rank, >= 1 */
};

struct bench_config {
    char path[GCN_PATH_MAX];        /* the bench INI read ("" when none) */
    /* [bench] */
    char run_config[GCN_PATH_MAX];  /* run_config = the gcnrun INI of every run, relative to
                                       the current directory */
    int workers[BENCH_LIST_MAX];    /* workers = 0, 1, 2, ...: 0 = sequential */
    size_t n_workers;
    struct bench_rxn ranks[BENCH_LIST_MAX]; /* ranks = 2x1, 4x1, 2x2: the mpi[RxN]
                                               configurations (none by default) */
    size_t n_ranks;
    char mpirun[GCN_PATH_MAX];      /* mpirun = the launcher of mpi runs, a name looked up
                                       on PATH or a path ("mpirun") */
    char hostfile[GCN_PATH_MAX];    /* hostfile = passed as mpirun --hostfile ("" = none) */
    uint64_t seeds[BENCH_LIST_MAX]; /* seeds = 42, 123, 456 */
    size_t n_seeds;
    size_t repeats;                 /* repeats = runs per configuration: seeds[0..repeats-1];
                                       0 = every seed */
    size_t epochs;                  /* epochs = train.epochs of every run */
    size_t warmup_epochs;           /* warmup_epochs = train.warmup_epochs of every run */
    char out[GCN_PATH_MAX];         /* out = output folder */
    char conf[BENCH_LIST_MAX][BENCH_CONF_LEN]; /* conf = gcnrun overrides of every run, then
                                                  those of --conf, in order */
    size_t n_conf;
    /* [sweep] */
    int sweep_workers;              /* workers = the N every sweep point runs at */
    size_t sweep_repeats;           /* repeats = seeds per sweep point; 0 = [bench] repeats */
    size_t hidden[BENCH_LIST_MAX];  /* hidden = widths of the model-size sweep (none = off) */
    size_t n_hidden;
    size_t layers[BENCH_LIST_MAX];  /* layers = depths of the layers sweep (none = off) */
    size_t n_layers;
    char partitioners[3][8];        /* partitioners = range, hash, metis (none = off) */
    size_t n_partitioners;
    int forward_only;               /* forward_only = true: one forward-only sweep point */
};

/* Fills the defaults: run_config configs/reddit-synth.ini, workers 0, 1, 2, 4, 8, 16, no
 * ranks, mpirun "mpirun", no hostfile, seeds 42, 123, 456, repeats 0 (every seed), epochs 20,
 * warmup 1, out "results", no conf, sweep workers 2 and no sweep. */
void bench_config_defaults(struct bench_config *bc);

/* Reads a bench INI over the current values (inih, strict like gcnrun's config: unknown
 * sections or keys and bad values are errors; [targets] is left to the report). Errors:
 * missing or unreadable file, syntax error, unknown key, bad value, list too long or with a
 * repeated value: "FILE:LINE: ..." */
int bench_config_load(struct bench_config *bc, const char *path);

/* Applies one "section.key=value" from the command line: [bench] and [sweep] keys are set
 * (as in the INI), [targets] is refused (the report reads it from the INI), any other
 * section is appended to conf for gcnrun. Keys gcnbench sets itself for every run
 * (runtime.workers, train.seed, train.epochs, train.warmup_epochs and every [output] key)
 * are refused, naming the flag to use instead. */
int bench_config_apply_conf(struct bench_config *bc, const char *assignment);

/* Sets one [bench] key from its dedicated flag (e.g. flag "--seeds", key "seeds"), with the
 * error naming the flag: "--seeds 1,x: expected ...". */
int bench_config_apply_flag(struct bench_config *bc, const char *flag, const char *key,
                            const char *value);

/* --sequential (on = 1: workers 0 is added in front when missing) or --no-sequential
 * (on = 0: it is removed; the workers list may then be empty when ranks are listed). Fails
 * when nothing would be left to run. */
int bench_config_set_sequential(struct bench_config *bc, int on);

/* Cross-key checks once every source is applied: repeats and [sweep] repeats do not exceed
 * the seeds (the message names both). */
int bench_config_validate(const struct bench_config *bc);

/* Runs per configuration of the matrix, and per sweep point (repeats resolved). */
size_t bench_config_repeats(const struct bench_config *bc);
size_t bench_config_sweep_repeats(const struct bench_config *bc);

/* Writes dest (atomically) as an exact copy of the bench INI bc was loaded from (nothing
 * when bc->path is ""), followed by an [effective] section: the values the matrix runs
 * with and command_line, the gcnbench command as typed. Errors: the INI cannot be read,
 * dest cannot be written (atomic.h's messages). */
int bench_config_write_effective(const struct bench_config *bc, const char *dest,
                                 const char *gcnrun, const char *command_line);

#endif
