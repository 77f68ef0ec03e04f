/*
 * pathway_run — one replication of the pathway: the engine's hooks.
 *
 * A child is an engine entity (pw_child). Stage i is node i; between
 * episodes a child whose case may come back waits in the hidden node
 * "(closed)" for its re-referral delay, so the engine's own bookkeeping
 * (pool, events, Little's law per node) covers every child all the time.
 *
 * Where things happen:
 *   route hook     a stage ends: its KPIs and flows are counted, the rules
 *                  and then the outcomes choose where the child goes, the
 *                  next stage's entry is counted (or the exit's, with the
 *                  re-referral draw);
 *   service_time   how long the child stays: the first duration variant
 *                  whose condition holds (or a warm start's remaining time);
 *   on_event       contacts (thinning, nhpp.h), month ends (stock
 *                  snapshots), turning 18, giving up while waiting, reviews.
 * Events about a child carry its epoch (stage-bound: reviews, giving up) or
 * its life token (life-bound: turning 18), so stale ones are ignored.
 *
 * Randomness, one stream per purpose: contacts' times ("arrival",
 * "contacts") and attributes ("attributes", "contacts"); each stage's
 * durations and decisions (the engine's "service" and "route" streams of
 * the stage); warm start, patience and review delays per stage; re-referral
 * per exit. A scenario that adds a stage leaves the others' draws alone.
 *
 * Hooks that cannot return an error (route, service_time) record a failure
 * in the worker; the next event hook returns it and stops the run.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "check.h"
#include "mem.h"
#include "pathway/pathway_internal.h"
#include "rng.h"

#include "pathway/pathway_worker.h"

/* ---- small helpers ---------------------------------------------------------- */

static double age_of(const pw_worker *w, const pw_child *c)
{
    return (sim_now(w->s) - c->birth) / DAYS_PER_YEAR;
}

void pw_fail(pw_worker *w, int rc)
{
    if (w->rc == 0)
        w->rc = rc;
}

static double *month_row(pw_worker *w, size_t k)
{
    return w->out + w->m->n_summary + k * w->m->n_series;
}

/* Month k is the current one from now. */
static void set_month(pw_worker *w, size_t k)
{
    w->month = k;
    w->month_flows = month_row(w, k);
    w->month_num = w->month_kpi_num + k * w->m->n_kpis;
    w->month_den = w->month_kpi_den + k * w->m->n_kpis;
}

static void count_kpi(pw_worker *w, int32_t kpi, bool met)
{
    pw_count_kpi_value(w, kpi, met ? 1.0 : 0.0);
}

/* ---- levels ---------------------------------------------------------------------- */

static void flush_level(pw_worker *w, pw_level *l, double t)
{
    pw_level_flush(l, t, w->in_window);
}

void pw_level_set(pw_worker *w, uint32_t level, double value)
{
    pw_level *l = &w->levels[level];
    flush_level(w, l, sim_now(w->s));
    l->value = value;
}

void pw_level_add(pw_worker *w, uint32_t level, double delta)
{
    pw_level *l = &w->levels[level];
    flush_level(w, l, sim_now(w->s));
    l->value += delta;
}

/* A lump (a cost per intervention) goes straight into the integrals. */
static void level_lump(pw_worker *w, uint32_t level, double amount)
{
    pw_level *l = &w->levels[level];
    if (w->in_window)
        l->window += amount;
    l->month += amount;
}

void pw_levels_flush(pw_worker *w, double t)
{
    for (uint32_t i = 0; i < w->m->n_lv; i++)
        flush_level(w, &w->levels[i], t);
}

/* Month k closes at t: its integrals are kept and the next month's start. */
static void close_month_levels(pw_worker *w, size_t k, double t)
{
    const pw_model *m = w->m;
    pw_levels_flush(w, t);
    for (uint32_t i = 0; i < m->n_lv; i++) {
        w->month_levels[k * m->n_lv + i] = w->levels[i].month;
        w->levels[i].month = 0.0;
    }
}

static double derived_value(const pw_derived *d, const double *integral, double span)
{
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < d->n_a; i++)
        num += d->coef_a[i] * integral[d->a[i]];
    if (d->n_b > 0) {
        for (size_t i = 0; i < d->n_b; i++)
            den += integral[d->b[i]];
        return den > 0.0 ? num / den : NAN;
    }
    return d->per_time ? (span > 0.0 ? num / span : NAN) : num;
}

/* floor(t) as the civil day, exactly, for the days of a run (|t| < 2^31):
 * truncation, less one below zero. Two per KPI measured; floor's inline
 * sequence cost three times as many instructions. */
static int32_t civil_day(const pw_worker *w, double t)
{
    int32_t d = (int32_t)t;
    return w->m->start_day + d - (t < d);
}

/* fmax and fmin for operands that are never NaN, without a library call:
 * asked for every new child and every closed case. A zero of either sign
 * becomes +0 as fmax(x, 0.0) does. */
static double max_of(double a, double b)
{
    return a > b ? a : b;
}

static double min_of(double a, double b)
{
    return a < b ? a : b;
}

static double stock_value(const pw_worker *w, const pw_stock *sk)
{
    double v = 0.0;
    for (uint32_t i = 0; i < w->m->n_stages; i++)
        if (sk->stages >> i & 1)
            v += (double)sim_node_count(w->s, i);
    return v;
}

#define VAR_BIT(i) (UINT64_C(1) << (i))

/* Fills the variables of w->vars whose bits are in need (expr_slot_mask):
 * only those, as most conditions read one (age), and the age alone costs a
 * division. */
