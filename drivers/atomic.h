/* atomic.h: all-or-nothing output files. A writer opens a temporary file next to the target
 * (mkstemp "PATH.XXXXXX" in the target's own folder, so the final rename stays on one file
 * system), writes through a FILE*, and commits: fflush, ferror, fsync, fclose, rename over
 * the target, fsync of the folder. Readers therefore see the old file or the complete new
 * one, never half of it, and a failed or interrupted run leaves no temporary file behind.
 *
 * Every failure (missing or read-only folder, ENOSPC, EFBIG, EIO, a folder, device, FIFO or
 * socket in the target's place) returns GCN_ERR with one line naming the path, the OS error
 * and the fix. Used by gcnrun's --result and epoch log and by gcnbench's outputs. */
#ifndef GCNRUN_ATOMIC_H
#define GCNRUN_ATOMIC_H

#include <stdio.h>

#include "config.h"

struct gcn_atomic_file {
    FILE *f;                          /* write here between open and commit; NULL otherwise */
    char path[GCN_PATH_MAX];          /* the target */
    char tmp[GCN_PATH_MAX + 8];       /* the temporary file: path + ".XXXXXX" */
    char what[64];                    /* what the file is, for messages ("result file") */
    int registered;                   /* slot in the interrupt table + 1, 0 when none */
};

/* Creates the temporary file for path, readable per the umask like a normal new file
 * (mkstemp's 0600 is widened to 0666 & ~umask). what names the file in messages (e.g.
 * "result file"; NULL: "output file"). Errors: empty or too long path, folder missing, not a
 * folder, not writable, out of space or file descriptors, a target that exists and is not
 * a regular file (the rename would replace it: as root, even /dev/null): a->f stays NULL and
 * nothing is left on disk. On success the caller must call gcn_atomic_commit or gcn_atomic_abort. */
int gcn_atomic_open(struct gcn_atomic_file *a, const char *path, const char *what);

/* Flushes, checks every earlier write (a sticky stream error such as ENOSPC counts), fsyncs,
 * closes and renames the temporary file over the target, then fsyncs the folder. On any
 * error the temporary file is removed, the target is untouched, and GCN_ERR is returned.
 * In every case a->f is NULL afterwards. */
int gcn_atomic_commit(struct gcn_atomic_file *a);

/* Closes and removes the temporary file without touching the target (no-op when nothing is
 * open). For error paths of a writer. */
void gcn_atomic_abort(struct gcn_atomic_file *a);

/* Removes the temporary file of every gcn_atomic_file still open in this process, using only
 * unlink (async-signal-safe): call it from a SIGINT/SIGTERM handler before re-raising the
 * signal, so an interrupted run leaves no "PATH.XXXXXX" behind. Targets are untouched. */
void gcn_atomic_abort_all(void);

/* Writes len bytes of data to path atomically (open, fwrite, commit). Errors as above. */
int gcn_atomic_write(const char *path, const char *what, const void *data, size_t len);

#endif
