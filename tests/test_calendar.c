/*
 * test_calendar — civil dates and working days against models/pathway/calendar.h.
 *
 * Known answers were worked out independently of calendar.c, in Python with
 * datetime and the published England and Wales list, and are stated in the
 * tables below. Then: invariants over every day of 1900-2100 and every start
 * of the bundled calendar, the bundled data file read line by line (weekdays,
 * counts per year, Easter by an independent computus), every loader error
 * provoked with a temporary file and its FILE:LINE message checked, each
 * allocation failed in turn, the range CHECKs firing, and many threads
 * reading one calendar at once.
 *
 * CASEFLOW_ROOT gives the repository root (default ".") for the data file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libconfig.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "pathway/calendar.h"
#include "support/failing_mem.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The civil day of text, which must be a valid date. */
static int32_t day_of(const char *text)
{
    int32_t day = 0;
    if (cal_parse_date(text, &day) != 0)
        fail_msg("test date \"%s\" does not parse", text);
    return day;
}

static void assert_date(int32_t day, const char *want)
{
    char got[11];
    cal_format_date(day, got);
    if (strcmp(got, want) != 0)
        fail_msg("got %s, expected %s", got, want);
}

static const char *ew_path(char *buf, size_t size)
{
    const char *root = getenv("CASEFLOW_ROOT");
    snprintf(buf, size, "%s/scenarios/calendars/england-and-wales.cfg", root ? root : ".");
    return buf;
}

/* The bundled England and Wales calendar over all its years. */
static calendar *load_ew(void)
{
    char path[1024];
    calendar *c = NULL;
    err_info e;
    err_clear(&e);
    if (cal_load(&c, ew_path(path, sizeof path), day_of("2018-01-01"), day_of("2030-12-31"), &e) !=
        0)
        fail_msg("cannot load %s: %s (set CASEFLOW_ROOT to the repository)", path, e.text);
    return c;
}

/* ---- civil dates ---- */

static void test_known_days(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int32_t day;
        int weekday; /* 0 = Monday */
    } cases[] = {
        {1, 1, 1, -719162, 0},      {1900, 1, 1, -25567, 0}, {1969, 12, 31, -1, 2},
        {1970, 1, 1, 0, 3},         {2000, 1, 1, 10957, 5},  {2000, 2, 29, 11016, 1},
        {2000, 3, 1, 11017, 2},     {2022, 6, 2, 19145, 3},  {2023, 12, 25, 19716, 0},
        {2024, 2, 29, 19782, 3},    {2038, 1, 19, 24855, 1}, {2100, 12, 31, 47846, 4},
        {9999, 12, 31, 2932896, 4},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        int y, m, d;
        assert_int_equal(cal_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].day);
        cal_civil_from_days(cases[i].day, &y, &m, &d);
        assert_int_equal(y, cases[i].y);
        assert_int_equal(m, cases[i].m);
        assert_int_equal(d, cases[i].d);
        assert_int_equal(cal_weekday(cases[i].day), cases[i].weekday);
    }
}

/* Every day of 1900-2100: the round trip, and each day follows the last. */
static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    int32_t first = cal_days_from_civil(1900, 1, 1), last = cal_days_from_civil(2100, 12, 31);
    int py = 1899, pm = 12, pd = 31, pw = 6; /* 1899-12-31, a Sunday */
    for (int32_t day = first; day <= last; day++) {
        int y, m, d;
        cal_civil_from_days(day, &y, &m, &d);
        assert_int_equal(cal_days_from_civil(y, m, d), day);
        bool next_in_month = y == py && m == pm && d == pd + 1;
        bool next_month = pd == cal_days_in_month(py, pm) && d == 1 &&
                          ((y == py && m == pm + 1) || (y == py + 1 && m == 1 && pm == 12));
        if (!next_in_month && !next_month)
            fail_msg("day %d is %04d-%02d-%02d after %04d-%02d-%02d", day, y, m, d, py, pm, pd);
        assert_int_equal(cal_weekday(day), (pw + 1) % 7);
        assert_int_equal(cal_last_day_of_month(day), day + cal_days_in_month(y, m) - d);
        py = y, pm = m, pd = d, pw = cal_weekday(day);
    }
    assert_int_equal(py, 2100);
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const struct {
        int y, m, days;
    } cases[] = {
        {2023, 1, 31},  {2023, 2, 28}, {2024, 2, 29}, {1900, 2, 28}, {2000, 2, 29},
        {2100, 2, 28},  {2023, 4, 30}, {2023, 6, 30}, {2023, 9, 30}, {2023, 11, 30},
        {2023, 12, 31}, {2023, 7, 31}, {2023, 8, 31},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        assert_int_equal(cal_days_in_month(cases[i].y, cases[i].m), cases[i].days);
    assert_date(cal_last_day_of_month(day_of("2024-02-10")), "2024-02-29");
    assert_date(cal_last_day_of_month(day_of("2023-02-01")), "2023-02-28");
    assert_date(cal_last_day_of_month(day_of("2023-12-31")), "2023-12-31");
    assert_date(cal_last_day_of_month(day_of("1969-12-05")), "1969-12-31");
}

