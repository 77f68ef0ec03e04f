/*
 * test_cfg — every way a scenario file can be wrong, and the message it gets.
 *
 * Most cases are table rows: a small libconfig snippet, the setting to read
 * and the substrings the message must contain, always including its
 * "FILE:LINE:" prefix. One test writes real files under /tmp to cover
 * cfg_open, @include resolution and unreadable files; another swaps in an
 * allocator that fails on the Nth call to prove error paths free everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "mem.h"
#include "support/failing_mem.h"

#define MAX_WANT 3

/* A failing row: ERR_INPUT and the substrings its message must hold. */
#define ERR(...) .rc = ERR_INPUT, .want = {__VA_ARGS__}

/* Fails the test unless e->text holds every non-NULL want and not unwanted. */
static void check_msg(const char *table, size_t row, const err_info *e,
                      const char *const want[MAX_WANT], const char *unwanted)
{
    for (size_t k = 0; k < MAX_WANT && want[k] != NULL; k++)
        if (strstr(e->text, want[k]) == NULL)
            fail_msg("%s row %zu: message \"%s\" lacks \"%s\"", table, row, e->text, want[k]);
    if (unwanted != NULL && strstr(e->text, unwanted) != NULL)
        fail_msg("%s row %zu: message \"%s\" has \"%s\"", table, row, e->text, unwanted);
}

/* The setting at path ("" for the root) of an open file. */
static config_setting_t *at(cfg_file *f, const char *path)
{
    config_setting_t *s =
        path == NULL || *path == '\0' ? cfg_root(f) : config_lookup(&f->cfg, path);
    if (s == NULL)
        fail_msg("no setting at '%s'", path);
    return s;
}

static void open_text(cfg_file *f, const char *text, const char *name)
{
    err_info e;
    err_clear(&e);
    if (cfg_open_string(f, text, name, &e) != 0)
        fail_msg("cannot parse test snippet: %s", e.text);
}

/* ---- parsing ---- */

typedef struct syntax_case {
    const char *text;
    const char *want[MAX_WANT];
} syntax_case;

static const syntax_case syntax_cases[] = {
    {"a = 1;\nb = = 2;\n",
     {"s.cfg:2: syntax error; expected valid libconfig syntax (name = value;)"}},
    {"a = 1;\n\n\nservers = ten;\n", {"s.cfg:4: syntax error"}},
    {"g = {\n a = 1;\n", {"s.cfg:3: syntax error"}}, /* unclosed: reported past the end */
    {"x = 1;\ny = [1, 2.5];\n",
     {"s.cfg:2: mismatched element type in array; expected numbers of one kind",
      "write 1.0 rather than 1"}},
    {"x = 5;\nx = 6;\n", {"s.cfg:2: duplicate setting name; expected each name at most once"}},
    {"x = 1;\n@include \"caseflow-no-such-include.cfg\"\n",
     {"s.cfg:2: cannot open include file; expected an @include path relative"}},
};

static void test_syntax_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof syntax_cases / sizeof syntax_cases[0]; i++) {
        cfg_file f;
        err_info e;
        err_clear(&e);
        assert_int_equal(cfg_open_string(&f, syntax_cases[i].text, "s.cfg", &e), ERR_INPUT);
        assert_int_equal(e.code, ERR_INPUT);
        check_msg("syntax", i, &e, syntax_cases[i].want, NULL);
        assert_false(f.open);
        assert_null(f.path);
        cfg_close(&f);
        cfg_close(&f);
    }
}

static void test_close_is_safe(void **state)
{
    (void)state;
    cfg_file f = {0};
    cfg_close(&f);
    cfg_close(NULL);
    open_text(&f, "a = 1;", NULL);
    assert_string_equal(f.path, "<string>");
    assert_non_null(cfg_root(&f));
    cfg_close(&f);
    assert_null(cfg_root(&f));
    cfg_close(&f);
}

/* ---- real files ---- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

/* Opens path, expecting code and a message that starts with prefix and holds want. */
static void expect_open_error(const char *path, int code, const char *prefix, const char *want)
{
    cfg_file f;
    err_info e;
    err_clear(&e);
    assert_int_equal(cfg_open(&f, path, &e), code);
    if (strncmp(e.text, prefix, strlen(prefix)) != 0 || strstr(e.text, want) == NULL)
        fail_msg("open %s: message \"%s\" does not start \"%s\" and hold \"%s\"", path, e.text,
                 prefix, want);
    assert_false(f.open);
    cfg_close(&f);
}