static void fill_vars(pw_worker *w, const pw_child *c, uint64_t need)
{
    double *v = w->vars;
    if (need & VAR_BIT(PW_VAR_AGE))
        v[PW_VAR_AGE] = age_of(w, c);
    if (need & VAR_BIT(PW_VAR_NEED))
        v[PW_VAR_NEED] = c->need;
    if (need & VAR_BIT(PW_VAR_SOURCE))
        v[PW_VAR_SOURCE] = c->source;
    if (need & VAR_BIT(PW_VAR_EPISODES))
        v[PW_VAR_EPISODES] = c->episodes;
    if (need & VAR_BIT(PW_VAR_STEP_UPS))
        v[PW_VAR_STEP_UPS] = c->step_ups;
    if (need & VAR_BIT(PW_VAR_STEP_DOWNS))
        v[PW_VAR_STEP_DOWNS] = c->step_downs;
    if (need & VAR_BIT(PW_VAR_STORIES))
        v[PW_VAR_STORIES] = c->stories;
    if (need & VAR_BIT(PW_VAR_CP_PLANS))
        v[PW_VAR_CP_PLANS] = c->cp_plans;
    if (need & VAR_BIT(PW_VAR_CARE))
        v[PW_VAR_CARE] = c->care;
    if (need & VAR_BIT(PW_VAR_DAYS_HERE))
        v[PW_VAR_DAYS_HERE] = sim_now(w->s) - c->base.t_enter;
    if (need & VAR_BIT(PW_VAR_EPISODE_STORIES))
        v[PW_VAR_EPISODE_STORIES] = c->episode_stories;
    if ((need >> PW_N_CHILD_VARS) == 0)
        return;
    /* The system's variables: filled all together, rarely asked. */
    const pw_model *m = w->m;
    for (uint32_t i = 0; i < m->n_stages; i++) {
        v[PW_N_CHILD_VARS + 2 * i] = (double)sim_node_queued(w->s, i);
        v[PW_N_CHILD_VARS + 2 * i + 1] = (double)sim_node_count(w->s, i);
    }
    for (uint32_t i = 0; i < m->n_stocks; i++)
        v[PW_N_CHILD_VARS + 2 * m->n_stages + i] = stock_value(w, &m->stocks[i]);
}

/* pw_holds for one of several conditions asked about c at the same instant
 * (a stage's rules, its duration variants): *filled has the bits of the
 * variables w->vars holds already (0 at first), so each is filled once for
 * the lot. The child must not change in between. */
static inline bool holds(pw_worker *w, const pw_child *c, const expr *x, uint64_t *filled)
{
    if (x == NULL)
        return true;
    uint64_t need = expr_slot_mask(x) & ~*filled;
    if (need == VAR_BIT(PW_VAR_AGE)) { /* the usual condition: no call */
        w->vars[PW_VAR_AGE] = age_of(w, c);
        *filled |= need;
    } else if (need != 0) {
        /* Any system variable means all of them (fill_vars). */
        if (need >> PW_N_CHILD_VARS)
            need |= ~(VAR_BIT(PW_N_CHILD_VARS) - 1);
        fill_vars(w, c, need);
        *filled |= need;
    }
    return expr_holds(x, w->vars);
}

bool pw_holds(pw_worker *w, const pw_child *c, const expr *x)
{
    uint64_t filled = 0;
    return holds(w, c, x, &filled);
}

static const char *target_name(const pw_model *m, uint32_t t)
{
    if (t == NET_EXIT)
        return "";
    if (PW_IS_EXIT(t))
        return m->exits[PW_EXIT_INDEX(t)].name;
    return t < m->n_stages ? m->stages[t].name : "(closed)";
}

/* One line of the per-child event log: rep,day,date,child,event,from,to. */
static void write_event(pw_worker *w, const pw_child *c, const char *what, uint32_t from,
                        uint32_t to)
{
    if (w->log_cap - w->log_len < 256) {
        size_t cap = w->log_cap ? 2 * w->log_cap : 1 << 16;
        char *grown = mem_resize(w->log, cap, 1);
        if (grown == NULL) {
            pw_fail(w, sim_error(w->s, ERR_NOMEM, "out of memory for the event log"));
            return;
        }
        w->log = grown;
        w->log_cap = cap;
    }
    char date[11];
    double now = sim_now(w->s);
    cal_format_date(civil_day(w, now), date);
    int n = snprintf(w->log + w->log_len, w->log_cap - w->log_len, "%u,%.6f,%s,%llu,%s,%s,%s\n",
                     w->rep + 1, now, date, (unsigned long long)c->base.id, what,
                     target_name(w->m, from), target_name(w->m, to));
    if (n > 0 && (size_t)n < w->log_cap - w->log_len)
        w->log_len += (size_t)n;
}

/* The test inline, the writing out of line: a run without --events asks
 * this at every transition. */
static inline void log_event(pw_worker *w, const pw_child *c, const char *what, uint32_t from,
                             uint32_t to)
{
    if (w->m->log_events)
        write_event(w, c, what, from, to);
}

/* An event about a child, unless it falls at or after the horizon, where it
 * would never fire but would sit in the event heap, making every pop dearer.
 * Its random draws are made by the caller either way, so no stream shifts. */
static int schedule_child(pw_worker *w, double t, unsigned kind, pw_child *c, uint32_t arg)
{
    return t < w->m->sc->horizon_days ? sim_schedule(w->s, t, kind, &c->base, arg) : 0;
}

/* ---- children ------------------------------------------------------------------ */

/*
 * Which of n bands ending at cumulative probabilities cum[0], cum[1], ...
 * (stride bytes apart) holds u: the first i with u < cum[i], else n - 1.
 * Counted as the number of cum[i] <= u for i < n - 1, the same index since
 * cum never decreases (probabilities are >= 0), without a branch on u: which
 * band a random draw falls in is a coin toss that no predictor learns, and
 * the search loop's exit was mispredicted about once per draw. On
 * bridgend-2022 this takes 25,000 of 282,000 mispredicted branches per
 * replication away (cachegrind) for 0.35M more instructions (of 47M), and
 * 3% off the time (CPU time, best of 8 runs).
 */
static size_t band_of(const double *cum, size_t n, size_t stride, double u)
{
    size_t k = 0;
    const char *p = (const char *)cum;
    for (size_t i = 0; i + 1 < n; i++, p += stride)
        k += u >= *(const double *)(const void *)p;
    return k;
}

