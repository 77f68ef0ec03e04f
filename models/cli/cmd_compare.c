/*
 * cmd_compare — `caseflow compare BASE VARIANT [MORE ...]`: runs a baseline
 * and its options with common random numbers and says, metric by metric,
 * how each option differs from the baseline and whether the difference is
 * distinguishable from noise.
 *
 * Common random numbers: every scenario runs with the baseline's seed and
 * number of replications, so replication r of each sees the same children
 * with the same needs (every stream is seeded from the seed, the replication
 * and a name, rng.h). Differences are then paired by replication,
 * d_r = variant_r - baseline_r, and the 95% Student-t interval of the mean
 * of d is far narrower than comparing two independent intervals, because
 * the noise both runs share cancels.
 *
 * Outputs, in DIR: one folder per scenario named after its file (the same
 * files `run` writes) and compare.csv. Everything is loaded before anything
 * runs and everything runs before anything is written; the whole comparison
 * is then written into a fresh hidden folder beside DIR and swapped in for
 * DIR at the end, so a bad variant or an interrupted run leaves the previous
 * comparison (or nothing), and a comparison never inherits the scenario
 * folders of an earlier one with other variants (the report would take a
 * stale folder for the baseline). An existing DIR is replaced only if it is
 * empty or holds a compare.csv: compare never deletes a folder it did not write.
 */
/* renameat2 (an atomic swap of two folders) and nftw. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "csv.h"
#include "mem.h"
#include "rep.h"
#include "stat.h"

/* Most scenarios one comparison takes (a baseline and its options). */
#define COMPARE_MAX_FILES 64
/* Longest folder name made from a file name. */
#define STEM_MAX 256

static const char compare_help[] =
    "usage: caseflow compare BASE.cfg VARIANT.cfg [MORE.cfg ...] [--out DIR]\n"
    "                        [--replications N] [--seed S] [--jobs J]\n"
    "\n"
    "Runs the baseline BASE and each variant with common random numbers (all with\n"
    "the baseline's seed and replications, so the same children arrive with the\n"
    "same needs) and writes, in DIR:\n"
    "  NAME/          each scenario's own outputs, as `caseflow run` writes them,\n"
    "                 in a folder named after its file (without .cfg)\n"
    "  compare.csv    for each variant and metric: the baseline's and the variant's\n"
    "                 means, the mean paired difference with its 95% confidence\n"
    "                 interval, the relative change and whether the interval\n"
    "                 excludes zero (distinguishable)\n"
    "\n"
    "  --out DIR           output folder (default: output/compare-<BASE's name>)\n"
    "  --replications N    replications for all (default: the baseline's)\n"
    "  --seed S            master random seed for all (default: the baseline's)\n"
    "  --jobs J            worker threads (default: number of cores); results do not depend on J\n";

static const char compare_header[] = "metric,variant,baseline_mean,variant_mean,diff_mean,"
                                     "diff_ci95_low,diff_ci95_high,rel_change,distinguishable\n";

cli_compare cli_compare_metric(const double *base, size_t base_stride, const double *var,
                               size_t var_stride, size_t reps, double *scratch)
{
    cli_compare c = {NAN, NAN, NAN, NAN, NAN, NAN, false};
    if (base != NULL)
        c.baseline_mean = stat_ci_compute(base, reps, base_stride, 0.95).mean;
    if (var != NULL)
        c.variant_mean = stat_ci_compute(var, reps, var_stride, 0.95).mean;
    if (base == NULL || var == NULL)
        return c;
    for (size_t r = 0; r < reps; r++)
        scratch[r] = var[r * var_stride] - base[r * base_stride];
    stat_ci d = stat_ci_compute(scratch, reps, 1, 0.95);
    c.diff_mean = d.mean;
    c.low = d.low;
    c.high = d.high;
    if (isfinite(c.baseline_mean) && c.baseline_mean != 0.0)
        c.rel_change = c.diff_mean / c.baseline_mean;
    c.distinguishable = isfinite(d.low) && isfinite(d.high) && (d.low > 0.0 || d.high < 0.0);
    return c;
}

/* Index of the metric called name in r, or -1 (linear: a few hundred metrics). */
static long find_metric(const cli_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        if (strcmp(r->names[i], name) == 0)
            return (long)i;
    return -1;
}

