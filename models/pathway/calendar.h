/*
 * calendar — civil dates and working days, for statutory timescales.
 *
 * Children's social care timescales are counted in working days, not calendar
 * days: in Wales a contact is screened within 1 working day and an assessment
 * completed within 42 (45 in England under Working Together), and an initial
 * child protection conference (ICPC) meets within 15 working days of the
 * strategy meeting. A working day is Monday to Friday and not a bank holiday,
 * so whether a case was in time depends on the weekends and bank holidays it
 * spanned. This module answers those questions from a bank-holiday file (see
 * scenarios/calendars/README.md) or from weekends alone.
 *
 * Civil days are int32_t counts of days since 1970-01-01 in the proleptic
 * Gregorian calendar (day 0 is Thursday 1970-01-01; earlier days are negative).
 *
 * Invariants of a calendar covering [first_day, last_day]:
 *   - first_day <= last_day; both are fixed when it is created;
 *   - a day is a working day iff it is Monday-Friday and not a listed holiday;
 *     every listed holiday is a weekday inside the range, listed once;
 *   - it holds a cumulative count of working days for every day in the range
 *     and the list of those working days in order, both built at creation.
 *
 * Complexity: creation O(days covered + holidays); cal_is_working_day,
 * cal_working_days_between, cal_add_working_days and cal_within_working_days
 * are O(1) and never allocate. Memory: about 7 bytes per day covered
 * (13 years: 33 KB).
 *
 * Thread-safety: the date functions are pure. A calendar is immutable after
 * creation, so any number of threads may query one at once; create and
 * destroy it outside the threads.
 *
 * Out-of-range queries are programming errors, stopped by CHECK: the loader
 * guarantees that a calendar covers the days the scenario needs. The one
 * exception is the answer of cal_add_working_days, which may fall past
 * last_day (a deadline beyond the horizon) and is then counted on weekends only.
 *
 * What it does not do: hours or times of day (a civil day is the unit), time
 * zones, part-time or team-specific working patterns, regional holidays within
 * one calendar (Scotland and Northern Ireland need their own files), or
 * dates outside years 0001-9999 for text.
 */
#ifndef CASEFLOW_CALENDAR_H
#define CASEFLOW_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* ---- civil dates (pure functions, thread-safe) ---- */

/* The civil day of year y, month m (1-12), day d (1-31); d is not checked
 * against the month's length (cal_parse_date validates text). */
int32_t cal_days_from_civil(int y, int m, int d);
/* The inverse: fills *y, *m (1-12) and *d (1-31) for day. */
void cal_civil_from_days(int32_t day, int *y, int *m, int *d);
/* 0 = Monday ... 5 = Saturday, 6 = Sunday. */
int cal_weekday(int32_t day);
/* Days in month m (1-12, CHECKed) of year y: 28-31, leap years Gregorian. */
int cal_days_in_month(int y, int m);
/* The last day of day's month (e.g. 2024-02-10 -> 2024-02-29). */
int32_t cal_last_day_of_month(int32_t day);

/*
 * Parses exactly "YYYY-MM-DD" (four-digit year 0001-9999, two-digit month and
 * day, nothing before or after) naming a real date: "2023-02-29", "2023-2-1",
 * "2023-13-01" and "2023-01-01x" are rejected. Returns 0 and sets *day, or
 * ERR_INPUT leaving *day unchanged; it writes no message, so the caller words
 * one with the setting's location.
 */
int cal_parse_date(const char *text, int32_t *day);
/* Writes day as "YYYY-MM-DD" and a NUL into out. day's year must be 0-9999
 * (CHECKed). */
void cal_format_date(int32_t day, char out[11]);

/* ---- working-day calendars ---- */

typedef struct calendar calendar; /* opaque; immutable once created */

/*
 * Loads the calendar file at path (opened as given: the caller resolves it
 * against the scenario's folder) and checks it covers the civil days
 * [need_first_day, need_last_day] (need_first_day <= need_last_day, CHECKed).
 * The calendar covers the file's years, 1 January first_year to 31 December
 * last_year. The file holds
 *     name = "England and Wales";  first_year = 2018;  last_year = 2030;
 *     bank_holidays = ( "2018-01-01", ... );
 * On success *out owns a new calendar (free with cal_destroy) and 0 is
 * returned. On failure *out is NULL, nothing is left allocated, and e holds
 * "FILE:LINE: what is wrong; expected what" located in the calendar file:
 *   ERR_IO     the file cannot be read;
 *   ERR_INPUT  a syntax error, an unknown or missing key, a year outside
 *              1-9999 or last_year before first_year, an entry that is not a
 *              "YYYY-MM-DD" date, a holiday on a Saturday or Sunday, one listed
 *              twice, one outside first_year..last_year, or days needed that the
 *              file does not cover ("covers 2018-2030; the scenario runs to
 *              2031-03-31; expected a calendar that covers it");
 *   ERR_NOMEM  out of memory.
 * Not thread-safe (libconfig and strerror): load before threads start.
 */
int cal_load(calendar **out, const char *path, int32_t need_first_day, int32_t need_last_day,
             err_info *e);

/*
 * A calendar of weekends only (no holidays) covering [first_day, last_day]
 * (first_day <= last_day, CHECKed), for tests and for scenarios that name no
 * calendar file. Returns 0 with *out owned by the caller, or with *out NULL:
 * ERR_INPUT when the range leaves years 0001-9999, ERR_NOMEM out of memory.
 */
int cal_create_weekends_only(calendar **out, int32_t first_day, int32_t last_day, err_info *e);

/* Frees c and everything it owns; cal_destroy(NULL) does nothing. */
void cal_destroy(calendar *c);

/* The first and last civil days c covers (inclusive). */
int32_t cal_first_day(const calendar *c);
int32_t cal_last_day(const calendar *c);

/* Whether day (in c's range, CHECKed) is Monday-Friday and not a holiday. */
bool cal_is_working_day(const calendar *c, int32_t day);

/*
 * The number of working days in (from, to]: from itself never counts, to does.
 * 0 when to <= from. Both days must be in c's range (CHECKed). O(1).
 */
int32_t cal_working_days_between(const calendar *c, int32_t from, int32_t to);

/*
 * The n-th working day after day (day in c's range, CHECKed; n >= 0, CHECKed):
 * day itself never counts, so n = 1 from a Friday is the next Monday (Tuesday
 * when that Monday is a holiday), and from a Saturday is also that Monday.
 * n = 0 returns day. When the answer lies past last_day, the days beyond
 * last_day are counted as working whenever they are Monday-Friday (no holidays
 * are known there), so the answer is a deadline past the horizon rather than
 * a failure. O(1).
 */
int32_t cal_add_working_days(const calendar *c, int32_t day, int32_t n);

/*
 * Whether something that started on civil day start and finished on civil day
 * done met a target of n working days (n >= 0): done <= cal_add_working_days(
 * c, start, n). A contact arriving on Friday with a one-working-day target is
 * in time if screened by the end of Monday (Tuesday when Monday is a bank
 * holiday); finishing on the day it started is always in time. start and done
 * must be in c's range (CHECKed). O(1).
 */
bool cal_within_working_days(const calendar *c, int32_t start, int32_t done, int32_t n);

#endif
