/* output.c - atomic files under -o DIR. */
#include "output.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "text.h"

#define STEM_MAX 200 /* leaves room for ".<stem>.error.json.tmp.<pid>" in NAME_MAX */

/* ".<name>.tmp.<pid>" -> pid, or -1 when it is not one of ours. */
static long temp_pid(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    while (t && strstr(t + 1, ".tmp."))
        t = strstr(t + 1, ".tmp.");
    if (name[0] != '.' || !t || t == name)
        return -1;
    const char *d = t + strlen(".tmp.");
    if (!*d)
        return -1;
    for (const char *q = d; *q; q++)
        if (!isdigit((unsigned char)*q))
            return -1;
    return strtol(d, NULL, 10);
}

/* A temporary whose writer is gone (killed mid-write) is removed; one of a
 * live evx (another shard writing into the same folder) is left alone. */
static void clean_temps(output_dir *od)
{
    DIR *d = opendir(od->dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_pid(e->d_name);
        if (pid < 0)
            continue;
        if (pid != (long)getpid() && pid > 0 && pid <= INT_MAX && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
            continue;
        unlinkat(od->dirfd, e->d_name, 0);
    }
    closedir(d);
}

int output_open(output_dir *od, const char *dir, char *err, size_t errlen)
{
    memset(od, 0, sizeof *od);
    od->dirfd = -1;
    struct stat st;
    if (stat(dir, &st) != 0 && mkdir(dir, 0755) != 0) {
        snprintf(err, errlen, "%s: cannot create output folder: %s", dir, strerror(errno));
        return -1;
    }
    od->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (od->dirfd < 0) {
        snprintf(err, errlen, "%s: cannot open output folder: %s", dir, strerror(errno));
        return -1;
    }
    od->dir = strdup(dir);
    clean_temps(od);
    return 0;
}

void output_close(output_dir *od)
{
    if (od->dirfd >= 0)
        close(od->dirfd);
    free(od->dir);
    memset(od, 0, sizeof *od);
    od->dirfd = -1;
}

void output_stem(const char *source, char *buf, size_t len)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    if (!strcmp(source, "-") || !*base)
        base = "stdin";
    char s[STEM_MAX + 16];
    size_t n = 0;
    const unsigned char *b = (const unsigned char *)base;
    size_t blen = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        blen = (size_t)(dot - base);
    /* Cut at a character boundary when the bytes are UTF-8. */
    for (size_t i = 0; i < blen;) {
        size_t k = text_utf8_seq_len(b + i, blen - i);
        if (!k)
            k = 1;
        if (n + k > STEM_MAX)
            break;
        for (size_t q = 0; q < k; q++)
            s[n++] = (b[i + q] < 0x20 || b[i + q] == 0x7F) ? '_' : (char)b[i + q];
        i += k;
    }
    s[n] = '\0';
    if (!n)
        snprintf(s, sizeof s, "_");
    if (s[0] == '.')
        s[0] = '_';
    if (n >= 6 && !strcmp(s + n - 6, ".error"))
        strcat(s, "_");
    snprintf(buf, len, "%s", s);
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int output_write(output_dir *od, const char *name, const char *text, size_t len, evx_error *err)
{
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, ".%s.tmp.%ld", name, (long)getpid()) >= sizeof tmp) {
        evx_error_set(err, EVX_E_write_failed, "output name too long");
        return -1;
    }
    int fd = openat(od->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        evx_error_set(err, EVX_E_write_failed, "cannot create %s/%s: %s", od->dir, tmp, strerror(errno));
        return -1;
    }
    int ok = write_all(fd, text, len) == 0 && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && renameat(od->dirfd, tmp, od->dirfd, name) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlinkat(od->dirfd, tmp, 0);
        evx_error_set(err, EVX_E_write_failed, "cannot write %s/%s: %s", od->dir, name, strerror(e));
        return -1;
    }
    fsync(od->dirfd);
    return 0;
}

void output_remove(output_dir *od, const char *name)
{
    if (unlinkat(od->dirfd, name, 0) == 0)
        fsync(od->dirfd);
}

int output_is_current(const output_dir *od, const char *name, const char *input)
{
    struct stat out, in;
    if (!strcmp(input, "-"))
        return 0;
    if (fstatat(od->dirfd, name, &out, 0) != 0 || stat(input, &in) != 0 || !S_ISREG(out.st_mode))
        return 0;
    return out.st_mtim.tv_sec > in.st_mtim.tv_sec ||
           (out.st_mtim.tv_sec == in.st_mtim.tv_sec && out.st_mtim.tv_nsec > in.st_mtim.tv_nsec);
}
