/*
 * runinfo — reading a run or comparison folder back. scenario.cfg is read
 * with libconfig through cfg.h, so a damaged file is reported at its line;
 * settings are read leniently (missing ones take their defaults, unknown ones
 * are ignored) because the file was written by caseflow itself and only a few
 * settings are shown.
 */
#include "runinfo.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg.h"
#include "mem.h"

#define PATH_MAX_LEN 4096

/* ---- dates (proleptic Gregorian, days since 1970-01-01) ------------------ */

long runinfo_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void runinfo_civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- files ----------------------------------------------------------------- */

static int join(char *buf, size_t size, const char *dir, const char *name, err_info *e)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return err_set(e, ERR_INPUT, dir, 0, "path too long");
    return 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Reads dir/name; a missing file is ERR_IO with why (hint) when given. */
static int read_table(const char *dir, const char *name, bool required, const char *hint,
                      csvin **out, err_info *e)
{
    char path[PATH_MAX_LEN];
    int rc = join(path, sizeof path, dir, name, e);
    if (rc != 0)
        return rc;
    if (!exists(path)) {
        if (!required)
            return 0;
        return err_set(e, ERR_IO, path, 0, "not found%s%s", hint ? "; " : "", hint ? hint : "");
    }
    return csvin_read(out, path, e);
}

/* The caseflow version from run.txt ("caseflow_version: 0.1.0"), or "". */
static char *read_version(const char *dir)
{
    char path[PATH_MAX_LEN], line[512];
    const char *key = "caseflow_version:";
    char *v = NULL;
    if (join(path, sizeof path, dir, "run.txt", NULL) != 0)
        return mem_strdup("");
    FILE *fp = fopen(path, "r");
    while (fp != NULL && v == NULL && fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        char *s = line + strlen(key);
        s += strspn(s, " \t");
        s[strcspn(s, "\r\n")] = '\0';
        v = mem_strdup(s);
    }
    if (fp != NULL)
        fclose(fp);
    return v != NULL ? v : mem_strdup("");
}

/* ---- scenario.cfg ---------------------------------------------------------- */

static int dup_into(char **dst, const char *s, err_info *e)
{
    *dst = mem_strdup(s != NULL ? s : "");
    return *dst == NULL ? err_set(e, ERR_NOMEM, NULL, 0, "out of memory") : 0;
}

