/* memfile.c: see memfile.h. */
#include "memfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void memfile_create(struct memfile *m, const char *name)
{
    m->fd = memfd_create(name, MFD_CLOEXEC);
    if (m->fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
}

void memfile_set(struct memfile *m, const void *data, size_t len)
{
    if (ftruncate(m->fd, 0) != 0) {
        perror("ftruncate");
        abort();
    }
    size_t done = 0;
    while (done < len) {
        ssize_t k = pwrite(m->fd, (const char *)data + done, len - done, (off_t)done);
        if (k <= 0) {
            perror("pwrite");
            abort();
        }
        done += (size_t)k;
    }
}
