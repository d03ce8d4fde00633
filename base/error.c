/* error.c: thread-local last-error message (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

int gcn_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return GCN_ERR;
}

const char *gcn_last_error(void)
{
    return last_error;
}

int gcn_fail_prefix(const char *prefix)
{
    char tmp[sizeof last_error];
    snprintf(tmp, sizeof tmp, "%.200s: %.800s", prefix, last_error);
    memcpy(last_error, tmp, sizeof last_error);
    return GCN_ERR;
}