static void test_open_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_cfg.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64], inc[80], bad[80], main_path[64], absent[64], prefix[128];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(inc, sizeof inc, "%s/inc.cfg", sub);
    snprintf(bad, sizeof bad, "%s/bad.cfg", sub);
    snprintf(main_path, sizeof main_path, "%s/main.XXXXXX", dir);
    int fd = mkstemp(main_path);
    assert_true(fd >= 0);
    close(fd);
    write_file(inc, "inc_val = 7;\n");
    write_file(bad, "ok = 1;\nbad = ;\n");

    /* @include resolves against the scenario's folder, not the working one. */
    write_file(main_path, "a = 1;\n\n@include \"sub/inc.cfg\"\n");
    cfg_file f;
    err_info e;
    err_clear(&e);
    assert_int_equal(cfg_open(&f, main_path, &e), 0);
    int64_t v = 0;
    assert_int_equal(cfg_get_int64_in(&f, cfg_root(&f), "inc_val", true, 0, 10, &v, &e), 0);
    assert_int_equal(v, 7);
    const config_setting_t *s = at(&f, "inc_val");
    /* libconfig 1.5 records an included file as written in the @include. */
    assert_string_equal(cfg_where_file(&f, s), "sub/inc.cfg");
    assert_int_equal(cfg_where_line(s), 1);
    assert_string_equal(cfg_where_file(&f, at(&f, "a")), main_path);
    assert_int_equal(cfg_error(&f, s, &e, ERR_INPUT, "inc_val is %d", 7), ERR_INPUT);
    assert_string_equal(e.text, "sub/inc.cfg:1: inc_val is 7");
    cfg_close(&f);

    snprintf(prefix, sizeof prefix, "%s:3: ", main_path);
    write_file(main_path, "a = 1;\nb = 2;\nc = ;\n");
    expect_open_error(main_path, ERR_INPUT, prefix, "syntax error; expected valid libconfig");
    write_file(main_path, "a = 1;\n@include \"sub/bad.cfg\"\n");
    expect_open_error(main_path, ERR_INPUT, "sub/bad.cfg:2: ", "syntax error");
    snprintf(prefix, sizeof prefix, "%s:2: ", main_path);
    write_file(main_path, "x = 1;\n@include \"sub/none.cfg\"\n");
    expect_open_error(main_path, ERR_INPUT, prefix, "cannot open include file");

    snprintf(absent, sizeof absent, "%s/absent.cfg", dir);
    snprintf(prefix, sizeof prefix, "%s: ", absent);
    expect_open_error(absent, ERR_IO, prefix,
                      "cannot read scenario file (No such file or directory)");
    expect_open_error("caseflow-no-such-file.cfg", ERR_IO,
                      "caseflow-no-such-file.cfg: ", "cannot read scenario file");
    snprintf(prefix, sizeof prefix, "%s: ", dir);
    expect_open_error(dir, ERR_IO, prefix, "cannot read scenario file (it is a folder)");

    assert_int_equal(unlink(main_path), 0);
    assert_int_equal(unlink(inc), 0);
    assert_int_equal(unlink(bad), 0);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* ---- locations ---- */

static const char where_text[] = "name = \"x\";\n"       /* 1 */
                                 "nodes = (\n"           /* 2 */
                                 "  { name = \"A\";\n"   /* 3 */
                                 "    servers = 3; },\n" /* 4 */
                                 "  {\n"                 /* 5 */
                                 "    name = \"B\";\n"   /* 6 */
                                 "    service = { dist = \"exponential\"; mean = 4.0; };\n"
                                 "  }\n"          /* 8 */
                                 ");\n"           /* 9 */
                                 "arr = [1, 2,\n" /* 10 */
                                 "  3];\n";       /* 11 */

static const struct {
    const char *path;
    int line;
} where_cases[] = {
    {"", 1} /* the root: what is missing there is reported at line 1 */,
    {"name", 1},
    {"nodes", 2},
    {"nodes.[0]", 3},
    {"nodes.[0].servers", 4},
    {"nodes.[1]", 5},
    {"nodes.[1].service.mean", 7},
    {"arr.[2]", 11},
};

