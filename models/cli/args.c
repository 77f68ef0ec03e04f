/*
 * args — strict parsing of command-line words. Numbers must be whole decimal
 * numbers with nothing after them ("10x", "-1", "1e3" and "" are refused),
 * because a silently misread --replications would publish a wrong interval.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The value of an option given as "--name VALUE" or "--name=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *name, err_info *e)
{
    size_t n = strlen(name);
    const char *w = argv[*i];
    if (w[n] == '=')
        return w + n + 1;
    if (*i + 1 >= argc) {
        err_set(e, ERR_INPUT, NULL, 0, "%s needs a value", name);
        return NULL;
    }
    /* "--out --jobs 2" forgot the folder: taking "--jobs" as one would make
     * the next message ("unexpected '2'") point at the wrong word. */
    if (strncmp(argv[*i + 1], "--", 2) == 0) {
        err_set(e, ERR_INPUT, NULL, 0,
                "%s needs a value; got the option '%s' (write %s=%s for a "
                "value that starts with --)",
                name, argv[*i + 1], name, argv[*i + 1]);
        return NULL;
    }
    return argv[++*i];
}

static bool is_option(const char *w, const char *name)
{
    size_t n = strlen(name);
    return strncmp(w, name, n) == 0 && (w[n] == '\0' || w[n] == '=');
}

static int parse_run_flag(int argc, char **argv, int *i, cli_args *a, err_info *e)
{
    const char *w = argv[*i], *v;
    uint64_t x;
    if (strcmp(w, "--events") == 0) {
        a->events = true;
    } else if (is_option(w, "--out")) {
        if ((v = option_value(argc, argv, i, "--out", e)) == NULL)
            return ERR_INPUT;
        if (*v == '\0')
            return err_set(e, ERR_INPUT, NULL, 0, "--out needs a folder name");
        a->out = v;
    } else if (is_option(w, "--replications")) {
        if ((v = option_value(argc, argv, i, "--replications", e)) == NULL)
            return ERR_INPUT;
        if (cli_parse_u64(v, 1, UINT32_MAX, &x) != 0)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "--replications '%s'; expected a whole number >= 1", v);
        a->replications = (uint32_t)x;
        a->has_replications = true;
    } else if (is_option(w, "--seed")) {
        if ((v = option_value(argc, argv, i, "--seed", e)) == NULL)
            return ERR_INPUT;
        if (cli_parse_u64(v, 0, INT64_MAX, &x) != 0)
            return err_set(e, ERR_INPUT, NULL, 0, "--seed '%s'; expected a whole number >= 0", v);
        a->seed = x;
        a->has_seed = true;
    } else if (is_option(w, "--suppress-below")) {
        if ((v = option_value(argc, argv, i, "--suppress-below", e)) == NULL)
            return ERR_INPUT;
        if (cli_parse_u64(v, 1, 1000000, &x) != 0)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "--suppress-below '%s'; expected a whole number of children >= 1 "
                           "(5 is usual)",
                           v);
        a->suppress_below = (uint32_t)x;
    } else if (is_option(w, "--jobs")) {
        if ((v = option_value(argc, argv, i, "--jobs", e)) == NULL)
            return ERR_INPUT;
        if (cli_parse_u64(v, 1, 4096, &x) != 0)
            return err_set(e, ERR_INPUT, NULL, 0, "--jobs '%s'; expected a whole number 1-4096", v);
        a->jobs = (unsigned)x;
    } else {
        return err_set(e, ERR_INPUT, NULL, 0, "unknown option '%s'", w);
    }
    return 0;
}

int cli_parse_args(int argc, char **argv, bool allow_run_flags, cli_args *a, err_info *e)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            a->help = true;
        } else if (w[0] == '-' && w[1] != '\0') {
            if (!allow_run_flags)
                return err_set(e, ERR_INPUT, NULL, 0, "unknown option '%s'", w);
            int rc = parse_run_flag(argc, argv, &i, a, e);
            if (rc != 0)
                return rc;
        } else if (a->scenario == NULL) {
            a->scenario = w;
        } else {
            return err_set(e, ERR_INPUT, NULL, 0, "unexpected '%s'; expected one scenario file", w);
        }
    }
    if (a->scenario == NULL && !a->help)
        return err_set(e, ERR_INPUT, NULL, 0, "no scenario file given");
    return 0;
}

int cli_parse_files(int argc, char **argv, cli_args *a, const char **files, size_t max_files,
                    size_t *n_files, err_info *e)
{
    memset(a, 0, sizeof *a);
    *n_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            a->help = true;
        } else if (w[0] == '-' && w[1] != '\0') {
            int rc = parse_run_flag(argc, argv, &i, a, e);
            if (rc != 0)
                return rc;
        } else if (*n_files == max_files) {
            return err_set(e, ERR_INPUT, NULL, 0,
                           "unexpected '%s'; expected at most %zu scenario files", w, max_files);
        } else {
            files[(*n_files)++] = w;
        }
    }
    a->scenario = *n_files > 0 ? files[0] : NULL;
    if (a->scenario == NULL && !a->help)
        return err_set(e, ERR_INPUT, NULL, 0, "no scenario file given");
    return 0;
}

void cli_default_out(const char *scenario, char *buf, size_t size)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".cfg") == 0)
        n -= 4;
    snprintf(buf, size, "output/%.*s", (int)n, base);
}
