/* mpi_env.h: whether gcnrun was started by an MPI launcher, and as which rank of how many.
 *
 * Under `mpirun -np R` gcnrun trains as one rank of a StarPU-MPI job (DESIGN §8) and decides
 * before MPI starts what only rank 0 does (print, write files) and what it refuses (the
 * sequential baseline, a build without StarPU-MPI). The launchers tell each process its
 * place through the environment, which is all this reads. */
#ifndef GCNRUN_MPI_ENV_H
#define GCNRUN_MPI_ENV_H

/* The world size and this process's rank as the launcher set them: Open MPI's
 * OMPI_COMM_WORLD_SIZE / OMPI_COMM_WORLD_RANK, else the PMI variables of MPICH's Hydra and
 * Slurm (PMI_SIZE / PMI_RANK). Returns 1 when a launcher started this process (even as the
 * only rank: mpirun -np 1), else 0 with *size = 1 and *rank = 0. A size that is not a
 * positive number is no launcher; a rank outside [0, size) reads as 0. */
int gcn_mpi_env(int *size, int *rank);

#endif
