/* ini_file.h: reading an INI stream with inih the one way every gcnrun INI is read (run
 * configs, bench configs, their [targets]): Debian's libinih exposes its build options as
 * variables, set here to a heap line buffer that grows (paths can be long), no Python-style
 * continuation lines (an indented "key = value" is a key, not a continuation) and a stop at
 * the first error, so that one line is reported. The reader counts lines, because Debian's
 * inih is built without INI_HANDLER_LINENO and handlers name the line at fault. */
#ifndef GCNRUN_INI_FILE_H
#define GCNRUN_INI_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ini.h>

/* Upper bound of a count with "no practical upper bound" (epochs, patience, ...): messages
 * then say "an integer >= lo" instead of quoting it. */
#define GCN_INI_NO_MAX ((uint64_t)1 << 40)

struct gcn_ini_file {
    FILE *f;          /* the open INI file (opened and closed by the caller) */
    const char *path; /* its name, for messages */
    long lines;       /* newline-terminated lines read so far */
    int partial;      /* 1 when the last chunk read did not end a line */
    int failed;       /* set by a handler that recorded its own message with gcn_fail */
};

/* The line a handler is on, for its messages. */
static inline long gcn_ini_line(const struct gcn_ini_file *in)
{
    return in->lines + in->partial;
}

/* Parses in->f, calling handler(user = in, section, name, value) for every key. Callers keep
 * their own state in a struct whose first member is the struct gcn_ini_file, so the handler
 * casts user back to it. A handler that fails calls gcn_fail, sets in->failed and returns 0.
 * Errors: read error, out of memory, syntax error (with its line), a handler's error. */
int gcn_ini_parse(struct gcn_ini_file *in, ini_handler handler);

/* Value parsers shared by the INI readers. Each returns true with *out set, or false with a
 * one-phrase reason in why[len] ("expected an integer in 1..64").
 * gcn_ini_uint: decimal digits only, in [lo, hi] (hi = GCN_INI_NO_MAX: no upper bound shown).
 * gcn_ini_bool: true/false, yes/no, on/off, 1/0, any case. */
bool gcn_ini_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, char *why,
                  size_t len);
bool gcn_ini_bool(const char *s, int *out, char *why, size_t len);

/* s for a message: s itself when short, else its first 60 characters and "..." in buf. */
const char *gcn_ini_shorten(const char *s, char buf[64]);

/* Copies [s, s + n) without surrounding blanks into dst[cap]; false when it does not fit. */
bool gcn_ini_copy_trimmed(char *dst, size_t cap, const char *s, size_t n);

#endif