static void test_parse_and_format(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int32_t day;
    } good[] = {
        {"1970-01-01", 0},     {"2023-02-28", 19416},   {"2024-02-29", 19782},
        {"2000-02-29", 11016}, {"0001-01-01", -719162}, {"9999-12-31", 2932896},
        {"1969-12-31", -1},
    };
    for (size_t i = 0; i < N_OF(good); i++) {
        int32_t day = 12345;
        assert_int_equal(cal_parse_date(good[i].text, &day), 0);
        assert_int_equal(day, good[i].day);
        assert_date(day, good[i].text);
    }
    static const char *const bad[] = {
        "2023-2-1",    "2023-02-29",  "2023-13-01",  "x",          "",
        "2023-01-01x", "2023-01-01 ", " 2023-01-01", "2023/01/01", "2023-00-10",
        "2023-01-00",  "2023-04-31",  "1900-02-29",  "0000-01-01", "+023-01-01",
        "2023-01-1a",  "2023-1a-01",  "20230101",    "2023-01-32", "2023-01-01T00:00",
        "99999-01-01", "2023--01-01", "-023-01-01",  "2023-01- 1",
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        int32_t day = 12345;
        if (cal_parse_date(bad[i], &day) != ERR_INPUT)
            fail_msg("\"%s\" parsed", bad[i]);
        assert_int_equal(day, 12345); /* untouched on failure */
    }
}

/* ---- weekends-only calendars ---- */

static void test_weekends_only(void **state)
{
    (void)state;
    calendar *c = NULL;
    err_info e;
    err_clear(&e);
    assert_int_equal(cal_create_weekends_only(&c, day_of("2023-01-01"), day_of("2023-12-31"), &e),
                     0);
    assert_int_equal(cal_first_day(c), day_of("2023-01-01"));
    assert_int_equal(cal_last_day(c), day_of("2023-12-31"));
    /* 2023 has 365 days from a Sunday: 52 weeks and a Sunday, 260 weekdays. */
    assert_int_equal(cal_working_days_between(c, day_of("2023-01-01"), day_of("2023-12-31")), 260);
    assert_false(cal_is_working_day(c, day_of("2023-01-01")));
    assert_true(cal_is_working_day(c, day_of("2023-12-25"))); /* no holidays here */
    assert_date(cal_add_working_days(c, day_of("2023-03-03"), 1), "2023-03-06");
    assert_date(cal_add_working_days(c, day_of("2023-03-04"), 1), "2023-03-06");
    assert_date(cal_add_working_days(c, day_of("2023-03-05"), 5), "2023-03-10");
    assert_date(cal_add_working_days(c, day_of("2023-03-06"), 5), "2023-03-13");
    /* Past the table: 2023-12-29 is a Friday, and the count goes on weekdays. */
    assert_date(cal_add_working_days(c, day_of("2023-12-29"), 1), "2024-01-01");
    assert_date(cal_add_working_days(c, day_of("2023-12-31"), 6), "2024-01-08");
    assert_date(cal_add_working_days(c, day_of("2023-12-28"), 1000), "2027-10-28");
    cal_destroy(c);

    /* A range of one weekend day has no working days at all. */
    assert_int_equal(cal_create_weekends_only(&c, day_of("2023-01-01"), day_of("2023-01-01"), &e),
                     0);
    assert_int_equal(cal_working_days_between(c, day_of("2023-01-01"), day_of("2023-01-01")), 0);
    assert_date(cal_add_working_days(c, day_of("2023-01-01"), 1), "2023-01-02");
    assert_date(cal_add_working_days(c, day_of("2023-01-01"), 0), "2023-01-01");
    cal_destroy(c);
    cal_destroy(NULL);

    /* Days outside 0001-9999 cannot be written as text: refused. */
    c = (calendar *)&e; /* must come back NULL */
    assert_int_equal(
        cal_create_weekends_only(&c, day_of("9999-12-01"), day_of("9999-12-31") + 1, &e),
        ERR_INPUT);
    assert_null(c);
    assert_string_equal(e.text, "the run needs days from 9999-12-01 to 10000-01-01; expected dates "
                                "in years 0001-9999");
}