static uint16_t draw_index(const double *cum, size_t n, gsl_rng *r)
{
    return (uint16_t)band_of(cum, n, sizeof *cum, rng_uniform(r));
}

/* A new child aged age_years now: attributes, life token, turning 18. */
static int new_child(pw_worker *w, gsl_rng *r, double age_years, pw_child **out)
{
    const pw_model *m = w->m;
    sim_entity *e;
    int rc = sim_spawn(w->s, NET_NONE, &e);
    if (rc != 0)
        return rc;
    pw_child *c = (pw_child *)e;
    double now = sim_now(w->s);
    /* Ages are capped just under 18: a distribution with a long tail must
     * not make a child who has already left children's services. */
    age_years = min_of(max_of(age_years, 0.0), AGE_OUT_YEARS - 1.0 / DAYS_PER_YEAR);
    c->birth = now - age_years * DAYS_PER_YEAR;
    c->closed_at = -INFINITY;
    c->forced = -1.0;
    for (int k = 0; k < PW_MAX_CLOCKS; k++)
        c->clock[k] = NAN;
    c->life = ++w->life_clock;
    c->worker_team = PW_NO_TEAM;
    c->placement = -1;
    c->reref_factor = 1.0f;
    c->episode_start = now;
    c->need = (uint16_t)(draw_index(m->need_cum, m->n_levels, r) + 1);
    c->source = draw_index(m->source_cum, m->n_sources, r);
    double eighteen = c->birth + AGE_OUT_YEARS * DAYS_PER_YEAR;
    if (eighteen < m->sc->horizon_days &&
        (rc = sim_schedule(w->s, max_of(eighteen, now), EV_AGE_OUT, e, c->life)) != 0)
        return rc;
    *out = c;
    return 0;
}

/* ---- entering and leaving stages ------------------------------------------------- */

static void measure(pw_worker *w, const pw_target *tg, const pw_child *c, double start)
{
    if (c->warm || isnan(start))
        return;
    double now = sim_now(w->s);
    bool met = cal_within_working_days(w->m->cal, civil_day(w, start), civil_day(w, now),
                                       tg->working_days);
    count_kpi(w, tg->kpi, met);
}

static double clock_of(const pw_worker *w, const pw_child *c, uint32_t stage)
{
    int k = w->m->stages[stage].clock;
    return k >= 0 ? c->clock[k] : NAN;
}

static void enter_stage(pw_worker *w, pw_child *c, uint32_t to, uint32_t from)
{
    const pw_stage *st = &w->m->stages[to];
    double now = sim_now(w->s);
    pw_count_flow(w, st->flow_in);
    if (w->in_window)
        w->entries[to]++;
    if (st->front_door) {
        /* Every front door's screening is workload, whoever passed the family on. */
        pw_count_flow(w, w->m->flow_screenings);
        c->stories++;
        c->episode_stories++;
    }
    if (st->service && !c->served) {
        c->served = 1;
        if (!isnan(c->episode_start))
            pw_count_kpi_value(w, w->m->kpi_to_service, now - c->episode_start);
    }
    if (st->cost_per_entry > 0.0)
        level_lump(w, w->m->lv_interventions, st->cost_per_entry);
    if (st->placement) {
        int prc = pw_pl_enter(w, c);
        if (prc != 0)
            pw_fail(w, prc);
    }
    if (st->clock >= 0)
        c->clock[st->clock] = now;
    for (size_t i = 0; i < st->n_targets; i++)
        if (st->targets[i].at_entry)
            measure(w, &st->targets[i], c, clock_of(w, c, st->targets[i].from));
    log_event(w, c, "enter", from, to);
    int rc = 0;
    if (st->has_reviews)
        rc = schedule_child(w,
                            now + st->review_first + dist_sample(&st->review_delay, w->reviews[to]),
                            EV_REVIEW, c, 0);
    /* Only a family that will have to wait can give up waiting. */
    if (rc == 0 && st->has_patience && sim_node_count(w->s, to) >= st->servers)
        rc = schedule_child(w, now + dist_sample(&st->patience, w->patience[to]), EV_RENEGE, c, 0);
    if (rc != 0)
        pw_fail(w, rc);
}

static void leave_stage(pw_worker *w, pw_child *c, uint32_t node, bool completed)
{
    const pw_stage *st = &w->m->stages[node];
    if (w->in_window)
        w->exits[node]++;
    if (st->placement)
        pw_pl_leave(w, c);
    pw_wf_leave(w, c, node);
    if (completed) {
        pw_count_flow(w, st->flow_out);
        for (size_t i = 0; i < st->n_targets; i++) {
            const pw_target *tg = &st->targets[i];
            if (!tg->at_entry)
                measure(w, tg, c, tg->from == node ? c->wanted_at : clock_of(w, c, tg->from));
        }
    }
    c->warm = 0;
}

/* History kept on the child for the flows that mean something to it. */
static void note_flow(pw_worker *w, pw_child *c, int32_t flow)
{
    const pw_model *m = w->m;
    pw_count_flow(w, flow);
    if (flow < 0)
        return;
    if (flow == m->flow_step_ups)
        c->step_ups++;
    else if (flow == m->flow_step_downs)
        c->step_downs++;
    else if (flow == m->flow_cp_registrations)
        c->cp_plans++;
    else if (flow == m->flow_care_entries)
        c->care++;
}

