/* blas_core.c: re-execution with OPENBLAS_CORETYPE on CPUs OpenBLAS does not know (see
 * blas_core.h). */
#include "blas_core.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gcn/blas.h"

char *openblas_get_corename(void);

/* Kernel sets OpenBLAS falls back to, or picks for old CPUs: never the best on a CPU with
 * AVX2 + FMA. */
static const char *const generic_cores[] = {
    "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine",
    "Northwood", "Banias", "Sandybridge", "Barcelona", "Bobcat", "Opteron", "Opteron_SSE3",
    "Bulldozer", "Piledriver", "Steamroller", "Excavator", NULL
};

static int is_generic(const char *core)
{
    for (size_t i = 0; generic_cores[i]; i++)
        if (strcmp(core, generic_cores[i]) == 0)
            return 1;
    return 0;
}

/* The best kernel set this CPU runs, NULL when no better set applies. */
static const char *best_core(void)
{
    static const char *const by_level[] = { NULL, "Haswell", "SkylakeX" };
    return by_level[gcn_cpu_vector_level()];
}

void gcn_blas_pick_core(char **argv)
{
    if (getenv("OPENBLAS_CORETYPE"))
        return; /* the user's choice, or our own re-execution */
    const char *core = openblas_get_corename();
    const char *want = best_core();
    if (!core || !want || !is_generic(core))
        return;
    if (setenv("OPENBLAS_CORETYPE", want, 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    unsetenv("OPENBLAS_CORETYPE"); /* exec failed: carry on as we are */
}