static int read_dates(cfg_file *f, config_setting_t *root, runinfo *ri, err_info *e)
{
    const char *start = NULL;
    int rc = cfg_get_string(f, root, "start_date", false, false, &start, e);
    int y = 1970, m = 1, d = 1, used = 0;
    if (rc == 0 && start != NULL &&
        (sscanf(start, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || start[used] != '\0' || m < 1 ||
         m > 12 || d < 1 || d > 31))
        rc = cfg_error(f, config_setting_get_member(root, "start_date"), e, ERR_INPUT,
                       "start_date \"%s\" is not a date; expected \"YYYY-MM-DD\"", start);
    ri->start_day = runinfo_days(y, m, d);
    return rc;
}

static int read_settings(cfg_file *f, config_setting_t *root, runinfo *ri, err_info *e)
{
    const char *name = NULL, *desc = "";
    int64_t reps = 10;
    config_setting_t *pop = NULL, *contacts = NULL;
    int rc;
    if ((rc = cfg_get_string(f, root, "name", true, false, &name, e)) != 0 ||
        (rc = cfg_get_string(f, root, "description", false, true, &desc, e)) != 0 ||
        (rc = dup_into(&ri->name, name, e)) != 0 ||
        (rc = dup_into(&ri->description, desc, e)) != 0 || (rc = read_dates(f, root, ri, e)) != 0 ||
        (rc = cfg_get_double(f, root, "horizon_days", true, &ri->horizon_days, e)) != 0 ||
        (rc = cfg_get_double(f, root, "warmup_days", false, &ri->warmup_days, e)) != 0 ||
        (rc = cfg_get_int64_in(f, root, "replications", false, 1, UINT32_MAX, &reps, e)) != 0 ||
        (rc = cfg_get_int64_in(f, root, "seed", false, 0, INT64_MAX, &ri->seed, e)) != 0 ||
        (rc = cfg_get_member(f, root, "population", false, CONFIG_TYPE_GROUP, &pop, e)) != 0 ||
        (rc = cfg_get_member(f, root, "contacts", false, CONFIG_TYPE_GROUP, &contacts, e)) != 0)
        return rc;
    ri->replications = (uint32_t)reps;
    if (pop != NULL && (rc = cfg_get_double(f, pop, "children", false, &ri->population, e)) != 0)
        return rc;
    if (contacts != NULL &&
        ((rc = cfg_get_double(f, contacts, "per_year", false, &ri->contacts_per_year, e)) != 0 ||
         (rc = cfg_get_double(f, contacts, "growth_per_year", false, &ri->growth_per_year, e)) !=
             0))
        return rc;
    return 0;
}

static int read_stages(cfg_file *f, config_setting_t *root, runinfo *ri, err_info *e)
{
    config_setting_t *list = NULL;
    int rc = cfg_get_member(f, root, "stages", false, CONFIG_TYPE_LIST, &list, e);
    int n = list != NULL ? config_setting_length(list) : 0;
    if (rc != 0 || n <= 0)
        return rc;
    ri->stages = mem_calloc((size_t)n, sizeof *ri->stages);
    if (ri->stages == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < n; i++) {
        config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        runinfo_stage *st = &ri->stages[ri->n_stages++];
        const char *name = NULL;
        if ((rc = cfg_get_string(f, s, "name", true, false, &name, e)) != 0 ||
            (rc = dup_into(&st->name, name, e)) != 0 ||
            (rc = cfg_get_int64_in(f, s, "servers", false, 0, INT64_MAX, &st->servers, e)) != 0 ||
            (rc = cfg_get_int64_in(f, s, "initial", false, 0, INT64_MAX, &st->initial, e)) != 0)
            return rc;
    }
    return 0;
}

static int read_scenario(runinfo *ri, err_info *e)
{
    char path[PATH_MAX_LEN];
    int rc = join(path, sizeof path, ri->dir, "scenario.cfg", e);
    if (rc != 0)
        return rc;
    if (!exists(path))
        return err_set(e, ERR_IO, path, 0,
                       "not found; expected the resolved scenario that "
                       "`caseflow run` keeps with its outputs");
    cfg_file f;
    if ((rc = cfg_open(&f, path, e)) != 0) {
        cfg_close(&f);
        return rc;
    }
    config_setting_t *root = cfg_root(&f);
    if ((rc = read_settings(&f, root, ri, e)) == 0)
        rc = read_stages(&f, root, ri, e);
    cfg_close(&f);
    return rc;
}

/* ---- a run folder ---------------------------------------------------------- */

/* A timeseries or annual table: after its first_col key columns, every
 * measure M as M, M.ci95_low, M.ci95_high, all numbers or NA. */
static int check_triples(const csvin *t, size_t first_col, err_info *e)
{
    static const char *const suffix[] = {".ci95_low", ".ci95_high"};
    size_t cols = csvin_cols(t);
    for (size_t c = first_col; c < cols; c += 3) {
        const char *m = csvin_header(t, c);
        size_t n = strlen(m);
        for (size_t k = 0; k < 2; k++) {
            const char *h = c + 1 + k < cols ? csvin_header(t, c + 1 + k) : "";
            if (strncmp(h, m, n) != 0 || strcmp(h + n, suffix[k]) != 0)
                return err_set(e, ERR_INPUT, csvin_name(t), 1,
                               "column '%s' is not followed by '%s%s'; expected each measure "
                               "with its 95%% CI (is the header cut short?)",
                               m, m, suffix[k]);
        }
    }
    return csvin_check_numbers(t, first_col, e);
}

int runinfo_load(runinfo *ri, const char *dir, err_info *e)
{
    memset(ri, 0, sizeof *ri);
    ri->contacts_per_year = NAN;
    ri->growth_per_year = NAN;
    ri->replications = 10;
    ri->seed = 1;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, dir, 0,
                       "no such folder; expected the output folder of "
                       "caseflow run or caseflow compare");
    int rc = dup_into(&ri->dir, dir, e);
    if (rc == 0)
        rc = read_table(dir, "summary.csv", true, "expected the outputs of caseflow run",
                        &ri->summary, e);
    if (rc == 0)
        rc = read_table(dir, "timeseries.csv", true,
                        "caseflow report needs a pathway run (a scenario with stages)",
                        &ri->timeseries, e);
    if (rc == 0)
        rc = read_table(dir, "annual.csv", false, NULL, &ri->annual, e);
    if (rc == 0)
        rc = read_scenario(ri, e);
    if (rc == 0 && (ri->version = read_version(dir)) == NULL)
        rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    if (rc == 0 && csvin_col(ri->timeseries, "date") != 0)
        rc = err_set(e, ERR_INPUT, csvin_name(ri->timeseries), 1,
                     "first column is '%s'; expected 'date'", csvin_header(ri->timeseries, 0));
    /* gnuplot would read a cell that is not a number as missing, and a cut
     * header as fewer measures: both are refused here, naming the line. */
    if (rc == 0)
        rc = csvin_check_numbers(ri->summary, 1, e);
    if (rc == 0)
        rc = check_triples(ri->timeseries, 1, e);
    if (rc == 0 && ri->annual != NULL)
        rc = check_triples(ri->annual, 2, e);
    return rc;
}

