/*
 * pathway_output — the replications' vectors as CSV for people and gnuplot,
 * and the warnings a run's results call for (a stage whose places cannot
 * serve its demand).
 *
 * Every number is a mean across replications with its 95% confidence
 * interval (Student t, stat.h); with one replication the interval is NA.
 * Columns of timeseries.csv and annual.csv come in threes, M, M.ci95_low,
 * M.ci95_high, so `plot "timeseries.csv" using 1:"stock.looked_after"` works
 * with gnuplot's columnheader names. Output depends only on the vectors, so
 * it is byte-identical whatever the number of threads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "mem.h"
#include "pathway/pathway_internal.h"
#include "stat.h"

/*
 * Statistical disclosure control (--suppress-below N): a figure that counts
 * children and whose mean is above 0 but below N is written as NA, as
 * published statistics suppress small numbers. Counts of children are the
 * flows, stocks, stage counts and placements; a rate per 10,000 is
 * suppressed when the count behind it is. Shares and costs are left alone.
 */
static bool suppressed(const pw_model *m, const char *name, double mean)
{
    if (m->suppress_below <= 0.0 || !(mean > 0.0))
        return false;
    size_t len = strlen(name);
    const char *tail = "_per_10k";
    size_t tl = strlen(tail);
    if (len > tl && strcmp(name + len - tl, tail) == 0)
        return m->population > 0 && mean * m->population / 1e4 < m->suppress_below;
    bool count = strncmp(name, "flow.", 5) == 0 || strncmp(name, "stock.", 6) == 0 ||
                 strncmp(name, "placements.", 11) == 0 ||
                 (strncmp(name, "stage.", 6) == 0 &&
                  (strstr(name, ".entries") || strstr(name, ".exits") || strstr(name, ".end")));
    return count && mean < m->suppress_below;
}

void pw_set_suppression(pw_model *m, double below)
{
    m->suppress_below = below;
}

void pw_write_summary(const pw_model *m, const double *results, size_t reps, FILE *fp)
{
    if (m->suppress_below <= 0.0) {
        csv_write_summary_strided(fp, (const char *const *)m->summary_names, m->n_summary, results,
                                  reps, m->width);
        return;
    }
    fputs("metric,mean,ci95_low,ci95_high,sd,n\n", fp);
    for (size_t i = 0; i < m->n_summary; i++) {
        stat_ci ci = stat_ci_compute(results + i, reps, m->width, 0.95);
        bool hide = suppressed(m, m->summary_names[i], ci.mean);
        double cols[4] = {ci.mean, ci.low, ci.high, ci.sd};
        fputs(m->summary_names[i], fp);
        for (int c = 0; c < 4; c++) {
            fputc(',', fp);
            csv_put_num(fp, hide ? NAN : cols[c]);
        }
        fprintf(fp, ",%zu\n", reps);
    }
}

const char *pw_series_name(const pw_model *m, size_t i)
{
    if (i < m->n_flows)
        return m->flow_names[i];
    i -= m->n_flows;
    if (i < m->n_stocks)
        return m->stocks[i].name;
    i -= m->n_stocks;
    if (i < m->n_kpis)
        return m->kpis[i].name;
    return m->derived[i - m->n_kpis].name;
}

static void write_header(const pw_model *m, const char *first, FILE *fp)
{
    fputs(first, fp);
    for (size_t i = 0; i < m->n_series; i++) {
        const char *n = pw_series_name(m, i);
        fprintf(fp, ",%s,%s.ci95_low,%s.ci95_high", n, n, n);
    }
    fputc('\n', fp);
}

/* The series of row `row` (a month, or n_months + a year) with their CIs. */
static void write_row(const pw_model *m, const double *results, size_t reps, size_t row, FILE *fp)
{
    const double *base = results + m->n_summary + row * m->n_series;
    for (size_t i = 0; i < m->n_series; i++) {
        stat_ci ci = stat_ci_compute(base + i, reps, m->width, 0.95);
        bool hide = suppressed(m, pw_series_name(m, i), ci.mean);
        double cols[3] = {ci.mean, ci.low, ci.high};
        for (int c = 0; c < 3; c++) {
            fputc(',', fp);
            csv_put_num(fp, hide ? NAN : cols[c]);
        }
    }
    fputc('\n', fp);
}

