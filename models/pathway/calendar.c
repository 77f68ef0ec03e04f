/*
 * calendar — civil-day arithmetic and working-day tables.
 *
 * Dates are plain day counts from 1970-01-01 so that the simulation clock (a
 * double of days since the scenario's start) maps to a calendar day with one
 * addition. The civil conversions are Howard Hinnant's era-based formulas:
 * branch-light, exact for every day in int32_t, and valid for negative days,
 * which a table lookup or mktime (time zones, 32-bit time_t) would not be.
 *
 * A calendar answers "how many working days between" and "the n-th working
 * day after" in O(1) from two arrays built once:
 *   cum[i]  working days in [first_day, first_day + i - 1], so cum[0] = 0 and
 *           the working days in (from, to] are cum[to - first + 1] -
 *           cum[from - first + 1];
 *   nth[k]  the civil day of the (k + 1)-th working day of the range.
 * The n-th working day after day is nth[cum[day - first + 1] + n - 1]. The
 * alternative, a binary search of cum, saves nth's ~3 bytes a day but costs a
 * dozen unpredictable branches on the simulation's hot path; memory is not
 * the constraint here (13 years is 33 KB).
 *
 * Loading marks each listed holiday in cum before the prefix sums overwrite
 * the marks (see mark_holiday and finish), so validation and building share
 * one allocation and one pass over the list.
 *
 * libconfig 1.5 joins adjacent string literals, so a missing comma in the
 * list yields one 20-character entry (the message names the likely cause),
 * and it records a string's line only after reading the token that follows,
 * so an entry with no comma after it on its line is reported at the next
 * token's line (scenarios/calendars/README.md tells editors to keep commas on
 * the date's line).
 */
#include "pathway/calendar.h"

#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "check.h"
#include "mem.h"

/* Years a date may name: four digits in text, and year 0 is not a real year. */
#define YEAR_MIN 1
#define YEAR_MAX 9999
/* Characters of a rejected string quoted back in a message. */
#define SHOW_MAX_CHARS 40
/* Room for "YYYY-MM-DD" with any int year (messages about days far away). */
#define DATE_BUF 32

struct calendar {
    int32_t first_day; /* civil day, inclusive */
    int32_t last_day;  /* civil day, inclusive; >= first_day */
    int32_t n_working; /* working days in [first_day, last_day] */
    int32_t *cum;      /* last_day - first_day + 2 counts, as in the design comment */
    int32_t *nth;      /* n_working civil days, increasing */
};

static const char *const weekday_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};

/* ---- civil dates ---- */

int32_t cal_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void cal_civil_from_days(int32_t day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468; /* days since 0000-03-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
    int mo = (int)(mp < 10 ? mp + 3 : mp - 9);
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = mo;
    *y = (int)(yoe + era * 400 + (mo <= 2));
}

int cal_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3); % may be negative before 1970. */
    return (int)(((int64_t)day % 7 + 10) % 7);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    CHECK(m >= 1 && m <= 12);
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int32_t cal_last_day_of_month(int32_t day)
{
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    return day + (cal_days_in_month(y, m) - d);
}

/* The value of n ASCII digits at s, or -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cal_parse_date(const char *text, int32_t *day)
{
    CHECK(text != NULL && day != NULL);
    /* strnlen: a long string is rejected without being read to its end. */
    if (strnlen(text, 11) != 10 || text[4] != '-' || text[7] != '-')
        return ERR_INPUT;
    int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
    if (y < YEAR_MIN || m < 1 || m > 12 || d < 1 || d > cal_days_in_month(y, m))
        return ERR_INPUT;
    *day = cal_days_from_civil(y, m, d);
    return 0;
}

/* "YYYY-MM-DD" for any day (more digits or a sign when the year needs them). */
static const char *date_text(int32_t day, char buf[DATE_BUF])
{
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    snprintf(buf, DATE_BUF, "%04d-%02d-%02d", y, m, d);
    return buf;
}

void cal_format_date(int32_t day, char out[11])
{
    char buf[DATE_BUF];
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    CHECK(y >= 0 && y <= YEAR_MAX);
    memcpy(out, date_text(day, buf), 11);
}