void runinfo_fini(runinfo *ri)
{
    if (ri == NULL)
        return;
    for (size_t i = 0; i < ri->n_stages; i++)
        mem_free(ri->stages[i].name);
    mem_free(ri->stages);
    mem_free(ri->dir);
    mem_free(ri->name);
    mem_free(ri->description);
    mem_free(ri->version);
    csvin_destroy(ri->summary);
    csvin_destroy(ri->timeseries);
    csvin_destroy(ri->annual);
    memset(ri, 0, sizeof *ri);
}

bool runinfo_has_series(const csvin *t, const char *stem)
{
    char col[512];
    if (t == NULL || csvin_col(t, stem) < 0)
        return false;
    snprintf(col, sizeof col, "%s.ci95_low", stem);
    if (csvin_col(t, col) < 0)
        return false;
    snprintf(col, sizeof col, "%s.ci95_high", stem);
    return csvin_col(t, col) >= 0;
}

/* ---- a comparison folder --------------------------------------------------- */

bool runinfo_is_compare(const char *dir)
{
    char path[PATH_MAX_LEN];
    return join(path, sizeof path, dir, "compare.csv", NULL) == 0 && exists(path);
}

static int check_compare_columns(const csvin *t, err_info *e)
{
    static const char *const need[] = {"metric",    "variant",       "baseline_mean",
                                       "diff_mean", "diff_ci95_low", "diff_ci95_high"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (csvin_col(t, need[i]) < 0)
            return err_set(e, ERR_INPUT, csvin_name(t), 1,
                           "no column '%s'; expected metric,variant,baseline_mean,variant_mean,"
                           "diff_mean,diff_ci95_low,diff_ci95_high,...",
                           need[i]);
    return 0;
}

static bool is_variant(const runcompare *c, const char *name, size_t upto)
{
    size_t vc = (size_t)csvin_col(c->table, "variant");
    for (size_t r = 0; r < upto; r++)
        if (strcmp(csvin_cell(c->table, r, vc), name) == 0)
            return true;
    return false;
}

static int load_variants(runcompare *c, err_info *e)
{
    size_t rows = csvin_rows(c->table), vc = (size_t)csvin_col(c->table, "variant");
    c->variants = mem_calloc(rows > 0 ? rows : 1, sizeof *c->variants);
    if (c->variants == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t r = 0; r < rows; r++) {
        const char *v = csvin_cell(c->table, r, vc);
        if (is_variant(c, v, r))
            continue;
        char sub[PATH_MAX_LEN];
        int rc = join(sub, sizeof sub, c->dir, v, e);
        if (rc == 0 && (v[0] == '\0' || strchr(v, '/') != NULL || strcmp(v, "..") == 0))
            rc = err_set(e, ERR_INPUT, csvin_name(c->table), csvin_line(c->table, r),
                         "variant '%s'; expected a scenario name (its folder's name)", v);
        if (rc == 0)
            rc = runinfo_load(&c->variants[c->n_variants++], sub, e);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subfolders with a summary.csv that are not variants, sorted. */
static int find_baselines(const runcompare *c, char ***names, size_t *n, err_info *e)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(c->dir);
    if (d == NULL)
        return err_set(e, ERR_IO, c->dir, 0, "cannot list: %s", strerror(errno));
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        char path[PATH_MAX_LEN];
        if (de->d_name[0] == '.' || is_variant(c, de->d_name, csvin_rows(c->table)) ||
            snprintf(path, sizeof path, "%s/%s/summary.csv", c->dir, de->d_name) >=
                (int)sizeof path ||
            !exists(path))
            continue;
        char **bigger = mem_resize(*names, *n + 1, sizeof **names);
        if (bigger == NULL || (bigger[*n] = mem_strdup(de->d_name)) == NULL) {
            if (bigger != NULL)
                *names = bigger;
            rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
        } else {
            *names = bigger;
            (*n)++;
        }
    }
    closedir(d);
    if (*n > 1)
        qsort(*names, *n, sizeof **names, name_cmp);
    return rc;
}

static int load_baseline(runcompare *c, err_info *e)
{
    char **names;
    size_t n;
    int rc = find_baselines(c, &names, &n, e);
    if (rc == 0 && n == 0)
        rc = err_set(e, ERR_INPUT, c->dir, 0,
                     "no baseline run folder; expected a subfolder with summary.csv besides "
                     "the variants named in compare.csv");
    if (rc == 0 && n > 1)
        rc = err_set(e, ERR_INPUT, c->dir, 0,
                     "%zu folders could be the baseline ('%s', '%s'%s); expected one besides the "
                     "variants named in compare.csv",
                     n, names[0], names[1], n > 2 ? ", ..." : "");
    if (rc == 0) {
        char sub[PATH_MAX_LEN];
        if ((rc = join(sub, sizeof sub, c->dir, names[0], e)) == 0)
            rc = runinfo_load(&c->baseline, sub, e);
    }
    for (size_t i = 0; i < n; i++)
        mem_free(names[i]);
    mem_free(names);
    return rc;
}

int runinfo_compare_load(runcompare *c, const char *dir, err_info *e)
{
    memset(c, 0, sizeof *c);
    int rc = dup_into(&c->dir, dir, e);
    if (rc == 0)
        rc = read_table(dir, "compare.csv", true, NULL, &c->table, e);
    if (rc == 0)
        rc = check_compare_columns(c->table, e);
    if (rc == 0)
        rc = load_variants(c, e);
    if (rc == 0)
        rc = load_baseline(c, e);
    return rc;
}

void runinfo_compare_fini(runcompare *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_variants; i++)
        runinfo_fini(&c->variants[i]);
    mem_free(c->variants);
    runinfo_fini(&c->baseline);
    csvin_destroy(c->table);
    mem_free(c->dir);
    memset(c, 0, sizeof *c);
}

const char *runinfo_compare_folder(const runcompare *c, const runinfo *ri)
{
    size_t n = strlen(c->dir);
    return strncmp(ri->dir, c->dir, n) == 0 && ri->dir[n] == '/' ? ri->dir + n + 1 : ri->dir;
}
