/*
 * outfile — temporary-then-rename writing. The temporary name carries the
 * process id so two runs writing the same folder do not clobber each
 * other's partial files; the last to commit wins, whole.
 */
#include "outfile.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = mem_alloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

static void release(outfile *o)
{
    mem_free(o->path);
    mem_free(o->tmp_path);
    memset(o, 0, sizeof *o);
}

int outfile_open(outfile *o, const char *dir, const char *name, err_info *e)
{
    char suffix[32];
    memset(o, 0, sizeof *o);
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    o->path = join(dir, "", name, "");
    o->tmp_path = join(dir, ".", name, suffix);
    if (o->path == NULL || o->tmp_path == NULL) {
        release(o);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory opening an output file");
    }
    o->fp = fopen(o->tmp_path, "w");
    if (o->fp == NULL) {
        int rc = err_set(e, ERR_IO, o->path, 0, "cannot write output file: %s", strerror(errno));
        release(o);
        return rc;
    }
    return 0;
}

/* Closes and renames o into place; synced says the data is already on disk
 * (outfile_commit_all syncs the whole set first: a second fsync per file
 * cost a system call each and, on a busy disk, milliseconds). */
static int commit(outfile *o, int synced, err_info *e)
{
    int rc = 0;
    int failed = ferror(o->fp) || fflush(o->fp) != 0 || (!synced && fsync(fileno(o->fp)) != 0);
    int saved = errno;
    if (fclose(o->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    o->fp = NULL;
    if (!failed && rename(o->tmp_path, o->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        rc = err_set(e, ERR_IO, o->path, 0, "cannot write output file: %s",
                     saved ? strerror(saved) : "write error");
        unlink(o->tmp_path);
    }
    release(o);
    return rc;
}

int outfile_commit(outfile *o, err_info *e)
{
    return commit(o, 0, e);
}

int outfile_commit_all(outfile *o, size_t n, err_info *e)
{
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (o[k].fp == NULL)
            continue;
        errno = 0;
        if (ferror(o[k].fp) || fflush(o[k].fp) != 0 || fsync(fileno(o[k].fp)) != 0)
            rc = err_set(e, ERR_IO, o[k].path, 0, "cannot write output file: %s",
                         errno ? strerror(errno) : "write error");
    }
    for (size_t k = 0; k < n && rc == 0; k++)
        if (o[k].fp != NULL)
            rc = commit(&o[k], 1, e);
    for (size_t k = 0; k < n; k++)
        outfile_discard(&o[k]);
    return rc;
}

void outfile_discard(outfile *o)
{
    if (o->fp != NULL) {
        fclose(o->fp);
        unlink(o->tmp_path);
    }
    release(o);
}

int outfile_mkdirs(const char *dir, err_info *e)
{
    char *p = mem_strdup(dir);
    if (p == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    int rc = 0;
    for (char *s = p + (p[0] == '/');; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = err_set(e, ERR_IO, p, 0, "cannot create output folder: %s", strerror(errno));
        } else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            rc = err_set(e, ERR_IO, p, 0, "cannot create output folder: a file is in the way");
        }
        *s = c;
        if (rc != 0 || c == '\0')
            break;
    }
    mem_free(p);
    return rc;
}
