/* error.h: the library's error channel. Functions that can fail return GCN_OK (0) or
 * GCN_ERR (-1) and leave one human-readable line here (thread-local), which drivers print.
 * The library never exits or aborts on bad input. */
#ifndef GCN_ERROR_H
#define GCN_ERROR_H

#define GCN_OK 0
#define GCN_ERR (-1)

/* Records a printf-style message; always returns GCN_ERR so callers can `return gcn_fail(...)`. */
int gcn_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message recorded on this thread ("" when none). Valid until the next gcn_fail. */
const char *gcn_last_error(void);

/* Prefixes the current message with "prefix: " (e.g. a file name), returns GCN_ERR. */
int gcn_fail_prefix(const char *prefix);

#endif