static void test_where(void **state)
{
    (void)state;
    cfg_file f;
    open_text(&f, where_text, "w.cfg");
    for (size_t i = 0; i < sizeof where_cases / sizeof where_cases[0]; i++) {
        const config_setting_t *s = at(&f, where_cases[i].path);
        if (cfg_where_line(s) != where_cases[i].line)
            fail_msg("'%s': line %d, expected %d", where_cases[i].path, cfg_where_line(s),
                     where_cases[i].line);
        assert_string_equal(cfg_where_file(&f, s), "w.cfg");
    }
    /* Settings made in memory have no line: the nearest ancestor's is used. */
    config_setting_t *added = config_setting_add(at(&f, "nodes.[1]"), "extra", CONFIG_TYPE_INT);
    assert_non_null(added);
    assert_int_equal(cfg_where_line(added), 5);
    assert_int_equal(cfg_where_line(NULL), 0);
    assert_string_equal(cfg_where_file(&f, NULL), "w.cfg");

    err_info e;
    assert_int_equal(cfg_error(&f, cfg_root(&f), &e, ERR_LIMIT, "too big (%d)", 3), ERR_LIMIT);
    assert_string_equal(e.text, "w.cfg:1: too big (3)");
    assert_int_equal(e.code, ERR_LIMIT);
    assert_int_equal(cfg_error(&f, added, &e, ERR_INPUT, "x"), ERR_INPUT);
    assert_string_equal(e.text, "w.cfg:5: x");
    assert_int_equal(cfg_error(&f, added, NULL, ERR_INPUT, "x"), ERR_INPUT);
    cfg_close(&f);

    /* A path too long to show keeps its inner end: "...g.g.x". */
    char deep[1024] = "";
    for (int i = 0; i < 150; i++)
        strcat(deep, "g={");
    strcat(deep, "x=\"s\";");
    for (int i = 0; i < 150; i++)
        strcat(deep, "};");
    open_text(&f, deep, "w.cfg");
    const config_setting_t *g = cfg_root(&f);
    while (config_setting_get_member(g, "g") != NULL)
        g = config_setting_get_member(g, "g");
    double v;
    assert_int_equal(cfg_get_double(&f, g, "x", true, &v, &e), ERR_INPUT);
    assert_true(strncmp(e.text, "w.cfg:1: ...", 12) == 0);
    assert_non_null(strstr(e.text, ".g.g.x: expected a number"));
    assert_true(strlen(e.text) < 400);
    cfg_close(&f);
}

/* ---- unknown keys ---- */

static const char *const node_keys[] = {"name", "services", "service", NULL};
static const char *const top_keys[] = {"name", "horizon", NULL};
static const char *const no_keys[] = {NULL};

typedef struct keys_case {
    const char *text;
    const char *group;
    const char *const *allowed;
    int rc;
    const char *want[MAX_WANT];
    const char *unwanted;
} keys_case;

static const keys_case keys_cases[] = {
    {"nodes = ( { name = \"A\"; services = 2; service = 1; } );", "nodes.[0]", node_keys, .rc = 0},
    {"nodes = ( { name = \"A\";\n servces = 2; } );", "nodes.[0]", node_keys,
     ERR("k.cfg:2: unknown setting 'servces' in nodes.[0] (did you mean 'services'?); expected one "
         "of: name, services, service")},
    {"horizon = 5;\nnme = \"x\";", "", top_keys,
     ERR("k.cfg:2: unknown top-level setting 'nme' (did you mean 'name'?); expected one of: name, "
         "horizon")},
    {"zzzzz = 1;", "", top_keys,
     ERR("k.cfg:1: unknown top-level setting 'zzzzz'; expected one of: name, horizon"),
     .unwanted = "did you mean"},
    /* One letter: every two-letter key is within distance 2, so no guess. */
    {"g = { x = 1; };", "g", (const char *const[]){"sd", NULL}, ERR("'x'"), .unwanted = "did you"},
    {"nodes = ( 1, 2 );", "nodes", node_keys,
     ERR("k.cfg:1: nodes: expected a group { ... }, got a list ( ... )")},
    {"g = { a = 1; };", "g", no_keys, ERR("k.cfg:1: unexpected 'a' in g; expected nothing")},
    {"g = { };", "g", no_keys, .rc = 0},
};

static void test_check_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof keys_cases / sizeof keys_cases[0]; i++) {
        const keys_case *c = &keys_cases[i];
        cfg_file f;
        err_info e;
        open_text(&f, c->text, "k.cfg");
        err_clear(&e);
        int rc = cfg_check_keys(&f, at(&f, c->group), c->allowed, &e);
        if (rc != c->rc)
            fail_msg("keys row %zu: rc %d, expected %d (%s)", i, rc, c->rc, e.text);
        check_msg("keys", i, &e, c->want, c->unwanted);
        cfg_close(&f);
    }
}

/* ---- typed getters ---- */

typedef enum getter {
    GET_DOUBLE,
    GET_DOUBLE_IN,
    GET_INT64,
    GET_STRING,
    GET_STRING_OR_EMPTY,
    GET_GROUP,
    GET_LIST,
    GET_ARRAY
} getter;

typedef struct get_case {
    const char *text;
    const char *group;
    getter op;
    const char *key;
    bool required;
    double lo, hi; /* GET_DOUBLE_IN bounds; GET_INT64 uses them when finite */
    int rc;
    double value;          /* number read, or element count for GET_ARRAY / members */
    const char *text_read; /* string read (GET_STRING*) */
    const char *want[MAX_WANT];
} get_case;

/* Marks "absent and not required": *out must keep its preset. */
#define PRESET 123.0

