/*
 * numfmt — numbers and dates as a report prints them: whole numbers with
 * thousands separators (8,360), rates to one decimal place, shares as
 * percentages (92.0%), money in pounds (£1,234,567), dates in words in the
 * report's language (1 April 2022, 1 Ebrill 2022). Welsh Government releases
 * use the same separators as English ones, so only the words change.
 *
 * Each function writes into buf (at most size bytes, always NUL-terminated)
 * and returns buf; a NaN or infinite value is written as "–" (en dash).
 * Thread-safety: no state.
 */
#ifndef CASEFLOW_NUMFMT_H
#define CASEFLOW_NUMFMT_H

#include <stddef.h>

#include "report/i18n.h"

#define NUMFMT_MAX 64

/* v rounded to `places` decimals, with thousands separators: 8359.6 -> "8,360". */
const char *numfmt_number(char *buf, size_t size, double v, int places);

/* A share 0-1 as a percentage with one decimal: 0.92 -> "92.0%". */
const char *numfmt_percent(char *buf, size_t size, double share);

/* Pounds, whole: 1234567.4 -> "£1,234,567". */
const char *numfmt_money(char *buf, size_t size, double pounds);

/* Day d (days since 1970-01-01) as "1 April 2022" in lang. */
const char *numfmt_date(char *buf, size_t size, long d, i18n_lang lang);

#endif
