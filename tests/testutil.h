/* testutil.h: small helpers shared by the Check suites: a random toy dataset with a real
 * graph, paths from the test environment, scratch folders and files, and the suite runner. */
#ifndef GCN_TESTUTIL_H
#define GCN_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "gcn/dataset.h"

/* A connected-ish random graph of n nodes (about deg edges per node, both directions, plus a
 * duplicate edge and a self-loop that must be coalesced away), f Gaussian features shifted by
 * class, c classes, split 1/2/3 round-robin-ish. Aborts the test on failure. */
void toy_dataset(struct gcn_dataset *ds, size_t n, size_t f, size_t c, size_t deg,
                 uint64_t seed);

/* getenv(name) or the test fails naming the variable. */
const char *test_env(const char *name);

/* A fresh folder $TMPDIR/gcn-TAG-XXXXXX (TMPDIR default /tmp) into dir[cap]. */
void test_tmpdir_make(char *dir, size_t cap, const char *tag);

/* Removes dir and everything under it (rm -rf). */
void test_tree_remove(const char *dir);

/* Writes text to dir/name; returns the path (static buffer, one at a time). */
const char *test_write_file(const char *dir, const char *name, const char *text);

/* The whole file at path as a NUL-terminated string; the caller frees it. */
char *test_read_all(const char *path);

/* Runs every test of s with Check's normal output and fork mode fork (CK_FORK_GETENV, Check's
 * default, honours CK_FORK; CK_NOFORK for suites whose fixtures cannot survive a fork);
 * returns main's exit status: EXIT_SUCCESS when no test failed. */
int test_run_suite(Suite *s, enum fork_status fork);

#endif