static const get_case get_cases[] = {
    /* numbers */
    {"mean = 40;", .op = GET_DOUBLE, .key = "mean", .required = true, .value = 40},
    {"mean = 2.5;", .op = GET_DOUBLE, .key = "mean", .required = true, .value = 2.5},
    {"mean = 10000000000L;", .op = GET_DOUBLE, .key = "mean", .required = true, .value = 1e10},
    {"other = 1;", .op = GET_DOUBLE, .key = "mean", .value = PRESET},
    {"other = 1;", .op = GET_DOUBLE, .key = "horizon", .required = true,
     ERR("g.cfg:1: missing top-level setting 'horizon'; expected a number")},
    {"a = 1;\nservice = { sd = 1.0; };", "service", GET_DOUBLE, "mean", true,
     ERR("g.cfg:2: service is missing 'mean'; expected a number")},
    {"nodes = ( { a = 1; },\n { service = { mean = \"x\"; }; } );", "nodes.[1].service", GET_DOUBLE,
     "mean", true, ERR("g.cfg:2: nodes.[1].service.mean: expected a number, got the string \"x\"")},
    {"big = 1e999;", .op = GET_DOUBLE, .key = "big", .required = true,
     ERR("g.cfg:1: big: expected a finite number, got the number inf")},
    {"x = true;", .op = GET_DOUBLE, .key = "x", .required = true, ERR("got the boolean true")},
    {"x = { };", .op = GET_DOUBLE, .key = "x", .required = true, ERR("got a group { ... }")},
    {"x = [1];", .op = GET_DOUBLE, .key = "x", .required = true, ERR("got an array [ ... ]")},
    {"nodes = ( 1 );", "nodes", GET_DOUBLE, "x", true,
     ERR("g.cfg:1: nodes: expected a group { ... }, got a list ( ... )")},
    {"p = 1;", .op = GET_DOUBLE_IN, .key = "p", .required = true, .hi = 1, .value = 1},
    {"p = 1.5;", .op = GET_DOUBLE_IN, .key = "p", .required = true, .hi = 1,
     ERR("g.cfg:1: p must be from 0 to 1 (got 1.5)")},
    {"a = 1;\n\nmean = -1;", .op = GET_DOUBLE_IN, .key = "mean", .required = true, .hi = INFINITY,
     ERR("g.cfg:3: mean must be >= 0 (got -1)")},
    {"p = 7.25;", .op = GET_DOUBLE_IN, .key = "p", .required = true, .lo = -INFINITY, .hi = 5,
     ERR("g.cfg:1: p must be <= 5 (got 7.25)")},
    {"q = 1;", .op = GET_DOUBLE_IN, .key = "p", .hi = 1, .value = PRESET},
    /* whole numbers */
    {"n = 10;", .op = GET_INT64, .key = "n", .required = true, .lo = 1, .hi = 100, .value = 10},
    {"n = 1e6;", .op = GET_INT64, .key = "n", .required = true, .hi = INFINITY, .value = 1e6},
    {"n = 10000000000L;", .op = GET_INT64, .key = "n", .required = true, .hi = INFINITY,
     .value = 1e10},
    {"q = 1;", .op = GET_INT64, .key = "n", .hi = 10, .value = PRESET},
    {"nodes = ( { servers = \"ten\"; } );", "nodes.[0]", GET_INT64, "servers", true, 1, 100,
     ERR("g.cfg:1: nodes.[0].servers: expected a whole number, got the string \"ten\"")},
    {"nodes = ( { servers = 2.5; } );", "nodes.[0]", GET_INT64, "servers", true, 1, 100,
     ERR("g.cfg:1: nodes.[0].servers: expected a whole number, got the number 2.5")},
    {"nodes = ( { servers = 0; } );", "nodes.[0]", GET_INT64, "servers", true, 1, 100,
     ERR("g.cfg:1: nodes.[0].servers must be from 1 to 100 (got 0)")},
    {"n = -3;", .op = GET_INT64, .key = "n", .required = true, .lo = 1, .hi = INFINITY,
     ERR("g.cfg:1: n must be >= 1 (got -3)")},
    {"n = 1e30;", .op = GET_INT64, .key = "n", .required = true, .hi = INFINITY,
     ERR("g.cfg:1: n must be >= 0 (got 1e+30)")},
    {"n = 1e999;", .op = GET_INT64, .key = "n", .required = true, .hi = INFINITY,
     ERR("expected a whole number, got the number inf")},
    {"g = { };", "g", GET_INT64, "n", true, 0, 9, ERR("g is missing 'n'; expected a whole number")},
    /* strings */
    {"name = \"mmc\";", .op = GET_STRING, .key = "name", .required = true, .text_read = "mmc"},
    {"name = \"\";", .op = GET_STRING, .key = "name", .required = true,
     ERR("g.cfg:1: name is empty; expected some text between the quotes")},
    {"name = \"\";", .op = GET_STRING_OR_EMPTY, .key = "name", .required = true, .text_read = ""},
    {"other = 1;", .op = GET_STRING, .key = "name", .text_read = "preset"},
    {"name = 5;", .op = GET_STRING, .key = "name", .required = true,
     ERR("g.cfg:1: name: expected a string in double quotes, got the whole number 5")},
    {"name = \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\";", .op = GET_DOUBLE,
     .key = "name", .required = true,
     ERR("got the string \"abcdefghijklmnopqrstuvwxyzabcdefghijklmn...\"")},
    /* members */
    {"limits = { a = 1; };", .op = GET_GROUP, .key = "limits", .required = true, .value = 1},
    {"nodes = ( 1, 2 );", .op = GET_LIST, .key = "nodes", .required = true, .value = 2},
    {"nodes = [ 1, 2, 3 ];", .op = GET_LIST, .key = "nodes", .required = true, .value = 3},
    {"other = 1;", .op = GET_GROUP, .key = "limits", .value = -1},
    {"limits = ( 1 );", .op = GET_GROUP, .key = "limits", .required = true,
     ERR("g.cfg:1: limits: expected a group { ... }, got a list ( ... )")},
    {"other = 1;", .op = GET_LIST, .key = "nodes", .required = true,
     ERR("g.cfg:1: missing top-level setting 'nodes'; expected a list ( ... )")},
    /* arrays of numbers */
    {"v = [1.0, 2.5];", .op = GET_ARRAY, .key = "v", .required = true, .value = 2},
    {"v = (1, 2.5, 3L);", .op = GET_ARRAY, .key = "v", .required = true, .value = 3},
    {"other = 1;", .op = GET_ARRAY, .key = "v", .value = PRESET},
    {"v = [];", .op = GET_ARRAY, .key = "v", .required = true,
     ERR("g.cfg:1: v is empty; expected at least one number")},
    {"v = (1,\n 2,\n \"x\");", .op = GET_ARRAY, .key = "v", .required = true,
     ERR("g.cfg:3: v.[2]: expected a number, got the string \"x\"")},
    {"v = (1, 1e999);", .op = GET_ARRAY, .key = "v", .required = true,
     ERR("v.[1]: expected a finite number")},
    {"v = 5;", .op = GET_ARRAY, .key = "v", .required = true,
     ERR("g.cfg:1: v: expected a list of numbers such as [1.0, 2.5] or (1, 2.5), got the whole "
         "number 5")},
    {"g = { };", "g", GET_ARRAY, "v", true, ERR("g is missing 'v'; expected a list of numbers")},
};

