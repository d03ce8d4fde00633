/* ini_file.h: reading an INI stream with inih the one way every gcnrun INI is read (run
 * configs, bench configs, their [targets]): Debian's libinih exposes its build options as
 * variables, set here to a heap line buffer that grows (paths can be long), no Python-style
 * continuation lines (an indented "key = value" is a key, not a continuation) and a stop at
 * the first error, so that one line is reported. The reader counts lines, because Debian's
 * inih is built without INI_HANDLER_LINENO and handlers name the line at fault. */
#ifndef GCNRUN_INI_FILE_H
#define GCNRUN_INI_FILE_H

#include <stdio.h>

#include <ini.h>

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

#endif
