/*
 * i18n — every word caseflow's report and charts show a reader, in English
 * and in Welsh.
 *
 * One table per language (i18n.c), each a static array indexed by the key, so
 * a council can correct a translation in one place. The keys are listed once,
 * below, with a note of what each string is for; tests/test_report.c checks
 * that every key has a non-empty string in every language, that a Welsh string
 * never just repeats the English (unless i18n_same_ok says it may), and that
 * the printf conversions (%s, %u, %%) of the two agree, so an edited
 * translation cannot break a format.
 *
 * Adding a string: add a key to I18N_KEYS, then an entry to both tables.
 * Thread-safety: read-only data.
 */
#ifndef CASEFLOW_I18N_H
#define CASEFLOW_I18N_H

#include <stdbool.h>

/* X(key, kind): the keys, grouped by where they appear. kind is FMT for a
 * printf format (its conversions noted) and TEXT for a string shown as it is. */
#define I18N_KEYS(X)                                                                               \
    /* the page */                                                                                 \
    X(PAGE_TITLE, TEXT)         /* heading of a run's report */                                    \
    X(PAGE_TITLE_COMPARE, TEXT) /* heading of a comparison's report */                             \
    X(PAGE_SCENARIO, TEXT)      /* "Scenario" label before the scenario's name */                  \
    X(PAGE_PRODUCED, FMT)       /* %s version */                                                   \
    X(PAGE_PERIOD, FMT)         /* %s first day, %s last day */                                    \
    X(PAGE_RUNS, FMT)           /* %u replications */                                              \
    X(HEADLINE_HEADING, TEXT)                                                                      \
    X(HEADLINE_INTRO, FMT)      /* %u replications */                                              \
    X(INTERVALS_SENTENCE, TEXT) /* what the confidence intervals mean, and do not */               \
    X(COL_MEASURE, TEXT)        /* table column headings */                                        \
    X(COL_MEAN, TEXT)                                                                              \
    X(COL_CI, TEXT)                                                                                \
    X(COL_PER_10K, TEXT)                                                                           \
    X(ROWS_FLOWS, FMT)  /* %s first day, %s last day */                                            \
    X(ROWS_STOCKS, FMT) /* %s day */                                                               \
    X(ROWS_KPIS, TEXT)                                                                             \
    X(ROWS_WORKFORCE, TEXT)                                                                        \
    X(NOT_AVAILABLE, TEXT) /* a figure the run did not produce */                                  \
    X(FY_HEADING, TEXT)                                                                            \
    X(FY_INTRO, TEXT)                                                                              \
    X(CHARTS_HEADING, TEXT)                                                                        \
    X(CHARTS_INTRO, TEXT)                                                                          \
    X(ASSUMPTIONS_HEADING, TEXT)                                                                   \
    X(ASSUMPTIONS_INTRO, TEXT)                                                                     \
    X(A_START, TEXT) /* assumptions: labels */                                                     \
    X(A_LENGTH, TEXT)                                                                              \
    X(A_LENGTH_VALUE, FMT) /* %s days, %s last day */                                              \
    X(A_WARMUP, TEXT)                                                                              \
    X(A_DAYS, FMT) /* %s days */                                                                   \
    X(A_REPLICATIONS, TEXT)                                                                        \
    X(A_SEED, TEXT)                                                                                \
    X(A_POPULATION, TEXT)                                                                          \
    X(A_CONTACTS, TEXT)                                                                            \
    X(A_GROWTH, TEXT)                                                                              \
    X(A_STAGES, TEXT)                                                                              \
    X(COL_STAGE, TEXT)                                                                             \
    X(COL_PLACES, TEXT)                                                                            \
    X(COL_INITIAL, TEXT)                                                                           \
    X(UNLIMITED, TEXT)       /* a stage with no limit on places */                                 \
    X(OPTIONS_HEADING, TEXT) /* comparison */                                                      \
    X(OPTION_BASELINE, FMT)  /* %s name */                                                         \
    X(DIFF_HEADING, TEXT)                                                                          \
    X(DIFF_INTRO, TEXT)                                                                            \
    X(COL_OPTION, TEXT)                                                                            \
    X(COL_BASELINE_MEAN, TEXT)                                                                     \
    X(COL_OPTION_MEAN, TEXT)                                                                       \
    X(COL_DIFFERENCE, TEXT)                                                                        \
    X(COL_DISTINGUISHABLE, TEXT)                                                                   \
    X(YES, TEXT)                                                                                   \
    X(NO, TEXT)                                                                                    \
    /* measures */                                                                                 \
    X(M_CONTACTS, TEXT)                                                                            \
    X(M_ASSESSMENTS, TEXT)                                                                         \
    X(M_STRATEGY_MEETINGS, TEXT)                                                                   \
    X(M_S47, TEXT)                                                                                 \
    X(M_CP_REGISTRATIONS, TEXT)                                                                    \
    X(M_CARE_ENTRIES, TEXT)                                                                        \
    X(M_CARE_EXITS, TEXT)                                                                          \
    X(M_EARLY_HELP, TEXT) /* stocks */                                                             \
    X(M_CARE_AND_SUPPORT, TEXT)                                                                    \
    X(M_CP_REGISTER, TEXT)                                                                         \
    X(M_LOOKED_AFTER, TEXT)                                                                        \
    X(K_SCREENED, TEXT) /* KPIs */                                                                 \
    X(K_ASSESSMENTS, TEXT)                                                                         \
    X(K_ICPC, TEXT)                                                                                \
    X(K_CP_REVIEWS, TEXT)                                                                          \
    X(W_UNALLOCATED, TEXT) /* workforce and cost */                                                \
    X(W_CASELOAD, FMT)     /* %s team */                                                           \
    X(W_COST_TOTAL, TEXT)                                                                          \
    X(W_COST_STAFF, TEXT)                                                                          \
    X(W_COST_AGENCY, TEXT)                                                                         \
    X(W_COST_PLACEMENTS, TEXT)                                                                     \
    X(W_COST_INTERVENTIONS, TEXT)                                                                  \
    /* charts: titles, axes, legends, captions */                                                  \
    X(T_FLOWS_FRONT_DOOR, TEXT)                                                                    \
    X(T_FLOWS_CARE, TEXT)                                                                          \
    X(T_TIMELINESS, TEXT)                                                                          \
    X(T_CASELOAD, TEXT)                                                                            \
    X(T_UNALLOCATED, TEXT)                                                                         \
    X(T_COST, TEXT)                                                                                \
    X(T_FY_STOCKS, TEXT)                                                                           \
    X(T_FY_FLOWS, TEXT)                                                                            \
    X(T_FY_CARE, TEXT)                                                                             \
    X(T_COMPARE, FMT) /* %s measure */                                                             \
    X(T_DIFF, TEXT)                                                                                \
    X(T_TORNADO, FMT)   /* %s measure: a sweep's tornado chart (caseflow sweep) */                 \
    X(C_TORNADO, TEXT)  /* the tornado's second title line: how the settings were varied */        \
    X(L_AT_LOW, TEXT)   /* tornado legend: the bar's end at the setting's low value */             \
    X(L_AT_HIGH, TEXT)  /* ... at its high value */                                                \
    X(L_RANGE_TO, TEXT) /* tornado axis: the word in "(6200 to 7600)" */                           \
    X(Y_CHILDREN, TEXT)                                                                            \
    X(Y_CHILDREN_PER_MONTH, TEXT)                                                                  \
    X(Y_CHILDREN_PER_YEAR, TEXT)                                                                   \
    X(Y_PERCENT_IN_TIME, TEXT)                                                                     \
    X(Y_PER_10K, TEXT)                                                                             \
    X(Y_CASES_PER_FTE, TEXT)                                                                       \
    X(Y_CASES, TEXT)                                                                               \
    X(Y_POUNDS_PER_MONTH, TEXT)                                                                    \
    X(X_CHANGE, TEXT)                                                                              \
    X(L_MEAN, FMT)    /* %u replications legend of a single mean line */                           \
    X(L_BAND, TEXT)   /* legend of the shaded band */                                              \
    X(C_FAN, FMT)     /* %u replications */                                                        \
    X(C_PER_10K, FMT) /* %s children */                                                            \
    X(C_FLOWS, TEXT)                                                                               \
    X(C_TIMELINESS, TEXT)                                                                          \
    X(C_FY, TEXT)                                                                                  \
    X(C_COMPARE, TEXT)                                                                             \
    X(C_DIFF, TEXT)                                                                                \
    /* calendar: MONTH_1 .. MONTH_12 stay consecutive (numfmt_date counts on it) */                \
    X(MONTH_1, TEXT)                                                                               \
    X(MONTH_2, TEXT)                                                                               \
    X(MONTH_3, TEXT)                                                                               \
    X(MONTH_4, TEXT)                                                                               \
    X(MONTH_5, TEXT)                                                                               \
    X(MONTH_6, TEXT)                                                                               \
    X(MONTH_7, TEXT)                                                                               \
    X(MONTH_8, TEXT)                                                                               \
    X(MONTH_9, TEXT)                                                                               \
    X(MONTH_10, TEXT)                                                                              \
    X(MONTH_11, TEXT)                                                                              \
    X(MONTH_12, TEXT)                                                                              \
    X(MONTHS_SHORT, TEXT) /* twelve abbreviations, space-separated, for chart axes */