/* The child goes to target (a stage or an exit): count it and say which node. */
static uint32_t go_to(pw_worker *w, pw_child *c, uint32_t from, uint32_t target, int32_t flow)
{
    const pw_model *m = w->m;
    note_flow(w, c, flow);
    if (!PW_IS_EXIT(target)) {
        bool admitted;
        uint32_t node = pw_wf_enter(w, c, target, &admitted);
        if (!admitted) {
            log_event(w, c, "waiting", from, target);
            return node; /* enter_stage when a worker takes the case (pw_admit) */
        }
        enter_stage(w, c, target, from);
        /* Care entries and registrations are usually counted by the stage. */
        if (m->stages[target].flow_in == m->flow_care_entries)
            c->care++;
        else if (m->stages[target].flow_in == m->flow_cp_registrations)
            c->cp_plans++;
        return target;
    }
    const pw_exit *x = &m->exits[PW_EXIT_INDEX(target)];
    pw_count_flow(w, x->flow);
    pw_count_kpi_value(w, m->kpi_stories, c->episode_stories);
    pw_count_kpi_value(w, m->kpi_workers, c->workers);
    uint64_t filled = 0;
    for (size_t k = 0; k < x->n_counts; k++)
        if (holds(w, c, x->counts[k].when, &filled))
            pw_count_flow(w, x->counts[k].flow);
    log_event(w, c, "exit", from, target);
    double now = sim_now(w->s);
    c->closed_at = now;
    /* Cases held above a soft cap come back more often (the team's factor). */
    double p = min_of(1.0, x->rereferral_p * c->reref_factor);
    c->reref_factor = 1.0f;
    if (p > 0.0 && rng_uniform(w->reref[PW_EXIT_INDEX(target)]) < p) {
        double delay = dist_sample(&x->rereferral_delay, w->reref[PW_EXIT_INDEX(target)]);
        if (now + delay < c->birth + AGE_OUT_YEARS * DAYS_PER_YEAR) {
            c->forced = delay;
            c->return_to = x->return_to;
            return w->closed_node;
        }
    }
    return NET_EXIT;
}

/* A closed case comes back as a new contact. */
static uint32_t re_refer(pw_worker *w, pw_child *c)
{
    const pw_model *m = w->m;
    double now = sim_now(w->s);
    pw_count_flow(w, m->flow_contacts);
    if (now - c->closed_at <= DAYS_PER_YEAR)
        pw_count_flow(w, m->flow_re_referrals);
    c->episodes++;
    c->episode_stories = 0;
    c->workers = 0;
    c->served = 0;
    c->episode_start = now;
    for (int k = 0; k < PW_MAX_CLOCKS; k++)
        c->clock[k] = NAN;
    log_event(w, c, "re_referral", NET_EXIT, c->return_to);
    bool admitted;
    uint32_t node = pw_wf_enter(w, c, c->return_to, &admitted);
    if (admitted)
        enter_stage(w, c, c->return_to, NET_EXIT);
    return node;
}

int pw_admit(pw_worker *w, pw_child *c, uint32_t stage)
{
    enter_stage(w, c, stage, NET_EXIT);
    return sim_send(w->s, &c->base, stage);
}

/* ---- hooks --------------------------------------------------------------------- */

static uint32_t hook_route(void *ctx, sim *s, sim_entity *e, uint32_t node, gsl_rng *r)
{
    (void)s;
    pw_worker *w = ctx;
    pw_child *c = (pw_child *)e;
    if (node == w->closed_node)
        return re_refer(w, c);
    const pw_stage *st = &w->m->stages[node];
    leave_stage(w, c, node, true);
    uint64_t filled = 0;
    for (size_t i = 0; i < st->n_rules; i++) {
        const pw_rule *rule = &st->rules[i];
        if (holds(w, c, rule->when, &filled) && rng_uniform(r) < rule->p)
            return go_to(w, c, node, rule->to, rule->flow);
    }
    size_t k =
        band_of(&st->outcomes[0].cum, st->n_outcomes, sizeof st->outcomes[0], rng_uniform(r));
    return go_to(w, c, node, st->outcomes[k].to, st->outcomes[k].flow);
}

static double hook_service_time(void *ctx, sim *s, sim_entity *e, uint32_t node, gsl_rng *r)
{
    pw_worker *w = ctx;
    pw_child *c = (pw_child *)e;
    if (pw_wf_is_waiting_node(w, node))
        return 1e12; /* until a worker takes the case; a warm start's time is kept */
    if (c->forced >= 0.0) {
        double t = c->forced;
        c->forced = -1.0;
        return t;
    }
    CHECK(node < w->m->n_stages);
    const pw_stage *st = &w->m->stages[node];
    size_t i = 0;
    uint64_t filled = 0;
    while (i + 1 < st->n_durations && !holds(w, c, st->durations[i].when, &filled))
        i++;
    double t = dist_sample(&st->durations[i].d, r) * pw_wf_duration_factor(w, c, node);
    /* Only stages with servers use it (offered_load): the others skip the clock. */
    if (st->servers > 0 && w->in_window) {
        /* A place is held until the service ends or the child turns 18. */
        double to_18 = c->birth + AGE_OUT_YEARS * DAYS_PER_YEAR - sim_now(s);
        w->svc_days[node] += to_18 < t ? to_18 : t;
        w->svc_starts[node]++;
    }
    return t;
}

static void snapshot_stocks(pw_worker *w, size_t month)
{
    const pw_model *m = w->m;
    double *row = month_row(w, month) + m->n_flows;
    for (size_t i = 0; i < m->n_stocks; i++)
        row[i] = stock_value(w, &m->stocks[i]);
}

/*
 * Contacts by inversion of the compensator (nhpp_inverse) rather than
 * thinning: the k-th contact of a scenario is the k-th of another with more
 * or fewer contacts, at the corresponding time, so scenarios that change
 * demand still compare the same children (common random numbers).
 */
static double next_contact(pw_worker *w)
{
    w->unit_clock += dist_exponential_draw(w->arrivals, 1.0);
    return nhpp_inverse(w->m->contacts, w->unit_clock);
}

static int on_contact(pw_worker *w)
{
    const pw_model *m = w->m;
    double next = next_contact(w);
    int rc;
    if (next < m->sc->horizon_days && (rc = sim_schedule(w->s, next, EV_CONTACT, NULL, 0)) != 0)
        return rc;
    pw_child *c;
    if ((rc = new_child(w, w->attributes, dist_sample(&m->age, w->attributes), &c)) != 0)
        return rc;
    pw_count_flow(w, m->flow_contacts);
    log_event(w, c, "contact", NET_EXIT, m->contacts_to);
    bool admitted;
    uint32_t node = pw_wf_enter(w, c, m->contacts_to, &admitted);
    if (admitted)
        enter_stage(w, c, m->contacts_to, NET_EXIT);
    return sim_send(w->s, &c->base, node);
}