void pw_write_timeseries(const pw_model *m, const double *results, size_t reps, FILE *fp)
{
    write_header(m, "date", fp);
    for (size_t k = 0; k < m->n_months; k++) {
        char date[11];
        cal_format_date(m->month_last_day[k], date);
        fputs(date, fp);
        write_row(m, results, reps, k, fp);
    }
}

void pw_write_annual(const pw_model *m, const double *results, size_t reps, FILE *fp)
{
    write_header(m, "financial_year,date", fp);
    for (size_t y = 0; y < m->n_years; y++) {
        char date[11];
        cal_format_date(m->month_last_day[m->year_last_month[y]], date);
        fprintf(fp, "%d/%02d,%s", m->year_start[y], (m->year_start[y] + 1) % 100, date);
        write_row(m, results, reps, m->n_months + y, fp);
    }
}

void pw_write_events(const pw_model *m, FILE *fp)
{
    fputs("replication,day,date,child,event,from,to\n", fp);
    for (uint32_t r = 0; m->event_log != NULL && r < m->replications; r++)
        if (m->event_log[r] != NULL)
            fwrite(m->event_log[r], 1, m->event_len[r], fp);
}

static const char *target_label(const pw_model *m, uint32_t t)
{
    return PW_IS_EXIT(t) ? m->exits[PW_EXIT_INDEX(t)].name : m->stages[t].name;
}

void pw_describe(const pw_model *m, FILE *fp)
{
    const scenario *sc = m->sc;
    char start[11];
    cal_format_date(m->start_day, start);
    fprintf(fp, "pathway scenario '%s': from %s for %g days (%zu months, %zu financial years)\n",
            sc->name, start, sc->horizon_days, m->n_months, m->n_years);
    if (sc->description[0] != '\0')
        fprintf(fp, "  %s\n", sc->description);
    fprintf(fp, "  replications %u, seed %llu, warm-up %g days\n", sc->replications,
            (unsigned long long)sc->seed, sc->warmup_days);
    fprintf(fp,
            "contacts: %.6g a year (growth %.3g%% a year) into '%s'; expected over the run: "
            "%.6g\n",
            m->contacts_per_year, 100 * m->growth_per_year, m->stages[m->contacts_to].name,
            nhpp_expected(m->contacts, 0.0, sc->horizon_days));
    fprintf(fp, "stages:\n");
    for (size_t i = 0; i < m->n_stages; i++) {
        const pw_stage *st = &m->stages[i];
        char servers[32];
        if (st->servers == 0)
            snprintf(servers, sizeof servers, "unlimited");
        else
            snprintf(servers, sizeof servers, "%u places", st->servers);
        fprintf(fp, "  %-26s %-12s mean duration %8.4g days%s; on day 0: %lld\n", st->name, servers,
                dist_mean(&st->durations[st->n_durations - 1].d),
                st->n_durations > 1 ? " (default variant)" : "", (long long)st->initial);
        for (size_t k = 0; k < st->n_outcomes; k++)
            fprintf(fp, "      -> %-22s p = %.4g\n", target_label(m, st->outcomes[k].to),
                    st->outcomes[k].p);
        for (size_t k = 0; k < st->n_rules; k++)
            fprintf(fp, "      rule -> %-17s p = %.4g when %s\n", target_label(m, st->rules[k].to),
                    st->rules[k].p, st->rules[k].when ? expr_text(st->rules[k].when) : "always");
    }
    fprintf(fp, "exits:");
    for (size_t i = 0; i < m->n_exits; i++)
        fprintf(fp, " %s%s", m->exits[i].name,
                m->exits[i].rereferral_p > 0 ? " (re-referrals)" : "");
    fprintf(fp, "\nmetrics: %zu in summary.csv; %zu series by month and financial year\n",
            m->n_summary, m->n_series);
}

size_t pw_n_series(const pw_model *m)
{
    return m->n_series;
}

size_t pw_n_months(const pw_model *m)
{
    return m->n_months;
}

