/*
 * pathway — the model's lifecycle and its metric registry.
 *
 * Metric names are registered while loading: the flows every council
 * reports (the names of the issue contract, in a fixed order so summary.csv
 * always starts the same way), then any flow, KPI or stock the scenario
 * names. A flow nobody feeds stays in the output as 0: that is a true count.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mem.h"
#include "pathway/pathway_internal.h"

/* The flows every run reports, in this order. Adding one: also README's
 * table of outputs and, if the code feeds it, pw_load's index lookups. */
static const char *const standard_flows[] = {"flow.contacts",
                                             "flow.early_help_starts",
                                             "flow.assessments",
                                             "flow.strategy_meetings",
                                             "flow.s47_enquiries",
                                             "flow.icpc",
                                             "flow.cp_registrations",
                                             "flow.care_and_support_starts",
                                             "flow.care_entries",
                                             "flow.care_exits",
                                             "flow.step_ups",
                                             "flow.step_downs",
                                             "flow.re_referrals",
                                             "flow.handoffs",
                                             "flow.closed_by_both_doors",
                                             "flow.screenings",
                                             NULL};

static const char *const stage_metric_names[PW_STAGE_METRICS] = {
    "entries", "exits", "end", "L", "Lq", "W", "Wq", "utilisation", "offered_load"};

bool pw_is_pathway(scenario *sc)
{
    return scenario_has(sc, "stages");
}

