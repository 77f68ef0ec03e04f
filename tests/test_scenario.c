/*
 * test_scenario — the scenario loader's contract with the analyst.
 *
 * Every bad scenario must come back as a non-zero code and the message
 * "NAME:LINE: what is wrong; expected what", pointing at the line to edit.
 * Most cases are table rows: a small scenario, the code, the line and the
 * substrings the message must hold. Scenario texts are written one C string
 * literal per line (the L_* macros are one line each) so the expected line
 * numbers can be counted by eye.
 *
 * Then: good scenarios load to exactly what they say; command-line overrides
 * reach the resolved copy written next to the results; every file under
 * scenarios/invalid/ (found through CASEFLOW_ROOT) fails with the message its
 * first-line comment promises; and an allocator that fails its Nth call proves
 * the loader never crashes or leaks, returning ERR_NOMEM or succeeding.
 *
 * test_regressions holds cases the loader does not meet yet (see its comment):
 * they fail until the loader is fixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "net.h"
#include "scenario.h"
#include "support/failing_mem.h"

#define MAX_WANT 3
/* Any positive line number will do (the table cannot know the right one). */
#define ANY_LINE 0

/* One-line pieces of scenario text; each macro is exactly one line. */
#define L_NAME    "name = \"t\";\n"
#define L_HORIZON "horizon_days = 100.0;\n"
#define L_ARR_A   "arrivals = ( { to = \"A\"; rate_per_day = 1.0; } );\n"
#define L_NODES_A                                                                                  \
    "nodes = ( { name = \"A\"; servers = 2; service = { dist = \"exponential\"; mean = 1.0; }; } " \
    ");\n"
#define L_EXP "    service = { dist = \"exponential\"; mean = 1.0; };\n"

/* The example: an M/M/10 node feeding an infinite-server node. */
static const char mmc_text[] =
    "name = \"mmc\";\n"
    "horizon_days = 20000.0;\n"
    "warmup_days = 500.0;\n"
    "replications = 10;\n"
    "seed = 1;\n"
    "arrivals = ( { to = \"A\"; rate_per_day = 9.5; } );\n"
    "nodes = (\n"
    "  { name = \"A\"; servers = 10; service = { dist = \"exponential\"; mean = 1.0; };\n"
    "    routes = ( { to = \"B\"; p = 0.3; }, { to = \"exit\"; p = 0.7; } ); },\n"
    "  { name = \"B\"; servers = 0; service = { dist = \"lognormal\"; mean = 40.0; sd = 25.0; };\n"
    "    routes = ( { to = \"exit\"; p = 1.0; } ); }\n"
    ");\n";

typedef struct bad_case {
    const char *name; /* the case, and "<name>.cfg" is the file name in messages */
    int code;         /* ERR_INPUT or ERR_LIMIT */
    int line;         /* the line the message must name, or ANY_LINE */
    const char *want[MAX_WANT];
    const char *text;
} bad_case;

/* ---- helpers ---- */

/*
 * Whether text starts "file:line: " (any positive line for ANY_LINE); prints
 * why not. The checks report rather than fail so one run lists every bad row.
 */
static bool prefix_ok(const char *what, const char *text, const char *file, int line)
{
    size_t n = strlen(file);
    const char *p = text + n;
    if (strncmp(text, file, n) != 0 || *p != ':') {
        print_error("%s: message \"%s\" does not start with \"%s:\"\n", what, text, file);
        return false;
    }
    char *end;
    long got = strtol(p + 1, &end, 10);
    if (end == p + 1 || got <= 0 || strncmp(end, ": ", 2) != 0) {
        print_error("%s: message \"%s\" has no positive line number after \"%s:\"\n", what, text,
                    file);
        return false;
    }
    if (line != ANY_LINE && got != line) {
        print_error("%s: message \"%s\" names line %ld; expected line %d\n", what, text, got, line);
        return false;
    }
    return true;
}

static bool wants_ok(const char *what, const char *text, const char *const want[MAX_WANT])
{
    bool ok = true;
    for (size_t k = 0; k < MAX_WANT && want[k] != NULL; k++)
        if (strstr(text, want[k]) == NULL) {
            print_error("%s: message \"%s\" lacks \"%s\"\n", what, text, want[k]);
            ok = false;
        }
    return ok;
}

static bool bad_case_ok(const bad_case *c)
{
    char file[96];
    snprintf(file, sizeof file, "%s.cfg", c->name);
    scenario sc;
    err_info e;
    err_clear(&e);
    int rc = scenario_load_string(&sc, c->text, file, &e);
    scenario_free(&sc); /* "needs no cleanup", but must stay safe */
    if (rc != c->code || e.code != c->code) {
        print_error("%s: returned %d (%s); expected %d (%s). Message: \"%s\"\n", c->name, rc,
                    err_code_name(rc), c->code, err_code_name(c->code), e.text);
        return false;
    }
    bool ok = prefix_ok(c->name, e.text, file, c->line);
    ok = wants_ok(c->name, e.text, c->want) && ok;
    if (strchr(e.text, '\n') != NULL) {
        print_error("%s: message \"%s\" spans lines\n", c->name, e.text);
        ok = false;
    }
    return ok;
}

static void run_bad_cases(const bad_case *cases, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !bad_case_ok(&cases[i]);
    if (failed > 0)
        fail_msg("%zu of %zu cases failed", failed, n);
}

/* Loads text that must be valid. */
static void load_ok(scenario *sc, const char *text)
{
    err_info e;
    err_clear(&e);
    if (scenario_load_string(sc, text, "ok.cfg", &e) != 0)
        fail_msg("valid scenario refused: %s", e.text);
}

/* ---- syntax, keys and types ---- */

