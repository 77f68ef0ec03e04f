/*
 * test_inherit — scenario variants (sim/inherit.h) and the tree edits under
 * them (sim/cfgtree.h).
 *
 * Files are written to a fresh temporary folder: a generic base (any
 * libconfig; inheritance knows nothing of scenarios) and variants of it.
 * The merge is checked by comparing config_write of the merged tree with
 * config_write of the same scenario written by hand as one file. Then: the
 * log of changes, the rewriting of relative file paths, FILE:LINE of
 * messages both from the variant's instructions and from a loader reading
 * the merged tree, chains of bases (cycles, the depth limit, a missing or
 * broken base), and an allocator that fails its Nth call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgtree.h"
#include "inherit.h"
#include "mem.h"
#include "scenario.h"
#include "support/failing_mem.h"

#define N_OF(a)  (sizeof(a) / sizeof(a)[0])
#define MAX_WANT 3

/* The generic base: every kind of value, named and unnamed lists, nesting. */
static const char gbase[] = "name = \"g\";\n"                                      /* 1 */
                            "n = 1;\n"                                             /* 2 */
                            "x = 2.5;\n"                                           /* 3 */
                            "big = 5000000000L;\n"                                 /* 4 */
                            "flag = true;\n"                                       /* 5 */
                            "arr = [1.0, 2.0, 3.0];\n"                             /* 6 */
                            "ints = [1, 2];\n"                                     /* 7 */
                            "tags = [\"a\", \"b\"];\n"                             /* 8 */
                            "grp = { deep = { v = 1; w = \"s\"; }; k = 3; };\n"    /* 9 */
                            "items = ( { name = \"one\"; v = 1; },\n"              /* 10 */
                            "  { name = \"two\"; v = 2;\n"                         /* 11 */
                            "    sub = ( { name = \"x\"; q = 1.0; } ); },\n"       /* 12 */
                            "  { name = \"three\"; v = 3; } );\n"                  /* 13 */
                            "plain = ( { v = 10; }, { v = 11; }, { v = 12; } );\n" /* 14 */
                            "calendar = \"cal/c.cfg\";\n";                         /* 15 */

static char dir[64];

static void write_in(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700); /* a sub-folder, if name has one */
    *slash = '/';
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

static const char *in_dir(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

/* config_write of f's tree into fresh memory (free it). */
static char *written(cfg_file *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    config_write(&f->cfg, fp);
    assert_int_equal(fclose(fp), 0);
    return text;
}

/* Opens dir/name and resolves it: the return code, e and log filled. */
static int resolve_file(const char *name, cfg_file *f, inherit_log *log, err_info *e)
{
    char path[256];
    static const char *const keys[] = {"calendar", NULL};
    err_clear(e);
    memset(log, 0, sizeof *log);
    int rc = cfg_open(f, in_dir(name, path, sizeof path), e);
    if (rc == 0)
        rc = inherit_resolve(f, keys, log, e);
    return rc;
}

/* The merged text of variant `name` must equal that of the standalone text. */
static void assert_merges_to(const char *name, const char *standalone)
{
    cfg_file f, g;
    inherit_log log;
    err_info e;
    int rc = resolve_file(name, &f, &log, &e);
    if (rc != 0)
        fail_msg("%s: %s", name, e.text);
    inherit_log_fini(&log);
    write_in("standalone.cfg", standalone);
    assert_int_equal(resolve_file("standalone.cfg", &g, &log, &e), 0);
    assert_int_equal(log.n_changes, 0);
    char *a = written(&f), *b = written(&g);
    if (strcmp(a, b) != 0)
        fail_msg("%s merged to:\n%s\nexpected:\n%s", name, a, b);
    free(a);
    free(b);
    cfg_close(&f);
    cfg_close(&g);
}

static void setup_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/caseflow-test-inherit-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_in("gbase.cfg", gbase);
}

