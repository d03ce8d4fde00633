/* mpi_env.h: whether gcnrun was started as one rank of several by an MPI launcher.
 *
 * This gcnrun trains in one process (StarPU-MPI support, issue 12, is not built in). Started
 * by `mpirun -np R` with R > 1, each rank would train the whole model on its own and all of
 * them would write the same result files; gcnrun refuses instead, in one line. The launchers
 * tell each process its place through the environment, which is all this reads. */
#ifndef GCNRUN_MPI_ENV_H
#define GCNRUN_MPI_ENV_H

/* The world size and this process's rank as the launcher set them: Open MPI's
 * OMPI_COMM_WORLD_SIZE / OMPI_COMM_WORLD_RANK, else the PMI variables of MPICH's Hydra and
 * Slurm (PMI_SIZE / PMI_RANK). *size = 1 and *rank = 0 when none is set or a value is not a
 * positive number (size) or a number in [0, size) (rank). */
void gcn_mpi_env(int *size, int *rank);

#endif
