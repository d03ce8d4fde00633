/* atomic.c: temporary file + fsync + rename output (see atomic.h). Open temporaries are
 * listed in a small process-wide table of paths so a signal handler can unlink them with
 * nothing but unlink(2). */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

/* Temporaries currently open, for gcn_atomic_abort_all. Slots hold pointers into the
 * gcn_atomic_file structs (valid until commit/abort clear them). */
#define ATOMIC_SLOTS 32
static const char *volatile open_tmps[ATOMIC_SLOTS];

static int register_tmp(const char *tmp)
{
    for (int i = 0; i < ATOMIC_SLOTS; i++) {
        if (!open_tmps[i]) {
            open_tmps[i] = tmp;
            return i + 1;
        }
    }
    return 0; /* table full: still works, only the interrupt cleanup misses this file */
}

static void unregister_tmp(struct gcn_atomic_file *a)
{
    if (a->registered > 0)
        open_tmps[a->registered - 1] = NULL;
    a->registered = 0;
}

void gcn_atomic_abort_all(void)
{
    for (int i = 0; i < ATOMIC_SLOTS; i++) {
        const char *p = open_tmps[i];
        if (p)
            unlink(p);
    }
}

/* The folder part of path into dir ("." when path has no slash, "/" for "/x"). */
static void folder_of(char *dir, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, cap, ".");
    } else if (slash == path) {
        snprintf(dir, cap, "/");
    } else {
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
    }
}

/* Records "cannot write WHAT 'PATH': STRERROR; FIX" for OS error err. Very long paths are
 * shortened so the fix still fits in the message. */
static int fail_os(const char *what, const char *full_path, int err)
{
    char dir[GCN_PATH_MAX], shown[160];
    struct stat st;
    const char *path = full_path;
    if (strlen(full_path) > 400) {
        snprintf(shown, sizeof shown, "%.60s... (%zu characters)", full_path,
                 strlen(full_path));
        path = shown;
    }
    folder_of(dir, sizeof dir, full_path);
    if (strlen(dir) > 400)
        snprintf(dir, sizeof dir, "%s", "its folder");
    const char *why = strerror(err);
    switch (err) {
    case ENOENT:
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return gcn_fail("cannot write %s '%s': %s; the folder '%s' does not accept new "
                            "files: choose a folder on a normal writable file system", what,
                            path, why, dir);
        return gcn_fail("cannot write %s '%s': %s; create the folder first (mkdir -p '%s') or "
                        "choose another path", what, path, why, dir);
    case ENOTDIR:
        return gcn_fail("cannot write %s '%s': %s; a part of '%s' is a file, not a folder: "
                        "choose another path", what, path, why, dir);
    case EACCES:
    case EPERM:
        return gcn_fail("cannot write %s '%s': %s; the folder '%s' is not writable by this "
                        "user: choose a writable folder", what, path, why, dir);
    case EROFS:
        return gcn_fail("cannot write %s '%s': %s; choose a folder on a writable file system",
                        what, path, why);
    case ENOSPC:
    case EDQUOT:
        return gcn_fail("cannot write %s '%s': %s; free space on the disk holding '%s' or "
                        "choose another folder", what, path, why, dir);
    case EISDIR:
        return gcn_fail("cannot write %s '%s': it is a folder; give a file name", what, path);
    case EFBIG:
        return gcn_fail("cannot write %s '%s': %s; the file-size limit (ulimit -f) or the "
                        "largest file of that file system was reached: raise the limit or "
                        "choose another folder", what, path, why);
    case EMFILE:
    case ENFILE:
        return gcn_fail("cannot write %s '%s': %s; raise the open-file limit (ulimit -n)",
                        what, path, why);
    case ENAMETOOLONG:
        return gcn_fail("cannot write %s '%s': %s; choose a shorter path", what, path, why);
    default:
        return gcn_fail("cannot write %s '%s': %s; check the path and the disk", what, path,
                        why);
    }
}