static void write_row(FILE *fp, const char *metric, const char *variant, const cli_compare *c)
{
    double cols[6] = {c->baseline_mean, c->variant_mean, c->diff_mean,
                      c->low,           c->high,         c->rel_change};
    fprintf(fp, "%s,%s", metric, variant);
    for (int k = 0; k < 6; k++) {
        fputc(',', fp);
        csv_put_num(fp, cols[k]);
    }
    fprintf(fp, ",%d\n", c->distinguishable ? 1 : 0);
}

/* The rows of one variant: the baseline's metrics in order, then those only
 * the variant has. Returns how many were distinguishable. */
static size_t write_variant(FILE *fp, const cli_run *base, const cli_run *var, const char *label,
                            double *scratch)
{
    size_t reps = base->sc.replications, hits = 0;
    for (size_t i = 0; i < base->n_metrics; i++) {
        long j = find_metric(var, base->names[i]);
        cli_compare c =
            cli_compare_metric(base->results + i, base->width, j >= 0 ? var->results + j : NULL,
                               var->width, reps, scratch);
        write_row(fp, base->names[i], label, &c);
        hits += c.distinguishable;
    }
    for (size_t j = 0; j < var->n_metrics; j++) {
        if (find_metric(base, var->names[j]) >= 0)
            continue;
        cli_compare c = cli_compare_metric(NULL, 0, var->results + j, var->width, reps, scratch);
        write_row(fp, var->names[j], label, &c);
    }
    return hits;
}

/* The file name without folder and .cfg: the scenario's folder and label. */
static void stem_of(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".cfg") == 0)
        n -= 4;
    snprintf(buf, size, "%.*s", (int)n, base);
}

/* One comparison: the scenarios, their labels and where they go. */
typedef struct compare_job {
    const char **files;
    size_t n;
    char (*stems)[STEM_MAX];
    cli_run *runs;
    cli_outputs *outs;
    size_t *hits; /* per variant: metrics distinguishable from the baseline */
    outfile table;
    char dir[4096]; /* where the comparison goes (no trailing '/') */
    char tmp[4096]; /* the fresh folder it is written into first; "" when none exists */
} compare_job;

/* With several scenarios a message must say which one it is about: those
 * that do not name the file (a limit, a run's own failure) get it in front. */
static int name_file(int rc, const char *path, err_info *e)
{
    if (rc != 0 && rc != ERR_INTERRUPT && e != NULL && strstr(e->text, path) == NULL) {
        err_info why = *e;
        err_set(e, rc, path, 0, "%s", why.text);
    }
    return rc;
}

/* Loads every scenario (the variants on the baseline's seed and
 * replications, unless the command line sets them for all). */
static int load_all(compare_job *j, const cli_args *a, err_info *e)
{
    for (size_t i = 0; i < j->n; i++) {
        cli_args ai = *a;
        if (i > 0 && !ai.has_seed) {
            ai.has_seed = true;
            ai.seed = j->runs[0].sc.seed;
        }
        if (i > 0 && !ai.has_replications) {
            ai.has_replications = true;
            ai.replications = j->runs[0].sc.replications;
        }
        int rc = name_file(cli_run_load(&j->runs[i], j->files[i], &ai, e), j->files[i], e);
        if (rc != 0)
            return rc;
        if (j->runs[i].sc.warnings[0] != '\0')
            fputs(j->runs[i].sc.warnings, stderr);
    }
    return 0;
}