static int group_setup(void **state)
{
    (void)state;
    setup_dir();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- the merge ---- */

static void test_overrides_at_depth(void **state)
{
    (void)state;
    write_in("depth.cfg",
             "base = \"gbase.cfg\";\n"
             "name = \"d\";\n"
             "x = 3;\n" /* an int for a float: same place, new type */
             "ints = [7, 8, 9];\n"
             "overrides = (\n"
             "  { path = \"grp.deep.v\"; value = 9; },\n"
             "  { path = \"items.two.sub.x.q\"; value = 2.5; },\n"
             "  { path = \"plain.[1].v\"; value = 99; },\n"
             "  { path = \"items.three\"; value = { name = \"three\"; v = 30; extra = true; }; },\n"
             "  { path = \"arr.[2]\"; value = 4; },\n" /* an int joins an array of floats */
             "  { path = \"big\"; value = 6000000000L; },\n"
             "  { path = \"grp.deep.w\"; value = \"t\"; },\n"
             "  { path = \"tags\"; value = ( \"c\" ); }\n" /* a list for an array */
             ");\n");
    assert_merges_to("depth.cfg",
                     "name = \"d\";\nn = 1;\nx = 3;\nbig = 6000000000L;\nflag = true;\n"
                     "arr = [1.0, 2.0, 4.0];\nints = [7, 8, 9];\ntags = ( \"c\" );\n"
                     "grp = { deep = { v = 9; w = \"t\"; }; k = 3; };\n"
                     "items = ( { name = \"one\"; v = 1; },\n"
                     "  { name = \"two\"; v = 2; sub = ( { name = \"x\"; q = 2.5; } ); },\n"
                     "  { name = \"three\"; v = 30; extra = true; } );\n"
                     "plain = ( { v = 10; }, { v = 99; }, { v = 12; } );\n"
                     "calendar = \"cal/c.cfg\";\n");
}

static void test_add_and_remove(void **state)
{
    (void)state;
    write_in("edit.cfg",
             "base = \"gbase.cfg\";\n"
             "remove = [ \"items.one\", \"plain.[0]\", \"plain.[2]\", \"grp.k\", \"tags.[0]\" ];\n"
             "add = (\n"
             "  { path = \"items\"; value = { name = \"four\"; v = 4; }; },\n"
             "  { path = \"items\"; at = 0; value = { name = \"zero\"; v = 0; }; },\n"
             "  { path = \"items.two.sub\"; at = 1; value = { name = \"y\"; q = 3.0; }; },\n"
             "  { path = \"plain\"; at = 0; value = { v = 9; }; },\n"
             "  { path = \"grp.deep.z\"; value = [1, 2]; },\n"
             "  { path = \"newtop\"; value = { a = 1; }; },\n"
             "  { path = \"arr\"; at = 1; value = 1; },\n"
             "  { path = \"tags\"; value = \"z\"; },\n"
             "  { path = \"items\"; value = { name = \"one\"; v = 11; }; }\n" /* removed, so new */
             ");\n");
    assert_merges_to("edit.cfg",
                     "name = \"g\";\nn = 1;\nx = 2.5;\nbig = 5000000000L;\nflag = true;\n"
                     "arr = [1.0, 1.0, 2.0, 3.0];\nints = [1, 2];\ntags = [\"b\", \"z\"];\n"
                     "grp = { deep = { v = 1; w = \"s\"; z = [1, 2]; }; };\n"
                     "items = ( { name = \"zero\"; v = 0; },\n"
                     "  { name = \"two\"; v = 2;\n"
                     "    sub = ( { name = \"x\"; q = 1.0; }, { name = \"y\"; q = 3.0; } ); },\n"
                     "  { name = \"three\"; v = 3; }, { name = \"four\"; v = 4; },\n"
                     "  { name = \"one\"; v = 11; } );\n"
                     "plain = ( { v = 9; }, { v = 11; } );\n"
                     "calendar = \"cal/c.cfg\";\nnewtop = { a = 1; };\n");
}

/* A variant that only names its base is its base (base is consumed). */
static void test_base_only(void **state)
{
    (void)state;
    write_in("same.cfg", "base = \"gbase.cfg\";\n");
    assert_merges_to("same.cfg", gbase);
}

static void test_log(void **state)
{
    (void)state;
    write_in("logged.cfg", "base = \"gbase.cfg\";\n"                                   /* 1 */
                           "n = 2;\n"                                                  /* 2 */
                           "overrides = ( { path = \"items.two.v\"; value = 5; } );\n" /* 3 */
                           "remove = [ \"plain.[1]\" ];\n"                             /* 4 */
                           "add = ( { path = \"items\"; value = { name = \"new\"; }; },\n"
                           "        { path = \"plain\"; value = { v = 1; }; } );\n"); /* 5, 6 */
    cfg_file f;
    inherit_log log;
    err_info e;
    assert_int_equal(resolve_file("logged.cfg", &f, &log, &e), 0);
    assert_int_equal(log.n_bases, 1);
    assert_non_null(strstr(log.bases[0], "/gbase.cfg"));
    struct {
        inherit_op op;
        const char *path, *before, *after;
        int line;
    } want[] = {{INHERIT_CHANGED, "n", "1", "2", 2},
                {INHERIT_CHANGED, "items.two.v", "2", "5", 3},
                {INHERIT_REMOVED, "plain.[1]", "{ v = 11; }", NULL, 4},
                {INHERIT_ADDED, "items.new", NULL, "{ name = \"new\"; }", 5},
                {INHERIT_ADDED, "plain.[2]", NULL, "{ v = 1; }", 6}};
    assert_int_equal(log.n_changes, N_OF(want));
    for (size_t i = 0; i < N_OF(want); i++) {
        const inherit_change *c = &log.changes[i];
        assert_int_equal(c->op, want[i].op);
        assert_string_equal(c->path, want[i].path);
        if (want[i].before)
            assert_string_equal(c->before, want[i].before);
        else
            assert_null(c->before);
        if (want[i].after)
            assert_string_equal(c->after, want[i].after);
        else
            assert_null(c->after);
        assert_int_equal(c->line, want[i].line);
        assert_non_null(strstr(c->file, "/logged.cfg"));
    }
    inherit_log_fini(&log);
    inherit_log_fini(&log); /* twice is safe */
    cfg_close(&f);
}

/* A file without base is left exactly as read. */
static void test_no_base_untouched(void **state)
{
    (void)state;
    cfg_file f, g;
    inherit_log log;
    err_info e;
    char path[256];
    assert_int_equal(resolve_file("gbase.cfg", &f, &log, &e), 0);
    assert_int_equal(log.n_bases, 0);
    assert_int_equal(log.n_changes, 0);
    assert_int_equal(cfg_open(&g, in_dir("gbase.cfg", path, sizeof path), &e), 0);
    char *a = written(&f), *b = written(&g);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cfg_close(&f);
    cfg_close(&g);
    /* Text in memory never follows base. */
    scenario sc;
    assert_int_equal(scenario_open_string(&sc, "base = \"gbase.cfg\";\n", "m.cfg", &e), 0);
    assert_int_equal(sc.variant.n_bases, 0);
    assert_true(scenario_has(&sc, "base"));
    scenario_free(&sc);
}

/* ---- folders and chains ---- */

/* Relative file paths inherited from a base in another folder are rewritten
 * to be relative to the variant's; a variant's own stay as written. */
static void test_relative_folders(void **state)
{
    (void)state;
    write_in("sub/v.cfg", "base = \"../gbase.cfg\";\n");
    write_in("sub/deeper/w.cfg", "base = \"../v.cfg\";\n");
    write_in("sub/own.cfg", "base = \"../gbase.cfg\";\ncalendar = \"mine.cfg\";\n");
    const char *cases[][2] = {{"sub/v.cfg", "../cal/c.cfg"},
                              {"sub/deeper/w.cfg", "../../cal/c.cfg"},
                              {"sub/own.cfg", "mine.cfg"}};
    for (size_t i = 0; i < N_OF(cases); i++) {
        cfg_file f;
        inherit_log log;
        err_info e;
        const char *cal;
        if (resolve_file(cases[i][0], &f, &log, &e) != 0)
            fail_msg("%s: %s", cases[i][0], e.text);
        assert_int_equal(config_lookup_string(&f.cfg, "calendar", &cal), CONFIG_TRUE);
        assert_string_equal(cal, cases[i][1]);
        inherit_log_fini(&log);
        cfg_close(&f);
    }
    /* An absolute base makes the path absolute. */
    char text[256], want[256];
    snprintf(text, sizeof text, "base = \"%s/gbase.cfg\";\n", dir);
    write_in("sub/abs.cfg", text);
    cfg_file f;
    inherit_log log;
    err_info e;
    const char *cal;
    assert_int_equal(resolve_file("sub/abs.cfg", &f, &log, &e), 0);
    assert_int_equal(config_lookup_string(&f.cfg, "calendar", &cal), CONFIG_TRUE);
    snprintf(want, sizeof want, "%s/cal/c.cfg", dir);
    assert_string_equal(cal, want);
    inherit_log_fini(&log);
    cfg_close(&f);
}

static void test_chain(void **state)
{
    (void)state;
    write_in("c1.cfg", "base = \"gbase.cfg\";\nn = 10;\nx = 1.5;\n");
    write_in("c2.cfg", "base = \"c1.cfg\";\nn = 20;\n"
                       "overrides = ( { path = \"grp.k\"; value = 4; } );\n");
    cfg_file f;
    inherit_log log;
    err_info e;
    assert_int_equal(resolve_file("c2.cfg", &f, &log, &e), 0);
    int n;
    double x;
    assert_int_equal(config_lookup_int(&f.cfg, "n", &n), CONFIG_TRUE);
    assert_int_equal(n, 20);
    assert_int_equal(config_lookup_float(&f.cfg, "x", &x), CONFIG_TRUE);
    assert_true(x == 1.5);
    assert_int_equal(log.n_bases, 2);
    assert_non_null(strstr(log.bases[0], "c1.cfg"));
    assert_non_null(strstr(log.bases[1], "gbase.cfg"));
    /* The deepest changes first: c1's two, then c2's two. */
    assert_int_equal(log.n_changes, 4);
    assert_non_null(strstr(log.changes[0].file, "c1.cfg"));
    assert_string_equal(log.changes[2].before, "10");
    assert_string_equal(log.changes[2].after, "20");
    assert_non_null(strstr(log.changes[3].file, "c2.cfg"));
    inherit_log_fini(&log);
    cfg_close(&f);
}

/* Whether resolving name fails with code at name:line and every wanted text. */
static void assert_fails(const char *name, int code, const char *at, int line, const char *w1,
                         const char *w2)
{
    cfg_file f;
    inherit_log log;
    err_info e;
    char prefix[300], path[256];
    int rc = resolve_file(name, &f, &log, &e);
    cfg_close(&f);
    if (rc != code)
        fail_msg("%s: returned %d (%s); expected %d. Message: %s", name, rc, err_code_name(rc),
                 code, e.text);
    assert_int_equal(log.n_changes, 0); /* emptied on failure */
    snprintf(prefix, sizeof prefix, "%s:%d: ", in_dir(at, path, sizeof path), line);
    if (strncmp(e.text, prefix, strlen(prefix)) != 0)
        fail_msg("%s: message \"%s\" does not start with \"%s\"", name, e.text, prefix);
    if (w1 != NULL && strstr(e.text, w1) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", name, e.text, w1);
    if (w2 != NULL && strstr(e.text, w2) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", name, e.text, w2);
}

static void test_cycles_depth_missing(void **state)
{
    (void)state;
    write_in("a.cfg", "base = \"b.cfg\";\n");
    write_in("b.cfg", "# b\nbase = \"./a.cfg\";\n");
    assert_fails("a.cfg", ERR_INPUT, "b.cfg", 2, "base cycle: ", "a.cfg -> ");
    write_in("self.cfg", "base = \"self.cfg\";\n");
    assert_fails("self.cfg", ERR_INPUT, "self.cfg", 1, "base cycle", NULL);
    /* d0 -> d1 -> ... -> d9 -> gbase: nine bases below d0 is one too many. */
    char name[32], text[64];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "d%d.cfg", i);
        if (i < 9)
            snprintf(text, sizeof text, "base = \"d%d.cfg\";\n", i + 1);
        else
            snprintf(text, sizeof text, "base = \"gbase.cfg\";\n");
        write_in(name, text);
    }
    assert_fails("d0.cfg", ERR_INPUT, "d8.cfg", 1, "too many bases", "at most 8");
    cfg_file f;
    inherit_log log;
    err_info e;
    assert_int_equal(resolve_file("d2.cfg", &f, &log, &e), 0); /* eight: fine */
    assert_int_equal(log.n_bases, 8);
    inherit_log_fini(&log);
    cfg_close(&f);
    write_in("lost.cfg", "\nbase = \"nowhere/none.cfg\";\n");
    assert_fails("lost.cfg", ERR_IO, "lost.cfg", 2, "base \"nowhere/none.cfg\"",
                 "none.cfg: cannot read");
    /* A syntax error in the base is reported in the base. */
    write_in("broken.cfg", "n = 1;\nx = ;\n");
    write_in("on-broken.cfg", "base = \"broken.cfg\";\n");
    assert_fails("on-broken.cfg", ERR_INPUT, "broken.cfg", 2, "syntax", NULL);
}

/* ---- errors in the variant: at the variant's FILE:LINE ---- */

typedef struct bad_variant {
    const char *name;
    const char *text; /* after a first line base = "gbase.cfg"; */
    int line;
    const char *want[MAX_WANT];
} bad_variant;

static const bad_variant bad[] = {
    {"unknown_member",
     "overrides = ( { path = \"grp.deeep.v\"; value = 1; } );\n",
     2,
     {"overrides[0]: 'grp.deeep.v' is not a setting of the base gbase.cfg",
      "(did you mean 'deep'?)", "expected one of: deep, k"}},
    {"unknown_element",
     "\noverrides = ( { path = \"items.tow.v\"; value = 1; } );\n",
     3,
     {"items has no element named 'tow' (did you mean 'two'?)", "one, two, three"}},
    {"unnamed_list",
     "overrides = ( { path = \"plain.first\"; value = 1; } );\n",
     2,
     {"its elements have no names", "an index such as [0]"}},
    {"index_too_big",
     "overrides = ( { path = \"plain.[3]\"; value = 1; } );\n",
     2,
     {"plain has 3 elements; expected an index from [0] to [2]"}},
    {"index_on_group",
     "overrides = ( { path = \"grp.[0]\"; value = 1; } );\n",
     2,
     {"grp is a group; expected a setting name, not [0]"}},
    {"inside_scalar",
     "overrides = ( { path = \"n.m\"; value = 1; } );\n",
     2,
     {"n is a number, with nothing inside"}},
    {"empty_part",
     "overrides = ( { path = \"grp..k\"; value = 1; } );\n",
     2,
     {"has an empty part"}},
    {"string_for_number",
     "overrides = (\n  { path = \"n\";\n    value = \"one\"; } );\n",
     4,
     {"overrides[0]: 'n' is a number in the base (", "gbase.cfg:2); expected a number, got "
                                                     "\"one\""}},
    {"group_for_list",
     "overrides = ( { path = \"plain\"; value = { v = 1; }; } );\n",
     2,
     {"'plain' is a list ( ... ) or [ ... ] in the base", "got { v = 1; }"}},
    {"fraction_in_ints",
     "overrides = ( { path = \"ints.[0]\"; value = 1.5; } );\n",
     2,
     {"an element of an array of whole numbers", "expected a whole number, got 1.5"}},
    {"top_level_unknown",
     "flg = false;\n",
     2,
     {"'flg' is not a setting of the base gbase.cfg (did you mean 'flag'?)", "add = ( { path"}},
    {"top_level_typo", "overides = ();\n", 2, {"(did you mean 'overrides'?)"}},
    {"top_level_group", "grp = { k = 4; };\n", 2, {"'grp' is a group", "path = \"grp.SETTING\""}},
    {"missing_value", "overrides = ( { path = \"n\"; } );\n", 2, {"overrides[0]: missing 'value'"}},
    {"unknown_key",
     "overrides = ( { path = \"n\"; vaule = 2; } );\n",
     2,
     {"unknown setting 'vaule'", "did you mean 'value'?"}},
    {"not_a_list", "overrides = { path = \"n\"; value = 2; };\n", 2, {"expected a list"}},
    {"add_existing",
     "add = ( { path = \"grp.k\"; value = 1; } );\n",
     2,
     {"add[0]: 'grp.k' is already in the base (", "expected overrides to change it"}},
    {"add_twin",
     "add = ( { path = \"items\";\n  value = { name = \"two\"; }; } );\n",
     3,
     {"items already has an element named 'two' in the base (", "gbase.cfg:11)"}},
    {"add_at_past_end",
     "add = ( { path = \"plain\"; at = 4; value = { v = 1; }; } );\n",
     2,
     {"at = 4, but plain has 3 elements", "expected 0 (first) to 3"}},
    {"add_at_new_member",
     "add = ( { path = \"grp.new\"; at = 0; value = 1; } );\n",
     2,
     {"'at' places an element in a list"}},
    {"add_bad_name",
     "add = ( { path = \"grp.9lives\"; value = 1; } );\n",
     2,
     {"'9lives' is not a valid setting name"}},
    {"add_group_to_array",
     "add = ( { path = \"arr\"; value = { v = 1; }; } );\n",
     2,
     {"arr is an array of numbers; expected a number, got { v = 1; }"}},
    {"add_string_to_numbers",
     "add = ( { path = \"arr\"; value = \"x\"; } );\n",
     2,
     {"arr is an array of numbers"}},
    {"add_under_missing",
     "add = ( { path = \"grp.nope.k\"; value = 1; } );\n",
     2,
     {"'grp.nope.k' is not a setting of the base"}},
    {"remove_twice",
     "remove = [ \"items.one\",\n  \"items.[0]\" ];\n",
     3,
     {"remove[1]: 'items.[0]' is also remove[0]'s 'items.one'"}},
    {"remove_inside",
     "remove = ( \"items.two\", \"items.two.sub\" );\n",
     2,
     {"overlaps remove[0]'s 'items.two'"}},
    {"remove_not_string", "remove = ( 3 );\n", 2, {"remove[0]: expected a path"}},
    {"remove_unknown", "remove = [ \"items.four\" ];\n", 2, {"no element named 'four'"}},
};

static void test_variant_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bad); i++) {
        char name[64], text[512];
        snprintf(name, sizeof name, "%s.cfg", bad[i].name);
        snprintf(text, sizeof text, "base = \"gbase.cfg\";\n%s", bad[i].text);
        write_in(name, text);
        assert_fails(name, ERR_INPUT, name, bad[i].line, bad[i].want[0], bad[i].want[1]);
        if (bad[i].want[2] != NULL)
            assert_fails(name, ERR_INPUT, name, bad[i].line, bad[i].want[2], NULL);
    }
    /* Two elements with one name cannot be told apart by it. */
    write_in("twins.cfg", "items = ( { name = \"t\"; }, { name = \"t\"; } );\n");
    write_in("on-twins.cfg",
             "base = \"twins.cfg\";\n"
             "overrides = ( { path = \"items.t\"; value = { name = \"u\"; }; } );\n");
    assert_fails("on-twins.cfg", ERR_INPUT, "on-twins.cfg", 2,
                 "2 elements of the base twins.cfg are named 't'", NULL);
    /* Instructions without a base. */
    write_in("orphan.cfg", "n = 1;\nremove = [ \"n\" ];\n");
    assert_fails("orphan.cfg", ERR_INPUT, "orphan.cfg", 2, "'remove' changes a base scenario",
                 "base = \"FILE.cfg\"");
    write_in("base-number.cfg", "base = 3;\n");
    assert_fails("base-number.cfg", ERR_INPUT, "base-number.cfg", 1, "a string", NULL);
}

