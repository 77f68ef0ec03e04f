/*
 * outfile — output files that appear whole or not at all.
 *
 * An outfile is written under a hidden temporary name in the destination
 * folder and renamed over the final name only on outfile_commit, after
 * fflush and fsync succeed; rename within one folder is atomic on POSIX. So
 * a run that fails, is interrupted or hits a full disk leaves the previous
 * complete file (or none), never a truncated one that looks complete.
 * Write errors are sticky and reported at commit with the path named.
 *
 * Ownership: the outfile owns its FILE* and paths until commit or discard.
 * Thread-safety: one outfile per thread.
 */
#ifndef CASEFLOW_OUTFILE_H
#define CASEFLOW_OUTFILE_H

#include <stdio.h>

#include "err.h"

typedef struct outfile {
    FILE *fp;       /* write here between open and commit */
    char *path;     /* final path */
    char *tmp_path; /* temporary path in the same folder */
} outfile;

/* Opens dir/name for writing under a temporary name. dir must exist.
 * ERR_IO naming the path (e.g. unwritable folder), or ERR_NOMEM; o is then
 * zeroed and needs no cleanup. */
int outfile_open(outfile *o, const char *dir, const char *name, err_info *e);
/* Flushes, syncs, closes and renames into place. On any failure the temporary
 * file is removed, the final path is untouched, and ERR_IO names the path.
 * o is released either way. */
int outfile_commit(outfile *o, err_info *e);
/* Commits a set of n outfiles (entries with fp == NULL are skipped) as one:
 * every file is flushed and synced first, and only when all succeeded are
 * they renamed, in order (so put the file whose presence marks a complete
 * set last). A full disk or write error is therefore found before any file
 * is replaced, and the folder never mixes new files with old ones. On
 * failure every temporary file is removed and ERR_IO names the path. All n
 * are released either way. */
int outfile_commit_all(outfile *o, size_t n, err_info *e);
/* Closes and removes the temporary file; safe on a zeroed or released o. */
void outfile_discard(outfile *o);

/* Creates dir and its missing parents (like mkdir -p). 0 or ERR_IO naming the path. */
int outfile_mkdirs(const char *dir, err_info *e);

#endif