static const bad_case syntax_and_key_cases[] = {
    {"syntax_error",
     ERR_INPUT,
     2,
     {"syntax error", "expected valid libconfig syntax"},
     L_NAME "replications = ;\n" L_HORIZON L_ARR_A L_NODES_A},
    {"syntax_duplicate_setting",
     ERR_INPUT,
     3,
     {"duplicate setting name", "expected each name at most once"},
     L_NAME L_HORIZON "horizon_days = 50.0;\n" L_ARR_A L_NODES_A},
    {"include_missing",
     ERR_INPUT,
     3,
     {"cannot open include file", "expected an @include path"},
     L_NAME L_HORIZON "@include \"caseflow-no-such-include.cfg\"\n" L_ARR_A L_NODES_A},
    {"unknown_top_key",
     ERR_INPUT,
     2,
     {"unknown top-level setting 'horizon_day'", "did you mean 'horizon_days'?",
      "expected one of: name, description, horizon_days"},
     L_NAME "horizon_day = 100.0;\n" L_ARR_A L_NODES_A},
    {"unknown_node_key",
     ERR_INPUT,
     6,
     {"unknown setting 'sevrers' in nodes.[0]", "did you mean 'servers'?",
      "expected one of: name, servers, service, routes"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n"
                              "    sevrers = 2;\n" L_EXP "  }\n"
                              ");\n"},
    {"unknown_route_key",
     ERR_INPUT,
     8,
     {"unknown setting 'prob' in nodes.[0].routes.[0]", "expected one of: to, p"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n" L_EXP "    routes = (\n"
                              "      { to = \"exit\"; prob = 1.0; } ); }\n"
                              ");\n"},
    {"unknown_arrival_key",
     ERR_INPUT,
     3,
     {"unknown setting 'rate_per_days' in arrivals.[0]", "did you mean 'rate_per_day'?",
      "expected one of: name, to, rate_per_day"},
     L_NAME L_HORIZON "arrivals = ( { to = \"A\"; rate_per_days = 1.0; } );\n" L_NODES_A},
    {"unknown_limit_key",
     ERR_INPUT,
     3,
     {"unknown setting 'max_horizon_day' in limits", "did you mean 'max_horizon_days'?"},
     L_NAME L_HORIZON "limits = { max_horizon_day = 10.0; };\n" L_ARR_A L_NODES_A},
    {"limits_not_group",
     ERR_INPUT,
     3,
     {"limits: expected a group { ... }, got the whole number 5"},
     L_NAME L_HORIZON "limits = 5;\n" L_ARR_A L_NODES_A},
    {"limit_zero",
     ERR_INPUT,
     3,
     {"limits.max_live_entities must be from 1", "(got 0)"},
     L_NAME L_HORIZON "limits = { max_live_entities = 0; };\n" L_ARR_A L_NODES_A},
    {"string_for_horizon",
     ERR_INPUT,
     2,
     {"horizon_days: expected a number, got the string \"100\""},
     L_NAME "horizon_days = \"100\";\n" L_ARR_A L_NODES_A},
    {"string_for_servers",
     ERR_INPUT,
     6,
     {"nodes.[0].servers: expected a whole number, got the string \"two\""},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n"
                              "    servers = \"two\";\n" L_EXP "  }\n"
                              ");\n"},
    {"string_for_mean",
     ERR_INPUT,
     7,
     {"nodes.[0].service.mean: expected a number, got the string \"1.0\""},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"exponential\";\n"
                              "                mean = \"1.0\"; }; }\n"
                              ");\n"},
    {"string_for_p",
     ERR_INPUT,
     8,
     {"nodes.[0].routes.[0].p: expected a number, got the string \"1\""},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n" L_EXP
                              "    routes = ( { to = \"exit\";\n"
                              "                 p = \"1\"; } ); }\n"
                              ");\n"},
    {"number_for_name",
     ERR_INPUT,
     1,
     {"name: expected a string in double quotes, got the whole number 5"},
     "name = 5;\n" L_HORIZON L_ARR_A L_NODES_A},
    {"number_for_route_to",
     ERR_INPUT,
     7,
     {"nodes.[0].routes.[0].to: expected a string in double quotes, got the whole number 3"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n" L_EXP
                              "    routes = ( { to = 3; p = 1.0; } ); }\n"
                              ");\n"},
    {"description_number",
     ERR_INPUT,
     2,
     {"description: expected a string in double quotes"},
     L_NAME "description = 7;\n" L_HORIZON L_ARR_A L_NODES_A},
    {"name_empty",
     ERR_INPUT,
     1,
     {"name is empty; expected some text between the quotes"},
     "name = \"\";\n" L_HORIZON L_ARR_A L_NODES_A},
    {"non_finite_horizon",
     ERR_INPUT,
     2,
     {"horizon_days: expected a finite number, got the number inf"},
     L_NAME "horizon_days = 1e999;\n" L_ARR_A L_NODES_A},
    {"non_finite_mean",
     ERR_INPUT,
     7,
     {"nodes.[0].service.mean: expected a finite number, got the number -inf"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"exponential\";\n"
                              "                mean = -1e999; }; }\n"
                              ");\n"},
};

static void test_syntax_keys_types(void **state)
{
    (void)state;
    run_bad_cases(syntax_and_key_cases,
                  sizeof syntax_and_key_cases / sizeof syntax_and_key_cases[0]);
}

/* ---- run settings and limits ---- */

static const bad_case setting_cases[] = {
    {"horizon_zero",
     ERR_INPUT,
     2,
     {"horizon_days must be from 1e-09 to 100000 (got 0)"},
     L_NAME "horizon_days = 0.0;\n" L_ARR_A L_NODES_A},
    {"horizon_over_default_limit",
     ERR_INPUT,
     2,
     {"horizon_days must be from 1e-09 to 100000 (got 200000)"},
     L_NAME "horizon_days = 200000.0;\n" L_ARR_A L_NODES_A},
    {"horizon_over_limit",
     ERR_INPUT,
     3,
     {"horizon_days must be from 1e-09 to 50 (got 100)"},
     L_NAME "limits = { max_horizon_days = 50.0; };\n" L_HORIZON L_ARR_A L_NODES_A},
    {"warmup_past_horizon",
     ERR_INPUT,
     3,
     {"warmup_days (200) is not before horizon_days (100)",
      "expected 0 <= warmup_days < horizon_days"},
     L_NAME L_HORIZON "warmup_days = 200.0;\n" L_ARR_A L_NODES_A},
    {"warmup_equals_horizon",
     ERR_INPUT,
     3,
     {"warmup_days (100) is not before horizon_days (100)"},
     L_NAME L_HORIZON "warmup_days = 100;\n" L_ARR_A L_NODES_A},
    {"warmup_negative",
     ERR_INPUT,
     3,
     {"warmup_days must be from 0", "(got -1)"},
     L_NAME L_HORIZON "warmup_days = -1.0;\n" L_ARR_A L_NODES_A},
    {"replications_zero",
     ERR_INPUT,
     3,
     {"replications must be from 1 to 100000 (got 0)"},
     L_NAME L_HORIZON "replications = 0;\n" L_ARR_A L_NODES_A},
    {"replications_fractional",
     ERR_INPUT,
     3,
     {"replications: expected a whole number, got the number 2.5"},
     L_NAME L_HORIZON "replications = 2.5;\n" L_ARR_A L_NODES_A},
    {"replications_over_limit",
     ERR_INPUT,
     4,
     {"replications must be from 1 to 5 (got 6)"},
     L_NAME L_HORIZON "limits = { max_replications = 5; };\n"
                      "replications = 6;\n" L_ARR_A L_NODES_A},
    {"seed_negative",
     ERR_INPUT,
     3,
     {"seed must be >= 0 (got -5)"},
     L_NAME L_HORIZON "seed = -5;\n" L_ARR_A L_NODES_A},
    {"seed_fractional",
     ERR_INPUT,
     3,
     {"seed: expected a whole number, got the number 1.5"},
     L_NAME L_HORIZON "seed = 1.5;\n" L_ARR_A L_NODES_A},
    {"too_many_arrivals",
     ERR_LIMIT,
     5,
     {"about 1e+05 arrivals over 10 replications of 100 days",
      "over limits.max_expected_arrivals (1e+04)", "expected fewer replications"},
     L_NAME L_HORIZON "replications = 10;\n"
                      "limits = { max_expected_arrivals = 1e4; };\n"
                      "arrivals = ( { to = \"A\"; rate_per_day = 100.0; } );\n"
                      "nodes = ( { name = \"A\"; servers = 0;\n" L_EXP "} );\n"},
    {"overloaded_node",
     ERR_LIMIT,
     6,
     {"node 'A' would hold about 9e+04 entities by day 10000",
      "over limits.max_live_entities (1000)", "expected more servers, less demand"},
     L_NAME "horizon_days = 10000.0;\n"
            "limits = { max_live_entities = 1000; };\n"
            "arrivals = ( { to = \"A\"; rate_per_day = 10.0; } );\n"
            "nodes = (\n"
            "  { name = \"A\"; servers = 1;\n" L_EXP "  }\n"
            ");\n"},
    {"infinite_server_over_limit",
     ERR_LIMIT,
     6,
     {"node 'A' would hold about 100 entities", "over limits.max_live_entities (10)"},
     L_NAME L_HORIZON "limits = { max_live_entities = 10; };\n"
                      "arrivals = ( { to = \"A\"; rate_per_day = 100.0; } );\n"
                      "nodes = (\n"
                      "  { name = \"A\"; servers = 0;\n" L_EXP "  }\n"
                      ");\n"},
};

static void test_settings_and_limits(void **state)
{
    (void)state;
    run_bad_cases(setting_cases, sizeof setting_cases / sizeof setting_cases[0]);
}

/* ---- nodes and service times ---- */

static const bad_case node_cases[] = {
    {"nodes_empty",
     ERR_INPUT,
     4,
     {"nodes is empty; expected at least one node"},
     L_NAME L_HORIZON L_ARR_A "nodes = ( );\n"},
    {"nodes_not_list",
     ERR_INPUT,
     4,
     {"nodes: expected a list ( ... ), got a group { ... }"},
     L_NAME L_HORIZON L_ARR_A "nodes = { name = \"A\"; };\n"},
    {"node_not_group",
     ERR_INPUT,
     4,
     {"each node must be a group"},
     L_NAME L_HORIZON L_ARR_A "nodes = ( \"A\" );\n"},
    {"node_missing_servers",
     ERR_INPUT,
     5,
     {"nodes.[0] is missing 'servers'; expected a whole number"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n" L_EXP "  }\n"
                              ");\n"},
    {"node_missing_service",
     ERR_INPUT,
     5,
     {"nodes.[0] is missing 'service'; expected a group"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1; }\n"
                              ");\n"},
    {"node_missing_name",
     ERR_INPUT,
     5,
     {"nodes.[0] is missing 'name'; expected a string"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { servers = 1;\n" L_EXP "  }\n"
                              ");\n"},
    {"duplicate_node",
     ERR_INPUT,
     8,
     {"duplicate node name 'A'", "expected each node to have a unique name"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n" L_EXP "  },\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP "  }\n"
                              ");\n"},
    {"node_called_exit",
     ERR_INPUT,
     8,
     {"'exit' is reserved for leaving the network", "expected another node name"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n" L_EXP "  },\n"
                              "  { name = \"exit\"; servers = 2;\n" L_EXP "  }\n"
                              ");\n"},
    {"servers_negative",
     ERR_INPUT,
     6,
     {"nodes.[0].servers must be from 0 to 1000000 (got -3)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n"
                              "    servers = -3;\n" L_EXP "  }\n"
                              ");\n"},
    {"servers_fractional",
     ERR_INPUT,
     6,
     {"nodes.[0].servers: expected a whole number, got the number 2.5"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n"
                              "    servers = 2.5;\n" L_EXP "  }\n"
                              ");\n"},
    {"servers_too_many",
     ERR_INPUT,
     6,
     {"nodes.[0].servers must be from 0 to 1000000 (got 1000001)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\";\n"
                              "    servers = 1000001;\n" L_EXP "  }\n"
                              ");\n"},
    {"unknown_distribution",
     ERR_INPUT,
     6,
     {"unknown distribution 'lognorml'", "did you mean 'lognormal'?",
      "expected one of: exponential, deterministic, lognormal"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"lognorml\"; mean = 1.0; sd = 0.5; }; }\n"
                              ");\n"},
    {"distribution_missing_kind",
     ERR_INPUT,
     6,
     {"nodes.[0].service needs 'dist'", "expected one of: exponential"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { mean = 1.0; }; }\n"
                              ");\n"},
    {"distribution_missing_parameter",
     ERR_INPUT,
     6,
     {"nodes.[0].service: lognormal needs 'sd' (days)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"lognormal\"; mean = 1.0; }; }\n"
                              ");\n"},
    {"distribution_foreign_parameter",
     ERR_INPUT,
     7,
     {"'sd' does not apply here", "exponential takes only 'mean'"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"exponential\";\n"
                              "                mean = 1.0; sd = 0.5; }; }\n"
                              ");\n"},
    {"service_not_group",
     ERR_INPUT,
     6,
     {"nodes.[0].service: expected a group { ... }, got the string \"exponential\""},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = \"exponential\"; }\n"
                              ");\n"},
    {"mean_negative",
     ERR_INPUT,
     6,
     {"nodes.[0].service: exponential mean must be > 0 days (got -2)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"exponential\"; mean = -2.0; }; }\n"
                              ");\n"},
    {"deterministic_negative",
     ERR_INPUT,
     6,
     {"deterministic mean must be >= 0 days (got -1)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"deterministic\"; mean = -1; }; }\n"
                              ");\n"},
    {"negative_service_uniform",
     ERR_INPUT,
     6,
     {"node 'A': service time can be negative", "expected durations >= 0"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"uniform\"; min = -1.0; max = 3.0; }; }\n"
                              ");\n"},
    {"negative_service_triangular",
     ERR_INPUT,
     6,
     {"node 'A': service time can be negative", "expected durations >= 0"},
     L_NAME L_HORIZON L_ARR_A
     "nodes = (\n"
     "  { name = \"A\"; servers = 1;\n"
     "    service = { dist = \"triangular\"; min = -1.0; mode = 1.0; max = 3.0; }; }\n"
     ");\n"},
    {"negative_service_empirical",
     ERR_INPUT,
     6,
     {"node 'A': service time can be negative", "expected durations >= 0"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"empirical\"; values = [2.0, -0.5]; }; }\n"
                              ");\n"},
    {"negative_service_histogram",
     ERR_INPUT,
     6,
     {"node 'A': service time can be negative", "expected durations >= 0"},
     L_NAME L_HORIZON L_ARR_A
     "nodes = (\n"
     "  { name = \"A\"; servers = 1;\n"
     "    service = { dist = \"histogram\"; breaks = [-1.0, 1.0, 2.0]; probs = [0.5, 0.5]; }; }\n"
     ");\n"},
};

static void test_nodes(void **state)
{
    (void)state;
    run_bad_cases(node_cases, sizeof node_cases / sizeof node_cases[0]);
}

/* ---- session nodes ---- */

/* A node A with servers S and the session group G on line 7. */
#define SESSION_NODE(S, G)                                                                         \
    L_NAME L_HORIZON L_ARR_A "nodes = (\n"                                                         \
                             "  { name = \"A\"; servers = " S ";\n" L_EXP "    session = " G ";\n" \
                             "  }\n"                                                               \
                             ");\n"

static const bad_case session_cases[] = {
    {"session_on_servers",
     ERR_INPUT,
     5,
     {"node 'A' has sessions and 2 servers", "expected servers = 0"},
     SESSION_NODE("2", "{ every_days = 7.0; }")},
    {"session_every_zero",
     ERR_INPUT,
     7,
     {"node 'A': sessions every 0 days; expected every_days > 0"},
     SESSION_NODE("0", "{ every_days = 0.0; }")},
    {"session_every_negative",
     ERR_INPUT,
     7,
     {"nodes.[0].session.every_days must be from 0 to"},
     SESSION_NODE("0", "{ every_days = -7.0; }")},
    {"session_missing_every",
     ERR_INPUT,
     7,
     {"nodes.[0].session is missing 'every_days'"},
     SESSION_NODE("0", "{ first_day = 7.0; }")},
    {"session_first_negative",
     ERR_INPUT,
     7,
     {"nodes.[0].session.first_day must be from 0 to"},
     SESSION_NODE("0", "{ every_days = 7.0; first_day = -1.0; }")},
    {"session_capacity_fractional",
     ERR_INPUT,
     7,
     {"nodes.[0].session.capacity: expected a whole number, got the number 2.5"},
     SESSION_NODE("0", "{ every_days = 7.0; capacity = 2.5; }")},
    {"session_capacity_negative",
     ERR_INPUT,
     7,
     {"nodes.[0].session.capacity must be from 0 to 4294967295 (got -1)"},
     SESSION_NODE("0", "{ every_days = 7.0; capacity = -1; }")},
    {"session_unknown_key",
     ERR_INPUT,
     7,
     {"unknown setting 'every_day' in nodes.[0].session", "did you mean 'every_days'?",
      "expected one of: every_days, first_day, capacity"},
     SESSION_NODE("0", "{ every_day = 7.0; }")},
    {"session_not_group",
     ERR_INPUT,
     7,
     {"nodes.[0].session", "expected a group"},
     SESSION_NODE("0", "7.0")},
    {"session_too_many",
     ERR_LIMIT,
     7,
     {"node 'A': about 1e+12 sessions over 10 replications of 100 days",
      "over limits.max_expected_arrivals (1e+10)", "expected longer every_days"},
     SESSION_NODE("0", "{ every_days = 1e-9; }")},
    {"session_backlog_over_limit",
     ERR_LIMIT,
     6,
     {"node 'A' would hold about 9.86e+04 entities by day 10000",
      "over limits.max_live_entities (1000)"},
     L_NAME "horizon_days = 10000.0;\n"
            "limits = { max_live_entities = 1000; };\n"
            "arrivals = ( { to = \"A\"; rate_per_day = 10.0; } );\n"
            "nodes = (\n"
            "  { name = \"A\"; servers = 0; session = { every_days = 7.0; capacity = 1; };\n" L_EXP
            "  }\n"
            ");\n"},
};

static void test_session_errors(void **state)
{
    (void)state;
    run_bad_cases(session_cases, sizeof session_cases / sizeof session_cases[0]);
}

/* Defaults (first_day = every_days, capacity 0 = all), integers for reals,
 * and the two warnings: demand over capacity, and no session before the horizon. */
static void test_session_loading(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc, SESSION_NODE("0", "{ every_days = 7; }"));
    const net_node *nd = &sc.net.nodes[0];
    assert_true(nd->session_every == 7.0 && nd->session_first == 7.0);
    assert_int_equal(nd->session_capacity, 0);
    assert_string_equal(sc.warnings, "");
    scenario_free(&sc);

    load_ok(&sc, SESSION_NODE("0", "{ every_days = 14.0; first_day = 0; capacity = 20; }"));
    nd = &sc.net.nodes[0];
    assert_true(nd->session_every == 14.0 && nd->session_first == 0.0);
    assert_int_equal(nd->session_capacity, 20);
    assert_string_equal(sc.warnings, "");
    scenario_free(&sc);

    load_ok(&sc, SESSION_NODE("0", "{ every_days = 7.0; capacity = 6; }"));
    assert_non_null(strstr(sc.warnings, "ok.cfg:5: warning: node 'A' cannot serve its demand: 7 "
                                        "arrivals per session but it takes at most 6"));
    scenario_free(&sc);

    load_ok(&sc, SESSION_NODE("0", "{ every_days = 7.0; first_day = 100.0; }"));
    assert_non_null(strstr(sc.warnings, "ok.cfg:5: warning: node 'A' holds no session: its first, "
                                        "at day 100, is not before horizon_days (100)"));
    scenario_free(&sc);
}

/* ---- routes, arrivals and the whole network ---- */

#define NODE_B                                                                                     \
    "  { name = \"B\"; servers = 1; service = { dist = \"exponential\"; mean = 0.5; }; }\n"

static const bad_case network_cases[] = {
    {"route_sum_low",
     ERR_INPUT,
     7,
     {"route probabilities of node 'A' sum to 0.9", "expected 1 (within 1e-6)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"B\"; p = 0.3; },\n"
                              "               { to = \"exit\"; p = 0.6; } ); },\n" NODE_B ");\n"},
    {"route_sum_high",
     ERR_INPUT,
     7,
     {"route probabilities of node 'A' sum to 1.1", "expected 1 (within 1e-6)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"B\"; p = 0.6; },\n"
                              "               { to = \"exit\"; p = 0.5; } ); },\n" NODE_B ");\n"},
    {"route_sum_just_outside_tolerance",
     ERR_INPUT,
     7,
     {"sum to 1.000002", "expected 1 (within 1e-6)"},
     L_NAME L_HORIZON L_ARR_A
     "nodes = (\n"
     "  { name = \"A\"; servers = 2;\n" L_EXP "    routes = ( { to = \"B\"; p = 0.3; },\n"
     "               { to = \"exit\"; p = 0.700002; } ); },\n" NODE_B ");\n"},
    {"route_sum_second_node",
     ERR_INPUT,
     10,
     {"route probabilities of node 'B' sum to 0.5"},
     L_NAME L_HORIZON L_ARR_A
     "nodes = (\n"
     "  { name = \"A\"; servers = 2;\n" L_EXP "    routes = ( { to = \"B\"; p = 1.0; } ); },\n"
     "  { name = \"B\"; servers = 1;\n" L_EXP "    routes = ( { to = \"exit\"; p = 0.5; } ); }\n"
     ");\n"},
    {"route_p_over_one",
     ERR_INPUT,
     7,
     {"nodes.[0].routes.[0].p must be from 0 to 1 (got 1.5)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"exit\"; p = 1.5; } ); }\n"
                              ");\n"},
    {"route_p_negative",
     ERR_INPUT,
     7,
     {"nodes.[0].routes.[0].p must be from 0 to 1 (got -0.5)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"B\"; p = -0.5; },\n"
                              "               { to = \"exit\"; p = 1.5; } ); },\n" NODE_B ");\n"},
    {"route_unknown_node",
     ERR_INPUT,
     8,
     {"unknown node 'C'", "expected one of: A, B, exit"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"B\"; p = 0.5; },\n"
                              "               { to = \"C\"; p = 0.5; } ); },\n" NODE_B ");\n"},
    {"route_missing_p",
     ERR_INPUT,
     7,
     {"nodes.[0].routes.[0] is missing 'p'; expected a number"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"exit\"; } ); }\n"
                              ");\n"},
    {"route_not_group",
     ERR_INPUT,
     7,
     {"each route must be a group"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( \"exit\" ); }\n"
                              ");\n"},
    {"routing_loop",
     ERR_INPUT,
     4,
     {"routing has a loop with no way out", "can never leave the network"},
     L_NAME L_HORIZON L_ARR_A
     "nodes = (\n"
     "  { name = \"A\"; servers = 2;\n" L_EXP "    routes = ( { to = \"B\"; p = 1.0; } ); },\n"
     "  { name = \"B\"; servers = 2;\n" L_EXP "    routes = ( { to = \"A\"; p = 1.0; } ); }\n"
     ");\n"},
    {"routing_self_loop",
     ERR_INPUT,
     4,
     {"routing has a loop with no way out"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 2;\n" L_EXP
                              "    routes = ( { to = \"A\"; p = 1.0; } ); }\n"
                              ");\n"},
    {"arrivals_unknown_node",
     ERR_INPUT,
     4,
     {"unknown node 'Z'", "expected one of: A, exit"},
     L_NAME L_HORIZON "arrivals = (\n"
                      "  { to = \"Z\"; rate_per_day = 1.0; } );\n" L_NODES_A},
    {"arrivals_to_exit",
     ERR_INPUT,
     4,
     {"arrivals cannot go to 'exit'; expected a node"},
     L_NAME L_HORIZON "arrivals = (\n"
                      "  { to = \"exit\"; rate_per_day = 1.0; } );\n" L_NODES_A},
    {"arrivals_empty",
     ERR_INPUT,
     3,
     {"arrivals is empty; expected at least one source"},
     L_NAME L_HORIZON "arrivals = ( );\n" L_NODES_A},
    {"arrival_not_group",
     ERR_INPUT,
     3,
     {"each arrival must be a group"},
     L_NAME L_HORIZON "arrivals = ( \"A\" );\n" L_NODES_A},
    {"arrival_rate_negative",
     ERR_INPUT,
     4,
     {"arrivals.[0].rate_per_day must be from 0 to 1000000000 (got -1)"},
     L_NAME L_HORIZON "arrivals = (\n"
                      "  { to = \"A\"; rate_per_day = -1.0; } );\n" L_NODES_A},
    {"arrival_missing_rate",
     ERR_INPUT,
     4,
     {"arrivals.[0] is missing 'rate_per_day'; expected a number"},
     L_NAME L_HORIZON "arrivals = (\n"
                      "  { to = \"A\"; } );\n" L_NODES_A},
    {"duplicate_source",
     ERR_INPUT,
     5,
     {"duplicate arrival source name 'x'"},
     L_NAME L_HORIZON "arrivals = (\n"
                      "  { to = \"A\"; rate_per_day = 1.0; name = \"x\"; },\n"
                      "  { to = \"A\"; rate_per_day = 2.0; name = \"x\"; } );\n" L_NODES_A},
};

static void test_network(void **state)
{
    (void)state;
    run_bad_cases(network_cases, sizeof network_cases / sizeof network_cases[0]);
}

/*
 * Cases that once slipped through: a missing top-level setting (or an empty
 * file) had no line, because the root setting has line 0 (now line 1); the
 * negative service bound was printed after dist_fini had zeroed it; a node
 * name with a comma or a double quote was accepted and `caseflow run` then
 * aborted in csv_write_summary's CHECK after simulating.
 */
static const bad_case regression_cases[] = {
    {"regression_empty_file", ERR_INPUT, ANY_LINE, {"missing top-level setting 'name'"}, ""},
    {"regression_missing_horizon",
     ERR_INPUT,
     ANY_LINE,
     {"missing top-level setting 'horizon_days'; expected a number"},
     L_NAME L_ARR_A L_NODES_A},
    {"regression_missing_nodes",
     ERR_INPUT,
     ANY_LINE,
     {"missing top-level setting 'nodes'"},
     L_NAME L_HORIZON L_ARR_A},
    {"regression_missing_arrivals",
     ERR_INPUT,
     ANY_LINE,
     {"missing top-level setting 'arrivals'"},
     L_NAME L_HORIZON L_NODES_A},
    {"regression_negative_service_value",
     ERR_INPUT,
     6,
     {"service time can be negative (-1 days)"},
     L_NAME L_HORIZON L_ARR_A "nodes = (\n"
                              "  { name = \"A\"; servers = 1;\n"
                              "    service = { dist = \"uniform\"; min = -1.0; max = 3.0; }; }\n"
                              ");\n"},
    {"regression_node_name_comma",
     ERR_INPUT,
     5,
     {"'A,B'"},
     L_NAME L_HORIZON "arrivals = ( { to = \"A,B\"; rate_per_day = 1.0; } );\n"
                      "nodes = (\n"
                      "  { name = \"A,B\"; servers = 1;\n" L_EXP "  }\n"
                      ");\n"},
    {"regression_node_name_quote",
     ERR_INPUT,
     5,
     {"'A\"'"},
     L_NAME L_HORIZON "arrivals = ( { to = \"A\\\"\"; rate_per_day = 1.0; } );\n"
                      "nodes = (\n"
                      "  { name = \"A\\\"\"; servers = 1;\n" L_EXP "  }\n"
                      ");\n"},
};

static void test_regressions(void **state)
{
    (void)state;
    run_bad_cases(regression_cases, sizeof regression_cases / sizeof regression_cases[0]);
}

/* ---- valid scenarios ---- */

static void test_load_mmc(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc, mmc_text);
    assert_string_equal(sc.name, "mmc");
    assert_string_equal(sc.description, "");
    assert_true(sc.horizon_days == 20000.0);
    assert_true(sc.warmup_days == 500.0);
    assert_int_equal(sc.replications, 10);
    assert_int_equal(sc.seed, 1);
    assert_string_equal(sc.warnings, "");
    scenario_limits d = scenario_default_limits();
    assert_int_equal(sc.limits.max_live_entities, d.max_live_entities);
    assert_true(sc.limits.max_horizon_days == d.max_horizon_days);

    const net *n = &sc.net;
    assert_int_equal(n->n_nodes, 2);
    const net_node *a = &n->nodes[0], *b = &n->nodes[1];
    assert_string_equal(a->name, "A");
    assert_int_equal(a->servers, 10);
    assert_int_equal(a->service.kind, DIST_EXPONENTIAL);
    assert_true(fabs(dist_mean(&a->service) - 1.0) < 1e-12);
    assert_int_equal(a->n_routes, 2);
    assert_int_equal(a->routes[0].to, 1);
    assert_true(a->routes[0].p == 0.3);
    assert_true(fabs(a->routes[0].cum - 0.3) < 1e-15);
    assert_int_equal(a->routes[1].to, NET_EXIT);
    assert_true(a->routes[1].cum == 1.0); /* exactly: a uniform draw always finds a route */
    assert_string_equal(b->name, "B");
    assert_int_equal(b->servers, 0);
    assert_int_equal(b->service.kind, DIST_LOGNORMAL);
    assert_true(fabs(dist_mean(&b->service) - 40.0) < 1e-9);
    assert_true(fabs(sqrt(dist_variance(&b->service)) - 25.0) < 1e-9);
    assert_int_equal(b->n_routes, 1);
    assert_int_equal(b->routes[0].to, NET_EXIT);
    assert_true(b->routes[0].cum == 1.0);

    assert_int_equal(n->n_sources, 1);
    assert_string_equal(n->sources[0].name, "arrivals.0");
    assert_int_equal(n->sources[0].to, 0);
    assert_true(n->sources[0].rate_per_day == 9.5);
    scenario_free(&sc);
    scenario_free(&sc); /* twice is safe */
}

/* Whole numbers where reals belong, and whole-valued reals where integers belong. */
static void test_integers_for_reals(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc, "name = \"ints\";\n"
                 "horizon_days = 100;\n"
                 "warmup_days = 10;\n"
                 "replications = 3.0;\n"
                 "arrivals = ( { to = \"A\"; rate_per_day = 2; } );\n"
                 "nodes = ( { name = \"A\"; servers = 4.0;\n"
                 "            service = { dist = \"lognormal\"; mean = 40; sd = 25; };\n"
                 "            routes = ( { to = \"exit\"; p = 1; } ); } );\n");
    assert_true(sc.horizon_days == 100.0);
    assert_true(sc.warmup_days == 10.0);
    assert_int_equal(sc.replications, 3);
    assert_int_equal(sc.net.nodes[0].servers, 4);
    assert_true(fabs(dist_mean(&sc.net.nodes[0].service) - 40.0) < 1e-9);
    assert_true(sc.net.sources[0].rate_per_day == 2.0);
    assert_true(sc.net.nodes[0].routes[0].p == 1.0);
    scenario_free(&sc);
}

/* No routes (or an empty list) means everyone leaves: the node's traffic is its arrivals. */
static void test_routes_omitted_mean_exit(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc,
            "name = \"x\";\n"
            "horizon_days = 100.0;\n"
            "arrivals = ( { to = \"A\"; rate_per_day = 3.0; name = \"referrals\"; } );\n"
            "nodes = (\n"
            "  { name = \"A\"; servers = 5; service = { dist = \"exponential\"; mean = 1.0; };\n"
            "    routes = ( { to = \"B\"; p = 0.25; }, { to = \"C\"; p = 0.75; } ); },\n"
            "  { name = \"B\"; servers = 1; service = { dist = \"deterministic\"; mean = 0; "
            "}; },\n"
            "  { name = \"C\"; servers = 0; service = { dist = \"exponential\"; mean = 2.0; };\n"
            "    routes = ( ); }\n"
            ");\n");
    assert_int_equal(sc.net.nodes[1].n_routes, 0);
    assert_int_equal(sc.net.nodes[2].n_routes, 0);
    assert_string_equal(sc.net.sources[0].name, "referrals");
    double lambda[3];
    err_info e;
    assert_int_equal(net_traffic(&sc.net, lambda, &e), 0);
    assert_true(fabs(lambda[0] - 3.0) < 1e-12);
    assert_true(fabs(lambda[1] - 0.75) < 1e-12);
    assert_true(fabs(lambda[2] - 2.25) < 1e-12);
    scenario_free(&sc);
}

static void test_defaults_and_optionals(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc, L_NAME L_HORIZON L_ARR_A L_NODES_A);
    assert_true(sc.warmup_days == 0.0);
    assert_int_equal(sc.replications, 10);
    assert_int_equal(sc.seed, 1);
    assert_string_equal(sc.description, "");
    scenario_free(&sc);

    load_ok(&sc, L_NAME
            "description = \"two sources\";\n" L_HORIZON "seed = 5000000000L;\n"
            "limits = { max_live_entities = 500; max_horizon_days = 1000.0;\n"
            "           max_replications = 20; max_expected_arrivals = 1e7; };\n"
            "arrivals = ( { to = \"A\"; rate_per_day = 1.0; },\n"
            "             { to = \"A\"; rate_per_day = 0.0; name = \"off\"; } );\n" L_NODES_A);
    assert_string_equal(sc.description, "two sources");
    assert_int_equal(sc.seed, 5000000000ULL);
    assert_int_equal(sc.limits.max_live_entities, 500);
    assert_true(sc.limits.max_horizon_days == 1000.0);
    assert_int_equal(sc.limits.max_replications, 20);
    assert_true(sc.limits.max_expected_arrivals == 1e7);
    assert_int_equal(sc.net.n_sources, 2);
    assert_string_equal(sc.net.sources[0].name, "arrivals.0");
    assert_string_equal(sc.net.sources[1].name, "off");
    scenario_free(&sc);
}

/* Probabilities within 1e-6 of 1 are accepted, and the last cum is exactly 1. */
static void test_route_tolerance(void **state)
{
    (void)state;
    scenario sc;
    load_ok(&sc, L_NAME L_HORIZON L_ARR_A
            "nodes = ( { name = \"A\"; servers = 2; service = { dist = \"exponential\"; mean = "
            "1.0; };\n"
            "  routes = ( { to = \"A\"; p = 0.3; }, { to = \"exit\"; p = 0.7000005; } ); } );\n");
    assert_int_equal(sc.net.nodes[0].n_routes, 2);
    assert_int_equal(sc.net.nodes[0].routes[0].to, 0);
    assert_true(sc.net.nodes[0].routes[1].cum == 1.0);
    scenario_free(&sc);
}

/* An overloaded node under the entity limit loads, with a located warning. */
static void test_overload_warning(void **state)
{
    (void)state;
    scenario sc;
    err_info e;
    err_clear(&e);
    assert_int_equal(scenario_load_string(&sc,
                                          L_NAME L_HORIZON
                                          "arrivals = ( { to = \"A\"; rate_per_day = 3.0; } );\n"
                                          "nodes = (\n"
                                          "  { name = \"A\"; servers = 2;\n" L_EXP "  }\n"
                                          ");\n",
                                          "w.cfg", &e),
                     0);
    assert_non_null(strstr(sc.warnings, "w.cfg:5: warning: node 'A' cannot serve its demand"));
    assert_non_null(strstr(sc.warnings, "has 2"));
    scenario_free(&sc);
}

/* ---- overrides and the resolved copy ---- */

/* scenario_write's output as a string (caller frees). */
static char *written(const scenario *sc)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    err_info e;
    assert_int_equal(scenario_write(sc, fp, &e), 0);
    long size = ftell(fp);
    assert_true(size > 0);
    char *text = calloc((size_t)size + 1, 1);
    assert_non_null(text);
    rewind(fp);
    assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    return text;
}

static void test_override_and_write(void **state)
{
    (void)state;
    scenario sc, again;
    err_info e;
    load_ok(&sc, mmc_text);
    assert_int_equal(scenario_override(&sc, NULL, NULL, &e), 0);
    assert_int_equal(sc.replications, 10);
    assert_int_equal(sc.seed, 1);

    uint32_t reps = 3;
    uint64_t seed = 99;
    assert_int_equal(scenario_override(&sc, &reps, &seed, &e), 0);
    assert_int_equal(sc.replications, 3);
    assert_int_equal(sc.seed, 99);
    char *text = written(&sc);
    assert_non_null(strstr(text, "replications = 3;"));
    assert_non_null(strstr(text, "seed = 99;"));
    assert_null(strstr(text, "replications = 10;"));
    assert_non_null(strstr(text, "horizon_days = 20000.0;"));
    /* The resolved copy is itself a scenario that loads to what ran. */
    load_ok(&again, text);
    free(text);
    assert_int_equal(again.replications, 3);
    assert_int_equal(again.seed, 99);
    assert_true(again.horizon_days == sc.horizon_days);
    assert_int_equal(again.net.n_nodes, 2);
    assert_true(again.net.nodes[0].routes[0].cum == sc.net.nodes[0].routes[0].cum);
    scenario_free(&again);

    /* A seed beyond 32 bits is written as a 64-bit literal and read back whole. */
    seed = 5000000000ULL;
    assert_int_equal(scenario_override(&sc, NULL, &seed, &e), 0);
    text = written(&sc);
    assert_non_null(strstr(text, "seed = 5000000000L;"));
    load_ok(&again, text);
    free(text);
    assert_int_equal(again.seed, 5000000000ULL);
    assert_int_equal(again.replications, 3);
    scenario_free(&again);
    scenario_free(&sc);
}

/* Overrides of settings the file left out are added to the resolved copy. */
static void test_override_adds_missing(void **state)
{
    (void)state;
    scenario sc;
    err_info e;
    load_ok(&sc, L_NAME L_HORIZON L_ARR_A L_NODES_A);
    uint32_t reps = 7;
    uint64_t seed = 0;
    assert_int_equal(scenario_override(&sc, &reps, &seed, &e), 0);
    char *text = written(&sc);
    assert_non_null(strstr(text, "replications = 7;"));
    assert_non_null(strstr(text, "seed = 0;"));
    free(text);
    scenario_free(&sc);
}

static void test_override_errors(void **state)
{
    (void)state;
    scenario sc;
    err_info e;
    load_ok(&sc, L_NAME L_HORIZON "limits = { max_replications = 50; max_expected_arrivals = 1e4; "
                                  "};\n" L_ARR_A L_NODES_A);
    uint32_t reps = 0;
    assert_int_equal(scenario_override(&sc, &reps, NULL, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "--replications 0; expected 1 to 50"));
    reps = 51;
    assert_int_equal(scenario_override(&sc, &reps, NULL, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "(limits.max_replications)"));
    uint64_t seed = (uint64_t)INT64_MAX + 1;
    assert_int_equal(scenario_override(&sc, NULL, &seed, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "--seed 9223372036854775808; expected 0 to"));
    /* 1/day over 100 days is 100 arrivals a replication: 101 replications pass 1e4. */
    reps = 50;
    assert_int_equal(scenario_override(&sc, &reps, NULL, &e), 0);
    scenario_free(&sc);
    load_ok(&sc, L_NAME L_HORIZON "limits = { max_expected_arrivals = 1e4; };\n" L_ARR_A L_NODES_A);
    reps = 101;
    assert_int_equal(scenario_override(&sc, &reps, NULL, &e), ERR_LIMIT);
    assert_non_null(strstr(e.text, "over limits.max_expected_arrivals"));
    scenario_free(&sc);
}

/* ---- real files: the corpus of invalid examples ---- */

/* The text between `Expected message: "` and the last `"` on the first line. */
static int expected_from_comment(const char *path, char *out, size_t size)
{
    char line[1024];
    FILE *fp = fopen(path, "r");
    if (fp == NULL || fgets(line, sizeof line, fp) == NULL) {
        if (fp != NULL)
            fclose(fp);
        return -1;
    }
    fclose(fp);
    const char *tag = "Expected message: \"";
    const char *start = strstr(line, tag);
    const char *end = strrchr(line, '"');
    if (line[0] != '#' || start == NULL)
        return -1;
    start += strlen(tag);
    if (end == NULL || end < start || (size_t)(end - start) >= size)
        return -1;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 0;
}

static void test_invalid_corpus(void **state)
{
    (void)state;
    const char *root = getenv("CASEFLOW_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/scenarios/invalid", root != NULL ? root : ".");
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot open %s (set CASEFLOW_ROOT to the repository)", dir);
    size_t files = 0, failed = 0;
    const struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n < 5 || strcmp(ent->d_name + n - 4, ".cfg") != 0)
            continue;
        char path[2048], want[512];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (expected_from_comment(path, want, sizeof want) != 0)
            fail_msg("%s: first line is not '# ... Expected message: \"...\"'", path);
        scenario sc;
        err_info e;
        err_clear(&e);
        int rc = scenario_load(&sc, path, &e);
        if (rc == 0) {
            print_error("%s: loaded, but it is meant to be invalid\n", path);
            failed++;
            scenario_free(&sc);
            files++;
            continue;
        }
        const char *const wants[MAX_WANT] = {want, NULL, NULL};
        bool ok = prefix_ok(path, e.text, path, ANY_LINE);
        failed += !(wants_ok(path, e.text, wants) && ok);
        scenario_free(&sc);
        files++;
    }
    closedir(d);
    assert_true(files >= 20);
    if (failed > 0)
        fail_msg("%zu of %zu files in %s failed", failed, files, dir);
}

static void test_load_file_errors(void **state)
{
    (void)state;
    scenario sc;
    err_info e;
    assert_int_equal(scenario_load(&sc, "/nonexistent/caseflow/none.cfg", &e), ERR_IO);
    assert_non_null(strstr(e.text, "/nonexistent/caseflow/none.cfg: cannot read scenario file"));
    scenario_free(&sc);
}

/* ---- allocation failure ---- */

/* An allocator that fails its fail_at-th call and counts live blocks. */
/* path non-NULL: scenario_load(path); otherwise scenario_load_string(text). */
static int load_failing_at(failing *fa, long n, const char *text, const char *path, scenario *sc,
                           err_info *e)
{
    const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, fa};
    fa->calls = 0;
    fa->fail_at = n;
    fa->live = 0;
    mem_set_hooks(&hooks);
    err_clear(e);
    int rc = path != NULL ? scenario_load(sc, path, e) : scenario_load_string(sc, text, "m.cfg", e);
    return rc;
}

/*
 * Fails the 1st, 2nd, ... allocation until the load gets through without
 * reaching the failure. Each attempt must return ERR_NOMEM with nothing left
 * allocated, or the result of an unhindered load with the same message.
 */
static void fail_each_allocation(const char *text, const char *path)
{
    scenario sc;
    err_info base, e;
    failing fa = {0};
    int base_rc = load_failing_at(&fa, -1, text, path, &sc, &base);
    scenario_free(&sc);
    mem_set_hooks(NULL);
    assert_int_equal(fa.live, 0);
    long n;
    for (n = 1; n < 100000; n++) {
        int rc = load_failing_at(&fa, n, text, path, &sc, &e);
        bool reached = fa.calls >= n;
        if (rc == ERR_NOMEM) {
            assert_int_equal(e.code, ERR_NOMEM);
            assert_int_equal(fa.live, 0); /* a failed load needs no cleanup */
        } else {
            if (rc != base_rc || strcmp(e.text, base.text) != 0)
                fail_msg("allocation %ld failing gave %d \"%s\"; expected ERR_NOMEM or %d \"%s\"",
                         n, rc, e.text, base_rc, base.text);
            if (rc != 0)
                assert_int_equal(fa.live, 0);
        }
        scenario_free(&sc);
        scenario_free(&sc);
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
        if (!reached)
            break;
    }
    assert_true(n > 1 && n < 100000);
}

#define N_CASES(t) (sizeof(t) / sizeof(t)[0])

/* The text of the table row called name. */
static const char *case_text(const bad_case *cases, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].name, name) == 0)
            return cases[i].text;
    fail_msg("no table row called %s", name);
    return NULL;
}

static void test_alloc_failure(void **state)
{
    (void)state;
    fail_each_allocation(mmc_text, NULL);
    /* Enough nodes, routes and sources to make every array grow past its first block. */
    fail_each_allocation(
        "name = \"big\";\nhorizon_days = 100.0;\n"
        "arrivals = ( { to = \"A\"; rate_per_day = 1.0; }, { to = \"B\"; rate_per_day = 1.0; },\n"
        "  { to = \"C\"; rate_per_day = 1.0; }, { to = \"D\"; rate_per_day = 1.0; },\n"
        "  { to = \"E\"; rate_per_day = 1.0; name = \"e\"; } );\n"
        "nodes = (\n"
        "  { name = \"A\"; servers = 20; service = { dist = \"empirical\"; values = [1.0, 2.0]; "
        "};\n"
        "    routes = ( { to = \"B\"; p = 0.2; }, { to = \"C\"; p = 0.2; }, { to = \"D\"; p = 0.2; "
        "},\n"
        "               { to = \"E\"; p = 0.2; }, { to = \"exit\"; p = 0.2; } ); },\n"
        "  { name = \"B\"; servers = 9; service = { dist = \"histogram\"; breaks = [0.0, 1.0, "
        "2.0]; "
        "probs = [0.5, 0.5]; }; },\n"
        "  { name = \"C\"; servers = 0; service = { dist = \"gamma\"; mean = 1.0; sd = 0.5; }; },\n"
        "  { name = \"D\"; servers = 1; service = { dist = \"weibull\"; mean = 0.1; sd = 0.05; }; "
        "},\n"
        "  { name = \"E\"; servers = 2; service = { dist = \"triangular\"; min = 0.0; mode = 0.5; "
        "max = 1.0; }; }\n"
        ");\n",
        NULL);
    /* Errors found late (after allocations) and a warning. */
    fail_each_allocation(case_text(network_cases, N_CASES(network_cases), "route_sum_low"), NULL);
    fail_each_allocation(case_text(network_cases, N_CASES(network_cases), "routing_loop"), NULL);
    fail_each_allocation(case_text(setting_cases, N_CASES(setting_cases), "overloaded_node"), NULL);
    fail_each_allocation(case_text(node_cases, N_CASES(node_cases), "negative_service_empirical"),
                         NULL);
    /* A session node, loaded with a warning, and one refused after its node was added. */
    fail_each_allocation(SESSION_NODE("0", "{ every_days = 7.0; capacity = 6; }"), NULL);
    fail_each_allocation(case_text(session_cases, N_CASES(session_cases), "session_on_servers"),
                         NULL);
}

/* scenario_load on a real file goes through more allocations (path, folder). */
static void test_alloc_failure_file(void **state)
{
    (void)state;
    char path[] = "/tmp/caseflow-test-scenario-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    assert_true(fputs(mmc_text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
    fail_each_allocation(NULL, path);
    assert_int_equal(unlink(path), 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_keys_types),
        cmocka_unit_test(test_settings_and_limits),
        cmocka_unit_test(test_nodes),
        cmocka_unit_test(test_session_errors),
        cmocka_unit_test(test_session_loading),
        cmocka_unit_test(test_network),
        cmocka_unit_test(test_load_mmc),
        cmocka_unit_test(test_integers_for_reals),
        cmocka_unit_test(test_routes_omitted_mean_exit),
        cmocka_unit_test(test_defaults_and_optionals),
        cmocka_unit_test(test_route_tolerance),
        cmocka_unit_test(test_overload_warning),
        cmocka_unit_test(test_override_and_write),
        cmocka_unit_test(test_override_adds_missing),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_invalid_corpus),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_alloc_failure_file),
        cmocka_unit_test(test_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