/* Runs one getter row; returns its rc and writes what it read into *got. */
static int run_getter(cfg_file *f, const get_case *c, double *got, const char **got_s, err_info *e)
{
    const config_setting_t *g = at(f, c->group);
    int64_t lo = isinf(c->lo) ? INT64_MIN : (int64_t)c->lo;
    int64_t hi = isinf(c->hi) ? INT64_MAX : (int64_t)c->hi;
    int64_t iv = (int64_t)PRESET;
    config_setting_t *m = NULL;
    double *vals = NULL;
    size_t n = (size_t)PRESET;
    int rc;
    *got = PRESET;
    *got_s = "preset";
    switch (c->op) {
    case GET_DOUBLE:
        return cfg_get_double(f, g, c->key, c->required, got, e);
    case GET_DOUBLE_IN:
        return cfg_get_double_in(f, g, c->key, c->required, c->lo, c->hi, got, e);
    case GET_INT64:
        rc = cfg_get_int64_in(f, g, c->key, c->required, lo, hi, &iv, e);
        *got = (double)iv;
        return rc;
    case GET_STRING:
    case GET_STRING_OR_EMPTY:
        return cfg_get_string(f, g, c->key, c->required, c->op == GET_STRING_OR_EMPTY, got_s, e);
    case GET_GROUP:
    case GET_LIST:
        rc = cfg_get_member(f, g, c->key, c->required,
                            c->op == GET_GROUP ? CONFIG_TYPE_GROUP : CONFIG_TYPE_LIST, &m, e);
        *got = m != NULL ? config_setting_length(m) : -1;
        return rc;
    case GET_ARRAY:
        rc = cfg_get_double_array(f, g, c->key, c->required, &vals, &n, e);
        *got = (double)n;
        mem_free(vals);
        return rc;
    }
    return -99;
}

static void test_getters(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof get_cases / sizeof get_cases[0]; i++) {
        const get_case *c = &get_cases[i];
        cfg_file f;
        err_info e;
        open_text(&f, c->text, "g.cfg");
        err_clear(&e);
        double got;
        const char *got_s;
        int rc = run_getter(&f, c, &got, &got_s, &e);
        if (rc != c->rc)
            fail_msg("getter row %zu: rc %d, expected %d (%s)", i, rc, c->rc, e.text);
        if (rc == 0 && (c->op == GET_STRING || c->op == GET_STRING_OR_EMPTY))
            assert_string_equal(got_s, c->text_read);
        else if (rc == 0 && got != c->value)
            fail_msg("getter row %zu: read %.17g, expected %.17g", i, got, c->value);
        if (rc == 0)
            assert_int_equal(e.code, ERR_OK);
        check_msg("getter", i, &e, c->want, NULL);
        /* Without an err_info the code is still returned. */
        assert_int_equal(run_getter(&f, c, &got, &got_s, NULL), c->rc);
        cfg_close(&f);
    }
}