/* ---- through the scenario loader ---- */

static const char net_base[] =
    "name = \"net\";\n"                                                            /* 1 */
    "horizon_days = 200.0;\n"                                                      /* 2 */
    "replications = 3;\n"                                                          /* 3 */
    "arrivals = ( { to = \"A\"; rate_per_day = 1.0; } );\n"                        /* 4 */
    "nodes = ( { name = \"A\"; servers = 2;\n"                                     /* 5 */
    "    service = { dist = \"exponential\"; mean = 1.0; };\n"                     /* 6 */
    "    routes = ( { to = \"B\"; p = 0.5; }, { to = \"exit\"; p = 0.5; } ); },\n" /* 7 */
    "  { name = \"B\"; servers = 0;\n"                                             /* 8 */
    "    service = { dist = \"gamma\"; mean = 4.0; sd = 2.0; }; } );\n";           /* 9 */

static int load(const char *name, scenario *sc, err_info *e)
{
    char path[256];
    err_clear(e);
    int rc = scenario_open(sc, in_dir(name, path, sizeof path), e);
    return rc != 0 ? rc : scenario_load_network(sc, e);
}

/* A loader's message names the file and line the setting came from. */
static void test_loader_locations(void **state)
{
    (void)state;
    scenario sc;
    err_info e;
    char want[300], path[256];
    write_in("net.cfg", net_base);
    write_in("net-ok.cfg", "base = \"net.cfg\";\nname = \"ok\";\n"
                           "overrides = ( { path = \"nodes.A.servers\"; value = 3; } );\n");
    assert_int_equal(load("net-ok.cfg", &sc, &e), 0);
    assert_string_equal(sc.name, "ok");
    assert_int_equal(sc.net.nodes[0].servers, 3);
    assert_int_equal(sc.variant.n_changes, 2);
    scenario_free(&sc);
    /* A bad value the variant wrote: the variant's line. */
    write_in("net-p.cfg", "base = \"net.cfg\";\n\n"
                          "overrides = ( { path = \"nodes.A.routes.[0].p\";\n"
                          "                value = 1.5; } );\n");
    assert_int_equal(load("net-p.cfg", &sc, &e), ERR_INPUT);
    snprintf(want, sizeof want, "%s:4: ", in_dir("net-p.cfg", path, sizeof path));
    if (strncmp(e.text, want, strlen(want)) != 0)
        fail_msg("expected \"%s...\", got \"%s\"", want, e.text);
    assert_non_null(strstr(e.text, "must be from 0 to 1 (got 1.5)"));
    scenario_free(&sc);
    /* A check of a whole group the variant changed part of: the group's line,
     * in the base (a real FILE:LINE, documented in inherit.h). */
    write_in("net-sum.cfg", "base = \"net.cfg\";\n"
                            "overrides = ( { path = \"nodes.A.routes.[0].p\"; value = 0.7; } );\n");
    assert_int_equal(load("net-sum.cfg", &sc, &e), ERR_INPUT);
    snprintf(want, sizeof want, "%s:7: ", in_dir("net.cfg", path, sizeof path));
    if (strncmp(e.text, want, strlen(want)) != 0)
        fail_msg("expected \"%s...\", got \"%s\"", want, e.text);
    assert_non_null(strstr(e.text, "sum to 1.2"));
    scenario_free(&sc);
    /* A problem the variant exposes in a setting it did not touch: the base's line. */
    write_in("net-gone.cfg", "base = \"net.cfg\";\nremove = [ \"nodes.B\" ];\n");
    assert_int_equal(load("net-gone.cfg", &sc, &e), ERR_INPUT);
    snprintf(want, sizeof want, "%s:7: ", in_dir("net.cfg", path, sizeof path));
    if (strncmp(e.text, want, strlen(want)) != 0)
        fail_msg("expected \"%s...\", got \"%s\"", want, e.text);
    assert_non_null(strstr(e.text, "unknown node 'B'"));
    scenario_free(&sc);
    /* An added node: its own lines. */
    write_in("net-add.cfg", "base = \"net.cfg\";\n"
                            "add = ( { path = \"nodes\";\n"
                            "  value = { name = \"C\"; servers = -1;\n"
                            "    service = { dist = \"exponential\"; mean = 1.0; }; }; } );\n");
    assert_int_equal(load("net-add.cfg", &sc, &e), ERR_INPUT);
    snprintf(want, sizeof want, "%s:3: ", in_dir("net-add.cfg", path, sizeof path));
    if (strncmp(e.text, want, strlen(want)) != 0)
        fail_msg("expected \"%s...\", got \"%s\"", want, e.text);
    scenario_free(&sc);
}