static int write_table(compare_job *j, err_info *e)
{
    int rc = outfile_open(&j->table, j->tmp, "compare.csv", e);
    if (rc != 0)
        return rc;
    double *scratch = mem_calloc(j->runs[0].sc.replications, sizeof *scratch);
    if (scratch == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory comparing results");
    fputs(compare_header, j->table.fp);
    for (size_t i = 1; i < j->n; i++)
        j->hits[i] = write_variant(j->table.fp, &j->runs[0], &j->runs[i], j->stems[i], scratch);
    mem_free(scratch);
    if (fflush(j->table.fp) != 0 || ferror(j->table.fp))
        return err_set(e, ERR_IO, j->table.path, 0, "cannot write output file: %s",
                       errno ? strerror(errno) : "write error");
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the folder tree at path (symbolic links are removed, not followed). */
static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 if dir holds nothing, 0 if it holds something, -1 if it cannot be read. */
static int is_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int empty = 1;
    for (struct dirent *de; empty && (de = readdir(d)) != NULL;)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

/*
 * Checks, before anything runs, that DIR may be replaced: absent, empty, or
 * an earlier comparison (it holds compare.csv). Names the hidden folder
 * beside it that the comparison is written into: PARENT/.NAME.tmp-PID.
 */
static int plan_dir(compare_job *j, err_info *e)
{
    size_t n = strlen(j->dir);
    while (n > 1 && j->dir[n - 1] == '/')
        j->dir[--n] = '\0';
    struct stat st;
    char probe[sizeof j->dir + 16];
    if (stat(j->dir, &st) == 0) {
        snprintf(probe, sizeof probe, "%s/compare.csv", j->dir);
        if (!S_ISDIR(st.st_mode))
            return err_set(e, ERR_IO, j->dir, 0,
                           "not a folder; expected a folder for the comparison's outputs");
        if (is_empty_dir(j->dir) == 0 && access(probe, F_OK) != 0)
            return err_set(e, ERR_IO, j->dir, 0,
                           "folder exists and holds no compare.csv; expected a new or empty "
                           "folder, or an earlier comparison to replace");
    }
    const char *slash = strrchr(j->dir, '/');
    const char *name = slash ? slash + 1 : j->dir;
    int dir_len = slash ? (int)(slash - j->dir) + 1 : 0;
    if (strcmp(name, "/") == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
        name[0] == '\0')
        return err_set(e, ERR_IO, j->dir, 0, "expected a folder with a name of its own for --out");
    int w =
        snprintf(j->tmp, sizeof j->tmp, "%.*s.%s.tmp-%ld", dir_len, j->dir, name, (long)getpid());
    if (w < 0 || (size_t)w >= sizeof j->tmp)
        return err_set(e, ERR_IO, j->dir, 0, "path too long");
    return 0;
}

/* Puts the finished folder j->tmp in place of j->dir, then removes the old one.
 * Swapping with renameat2 leaves no moment without a complete DIR; where the
 * file system cannot swap, the old DIR is moved aside first. */
static int swap_in(compare_job *j, err_info *e)
{
    char old[sizeof j->tmp + 8];
    snprintf(old, sizeof old, "%s.old", j->tmp);
    if (rename(j->tmp, j->dir) == 0) { /* no DIR, or an empty one */
        j->tmp[0] = '\0';
        return 0;
    }
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, j->tmp, AT_FDCWD, j->dir, RENAME_EXCHANGE) == 0) {
        remove_tree(j->tmp); /* now the old comparison */
        j->tmp[0] = '\0';
        return 0;
    }
#endif
    if (rename(j->dir, old) != 0)
        return err_set(e, ERR_IO, j->dir, 0, "cannot replace the earlier comparison: %s",
                       strerror(errno));
    if (rename(j->tmp, j->dir) != 0) {
        int saved = errno;
        rename(old, j->dir);
        return err_set(e, ERR_IO, j->dir, 0, "cannot write the comparison: %s", strerror(saved));
    }
    remove_tree(old);
    j->tmp[0] = '\0';
    return 0;
}

/* Writes every folder and compare.csv into the fresh folder, then swaps it in. */
static int write_all(compare_job *j, const char *command_line, err_info *e)
{
    char sub[sizeof j->tmp + STEM_MAX + 1];
    char parent[sizeof j->tmp];
    const char *slash = strrchr(j->dir, '/');
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - j->dir) : 1,
             slash ? j->dir : ".");
    int rc = outfile_mkdirs(parent[0] ? parent : "/", e);
    if (rc == 0 && mkdir(j->tmp, 0777) != 0)
        rc = err_set(e, ERR_IO, j->dir, 0, "cannot create output folder: %s", strerror(errno));
    if (rc != 0) {
        j->tmp[0] = '\0'; /* nothing of ours to remove */
        return rc;
    }
    for (size_t i = 0; i < j->n && rc == 0; i++) {
        snprintf(sub, sizeof sub, "%s/%s", j->tmp, j->stems[i]);
        rc = cli_outputs_write(&j->outs[i], &j->runs[i], sub, command_line, e);
    }
    if (rc == 0)
        rc = write_table(j, e);
    for (size_t i = 0; i < j->n && rc == 0; i++)
        rc = cli_outputs_commit(&j->outs[i], e);
    if (rc == 0)
        rc = outfile_commit(&j->table, e);
    for (size_t i = 0; i < j->n; i++)
        cli_outputs_discard(&j->outs[i]);
    outfile_discard(&j->table);
    if (rc == 0)
        rc = swap_in(j, e);
    return rc;
}

