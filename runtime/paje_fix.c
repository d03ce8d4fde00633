/* paje_fix.c: declares the threads starpu_fxt_tool 1.3 leaves undeclared in a merged trace.
 *
 * Converting the FxT files of several StarPU-MPI ranks, starpu_fxt_tool 1.3.10 writes state
 * events ("11 TIME R_tTID US Sc": a user thread scheduling) for each rank's MPI progress
 * thread, but declares a container (event 7) only for the main thread, so ViTE stops at every
 * such line with "Unknown container: R_tTID" (DESIGN §8 saw it on a minimal 2-rank program;
 * gcnrun's 2-rank Cora trace had 48). This pass adds the missing declaration, as a user
 * thread of rank R's program like the main thread's ("7 TIME R_tTID UT R_p
 * R_UserThreadTID"), just before the first line that uses it, at that line's time. Two
 * streaming passes over the file: what is declared and used, then the copy. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/internal.h"

#define PAJE_MAX_THREADS 4096 /* thread containers one trace may mention */

struct thread_ids {
	char *id[PAJE_MAX_THREADS]; /* "R_tTID" aliases */
	int declared[PAJE_MAX_THREADS];
	int n;
};

/* 1 when field (up to a tab or the end) reads R_tTID: digits, "_t", digits. */
static int thread_alias(const char *f, size_t len)
{
	size_t i = 0;
	while (i < len && f[i] >= '0' && f[i] <= '9')
		i++;
	if (i == 0 || i + 2 >= len || f[i] != '_' || f[i + 1] != 't')
		return 0;
	for (i += 2; i < len; i++)
		if (f[i] < '0' || f[i] > '9')
			return 0;
	return 1;
}

static int find(struct thread_ids *t, const char *f, size_t len)
{
	for (int i = 0; i < t->n; i++)
		if (strlen(t->id[i]) == len && memcmp(t->id[i], f, len) == 0)
			return i;
	return -1;
}

/* Index of alias f in t, added when new (-1 when out of room or memory). */
static int intern(struct thread_ids *t, const char *f, size_t len)
{
	int i = find(t, f, len);
	if (i >= 0 || t->n == PAJE_MAX_THREADS)
		return i;
	if (!(t->id[t->n] = strndup(f, len)))
		return -1;
	t->declared[t->n] = 0;
	return t->n++;
}

/* The fields of one event line: *n fields at f[k], lengths len[k]. */
static void split(const char *line, const char **f, size_t *len, int *n, int cap)
{
	*n = 0;
	const char *p = line;
	while (*p && *p != '\n' && *n < cap) {
		while (*p == '\t' || *p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		const char *start = p;
		while (*p && *p != '\t' && *p != ' ' && *p != '\n')
			p++;
		f[*n] = start;
		len[(*n)++] = (size_t)(p - start);
	}
}

int rdd_paje_declare_threads(const char *path)
{
	struct thread_ids t = { .n = 0 };
	char tmp[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	FILE *in = NULL, *out = NULL;
	int status = GCN_ERR, missing = 0;
	const char *f[8];
	size_t len[8];
	int nf;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!(in = fopen(path, "r"))) {
		gcn_fail("trace: cannot read %s: %s", path, strerror(errno));
		goto cleanup;
	}
	while (getline(&line, &cap, in) > 0) { /* pass 1: declared and used thread aliases */
		if (line[0] == '%' || line[0] == '#')
			continue;
		split(line, f, len, &nf, 8);
		const int create = nf >= 3 && len[0] == 1 && f[0][0] == '7';
		for (int k = 2; k < nf; k++) {
			if (!thread_alias(f[k], len[k]))
				continue;
			int i = intern(&t, f[k], len[k]);
			if (i < 0) {
				gcn_fail("trace: more than %d threads in %s", PAJE_MAX_THREADS, path);
				goto cleanup;
			}
			if (create && k == 2)
				t.declared[i] = 1;
			break;
		}
	}
	for (int i = 0; i < t.n; i++)
		missing += !t.declared[i];
	if (!missing) {
		status = GCN_OK;
		goto cleanup;
	}
	rewind(in);
	if (!(out = fopen(tmp, "w"))) {
		gcn_fail("trace: cannot write %s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	while (getline(&line, &cap, in) > 0) { /* pass 2: the copy, declarations added */
		if (line[0] != '%' && line[0] != '#') {
			split(line, f, len, &nf, 8);
			for (int k = 2; k < nf; k++) {
				if (!thread_alias(f[k], len[k]))
					continue;
				int i = find(&t, f[k], len[k]);
				if (i >= 0 && !t.declared[i]) {
					const char *rank_end = strchr(t.id[i], '_');
					const int rlen = (int)(rank_end - t.id[i]);
					fprintf(out, "7\t%.*s\t%s\tUT\t%.*s_p\t%.*s_UserThread%s\n", (int)len[1],
						f[1], t.id[i], rlen, t.id[i], rlen, t.id[i], rank_end + 2);
					t.declared[i] = 1;
				}
				break;
			}
		}
		fputs(line, out);
	}
	if (ferror(in) || fflush(out) != 0 || ferror(out)) {
		gcn_fail("trace: rewriting %s failed: %s", path, strerror(errno));
		goto cleanup;
	}
	fclose(out);
	out = NULL;
	if (rename(tmp, path) != 0) {
		gcn_fail("trace: cannot replace %s: %s", path, strerror(errno));
		goto cleanup;
	}
	status = GCN_OK;

cleanup:
	if (out) {
		fclose(out);
		unlink(tmp);
	}
	if (in)
		fclose(in);
	free(line);
	for (int i = 0; i < t.n; i++)
		free(t.id[i]);
	return status;
}
