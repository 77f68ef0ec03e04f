/*
 * headline — the table of measures a report leads with (see headline.h).
 */
#include "headline.h"

#include <string.h>

#define ROW(m, s, l, k, g)                                                                         \
    {                                                                                              \
        m, s, I18N_##l, HEADLINE_##k, HEADLINE_G_##g                                               \
    }

static const headline rows[] = {
    ROW("flow.contacts", "flow.contacts", M_CONTACTS, FLOW, FLOWS),
    ROW("flow.assessments", "flow.assessments", M_ASSESSMENTS, FLOW, FLOWS),
    ROW("flow.strategy_meetings", "flow.strategy_meetings", M_STRATEGY_MEETINGS, FLOW, FLOWS),
    ROW("flow.s47_enquiries", "flow.s47_enquiries", M_S47, FLOW, FLOWS),
    ROW("flow.cp_registrations", "flow.cp_registrations", M_CP_REGISTRATIONS, FLOW, FLOWS),
    ROW("flow.care_entries", "flow.care_entries", M_CARE_ENTRIES, FLOW, FLOWS),
    ROW("flow.care_exits", "flow.care_exits", M_CARE_EXITS, FLOW, FLOWS),
    ROW("stock.early_help.end", "stock.early_help", M_EARLY_HELP, STOCK, STOCKS),
    ROW("stock.care_and_support.end", "stock.care_and_support", M_CARE_AND_SUPPORT, STOCK, STOCKS),
    ROW("stock.cp_register.end", "stock.cp_register", M_CP_REGISTER, STOCK, STOCKS),
    ROW("stock.looked_after.end", "stock.looked_after", M_LOOKED_AFTER, STOCK, STOCKS),
    ROW("kpi.screened_within_1_day", "kpi.screened_within_1_day", K_SCREENED, SHARE, KPIS),
    ROW("kpi.assessments_within_timescale", "kpi.assessments_within_timescale", K_ASSESSMENTS,
        SHARE, KPIS),
    ROW("kpi.icpc_within_15_days", "kpi.icpc_within_15_days", K_ICPC, SHARE, KPIS),
    ROW("kpi.cp_reviews_within_timescale", "kpi.cp_reviews_within_timescale", K_CP_REVIEWS, SHARE,
        KPIS),
    ROW("kpi.unallocated_cases", "kpi.unallocated_cases", W_UNALLOCATED, COUNT, WORKFORCE),
    ROW("cost.total", "cost.total", W_COST_TOTAL, MONEY, WORKFORCE),
    ROW("cost.staff", "cost.staff", W_COST_STAFF, MONEY, WORKFORCE),
    ROW("cost.agency", "cost.agency", W_COST_AGENCY, MONEY, WORKFORCE),
    ROW("cost.placements", "cost.placements", W_COST_PLACEMENTS, MONEY, WORKFORCE),
    ROW("cost.interventions", "cost.interventions", W_COST_INTERVENTIONS, MONEY, WORKFORCE),
};

#undef ROW

const headline *headline_all(size_t *n)
{
    *n = sizeof rows / sizeof rows[0];
    return rows;
}

const headline *headline_find(const char *metric)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].metric, metric) == 0)
            return &rows[i];
    return NULL;
}

const headline *headline_find_series(const char *stem)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].series, stem) == 0)
            return &rows[i];
    return NULL;
}
