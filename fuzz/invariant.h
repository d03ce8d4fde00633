/* invariant.h: what every fuzz target asserts besides "no sanitizer report": a property that
 * must hold for any input (REQUIRE), and the error contract of the library (a failure leaves
 * exactly one non-empty line in gcn_last_error()). A violation aborts, which libFuzzer records
 * as a crash with the input that caused it. */
#ifndef GCN_FUZZ_INVARIANT_H
#define GCN_FUZZ_INVARIANT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

#define REQUIRE(cond)                                                                       \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* The message of the failure just reported: non-empty, one line. */
static inline void require_error_line(void)
{
    const char *msg = gcn_last_error();
    if (!msg[0] || strchr(msg, '\n')) {
        fprintf(stderr, "bad error message: '%s'\n", msg);
        abort();
    }
}

#endif