static int on_age_out(pw_worker *w, pw_child *c)
{
    uint32_t node = c->base.node;
    int rc = sim_withdraw(w->s, &c->base);
    if (rc != 0)
        return rc;
    if (node == w->closed_node)
        return sim_send(w->s, &c->base, NET_EXIT);
    if (pw_wf_is_waiting_node(w, node)) {
        /* Turned 18 while the case waited for a worker. */
        pw_wf_unqueue(w, c);
        uint32_t to = w->m->stages[c->pending].at_18;
        log_event(w, c, "turned_18", c->pending, to);
        return sim_send(w->s, &c->base, go_to(w, c, c->pending, to, -1));
    }
    leave_stage(w, c, node, false);
    log_event(w, c, "turned_18", node, w->m->stages[node].at_18);
    /* Leaving care at 18 is a care exit, whatever the stage calls it. */
    pw_count_flow(w, w->m->stages[node].flow_out);
    return sim_send(w->s, &c->base, go_to(w, c, node, w->m->stages[node].at_18, -1));
}

static int on_renege(pw_worker *w, pw_child *c)
{
    uint32_t node = c->base.node;
    const pw_stage *st = &w->m->stages[node];
    int rc = sim_withdraw(w->s, &c->base);
    if (rc != 0)
        return rc;
    leave_stage(w, c, node, false);
    log_event(w, c, "gave_up", node, st->renege_to);
    return sim_send(w->s, &c->base, go_to(w, c, node, st->renege_to, st->renege_flow));
}

static int on_review(pw_worker *w, pw_child *c, uint32_t k)
{
    uint32_t node = c->base.node;
    const pw_stage *st = &w->m->stages[node];
    double due = c->base.t_enter + st->review_first + k * st->review_every;
    double now = sim_now(w->s);
    pw_count_flow(w, st->review_flow);
    count_kpi(w, st->review_kpi, civil_day(w, now) <= civil_day(w, due));
    double next = due + st->review_every + dist_sample(&st->review_delay, w->reviews[node]);
    return schedule_child(w, fmax(next, now), EV_REVIEW, c, k + 1);
}

static int hook_event(void *ctx, sim *s, const heap_event *ev)
{
    pw_worker *w = ctx;
    if (w->rc != 0)
        return w->rc;
    pw_child *c = ev->subject;
    switch (heap_event_kind(ev)) {
    case EV_CONTACT:
        return on_contact(w);
    case EV_MONTH:
        snapshot_stocks(w, ev->arg);
        close_month_levels(w, ev->arg, sim_now(s));
        set_month(w, ev->arg + 1);
        pw_pl_month(w);
        return 0;
    case EV_PLACEMENT_BREAKS:
        return pw_pl_event(w, ev);
    case EV_STAFF_LEAVES:
    case EV_RECRUITED:
    case EV_AGENCY_STARTS:
    case EV_ABSENCE:
    case EV_TRAINEE_INTAKE:
    case EV_QUALIFIED:
    case EV_TEAM_CHANGE:
        return pw_wf_event(w, ev);
    case EV_AGE_OUT:
        return c->life == ev->arg ? on_age_out(w, c) : 0;
    case EV_RENEGE:
        if (ev->epoch != c->base.epoch || c->base.in_service)
            return 0;
        return on_renege(w, c);
    case EV_REVIEW:
        return ev->epoch == c->base.epoch ? on_review(w, c, ev->arg) : 0;
    default:
        return sim_error(s, ERR_INPUT, "pathway: event of unknown kind %u", heap_event_kind(ev));
    }
}

/* A child who has left must not match its life-bound events (turning 18)
 * while its memory waits in the pool: life 0 matches none. */
static void hook_leave(void *ctx, sim *s, sim_entity *e)
{
    (void)ctx;
    (void)s;
    ((pw_child *)e)->life = 0;
}

static void hook_window(void *ctx, sim *s)
{
    pw_worker *w = ctx;
    const pw_model *m = w->m;
    w->in_window = true;
    memset(w->flows, 0, m->n_flows * sizeof *w->flows);
    memset(w->kpi_num, 0, m->n_kpis * sizeof *w->kpi_num);
    memset(w->kpi_den, 0, m->n_kpis * sizeof *w->kpi_den);
    memset(w->entries, 0, m->n_stages * sizeof *w->entries);
    memset(w->exits, 0, m->n_stages * sizeof *w->exits);
    memset(w->svc_days, 0, m->n_stages * sizeof *w->svc_days);
    memset(w->svc_starts, 0, m->n_stages * sizeof *w->svc_starts);
    double now = sim_now(s);
    for (uint32_t i = 0; i < m->n_lv; i++) {
        flush_level(w, &w->levels[i], now);
        w->levels[i].window = 0.0;
    }
    w->window_start = now;
}

/* Today's caseload: each child part-way through an episode (dist.h's
 * dist_sample_in_progress), so a stock of long episodes is not a cohort
 * of new cases that would all end late together. */
static int warm_start_stage(pw_worker *w, uint32_t si)
{
    const pw_model *m = w->m;
    const pw_stage *st = &m->stages[si];
    gsl_rng *r = w->warm[si];
    int rc;
    for (int64_t i = 0; i < st->initial; i++) {
        double age = dist_sample(st->has_initial_age ? &st->initial_age : &m->age, r);
        pw_child *c;
        if ((rc = new_child(w, r, age, &c)) != 0)
            return rc;
        size_t v = 0;
        uint64_t filled = 0;
        while (v + 1 < st->n_durations && !holds(w, c, st->durations[v].when, &filled))
            v++;
        double elapsed, remaining;
        dist_sample_in_progress(&st->durations[v].d, r, &elapsed, &remaining);
        c->forced = remaining;
        c->warm = 1;
        c->episode_start = NAN; /* its contact was before day 0 */
        if (st->clock >= 0)
            c->clock[st->clock] = -elapsed;
        bool admitted;
        uint32_t node = pw_wf_enter(w, c, si, &admitted);
        if (admitted && st->placement && (rc = pw_pl_enter(w, c)) != 0)
            return rc;
        if ((rc = sim_send(w->s, &c->base, node)) != 0)
            return rc;
        if (!admitted)
            continue; /* waits for a worker from day 0, its remaining time kept */
        c->base.t_enter = c->wanted_at = -elapsed;
        if (st->has_reviews) {
            /* The next review due after day 0. */
            double k = fmax(0.0, ceil((elapsed - st->review_first) / st->review_every));
            double due = -elapsed + st->review_first + k * st->review_every;
            if ((rc = schedule_child(w, fmax(due, 0.0), EV_REVIEW, c, (uint32_t)k)) != 0)
                return rc;
        }
    }
    return 0;
}