/* ---- the England and Wales calendar ---- */

static void test_ew_counts(void **state)
{
    (void)state;
    calendar *c = load_ew();
    assert_int_equal(cal_first_day(c), day_of("2018-01-01"));
    assert_int_equal(cal_last_day(c), day_of("2030-12-31"));
    static const struct {
        const char *from, *to; /* (from, to] */
        int32_t n;
        const char *why;
    } cases[] = {
        {"2023-04-06", "2023-04-11", 1, "Easter 2023: Good Friday 7th and Easter Monday 10th"},
        {"2023-03-31", "2023-04-30", 18, "April 2023: 20 weekdays less Easter"},
        {"2022-05-31", "2022-06-07", 3, "Platinum Jubilee: Thursday 2 and Friday 3 June off"},
        {"2022-05-31", "2022-06-30", 20, "June 2022: 22 weekdays less the jubilee"},
        {"2020-04-30", "2020-05-31", 19, "May 2020: VE day Friday 8th and Monday 25th"},
        {"2022-09-16", "2022-09-23", 4, "State funeral, Monday 19 September 2022"},
        {"2023-05-05", "2023-05-12", 4, "Coronation, Monday 8 May 2023"},
        {"2021-12-24", "2021-12-31", 3, "Christmas 2021: substitutes on 27 and 28"},
        {"2021-12-31", "2022-12-31", 250, "all of 2022: 260 weekdays less 10"},
        {"2022-12-31", "2023-12-31", 251, "all of 2023: 260 weekdays less 9"},
        {"2018-01-01", "2030-12-31", 3285, "the whole file (2018-01-01 is a holiday)"},
        {"2023-04-11", "2023-04-11", 0, "an empty interval"},
        {"2023-04-11", "2023-04-06", 0, "to before from"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        int32_t n = cal_working_days_between(c, day_of(cases[i].from), day_of(cases[i].to));
        if (n != cases[i].n)
            fail_msg("(%s, %s]: %d working days, expected %d (%s)", cases[i].from, cases[i].to, n,
                     cases[i].n, cases[i].why);
    }
    cal_destroy(c);
}

static void test_ew_add(void **state)
{
    (void)state;
    calendar *c = load_ew();
    static const struct {
        const char *from;
        int32_t n;
        const char *want, *why;
    } cases[] = {
        /* 2022-04-01 is a Friday: 42 weekdays end on 2022-05-31, and Good
         * Friday, Easter Monday and 2 May push that 3 working days on, past
         * the jubilee Thursday and Friday, to Tuesday 7 June. */
        {"2022-04-01", 42, "2022-06-07", "Wales assessment, 42 working days"},
        {"2022-04-01", 45, "2022-06-10", "England assessment, 45 working days"},
        {"2022-05-27", 15, "2022-06-21", "ICPC, 15 working days over the jubilee"},
        {"2023-04-06", 1, "2023-04-11", "Thursday before Easter"},
        {"2022-06-01", 1, "2022-06-06", "Wednesday before the jubilee"},
        {"2023-04-28", 1, "2023-05-02", "Friday before the early May holiday"},
        {"2023-12-22", 1, "2023-12-27", "Friday before Christmas"},
        {"2023-03-03", 1, "2023-03-06", "an ordinary Friday"},
        {"2023-03-04", 1, "2023-03-06", "a Saturday"},
        {"2023-03-06", 0, "2023-03-06", "zero working days"},
        /* Past 2030-12-31 weekdays count: 23, 24, 27, 30, 31 December are in
         * the table, then 1, 2, 3, 6, 7 January 2031 (1 January included). */
        {"2030-12-20", 10, "2031-01-07", "past the end of the table"},
        {"2030-12-31", 1, "2031-01-01", "from the last day"},
        {"2030-12-27", 2, "2030-12-31", "ends on the last day"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        char got[11];
        cal_format_date(cal_add_working_days(c, day_of(cases[i].from), cases[i].n), got);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s + %d working days = %s, expected %s (%s)", cases[i].from, cases[i].n, got,
                     cases[i].want, cases[i].why);
    }
    cal_destroy(c);
}

static void test_ew_within(void **state)
{
    (void)state;
    calendar *c = load_ew();
    static const struct {
        const char *start, *done;
        int32_t n;
        bool in_time;
    } cases[] = {
        {"2023-03-03", "2023-03-03", 1, true},  /* Friday, screened the same day */
        {"2023-03-03", "2023-03-04", 1, true},  /* ... on Saturday */
        {"2023-03-03", "2023-03-06", 1, true},  /* ... on Monday */
        {"2023-03-03", "2023-03-07", 1, false}, /* ... on Tuesday: late */
        {"2023-03-04", "2023-03-06", 1, true},  /* arrived Saturday, screened Monday */
        {"2023-03-04", "2023-03-07", 1, false},
        {"2023-04-28", "2023-05-01", 1, true}, /* Friday before a bank holiday Monday */
        {"2023-04-28", "2023-05-02", 1, true}, /* ... Tuesday is still in time */
        {"2023-04-28", "2023-05-03", 1, false},
        {"2023-04-06", "2023-04-11", 1, true}, /* Thursday before Easter: Tuesday */
        {"2023-04-06", "2023-04-12", 1, false},
        {"2023-03-06", "2023-03-06", 0, true}, /* zero days: the same day only */
        {"2023-03-06", "2023-03-07", 0, false},
        {"2022-04-01", "2022-06-07", 42, true},
        {"2022-04-01", "2022-06-08", 42, false},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        if (cal_within_working_days(c, day_of(cases[i].start), day_of(cases[i].done), cases[i].n) !=
            cases[i].in_time)
            fail_msg("started %s, done %s, %d working days: expected %s", cases[i].start,
                     cases[i].done, cases[i].n, cases[i].in_time ? "in time" : "late");
    cal_destroy(c);
}

/* From every day of the file, for n up to 70: add agrees with stepping
 * through cal_is_working_day, and between inverts add. */
static void test_ew_invariants(void **state)
{
    (void)state;
    calendar *c = load_ew();
    int32_t first = cal_first_day(c), last = cal_last_day(c);
    for (int32_t day = first; day <= last; day++) {
        int32_t walk = day;
        for (int32_t n = 1; n <= 70; n++) {
            do
                walk++;
            while (walk <= last ? !cal_is_working_day(c, walk) : cal_weekday(walk) >= 5);
            int32_t got = cal_add_working_days(c, day, n);
            if (got != walk)
                fail_msg("day %d + %d: %d, stepping gives %d", day, n, got, walk);
            if (got <= last)
                assert_int_equal(cal_working_days_between(c, day, got), n);
            assert_true(cal_within_working_days(c, day, day, n));
        }
        if (day > first)
            assert_int_equal(cal_working_days_between(c, day - 1, day), cal_is_working_day(c, day));
    }
    cal_destroy(c);
}

/* ---- the data file itself ---- */

/* Easter Sunday by Gauss's algorithm with the Lichtenberg corrections, a
 * different formulation from the one the data file was generated with. */
static int32_t easter_sunday(int y)
{
    int k = y / 100, m = 15 + (3 * k + 3) / 4 - (8 * k + 13) / 25, s = 2 - (3 * k + 3) / 4;
    int a = y % 19, d = (19 * a + m) % 30, r = (d + a / 11) / 29;
    int og = 21 + d - r, sz = 7 - (y + y / 4 + s) % 7, oe = 7 - (og - sz) % 7;
    return cal_days_from_civil(y, 3, 1) + og + oe - 1; /* day og + oe of March */
}

static void test_easter(void **state)
{
    (void)state;
    static const char *const known[] = {"2018-04-01", "2019-04-21", "2020-04-12", "2021-04-04",
                                        "2022-04-17", "2023-04-09", "2024-03-31", "2025-04-20",
                                        "2026-04-05", "2027-03-28", "2030-04-21", "2038-04-25",
                                        "2285-03-22", "1943-04-25"};
    for (size_t i = 0; i < N_OF(known); i++) {
        int32_t want = day_of(known[i]);
        int y, m, d;
        cal_civil_from_days(want, &y, &m, &d);
        assert_date(easter_sunday(y), known[i]);
    }
}

/* Reads the data file with libconfig directly, not through cal_load. */
static void test_data_file(void **state)
{
    (void)state;
    char path[1024];
    config_t cfg;
    config_init(&cfg);
    if (config_read_file(&cfg, ew_path(path, sizeof path)) != CONFIG_TRUE)
        fail_msg("%s:%d: %s", path, config_error_line(&cfg), config_error_text(&cfg));
    int first_year = 0, last_year = 0;
    const char *name = NULL;
    assert_true(config_lookup_int(&cfg, "first_year", &first_year));
    assert_true(config_lookup_int(&cfg, "last_year", &last_year));
    assert_true(config_lookup_string(&cfg, "name", &name));
    assert_string_equal(name, "England and Wales");
    assert_int_equal(first_year, 2018);
    assert_int_equal(last_year, 2030);
    const config_setting_t *list = config_lookup(&cfg, "bank_holidays");
    assert_non_null(list);
    int per_year[2030 - 2018 + 1] = {0};
    int32_t prev = INT32_MIN;
    for (int i = 0; i < config_setting_length(list); i++) {
        const char *text = config_setting_get_string_elem(list, i);
        assert_non_null(text);
        int32_t day = day_of(text);
        int y, m, d;
        cal_civil_from_days(day, &y, &m, &d);
        if (cal_weekday(day) >= 5 || y < first_year || y > last_year || day <= prev)
            fail_msg("%s: a weekend, outside the years, or out of order", text);
        per_year[y - first_year]++;
        prev = day;
    }
    for (int y = first_year; y <= last_year; y++) {
        /* 2020's early May holiday moved to VE day (still 8); 2022 added the
         * jubilee and the state funeral; 2023 the coronation. */
        int want = y == 2022 ? 10 : y == 2023 ? 9 : 8;
        if (per_year[y - first_year] != want)
            fail_msg("%d has %d bank holidays, expected %d", y, per_year[y - first_year], want);
    }
    config_destroy(&cfg);

    calendar *c = load_ew();
    for (int y = first_year; y <= last_year; y++) {
        int32_t sunday = easter_sunday(y);
        assert_false(cal_is_working_day(c, sunday - 2)); /* Good Friday */
        assert_false(cal_is_working_day(c, sunday + 1)); /* Easter Monday */
        assert_true(cal_is_working_day(c, sunday - 3));
        assert_true(cal_is_working_day(c, sunday + 2));
    }
    static const struct {
        const char *day;
        bool working;
    } one_offs[] = {
        {"2020-05-04", true},  {"2020-05-08", false}, {"2022-05-30", true},  {"2022-06-02", false},
        {"2022-06-03", false}, {"2022-09-19", false}, {"2023-05-01", false}, {"2023-05-08", false},
        {"2021-12-27", false}, {"2021-12-28", false}, {"2022-01-03", false}, {"2022-12-27", false},
        {"2026-12-28", false}, {"2028-01-03", false}, {"2023-12-27", true},
    };
    for (size_t i = 0; i < N_OF(one_offs); i++)
        if (cal_is_working_day(c, day_of(one_offs[i].day)) != one_offs[i].working)
            fail_msg("%s should %sbe a working day", one_offs[i].day,
                     one_offs[i].working ? "" : "not ");
    cal_destroy(c);
}

/* ---- loader errors ---- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

#define HEAD "name = \"Test\";\nfirst_year = 2022;\nlast_year = 2022;\n" /* lines 1-3 */

typedef struct load_case {
    const char *text;
    const char *need_first, *need_last; /* NULL: 2022-01-01, 2022-12-31 */
    int rc;
    int line;         /* the message's line; 0: "FILE: " only */
    const char *want; /* a phrase the message holds */
} load_case;

static const load_case load_cases[] = {
    {HEAD "bank_holidays = (\"2022-12-26\", \"2022-12-27\");\n", NULL, NULL, 0, 0, NULL},
    {HEAD "bank_holidays = [\"2022-12-26\"];\n", NULL, NULL, 0, 0, NULL}, /* an array too */
    {HEAD "bank_holidays = ();\n", NULL, NULL, 0, 0, NULL},
    {HEAD "bank_holidays = (\n\"2022-12-26\",,\n\"2022-12-27\");\n", NULL, NULL, ERR_INPUT, 5,
     "syntax error"},
    /* libconfig joins adjacent strings, so a missing comma makes one long entry. */
    {HEAD "bank_holidays = (\n\"2022-12-26\"\n\"2022-12-27\");\n", NULL, NULL, ERR_INPUT, 6,
     "\"2022-12-262022-12-27\" is not a date; expected \"YYYY-MM-DD\" naming a real day (a "
     "comma is missing between two dates)"},
    {HEAD "bank_holiday = ();\n", NULL, NULL, ERR_INPUT, 4, "did you mean 'bank_holidays'"},
    {"name = \"Test\";\nfirst_year = 2022;\nlast_year = 2022;\n", NULL, NULL, ERR_INPUT, 1,
     "bank_holidays"},
    {"name = \"Test\";\nfirst_year = 2022;\nlast_year = 2021;\nbank_holidays = ();\n", NULL, NULL,
     ERR_INPUT, 3, "last_year 2021 is before first_year 2022; expected last_year >= first_year"},
    {"name = \"Test\";\nfirst_year = 0;\nlast_year = 2022;\nbank_holidays = ();\n", NULL, NULL,
     ERR_INPUT, 2, "first_year"},
    {"name = 5;\nfirst_year = 2022;\nlast_year = 2022;\nbank_holidays = ();\n", NULL, NULL,
     ERR_INPUT, 1, "name"},
    {HEAD "bank_holidays = (\n  \"2022-12-26\",\n  20221227\n);\n", NULL, NULL, ERR_INPUT, 6,
     "bank_holidays.[1] is not a string; expected a date in double quotes"},
    {HEAD "bank_holidays = (\n  \"2022-02-29\",\n  \"2022-12-28\"\n);\n", NULL, NULL, ERR_INPUT, 5,
     "bank_holidays.[0]: \"2022-02-29\" is not a date; expected \"YYYY-MM-DD\""},
    {HEAD "bank_holidays = (\n  \"2022-12-26\",\n  \"26/12/2022\",\n  \"2022-12-28\"\n);\n", NULL,
     NULL, ERR_INPUT, 6, "\"26/12/2022\" is not a date"},
    {HEAD "bank_holidays = (\n  \"2022-12-25\",\n  \"2022-12-28\"\n);\n", NULL, NULL, ERR_INPUT, 5,
     "2022-12-25 is a Sunday; expected a weekday (list the substitute day instead)"},
    {HEAD "bank_holidays = (\n  \"2022-01-01\",\n  \"2022-12-28\"\n);\n", NULL, NULL, ERR_INPUT, 5,
     "2022-01-01 is a Saturday"},
    {HEAD "bank_holidays = (\n  \"2022-12-26\",\n  \"2022-12-27\",\n  \"2022-12-26\",\n  "
          "\"2022-12-28\"\n);\n",
     NULL, NULL, ERR_INPUT, 7,
     "bank_holidays.[2]: 2022-12-26 is listed twice (also at line 5); expected each holiday "
     "once"},
    /* libconfig reads one token past a string (adjacent strings join) before
     * it records the string's line, so an entry with nothing after it on its
     * line is reported at the next token's line: here the ")" on line 6. */
    {HEAD "bank_holidays = (\n  \"2022-12-25\"\n);\n", NULL, NULL, ERR_INPUT, 6,
     "2022-12-25 is a Sunday"},
    {HEAD "bank_holidays = (\n  \"2023-01-02\",\n  \"2022-12-28\"\n);\n", NULL, NULL, ERR_INPUT, 5,
     "2023-01-02 is outside first_year..last_year (2022-2022)"},
    {HEAD "bank_holidays = (\n  \"2021-12-31\",\n  \"2022-12-28\"\n);\n", NULL, NULL, ERR_INPUT, 5,
     "is outside first_year..last_year"},
    {HEAD "bank_holidays = ();\n", "2022-01-01", "2023-03-31", ERR_INPUT, 3,
     "\"Test\" covers 2022-2022; the scenario runs to 2023-03-31; expected a calendar that "
     "covers it"},
    {HEAD "bank_holidays = ();\n", "2021-12-25", "2022-06-30", ERR_INPUT, 2,
     "\"Test\" covers 2022-2022; the scenario needs days from 2021-12-25; expected a calendar "
     "that covers them"},
};

static void test_load_errors(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_calendar.XXXXXX", path[64], prefix[96];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/cal.cfg", dir);
    for (size_t i = 0; i < N_OF(load_cases); i++) {
        const load_case *lc = &load_cases[i];
        write_file(path, lc->text);
        calendar *c = (calendar *)path; /* must come back NULL on failure */
        err_info e;
        err_clear(&e);
        int rc = cal_load(&c, path, day_of(lc->need_first ? lc->need_first : "2022-01-01"),
                          day_of(lc->need_last ? lc->need_last : "2022-12-31"), &e);
        if (rc != lc->rc)
            fail_msg("case %zu: rc %d, expected %d (%s)", i, rc, lc->rc, e.text);
        if (rc == 0) {
            assert_non_null(c);
            assert_int_equal(cal_first_day(c), day_of("2022-01-01"));
            assert_int_equal(cal_last_day(c), day_of("2022-12-31"));
            cal_destroy(c);
            continue;
        }
        assert_null(c);
        assert_int_equal(e.code, rc);
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, lc->line);
        if (strncmp(e.text, prefix, strlen(prefix)) != 0 || strstr(e.text, lc->want) == NULL)
            fail_msg("case %zu: message \"%s\" does not start \"%s\" and hold \"%s\"", i, e.text,
                     prefix, lc->want);
    }
    /* A well-formed file's holidays are the only extra days off. */
    write_file(path, HEAD "bank_holidays = (\"2022-12-26\", \"2022-12-27\");\n");
    calendar *c = NULL;
    assert_int_equal(cal_load(&c, path, day_of("2022-03-01"), day_of("2022-03-02"), NULL), 0);
    assert_int_equal(cal_working_days_between(c, day_of("2021-12-31") + 1, day_of("2022-12-31")),
                     260 - 2);
    cal_destroy(c);
    assert_int_equal(unlink(path), 0);

    /* Unreadable: no such file, and a folder. */
    err_info e;
    snprintf(prefix, sizeof prefix, "%s: ", path);
    c = (calendar *)path;
    assert_int_equal(cal_load(&c, path, 0, 1, &e), ERR_IO);
    assert_null(c);
    assert_non_null(strstr(e.text, "cannot read"));
    assert_int_equal(strncmp(e.text, prefix, strlen(prefix)), 0);
    assert_int_equal(cal_load(&c, dir, 0, 1, &e), ERR_IO);
    assert_non_null(strstr(e.text, "cannot read"));
    assert_int_equal(rmdir(dir), 0);
}

