/* json.h: a small streaming JSON writer to a FILE*. It keeps the comma and nesting
 * bookkeeping (which container is open, whether a member was written, whether a key waits
 * for its value), escapes strings fully (quote, backslash, every control character, invalid
 * UTF-8 replaced by U+FFFD so the output is always valid UTF-8), writes doubles with the
 * fewest of 15, 16 or 17 significant digits that read back to the same double (NaN and
 * +-Inf, which JSON lacks, become null) and integers exactly.
 *
 * Errors are sticky: calls after a misuse (a value without a key inside an object, a key in
 * an array, an unbalanced end, nesting deeper than GCN_JSON_MAX_DEPTH) do nothing, and
 * gcn_json_finish reports the first problem. Write errors of the stream itself (ENOSPC) are
 * left to the FILE*: check them with ferror / gcn_atomic_commit. Output is not locale
 * dependent as long as LC_NUMERIC is "C" (gcnrun never calls setlocale). */
#ifndef GCNRUN_JSON_H
#define GCNRUN_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GCN_JSON_MAX_DEPTH 32

struct gcn_json {
    FILE *f;                                   /* destination stream */
    int pretty;                                /* 1: one object member per line, indented by
                                                  2 spaces; arrays stay on one line */
    int depth;                                 /* containers open */
    unsigned char in_object[GCN_JSON_MAX_DEPTH]; /* per level: 1 object, 0 array */
    size_t count[GCN_JSON_MAX_DEPTH];          /* per level: members / elements written */
    int key_pending;                           /* a key was written, its value is due */
    int done;                                  /* the top-level value is complete */
    const char *misuse;                        /* first misuse, NULL when none */
};

/* Starts a writer on f (not owned). pretty: see struct gcn_json. */
void gcn_json_init(struct gcn_json *j, FILE *f, int pretty);

void gcn_json_begin_object(struct gcn_json *j);
void gcn_json_end_object(struct gcn_json *j);
void gcn_json_begin_array(struct gcn_json *j);
void gcn_json_end_array(struct gcn_json *j);

/* A member name inside an object; the next call must write its value. */
void gcn_json_key(struct gcn_json *j, const char *key);

/* Values. gcn_json_string writes null for NULL; gcn_json_string_n takes a length (embedded
 * NUL bytes are escaped as \u0000). gcn_json_double writes null for NaN and +-Inf. */
void gcn_json_string(struct gcn_json *j, const char *s);
void gcn_json_string_n(struct gcn_json *j, const char *s, size_t len);
void gcn_json_int(struct gcn_json *j, int64_t v);
void gcn_json_uint(struct gcn_json *j, uint64_t v);
void gcn_json_double(struct gcn_json *j, double v);
/* A float with the fewest of 6..9 digits that read back to the same float (0.01f is written
 * 0.01, not 0.009999999776482582); null for NaN and +-Inf. */
void gcn_json_float(struct gcn_json *j, float v);
void gcn_json_bool(struct gcn_json *j, int v);
void gcn_json_null(struct gcn_json *j);

/* key + value in one call. */
void gcn_json_kv_string(struct gcn_json *j, const char *key, const char *s);
void gcn_json_kv_int(struct gcn_json *j, const char *key, int64_t v);
void gcn_json_kv_uint(struct gcn_json *j, const char *key, uint64_t v);
void gcn_json_kv_double(struct gcn_json *j, const char *key, double v);
void gcn_json_kv_float(struct gcn_json *j, const char *key, float v);
void gcn_json_kv_bool(struct gcn_json *j, const char *key, int v);
void gcn_json_kv_null(struct gcn_json *j, const char *key);

/* Ends the document: checks that exactly one complete top-level value was written and no
 * misuse happened, writes a final newline. Errors: GCN_ERR with "JSON writer: <problem>"
 * (a programming error in the caller). Does not flush or close f. */
int gcn_json_finish(struct gcn_json *j);

/* Formats v into buf (cap >= 32) with the fewest of 15, 16, 17 significant digits ("%.Ng")
 * that parse back to v exactly; "nan", "inf" or "-inf" for non-finite values (for CSV; the
 * JSON writer uses null instead). Returns buf. */
char *gcn_format_double(char *buf, size_t cap, double v);

#endif