/* ---- building a calendar ---- */

/* The civil days of 0001-01-01 and 9999-12-31: the span text can name. */
static int32_t min_day(void)
{
    return cal_days_from_civil(YEAR_MIN, 1, 1);
}

static int32_t max_day(void)
{
    return cal_days_from_civil(YEAR_MAX, 12, 31);
}

/* A calendar for [first, last] with no holidays marked yet (cum zeroed), or NULL. */
static calendar *new_calendar(int32_t first, int32_t last)
{
    calendar *c = mem_calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->first_day = first;
    c->last_day = last;
    c->cum = mem_calloc((size_t)(last - first) + 2, sizeof *c->cum);
    if (c->cum == NULL) {
        mem_free(c);
        return NULL;
    }
    return c;
}

/* Marks day (in range) as a holiday; returns false if it was already marked. */
static bool mark_holiday(calendar *c, int32_t day)
{
    int32_t *slot = &c->cum[day - c->first_day + 1];
    if (*slot != 0)
        return false;
    *slot = 1;
    return true;
}

/*
 * Turns the holiday marks in cum[1..] into cumulative working-day counts and
 * fills nth. Each cum[i + 1] is read as a mark before it is overwritten with
 * a count, and cum[i] is already final, so this works in place. Returns 0 or
 * ERR_NOMEM (the calendar is then only fit for cal_destroy).
 */
static int finish(calendar *c)
{
    int32_t days = c->last_day - c->first_day + 1;
    for (int32_t i = 0; i < days; i++) {
        bool working = cal_weekday(c->first_day + i) < 5 && c->cum[i + 1] == 0;
        c->cum[i + 1] = c->cum[i] + working;
    }
    c->n_working = c->cum[days];
    if (c->n_working == 0)
        return 0; /* a weekend-only range: nth stays NULL and is never read */
    c->nth = mem_calloc((size_t)c->n_working, sizeof *c->nth);
    if (c->nth == NULL)
        return ERR_NOMEM;
    for (int32_t i = 0; i < days; i++)
        if (c->cum[i + 1] != c->cum[i])
            c->nth[c->cum[i]] = c->first_day + i;
    return 0;
}

void cal_destroy(calendar *c)
{
    if (c == NULL)
        return;
    mem_free(c->cum);
    mem_free(c->nth);
    mem_free(c);
}

int cal_create_weekends_only(calendar **out, int32_t first_day, int32_t last_day, err_info *e)
{
    CHECK(out != NULL && first_day <= last_day);
    *out = NULL;
    char a[DATE_BUF], b[DATE_BUF];
    if (first_day < min_day() || last_day > max_day())
        return err_set(e, ERR_INPUT, NULL, 0,
                       "the run needs days from %s to %s; expected dates in years 0001-9999",
                       date_text(first_day, a), date_text(last_day, b));
    calendar *c = new_calendar(first_day, last_day);
    if (c == NULL || finish(c) != 0) {
        cal_destroy(c);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for a calendar of %ld days",
                       (long)last_day - first_day + 1);
    }
    *out = c;
    return 0;
}

/* ---- loading a calendar file ---- */

static const char *const file_keys[] = {"name", "first_year", "last_year", "bank_holidays", NULL};

/* What cal_load reads from a calendar file before building. */
typedef struct cal_file {
    cfg_file f;
    const char *name;                     /* points into f */
    int64_t first_year, last_year;        /* years covered, inclusive */
    config_setting_t *holidays;           /* the bank_holidays list or array */
    config_setting_t *first_at, *last_at; /* first_year and last_year, for messages */
} cal_file;