/* ---- distributions ---- */

typedef struct dist_ok_case {
    const char *text; /* defines group d */
    dist_kind kind;
    double mean; /* days */
    size_t n;    /* table length */
} dist_ok_case;

static const dist_ok_case dist_ok_cases[] = {
    {"d = { dist = \"exponential\"; mean = 4; };", DIST_EXPONENTIAL, 4.0, 0},
    {"d = { dist = \"deterministic\"; mean = 0.0; };", DIST_DETERMINISTIC, 0.0, 0},
    {"d = { mean = 40.0; dist = \"lognormal\"; sd = 25; };", DIST_LOGNORMAL, 40.0, 0},
    {"d = { dist = \"gamma\"; mean = 10L; sd = 3.0; };", DIST_GAMMA, 10.0, 0},
    {"d = { dist = \"weibull\"; mean = 10.0; sd = 5.0; };", DIST_WEIBULL, 10.0, 0},
    {"d = { dist = \"uniform\"; min = 1; max = 3; };", DIST_UNIFORM, 2.0, 0},
    {"d = { dist = \"triangular\"; min = 1; mode = 2; max = 6; };", DIST_TRIANGULAR, 3.0, 0},
    {"d = { dist = \"empirical\"; values = [1.0, 2.0, 6.0]; };", DIST_EMPIRICAL, 3.0, 3},
    {"d = { dist = \"empirical\"; values = (1, 2.5, 5.5); };", DIST_EMPIRICAL, 3.0, 3},
    {"d = { dist = \"histogram\"; breaks = [0.0, 1.0, 3.0]; probs = [0.5, 0.5]; };", DIST_HISTOGRAM,
     1.25, 2},
};

static void test_dist_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof dist_ok_cases / sizeof dist_ok_cases[0]; i++) {
        const dist_ok_case *c = &dist_ok_cases[i];
        cfg_file f;
        err_info e;
        dist d;
        open_text(&f, c->text, "d.cfg");
        err_clear(&e);
        if (cfg_get_dist(&f, at(&f, "d"), &d, &e) != 0)
            fail_msg("dist row %zu: %s", i, e.text);
        assert_int_equal(d.kind, c->kind);
        assert_int_equal(d.n, c->n);
        if (fabs(d.mean - c->mean) > 1e-9 * (1.0 + c->mean))
            fail_msg("dist row %zu: mean %.17g, expected %.17g", i, d.mean, c->mean);
        dist_fini(&d);
        cfg_close(&f);
    }
}

typedef struct dist_bad_case {
    const char *text;
    const char *group;
    int rc;
    const char *want[MAX_WANT];
    const char *unwanted;
} dist_bad_case;

#define KINDS                                                                                      \
    "expected one of: exponential, deterministic, lognormal, gamma, weibull, uniform, "            \
    "triangular, empirical, histogram"

