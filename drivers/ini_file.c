/* ini_file.c: inih with gcnrun's options and a line-counting reader (see ini_file.h). */
#include "ini_file.h"

#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

/* fgets for inih that counts lines, so that the handler knows where it is. */
static char *reader_counting(char *str, int num, void *stream)
{
    struct gcn_ini_file *in = stream;
    char *r = fgets(str, num, in->f);
    if (!r)
        return NULL;
    size_t n = strlen(r);
    in->partial = !(n && r[n - 1] == '\n');
    if (!in->partial)
        in->lines++;
    return r;
}

int gcn_ini_parse(struct gcn_ini_file *in, ini_handler handler)
{
    in->lines = 0;
    in->partial = 0;
    in->failed = 0;
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = 16384;
    ini_allow_multiline = false;
    ini_stop_on_first_error = true;
    const int r = ini_parse_stream(reader_counting, in, handler, in);
    if (ferror(in->f))
        return gcn_fail("%s: read error: %s", in->path, strerror(errno));
    if (r == -2)
        return gcn_fail("%s: out of memory while parsing", in->path);
    if (r != 0) {
        if (!in->failed)
            gcn_fail("%s:%d: syntax error: expected '[section]' or 'key = value' "
                     "(comments start with ';' or '#')", in->path, r);
        return GCN_ERR;
    }
    return GCN_OK;
}

bool gcn_ini_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, char *why,
                  size_t len)
{
    if (s[0] >= '0' && s[0] <= '9') {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (*end == '\0' && errno == 0 && v >= lo && v <= hi) {
            *out = v;
            return true;
        }
    }
    if (hi == GCN_INI_NO_MAX)
        snprintf(why, len, "expected an integer >= %llu", (unsigned long long)lo);
    else
        snprintf(why, len, "expected an integer in %llu..%llu", (unsigned long long)lo,
                 (unsigned long long)hi);
    return false;
}

bool gcn_ini_bool(const char *s, int *out, char *why, size_t len)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return true;
        }
    }
    snprintf(why, len, "expected true or false (or yes/no, on/off, 1/0)");
    return false;
}

const char *gcn_ini_shorten(const char *s, char buf[64])
{
    if (strlen(s) <= 63)
        return s;
    memcpy(buf, s, 60);
    memcpy(buf + 60, "...", 4);
    return buf;
}

bool gcn_ini_copy_trimmed(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        return false;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}