/* Cases closed before day 0 that will come back: without them re-referrals
 * would start from nothing and take a year to reach their level. */
static int warm_start_exit(pw_worker *w, uint32_t xi)
{
    const pw_model *m = w->m;
    const pw_exit *x = &m->exits[xi];
    gsl_rng *r = w->reref[xi];
    for (int64_t i = 0; i < x->initial; i++) {
        pw_child *c;
        int rc = new_child(w, r, dist_sample(&m->age, r), &c);
        if (rc != 0)
            return rc;
        double elapsed, remaining;
        dist_sample_in_progress(&x->rereferral_delay, r, &elapsed, &remaining);
        c->closed_at = -elapsed;
        c->forced = remaining;
        c->return_to = x->return_to;
        c->episodes = 1;
        if ((rc = sim_send(w->s, &c->base, w->closed_node)) != 0)
            return rc;
    }
    return 0;
}

static int hook_start(void *ctx, sim *s)
{
    pw_worker *w = ctx;
    const pw_model *m = w->m;
    int rc;
    pw_pl_start(w);
    if ((rc = pw_wf_start(w)) != 0)
        return rc;
    for (uint32_t i = 0; i < m->n_stages; i++)
        if ((rc = warm_start_stage(w, i)) != 0)
            return rc;
    for (uint32_t i = 0; i < m->n_exits; i++)
        if ((rc = warm_start_exit(w, i)) != 0)
            return rc;
    for (size_t k = 0; k + 1 < m->n_months; k++)
        if ((rc = sim_schedule(s, m->month_end[k], EV_MONTH, NULL, (uint32_t)k)) != 0)
            return rc;
    w->unit_clock = 0.0;
    double first = next_contact(w);
    if (first < m->sc->horizon_days)
        return sim_schedule(s, first, EV_CONTACT, NULL, 0);
    return 0;
}

/* ---- the replication --------------------------------------------------------------- */

/* Every stream this replication draws from, seeded together (rng_reseed_many,
 * four at a time: 1% of a replication of bridgend-2022 with one at a time).
 * Streams a scenario never draws from are not reseeded: in Bridgend 22 of the
 * 53 here are unused (patience and reviews of most stages, exits without
 * re-referral). A stream left alone is never read, so no draw changes. */
static void reseed(pw_worker *w, uint32_t rep)
{
    const pw_model *m = w->m;
    uint64_t seed = m->sc->seed;
    gsl_rng **r = w->reseed_r;
    unsigned long *sd = w->reseed_seeds;
    size_t n = 0;
#define STREAM(stream, purpose, name)                                                              \
    (r[n] = (stream), sd[n++] = rng_seed_for(seed, rep, (purpose), (name)))
    STREAM(w->arrivals, "arrival", "contacts");
    STREAM(w->attributes, "attributes", "contacts");
    for (uint32_t i = 0; i < m->n_stages; i++) {
        const pw_stage *st = &m->stages[i];
        if (st->initial > 0)
            STREAM(w->warm[i], "warm_start", st->name);
        if (st->has_patience)
            STREAM(w->patience[i], "patience", st->name);
        if (st->has_reviews)
            STREAM(w->reviews[i], "review", st->name);
    }
    for (uint32_t i = 0; i < m->n_exits; i++)
        if (m->exits[i].rereferral_p > 0.0 || m->exits[i].initial > 0)
            STREAM(w->reref[i], "re_referral", m->exits[i].name);
    STREAM(w->placement_rng, "placements", "breakdowns");
#undef STREAM
    n += pw_wf_streams(w, rep, r + n, sd + n);
    rng_reseed_many(r, sd, n);
}

static void finish_series(pw_worker *w)
{
    const pw_model *m = w->m;
    size_t nf = m->n_flows, ns = m->n_stocks, nk = m->n_kpis;
    for (size_t k = 0; k < m->n_months; k++) {
        double *row = month_row(w, k) + nf + ns;
        for (size_t i = 0; i < nk; i++) {
            double den = w->month_kpi_den[k * nk + i];
            row[i] = den > 0 ? w->month_kpi_num[k * nk + i] / den : NAN;
        }
        double start = k > 0 ? m->month_end[k - 1] : 0.0;
        const double *integral = w->month_levels + k * m->n_lv;
        for (size_t i = 0; i < m->n_derived; i++)
            row[nk + i] = derived_value(&m->derived[i], integral, m->month_end[k] - start);
    }
    size_t first = 0;
    for (size_t y = 0; y < m->n_years; y++) {
        double *row = month_row(w, m->n_months + y);
        size_t last = m->year_last_month[y];
        for (size_t k = first; k <= last; k++)
            for (size_t i = 0; i < nf; i++)
                row[i] += month_row(w, k)[i];
        memcpy(row + nf, month_row(w, last) + nf, ns * sizeof *row);
        for (size_t i = 0; i < nk; i++) {
            double num = 0.0, den = 0.0;
            for (size_t k = first; k <= last; k++) {
                num += w->month_kpi_num[k * nk + i];
                den += w->month_kpi_den[k * nk + i];
            }
            row[nf + ns + i] = den > 0 ? num / den : NAN;
        }
        double start = first > 0 ? m->month_end[first - 1] : 0.0;
        for (uint32_t l = 0; l < m->n_lv; l++) {
            w->year_levels[l] = 0.0;
            for (size_t k = first; k <= last; k++)
                w->year_levels[l] += w->month_levels[k * m->n_lv + l];
        }
        for (size_t i = 0; i < m->n_derived; i++)
            row[nf + ns + nk + i] =
                derived_value(&m->derived[i], w->year_levels, m->month_end[last] - start);
        first = last + 1;
    }
}