/* ---- allocation failure ---- */

/* An allocator that fails its fail_at-th call and counts live blocks. */
static int restore_hooks(void **state)
{
    (void)state;
    mem_set_hooks(NULL);
    return 0;
}

/* Fails each allocation of cal_load, then of cal_create_weekends_only, in turn
 * until none is left to fail: each failure is ERR_NOMEM (or, for cfg_open's
 * own copies, its message) with nothing left allocated. */
static void test_alloc_failure(void **state)
{
    (void)state;
    char path[1024];
    ew_path(path, sizeof path);
    int32_t from = day_of("2019-01-01"), to = day_of("2029-12-31");
    int rc = ERR_NOMEM;
    long n;
    for (n = 1; rc == ERR_NOMEM && n < 100; n++) {
        failing fa = {.fail_at = n};
        const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
        mem_set_hooks(&hooks);
        calendar *c = (calendar *)path;
        err_info e;
        err_clear(&e);
        rc = cal_load(&c, path, from, to, &e);
        if (rc == ERR_NOMEM) {
            assert_null(c);
            assert_int_equal(e.code, ERR_NOMEM);
            assert_non_null(strstr(e.text, "out of memory"));
            assert_int_equal(strncmp(e.text, path, strlen(path)), 0);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(cal_working_days_between(c, from, to), 2779);
            cal_destroy(c);
        }
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
    }
    assert_int_equal(rc, 0);
    assert_true(n > 4); /* cfg's two copies, the calendar, its two tables */

    rc = ERR_NOMEM;
    for (n = 1; rc == ERR_NOMEM && n < 100; n++) {
        failing fa = {.fail_at = n};
        const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
        mem_set_hooks(&hooks);
        calendar *c = (calendar *)path;
        err_info e;
        rc = cal_create_weekends_only(&c, from, to, &e);
        if (rc == ERR_NOMEM) {
            assert_null(c);
            assert_string_equal(e.text, "out of memory for a calendar of 4018 days");
        } else {
            assert_int_equal(rc, 0);
            cal_destroy(c);
        }
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 5); /* the calendar and its two tables, then success */
}

