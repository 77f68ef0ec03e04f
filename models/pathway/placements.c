/*
 * placements — where looked-after children live, and what it costs.
 *
 * Placement types (kinship, in-house foster carers, independent fostering
 * agencies, residential, placement with parents, out of area ...) have a
 * number of places that may change over time (carers recruited or
 * retiring: change_per_year, applied a twelfth at each month's end) and a
 * weekly cost. A child entering a placement stage takes the first type in
 * its preference order (the first `preferences` entry whose condition holds)
 * with a free place; when none has one, the child is placed unregistered -
 * counted (flow.unregistered_placements) because CIW requires there be none -
 * and moves to a registered place as soon as one of its preferred types
 * frees up. Placements break down at breakdowns_per_year (a Poisson rate per
 * child), moving the child to another preferred type with room. Every move
 * counts in flow.placement_moves. Costs accrue per child-day.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "check.h"
#include "mem.h"
#include "pathway/pathway_worker.h"

static const char *const placement_keys[] = {
    "stages", "types", "preferences", "unregistered_weekly_cost", "breakdowns_per_year", NULL};
static const char *const type_keys[] = {"name", "places", "weekly_cost", "change_per_year", NULL};
static const char *const pref_keys[] = {"when", "order", NULL};

/* ---- loading --------------------------------------------------------------------- */