/*
 * Capacity after a run (pw_write_capacity_warnings). Rules make a stage's
 * flows depend on the children, so unlike a network node's (sim/scenario.c)
 * its load cannot be checked before running; it is judged from each
 * replication's stage.S.offered_load (pathway_run.c) with the interval
 * summary.csv gives:
 *   - "cannot serve its demand" when the interval's lower end is 1 or more
 *     (with one replication, the value): demand exceeds the places beyond
 *     the replications' noise (one-sided 97.5%), so the queue grows without
 *     bound unless families give up. The mean alone would call 1.00 [0.98,
 *     1.02] an overload on a coin toss;
 *   - "at or near capacity" when the mean is CAP_NEAR or more, or the
 *     interval reaches 1: overload is not ruled out, a yearly mean of 0.95
 *     under a monthly profile of +-10% (Bridgend's) is over 1 in the busiest
 *     months, and a queue that close to 1 takes longer than most runs to
 *     settle.
 * The second signal says whether the horizon matters: the number in the
 * stage at the end minus its time average over the window (stage.S.end -
 * stage.S.L), per replication, with its own 95% interval. When the number
 * grows linearly the time average is its value at mid-window, so this is the
 * end-against-mid-window comparison with one snapshot's noise instead of
 * two, from numbers every run keeps (no event at mid-window). Once the
 * places are full the number in service is constant, so the growth is the
 * queue's. In a steady state its mean is 0, so an interval above 0 means the
 * stage is still filling; that alone is no overload (a warm start below its
 * equilibrium also fills), so it only qualifies a verdict the load gave.
 */
#define CAP_NEAR 0.95

static void put_load(FILE *fp, stat_ci ci)
{
    if (isnan(ci.low))
        fprintf(fp, "%.3g", ci.mean);
    else
        fprintf(fp, "%.3g [%.3g, %.3g]", ci.mean, ci.low, ci.high);
}

/* The mean and 95% interval of stage.S.end - stage.S.L over the replications,
 * as summary.csv summarises a metric (stat_ci_compute: NaN low and high with
 * one replication, all NaN if any is undefined). All NaN too if the
 * differences cannot be held: the growth only qualifies a warning the load
 * gave, so the warning is still written, without it. */
static stat_ci growth_of(const double *end, const double *L, size_t reps, size_t stride)
{
    double *g = mem_alloc(reps * sizeof *g);
    if (g == NULL)
        return (stat_ci){.n = 0, .mean = NAN, .sd = NAN, .low = NAN, .high = NAN};
    for (size_t r = 0; r < reps; r++)
        g[r] = end[r * stride] - L[r * stride];
    stat_ci ci = stat_ci_compute(g, reps, 1, 0.95);
    mem_free(g);
    return ci;
}

static void put_capacity_line(FILE *fp, const char *prefix, const pw_stage *st, stat_ci load,
                              bool over, stat_ci growth, double suppress_below)
{
    bool session = st->session_every > 0.0;
    fprintf(fp, "%s%s:%d: warning: stage '%s' %s needs ", prefix, st->places_file, st->places_line,
            st->name, over ? "cannot serve its demand: it" : "is at or near capacity: its demand");
    put_load(fp, load);
    fprintf(fp, " times its %u places%s (offered load%s)",
            session ? st->session_capacity : st->servers, session ? " a session" : "",
            isnan(load.low) ? ", one replication" : ", 95% CI");
    if (growth.low > 0.0) {
        fputs("; the number there grows through the run (", fp);
        /* A count of children, so --suppress-below hides it as summary.csv
         * would. */
        if (suppress_below > 0.0 && growth.mean < suppress_below)
            fprintf(fp, "fewer than %g", suppress_below);
        else
            put_load(fp, growth);
        fputs(" more at the end than on average): waits and numbers there depend on the horizon",
              fp);
    } else if (over) {
        fputs(st->has_patience ? "; its queue is held down only by families giving up waiting"
                               : "; waits and numbers there are not a steady state",
              fp);
    } else {
        fputs("; waits there are sensitive to small changes in demand", fp);
    }
    fputc('\n', fp);
}

size_t pw_write_capacity_warnings(const pw_model *m, const double *results, size_t reps,
                                  const char *prefix, FILE *fp)
{
    size_t lines = 0;
    for (size_t s = 0; s < m->n_stages && reps > 0; s++) {
        const double *x = results + pw_summary_stage_base(m) + s * PW_STAGE_METRICS;
        stat_ci load = stat_ci_compute(x + PW_SM_OFFERED_LOAD, reps, m->width, 0.95);
        if (isnan(load.mean))
            continue; /* unlimited places */
        bool over = isnan(load.low) ? load.mean >= 1.0 : load.low >= 1.0;
        bool near = load.mean >= CAP_NEAR || load.high >= 1.0;
        if (!over && !near)
            continue;
        stat_ci growth = growth_of(x + PW_SM_END, x + PW_SM_L, reps, m->width);
        put_capacity_line(fp, prefix, &m->stages[s], load, over, growth, m->suppress_below);
        lines++;
    }
    return lines;
}