int gcn_atomic_open(struct gcn_atomic_file *a, const char *path, const char *what)
{
    struct stat st;
    int fd = -1, err = 0;

    memset(a, 0, sizeof *a);
    snprintf(a->what, sizeof a->what, "%s", what ? what : "output file");
    if (!path || !path[0])
        return gcn_fail("cannot write %s: the path is empty; give a file name", a->what);
    size_t len = strlen(path);
    if (len + 8 > sizeof a->path)
        return fail_os(a->what, path, ENAMETOOLONG);
    const int exists = stat(path, &st) == 0;
    if (path[len - 1] == '/' || (exists && S_ISDIR(st.st_mode)))
        return fail_os(a->what, path, EISDIR);
    /* a device, FIFO or socket would be replaced by the rename (as root, /dev/null too) */
    if (exists && !S_ISREG(st.st_mode))
        return gcn_fail("cannot write %s '%s': it is a %s, not a regular file, and output files "
                        "are replaced as a whole; give a file path", a->what, path,
                        S_ISCHR(st.st_mode) ? "character device" : S_ISBLK(st.st_mode) ?
                        "block device" : S_ISFIFO(st.st_mode) ? "FIFO" : "socket");
    memcpy(a->path, path, len + 1);
    snprintf(a->tmp, sizeof a->tmp, "%s.XXXXXX", path);

    fd = mkstemp(a->tmp);
    if (fd < 0) {
        err = errno;
        a->tmp[0] = '\0';
        goto fail;
    }
    a->registered = register_tmp(a->tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        err = errno;
        goto fail;
    }
    a->f = fdopen(fd, "w");
    if (!a->f) {
        err = errno;
        goto fail;
    }
    return GCN_OK;
fail:
    if (fd >= 0) {
        close(fd);
        unlink(a->tmp);
    }
    unregister_tmp(a);
    a->tmp[0] = '\0';
    return fail_os(a->what, path, err);
}

/* fsync of the folder holding path, so the rename itself survives a crash. Best effort: some
 * file systems refuse fsync on folders, and the data is already safe in the file. */
static void sync_folder(const char *path)
{
    char dir[GCN_PATH_MAX];
    folder_of(dir, sizeof dir, path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int gcn_atomic_commit(struct gcn_atomic_file *a)
{
    FILE *f = NULL;
    int err = 0;

    if (!a->f)
        return gcn_fail("cannot write %s '%s': it was not opened (or already committed)",
                        a->what, a->path);
    /* A write that failed earlier leaves the stream's error flag set; flushing again
     * usually reproduces its errno (ENOSPC, EIO), else report EIO. */
    int had_error = ferror(a->f);
    errno = 0;
    if (fflush(a->f) != 0 || had_error) {
        err = errno ? errno : EIO;
        goto fail;
    }
    if (fsync(fileno(a->f)) != 0 && errno != EINVAL && errno != EROFS) {
        err = errno;
        goto fail;
    }
    f = a->f;
    a->f = NULL;
    if (fclose(f) != 0) {
        err = errno;
        goto fail;
    }
    if (rename(a->tmp, a->path) != 0) {
        err = errno;
        goto fail;
    }
    unregister_tmp(a);
    a->tmp[0] = '\0';
    sync_folder(a->path);
    return GCN_OK;
fail:
    gcn_atomic_abort(a);
    return fail_os(a->what, a->path, err);
}

void gcn_atomic_abort(struct gcn_atomic_file *a)
{
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
    }
    if (a->tmp[0])
        unlink(a->tmp);
    unregister_tmp(a);
    a->tmp[0] = '\0';
}

int gcn_atomic_write(const char *path, const char *what, const void *data, size_t len)
{
    struct gcn_atomic_file a;
    if (gcn_atomic_open(&a, path, what) != GCN_OK)
        return GCN_ERR;
    if (len && fwrite(data, 1, len, a.f) != len) {
        int err = errno ? errno : EIO;
        gcn_atomic_abort(&a);
        return fail_os(a.what, a.path, err);
    }
    return gcn_atomic_commit(&a);
}