static int find_type(const pw_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_ptypes; i++)
        if (strcmp(m->ptypes[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int load_types(pw_model *m, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "types", true, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(list);
    if (n < 1 || n > PW_MAX_TYPES)
        return cfg_error(f, list, e, ERR_INPUT, "%d placement types; expected 1 to %d", n,
                         PW_MAX_TYPES);
    if ((m->ptypes = mem_calloc((size_t)n, sizeof *m->ptypes)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for placements");
    for (int i = 0; i < n; i++) {
        config_setting_t *t = config_setting_get_elem(list, (unsigned)i);
        pw_ptype *p = &m->ptypes[i];
        p->capacity = -1;
        if (!config_setting_is_group(t))
            return cfg_error(f, t, e, ERR_INPUT,
                             "each placement type must be a group { name; ... }");
        if ((rc = cfg_check_keys(f, t, type_keys, e)) != 0 ||
            (rc = cfg_get_string(f, t, "name", true, false, &p->name, e)) != 0 ||
            (rc = scenario_check_name(f, config_setting_get_member(t, "name"), "placement type",
                                      p->name, e)) != 0 ||
            (rc = cfg_get_int64_in(f, t, "places", false, -1, 1000000, &p->capacity, e)) != 0 ||
            (rc = cfg_get_double_in(f, t, "weekly_cost", true, 0.0, 1e6, &p->weekly_cost, e)) !=
                0 ||
            (rc = cfg_get_double_in(f, t, "change_per_year", false, -1e4, 1e4, &p->change_per_year,
                                    e)) != 0)
            return rc;
        if (find_type(m, p->name) >= 0)
            return cfg_error(f, t, e, ERR_INPUT, "duplicate placement type '%s'", p->name);
        m->n_ptypes++;
    }
    return 0;
}

static int load_prefs(pw_model *m, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "preferences", true, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(list);
    if ((m->prefs = mem_calloc((size_t)n + 1, sizeof *m->prefs)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for placements");
    for (int i = 0; i < n; i++) {
        config_setting_t *pg = config_setting_get_elem(list, (unsigned)i), *arr;
        pw_pref *p = &m->prefs[i];
        if ((rc = cfg_check_keys(f, pg, pref_keys, e)) != 0 ||
            (rc = pw_get_condition(m, pg, &p->when, e)) != 0)
            return rc;
        m->n_prefs++;
        if ((rc = cfg_get_member(f, pg, "order", true, CONFIG_TYPE_ARRAY, &arr, e)) != 0)
            return rc;
        int k = config_setting_length(arr);
        if (k < 1 || k > PW_MAX_PREF)
            return cfg_error(f, arr, e, ERR_INPUT, "order has %d types; expected 1 to %d", k,
                             PW_MAX_PREF);
        for (int j = 0; j < k; j++) {
            const char *tn = config_setting_get_string(config_setting_get_elem(arr, (unsigned)j));
            int ti = tn ? find_type(m, tn) : -1;
            if (ti < 0)
                return cfg_error(f, arr, e, ERR_INPUT,
                                 "'%s' is not a placement type; expected one of the names in "
                                 "placements.types",
                                 tn ? tn : "(not a string)");
            p->order[p->n++] = (uint8_t)ti;
        }
        if ((p->when == NULL) != (i == n - 1))
            return cfg_error(f, pg, e, ERR_INPUT,
                             "preferences[%d]: expected every entry but the last to have a "
                             "'when' and the last (the default) not to",
                             i);
    }
    if (n == 0)
        return cfg_error(f, list, e, ERR_INPUT, "preferences is empty; expected a default order");
    return 0;
}

static int load_stage_list(pw_model *m, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *arr;
    int rc = cfg_get_member(f, g, "stages", true, CONFIG_TYPE_ARRAY, &arr, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(arr);
    for (int j = 0; j < n; j++) {
        const char *sn = config_setting_get_string(config_setting_get_elem(arr, (unsigned)j));
        bool found = false;
        for (size_t k = 0; sn != NULL && k < m->n_stages; k++)
            if (strcmp(m->stages[k].name, sn) == 0)
                found = m->stages[k].placement = true;
        if (!found)
            return cfg_error(f, arr, e, ERR_INPUT, "placements.stages: '%s' is not a stage",
                             sn ? sn : "(not a string)");
    }
    return 0;
}

/* cost.placements, cost.interventions and cost.total (also without placements). */
static int register_costs(pw_model *m, err_info *e)
{
    size_t n = m->n_ptypes + 1;
    uint32_t a[PW_MAX_TYPES + 1];
    double coef[PW_MAX_TYPES + 1];
    char name[128];
    int rc;
    for (size_t i = 0; i < m->n_ptypes; i++) {
        a[i] = m->ptypes[i].level;
        coef[i] = m->ptypes[i].weekly_cost / 7.0;
        snprintf(name, sizeof name, "placements.%s.mean", m->ptypes[i].name);
        if ((rc = pw_derived_add(m, name, &a[i], NULL, 1, NULL, 0, true, e)) < 0)
            return rc;
    }
    a[m->n_ptypes] = m->lv_unregistered;
    coef[m->n_ptypes] = m->unregistered_weekly_cost / 7.0;
    if (m->n_ptypes > 0 &&
        (rc = pw_derived_add(m, "placements.unregistered.mean", &m->lv_unregistered, NULL, 1, NULL,
                             0, true, e)) < 0)
        return rc;
    if ((rc = pw_derived_add(m, "cost.placements", a, coef, m->n_ptypes > 0 ? n : 0, NULL, 0, false,
                             e)) < 0 ||
        (rc = pw_derived_add(m, "cost.interventions", &m->lv_interventions, NULL, 1, NULL, 0, false,
                             e)) < 0)
        return rc;
    /* cost.total: every term of the cost.* metrics so far. */
    size_t terms = 0;
    for (size_t i = 0; i < m->n_derived; i++)
        if (strncmp(m->derived[i].name, "cost.", 5) == 0)
            terms += m->derived[i].n_a;
    uint32_t *ta = mem_calloc(terms + 1, sizeof *ta);
    double *tc = mem_calloc(terms + 1, sizeof *tc);
    if (ta == NULL || tc == NULL) {
        mem_free(ta);
        mem_free(tc);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metrics");
    }
    size_t k = 0;
    for (size_t i = 0; i < m->n_derived; i++)
        if (strncmp(m->derived[i].name, "cost.", 5) == 0)
            for (size_t j = 0; j < m->derived[i].n_a; j++) {
                ta[k] = m->derived[i].a[j];
                tc[k++] = m->derived[i].coef_a[j];
            }
    rc = pw_derived_add(m, "cost.total", ta, tc, terms, NULL, 0, false, e);
    mem_free(ta);
    mem_free(tc);
    return rc < 0 ? rc : 0;
}

int pw_load_placements(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *g;
    int rc =
        cfg_get_member(f, cfg_root(&m->sc->file), "placements", false, CONFIG_TYPE_GROUP, &g, e);
    if (rc != 0)
        return rc;
    m->lv_unregistered = pw_level_new(m);
    m->lv_interventions = pw_level_new(m);
    if (g != NULL) {
        if ((rc = cfg_check_keys(f, g, placement_keys, e)) != 0 ||
            (rc = load_types(m, g, e)) != 0 || (rc = load_prefs(m, g, e)) != 0 ||
            (rc = load_stage_list(m, g, e)) != 0 ||
            (rc = cfg_get_double_in(f, g, "unregistered_weekly_cost", true, 0.0, 1e6,
                                    &m->unregistered_weekly_cost, e)) != 0 ||
            (rc = cfg_get_double_in(f, g, "breakdowns_per_year", false, 0.0, 100.0,
                                    &m->breakdown_per_year, e)) != 0)
            return rc;
        for (size_t i = 0; i < m->n_ptypes; i++)
            m->ptypes[i].level = pw_level_new(m);
        if ((rc = pw_flow_index(m, "flow.unregistered_placements", e)) < 0)
            return rc;
        m->flow_unregistered = rc;
        if ((rc = pw_flow_index(m, "flow.placement_moves", e)) < 0)
            return rc;
        m->flow_moves = rc;
    } else {
        m->flow_unregistered = m->flow_moves = -1;
    }
    return register_costs(m, e);
}

void pw_free_placements(pw_model *m)
{
    for (size_t i = 0; i < m->n_prefs; i++)
        expr_destroy(m->prefs[i].when);
    mem_free(m->prefs);
    mem_free(m->ptypes);
    m->prefs = NULL;
    m->ptypes = NULL;
    m->n_prefs = m->n_ptypes = 0;
}

/* ---- the run ------------------------------------------------------------------------- */

static bool has_place(const pw_worker *w, uint32_t type)
{
    const pw_ptype *p = &w->m->ptypes[type];
    return p->capacity < 0 || (double)w->placed[type] + 1.0 <= floor(w->place_cap[type] + 1e-9);
}

static const pw_pref *pref_of(pw_worker *w, const pw_child *c)
{
    const pw_model *m = w->m;
    size_t i = 0;
    while (i + 1 < m->n_prefs && !pw_holds(w, c, m->prefs[i].when))
        i++;
    return &m->prefs[i];
}

static void set_placement(pw_worker *w, pw_child *c, int type)
{
    const pw_model *m = w->m;
    if (c->placement == PW_UNREGISTERED) {
        pw_level_add(w, m->lv_unregistered, -1.0);
        if (c->pl_prev)
            c->pl_prev->pl_next = c->pl_next;
        else
            w->unregistered_head = c->pl_next;
        if (c->pl_next)
            c->pl_next->pl_prev = c->pl_prev;
        else
            w->unregistered_tail = c->pl_prev;
        c->pl_next = c->pl_prev = NULL;
    } else if (c->placement >= 0) {
        w->placed[c->placement]--;
        pw_level_add(w, m->ptypes[c->placement].level, -1.0);
    }
    c->placement = (int8_t)type;
    if (type == PW_UNREGISTERED) {
        pw_level_add(w, m->lv_unregistered, 1.0);
        c->pl_next = NULL;
        c->pl_prev = w->unregistered_tail;
        if (w->unregistered_tail)
            w->unregistered_tail->pl_next = c;
        else
            w->unregistered_head = c;
        w->unregistered_tail = c;
    } else if (type >= 0) {
        w->placed[type]++;
        pw_level_add(w, m->ptypes[type].level, 1.0);
    }
}

/* The first preferred type with room other than `except`, or -1. */
static int first_free(pw_worker *w, const pw_child *c, int except)
{
    const pw_pref *p = pref_of(w, c);
    for (size_t i = 0; i < p->n; i++)
        if ((int)p->order[i] != except && has_place(w, p->order[i]))
            return p->order[i];
    return -1;
}

static int schedule_breakdown(pw_worker *w, pw_child *c)
{
    const pw_model *m = w->m;
    c->placement_breaks_at = INFINITY;
    if (m->breakdown_per_year <= 0.0)
        return 0;
    c->placement_breaks_at =
        sim_now(w->s) +
        gsl_ran_exponential(w->placement_rng, DAYS_PER_YEAR / m->breakdown_per_year);
    if (c->placement_breaks_at >= m->sc->horizon_days)
        return 0;
    return sim_schedule(w->s, c->placement_breaks_at, EV_PLACEMENT_BREAKS, &c->base, 0);
}

int pw_pl_enter(pw_worker *w, pw_child *c)
{
    const pw_model *m = w->m;
    if (m->n_ptypes == 0)
        return 0;
    int type = first_free(w, c, -1);
    if (type < 0) {
        type = PW_UNREGISTERED;
        pw_count_flow(w, m->flow_unregistered);
    }
    set_placement(w, c, type);
    return schedule_breakdown(w, c);
}

/* Unregistered children move as soon as a preferred place is free. */
static void fill_from_unregistered(pw_worker *w);

void pw_pl_leave(pw_worker *w, pw_child *c)
{
    if (w->m->n_ptypes == 0 || c->placement < 0)
        return;
    bool freed = c->placement != PW_UNREGISTERED;
    set_placement(w, c, -1);
    if (freed)
        fill_from_unregistered(w);
}

int pw_pl_event(pw_worker *w, const heap_event *ev)
{
    pw_child *c = ev->subject;
    if (ev->epoch != c->base.epoch || c->placement_breaks_at != sim_now(w->s) || c->placement < 0)
        return 0;
    int to = first_free(w, c, c->placement);
    if (to >= 0 && to != c->placement) {
        bool freed = c->placement != PW_UNREGISTERED;
        set_placement(w, c, to);
        pw_count_flow(w, w->m->flow_moves);
        if (freed)
            fill_from_unregistered(w);
    }
    return schedule_breakdown(w, c);
}

void pw_pl_month(pw_worker *w)
{
    const pw_model *m = w->m;
    for (size_t i = 0; i < m->n_ptypes; i++)
        w->place_cap[i] = fmax(0.0, w->place_cap[i] + m->ptypes[i].change_per_year / 12.0);
    fill_from_unregistered(w);
}

void pw_pl_start(pw_worker *w)
{
    const pw_model *m = w->m;
    for (size_t i = 0; i < m->n_ptypes; i++) {
        w->placed[i] = 0;
        w->place_cap[i] = (double)m->ptypes[i].capacity;
    }
    w->unregistered_head = w->unregistered_tail = NULL;
}

/* The unregistered children, in the order they were placed. */
static void fill_from_unregistered(pw_worker *w)
{
    pw_child *c = w->unregistered_head;
    while (c != NULL) {
        pw_child *next = c->pl_next;
        int to = first_free(w, c, -1);
        if (to >= 0) {
            set_placement(w, c, to);
            pw_count_flow(w, w->m->flow_moves);
        }
        c = next;
    }
}