/*
 * Stage s's offered load over the window: the places its demand needs, as a
 * multiple of those it has, lambda E[S] / c as for a network node
 * (netmodel.c), but measured rather than computed, since rules make the
 * flows depend on the children. lambda is the stage's entries per day (those
 * who later give up waiting included: they are demand it did not serve);
 * E[S] the mean of the service times drawn at its service starts, which is
 * unbiased under FIFO because a time is drawn when service starts, whoever
 * waited. W - Wq would not do: W averages over departures and Wq over
 * service starts, different children when the queue is growing, and W
 * counts those who gave up. A warm start's remaining times are left out
 * (they are the ends of episodes, not whole ones). With no service start in
 * the window (every place held throughout) the default duration's mean
 * stands in. At a session stage: entries per session over its capacity.
 * NaN (NA) where places are unlimited.
 */
static double offered_load(const pw_worker *w, uint32_t s, double span)
{
    const pw_stage *st = &w->m->stages[s];
    double per_day = (double)w->entries[s] / span;
    if (st->session_every > 0.0)
        return st->session_capacity ? per_day * st->session_every / st->session_capacity : NAN;
    if (st->servers == 0)
        return NAN;
    double mean = w->svc_starts[s] > 0 ? w->svc_days[s] / (double)w->svc_starts[s]
                                       : dist_mean(&st->durations[st->n_durations - 1].d);
    return per_day * mean / st->servers;
}

static void finish_summary(pw_worker *w)
{
    const pw_model *m = w->m;
    double *out = w->out;
    size_t k = 0;
    for (size_t i = 0; i < m->n_flows; i++)
        out[k++] = w->flows[i];
    for (size_t i = 0; i < m->n_stocks; i++)
        out[k++] = stock_value(w, &m->stocks[i]);
    for (size_t i = 0; m->population > 0 && i < m->n_stocks; i++)
        out[k++] = 1e4 * stock_value(w, &m->stocks[i]) / m->population;
    for (size_t i = 0; i < m->n_kpis; i++)
        out[k++] = w->kpi_den[i] > 0 ? w->kpi_num[i] / w->kpi_den[i] : NAN;
    for (uint32_t l = 0; l < m->n_lv; l++)
        w->year_levels[l] = w->levels[l].window;
    for (size_t i = 0; i < m->n_derived; i++)
        out[k++] =
            derived_value(&m->derived[i], w->year_levels, m->sc->horizon_days - w->window_start);
    CHECK(k == pw_summary_stage_base(m));
    double span = m->sc->horizon_days - w->window_start;
    for (uint32_t s = 0; s < m->n_stages; s++) {
        sim_node_result r;
        sim_node_result_get(w->s, s, &r);
        double v[PW_STAGE_METRICS];
        v[PW_SM_ENTRIES] = (double)w->entries[s];
        v[PW_SM_EXITS] = (double)w->exits[s];
        v[PW_SM_END] = (double)sim_node_count(w->s, s);
        v[PW_SM_L] = r.L;
        v[PW_SM_LQ] = r.Lq;
        v[PW_SM_W] = r.W;
        v[PW_SM_WQ] = r.Wq;
        v[PW_SM_UTILISATION] = r.utilisation;
        v[PW_SM_OFFERED_LOAD] = offered_load(w, s, span);
        memcpy(out + k, v, sizeof v);
        k += PW_STAGE_METRICS;
    }
}

static int run_one(void *worker, uint32_t rep, double *out, err_info *e)
{
    pw_worker *w = worker;
    const pw_model *m = w->m;
    memset(out, 0, m->width * sizeof *out);
    memset(w->month_kpi_num, 0, m->n_months * m->n_kpis * sizeof *w->month_kpi_num);
    memset(w->month_kpi_den, 0, m->n_months * m->n_kpis * sizeof *w->month_kpi_den);
    w->out = out;
    set_month(w, 0);
    w->life_clock = 0;
    w->rep = rep;
    w->rc = 0;
    w->in_window = false;
    w->log_len = 0;
    w->window_start = 0.0;
    memset(w->levels, 0, (m->n_lv + 1) * sizeof *w->levels);
    memset(w->month_levels, 0, (m->n_months * m->n_lv + 1) * sizeof *w->month_levels);
    reseed(w, rep);
    sim_options o = {.warmup_days = m->sc->warmup_days,
                     .horizon_days = m->sc->horizon_days,
                     .seed = m->sc->seed,
                     .replication = rep,
                     .max_live = (size_t)m->sc->limits.max_live_entities,
                     .stop = w->stop};
    int rc = sim_run(w->s, &o, e);
    if (rc == 0 && w->rc != 0)
        rc = err_set(e, w->rc, NULL, 0, "replication %u: out of memory", rep + 1);
    if (rc != 0)
        return rc;
    for (size_t k = w->month; k < m->n_months; k++) {
        snapshot_stocks(w, k);
        close_month_levels(w, k, m->month_end[k]);
    }
    finish_series(w);
    finish_summary(w);
    if (m->log_events) {
        /* Each replication writes only its own slot: no lock needed. */
        char *copy = mem_alloc(w->log_len + 1);
        if (copy == NULL)
            return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the event log");
        memcpy(copy, w->log ? w->log : "", w->log_len);
        copy[w->log_len] = '\0';
        mem_free(m->event_log[rep]);
        m->event_log[rep] = copy;
        m->event_len[rep] = w->log_len;
    }
    return 0;
}

/* ---- workers ------------------------------------------------------------------------ */

