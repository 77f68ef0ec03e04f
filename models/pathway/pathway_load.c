/*
 * pathway_load — reading a pathway scenario into a pw_model.
 *
 * Passes, so every name is known before anything refers to it and each
 * message can point at the line at fault:
 *   1. run settings, start date, calendar, population, children;
 *   2. stage names (each becomes a node of the engine's net), exit names,
 *      stocks (sets of stages);
 *   3. each stage's body: durations (conditions may read stocks and
 *      queues, so they come after 2), outcomes, targets, patience, reviews,
 *      warm-start stock;
 *   4. rules, the stream of contacts, the months of the timeseries.
 * Conditions are compiled once here (expr.h) against pw_var_lookup.
 */
/* realpath (XSI), for the calendar path written into the resolved scenario. */
#define _XOPEN_SOURCE 700
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mem.h"
#include "nhpp.h"
#include "pathway/pathway_internal.h"

static const char *const root_keys[] = {
    "name",     "description", "horizon_days", "warmup_days", "replications",
    "seed",     "limits",      "start_date",   "calendar",    "population",
    "children", "contacts",    "stages",       "exits",       "rules",
    "stocks",   "workforce",   "placements",   NULL};
static const char *const population_keys[] = {"children", NULL};
static const char *const children_keys[] = {"age_years", "need_levels", NULL};
static const char *const contacts_keys[] = {
    "per_year", "growth_per_year", "monthly_profile", "to", "sources", "steps", NULL};
static const char *const step_keys[] = {"from", "factor", NULL};
static const char *const source_keys[] = {"name", "share", NULL};
static const char *const stage_keys[] = {
    "name",      "servers",     "front_door",     "duration", "durations",
    "outcomes",  "flow_in",     "flow_out",       "targets",  "patience",
    "renege_to", "renege_flow", "at_18",          "initial",  "initial_age_years",
    "reviews",   "case_weight", "cost_per_entry", "service",  "sessions",
    NULL};
static const char *const session_keys[] = {"every_days", "first_day", "capacity", NULL};
static const char *const variant_keys[] = {"when", "duration", NULL};
static const char *const outcome_keys[] = {"to", "p", "flow", NULL};
static const char *const target_keys[] = {"kpi", "working_days", "from", "at", NULL};
static const char *const review_keys[] = {"first_days", "every_days", "delay", "flow", "kpi", NULL};
static const char *const exit_keys[] = {"name", "re_referral", "counts", NULL};
static const char *const count_keys[] = {"flow", "when", NULL};
static const char *const rereferral_keys[] = {"p", "delay", "to", "initial", NULL};
static const char *const rule_keys[] = {"name", "from", "to", "p", "when", "flow", NULL};
static const char *const stock_keys[] = {"name", "stages", NULL};

#define TURNED_18 "turned_18"

/* ---- variables for conditions ------------------------------------------- */

static const char *const child_var_names[PW_N_CHILD_VARS] = {
    "age",     "need",     "source", "episodes",  "step_ups",       "step_downs",
    "stories", "cp_plans", "care",   "days_here", "episode_stories"};

uint32_t pw_n_vars(const pw_model *m)
{
    return PW_N_CHILD_VARS + 2 * (uint32_t)m->n_stages + (uint32_t)m->n_stocks;
}

static bool name_is(const char *name, size_t len, const char *prefix, const char *rest)
{
    size_t pl = strlen(prefix), rl = strlen(rest);
    return len == pl + rl && memcmp(name, prefix, pl) == 0 && memcmp(name + pl, rest, rl) == 0;
}

/* Slots: child variables, then queue.S and count.S per stage, then stock.X. */
int pw_var_lookup(void *ctx, const char *name, size_t len, uint32_t *slot)
{
    const pw_model *m = ctx;
    for (uint32_t i = 0; i < PW_N_CHILD_VARS; i++)
        if (name_is(name, len, "", child_var_names[i])) {
            *slot = i;
            return 0;
        }
    for (uint32_t i = 0; i < m->n_stages; i++) {
        if (name_is(name, len, "queue.", m->stages[i].name)) {
            *slot = PW_N_CHILD_VARS + 2 * i;
            return 0;
        }
        if (name_is(name, len, "count.", m->stages[i].name)) {
            *slot = PW_N_CHILD_VARS + 2 * i + 1;
            return 0;
        }
    }
    for (uint32_t i = 0; i < m->n_stocks; i++)
        if (name_is(name, len, "", m->stocks[i].name)) {
            *slot = PW_N_CHILD_VARS + 2 * (uint32_t)m->n_stages + i;
            return 0;
        }
    return ERR_INPUT;
}

static int var_string_value(void *ctx, uint32_t slot, const char *s, size_t len, double *out)
{
    const pw_model *m = ctx;
    if (slot != PW_VAR_SOURCE)
        return ERR_INPUT;
    for (size_t i = 0; i < m->n_sources; i++)
        if (strlen(m->source_name[i]) == len && memcmp(m->source_name[i], s, len) == 0) {
            *out = (double)i;
            return 0;
        }
    return ERR_INPUT;
}

static void var_describe(void *ctx, char *buf, size_t size)
{
    const pw_model *m = ctx;
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < PW_N_CHILD_VARS && used < size; i++)
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", child_var_names[i]);
    for (size_t i = 0; i < m->n_stages && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, ", queue.%s, count.%s", m->stages[i].name,
                                 m->stages[i].name);
    for (size_t i = 0; i < m->n_stocks && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, ", %s", m->stocks[i].name);
}

