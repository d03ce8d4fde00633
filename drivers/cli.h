/* cli.h: gcnrun's command line. gcn_cli_parse turns argv into a validated gcn_config plus
 * the mode flags, applying sources in this order: defaults, the --config file, every --conf
 * SECTION.KEY=VALUE in the order given, then the dedicated flags (--workers, --epochs, ...),
 * which are shorthands for one key each and go through gcn_config_override, so a value is
 * checked the same way wherever it comes from. Nothing here prints or exits: the caller
 * prints gcn_last_error() or the usage text and exits with gcn_cli_exit_code(). */
#ifndef GCNRUN_CLI_H
#define GCNRUN_CLI_H

#include <stdio.h>

#include "config.h"

enum gcn_cli_status {
    GCN_CLI_RUN = 0,          /* arguments and configuration are good: run */
    GCN_CLI_HELP = 1,         /* --help: print gcn_cli_usage to stdout, exit 0 */
    GCN_CLI_VERSION = 2,      /* --version: print gcn_cli_version to stdout, exit 0 */
    GCN_CLI_USAGE_ERROR = 3,  /* unknown flag, missing flag argument, stray argument: exit 2 */
    GCN_CLI_CONFIG_ERROR = 4, /* bad --config file, --conf or flag value, failed validation:
                                 exit 2 */
};

struct gcn_cli {
    struct gcn_config cfg; /* the final, validated configuration (GCN_CLI_RUN only) */
    int dataset_info;      /* --dataset-info: load the dataset, print key: value lines, exit */
    int prepare;           /* --prepare: the same with Â X when layer 1 is cached (so both
                              are in the dataset cache for the runs that follow) */
    int forward_only;      /* --forward-only: run the forward pass only (profiling aid) */
};

/* Parses argv (argv[0] is the program name) into cli. getopt_long is used, so argv may be
 * permuted and the function is not thread-safe; it can be called again (it resets getopt).
 * Returns a gcn_cli_status; on GCN_CLI_USAGE_ERROR and GCN_CLI_CONFIG_ERROR one line is left
 * in gcn_last_error() (e.g. "--workers -1: expected an integer in 0..1024"). No allocation
 * outlives the call. */
int gcn_cli_parse(struct gcn_cli *cli, int argc, char **argv);

/* Process exit code for a status: 0 for run/help/version, 2 for usage and config errors. */
int gcn_cli_exit_code(int status);

/* Writes the usage text (every flag, one line each, and the order sources apply in). */
void gcn_cli_usage(FILE *out, const char *prog);

/* Writes "gcnrun VERSION (git COMMIT)". */
void gcn_cli_version(FILE *out);

#endif
