/*
 * workforce — teams of social workers: capacity that moves with people.
 *
 * A team holds the cases of some stages. Its people are modelled one by
 * one (slots of pw_team_state.staff): permanent staff, agency staff and
 * trainees, each with a caseload measured in weighted cases, so capacity in
 * cases is a whole number per person (floor(cap x share)). People come and
 * go as random processes on the team's own streams ("turnover", "recruit",
 * "absence" + team name), so two scenarios share their staff history
 * unless they change the team:
 *   - permanent staff leave at the turnover rate (exponential stays);
 *   - each vacant permanent post starts a recruitment round that takes
 *     recruitment_delay and fills the post with fill_probability, otherwise
 *     another round starts;
 *   - funded posts (establishment x funded_ratio) not held by permanent
 *     staff are filled by agency staff in the share agency_fill, after
 *     agency_delay; when permanent staff arrive, surplus agency staff go
 *     (the one with the fewest cases first) - which is how 20% vacancies and
 *     38% agency coexist in Bridgend;
 *   - trainees arrive at intake_per_year (Poisson), carry a reduced caseload
 *     and become permanent after training_days (grow our own);
 *   - everyone alternates present and absent spells so the share of time
 *     absent is `absence`; the absent take no new cases;
 *   - scheduled changes (a new establishment, a lower turnover after a
 *     market supplement) apply from their date; a changed turnover redraws
 *     the remaining stays (exponential, so this is exact).
 * Allocation: a case goes back to the child's previous worker when that
 * person is still in the team and has room, else to whoever has most room.
 * With a hard cap, a case nobody has room for waits, unallocated, in the
 * team's hidden node, first come first served; with a soft cap it goes to
 * the least loaded person and its duration is multiplied by
 * soft_duration_factor. When a person leaves, their cases are reallocated
 * even above the cap (a case in progress is not put back in the queue).
 * Finding that person is O(1) from two tournament trees of the present staff
 * by load (mintree.h, choose_tree) rather than a scan of the team, which
 * took 13% of a Bridgend run; the scan stays for case weights that are not
 * exact binary fractions, where rounding could order loads and rooms apart.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "check.h"
#include "mem.h"
#include "pathway/pathway_worker.h"
#include "rng.h"

static const char *const workforce_keys[] = {"teams", NULL};
static const char *const team_keys[] = {"name",
                                        "stages",
                                        "established_fte",
                                        "funded_ratio",
                                        "agency_fill",
                                        "caseload_cap",
                                        "policy",
                                        "soft_duration_factor",
                                        "turnover_per_year",
                                        "recruitment_delay",
                                        "fill_probability",
                                        "agency_delay",
                                        "soft_rereferral_factor",
                                        "absence",
                                        "absence_spell",
                                        "vacancy_at_start",
                                        "trainees",
                                        "annual_cost",
                                        "agency_annual_cost",
                                        "changes",
                                        NULL};
static const char *const trainee_keys[] = {"intake_per_year", "training_days", "caseload_share",
                                           "annual_cost", NULL};
static const char *const change_keys[] = {"from",         "established_fte",   "funded_ratio",
                                          "agency_fill",  "turnover_per_year", "fill_probability",
                                          "caseload_cap", "intake_per_year",   NULL};

/* Levels per team, consecutive from lv_load: load, present, permanent,
 * agency, trainees, waiting, vacant (register_metrics, update_levels). */
enum { TEAM_LEVELS = 7 };

#define FOREVER 1e12 /* days: a waiting case's "service" ends only when it is allocated */

/* ---- loading --------------------------------------------------------------------- */

static int get_dist_or(pw_model *m, config_setting_t *g, const char *key, double mean, dist *d,
                       err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *dg;
    int rc = cfg_get_member(f, g, key, false, CONFIG_TYPE_GROUP, &dg, e);
    if (rc != 0)
        return rc;
    if (dg == NULL)
        return dist_init_exponential(d, mean, e);
    if ((rc = cfg_get_dist(f, dg, d, e)) != 0)
        return rc;
    return scenario_check_duration(f, dg, d, key, e);
}

