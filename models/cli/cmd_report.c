/*
 * cmd_report — `caseflow report DIR [--lang en|cy]`: charts and a one-page
 * report for a run or a comparison (models/report/report.h does the work).
 *
 * This layer does what the library may not: reads the environment to find
 * gnuplot on PATH and the chart scripts, prints, and picks the exit status.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "report/report.h"

#define PATH_LEN 4096

static const char report_help[] =
    "usage: caseflow report DIR [--lang en|cy]\n"
    "\n"
    "Draws the charts of a run (the folder `caseflow run` wrote) or of a comparison\n"
    "(the folder `caseflow compare` wrote, holding compare.csv) and writes, in DIR:\n"
    "  report.html        one self-contained page: the scenario, headline figures with\n"
    "                     95% confidence intervals, the charts, the assumptions\n"
    "  charts/*.png       every chart as PNG, to paste into Word\n"
    "  charts/*.svg       every chart as SVG, for the web\n"
    "  charts/charts.gp   the gnuplot script that drew them\n"
    "\n"
    "  --lang en|cy       language of the report and its charts: English (default)\n"
    "                     or Welsh (Cymraeg)\n"
    "\n"
    "Needs gnuplot on PATH (Debian package gnuplot-nox). The chart scripts are read\n"
    "from $CASEFLOW_SCRIPTS if set, else from scripts/ beside the caseflow program\n"
    "(or two folders above it, for builds under build/), else from ./scripts.\n";

typedef struct report_args {
    const char *dir;
    i18n_lang lang;
    bool help;
} report_args;

int cli_parse_lang(const char *v, i18n_lang *lang, err_info *e)
{
    if (v == NULL)
        return err_set(e, ERR_INPUT, NULL, 0, "--lang needs a value; expected en or cy");
    if (i18n_lang_parse(v, lang) != 0)
        return err_set(e, ERR_INPUT, NULL, 0, "--lang '%s'; expected en or cy", v);
    return 0;
}

static int parse(int argc, char **argv, report_args *a, err_info *e)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            a->help = true;
        } else if (strcmp(w, "--lang") == 0 || strncmp(w, "--lang=", 7) == 0) {
            const char *v = w[6] == '=' ? w + 7 : (i + 1 < argc ? argv[++i] : NULL);
            int rc = cli_parse_lang(v, &a->lang, e);
            if (rc != 0)
                return rc;
        } else if (w[0] == '-' && w[1] != '\0') {
            return err_set(e, ERR_INPUT, NULL, 0, "unknown option '%s'", w);
        } else if (a->dir == NULL) {
            a->dir = w;
        } else {
            return err_set(e, ERR_INPUT, NULL, 0, "unexpected '%s'; expected one folder", w);
        }
    }
    if (a->dir == NULL && !a->help)
        return err_set(e, ERR_INPUT, NULL, 0, "no folder given");
    return 0;
}

static bool is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* An empty entry of PATH is the current folder. */
int cli_find_on_path(const char *name, char *out, size_t size)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/bin:/bin";
    while (path != NULL) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        int n = len == 0 ? snprintf(out, size, "./%s", name)
                         : snprintf(out, size, "%.*s/%s", (int)len, path, name);
        if (n > 0 && (size_t)n < size && is_executable_file(out))
            return 0;
        path = colon ? colon + 1 : NULL;
    }
    return -1;
}

/* dir, made canonical into out if it holds the chart scripts; 0 or -1.
 * Absolute because gnuplot runs in the output folder; canonical because the
 * path is written into the charts' .gp files, which must not depend on which
 * build of caseflow (build/release, build/mpi) drew them. */
static int try_scripts(const char *dir, char *out)
{
    char probe[PATH_LEN + 16], real[PATH_MAX];
    if (snprintf(probe, sizeof probe, "%s/fan.gp", dir) >= (int)sizeof probe ||
        access(probe, R_OK) != 0 || realpath(dir, real) == NULL)
        return -1;
    return snprintf(out, PATH_LEN, "%s", real) < PATH_LEN ? 0 : -1;
}

int cli_find_scripts(char *out, err_info *e)
{
    const char *env = getenv("CASEFLOW_SCRIPTS");
    if (env != NULL && env[0] != '\0') {
        if (try_scripts(env, out) == 0)
            return 0;
        return err_set(e, ERR_IO, env, 0,
                       "no fan.gp here; CASEFLOW_SCRIPTS should name caseflow's scripts/ folder");
    }
    char exe[PATH_LEN], dir[2 * PATH_LEN];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        static const char *const rel[] = {"scripts", "../../scripts", "../share/caseflow/scripts"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(dir, sizeof dir, "%s/%s", exe, rel[i]);
            if (try_scripts(dir, out) == 0)
                return 0;
        }
    }
    if (try_scripts("scripts", out) == 0)
        return 0;
    return err_set(e, ERR_IO, NULL, 0,
                   "cannot find caseflow's chart scripts (fan.gp); set CASEFLOW_SCRIPTS to the "
                   "scripts/ folder of the caseflow source");
}

static int make_report(const report_args *a, err_info *e)
{
    struct stat st;
    if (stat(a->dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, a->dir, 0,
                       "no such folder; expected the output folder of caseflow run or compare");
    char gnuplot[PATH_LEN], scripts[PATH_LEN];
    if (cli_find_on_path("gnuplot", gnuplot, sizeof gnuplot) != 0)
        return err_set(e, ERR_IO, NULL, 0,
                       "gnuplot not found on PATH; install the gnuplot-nox package "
                       "(scripts/install-deps.sh)");
    int rc = cli_find_scripts(scripts, e);
    if (rc != 0)
        return rc;
    report_options o = {.dir = a->dir, .lang = a->lang, .gnuplot = gnuplot, .scripts_dir = scripts};
    report_result res;
    if ((rc = report_make(&o, &res, e)) != 0)
        return rc;
    printf("caseflow: %s report in %s/report.html; %zu charts (PNG and SVG) in %s/charts/\n",
           res.is_compare ? "comparison" : "run", a->dir, res.charts, a->dir);
    return 0;
}

int cli_cmd_report(int argc, char **argv)
{
    report_args a;
    err_info e;
    err_clear(&e);
    if (parse(argc, argv, &a, &e) != 0) {
        cli_error(e.text);
        fputs(report_help, stderr);
        return CLI_USAGE;
    }
    if (a.help) {
        fputs(report_help, stdout);
        return CLI_OK;
    }
    int rc = make_report(&a, &e);
    if (rc == 0)
        return CLI_OK;
    cli_error(e.text);
    return rc == ERR_INTERRUPT ? CLI_INTERRUPTED : CLI_FAIL;
}