/* ---- programming errors stop the run ---- */

typedef enum misuse {
    WORKING_DAY_BEFORE,
    WORKING_DAY_AFTER,
    BETWEEN_FROM_BEFORE,
    BETWEEN_TO_AFTER,
    ADD_NEGATIVE,
    ADD_FROM_AFTER,
    WITHIN_DONE_AFTER,
    FORMAT_YEAR_10000,
    MISUSE_COUNT
} misuse;

static void misuse_calendar(const calendar *c, misuse what)
{
    int32_t first = cal_first_day(c), last = cal_last_day(c);
    char out[11];
    switch (what) {
    case WORKING_DAY_BEFORE:
        (void)cal_is_working_day(c, first - 1);
        break;
    case WORKING_DAY_AFTER:
        (void)cal_is_working_day(c, last + 1);
        break;
    case BETWEEN_FROM_BEFORE:
        (void)cal_working_days_between(c, first - 1, last);
        break;
    case BETWEEN_TO_AFTER:
        (void)cal_working_days_between(c, first, last + 1);
        break;
    case ADD_NEGATIVE:
        (void)cal_add_working_days(c, first, -1);
        break;
    case ADD_FROM_AFTER:
        (void)cal_add_working_days(c, last + 1, 1);
        break;
    case WITHIN_DONE_AFTER:
        (void)cal_within_working_days(c, first, last + 1, 1);
        break;
    case FORMAT_YEAR_10000:
        cal_format_date(cal_days_from_civil(10000, 1, 1), out);
        break;
    case MISUSE_COUNT:
        break;
    }
}