/* Reads and checks everything but the list's entries. */
static int read_header(cal_file *cf, err_info *e)
{
    cfg_file *f = &cf->f;
    config_setting_t *root = cfg_root(f);
    int rc;
    if ((rc = cfg_check_keys(f, root, file_keys, e)) != 0 ||
        (rc = cfg_get_string(f, root, "name", true, false, &cf->name, e)) != 0 ||
        (rc = cfg_get_int64_in(f, root, "first_year", true, YEAR_MIN, YEAR_MAX, &cf->first_year,
                               e)) != 0 ||
        (rc = cfg_get_int64_in(f, root, "last_year", true, YEAR_MIN, YEAR_MAX, &cf->last_year,
                               e)) != 0 ||
        (rc = cfg_get_member(f, root, "bank_holidays", true, CONFIG_TYPE_LIST, &cf->holidays, e)) !=
            0)
        return rc;
    cf->first_at = config_setting_get_member(root, "first_year");
    cf->last_at = config_setting_get_member(root, "last_year");
    if (cf->last_year < cf->first_year)
        return cfg_error(f, cf->last_at, e, ERR_INPUT,
                         "last_year %lld is before first_year %lld; expected last_year >= "
                         "first_year",
                         (long long)cf->last_year, (long long)cf->first_year);
    return 0;
}

/* The line of the entry before index i that names day (a duplicate's first listing). */
static int earlier_line(const config_setting_t *list, int i, int32_t day)
{
    for (int j = 0; j < i; j++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)j);
        const char *text = config_setting_get_string(s);
        int32_t other;
        if (text != NULL && cal_parse_date(text, &other) == 0 && other == day)
            return cfg_where_line(s);
    }
    return 0;
}

/* Whether text is two dates run together: libconfig joins adjacent string
 * literals, so a missing comma in the list turns two dates into one string. */
static bool two_dates(const char *text)
{
    char first[11];
    int32_t day;
    if (strlen(text) != 20)
        return false;
    memcpy(first, text, 10);
    first[10] = '\0';
    return cal_parse_date(first, &day) == 0 && cal_parse_date(text + 10, &day) == 0;
}

/* Checks entry i of the list and marks it in c. */
static int read_entry(const cal_file *cf, calendar *c, int i, err_info *e)
{
    const config_setting_t *s = config_setting_get_elem(cf->holidays, (unsigned)i);
    const char *text = config_setting_get_string(s); /* NULL unless a string */
    char buf[DATE_BUF];
    int32_t day;
    if (text == NULL)
        return cfg_error(&cf->f, s, e, ERR_INPUT,
                         "bank_holidays.[%d] is not a string; expected a date in double quotes "
                         "such as \"2023-12-25\"",
                         i);
    if (cal_parse_date(text, &day) != 0)
        return cfg_error(&cf->f, s, e, ERR_INPUT,
                         "bank_holidays.[%d]: \"%.*s%s\" is not a date; expected \"YYYY-MM-DD\" "
                         "naming a real day%s",
                         i, SHOW_MAX_CHARS, text, strlen(text) > SHOW_MAX_CHARS ? "..." : "",
                         two_dates(text) ? " (a comma is missing between two dates)" : "");
    if (day < c->first_day || day > c->last_day)
        return cfg_error(&cf->f, s, e, ERR_INPUT,
                         "bank_holidays.[%d]: %s is outside first_year..last_year (%lld-%lld); "
                         "expected dates in those years, or wider years",
                         i, text, (long long)cf->first_year, (long long)cf->last_year);
    int wd = cal_weekday(day);
    if (wd >= 5)
        return cfg_error(&cf->f, s, e, ERR_INPUT,
                         "bank_holidays.[%d]: %s is a %s; expected a weekday (list the "
                         "substitute day instead)",
                         i, date_text(day, buf), weekday_names[wd]);
    if (!mark_holiday(c, day))
        return cfg_error(&cf->f, s, e, ERR_INPUT,
                         "bank_holidays.[%d]: %s is listed twice (also at line %d); expected "
                         "each holiday once",
                         i, text, earlier_line(cf->holidays, i, day));
    return 0;
}

