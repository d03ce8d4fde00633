/* testutil.h: small helpers shared by the Check suites: a random toy dataset with a real
 * graph, and paths from the test environment. */
#ifndef GCN_TESTUTIL_H
#define GCN_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "gcn/dataset.h"

/* A connected-ish random graph of n nodes (about deg edges per node, both directions, plus a
 * duplicate edge and a self-loop that must be coalesced away), f Gaussian features shifted by
 * class, c classes, split 1/2/3 round-robin-ish. Aborts the test on failure. */
void toy_dataset(struct gcn_dataset *ds, size_t n, size_t f, size_t c, size_t deg,
                 uint64_t seed);

/* getenv(name) or the test fails naming the variable. */
const char *test_env(const char *name);

#endif
