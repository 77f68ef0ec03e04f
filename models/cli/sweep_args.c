/*
 * sweep_args — `caseflow sweep`'s words: its own options are taken out here
 * and everything else is handed to cli_parse_args, so FILE and the run flags
 * mean exactly what they mean to `run`. Numbers are read with strtod and
 * must be whole words ("2x", "", "nan" and "inf" are refused): a silently
 * misread bound would vary the wrong range.
 */
#include "sweep_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "mem.h"

static int parse_number(const char *s, const char *what, const char *arg, double *out, err_info *e)
{
    char *end;
    if (*s == '\0')
        return err_set(e, ERR_INPUT, NULL, 0, "--vary '%s': no %s; expected KEY=LOW:HIGH", arg,
                       what);
    *out = strtod(s, &end);
    if (*end != '\0' || !isfinite(*out))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--vary '%s': %s '%s' is not a finite number; expected KEY=LOW:HIGH, such "
                       "as contacts.per_year=6000:8000",
                       arg, what, s);
    return 0;
}

/* KEY=LOW:HIGH into k. */
static int parse_vary(const char *orig, sweep_key *k, err_info *e)
{
    memset(k, 0, sizeof *k);
    if (strlen(orig) >= sizeof k->text)
        return err_set(e, ERR_INPUT, NULL, 0, "--vary '%.40s...' is too long; expected a path",
                       orig);
    snprintf(k->text, sizeof k->text, "%s", orig);
    char *eq = strchr(k->text, '=');
    char *colon = eq ? strchr(eq + 1, ':') : NULL;
    if (eq == NULL || colon == NULL || eq == k->text)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--vary '%s'; expected KEY=LOW:HIGH, such as contacts.per_year=6000:8000",
                       orig);
    *eq = '\0';
    *colon = '\0';
    k->path = k->text;
    int rc = parse_number(eq + 1, "LOW", orig, &k->low, e);
    if (rc == 0)
        rc = parse_number(colon + 1, "HIGH", orig, &k->high, e);
    if (rc == 0 && !(k->low < k->high))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--vary '%s': LOW %s HIGH; expected LOW < HIGH (a range to vary over)", orig,
                       k->low > k->high ? ">" : "=");
    return rc;
}

/* The value of an option given as "--name VALUE" or "--name=VALUE", or NULL. */
static const char *value_of(int argc, char **argv, int *i, const char *name, bool *is)
{
    size_t n = strlen(name);
    const char *w = argv[*i];
    *is = strncmp(w, name, n) == 0 && (w[n] == '\0' || w[n] == '=');
    if (!*is)
        return NULL;
    if (w[n] == '=')
        return w + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int add_key(sweep_args *s, const char *v, err_info *e)
{
    if (s->n_keys == SWEEP_MAX_KEYS)
        return err_set(e, ERR_INPUT, NULL, 0, "more than %d --vary; expected at most %d settings",
                       SWEEP_MAX_KEYS, SWEEP_MAX_KEYS);
    sweep_key *k = &s->keys[s->n_keys];
    int rc = parse_vary(v, k, e);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < s->n_keys; i++)
        if (strcmp(s->keys[i].path, k->path) == 0)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "--vary %s is given twice; expected each setting once", k->path);
    s->n_keys++;
    return 0;
}

/* One of sweep's own options at argv[*i]: 1 if it was, 0 if not, or an error. */
static int sweep_option(int argc, char **argv, int *i, sweep_args *s, err_info *e)
{
    bool is;
    const char *v;
    uint64_t x;
    static const char *const names[] = {"--vary", "--design", "--points", "--metric", "--lang"};
    for (int k = 0; k < 5; k++) {
        v = value_of(argc, argv, i, names[k], &is);
        if (!is)
            continue;
        if (k == 4) /* report's own check and words */
            return cli_parse_lang(v, &s->lang, e) == 0 ? 1 : ERR_INPUT;
        if (v == NULL)
            return err_set(e, ERR_INPUT, NULL, 0, "%s needs a value", names[k]);
        if (k == 0)
            return add_key(s, v, e) == 0 ? 1 : ERR_INPUT;
        if (k == 1 && design_kind_parse(v, &s->kind) != 0)
            return err_set(e, ERR_INPUT, NULL, 0, "--design '%s'; expected oat, lhs or sobol", v);
        if (k == 2) {
            if (cli_parse_u64(v, 2, DESIGN_MAX_POINTS, &x) != 0)
                return err_set(e, ERR_INPUT, NULL, 0,
                               "--points '%s'; expected a whole number from 2 to %d", v,
                               DESIGN_MAX_POINTS);
            s->points = (size_t)x;
        }
        if (k == 3) {
            if (s->n_metrics == SWEEP_MAX_METRICS)
                return err_set(e, ERR_INPUT, NULL, 0, "more than %d --metric; expected fewer",
                               SWEEP_MAX_METRICS);
            s->metrics[s->n_metrics++] = v;
        }
        return 1;
    }
    return 0;
}

int cli_sweep_parse(int argc, char **argv, sweep_args *s, err_info *e)
{
    memset(s, 0, sizeof *s);
    char **rest = mem_calloc((size_t)argc + 1, sizeof *rest);
    if (rest == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    int n = 0, rc = 0;
    for (int i = 0; i < argc && rc >= 0; i++) {
        rc = sweep_option(argc, argv, &i, s, e);
        if (rc == 0)
            rest[n++] = argv[i];
    }
    if (rc >= 0)
        rc = cli_parse_args(n, rest, true, &s->run, e);
    mem_free(rest);
    s->help = s->run.help;
    if (rc < 0 || s->help)
        return rc < 0 ? rc : 0;
    if (s->run.events || s->run.suppress_below)
        return err_set(e, ERR_INPUT, NULL, 0, "%s is not available with sweep",
                       s->run.events ? "--events" : "--suppress-below");
    if (s->n_keys == 0)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "nothing to vary; expected at least one --vary KEY=LOW:HIGH");
    if (s->kind == DESIGN_SOBOL && s->n_keys > DESIGN_SOBOL_MAX_DIMS)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "%zu settings for a Sobol design; GSL's Sobol sequence has at most %d "
                       "dimensions (vary fewer, or use --design lhs)",
                       s->n_keys, DESIGN_SOBOL_MAX_DIMS);
    if (s->points == 0)
        s->points = s->kind == DESIGN_OAT ? DEFAULT_POINTS_OAT : DEFAULT_POINTS;
    return 0;
}
