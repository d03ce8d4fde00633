/* report_mpi.h: the network part of a run's summary and result JSON, for runs under mpirun
 * (DESIGN §8): bytes StarPU-MPI sent between ranks per epoch against what the plan predicts,
 * the time data messages were in flight, and every rank's share and memory. */
#ifndef GCNRUN_REPORT_MPI_H
#define GCNRUN_REPORT_MPI_H

#include <stdio.h>

#include "json.h"
#include "report.h"

/* Summary lines "network" and one "rank k" line per rank; nothing unless the run was
 * distributed (rep->per_rank set, mpirun -np 1 included). */
void gcn_report_print_network(const struct gcn_run_report *rep, FILE *out);

/* Result JSON keys "ranks", then for a distributed run "network" (object) and "per_rank"
 * (array, rank by rank). */
void gcn_report_json_network(const struct gcn_run_report *rep, struct gcn_json *j);

#endif