/* Each misuse must fire a CHECK (abort); run in a child since it aborts. */
static void test_checks_fire(void **state)
{
    (void)state;
    calendar *c = NULL;
    err_info e;
    assert_int_equal(cal_create_weekends_only(&c, day_of("2023-01-01"), day_of("2023-12-31"), &e),
                     0);
    for (int what = 0; what < MISUSE_COUNT; what++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (freopen("/dev/null", "w", stderr) == NULL)
                _exit(2);
            misuse_calendar(c, (misuse)what);
            _exit(0);
        }
        int status;
        assert_true(waitpid(pid, &status, 0) == pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
            fail_msg("misuse %d did not stop at a CHECK", what);
    }
    cal_destroy(c);
}

/* ---- many readers ---- */

#define N_THREADS 8

typedef struct reader {
    const calendar *c;
    uint64_t sum; /* a digest of every answer, in a fixed order */
} reader;

static void *read_all(void *arg)
{
    reader *r = arg;
    int32_t first = cal_first_day(r->c), last = cal_last_day(r->c);
    uint64_t sum = 0;
    for (int32_t day = first; day <= last; day++)
        for (int32_t n = 0; n <= 45; n += 3) {
            int32_t due = cal_add_working_days(r->c, day, n);
            sum = sum * 31 + (uint64_t)due;
            sum = sum * 31 + (uint64_t)cal_working_days_between(r->c, first, day);
            sum = sum * 31 + cal_within_working_days(r->c, day, last, n);
        }
    r->sum = sum;
    return NULL;
}

static void test_threads_agree(void **state)
{
    (void)state;
    calendar *c = load_ew();
    reader one = {c, 0}, many[N_THREADS];
    read_all(&one);
    pthread_t t[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        many[i] = (reader){c, 0};
        assert_int_equal(pthread_create(&t[i], NULL, read_all, &many[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_true(many[i].sum == one.sum);
    }
    cal_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_weekends_only),
        cmocka_unit_test(test_ew_counts),
        cmocka_unit_test(test_ew_add),
        cmocka_unit_test(test_ew_within),
        cmocka_unit_test(test_ew_invariants),
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_data_file),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test_teardown(test_alloc_failure, restore_hooks),
        cmocka_unit_test(test_checks_fire),
        cmocka_unit_test(test_threads_agree),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
