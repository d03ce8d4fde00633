/* json.c: the streaming JSON writer (see json.h). Every value goes through before_value,
 * which writes the separator and indentation its position needs and checks the grammar. */
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

void gcn_json_init(struct gcn_json *j, FILE *f, int pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->pretty = pretty;
}

static void indent(struct gcn_json *j, int depth)
{
    fputc('\n', j->f);
    for (int i = 0; i < depth; i++)
        fputs("  ", j->f);
}

/* Separator before a new member (is_key) or value; returns 0 when the writer must stop. */
static int before(struct gcn_json *j, int is_key)
{
    if (j->misuse)
        return 0;
    if (j->depth == 0) {
        if (is_key) {
            j->misuse = "a key outside any object";
            return 0;
        }
        if (j->done) {
            j->misuse = "a second top-level value";
            return 0;
        }
        return 1;
    }
    const int lvl = j->depth - 1;
    if (j->in_object[lvl]) {
        if (is_key) {
            if (j->key_pending) {
                j->misuse = "a key where the previous key's value was due";
                return 0;
            }
            if (j->count[lvl])
                fputc(',', j->f);
            if (j->pretty)
                indent(j, j->depth);
            j->count[lvl]++;
            return 1;
        }
        if (!j->key_pending) {
            j->misuse = "a value without a key inside an object";
            return 0;
        }
        j->key_pending = 0;
        return 1;
    }
    if (is_key) {
        j->misuse = "a key inside an array";
        return 0;
    }
    if (j->count[lvl])
        fputs(j->pretty ? ", " : ",", j->f);
    j->count[lvl]++;
    return 1;
}

/* Called after a complete value at the current depth. */
static void after_value(struct gcn_json *j)
{
    if (j->depth == 0)
        j->done = 1;
}

static void begin(struct gcn_json *j, int object)
{
    if (!before(j, 0))
        return;
    if (j->depth >= GCN_JSON_MAX_DEPTH) {
        j->misuse = "nesting deeper than GCN_JSON_MAX_DEPTH";
        return;
    }
    fputc(object ? '{' : '[', j->f);
    j->in_object[j->depth] = (unsigned char)object;
    j->count[j->depth] = 0;
    j->depth++;
}

static void end(struct gcn_json *j, int object)
{
    if (j->misuse)
        return;
    if (j->depth == 0 || j->in_object[j->depth - 1] != object) {
        j->misuse = object ? "end_object without a matching begin_object"
                           : "end_array without a matching begin_array";
        return;
    }
    if (j->key_pending) {
        j->misuse = "an object ended while a key's value was due";
        return;
    }
    j->depth--;
    if (object && j->pretty && j->count[j->depth])
        indent(j, j->depth);
    fputc(object ? '}' : ']', j->f);
    after_value(j);
}

void gcn_json_begin_object(struct gcn_json *j) { begin(j, 1); }
void gcn_json_end_object(struct gcn_json *j) { end(j, 1); }
void gcn_json_begin_array(struct gcn_json *j) { begin(j, 0); }
void gcn_json_end_array(struct gcn_json *j) { end(j, 0); }

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    const unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

static void put_string(FILE *f, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        const unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            switch (c) {
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default: fprintf(f, "\\u%04x", c); break;
            }
            i++;
        } else {
            const size_t len = utf8_len(s + i, n - i);
            if (len == 0) {
                fputs("\\ufffd", f); /* invalid byte: the replacement character */
                i++;
            } else {
                fwrite(s + i, 1, len, f);
                i += len;
            }
        }
    }
    fputc('"', f);
}

void gcn_json_key(struct gcn_json *j, const char *key)
{
    if (!key) {
        if (!j->misuse)
            j->misuse = "a NULL key";
        return;
    }
    if (!before(j, 1))
        return;
    put_string(j->f, key, strlen(key));
    fputs(j->pretty ? ": " : ":", j->f);
    j->key_pending = 1;
}

void gcn_json_string_n(struct gcn_json *j, const char *s, size_t len)
{
    if (!before(j, 0))
        return;
    put_string(j->f, s, len);
    after_value(j);
}

void gcn_json_string(struct gcn_json *j, const char *s)
{
    if (!s) {
        gcn_json_null(j);
        return;
    }
    gcn_json_string_n(j, s, strlen(s));
}

void gcn_json_int(struct gcn_json *j, int64_t v)
{
    if (!before(j, 0))
        return;
    fprintf(j->f, "%" PRId64, v);
    after_value(j);
}

void gcn_json_uint(struct gcn_json *j, uint64_t v)
{
    if (!before(j, 0))
        return;
    fprintf(j->f, "%" PRIu64, v);
    after_value(j);
}

char *gcn_format_double(char *buf, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(buf, cap, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, cap, v > 0 ? "inf" : "-inf");
        return buf;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*g", digits, v);
        if (digits == 17 || strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

void gcn_json_double(struct gcn_json *j, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        gcn_json_null(j);
        return;
    }
    if (!before(j, 0))
        return;
    fputs(gcn_format_double(buf, sizeof buf, v), j->f);
    after_value(j);
}

void gcn_json_float(struct gcn_json *j, float v)
{
    char buf[40];
    if (!isfinite(v)) {
        gcn_json_null(j);
        return;
    }
    if (!before(j, 0))
        return;
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, (double)v);
        if (digits == 9 || strtof(buf, NULL) == v)
            break;
    }
    fputs(buf, j->f);
    after_value(j);
}

void gcn_json_bool(struct gcn_json *j, int v)
{
    if (!before(j, 0))
        return;
    fputs(v ? "true" : "false", j->f);
    after_value(j);
}

void gcn_json_null(struct gcn_json *j)
{
    if (!before(j, 0))
        return;
    fputs("null", j->f);
    after_value(j);
}

void gcn_json_kv_string(struct gcn_json *j, const char *key, const char *s)
{
    gcn_json_key(j, key);
    gcn_json_string(j, s);
}

void gcn_json_kv_int(struct gcn_json *j, const char *key, int64_t v)
{
    gcn_json_key(j, key);
    gcn_json_int(j, v);
}

void gcn_json_kv_uint(struct gcn_json *j, const char *key, uint64_t v)
{
    gcn_json_key(j, key);
    gcn_json_uint(j, v);
}

void gcn_json_kv_double(struct gcn_json *j, const char *key, double v)
{
    gcn_json_key(j, key);
    gcn_json_double(j, v);
}

void gcn_json_kv_float(struct gcn_json *j, const char *key, float v)
{
    gcn_json_key(j, key);
    gcn_json_float(j, v);
}

void gcn_json_kv_bool(struct gcn_json *j, const char *key, int v)
{
    gcn_json_key(j, key);
    gcn_json_bool(j, v);
}

void gcn_json_kv_null(struct gcn_json *j, const char *key)
{
    gcn_json_key(j, key);
    gcn_json_null(j);
}

int gcn_json_finish(struct gcn_json *j)
{
    if (j->misuse)
        return gcn_fail("JSON writer: %s", j->misuse);
    if (j->depth != 0)
        return gcn_fail("JSON writer: %d container(s) left open", j->depth);
    if (!j->done)
        return gcn_fail("JSON writer: no value was written");
    fputc('\n', j->f);
    return GCN_OK;
}