static const dist_bad_case dist_bad_cases[] = {
    /* the kind */
    {"d = { dist = \"lognorml\"; mean = 40.0; sd = 25.0; };", "d",
     ERR("k.cfg:1: unknown distribution 'lognorml' (did you mean 'lognormal'?); " KINDS)},
    {"d = { dist = \"Exponential\"; mean = 4.0; };", "d", ERR("(did you mean 'exponential'?)")},
    {"d = { dist = \"banana\"; mean = 4.0; };", "d",
     ERR("k.cfg:1: unknown distribution 'banana'; " KINDS), .unwanted = "did you mean"},
    {"x = 1;\nd = { mean = 4.0; };", "d", ERR("k.cfg:2: d needs 'dist'; " KINDS)},
    {"d = { dist = 5; mean = 4.0; };", "d",
     ERR("k.cfg:1: d.dist: expected a string in double quotes, got the whole number 5")},
    {"d = { dist = \"\"; };", "d", ERR("k.cfg:1: d.dist is empty")},
    {"d = 5;", "d", ERR("k.cfg:1: d: expected a distribution group such as { dist =")},
    {"d = ( 5 );", "d", ERR("d: expected a distribution group", "got a list ( ... )")},
    /* keys that do not belong */
    {"d = { dist = \"exponential\"; mean = 4.0;\n sd = 1.0; };", "d",
     ERR("k.cfg:2: d: 'sd' does not apply here; exponential takes only 'mean'")},
    {"d = { dist = \"uniform\"; mean = 4.0; min = 1; max = 2; };", "d",
     ERR("uniform takes only 'min' and 'max'")},
    {"d = { dist = \"triangular\"; min = 1; mode = 2; max = 3; sd = 1; };", "d",
     ERR("triangular takes only 'min', 'mode' and 'max'")},
    {"d = { dist = \"histogram\"; values = [1.0]; };", "d",
     ERR("histogram takes only 'breaks' and 'probs'")},
    {"d = { dist = \"exponential\"; mena = 4.0; };", "d",
     ERR("k.cfg:1: unknown setting 'mena' in d (did you mean 'mean'?); expected one of: dist, "
         "mean")},
    /* missing parameters, named with their unit, located at the group */
    {"x = 1;\nd = {\n dist = \"lognormal\";\n mean = 40; };", "d",
     ERR("k.cfg:2: d: lognormal needs 'sd' (days)")},
    {"nodes = ( { name = \"A\";\n service = { dist = \"gamma\"; mean = 3.0; }; } );",
     "nodes.[0].service", ERR("k.cfg:2: nodes.[0].service: gamma needs 'sd' (days)")},
    {"d = { dist = \"triangular\"; min = 1; max = 3; };", "d",
     ERR("d: triangular needs 'mode' (days)")},
    {"d = { dist = \"empirical\"; };", "d",
     ERR("d: empirical needs 'values' (a list of durations in days)")},
    {"d = { dist = \"histogram\"; breaks = [0.0, 1.0]; };", "d",
     ERR("d: histogram needs 'probs' (a list of n band probabilities summing to 1)")},
    /* parameters of the wrong type */
    {"d = { dist = \"exponential\"; mean = \"forty\"; };", "d",
     ERR("k.cfg:1: d.mean: expected a number, got the string \"forty\"")},
    {"d = { dist = \"weibull\"; mean = 1e999; sd = 1.0; };", "d",
     ERR("d.mean: expected a finite number")},
    {"d = { dist = \"empirical\"; values = []; };", "d",
     ERR("k.cfg:1: d.values is empty; expected at least one number")},
    {"d = { dist = \"empirical\"; values = (1,\n \"a\"); };", "d",
     ERR("k.cfg:2: d.values.[1]: expected a number, got the string \"a\"")},
    {"d = { dist = \"empirical\"; values = 5.0; };", "d",
     ERR("d.values: expected a list of numbers")},
    {"d = { dist = \"histogram\"; breaks = [0.0, 1.0, 2.0]; probs = []; };", "d",
     ERR("d.probs is empty")},
    {"d = { dist = \"histogram\"; breaks = [0.0, 1.0, 2.0]; probs = [0.2, 0.3, 0.5]; };", "d",
     ERR("k.cfg:1: d: histogram has 3 breaks and 3 probs; expected one more break than probs")},
    /* rejected by dist_init_*: the dist module's own message (its wording is
     * dist's business, so only the parameter it names is checked) behind the
     * group's location */
    {"a = 1;\n\nd = { dist = \"exponential\"; mean = -1.0; };", "d", ERR("k.cfg:3: d: ", "mean")},
    {"d = { dist = \"deterministic\"; mean = -1.0; };", "d", ERR("k.cfg:1: d: ", "mean")},
    {"d = { dist = \"lognormal\"; mean = 40.0; sd = 0; };", "d", ERR("k.cfg:1: d: ", "sd")},
    {"d = { dist = \"gamma\"; mean = -4.0; sd = 1; };", "d", ERR("k.cfg:1: d: ", "mean")},
    {"d = { dist = \"weibull\"; mean = 1.0; sd = 1000.0; };", "d", ERR("k.cfg:1: d: ")},
    {"d = { dist = \"uniform\"; min = 3; max = 1; };", "d", ERR("k.cfg:1: d: ", "min")},
    {"d = { dist = \"triangular\"; min = 1; mode = 5; max = 3; };", "d",
     ERR("k.cfg:1: d: ", "mode")},
    {"d = { dist = \"histogram\"; breaks = [0.0, 1.0, 2.0]; probs = [0.5, 0.6]; };", "d",
     ERR("k.cfg:1: d: ", "probs")},
    {"d = { dist = \"histogram\"; breaks = [0.0, 2.0, 1.0]; probs = [0.5, 0.5]; };", "d",
     ERR("k.cfg:1: d: ", "breaks")},
};

static void test_dist_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof dist_bad_cases / sizeof dist_bad_cases[0]; i++) {
        const dist_bad_case *c = &dist_bad_cases[i];
        cfg_file f;
        err_info e;
        dist d;
        open_text(&f, c->text, "k.cfg");
        err_clear(&e);
        int rc = cfg_get_dist(&f, at(&f, c->group), &d, &e);
        if (rc != c->rc)
            fail_msg("bad dist row %zu: rc %d, expected %d (%s)", i, rc, c->rc, e.text);
        check_msg("bad dist", i, &e, c->want, c->unwanted);
        /* A failed parse leaves nothing to free. */
        assert_null(d.table);
        assert_null(d.cum);
        assert_int_equal(d.n, 0);
        cfg_close(&f);
    }
}

/* ---- allocation failure ---- */