static int load_changes(pw_model *m, pw_team *t, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *list;
    int rc = cfg_get_member(f, g, "changes", false, CONFIG_TYPE_LIST, &list, e);
    if (rc != 0 || list == NULL)
        return rc;
    int n = config_setting_length(list);
    t->changes = mem_calloc((size_t)n + 1, sizeof *t->changes);
    if (t->changes == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for team changes");
    for (int i = 0; i < n; i++) {
        config_setting_t *c = config_setting_get_elem(list, (unsigned)i);
        pw_team_change *ch = &t->changes[i];
        const char *from;
        int32_t day;
        ch->established = ch->funded_ratio = ch->agency_fill = ch->turnover = ch->fill_p = ch->cap =
            ch->intake = NAN;
        if ((rc = cfg_check_keys(f, c, change_keys, e)) != 0 ||
            (rc = cfg_get_string(f, c, "from", true, false, &from, e)) != 0)
            return rc;
        if (cal_parse_date(from, &day) != 0 || day < m->start_day)
            return cfg_error(f, config_setting_get_member(c, "from"), e, ERR_INPUT,
                             "from = \"%s\"; expected a date \"YYYY-MM-DD\" on or after start_date",
                             from);
        ch->at = day - m->start_day;
        if ((rc = cfg_get_double_in(f, c, "established_fte", false, 0.0, 1e5, &ch->established,
                                    e)) != 0 ||
            (rc = cfg_get_double_in(f, c, "funded_ratio", false, 0.0, 10.0, &ch->funded_ratio,
                                    e)) != 0 ||
            (rc = cfg_get_double_in(f, c, "agency_fill", false, 0.0, 1.0, &ch->agency_fill, e)) !=
                0 ||
            (rc = cfg_get_double_in(f, c, "turnover_per_year", false, 0.0, 10.0, &ch->turnover,
                                    e)) != 0 ||
            (rc = cfg_get_double_in(f, c, "fill_probability", false, 0.0, 1.0, &ch->fill_p, e)) !=
                0 ||
            (rc = cfg_get_double_in(f, c, "caseload_cap", false, 0.0, 1e4, &ch->cap, e)) != 0 ||
            (rc = cfg_get_double_in(f, c, "intake_per_year", false, 0.0, 1e4, &ch->intake, e)) != 0)
            return rc;
        t->n_changes++;
    }
    return 0;
}

static int load_team_stages(pw_model *m, uint32_t ti, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *arr;
    int rc = cfg_get_member(f, g, "stages", true, CONFIG_TYPE_ARRAY, &arr, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(arr);
    for (int j = 0; j < n; j++) {
        const char *sn = config_setting_get_string(config_setting_get_elem(arr, (unsigned)j));
        int si = -1;
        for (size_t k = 0; sn != NULL && k < m->n_stages; k++)
            if (strcmp(m->stages[k].name, sn) == 0)
                si = (int)k;
        if (si < 0)
            return cfg_error(f, arr, e, ERR_INPUT, "team '%s': '%s' is not a stage",
                             m->teams[ti].name, sn ? sn : "(not a string)");
        if (m->stages[si].team >= 0)
            return cfg_error(f, arr, e, ERR_INPUT,
                             "stage '%s' is already held by team '%s'; expected each stage in at "
                             "most one team",
                             sn, m->teams[m->stages[si].team].name);
        m->stages[si].team = (int32_t)ti;
    }
    if (n == 0)
        return cfg_error(f, arr, e, ERR_INPUT, "team '%s' holds no stages; expected at least one",
                         m->teams[ti].name);
    return 0;
}

static int load_trainees(pw_model *m, pw_team *t, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *tg;
    int rc = cfg_get_member(f, g, "trainees", false, CONFIG_TYPE_GROUP, &tg, e);
    t->training_days = 730.0;
    t->trainee_share = 0.5;
    if (rc != 0 || tg == NULL)
        return rc;
    t->trainee_annual_cost = t->annual_cost * 0.8;
    if ((rc = cfg_check_keys(f, tg, trainee_keys, e)) != 0 ||
        (rc = cfg_get_double_in(f, tg, "intake_per_year", true, 0.0, 1e4, &t->intake, e)) != 0 ||
        (rc = cfg_get_double_in(f, tg, "training_days", false, 1.0, 3650.0, &t->training_days,
                                e)) != 0 ||
        (rc = cfg_get_double_in(f, tg, "caseload_share", false, 0.0, 1.0, &t->trainee_share, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, tg, "annual_cost", false, 0.0, 1e7, &t->trainee_annual_cost,
                                e)) != 0)
        return rc;
    return 0;
}

static int load_team(pw_model *m, uint32_t ti, config_setting_t *g, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    pw_team *t = &m->teams[ti];
    const char *policy = "hard";
    int rc;
    t->funded_ratio = 1.0;
    t->agency_fill = 0.0;
    t->fill_p = 1.0;
    t->soft_factor = 1.0;
    t->soft_reref = 1.0;
    if (!config_setting_is_group(g))
        return cfg_error(f, g, e, ERR_INPUT, "each team must be a group { name = ...; ... }");
    if ((rc = cfg_check_keys(f, g, team_keys, e)) != 0 ||
        (rc = cfg_get_string(f, g, "name", true, false, &t->name, e)) != 0 ||
        (rc = scenario_check_name(f, config_setting_get_member(g, "name"), "team", t->name, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, g, "established_fte", true, 0.0, 1e5, &t->established, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, g, "funded_ratio", false, 0.0, 10.0, &t->funded_ratio, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, g, "agency_fill", false, 0.0, 1.0, &t->agency_fill, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "caseload_cap", true, 0.0, 1e4, &t->cap, e)) != 0 ||
        (rc = cfg_get_string(f, g, "policy", false, false, &policy, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "soft_duration_factor", false, 1.0, 10.0, &t->soft_factor,
                                e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "soft_rereferral_factor", false, 1.0, 10.0, &t->soft_reref,
                                e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "turnover_per_year", false, 0.0, 10.0, &t->turnover, e)) !=
            0 ||
        (rc = cfg_get_double_in(f, g, "fill_probability", false, 0.001, 1.0, &t->fill_p, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "absence", false, 0.0, 0.9, &t->absence, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "vacancy_at_start", false, 0.0, 1.0, &t->vacancy_at_start,
                                e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "annual_cost", false, 0.0, 1e7, &t->annual_cost, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "agency_annual_cost", false, 0.0, 1e7, &t->agency_annual_cost,
                                e)) != 0)
        return rc;
    if (strcmp(policy, "hard") != 0 && strcmp(policy, "soft") != 0)
        return cfg_error(f, config_setting_get_member(g, "policy"), e, ERR_INPUT,
                         "policy = \"%s\"; expected \"hard\" (cases wait unallocated) or \"soft\" "
                         "(cases are allocated above the cap)",
                         policy);
    t->hard_cap = strcmp(policy, "hard") == 0;
    if ((rc = get_dist_or(m, g, "recruitment_delay", 90.0, &t->recruit_delay, e)) != 0 ||
        (rc = get_dist_or(m, g, "agency_delay", 14.0, &t->agency_delay, e)) != 0 ||
        (rc = get_dist_or(m, g, "absence_spell", 10.0, &t->absence_spell, e)) != 0 ||
        (rc = load_trainees(m, t, g, e)) != 0 || (rc = load_changes(m, t, g, e)) != 0 ||
        (rc = load_team_stages(m, ti, g, e)) != 0)
        return rc;
    for (uint32_t k = 0; k < ti; k++)
        if (strcmp(m->teams[k].name, t->name) == 0)
            return cfg_error(f, g, e, ERR_INPUT, "duplicate team name '%s'", t->name);
    return 0;
}

/* Levels and metrics of the teams; costs are registered even without teams. */
static int register_metrics(pw_model *m, err_info *e)
{
    size_t nt = m->n_teams;
    uint32_t *a = mem_calloc(2 * nt + 2, sizeof *a), *b = mem_calloc(2 * nt + 2, sizeof *b);
    double *coef = mem_calloc(2 * nt + 2, sizeof *coef);
    char name[160];
    int rc = 0;
    if (a == NULL || b == NULL || coef == NULL) {
        rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory for metrics");
        goto done;
    }
    for (size_t i = 0; i < nt; i++) {
        pw_team *t = &m->teams[i];
        t->lv_load = pw_level_new(m);
        t->lv_present = pw_level_new(m);
        t->lv_permanent = pw_level_new(m);
        t->lv_agency = pw_level_new(m);
        t->lv_trainees = pw_level_new(m);
        t->lv_waiting = pw_level_new(m);
        t->lv_vacant = pw_level_new(m);
        CHECK(t->lv_vacant == t->lv_load + TEAM_LEVELS - 1); /* update_levels sets them as a run */
    }
    if (nt > 0) {
        for (size_t i = 0; i < nt; i++)
            a[i] = m->teams[i].lv_present;
        if ((rc = pw_derived_add(m, "workforce.fte_effective.mean", a, NULL, nt, NULL, 0, true,
                                 e)) < 0)
            goto done;
        for (size_t i = 0; i < nt; i++) {
            a[i] = m->teams[i].lv_agency;
            b[2 * i] = m->teams[i].lv_agency;
            b[2 * i + 1] = m->teams[i].lv_permanent;
        }
        if ((rc = pw_derived_add(m, "workforce.agency_share.mean", a, NULL, nt, b, 2 * nt, false,
                                 e)) < 0)
            goto done;
        for (size_t i = 0; i < nt; i++) {
            pw_team *t = &m->teams[i];
            double inv = t->established > 0 ? 1.0 / round(t->established) : 0.0;
            snprintf(name, sizeof name, "workforce.%s.caseload_per_fte.mean", t->name);
            if ((rc = pw_derived_add(m, name, &t->lv_load, NULL, 1, &t->lv_present, 1, false, e)) <
                0)
                goto done;
            snprintf(name, sizeof name, "workforce.%s.fte_effective.mean", t->name);
            if ((rc = pw_derived_add(m, name, &t->lv_present, NULL, 1, NULL, 0, true, e)) < 0)
                goto done;
            snprintf(name, sizeof name, "workforce.%s.vacancy_rate.mean", t->name);
            if ((rc = pw_derived_add(m, name, &t->lv_vacant, &inv, 1, NULL, 0, true, e)) < 0)
                goto done;
            snprintf(name, sizeof name, "kpi.unallocated_wait_days.%s.mean", t->name);
            if ((rc = pw_kpi_index(m, name, e)) < 0)
                goto done;
            t->kpi_wait = rc;
        }
        for (size_t i = 0; i < nt; i++)
            a[i] = m->teams[i].lv_waiting;
        if ((rc = pw_derived_add(m, "kpi.unallocated_cases.mean", a, NULL, nt, NULL, 0, true, e)) <
            0)
            goto done;
    }
    for (size_t i = 0; i < nt; i++) {
        a[2 * i] = m->teams[i].lv_permanent;
        coef[2 * i] = m->teams[i].annual_cost / DAYS_PER_YEAR;
        a[2 * i + 1] = m->teams[i].lv_trainees;
        coef[2 * i + 1] = m->teams[i].trainee_annual_cost / DAYS_PER_YEAR;
    }
    if ((rc = pw_derived_add(m, "cost.staff", a, coef, 2 * nt, NULL, 0, false, e)) < 0)
        goto done;
    for (size_t i = 0; i < nt; i++) {
        a[i] = m->teams[i].lv_agency;
        coef[i] = m->teams[i].agency_annual_cost / DAYS_PER_YEAR;
    }
    rc = pw_derived_add(m, "cost.agency", a, coef, nt, NULL, 0, false, e);
done:
    mem_free(a);
    mem_free(b);
    mem_free(coef);
    return rc < 0 ? rc : 0;
}

int pw_load_workforce(pw_model *m, err_info *e)
{
    const cfg_file *f = &m->sc->file;
    config_setting_t *g, *list = NULL;
    int rc =
        cfg_get_member(f, cfg_root(&m->sc->file), "workforce", false, CONFIG_TYPE_GROUP, &g, e);
    if (rc != 0)
        return rc;
    if (g != NULL && ((rc = cfg_check_keys(f, g, workforce_keys, e)) != 0 ||
                      (rc = cfg_get_member(f, g, "teams", true, CONFIG_TYPE_LIST, &list, e)) != 0))
        return rc;
    int n = list ? config_setting_length(list) : 0;
    if (n > 0 && (m->teams = mem_calloc((size_t)n, sizeof *m->teams)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for teams");
    for (int i = 0; i < n; i++) {
        m->n_teams++;
        if ((rc = load_team(m, (uint32_t)i, config_setting_get_elem(list, (unsigned)i), e)) != 0)
            return rc;
        char node[96];
        dist placeholder;
        err_info sub;
        snprintf(node, sizeof node, "(unallocated %s)", m->teams[i].name);
        m->teams[i].unalloc_node = (uint32_t)m->sc->net.n_nodes;
        if ((rc = dist_init_deterministic(&placeholder, 1.0, e)) != 0 ||
            (rc = net_add_node(&m->sc->net, node, 0, &placeholder, NULL, &sub)) != 0)
            return err_set(e, rc, NULL, 0, "%s", rc == ERR_NOMEM ? "out of memory" : sub.text);
    }
    return register_metrics(m, e);
}

void pw_free_workforce(pw_model *m)
{
    for (size_t i = 0; i < m->n_teams; i++) {
        pw_team *t = &m->teams[i];
        dist_fini(&t->recruit_delay);
        dist_fini(&t->agency_delay);
        dist_fini(&t->absence_spell);
        mem_free(t->changes);
    }
    mem_free(m->teams);
    m->teams = NULL;
    m->n_teams = 0;
}

/* ---- people ------------------------------------------------------------------------ */

/* A person's capacity in weighted cases, floor(cap x share), is asked on every
 * case taken: it is kept per class in ts->capacity (set_cap) rather than
 * computed each time, where floor and the multiplication took 1.5% of a
 * Bridgend run (cachegrind). */
static void set_cap(pw_team_state *ts, const pw_team *t, double cap)
{
    ts->cap = cap;
    ts->capacity[0] = floor(cap + 1e-9);
    ts->capacity[1] = floor(cap * t->trainee_share + 1e-9);
}

static double capacity_of(const pw_team_state *ts, const pw_staff *st)
{
    return ts->capacity[st->kind == STAFF_TRAINEE];
}

static bool has_room(const pw_team_state *ts, const pw_staff *st, double w)
{
    return st->kind != STAFF_NONE && !st->absent && st->load + w <= capacity_of(ts, st) + 1e-9;
}

/* Vacant permanent posts. fmax and round are library calls that took 1.4%
 * of a run here; posts is round(established), and the difference is never
 * NaN, so the comparison gives fmax's value. */
static double vacant(const pw_team_state *ts)
{
    double v = ts->posts - ts->permanent;
    return v > 0.0 ? v : 0.0;
}

/* Capacity as the divisor of a load ratio: fmax(capacity, 0.5) without the
 * library call (capacities are never NaN). */
static double ratio_base(double capacity)
{
    return capacity > 0.5 ? capacity : 0.5;
}

/* The team's levels, from counters kept at every change (O(1) per event).
 * Called on every case a team takes or closes, which changes the load and
 * perhaps the waiting list but never the staff: only levels whose value
 * changes are brought up to now (pw_levels_set_changed). */
static void update_levels(pw_worker *w, uint32_t ti)
{
    const pw_team *t = &w->m->teams[ti];
    const pw_team_state *ts = &w->teams[ti];
    const double v[TEAM_LEVELS] = {ts->load < 1e-9 ? 0.0 : ts->load,
                                   ts->present,
                                   ts->permanent,
                                   ts->agency,
                                   ts->trainees,
                                   ts->waiting,
                                   vacant(ts)};
    pw_levels_set_changed(w, t->lv_load, TEAM_LEVELS, v);
}

/* Inline, with the clock read once by the caller: called twice on every case
 * a team takes or closes (update_case_levels). */
static inline void set_level_if_changed(pw_worker *w, uint32_t level, double value, double now)
{
    pw_level *l = &w->levels[level];
    if (l->value != value) {
        pw_level_flush(l, now, w->in_window);
        l->value = value;
    }
}

/* A case taken, closed or queued changes the load and the waiting list, never
 * the staff: the other five levels are left alone (the same arithmetic as
 * update_levels, which would find them unchanged). Events that change the
 * staff end with update_levels, at the same instant. */
static inline void update_case_levels(pw_worker *w, uint32_t ti)
{
    const pw_team *t = &w->m->teams[ti];
    const pw_team_state *ts = &w->teams[ti];
    double now = sim_now(w->s);
    set_level_if_changed(w, t->lv_load, ts->load < 1e-9 ? 0.0 : ts->load, now);
    set_level_if_changed(w, t->lv_waiting, ts->waiting, now);
}

static bool counts_as_present(const pw_staff *st)
{
    return (st->kind == STAFF_PERMANENT || st->kind == STAFF_AGENCY) && !st->absent;
}

/* Which tree of ts->least a person is in: -1 none (nobody, or absent). */
static int class_of(const pw_staff *st)
{
    if (st->kind == STAFF_NONE || st->absent)
        return -1;
    return st->kind == STAFF_TRAINEE;
}

/* Puts the person in slot into their class's tree (class k >= 0) with their
 * load as it is now. The key is load x 1024 (an integer when loads are exact)
 * above the slot, so the least key is the least load, then the lowest slot.
 * The conversion goes through int64_t, one instruction where one to uint64_t
 * takes a test and a branch on x86-64: the same value for loads in [0, 2^22).
 * A load too large for 32 bits (a runaway soft cap) sends the team back to
 * the scan until the next replication: same answers, found slower. */
static inline void track_key(pw_team_state *ts, uint32_t slot, int k)
{
    double load = ts->staff[slot].load;
    if (load >= 4194304.0) /* 2^22: load x 1024 must fit in 32 bits */
        ts->exact = false;
    else
        mintree_set(&ts->least[k], slot, (uint64_t)(int64_t)(load * 1024.0) << 32 | slot);
}

/* Call after any change to a person's kind or absence; was is their class
 * before the change. */
static void track(pw_team_state *ts, pw_staff *st, int was)
{
    if (!ts->exact)
        return;
    uint32_t slot = (uint32_t)(st - ts->staff);
    int now = class_of(st);
    if (was >= 0 && was != now)
        mintree_remove(&ts->least[was], slot);
    if (now >= 0)
        track_key(ts, slot, now);
}

/* Call after a change to the load of the person in slot (never their class):
 * on every case taken or closed. */
static inline void track_load(pw_team_state *ts, uint32_t slot)
{
    int k = class_of(&ts->staff[slot]);
    if (ts->exact && k >= 0)
        track_key(ts, slot, k);
}

static void ts_absent_toggle(pw_team_state *ts, pw_staff *st)
{
    int was = class_of(st);
    ts->present -= counts_as_present(st);
    st->absent = !st->absent;
    ts->present += counts_as_present(st);
    track(ts, st, was);
}

/* Takes a person out of the present count before their kind changes. */
static void set_kind(pw_team_state *ts, pw_staff *st, uint8_t kind)
{
    int was = class_of(st);
    ts->present -= counts_as_present(st);
    st->kind = kind;
    ts->present += counts_as_present(st);
    track(ts, st, was);
}

static int schedule_slot(pw_worker *w, unsigned kind, uint32_t ti, uint32_t slot, double at)
{
    if (at >= w->m->sc->horizon_days)
        return 0;
    return sim_schedule(w->s, at, kind, NULL, ti << 24 | slot);
}

static int schedule_leaving(pw_worker *w, uint32_t ti, uint32_t slot)
{
    pw_team_state *ts = &w->teams[ti];
    pw_staff *st = &ts->staff[slot];
    st->leaves_at = INFINITY;
    if (ts->turnover <= 0.0)
        return 0;
    st->leaves_at =
        sim_now(w->s) + gsl_ran_exponential(ts->turnover_rng, DAYS_PER_YEAR / ts->turnover);
    return schedule_slot(w, EV_STAFF_LEAVES, ti, slot, st->leaves_at);
}

static int schedule_absence(pw_worker *w, uint32_t ti, uint32_t slot)
{
    const pw_team *t = &w->m->teams[ti];
    pw_team_state *ts = &w->teams[ti];
    pw_staff *st = &ts->staff[slot];
    st->absence_at = INFINITY;
    if (t->absence <= 0.0)
        return 0;
    double now = sim_now(w->s);
    if (st->absent)
        st->absence_at = now + dist_sample(&t->absence_spell, ts->absence_rng);
    else /* present spells sized so absent time is the share `absence` */
        st->absence_at =
            now + gsl_ran_exponential(ts->absence_rng, dist_mean(&t->absence_spell) *
                                                           (1.0 - t->absence) / t->absence);
    return schedule_slot(w, EV_ABSENCE, ti, slot, st->absence_at);
}

static int add_staff(pw_worker *w, uint32_t ti, uint8_t kind)
{
    pw_team_state *ts = &w->teams[ti];
    uint32_t slot = 0;
    while (slot < ts->n_slots && ts->staff[slot].kind != STAFF_NONE)
        slot++;
    if (slot == ts->n_slots) {
        /* Rare (a team growing past every size it had): amortised doubling.
         * The trees first: they may be larger than the team, never smaller. */
        uint32_t n = ts->n_slots ? 2 * ts->n_slots : 16;
        pw_staff *grown = NULL;
        if (!ts->exact_weights ||
            (mintree_resize(&ts->least[0], n) == 0 && mintree_resize(&ts->least[1], n) == 0))
            grown = mem_resize(ts->staff, n, sizeof *grown);
        if (grown == NULL)
            return sim_error(w->s, ERR_NOMEM, "out of memory for staff");
        memset(grown + ts->n_slots, 0, (n - ts->n_slots) * sizeof *grown);
        ts->staff = grown;
        ts->n_slots = n;
    }
    pw_staff *st = &ts->staff[slot];
    uint32_t gen = st->gen + 1;
    memset(st, 0, sizeof *st);
    st->gen = gen;
    set_kind(ts, st, kind);
    st->leaves_at = st->absence_at = st->qualifies_at = INFINITY;
    int rc = 0;
    if (kind == STAFF_PERMANENT) {
        ts->permanent++;
        rc = schedule_leaving(w, ti, slot);
    } else if (kind == STAFF_AGENCY) {
        ts->agency++;
    } else {
        ts->trainees++;
        st->qualifies_at = sim_now(w->s) + w->m->teams[ti].training_days;
        rc = schedule_slot(w, EV_QUALIFIED, ti, slot, st->qualifies_at);
    }
    return rc != 0 ? rc : schedule_absence(w, ti, slot);
}

/* Links c into the worker's cases and counts the load. */
static inline void hold_case(pw_worker *w, uint32_t ti, uint32_t slot, pw_child *c, double weight)
{
    pw_team_state *ts = &w->teams[ti];
    pw_staff *st = &ts->staff[slot];
    if (!(c->worker_team == ti && c->worker_slot == slot && c->worker_gen == st->gen))
        c->workers++;
    c->worker_team = (uint16_t)ti;
    c->worker_slot = slot;
    c->worker_gen = st->gen;
    c->weight = weight;
    c->allocated = 1;
    c->overloaded = st->load + weight > capacity_of(ts, st) + 1e-9;
    if (c->overloaded && w->m->teams[ti].soft_reref > c->reref_factor)
        c->reref_factor = (float)w->m->teams[ti].soft_reref;
    c->case_prev = NULL;
    c->case_next = st->cases;
    if (st->cases)
        st->cases->case_prev = c;
    st->cases = c;
    st->load += weight;
    ts->load += weight;
    track_load(ts, slot);
}

static void drop_case(pw_worker *w, pw_child *c)
{
    pw_staff *st = &w->teams[c->worker_team].staff[c->worker_slot];
    if (c->case_prev)
        c->case_prev->case_next = c->case_next;
    else
        st->cases = c->case_next;
    if (c->case_next)
        c->case_next->case_prev = c->case_prev;
    c->case_next = c->case_prev = NULL;
    st->load -= c->weight;
    w->teams[c->worker_team].load -= c->weight;
    if (st->load < 1e-9)
        st->load = 0.0;
    c->allocated = 0;
    track_load(&w->teams[c->worker_team], c->worker_slot);
}

/* choose by scanning the team: the reference the trees must agree with. */
static uint32_t choose_scan(const pw_team_state *ts, double weight, bool soft)
{
    uint32_t best = UINT32_MAX;
    double best_room = -INFINITY;
    for (uint32_t i = 0; i < ts->n_slots; i++) {
        const pw_staff *st = &ts->staff[i];
        if (!has_room(ts, st, weight))
            continue;
        double room = capacity_of(ts, st) - st->load;
        if (room > best_room) {
            best_room = room;
            best = i;
        }
    }
    if (best != UINT32_MAX || !soft)
        return best;
    /* Nobody has room: the least loaded relative to capacity, present first. */
    double best_ratio = INFINITY;
    for (int pass = 0; pass < 2 && best == UINT32_MAX; pass++)
        for (uint32_t i = 0; i < ts->n_slots; i++) {
            const pw_staff *st = &ts->staff[i];
            if (st->kind == STAFF_NONE || (pass == 0 && st->absent))
                continue;
            double ratio = (st->load + weight) / ratio_base(capacity_of(ts, st));
            if (ratio < best_ratio) {
                best_ratio = ratio;
                best = i;
            }
        }
    return best;
}

/*
 * choose_scan from the trees, in O(1). With exact loads, room (capacity -
 * load) and the load ratio (load + weight) / capacity both order the people
 * of one class as their load does, ties included; so each scan's answer is
 * one of the two class winners, taken in index order as the scan does. If
 * the one with most room has none, nobody has: has_room is room >= weight
 * exactly. Only "everyone is absent" (the scan's second pass) needs the scan.
 */
static uint32_t choose_tree(const pw_team_state *ts, double weight, bool soft)
{
    uint64_t ka = mintree_min(&ts->least[0]), kb = mintree_min(&ts->least[1]);
    uint32_t a = ka == MINTREE_EMPTY ? UINT32_MAX : (uint32_t)ka; /* the slot, in the low bits */
    uint32_t b = kb == MINTREE_EMPTY ? UINT32_MAX : (uint32_t)kb;
    if (a == UINT32_MAX || (b != UINT32_MAX && b < a)) {
        uint32_t x = a;
        a = b;
        b = x;
    }
    if (a == UINT32_MAX)
        return soft ? choose_scan(ts, weight, soft) : UINT32_MAX;
    const pw_staff *sa = &ts->staff[a], *sb = b != UINT32_MAX ? &ts->staff[b] : NULL;
    uint32_t best = a;
    if (sb != NULL && capacity_of(ts, sb) - sb->load > capacity_of(ts, sa) - sa->load)
        best = b;
    if (has_room(ts, &ts->staff[best], weight))
        return best;
    if (!soft)
        return UINT32_MAX;
    if (sb != NULL && (sb->load + weight) / ratio_base(capacity_of(ts, sb)) <
                          (sa->load + weight) / ratio_base(capacity_of(ts, sa)))
        return b;
    return a;
}

/* The slot to give a case of weight to, or UINT32_MAX. */
static inline uint32_t choose(const pw_worker *w, uint32_t ti, const pw_child *c, double weight,
                              bool soft)
{
    const pw_team_state *ts = &w->teams[ti];
    if (c->worker_team == ti && c->worker_slot < ts->n_slots) {
        const pw_staff *prev = &ts->staff[c->worker_slot];
        if (prev->gen == c->worker_gen && has_room(ts, prev, weight))
            return c->worker_slot;
    }
    return ts->exact ? choose_tree(ts, weight, soft) : choose_scan(ts, weight, soft);
}

/* Waiting cases, first come first served, while someone has room. */
static void allocate_waiting(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    const pw_team *t = &w->m->teams[ti];
    while (ts->wait_head != NULL && w->rc == 0) {
        pw_child *c = ts->wait_head;
        double weight = w->m->stages[c->pending].case_weight;
        uint32_t slot = choose(w, ti, c, weight, false);
        if (slot == UINT32_MAX)
            break;
        ts->wait_head = c->case_next;
        if (ts->wait_head)
            ts->wait_head->case_prev = NULL;
        else
            ts->wait_tail = NULL;
        c->case_next = c->case_prev = NULL;
        ts->waiting--;
        int rc = sim_withdraw(w->s, &c->base);
        if (rc == 0) {
            pw_count_kpi_value(w, t->kpi_wait, sim_now(w->s) - c->wanted_at);
            hold_case(w, ti, slot, c, weight);
            rc = pw_admit(w, c, c->pending);
        }
        if (rc != 0)
            pw_fail(w, rc);
    }
    update_case_levels(w, ti);
}

static void reallocate_cases(pw_worker *w, uint32_t ti, uint32_t slot)
{
    pw_staff *st = &w->teams[ti].staff[slot];
    while (st->cases != NULL) {
        pw_child *c = st->cases;
        double weight = c->weight;
        drop_case(w, c);
        uint32_t to = choose(w, ti, c, weight, true);
        if (to == UINT32_MAX || to == slot) {
            /* Nobody else: the case stays unheld until its stage ends. */
            c->worker_team = PW_NO_TEAM;
            continue;
        }
        hold_case(w, ti, to, c, weight);
    }
}

static void rebalance_agency(pw_worker *w, uint32_t ti)
{
    const pw_team *t = &w->m->teams[ti];
    pw_team_state *ts = &w->teams[ti];
    double gap = fmax(0.0, ts->funded - ts->permanent);
    uint32_t target = (uint32_t)lround(ts->agency_fill * gap);
    while (ts->agency + ts->agency_pending < target && w->rc == 0) {
        ts->agency_pending++;
        double at = sim_now(w->s) + dist_sample(&t->agency_delay, ts->recruit_rng);
        if (at < w->m->sc->horizon_days) {
            int rc = sim_schedule(w->s, at, EV_AGENCY_STARTS, NULL, ti);
            if (rc != 0)
                pw_fail(w, rc);
        }
    }
    while (ts->agency > target) {
        /* The agency worker with the fewest cases goes first. */
        uint32_t pick = UINT32_MAX;
        for (uint32_t i = 0; i < ts->n_slots; i++)
            if (ts->staff[i].kind == STAFF_AGENCY &&
                (pick == UINT32_MAX || ts->staff[i].load < ts->staff[pick].load))
                pick = i;
        CHECK(pick != UINT32_MAX);
        set_kind(ts, &ts->staff[pick], STAFF_NONE); /* no longer a candidate for its cases */
        reallocate_cases(w, ti, pick);
        ts->staff[pick].gen++;
        ts->agency--;
    }
}

static int start_round(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    ts->rounds++;
    double at = sim_now(w->s) + dist_sample(&w->m->teams[ti].recruit_delay, ts->recruit_rng);
    return at < w->m->sc->horizon_days ? sim_schedule(w->s, at, EV_RECRUITED, NULL, ti) : 0;
}

/* Rounds under way for every vacant permanent post. */
static int start_rounds(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    int rc = 0;
    while (rc == 0 && ts->permanent + ts->rounds < round(ts->established))
        rc = start_round(w, ti);
    return rc;
}

/* ---- events ------------------------------------------------------------------------ */

static int on_staff_leaves(pw_worker *w, uint32_t ti, uint32_t slot)
{
    pw_team_state *ts = &w->teams[ti];
    pw_staff *st = &ts->staff[slot];
    if (st->kind != STAFF_PERMANENT || st->leaves_at != sim_now(w->s))
        return 0; /* stale: the person left earlier or the stay was redrawn */
    set_kind(ts, st, STAFF_NONE);
    reallocate_cases(w, ti, slot);
    st->gen++;
    ts->permanent--;
    int rc = start_rounds(w, ti);
    rebalance_agency(w, ti);
    allocate_waiting(w, ti);
    return rc;
}

static int on_recruited(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    ts->rounds--;
    if (ts->permanent >= round(ts->established))
        return 0; /* filled meanwhile (a trainee qualified) */
    int rc;
    if (rng_uniform(ts->recruit_rng) >= ts->fill_p)
        return start_round(w, ti);
    if ((rc = add_staff(w, ti, STAFF_PERMANENT)) != 0)
        return rc;
    rebalance_agency(w, ti);
    allocate_waiting(w, ti);
    return 0;
}

static int on_agency_starts(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    ts->agency_pending--;
    double gap = fmax(0.0, ts->funded - ts->permanent);
    if (ts->agency >= (uint32_t)lround(ts->agency_fill * gap))
        return 0; /* no longer needed */
    int rc = add_staff(w, ti, STAFF_AGENCY);
    if (rc == 0)
        allocate_waiting(w, ti);
    return rc;
}

static int on_absence(pw_worker *w, uint32_t ti, uint32_t slot)
{
    pw_staff *st = &w->teams[ti].staff[slot];
    if (st->kind == STAFF_NONE || st->absence_at != sim_now(w->s))
        return 0;
    ts_absent_toggle(&w->teams[ti], st);
    int rc = schedule_absence(w, ti, slot);
    allocate_waiting(w, ti);
    return rc;
}

static int on_qualified(pw_worker *w, uint32_t ti, uint32_t slot)
{
    pw_team_state *ts = &w->teams[ti];
    pw_staff *st = &ts->staff[slot];
    if (st->kind != STAFF_TRAINEE || st->qualifies_at != sim_now(w->s))
        return 0;
    set_kind(ts, st, STAFF_PERMANENT);
    ts->trainees--;
    ts->permanent++;
    int rc = schedule_leaving(w, ti, slot);
    rebalance_agency(w, ti);
    allocate_waiting(w, ti);
    return rc;
}

static int schedule_intake(pw_worker *w, uint32_t ti)
{
    pw_team_state *ts = &w->teams[ti];
    if (ts->intake <= 0.0)
        return 0;
    double at = sim_now(w->s) + gsl_ran_exponential(ts->recruit_rng, DAYS_PER_YEAR / ts->intake);
    return at < w->m->sc->horizon_days ? sim_schedule(w->s, at, EV_TRAINEE_INTAKE, NULL, ti) : 0;
}

static int on_change(pw_worker *w, uint32_t ti, uint32_t k)
{
    const pw_team_change *ch = &w->m->teams[ti].changes[k];
    pw_team_state *ts = &w->teams[ti];
    int rc = 0;
    if (!isnan(ch->established))
        ts->established = ch->established;
    ts->posts = round(ts->established);
    if (!isnan(ch->funded_ratio) || !isnan(ch->established))
        ts->funded =
            ts->established *
            (isnan(ch->funded_ratio) ? ts->funded / fmax(ts->established, 1e-9) : ch->funded_ratio);
    if (!isnan(ch->agency_fill))
        ts->agency_fill = ch->agency_fill;
    if (!isnan(ch->fill_p))
        ts->fill_p = ch->fill_p;
    if (!isnan(ch->cap))
        set_cap(ts, &w->m->teams[ti], ch->cap);
    if (!isnan(ch->intake)) {
        bool was = ts->intake > 0.0;
        ts->intake = ch->intake;
        if (!was)
            rc = schedule_intake(w, ti);
    }
    if (!isnan(ch->turnover)) {
        /* Exponential stays: redrawing what remains at the new rate is exact. */
        ts->turnover = ch->turnover;
        for (uint32_t i = 0; i < ts->n_slots && rc == 0; i++)
            if (ts->staff[i].kind == STAFF_PERMANENT)
                rc = schedule_leaving(w, ti, i);
    }
    if (rc == 0)
        rc = start_rounds(w, ti);
    rebalance_agency(w, ti);
    allocate_waiting(w, ti);
    return rc;
}

int pw_wf_event(pw_worker *w, const heap_event *ev)
{
    uint32_t ti = ev->arg >> 24, slot = ev->arg & 0xffffff;
    int rc;
    switch (heap_event_kind(ev)) {
    case EV_STAFF_LEAVES:
        rc = on_staff_leaves(w, ti, slot);
        break;
    case EV_RECRUITED:
        ti = ev->arg;
        rc = on_recruited(w, ti);
        break;
    case EV_AGENCY_STARTS:
        ti = ev->arg;
        rc = on_agency_starts(w, ti);
        break;
    case EV_ABSENCE:
        rc = on_absence(w, ti, slot);
        break;
    case EV_TRAINEE_INTAKE:
        ti = ev->arg;
        rc = add_staff(w, ti, STAFF_TRAINEE);
        if (rc == 0)
            rc = schedule_intake(w, ti);
        if (rc == 0)
            allocate_waiting(w, ti);
        break;
    case EV_QUALIFIED:
        rc = on_qualified(w, ti, slot);
        break;
    case EV_TEAM_CHANGE:
        ti = ev->arg >> 16;
        rc = on_change(w, ti, ev->arg & 0xffff);
        break;
    default:
        return sim_error(w->s, ERR_INPUT, "workforce: event of unknown kind %u",
                         heap_event_kind(ev));
    }
    if (rc == 0 && w->rc == 0)
        update_levels(w, ti);
    return rc != 0 ? rc : w->rc;
}

/* ---- cases entering and leaving ----------------------------------------------------- */

uint32_t pw_wf_enter(pw_worker *w, pw_child *c, uint32_t stage, bool *admitted)
{
    const pw_stage *st = &w->m->stages[stage];
    *admitted = true;
    c->wanted_at = sim_now(w->s);
    if (st->team < 0)
        return stage;
    uint32_t ti = (uint32_t)st->team;
    const pw_team *t = &w->m->teams[ti];
    pw_team_state *ts = &w->teams[ti];
    uint32_t slot = ts->wait_head != NULL && t->hard_cap
                        ? UINT32_MAX /* first come, first served: join the queue */
                        : choose(w, ti, c, st->case_weight, !t->hard_cap);
    if (slot != UINT32_MAX) {
        hold_case(w, ti, slot, c, st->case_weight);
        update_case_levels(w, ti);
        return stage;
    }
    *admitted = false;
    c->pending = stage;
    c->case_next = NULL;
    c->case_prev = ts->wait_tail;
    if (ts->wait_tail)
        ts->wait_tail->case_next = c;
    else
        ts->wait_head = c;
    ts->wait_tail = c;
    ts->waiting++;
    update_case_levels(w, ti);
    return t->unalloc_node;
}

/* A waiting case leaves the queue without being allocated (turning 18). */
void pw_wf_unqueue(pw_worker *w, pw_child *c)
{
    uint32_t ti = (uint32_t)w->m->stages[c->pending].team;
    pw_team_state *ts = &w->teams[ti];
    if (c->case_prev)
        c->case_prev->case_next = c->case_next;
    else
        ts->wait_head = c->case_next;
    if (c->case_next)
        c->case_next->case_prev = c->case_prev;
    else
        ts->wait_tail = c->case_prev;
    c->case_next = c->case_prev = NULL;
    ts->waiting--;
    update_case_levels(w, ti);
}

void pw_wf_leave(pw_worker *w, pw_child *c, uint32_t stage)
{
    int32_t team = w->m->stages[stage].team;
    if (team < 0)
        return;
    if (c->allocated && c->worker_team != PW_NO_TEAM)
        drop_case(w, c);
    c->allocated = 0;
    c->overloaded = 0;
    /* Under a soft cap nobody waits: then only the levels change. */
    if (w->teams[team].wait_head != NULL)
        allocate_waiting(w, (uint32_t)team);
    else
        update_case_levels(w, (uint32_t)team);
}

/* ---- a replication's start ------------------------------------------------------------ */

int pw_wf_worker_init(pw_worker *w)
{
    const pw_model *m = w->m;
    if (m->n_teams == 0)
        return 0;
    w->teams = mem_calloc(m->n_teams, sizeof *w->teams);
    if (w->teams == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < m->n_teams; i++) {
        pw_team_state *ts = &w->teams[i];
        ts->turnover_rng = rng_open(1);
        ts->recruit_rng = rng_open(1);
        ts->absence_rng = rng_open(1);
        if (!ts->turnover_rng || !ts->recruit_rng || !ts->absence_rng)
            return ERR_NOMEM;
        mintree_init(&ts->least[0]);
        mintree_init(&ts->least[1]);
        /* Multiples of 1/1024 up to 100 add and subtract without rounding. */
        ts->exact_weights = true;
        for (size_t k = 0; k < m->n_stages; k++) {
            double x = m->stages[k].case_weight * 1024.0;
            if (m->stages[k].team == (int32_t)i && x != floor(x))
                ts->exact_weights = false;
        }
    }
    return 0;
}

void pw_wf_worker_fini(pw_worker *w)
{
    for (size_t i = 0; w->teams != NULL && i < w->m->n_teams; i++) {
        gsl_rng_free(w->teams[i].turnover_rng);
        gsl_rng_free(w->teams[i].recruit_rng);
        gsl_rng_free(w->teams[i].absence_rng);
        mem_free(w->teams[i].staff);
        mintree_fini(&w->teams[i].least[0]);
        mintree_fini(&w->teams[i].least[1]);
    }
    mem_free(w->teams);
    w->teams = NULL;
}

size_t pw_wf_streams(pw_worker *w, uint32_t rep, gsl_rng **r, unsigned long *seed)
{
    const pw_model *m = w->m;
    size_t n = 0;
    for (uint32_t ti = 0; ti < m->n_teams; ti++) {
        const char *name = m->teams[ti].name;
        pw_team_state *ts = &w->teams[ti];
        r[n] = ts->turnover_rng;
        seed[n++] = rng_seed_for(m->sc->seed, rep, "turnover", name);
        r[n] = ts->recruit_rng;
        seed[n++] = rng_seed_for(m->sc->seed, rep, "recruit", name);
        r[n] = ts->absence_rng;
        seed[n++] = rng_seed_for(m->sc->seed, rep, "absence", name);
    }
    return n;
}

int pw_wf_start(pw_worker *w)
{
    const pw_model *m = w->m;
    int rc = 0;
    for (uint32_t ti = 0; ti < m->n_teams && rc == 0; ti++) {
        const pw_team *t = &m->teams[ti];
        pw_team_state *ts = &w->teams[ti];
        for (uint32_t i = 0; i < ts->n_slots; i++) {
            uint32_t gen = ts->staff[i].gen + 1;
            memset(&ts->staff[i], 0, sizeof ts->staff[i]);
            ts->staff[i].gen = gen;
        }
        mintree_clear(&ts->least[0]);
        mintree_clear(&ts->least[1]);
        ts->exact = ts->exact_weights;
        ts->permanent = ts->agency = ts->trainees = ts->rounds = ts->agency_pending = 0;
        ts->wait_head = ts->wait_tail = NULL;
        ts->waiting = 0;
        ts->present = 0;
        ts->load = 0.0;
        ts->established = t->established;
        ts->posts = round(ts->established);
        ts->funded = t->established * t->funded_ratio;
        ts->agency_fill = t->agency_fill;
        ts->turnover = t->turnover;
        ts->fill_p = t->fill_p;
        set_cap(ts, t, t->cap);
        ts->intake = t->intake;
        long in_post = lround(round(t->established) * (1.0 - t->vacancy_at_start));
        for (long i = 0; i < in_post && rc == 0; i++)
            rc = add_staff(w, ti, STAFF_PERMANENT);
        /* Agency staff already in post on day 0, then rounds for the vacancies. */
        uint32_t target = (uint32_t)lround(ts->agency_fill * fmax(0.0, ts->funded - ts->permanent));
        for (uint32_t i = 0; i < target && rc == 0; i++)
            rc = add_staff(w, ti, STAFF_AGENCY);
        if (rc == 0)
            rc = start_rounds(w, ti);
        if (rc == 0)
            rc = schedule_intake(w, ti);
        for (size_t k = 0; k < t->n_changes && rc == 0; k++)
            if (t->changes[k].at < m->sc->horizon_days)
                rc = sim_schedule(w->s, t->changes[k].at, EV_TEAM_CHANGE, NULL,
                                  ti << 16 | (uint32_t)k);
        update_levels(w, ti);
    }
    return rc;
}