/* The merged scenario written out is standalone: it loads to the same tree. */
static void test_written_is_standalone(void **state)
{
    (void)state;
    scenario sc, again;
    err_info e;
    write_in("net.cfg", net_base);
    write_in("net-w.cfg", "base = \"net.cfg\";\nname = \"w\";\n"
                          "add = ( { path = \"nodes.B.routes\"; value = ( { to = \"A\"; p = "
                          "0.1; }, { to = \"exit\"; p = 0.9; } ); } );\n");
    assert_int_equal(load("net-w.cfg", &sc, &e), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    assert_int_equal(scenario_write(&sc, fp, &e), 0);
    assert_int_equal(fclose(fp), 0);
    assert_null(strstr(text, "base"));
    write_in("net-w-resolved.cfg", text);
    assert_int_equal(load("net-w-resolved.cfg", &again, &e), 0);
    assert_int_equal(again.variant.n_bases, 0);
    assert_int_equal(again.net.nodes[1].n_routes, 2);
    char *a = written(&sc.file), *b = written(&again.file);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(text);
    scenario_free(&sc);
    scenario_free(&again);
}

/* ---- cfgtree on its own ---- */

static void test_cfgtree_show_and_fits(void **state)
{
    (void)state;
    cfg_file f;
    err_info e;
    char path[256], buf[40], tiny[8];
    assert_int_equal(cfg_open(&f, in_dir("gbase.cfg", path, sizeof path), &e), 0);
    config_setting_t *root = cfg_root(&f);
    assert_string_equal(cfgtree_show(config_setting_get_member(root, "grp"), buf, sizeof buf),
                        "{ deep = { v = 1; w = \"s\"; }; k = 3; }");
    assert_string_equal(cfgtree_show(config_setting_get_member(root, "arr"), buf, sizeof buf),
                        "[ 1, 2, 3 ]");
    assert_string_equal(cfgtree_show(config_setting_get_member(root, "items"), tiny, sizeof tiny),
                        "( { ...");
    assert_string_equal(cfgtree_show(config_setting_get_member(root, "flag"), buf, sizeof buf),
                        "true");
    const config_setting_t *n = config_setting_get_member(root, "n");
    const config_setting_t *x = config_setting_get_member(root, "x");
    const config_setting_t *big = config_setting_get_member(root, "big");
    assert_true(cfgtree_fits(CONFIG_TYPE_FLOAT, n));
    assert_true(cfgtree_fits(CONFIG_TYPE_INT64, n));
    assert_false(cfgtree_fits(CONFIG_TYPE_INT, x));
    assert_false(cfgtree_fits(CONFIG_TYPE_INT, big));
    assert_true(cfgtree_fits(CONFIG_TYPE_INT64, big));
    assert_false(cfgtree_fits(CONFIG_TYPE_STRING, n));
    assert_int_equal(cfgtree_kind(config_setting_get_member(root, "tags")), CFGTREE_SEQUENCE);
    cfg_close(&f);
}

/* ---- allocation failure ---- */

/* Fails the 1st, 2nd, ... allocation of loading a variant until a load gets
 * through: each attempt is ERR_NOMEM with nothing left allocated, or the
 * unhindered result. */
static void fail_each_allocation(const char *name)
{
    failing fa = {0};
    const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
    scenario sc;
    err_info base_e, e;
    int base_rc = load(name, &sc, &base_e);
    scenario_free(&sc);
    long n;
    for (n = 1; n < 100000; n++) {
        fa.calls = fa.live = 0;
        fa.fail_at = n;
        mem_set_hooks(&hooks);
        int rc = load(name, &sc, &e);
        bool reached = fa.calls >= n;
        if (rc == ERR_NOMEM) {
            assert_int_equal(fa.live, 0);
        } else if (rc != base_rc || strcmp(e.text, base_e.text) != 0) {
            mem_set_hooks(NULL);
            fail_msg("allocation %ld failing gave %d \"%s\"; expected ERR_NOMEM or %d \"%s\"", n,
                     rc, e.text, base_rc, base_e.text);
        }
        scenario_free(&sc);
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
        if (!reached)
            break;
    }
    assert_true(n > 10 && n < 100000);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    write_in("net.cfg", net_base);
    write_in("net-many.cfg",
             "base = \"net.cfg\";\nname = \"many\";\n"
             "overrides = ( { path = \"nodes.A.servers\"; value = 3.0; },\n"
             "  { path = \"nodes.B.service\"; value = { dist = \"deterministic\"; mean = 1.0; }; "
             "} );\n"
             "remove = [ \"nodes.A.routes.[1]\" ];\n"
             "add = ( { path = \"nodes.A.routes\"; at = 0; value = { to = \"exit\"; p = 0.5; }; "
             "} );\n");
    write_in("net-chain.cfg", "base = \"net-many.cfg\";\nreplications = 4;\n");
    write_in("net-p.cfg", "base = \"net.cfg\";\n"
                          "overrides = ( { path = \"nodes.A.routes.[0].p\"; value = 0.7; } );\n");
    fail_each_allocation("net-many.cfg");
    fail_each_allocation("net-chain.cfg");
    fail_each_allocation("net-p.cfg"); /* fails in the loader after merging */
}

/* inherit_find: paths by name, by element name and by index reach the same
 * settings as in overrides; a wrong part is named with the closest name. */
static void test_find(void **state)
{
    (void)state;
    cfg_file f;
    err_info e;
    config_setting_t *s;
    assert_int_equal(cfg_open_string(&f, gbase, "g.cfg", &e), 0);
    static const struct {
        const char *path;
        int line;
    } ok[] = {{"x", 3},
              {"arr.[2]", 6},
              {"grp.deep.v", 9},
              {"items.two.sub.x.q", 12},
              {"items.[1].sub.[0].q", 12},
              {"plain.[2].v", 14}};
    for (size_t i = 0; i < N_OF(ok); i++) {
        assert_int_equal(inherit_find(&f, "--vary", ok[i].path, &s, &e), 0);
        assert_non_null(s);
        assert_int_equal(cfg_where_line(s), ok[i].line);
    }
    assert_int_equal(inherit_find(&f, "--vary", "items.[1].v", &s, &e), 0);
    assert_int_equal(config_setting_get_int(s), 2);
    static const struct {
        const char *path, *says;
    } wrong[] = {
        {"items.two.sbu.x.q", "g.cfg: --vary: 'items.two.sbu.x.q' is not a setting of the scenario "
                              "(did you mean 'sub'?); expected one of: name, v, sub"},
        {"items.tow.v", "items has no element named 'tow' (did you mean 'two'?)"},
        {"arr.[3]", "arr has 3 elements; expected an index from [0] to [2]"},
        {"x.y", "x is a number, with nothing inside"},
        {"grp..k", "has an empty part"},
        {"", "is empty"},
    };
    for (size_t i = 0; i < N_OF(wrong); i++) {
        err_clear(&e);
        s = (config_setting_t *)&f;
        assert_int_equal(inherit_find(&f, "--vary", wrong[i].path, &s, &e), ERR_INPUT);
        assert_null(s);
        if (strstr(e.text, wrong[i].says) == NULL)
            fail_msg("%s: \"%s\"; expected it to say \"%s\"", wrong[i].path, e.text, wrong[i].says);
    }
    cfg_close(&f);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overrides_at_depth),
        cmocka_unit_test(test_add_and_remove),
        cmocka_unit_test(test_base_only),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_no_base_untouched),
        cmocka_unit_test(test_relative_folders),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_cycles_depth_missing),
        cmocka_unit_test(test_variant_errors),
        cmocka_unit_test(test_loader_locations),
        cmocka_unit_test(test_written_is_standalone),
        cmocka_unit_test(test_cfgtree_show_and_fits),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