static int compare(compare_job *j, const cli_args *a, const char *command_line, err_info *e)
{
    int rc = plan_dir(j, e);
    if (rc == 0)
        rc = load_all(j, a, e);
    for (size_t i = 0; i < j->n && rc == 0; i++)
        rc = name_file(cli_run_simulate(&j->runs[i], a->jobs, e), j->files[i], e);
    /* Every rank holds every result; rank 0 alone writes them. */
    if (rc != 0 || !rep_is_root())
        return rc;
    /* A variant's stage may be declared in its base: the label says whose run it is. */
    for (size_t i = 0; i < j->n; i++) {
        char label[STEM_MAX + 3];
        snprintf(label, sizeof label, "%s: ", j->stems[i]);
        if (j->runs[i].pw != NULL)
            pw_write_capacity_warnings(j->runs[i].pw, j->runs[i].results,
                                       j->runs[i].sc.replications, label, stderr);
    }
    if ((rc = write_all(j, command_line, e)) != 0)
        return rc;
    for (size_t i = 1; i < j->n; i++)
        printf("caseflow: %s: %zu of %zu metrics distinguishable from %s\n", j->stems[i],
               j->hits[i], j->runs[0].n_metrics, j->stems[0]);
    printf("caseflow: compared %zu scenarios with common random numbers (%u replications, "
           "seed %llu); results in %s/\n",
           j->n, j->runs[0].sc.replications, (unsigned long long)j->runs[0].sc.seed, j->dir);
    return 0;
}

/* Labels from file names; two files with one name would share a folder. */
static int make_stems(compare_job *j, err_info *e)
{
    for (size_t i = 0; i < j->n; i++) {
        stem_of(j->files[i], j->stems[i], STEM_MAX);
        for (size_t k = 0; k < i; k++)
            if (strcmp(j->stems[i], j->stems[k]) == 0)
                return err_set(e, ERR_INPUT, NULL, 0,
                               "%s and %s would share the output folder '%s'; expected scenario "
                               "files with different names",
                               j->files[k], j->files[i], j->stems[i]);
    }
    return 0;
}

static int usage_error(const char *text)
{
    cli_error(text);
    fputs(compare_help, stderr);
    return CLI_USAGE;
}

int cli_cmd_compare(int argc, char **argv, const char *command_line)
{
    cli_args a;
    err_info e;
    const char *files[COMPARE_MAX_FILES];
    char stems[COMPARE_MAX_FILES][STEM_MAX];
    compare_job j = {.files = files, .stems = stems};
    err_clear(&e);
    if (cli_parse_files(argc, argv, &a, files, COMPARE_MAX_FILES, &j.n, &e) != 0)
        return usage_error(e.text);
    if (a.help) {
        fputs(compare_help, stdout);
        return CLI_OK;
    }
    if (j.n < 2)
        return usage_error("compare needs a baseline and at least one variant");
    if (a.events)
        return usage_error("--events is not available with compare; run a scenario with "
                           "`caseflow run FILE --events`");
    if (make_stems(&j, &e) != 0)
        return usage_error(e.text);
    if (a.out)
        snprintf(j.dir, sizeof j.dir, "%s", a.out);
    else
        snprintf(j.dir, sizeof j.dir, "output/compare-%s", stems[0]);
    j.runs = mem_calloc(j.n, sizeof *j.runs);
    j.outs = mem_calloc(j.n, sizeof *j.outs);
    j.hits = mem_calloc(j.n, sizeof *j.hits);
    int rc = j.runs && j.outs && j.hits ? compare(&j, &a, command_line, &e)
                                        : err_set(&e, ERR_NOMEM, NULL, 0, "out of memory");
    if (j.tmp[0] != '\0')
        remove_tree(j.tmp); /* a comparison that failed while being written */
    for (size_t i = 0; j.runs != NULL && i < j.n; i++)
        cli_run_free(&j.runs[i]);
    mem_free(j.runs);
    mem_free(j.outs);
    mem_free(j.hits);
    if (rc == 0)
        return CLI_OK;
    cli_error(e.text);
    return rc == ERR_INTERRUPT ? CLI_INTERRUPTED : CLI_FAIL;
}
