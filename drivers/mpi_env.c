/* mpi_env.c: the MPI launcher's world size and rank from the environment (see mpi_env.h). */
#include "mpi_env.h"

#include <stdlib.h>

/* The value of name as an int in [lo, hi], or -1 when unset or out of range. */
static int env_int(const char *name, long lo, long hi)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return -1;
    char *end;
    const long v = strtol(s, &end, 10);
    return *end == '\0' && v >= lo && v <= hi ? (int)v : -1;
}

int gcn_mpi_env(int *size, int *rank)
{
    static const char *const vars[][2] = {
        { "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK" }, /* Open MPI */
        { "PMI_SIZE", "PMI_RANK" },                         /* MPICH (Hydra), Slurm */
    };
    *size = 1;
    *rank = 0;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const int n = env_int(vars[i][0], 1, 1 << 24);
        if (n < 1)
            continue;
        const int r = env_int(vars[i][1], 0, n - 1);
        *size = n;
        *rank = r < 0 ? 0 : r;
        return 1;
    }
    return 0;
}