static int register_name(char ***names, size_t *n, const char *name, err_info *e)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*names)[i], name) == 0)
            return (int)i;
    char **grown = mem_resize(*names, *n + 1, sizeof *grown);
    if (grown == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metric names");
    *names = grown;
    if ((grown[*n] = mem_strdup(name)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metric names");
    return (int)(*n)++;
}

int pw_flow_index(pw_model *m, const char *name, err_info *e)
{
    return register_name(&m->flow_names, &m->n_flows, name, e);
}

int pw_kpi_index(pw_model *m, const char *name, err_info *e)
{
    for (size_t i = 0; i < m->n_kpis; i++)
        if (strcmp(m->kpis[i].name, name) == 0)
            return (int)i;
    pw_kpi *grown = mem_resize(m->kpis, m->n_kpis + 1, sizeof *grown);
    if (grown == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for KPIs");
    m->kpis = grown;
    if ((grown[m->n_kpis].name = mem_strdup(name)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for KPIs");
    return (int)m->n_kpis++;
}

size_t pw_summary_stage_base(const pw_model *m)
{
    return m->n_flows + m->n_stocks * (m->population > 0 ? 2 : 1) + m->n_kpis + m->n_derived;
}

uint32_t pw_level_new(pw_model *m)
{
    return m->n_lv++;
}

static uint32_t *copy_u32(const uint32_t *x, size_t n)
{
    uint32_t *y = mem_calloc(n + 1, sizeof *y);
    if (y != NULL && n > 0)
        memcpy(y, x, n * sizeof *y);
    return y;
}

int pw_derived_add(pw_model *m, const char *name, const uint32_t *a, const double *coef_a,
                   size_t n_a, const uint32_t *b, size_t n_b, bool per_time, err_info *e)
{
    pw_derived *grown = mem_resize(m->derived, m->n_derived + 1, sizeof *grown);
    if (grown == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metrics");
    m->derived = grown;
    pw_derived *d = &m->derived[m->n_derived];
    memset(d, 0, sizeof *d);
    d->name = mem_strdup(name);
    d->a = copy_u32(a, n_a);
    d->b = copy_u32(b, n_b);
    d->coef_a = mem_calloc(n_a + 1, sizeof *d->coef_a);
    m->n_derived++; /* counted now so pw_destroy frees a half-built entry */
    if (d->name == NULL || d->a == NULL || d->b == NULL || d->coef_a == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metrics");
    for (size_t i = 0; i < n_a; i++)
        d->coef_a[i] = coef_a ? coef_a[i] : 1.0;
    d->n_a = n_a;
    d->n_b = n_b;
    d->per_time = per_time;
    return (int)(m->n_derived - 1);
}

int pw_layout(pw_model *m, err_info *e)
{
    size_t n = pw_summary_stage_base(m) + m->n_stages * PW_STAGE_METRICS;
    m->summary_names = mem_calloc(n, sizeof *m->summary_names);
    if (m->summary_names == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metric names");
    char buf[160];
    size_t k = 0;
    for (size_t i = 0; i < m->n_flows; i++)
        m->summary_names[k++] = mem_strdup(m->flow_names[i]);
    for (size_t i = 0; i < m->n_stocks; i++) {
        snprintf(buf, sizeof buf, "%s.end", m->stocks[i].name);
        m->summary_names[k++] = mem_strdup(buf);
    }
    for (size_t i = 0; m->population > 0 && i < m->n_stocks; i++) {
        snprintf(buf, sizeof buf, "%s.end_per_10k", m->stocks[i].name);
        m->summary_names[k++] = mem_strdup(buf);
    }
    for (size_t i = 0; i < m->n_kpis; i++)
        m->summary_names[k++] = mem_strdup(m->kpis[i].name);
    for (size_t i = 0; i < m->n_derived; i++)
        m->summary_names[k++] = mem_strdup(m->derived[i].name);
    for (size_t s = 0; s < m->n_stages; s++)
        for (size_t j = 0; j < PW_STAGE_METRICS; j++) {
            snprintf(buf, sizeof buf, "stage.%s.%s", m->stages[s].name, stage_metric_names[j]);
            m->summary_names[k++] = mem_strdup(buf);
        }
    CHECK(k == n);
    m->n_summary = n;
    for (size_t i = 0; i < n; i++)
        if (m->summary_names[i] == NULL)
            return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metric names");
    m->n_series = m->n_flows + m->n_stocks + m->n_kpis + m->n_derived;
    m->width = m->n_summary + (m->n_months + m->n_years) * m->n_series;
    return 0;
}

static int register_standard(pw_model *m, err_info *e)
{
    m->kpi_stories = pw_kpi_index(m, "kpi.stories_told.mean", e);
    m->kpi_workers = pw_kpi_index(m, "kpi.workers_per_child.mean", e);
    m->kpi_to_service = pw_kpi_index(m, "kpi.days_contact_to_service.mean", e);
    if (m->kpi_stories < 0 || m->kpi_workers < 0 || m->kpi_to_service < 0)
        return ERR_NOMEM;
    for (size_t i = 0; standard_flows[i] != NULL; i++) {
        int rc = pw_flow_index(m, standard_flows[i], e);
        if (rc < 0)
            return rc;
    }
    m->flow_contacts = pw_flow_index(m, "flow.contacts", e);
    m->flow_re_referrals = pw_flow_index(m, "flow.re_referrals", e);
    m->flow_step_ups = pw_flow_index(m, "flow.step_ups", e);
    m->flow_step_downs = pw_flow_index(m, "flow.step_downs", e);
    m->flow_cp_registrations = pw_flow_index(m, "flow.cp_registrations", e);
    m->flow_care_entries = pw_flow_index(m, "flow.care_entries", e);
    m->flow_screenings = pw_flow_index(m, "flow.screenings", e);
    return 0;
}

static int pw_validate_net(pw_model *m, err_info *e)
{
    err_info sub;
    int rc = net_validate(&m->sc->net, &sub);
    return rc != 0 ? err_set(e, rc, NULL, 0, "%s", sub.text) : 0;
}

int pw_load(pw_model **out, scenario *sc, err_info *e)
{
    *out = NULL;
    pw_model *m = mem_calloc(1, sizeof *m);
    if (m == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the model");
    m->sc = sc;
    int rc;
    if ((rc = register_standard(m, e)) != 0 || (rc = pw_load_all(m, e)) != 0 ||
        (rc = pw_load_workforce(m, e)) != 0 || (rc = pw_load_placements(m, e)) != 0 ||
        (rc = pw_validate_net(m, e)) != 0 || (rc = pw_layout(m, e)) != 0) {
        pw_destroy(m);
        return rc;
    }
    m->replications = sc->replications;
    *out = m;
    return 0;
}

static void free_stage(pw_stage *st)
{
    for (size_t i = 0; i < st->n_durations; i++) {
        expr_destroy(st->durations[i].when);
        dist_fini(&st->durations[i].d);
    }
    mem_free(st->durations);
    mem_free(st->outcomes);
    mem_free(st->targets);
    if (st->has_patience)
        dist_fini(&st->patience);
    if (st->has_initial_age)
        dist_fini(&st->initial_age);
    if (st->has_reviews)
        dist_fini(&st->review_delay);
}

static void free_event_log(pw_model *m)
{
    for (uint32_t r = 0; m->event_log != NULL && r < m->replications; r++)
        mem_free(m->event_log[r]);
    mem_free(m->event_log);
    mem_free(m->event_len);
    m->event_log = NULL;
    m->event_len = NULL;
}

void pw_destroy(pw_model *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_stages; i++)
        free_stage(&m->stages[i]);
    mem_free(m->stages);
    for (size_t i = 0; i < m->n_exits; i++) {
        dist_fini(&m->exits[i].rereferral_delay);
        for (size_t k = 0; k < m->exits[i].n_counts; k++)
            expr_destroy(m->exits[i].counts[k].when);
        mem_free(m->exits[i].counts);
    }
    mem_free(m->exits);
    for (size_t i = 0; i < m->n_rules; i++)
        expr_destroy(m->rules[i].when);
    mem_free(m->rules);
    for (size_t i = 0; i < m->n_flows; i++)
        mem_free(m->flow_names[i]);
    mem_free(m->flow_names);
    for (size_t i = 0; i < m->n_stocks; i++)
        mem_free(m->stocks[i].name);
    mem_free(m->stocks);
    for (size_t i = 0; i < m->n_kpis; i++)
        mem_free(m->kpis[i].name);
    mem_free(m->kpis);
    for (size_t i = 0; i < m->n_derived; i++) {
        mem_free(m->derived[i].name);
        mem_free(m->derived[i].a);
        mem_free(m->derived[i].b);
        mem_free(m->derived[i].coef_a);
    }
    mem_free(m->derived);
    pw_free_workforce(m);
    pw_free_placements(m);
    for (size_t i = 0; m->summary_names != NULL && i < m->n_summary; i++)
        mem_free(m->summary_names[i]);
    mem_free(m->summary_names);
    mem_free(m->month_end);
    mem_free(m->month_last_day);
    mem_free(m->year_last_month);
    mem_free(m->year_start);
    free_event_log(m);
    dist_fini(&m->age);
    nhpp_destroy(m->contacts);
    cal_destroy(m->cal);
    mem_free(m);
}

int pw_enable_event_log(pw_model *m, err_info *e)
{
    free_event_log(m);
    m->replications = m->sc->replications;
    m->event_log = mem_calloc(m->replications, sizeof *m->event_log);
    m->event_len = mem_calloc(m->replications, sizeof *m->event_len);
    if (m->event_log == NULL || m->event_len == NULL) {
        free_event_log(m);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the event log");
    }
    m->log_events = true;
    return 0;
}

size_t pw_width(const pw_model *m)
{
    return m->width;
}

size_t pw_n_summary(const pw_model *m)
{
    return m->n_summary;
}

const char *const *pw_summary_names(const pw_model *m)
{
    return (const char *const *)m->summary_names;
}
