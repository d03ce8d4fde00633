/* memfile.h: a fuzz input as a file. The loaders under test open paths (libzip, inih), so
 * each fuzz target writes its input into an anonymous in-memory file (memfd) and hands the
 * loader "/proc/self/fd/N": no disk traffic, nothing left behind, one descriptor reused for
 * every input. Linux only, like the fuzzing setup itself. */
#ifndef GCN_FUZZ_MEMFILE_H
#define GCN_FUZZ_MEMFILE_H

#include <stddef.h>

struct memfile {
    int fd;         /* the memfd, -1 before memfile_create */
    char path[64];  /* "/proc/self/fd/N": open this to read the current contents */
};

/* Creates an empty memfd named name (shown in /proc/self/fd). Aborts on failure: a fuzz run
 * without its scratch file cannot test anything. */
void memfile_create(struct memfile *m, const char *name);

/* Replaces the contents with len bytes of data (aborts on a write failure). */
void memfile_set(struct memfile *m, const void *data, size_t len);

#endif