/* An allocator that fails its fail_at-th call and counts live blocks. */
static void fail_at(failing *fa, long n)
{
    fa->calls = 0;
    fa->fail_at = n;
    const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, fa};
    mem_set_hooks(&hooks);
}

static void test_alloc_failure_array(void **state)
{
    (void)state;
    failing fa = {0};
    cfg_file f;
    err_info e;
    open_text(&f, "v = [1.0, 2.0, 3.0];", "m.cfg");
    double *vals = NULL;
    size_t n = 0;
    fail_at(&fa, 1);
    assert_int_equal(cfg_get_double_array(&f, cfg_root(&f), "v", true, &vals, &n, &e), ERR_NOMEM);
    mem_set_hooks(NULL);
    assert_null(vals);
    assert_int_equal(n, 0);
    assert_int_equal(fa.live, 0);
    assert_string_equal(e.text, "m.cfg:1: out of memory reading v (3 numbers)");
    cfg_close(&f);
}

/* Fails each allocation of cfg_get_dist in turn, until none is left to fail. */
static void fail_each_dist_allocation(const char *text)
{
    failing fa = {0};
    cfg_file f;
    open_text(&f, text, "m.cfg");
    int rc = ERR_NOMEM;
    long n;
    for (n = 1; rc == ERR_NOMEM && n < 100; n++) {
        err_info e;
        dist d;
        fail_at(&fa, n);
        rc = cfg_get_dist(&f, at(&f, "d"), &d, &e);
        if (rc == ERR_NOMEM) {
            assert_int_equal(e.code, ERR_NOMEM);
            assert_non_null(strstr(e.text, "m.cfg:1: "));
            assert_null(d.table);
            assert_null(d.cum);
        } else {
            assert_int_equal(rc, 0);
            dist_fini(&d);
        }
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
    }
    assert_int_equal(rc, 0);
    assert_true(n > 3); /* at least our copy and the dist's own table failed */
    cfg_close(&f);
}

static void test_alloc_failure_dist(void **state)
{
    (void)state;
    fail_each_dist_allocation("d = { dist = \"empirical\"; values = [1.0, 2.0, 6.0]; };");
    fail_each_dist_allocation(
        "d = { dist = \"histogram\"; breaks = [0.0, 1.0, 3.0]; probs = [0.5, 0.5]; };");
}

static void test_alloc_failure_open(void **state)
{
    (void)state;
    failing fa = {0};
    cfg_file f;
    err_info e;
    fail_at(&fa, 1);
    assert_int_equal(cfg_open_string(&f, "a = 1;", "m.cfg", &e), ERR_NOMEM);
    assert_string_equal(e.text, "m.cfg: out of memory reading settings");
    cfg_close(&f);
    for (long n = 1; n <= 2; n++) { /* the path copy, then its folder */
        fail_at(&fa, n);
        assert_int_equal(cfg_open(&f, "/tmp/caseflow-none/x.cfg", &e), ERR_NOMEM);
        assert_false(f.open);
        cfg_close(&f);
    }
    mem_set_hooks(NULL);
    assert_int_equal(fa.live, 0);
}

/* ---- edit distance ---- */

static void test_edit_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        size_t d;
    } cases[] = {
        {"", "", 0},
        {"abc", "", 3},
        {"", "abc", 3},
        {"kitten", "sitting", 3},
        {"servces", "services", 1},
        {"flaw", "lawn", 2},
        {"lognorml", "lognormal", 1},
        {"mena", "mean", 2},
        {"same", "same", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(cfg_edit_distance(cases[i].a, cases[i].b), cases[i].d);
        assert_int_equal(cfg_edit_distance(cases[i].b, cases[i].a), cases[i].d);
    }
    /* Strings longer than the stack row take the heap path. */
    char a[201], b[202];
    memset(a, 'a', 200);
    a[200] = '\0';
    memset(b, 'a', 201);
    b[201] = '\0';
    b[100] = 'b';
    assert_int_equal(cfg_edit_distance(a, b), 1); /* b is a with one letter inserted */
    /* Without memory it falls back to an upper bound, the longer length. */
    failing fa = {0};
    fail_at(&fa, 1);
    assert_int_equal(cfg_edit_distance(a, b), 201);
    mem_set_hooks(NULL);
    assert_int_equal(fa.live, 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_errors),       cmocka_unit_test(test_close_is_safe),
        cmocka_unit_test(test_open_file),           cmocka_unit_test(test_where),
        cmocka_unit_test(test_check_keys),          cmocka_unit_test(test_getters),
        cmocka_unit_test(test_dist_valid),          cmocka_unit_test(test_dist_invalid),
        cmocka_unit_test(test_alloc_failure_array), cmocka_unit_test(test_alloc_failure_dist),
        cmocka_unit_test(test_alloc_failure_open),  cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests_name("cfg", tests, NULL, NULL);
}