/* Compiles the condition at key `when` of group g into *out (NULL if absent). */
int pw_get_condition(pw_model *m, config_setting_t *g, expr **out, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    const char *text = NULL;
    *out = NULL;
    int rc = cfg_get_string(f, g, "when", false, false, &text, e);
    if (rc != 0 || text == NULL)
        return rc;
    expr_env env = {.ctx = m,
                    .lookup = pw_var_lookup,
                    .string_value = var_string_value,
                    .describe = var_describe};
    err_info why;
    err_clear(&why);
    if ((rc = expr_compile(out, text, &env, &why)) != 0)
        return cfg_error(f, config_setting_get_member(g, "when"), e, rc, "condition \"%s\": %s",
                         text, why.text);
    return 0;
}

/* ---- names --------------------------------------------------------------- */

static int find_stage(const pw_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_stages; i++)
        if (strcmp(m->stages[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int find_exit(const pw_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_exits; i++)
        if (strcmp(m->exits[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* "a, b, c" of the stage and exit names, for messages. */
static void list_targets(const pw_model *m, bool stages, bool exits, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; stages && i < m->n_stages && used < size; i++)
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", m->stages[i].name);
    for (size_t i = 0; exits && i < m->n_exits && used < size; i++)
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", m->exits[i].name);
}

/* Resolves the string at key of g to a stage (or an exit when allowed). */
static int get_target(pw_model *m, config_setting_t *g, const char *key, bool required,
                      bool exits_ok, bool stages_ok, uint32_t *out, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    const char *name = NULL;
    int rc = cfg_get_string(f, g, key, required, false, &name, e);
    if (rc != 0 || name == NULL)
        return rc;
    int i = stages_ok ? find_stage(m, name) : -1;
    if (i >= 0) {
        *out = (uint32_t)i;
        return 0;
    }
    i = exits_ok ? find_exit(m, name) : -1;
    if (i >= 0) {
        *out = PW_EXIT_FLAG | (uint32_t)i;
        return 0;
    }
    char names[1024];
    list_targets(m, stages_ok, exits_ok, names, sizeof names);
    return cfg_error(f, config_setting_get_member(g, key), e, ERR_INPUT,
                     "%s '%s' is not a %s; expected one of: %s", key, name,
                     stages_ok && exits_ok ? "stage or an exit"
                     : stages_ok           ? "stage"
                                           : "exit",
                     names);
}

/* The flow named at key of g ("step_ups" -> flow.step_ups), or -1. */
static int get_flow(pw_model *m, config_setting_t *g, const char *key, int32_t *out, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    const char *name = NULL;
    *out = -1;
    int rc = cfg_get_string(f, g, key, false, false, &name, e);
    if (rc != 0 || name == NULL)
        return rc;
    config_setting_t *s = config_setting_get_member(g, key);
    if ((rc = scenario_check_name(f, s, "flow", name, e)) != 0)
        return rc;
    char full[96];
    snprintf(full, sizeof full, "flow.%s", name);
    int i = pw_flow_index(m, full, e);
    if (i < 0)
        return i;
    *out = i;
    return 0;
}

static int get_kpi(pw_model *m, config_setting_t *g, const char *key, int32_t *out, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    const char *name = NULL;
    int rc = cfg_get_string(f, g, key, true, false, &name, e);
    if (rc != 0)
        return rc;
    if ((rc = scenario_check_name(f, config_setting_get_member(g, key), "KPI", name, e)) != 0)
        return rc;
    char full[96];
    snprintf(full, sizeof full, "kpi.%s", name);
    int i = pw_kpi_index(m, full, e);
    if (i < 0)
        return i;
    *out = i;
    return 0;
}

/* ---- pass 1: settings, dates, population, children ------------------------ */

static int load_dates(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *root = cfg_root(&m->sc->file);
    const char *start = NULL, *cal = NULL;
    int rc = cfg_get_string(f, root, "start_date", true, false, &start, e);
    if (rc != 0)
        return rc;
    if (cal_parse_date(start, &m->start_day) != 0)
        return cfg_error(f, config_setting_get_member(root, "start_date"), e, ERR_INPUT,
                         "start_date \"%s\" is not a date; expected \"YYYY-MM-DD\"", start);
    if ((rc = cfg_get_string(f, root, "calendar", false, false, &cal, e)) != 0)
        return rc;
    /* KPIs are measured only for children who entered after day 0 (warm-start
     * children are not), and deadlines reach a little past the horizon. */
    int32_t first = m->start_day - 7, last = m->start_day + (int32_t)ceil(m->sc->horizon_days) + 7;
    if (cal == NULL)
        return cal_create_weekends_only(&m->cal, first, last, e);
    char path[4096];
    const char *top = m->sc->file.path ? m->sc->file.path : "";
    const char *slash = strrchr(top, '/');
    if (cal[0] == '/' || slash == NULL)
        snprintf(path, sizeof path, "%s", cal);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - top), top, cal);
    err_info why;
    err_clear(&why);
    if ((rc = cal_load(&m->cal, path, first, last, &why)) != 0)
        return cfg_error(f, config_setting_get_member(root, "calendar"), e, rc, "calendar: %s",
                         why.text);
    /* The resolved scenario written next to the results must rerun from
     * anywhere: it names the calendar by its absolute path. */
    char *abs = realpath(path, NULL);
    if (abs != NULL) {
        config_setting_set_string(config_setting_get_member(root, "calendar"), abs);
        free(abs); /* realpath's own allocation: not through mem.h */
    }
    return 0;
}

static int load_children(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *root = cfg_root(&m->sc->file), *g, *pop, *age;
    int rc;
    if ((rc = cfg_get_member(f, root, "population", false, CONFIG_TYPE_GROUP, &pop, e)) != 0)
        return rc;
    if (pop != NULL &&
        ((rc = cfg_check_keys(f, pop, population_keys, e)) != 0 ||
         (rc = cfg_get_double_in(f, pop, "children", true, 1.0, 1e9, &m->population, e)) != 0))
        return rc;
    if ((rc = cfg_get_member(f, root, "children", true, CONFIG_TYPE_GROUP, &g, e)) != 0 ||
        (rc = cfg_check_keys(f, g, children_keys, e)) != 0 ||
        (rc = cfg_get_member(f, g, "age_years", true, CONFIG_TYPE_GROUP, &age, e)) != 0 ||
        (rc = cfg_get_dist(f, age, &m->age, e)) != 0 ||
        (rc = scenario_check_duration(f, age, &m->age, "children.age_years", e)) != 0)
        return rc;
    double *p = NULL;
    size_t n = 0;
    if ((rc = cfg_get_double_array(f, g, "need_levels", false, &p, &n, e)) != 0)
        return rc;
    config_setting_t *levels = config_setting_get_member(g, "need_levels");
    if (p == NULL) {
        m->n_levels = 1;
        m->need_cum[0] = 1.0;
        return 0;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += p[i] >= 0.0 ? p[i] : NAN;
    if (n < 1 || n > PW_MAX_LEVELS || !(fabs(sum - 1.0) <= 1e-6)) {
        mem_free(p);
        return cfg_error(f, levels, e, ERR_INPUT,
                         "children.need_levels: %zu probabilities summing to %g; expected 1 to %d "
                         "probabilities >= 0 that sum to 1",
                         n, sum, PW_MAX_LEVELS);
    }
    double cum = 0.0;
    for (size_t i = 0; i < n; i++)
        m->need_cum[i] = (cum += p[i]);
    m->need_cum[n - 1] = 1.0;
    m->n_levels = n;
    mem_free(p);
    return 0;
}

/* ---- pass 2: names --------------------------------------------------------- */

static int load_stage_names(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, cfg_root(&m->sc->file), "stages", true, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(list);
    if (n == 0 || n > PW_MAX_STAGES)
        return cfg_error(f, list, e, ERR_INPUT, "%d stages; expected 1 to %d", n, PW_MAX_STAGES);
    m->stages = mem_calloc((size_t)n, sizeof *m->stages);
    if (m->stages == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for %d stages", n);
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        const char *name;
        if (!config_setting_is_group(g))
            return cfg_error(f, g, e, ERR_INPUT,
                             "each stage must be a group { name = ...; duration = ...; ... }");
        if ((rc = cfg_check_keys(f, g, stage_keys, e)) != 0 ||
            (rc = cfg_get_string(f, g, "name", true, false, &name, e)) != 0 ||
            (rc = scenario_check_name(f, config_setting_get_member(g, "name"), "stage", name, e)) !=
                0)
            return rc;
        if (find_stage(m, name) >= 0)
            return cfg_error(f, config_setting_get_member(g, "name"), e, ERR_INPUT,
                             "duplicate stage name '%s'; expected each stage to have its own name",
                             name);
        pw_stage *st = &m->stages[m->n_stages++];
        st->name = name;
        st->flow_in = st->flow_out = st->renege_flow = st->review_flow = st->review_kpi = -1;
        st->team = -1;
        st->clock = -1;
    }
    return 0;
}

static int add_exit(pw_model *m, const char *name, err_info *e)
{
    pw_exit *x = mem_resize(m->exits, m->n_exits + 1, sizeof *x);
    if (x == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for exits");
    m->exits = x;
    x = &m->exits[m->n_exits++];
    memset(x, 0, sizeof *x);
    x->name = name;
    char full[96];
    snprintf(full, sizeof full, "flow.exit.%s", name);
    int i = pw_flow_index(m, full, e);
    if (i < 0)
        return i;
    x->flow = i;
    return 0;
}

static int load_exit_names(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, cfg_root(&m->sc->file), "exits", true, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(list);
    if (n == 0)
        return cfg_error(f, list, e, ERR_INPUT, "exits is empty; expected at least one way out");
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        const char *name;
        if (!config_setting_is_group(g))
            return cfg_error(f, g, e, ERR_INPUT, "each exit must be a group { name = ...; }");
        if ((rc = cfg_check_keys(f, g, exit_keys, e)) != 0 ||
            (rc = cfg_get_string(f, g, "name", true, false, &name, e)) != 0 ||
            (rc = scenario_check_name(f, config_setting_get_member(g, "name"), "exit", name, e)) !=
                0)
            return rc;
        if (find_exit(m, name) >= 0 || find_stage(m, name) >= 0)
            return cfg_error(f, config_setting_get_member(g, "name"), e, ERR_INPUT,
                             "'%s' is already a stage or an exit; expected a name of its own",
                             name);
        if ((rc = add_exit(m, name, e)) != 0)
            return rc;
    }
    /* Every child leaves children's services at 18: an exit always exists for it. */
    return find_exit(m, TURNED_18) >= 0 ? 0 : add_exit(m, TURNED_18, e);
}

static int load_stocks(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, cfg_root(&m->sc->file), "stocks", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    m->stocks = mem_calloc((size_t)n + 1, sizeof *m->stocks);
    if (m->stocks == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for stocks");
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i), *arr;
        const char *name;
        if (!config_setting_is_group(g))
            return cfg_error(f, g, e, ERR_INPUT,
                             "each stock must be a group { name = ...; stages = [...]; }");
        if ((rc = cfg_check_keys(f, g, stock_keys, e)) != 0 ||
            (rc = cfg_get_string(f, g, "name", true, false, &name, e)) != 0 ||
            (rc = scenario_check_name(f, config_setting_get_member(g, "name"), "stock", name, e)) !=
                0 ||
            (rc = cfg_get_member(f, g, "stages", true, CONFIG_TYPE_ARRAY, &arr, e)) != 0)
            return rc;
        char full[96];
        snprintf(full, sizeof full, "stock.%s", name);
        for (size_t k = 0; k < m->n_stocks; k++)
            if (strcmp(m->stocks[k].name, full) == 0)
                return cfg_error(f, g, e, ERR_INPUT, "duplicate stock '%s'", name);
        pw_stock *sk = &m->stocks[m->n_stocks];
        if ((sk->name = mem_strdup(full)) == NULL)
            return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for stocks");
        m->n_stocks++;
        int k = config_setting_length(arr);
        if (k == 0)
            return cfg_error(f, arr, e, ERR_INPUT,
                             "stock '%s' has no stages; expected at least one", name);
        for (int j = 0; j < k; j++) {
            config_setting_t *el = config_setting_get_elem(arr, (unsigned)j);
            const char *sn = config_setting_get_string(el);
            int si = sn ? find_stage(m, sn) : -1;
            if (si < 0) {
                char names[1024];
                list_targets(m, true, false, names, sizeof names);
                return cfg_error(f, arr, e, ERR_INPUT,
                                 "stock '%s': '%s' is not a stage; expected stage names from: %s",
                                 name, sn ? sn : "(not a string)", names);
            }
            sk->stages |= 1ull << si;
        }
    }
    return 0;
}

/* ---- pass 3: stage bodies -------------------------------------------------- */

static int load_durations(pw_model *m, pw_stage *st, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *one = config_setting_get_member(g, "duration");
    config_setting_t *many = config_setting_get_member(g, "durations");
    char what[128];
    snprintf(what, sizeof what, "stage '%s': duration", st->name);
    if ((one == NULL) == (many == NULL))
        return cfg_error(f, one ? one : g, e, ERR_INPUT,
                         "stage '%s' needs exactly one of 'duration' (a distribution) or "
                         "'durations' (a list of { when = \"...\"; duration = {...}; })",
                         st->name);
    int n = many ? config_setting_length(many) : 1;
    if (many != NULL && (!config_setting_is_list(many) || n == 0))
        return cfg_error(
            f, many, e, ERR_INPUT,
            "durations: expected a list ( { when = \"...\"; duration = {...}; }, ... )");
    st->durations = mem_calloc((size_t)n, sizeof *st->durations);
    if (st->durations == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for durations");
    int rc;
    for (int i = 0; i < n; i++) {
        pw_duration *d = &st->durations[i];
        config_setting_t *dg = one;
        if (many != NULL) {
            config_setting_t *v = config_setting_get_elem(many, (unsigned)i);
            if ((rc = cfg_check_keys(f, v, variant_keys, e)) != 0 ||
                (rc = pw_get_condition(m, v, &d->when, e)) != 0 ||
                (rc = cfg_get_member(f, v, "duration", true, CONFIG_TYPE_GROUP, &dg, e)) != 0)
                return rc;
            if ((d->when == NULL) != (i == n - 1))
                return cfg_error(f, v, e, ERR_INPUT,
                                 "stage '%s': durations[%d] %s; expected every variant but the "
                                 "last to have a 'when' and the last (the default) not to",
                                 st->name, i, d->when ? "has a condition" : "has no condition");
        }
        st->n_durations++;
        if ((rc = cfg_get_dist(f, dg, &d->d, e)) != 0 ||
            (rc = scenario_check_duration(f, dg, &d->d, what, e)) != 0)
            return rc;
    }
    return 0;
}

static int load_outcomes(pw_model *m, pw_stage *st, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "outcomes", true, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(list);
    if (n == 0)
        return cfg_error(f, list, e, ERR_INPUT,
                         "stage '%s' has no outcomes; expected at least { to = \"...\"; p = 1; }",
                         st->name);
    st->outcomes = mem_calloc((size_t)n, sizeof *st->outcomes);
    if (st->outcomes == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for outcomes");
    double cum = 0.0;
    for (int i = 0; i < n; i++) {
        config_setting_t *o = config_setting_get_elem(list, (unsigned)i);
        pw_outcome *oc = &st->outcomes[i];
        if (!config_setting_is_group(o))
            return cfg_error(f, o, e, ERR_INPUT,
                             "each outcome must be a group { to = ...; p = ...; }");
        if ((rc = cfg_check_keys(f, o, outcome_keys, e)) != 0 ||
            (rc = get_target(m, o, "to", true, true, true, &oc->to, e)) != 0 ||
            (rc = cfg_get_double_in(f, o, "p", true, 0.0, 1.0, &oc->p, e)) != 0 ||
            (rc = get_flow(m, o, "flow", &oc->flow, e)) != 0)
            return rc;
        oc->cum = (cum += oc->p);
        oc->line = cfg_where_line(o);
        st->n_outcomes++;
    }
    if (fabs(cum - 1.0) > 1e-6)
        return cfg_error(
            f, list, e, ERR_INPUT,
            "outcome probabilities of stage '%s' sum to %.9g; expected 1 (within 1e-6)", st->name,
            cum);
    st->outcomes[n - 1].cum = 1.0;
    return 0;
}

static int load_targets(pw_model *m, uint32_t si, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    pw_stage *st = &m->stages[si];
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "targets", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    st->targets = mem_calloc((size_t)n + 1, sizeof *st->targets);
    if (st->targets == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for targets");
    for (int i = 0; i < n; i++) {
        config_setting_t *t = config_setting_get_elem(list, (unsigned)i);
        pw_target *tg = &st->targets[i];
        int64_t wd = 0;
        const char *at = "exit";
        tg->from = si;
        if (!config_setting_is_group(t))
            return cfg_error(f, t, e, ERR_INPUT,
                             "each target must be a group { kpi = ...; working_days = ...; }");
        if ((rc = cfg_check_keys(f, t, target_keys, e)) != 0 ||
            (rc = get_kpi(m, t, "kpi", &tg->kpi, e)) != 0 ||
            (rc = cfg_get_int64_in(f, t, "working_days", true, 0, 1000, &wd, e)) != 0 ||
            (rc = get_target(m, t, "from", false, false, true, &tg->from, e)) != 0 ||
            (rc = cfg_get_string(f, t, "at", false, false, &at, e)) != 0)
            return rc;
        if (strcmp(at, "exit") != 0 && strcmp(at, "entry") != 0)
            return cfg_error(f, config_setting_get_member(t, "at"), e, ERR_INPUT,
                             "at = \"%s\"; expected \"entry\" or \"exit\"", at);
        tg->at_entry = strcmp(at, "entry") == 0;
        tg->working_days = (int32_t)wd;
        if (tg->from != si || tg->at_entry) {
            pw_stage *from = &m->stages[tg->from];
            if (from->clock < 0) {
                if (m->n_clocks == PW_MAX_CLOCKS)
                    return cfg_error(f, t, e, ERR_LIMIT,
                                     "more than %d stages are the 'from' of a target; expected "
                                     "fewer",
                                     PW_MAX_CLOCKS);
                from->clock = (int)m->n_clocks++;
            }
        }
        st->n_targets++;
    }
    return 0;
}

static int load_patience(pw_model *m, pw_stage *st, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *pg;
    int rc = cfg_get_member(f, g, "patience", false, CONFIG_TYPE_GROUP, &pg, e);
    if (rc != 0)
        return rc;
    if (pg == NULL) {
        if (config_setting_get_member(g, "renege_to") != NULL)
            return cfg_error(f, config_setting_get_member(g, "renege_to"), e, ERR_INPUT,
                             "renege_to without patience; expected patience = { dist = ...; }");
        return 0;
    }
    char what[128];
    snprintf(what, sizeof what, "stage '%s': patience", st->name);
    if ((rc = cfg_get_dist(f, pg, &st->patience, e)) != 0)
        return rc;
    st->has_patience = true;
    if ((rc = scenario_check_duration(f, pg, &st->patience, what, e)) != 0 ||
        (rc = get_target(m, g, "renege_to", true, true, true, &st->renege_to, e)) != 0 ||
        (rc = get_flow(m, g, "renege_flow", &st->renege_flow, e)) != 0)
        return rc;
    if (st->servers == 0 && config_setting_get_member(g, "sessions") == NULL)
        return cfg_error(f, pg, e, ERR_INPUT,
                         "stage '%s' has unlimited places (servers = 0), so nobody waits and "
                         "patience never applies; expected servers > 0 or no patience",
                         st->name);
    return 0;
}

static int load_reviews(pw_model *m, pw_stage *st, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *rg, *dg;
    int rc = cfg_get_member(f, g, "reviews", false, CONFIG_TYPE_GROUP, &rg, e);
    if (rc != 0 || rg == NULL)
        return rc;
    if ((rc = cfg_check_keys(f, rg, review_keys, e)) != 0 ||
        (rc = cfg_get_double_in(f, rg, "first_days", true, 1.0, 3650.0, &st->review_first, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, rg, "every_days", true, 1.0, 3650.0, &st->review_every, e)) !=
            0 ||
        (rc = get_flow(m, rg, "flow", &st->review_flow, e)) != 0 ||
        (rc = get_kpi(m, rg, "kpi", &st->review_kpi, e)) != 0 ||
        (rc = cfg_get_member(f, rg, "delay", false, CONFIG_TYPE_GROUP, &dg, e)) != 0)
        return rc;
    if (dg == NULL)
        rc = dist_init_deterministic(&st->review_delay, 0.0, e);
    else if ((rc = cfg_get_dist(f, dg, &st->review_delay, e)) == 0)
        rc = scenario_check_duration(f, dg, &st->review_delay, "reviews.delay", e);
    st->has_reviews = rc == 0;
    return rc;
}

static int load_initial(pw_model *m, pw_stage *st, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *ag;
    int rc;
    if ((rc = cfg_get_int64_in(f, g, "initial", false, 0, 10000000, &st->initial, e)) != 0 ||
        (rc = cfg_get_member(f, g, "initial_age_years", false, CONFIG_TYPE_GROUP, &ag, e)) != 0)
        return rc;
    if (ag == NULL)
        return 0;
    if ((rc = cfg_get_dist(f, ag, &st->initial_age, e)) != 0)
        return rc;
    st->has_initial_age = true;
    return scenario_check_duration(f, ag, &st->initial_age, "initial_age_years", e);
}

/*
 * sessions = { every_days = 7.0; first_day = 3.0; capacity = 20; }: a panel
 * that meets on a schedule and considers up to `capacity` families a meeting
 * (0 = all waiting), first come first served (sim/net.h session nodes). The
 * stage's duration is then the time from the meeting to the decision taking
 * effect. Read here, applied once the stage's node exists.
 */
static int load_sessions(pw_model *m, uint32_t si, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    pw_stage *st = &m->stages[si];
    config_setting_t *sg;
    int rc = cfg_get_member(f, g, "sessions", false, CONFIG_TYPE_GROUP, &sg, e);
    if (rc != 0 || sg == NULL)
        return rc;
    int64_t cap = 0;
    if ((rc = cfg_check_keys(f, sg, session_keys, e)) != 0 ||
        (rc = cfg_get_double_in(f, sg, "every_days", true, 0.01, 3650.0, &st->session_every, e)) !=
            0 ||
        (rc = cfg_get_int64_in(f, sg, "capacity", false, 0, 1000000, &cap, e)) != 0)
        return rc;
    st->session_first = st->session_every;
    if ((rc = cfg_get_double_in(f, sg, "first_day", false, 0.0, 3650.0, &st->session_first, e)) !=
        0)
        return rc;
    st->session_capacity = (uint32_t)cap;
    if (st->servers != 0)
        return cfg_error(f, sg, e, ERR_INPUT,
                         "stage '%s' meets in sessions, which take a batch at a time; expected "
                         "no servers (or servers = 0)",
                         st->name);
    return 0;
}

static int load_stage(pw_model *m, uint32_t si, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    pw_stage *st = &m->stages[si];
    int64_t servers = 0;
    int fd = 0;
    int rc;
    uint32_t at18 = PW_EXIT_FLAG | (uint32_t)find_exit(m, TURNED_18);
    config_setting_t *fds = config_setting_get_member(g, "front_door");
    if (fds != NULL) {
        if (config_setting_type(fds) != CONFIG_TYPE_BOOL)
            return cfg_error(f, fds, e, ERR_INPUT, "front_door: expected true or false");
        fd = config_setting_get_bool(fds);
    }
    st->front_door = fd != 0;
    config_setting_t *svc = config_setting_get_member(g, "service");
    if (svc != NULL) {
        if (config_setting_type(svc) != CONFIG_TYPE_BOOL)
            return cfg_error(f, svc, e, ERR_INPUT, "service: expected true or false");
        st->service = config_setting_get_bool(svc) != 0;
    }
    if ((rc = cfg_get_int64_in(f, g, "servers", false, 0, 1000000, &servers, e)) != 0)
        return rc;
    st->servers = (uint32_t)servers;
    st->case_weight = 1.0;
    if ((rc = cfg_get_double_in(f, g, "case_weight", false, 0.0, 100.0, &st->case_weight, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, g, "cost_per_entry", false, 0.0, 1e9, &st->cost_per_entry, e)) !=
            0)
        return rc;
    if ((rc = load_durations(m, st, g, e)) != 0 || (rc = load_outcomes(m, st, g, e)) != 0 ||
        (rc = get_flow(m, g, "flow_in", &st->flow_in, e)) != 0 ||
        (rc = get_flow(m, g, "flow_out", &st->flow_out, e)) != 0 ||
        (rc = load_targets(m, si, g, e)) != 0 || (rc = load_patience(m, st, g, e)) != 0 ||
        (rc = get_target(m, g, "at_18", false, true, false, &at18, e)) != 0 ||
        (rc = load_reviews(m, st, g, e)) != 0 || (rc = load_initial(m, st, g, e)) != 0)
        return rc;
    st->at_18 = at18;
    if ((rc = load_sessions(m, si, g, e)) != 0)
        return rc;
    /* The capacity warning after a run points at the setting that made the places. */
    config_setting_t *places =
        config_setting_get_member(g, st->session_every > 0.0 ? "sessions" : "servers");
    st->places_file = cfg_where_file(f, places ? places : g);
    st->places_line = cfg_where_line(places ? places : g);
    /* The engine's node: its own distribution is never used (the model's
     * service_time hook chooses among the stage's durations). */
    dist placeholder;
    err_info sub;
    if ((rc = dist_init_deterministic(&placeholder, 1.0, e)) != 0 ||
        (rc = net_add_node(&m->sc->net, st->name, st->servers, &placeholder, NULL, &sub)) != 0 ||
        (st->session_every > 0.0 &&
         (rc = net_set_sessions(&m->sc->net, si, st->session_first, st->session_every,
                                st->session_capacity, &sub)) != 0))
        return rc == ERR_NOMEM ? err_set(e, rc, NULL, 0, "out of memory for stages")
                               : cfg_error(f, g, e, rc, "%s", sub.text);
    return 0;
}

/* counts = ( { flow = "closed_by_both_doors"; when = "episode_stories >= 2"; } ) */
static int load_exit_counts(pw_model *m, pw_exit *x, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "counts", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    if ((x->counts = mem_calloc((size_t)n + 1, sizeof *x->counts)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for exits");
    for (int i = 0; i < n; i++) {
        config_setting_t *c = config_setting_get_elem(list, (unsigned)i);
        pw_exit_count *k = &x->counts[i];
        if (!config_setting_is_group(c))
            return cfg_error(f, c, e, ERR_INPUT,
                             "each count must be a group { flow = ...; when = ...; }");
        x->n_counts++;
        if ((rc = cfg_check_keys(f, c, count_keys, e)) != 0 ||
            (rc = get_flow(m, c, "flow", &k->flow, e)) != 0 ||
            (rc = pw_get_condition(m, c, &k->when, e)) != 0)
            return rc;
        if (k->flow < 0)
            return cfg_error(f, c, e, ERR_INPUT, "a count needs flow = \"NAME\"");
    }
    return 0;
}

static int load_exit_bodies(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list = config_setting_get_member(cfg_root(&m->sc->file), "exits");
    int n = config_setting_length(list);
    int rc;
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i), *rr, *dg;
        pw_exit *x = &m->exits[i];
        if ((rc = load_exit_counts(m, x, g, e)) != 0 ||
            (rc = cfg_get_member(f, g, "re_referral", false, CONFIG_TYPE_GROUP, &rr, e)) != 0)
            return rc;
        if (rr == NULL)
            continue;
        x->return_to = m->contacts_to;
        if ((rc = cfg_check_keys(f, rr, rereferral_keys, e)) != 0 ||
            (rc = cfg_get_double_in(f, rr, "p", true, 0.0, 1.0, &x->rereferral_p, e)) != 0 ||
            (rc = cfg_get_member(f, rr, "delay", true, CONFIG_TYPE_GROUP, &dg, e)) != 0 ||
            (rc = cfg_get_dist(f, dg, &x->rereferral_delay, e)) != 0 ||
            (rc = scenario_check_duration(f, dg, &x->rereferral_delay, "re_referral.delay", e)) !=
                0 ||
            (rc = get_target(m, rr, "to", false, false, true, &x->return_to, e)) != 0 ||
            (rc = cfg_get_int64_in(f, rr, "initial", false, 0, 10000000, &x->initial, e)) != 0)
            return rc;
    }
    return 0;
}

/* ---- pass 4: rules, contacts, months ---------------------------------------- */

static int load_rules(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, cfg_root(&m->sc->file), "rules", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    m->rules = mem_calloc((size_t)n + 1, sizeof *m->rules);
    if (m->rules == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for rules");
    /* Rules are grouped by their 'from' stage, keeping file order within a
     * stage, so each stage sees a contiguous slice. */
    for (uint32_t s = 0; s < m->n_stages; s++) {
        m->stages[s].rules = m->rules + m->n_rules;
        for (int i = 0; i < n; i++) {
            config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
            pw_rule r = {.flow = -1};
            if (!config_setting_is_group(g))
                return cfg_error(f, g, e, ERR_INPUT,
                                 "each rule must be a group { from = ...; to = ...; p = ...; }");
            if ((rc = cfg_check_keys(f, g, rule_keys, e)) != 0 ||
                (rc = get_target(m, g, "from", true, false, true, &r.from, e)) != 0)
                return rc;
            if (r.from != s)
                continue;
            const char *rname = NULL;
            if ((rc = cfg_get_string(f, g, "name", false, false, &rname, e)) != 0 ||
                (rname != NULL && (rc = scenario_check_name(f, config_setting_get_member(g, "name"),
                                                            "rule", rname, e)) != 0))
                return rc;
            for (int k = 0; rname != NULL && k < i; k++) {
                const char *other = NULL;
                config_setting_lookup_string(config_setting_get_elem(list, (unsigned)k), "name",
                                             &other);
                if (other != NULL && strcmp(other, rname) == 0)
                    return cfg_error(f, g, e, ERR_INPUT,
                                     "duplicate rule name '%s'; expected each named rule to have "
                                     "its own name",
                                     rname);
            }
            if ((rc = get_target(m, g, "to", true, true, true, &r.to, e)) != 0 ||
                (rc = cfg_get_double_in(f, g, "p", true, 0.0, 1.0, &r.p, e)) != 0 ||
                (rc = get_flow(m, g, "flow", &r.flow, e)) != 0 ||
                (rc = pw_get_condition(m, g, &r.when, e)) != 0)
                return rc;
            m->rules[m->n_rules++] = r;
            m->stages[s].n_rules++;
        }
    }
    return 0;
}

static int load_sources(pw_model *m, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "sources", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    if (list == NULL) {
        m->n_sources = 1;
        m->source_name[0] = "all";
        m->source_cum[0] = 1.0;
        return 0;
    }
    int n = config_setting_length(list);
    if (n < 1 || n > PW_MAX_SOURCES)
        return cfg_error(f, list, e, ERR_INPUT, "%d sources; expected 1 to %d", n, PW_MAX_SOURCES);
    double cum = 0.0;
    for (int i = 0; i < n; i++) {
        config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        double share;
        if (!config_setting_is_group(s))
            return cfg_error(f, s, e, ERR_INPUT,
                             "each source must be a group { name = ...; share = ...; }");
        if ((rc = cfg_check_keys(f, s, source_keys, e)) != 0 ||
            (rc = cfg_get_string(f, s, "name", true, false, &m->source_name[i], e)) != 0 ||
            (rc = cfg_get_double_in(f, s, "share", true, 0.0, 1.0, &share, e)) != 0)
            return rc;
        m->source_cum[i] = (cum += share);
        m->n_sources++;
    }
    if (fabs(cum - 1.0) > 1e-6)
        return cfg_error(f, list, e, ERR_INPUT,
                         "source shares sum to %.9g; expected 1 (within 1e-6)", cum);
    m->source_cum[n - 1] = 1.0;
    return 0;
}

/* steps = ( { from = "2024-01-01"; factor = 1.3; } ): demand jumps from a date on
 * (a high-profile case), multiplying the rate of every later month. */
static int load_steps(pw_model *m, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "steps", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    if (n > PW_MAX_STEPS)
        return cfg_error(f, list, e, ERR_INPUT, "%d steps; expected at most %d", n, PW_MAX_STEPS);
    for (int i = 0; i < n; i++) {
        config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        const char *from;
        int32_t day;
        if ((rc = cfg_check_keys(f, s, step_keys, e)) != 0 ||
            (rc = cfg_get_string(f, s, "from", true, false, &from, e)) != 0 ||
            (rc = cfg_get_double_in(f, s, "factor", true, 0.0, 100.0, &m->step_factor[i], e)) != 0)
            return rc;
        if (cal_parse_date(from, &day) != 0)
            return cfg_error(f, config_setting_get_member(s, "from"), e, ERR_INPUT,
                             "from = \"%s\" is not a date; expected \"YYYY-MM-DD\"", from);
        m->step_day[i] = day;
        m->n_steps++;
    }
    return 0;
}

static int load_contacts(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *g;
    double *prof = NULL;
    size_t n = 0;
    int rc;
    if ((rc = cfg_get_member(f, cfg_root(&m->sc->file), "contacts", true, CONFIG_TYPE_GROUP, &g,
                             e)) != 0 ||
        (rc = cfg_check_keys(f, g, contacts_keys, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "per_year", true, 0.0, 1e8, &m->contacts_per_year, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "growth_per_year", false, -0.9, 10.0, &m->growth_per_year,
                                e)) != 0 ||
        (rc = get_target(m, g, "to", true, false, true, &m->contacts_to, e)) != 0 ||
        (rc = load_sources(m, g, e)) != 0 ||
        (rc = cfg_get_double_array(f, g, "monthly_profile", false, &prof, &n, e)) != 0)
        return rc;
    for (int k = 0; k < 12; k++)
        m->profile[k] = 1.0;
    if (prof != NULL) {
        bool ok = n == 12;
        for (size_t k = 0; ok && k < n; k++)
            ok = prof[k] >= 0.0 && isfinite(prof[k]);
        for (size_t k = 0; ok && k < 12; k++)
            m->profile[k] = prof[k];
        mem_free(prof);
        if (!ok)
            return cfg_error(f, config_setting_get_member(g, "monthly_profile"), e, ERR_INPUT,
                             "monthly_profile: expected 12 numbers >= 0, January to December");
    }
    return load_steps(m, g, e);
}

/*
 * Months of the timeseries and the rate of contacts. The profile is
 * relative: each month's rate is per_year * profile[month] / (the
 * day-weighted mean of the profile over a year), so a year of contacts is
 * per_year whatever the profile's scale.
 */
static int build_calendar_series(pw_model *m, err_info *e)
{
    double horizon = m->sc->horizon_days;
    size_t cap = (size_t)(horizon / 28.0) + 3;
    m->month_end = mem_calloc(cap, sizeof *m->month_end);
    m->month_last_day = mem_calloc(cap, sizeof *m->month_last_day);
    m->year_last_month = mem_calloc(cap, sizeof *m->year_last_month);
    m->year_start = mem_calloc(cap, sizeof *m->year_start);
    double *breaks = mem_calloc(cap + 1, sizeof *breaks), *base = mem_calloc(cap, sizeof *base);
    int rc = ERR_NOMEM;
    if (!m->month_end || !m->month_last_day || !m->year_last_month || !m->year_start || !breaks ||
        !base) {
        err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the months of the run");
        goto done;
    }
    double weighted = 0.0;
    for (int mo = 1; mo <= 12; mo++)
        weighted += cal_days_in_month(2001, mo) * m->profile[mo - 1];
    double per_day = weighted > 0.0 ? m->contacts_per_year / weighted : 0.0;
    int32_t day = m->start_day;
    double t = 0.0;
    while (t < horizon) {
        int y, mo, d;
        cal_civil_from_days(day, &y, &mo, &d);
        int32_t last = cal_last_day_of_month(day);
        double end = fmin(horizon, t + (double)(last - day + 1));
        CHECK(m->n_months < cap);
        breaks[m->n_months] = t;
        base[m->n_months] = per_day * m->profile[mo - 1];
        for (size_t s = 0; s < m->n_steps; s++)
            if (day >= m->step_day[s])
                base[m->n_months] *= m->step_factor[s];
        m->month_end[m->n_months] = end;
        m->month_last_day[m->n_months] = day + (int32_t)ceil(end - t) - 1;
        /* Financial years run April to March. */
        int fy = mo >= 4 ? y : y - 1;
        if (m->n_years == 0 || m->year_start[m->n_years - 1] != fy)
            m->year_start[m->n_years++] = fy;
        m->year_last_month[m->n_years - 1] = m->n_months;
        m->n_months++;
        t = end;
        day = last + 1;
    }
    breaks[m->n_months] = horizon;
    err_info sub;
    rc = nhpp_create(&m->contacts, breaks, base, m->n_months, log1p(m->growth_per_year) / 365.25,
                     &sub);
    if (rc != 0)
        err_set(e, rc, NULL, 0, "contacts: %s", sub.text);
done:
    mem_free(breaks);
    mem_free(base);
    return rc;
}

/* Demand that could never be simulated in reasonable time is refused up front. */
int pw_check_limits(const pw_model *m, err_info *e)
{
    const scenario *sc = m->sc;
    double expected = nhpp_expected(m->contacts, 0.0, sc->horizon_days) * sc->replications;
    if (expected > sc->limits.max_expected_arrivals)
        return err_set(e, ERR_LIMIT, NULL, 0,
                       "about %.3g contacts over %u replications, over "
                       "limits.max_expected_arrivals (%.3g); expected fewer replications, a "
                       "shorter horizon or a higher limit",
                       expected, sc->replications, sc->limits.max_expected_arrivals);
    return 0;
}

int pw_load_all(pw_model *m, err_info *e)
{
    int rc;
    config_setting_t *list;
    if ((rc = scenario_load_settings(m->sc, root_keys, e)) != 0 || (rc = load_dates(m, e)) != 0 ||
        (rc = load_children(m, e)) != 0 || (rc = load_stage_names(m, e)) != 0 ||
        (rc = load_exit_names(m, e)) != 0 || (rc = load_stocks(m, e)) != 0)
        return rc;
    /* Contacts before stage bodies: re-referrals default to the contacts' stage. */
    if ((rc = load_contacts(m, e)) != 0)
        return rc;
    list = config_setting_get_member(cfg_root(&m->sc->file), "stages");
    for (uint32_t i = 0; i < m->n_stages; i++)
        if ((rc = load_stage(m, i, config_setting_get_elem(list, i), e)) != 0)
            return rc;
    if ((rc = load_exit_bodies(m, e)) != 0 || (rc = load_rules(m, e)) != 0 ||
        (rc = build_calendar_series(m, e)) != 0)
        return rc;
    /* The hidden node where closed cases wait for a possible re-referral. */
    dist placeholder;
    err_info sub;
    if ((rc = dist_init_deterministic(&placeholder, 1.0, e)) != 0 ||
        (rc = net_add_node(&m->sc->net, "(closed)", 0, &placeholder, NULL, &sub)) != 0)
        return rc == ERR_NOMEM ? err_set(e, rc, NULL, 0, "out of memory")
                               : err_set(e, rc, NULL, 0, "%s", sub.text);
    return pw_check_limits(m, e);
}