#define I18N_ENUM(k, kind) I18N_##k,
typedef enum i18n_key { I18N_KEYS(I18N_ENUM) I18N_COUNT } i18n_key;
#undef I18N_ENUM

typedef enum i18n_lang { I18N_EN, I18N_CY, I18N_LANG_COUNT } i18n_lang;

/* The string for key in lang; never NULL for a valid key and language (the
 * tests guarantee every entry exists). */
const char *i18n_get(i18n_lang lang, i18n_key key);

/* The key's name without the prefix ("M_LOOKED_AFTER"), for test messages. */
const char *i18n_key_name(i18n_key key);

/* The table's entry itself, possibly NULL if a translation is missing: for
 * the completeness test. */
const char *i18n_raw(i18n_lang lang, i18n_key key);

/* True if the key's strings are printf formats (FMT in I18N_KEYS): only those
 * may be given to printf, and their conversions must agree between languages. */
bool i18n_is_format(i18n_key key);

/* True for the few keys whose Welsh may equal the English (none so far;
 * e.g. an abbreviation both languages use). */
bool i18n_same_ok(i18n_key key);

/* "en" or "cy" to a language: 0, or -1 for anything else. */
int i18n_lang_parse(const char *code, i18n_lang *out);

/* The language's code for the lang attribute: "en" or "cy". */
const char *i18n_lang_code(i18n_lang lang);

#endif