/* Fails unless the file's years cover [need_first, need_last]. */
static int check_cover(const cal_file *cf, int32_t need_first, int32_t need_last, err_info *e)
{
    char buf[DATE_BUF];
    int32_t first = cal_days_from_civil((int)cf->first_year, 1, 1);
    int32_t last = cal_days_from_civil((int)cf->last_year, 12, 31);
    if (need_first < first)
        return cfg_error(&cf->f, cf->first_at, e, ERR_INPUT,
                         "\"%s\" covers %lld-%lld; the scenario needs days from %s; expected a "
                         "calendar that covers them",
                         cf->name, (long long)cf->first_year, (long long)cf->last_year,
                         date_text(need_first, buf));
    if (need_last > last)
        return cfg_error(&cf->f, cf->last_at, e, ERR_INPUT,
                         "\"%s\" covers %lld-%lld; the scenario runs to %s; expected a calendar "
                         "that covers it",
                         cf->name, (long long)cf->first_year, (long long)cf->last_year,
                         date_text(need_last, buf));
    return 0;
}

int cal_load(calendar **out, const char *path, int32_t need_first_day, int32_t need_last_day,
             err_info *e)
{
    CHECK(out != NULL && path != NULL && need_first_day <= need_last_day);
    *out = NULL;
    cal_file cf = {0};
    calendar *c = NULL;
    int n, rc = cfg_open(&cf.f, path, e);
    if (rc != 0 || (rc = read_header(&cf, e)) != 0)
        goto fail;
    c = new_calendar(cal_days_from_civil((int)cf.first_year, 1, 1),
                     cal_days_from_civil((int)cf.last_year, 12, 31));
    if (c == NULL) {
        rc = cfg_error(&cf.f, cf.holidays, e, ERR_NOMEM, "out of memory for the calendar");
        goto fail;
    }
    n = config_setting_length(cf.holidays);
    for (int i = 0; i < n; i++)
        if ((rc = read_entry(&cf, c, i, e)) != 0)
            goto fail;
    if ((rc = check_cover(&cf, need_first_day, need_last_day, e)) != 0)
        goto fail;
    if (finish(c) != 0) {
        rc = cfg_error(&cf.f, cf.holidays, e, ERR_NOMEM, "out of memory for the calendar");
        goto fail;
    }
    cfg_close(&cf.f);
    *out = c;
    return 0;
fail:
    cal_destroy(c);
    cfg_close(&cf.f);
    return rc;
}

/* ---- queries (const, allocation-free, thread-safe) ---- */

int32_t cal_first_day(const calendar *c)
{
    return c->first_day;
}

int32_t cal_last_day(const calendar *c)
{
    return c->last_day;
}

/* Working days in [first_day, day]; day in range (CHECKed). */
static int32_t worked_through(const calendar *c, int32_t day)
{
    CHECK(day >= c->first_day && day <= c->last_day);
    return c->cum[day - c->first_day + 1];
}

bool cal_is_working_day(const calendar *c, int32_t day)
{
    CHECK(day >= c->first_day && day <= c->last_day);
    int32_t i = day - c->first_day;
    return c->cum[i + 1] != c->cum[i];
}

int32_t cal_working_days_between(const calendar *c, int32_t from, int32_t to)
{
    int32_t a = worked_through(c, from), b = worked_through(c, to);
    return to > from ? b - a : 0;
}

/* The n-th Monday-Friday after day (n >= 1), ignoring holidays. A Saturday or
 * Sunday counts from the Friday before it, since no weekday lies between. */
static int64_t weekdays_after(int32_t day, int64_t n)
{
    int w = cal_weekday(day);
    int64_t base = day;
    if (w > 4) {
        base -= w - 4;
        w = 4;
    }
    int64_t k = w + n; /* weekdays from the Monday of base's week */
    return base - w + k / 5 * 7 + k % 5;
}

int32_t cal_add_working_days(const calendar *c, int32_t day, int32_t n)
{
    CHECK(n >= 0);
    int64_t k = (int64_t)worked_through(c, day) + n; /* the answer's rank in the table */
    if (n == 0)
        return day;
    if (k <= c->n_working)
        return c->nth[k - 1];
    /* Past the table: count weekends only (documented in the header). */
    int64_t r = weekdays_after(c->last_day, k - c->n_working);
    CHECK(r <= INT32_MAX);
    return (int32_t)r;
}

bool cal_within_working_days(const calendar *c, int32_t start, int32_t done, int32_t n)
{
    CHECK(done >= c->first_day && done <= c->last_day);
    return done <= cal_add_working_days(c, start, n);
}