static void worker_destroy(void *p)
{
    pw_worker *w = p;
    if (w == NULL)
        return;
    const pw_model *m = w->m;
    sim_destroy(w->s);
    gsl_rng_free(w->arrivals);
    gsl_rng_free(w->attributes);
    for (uint32_t i = 0; i < m->n_stages; i++) {
        if (w->warm)
            gsl_rng_free(w->warm[i]);
        if (w->patience)
            gsl_rng_free(w->patience[i]);
        if (w->reviews)
            gsl_rng_free(w->reviews[i]);
    }
    for (uint32_t i = 0; w->reref && i < m->n_exits; i++)
        gsl_rng_free(w->reref[i]);
    mem_free(w->warm);
    mem_free(w->patience);
    mem_free(w->reviews);
    mem_free(w->reref);
    mem_free(w->reseed_r);
    mem_free(w->reseed_seeds);
    mem_free(w->vars);
    mem_free(w->flows);
    mem_free(w->kpi_num);
    mem_free(w->kpi_den);
    mem_free(w->month_kpi_num);
    mem_free(w->month_kpi_den);
    mem_free(w->entries);
    mem_free(w->exits);
    mem_free(w->svc_days);
    mem_free(w->svc_starts);
    mem_free(w->log);
    pw_wf_worker_fini(w);
    mem_free(w->levels);
    mem_free(w->month_levels);
    mem_free(w->year_levels);
    mem_free(w->placed);
    mem_free(w->place_cap);
    gsl_rng_free(w->placement_rng);
    mem_free(w);
}

static gsl_rng **open_streams(size_t n)
{
    gsl_rng **r = mem_calloc(n + 1, sizeof *r);
    for (size_t i = 0; r != NULL && i < n; i++)
        if ((r[i] = rng_open(1)) == NULL)
            return r; /* worker_destroy frees what was opened; the caller sees the NULL */
    return r;
}

static bool streams_ok(gsl_rng **r, size_t n)
{
    for (size_t i = 0; r != NULL && i < n; i++)
        if (r[i] == NULL)
            return false;
    return r != NULL;
}

static void *worker_create(void *ctx, err_info *e)
{
    const pw_model *m = ctx;
    pw_worker *w = mem_calloc(1, sizeof *w);
    if (w == NULL)
        goto nomem;
    w->m = m;
    w->stop = m->stop;
    w->closed_node = (uint32_t)m->n_stages;
    sim_hooks h = {.ctx = w,
                   .on_start = hook_start,
                   .service_time = hook_service_time,
                   .route = hook_route,
                   .on_event = hook_event,
                   .on_leave = hook_leave,
                   .on_window = hook_window};
    w->arrivals = rng_open(1);
    w->attributes = rng_open(1);
    w->warm = open_streams(m->n_stages);
    w->patience = open_streams(m->n_stages);
    w->reviews = open_streams(m->n_stages);
    w->reref = open_streams(m->n_exits);
    size_t n_streams = 3 + 3 * m->n_stages + m->n_exits + 3 * m->n_teams;
    w->reseed_r = mem_calloc(n_streams, sizeof *w->reseed_r);
    w->reseed_seeds = mem_calloc(n_streams, sizeof *w->reseed_seeds);
    w->vars = mem_calloc(pw_n_vars(m), sizeof *w->vars);
    w->flows = mem_calloc(m->n_flows + 1, sizeof *w->flows);
    w->kpi_num = mem_calloc(m->n_kpis + 1, sizeof *w->kpi_num);
    w->kpi_den = mem_calloc(m->n_kpis + 1, sizeof *w->kpi_den);
    w->month_kpi_num = mem_calloc(m->n_months * m->n_kpis + 1, sizeof *w->month_kpi_num);
    w->month_kpi_den = mem_calloc(m->n_months * m->n_kpis + 1, sizeof *w->month_kpi_den);
    w->entries = mem_calloc(m->n_stages, sizeof *w->entries);
    w->exits = mem_calloc(m->n_stages, sizeof *w->exits);
    w->svc_days = mem_calloc(m->n_stages, sizeof *w->svc_days);
    w->svc_starts = mem_calloc(m->n_stages, sizeof *w->svc_starts);
    w->levels = mem_calloc(m->n_lv + 1, sizeof *w->levels);
    w->month_levels = mem_calloc(m->n_months * m->n_lv + 1, sizeof *w->month_levels);
    w->year_levels = mem_calloc(m->n_lv + 1, sizeof *w->year_levels);
    w->placed = mem_calloc(m->n_ptypes + 1, sizeof *w->placed);
    w->place_cap = mem_calloc(m->n_ptypes + 1, sizeof *w->place_cap);
    w->placement_rng = rng_open(1);
    if (!w->arrivals || !w->attributes || !streams_ok(w->warm, m->n_stages) ||
        !streams_ok(w->patience, m->n_stages) || !streams_ok(w->reviews, m->n_stages) ||
        !streams_ok(w->reref, m->n_exits) || !w->reseed_r || !w->reseed_seeds || !w->vars ||
        !w->flows || !w->kpi_num || !w->kpi_den || !w->month_kpi_num || !w->month_kpi_den ||
        !w->entries || !w->exits || !w->svc_days || !w->svc_starts || !w->levels ||
        !w->month_levels || !w->year_levels || !w->placed || !w->place_cap || !w->placement_rng ||
        pw_wf_worker_init(w) != 0)
        goto nomem;
    if ((w->s = sim_create(&m->sc->net, sizeof(pw_child), &h, e)) == NULL) {
        worker_destroy(w);
        return NULL;
    }
    return w;
nomem:
    worker_destroy(w);
    err_set(e, ERR_NOMEM, NULL, 0, "out of memory for a simulation worker");
    return NULL;
}

rep_model pw_rep(pw_model *m, const volatile sig_atomic_t *stop)
{
    m->stop = stop;
    return (rep_model){.n_metrics = m->width,
                       .ctx = m,
                       .worker_create = worker_create,
                       .worker_destroy = worker_destroy,
                       .run_one = run_one};
}
