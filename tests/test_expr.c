/*
 * test_expr — the condition language: values, messages, limits, robustness.
 *
 * Two tables become one cmocka test per row, so each row prints its own
 * OK/FAILED line named after its text: known values (precedence,
 * associativity, every comparison at its boundary, strings, IEEE division)
 * and bad inputs (the message fragment and the column it must name). Then:
 * random expression trees printed with the fewest parentheses C precedence
 * allows and compared with the value C computes; a churn of 10^4 random token
 * soups that must compile or fail with a column inside the text; every
 * allocation of a compile failed in turn; evaluation counted to make no
 * allocation; and several threads evaluating the same programs at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "pathway/expr.h"
#include "support/failing_mem.h"

/* ---- the test resolver ---------------------------------------------------- */

/* Slots of the test's variables. */
enum { AGE, NEED, EPISODES, SOURCE, QUEUE, STOCK, A, B, C, NV };

static const char *const var_names[NV] = {
    "age", "need", "episodes", "source", "queue.early_help", "stock.looked_after", "a", "b", "c"};
/* The values of `source`, in slot-value order. */
static const char *const sources[] = {"police", "health", "education"};

static int test_lookup(void *ctx, const char *name, size_t len, uint32_t *slot)
{
    (void)ctx;
    if (len == 4 && memcmp(name, "boom", 4) == 0)
        return ERR_NOMEM; /* a resolver that fails for its own reasons */
    for (uint32_t i = 0; i < NV; i++)
        if (strlen(var_names[i]) == len && memcmp(var_names[i], name, len) == 0) {
            *slot = i;
            return 0;
        }
    return ERR_INPUT;
}

static int test_string_value(void *ctx, uint32_t slot, const char *s, size_t len, double *out)
{
    (void)ctx;
    if (len == 4 && memcmp(s, "boom", 4) == 0)
        return ERR_IO;
    if (slot != SOURCE)
        return ERR_INPUT;
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strlen(sources[i]) == len && memcmp(sources[i], s, len) == 0) {
            *out = (double)i;
            return 0;
        }
    return ERR_INPUT;
}

static void test_describe(void *ctx, char *buf, size_t size)
{
    (void)ctx;
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NV && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", var_names[i]);
}

static const expr_env env = {NULL, test_lookup, test_string_value, test_describe};

static expr *compile_ok(const char *text)
{
    expr *x = NULL;
    err_info e;
    err_clear(&e);
    if (expr_compile(&x, text, &env, &e) != 0)
        fail_msg("\"%s\" does not compile: %s", text, e.text);
    return x;
}

/* ---- known values ---------------------------------------------------------- */

typedef struct value_row {
    const char *text;
    double v[NV]; /* slot values, by the enum above */
    double want;  /* NAN: a NaN is expected */
} value_row;

static const value_row values[] = {
    /* precedence and associativity */
    {"1 - 2 - 3", {0}, -4},
    {"1 - 2 - 3 - 4", {0}, -8},
    {"2 - 3 + 4", {0}, 3},
    {"2 * 3 + 4", {0}, 10},
    {"2 + 3 * 4", {0}, 14},
    {"(2 + 3) * 4", {0}, 20},
    {"8 / 4 / 2", {0}, 1},
    {"8 / 2 * 4", {0}, 16},
    {"-2 * 3", {0}, -6},
    {"- -2", {0}, 2},
    {"1 - -1", {0}, 2},
    {"-(1 - 3)", {0}, 2},
    {"-!0", {0}, -1},
    {"1 + 2 < 4", {0}, 1},
    {"1 < 2 == 1", {0}, 1},
    {"2 == 2 && 3 != 4", {0}, 1},
    {"(1 < 2) < 3", {0}, 1},
    {"(!a) < b", {[A] = 0, [B] = 2}, 1},
    {"!(a < b) || c", {[A] = 1, [B] = 2, [C] = 0}, 0},
    {"!(a < b) || c", {[A] = 3, [B] = 2, [C] = 0}, 1},
    {"!(a < b) || c", {[A] = 1, [B] = 2, [C] = 5}, 1},
    {"a and not b", {[A] = 1, [B] = 0}, 1},
    {"a and not b", {[A] = 1, [B] = 1}, 0},
    {"a and not b", {[A] = 0, [B] = 0}, 0},
    {"a || b && c", {[A] = 1}, 1},
    {"a or b and c", {[A] = 1}, 1},
    {"a && b || c", {[B] = 1, [C] = 1}, 1},
    {"a && b", {[A] = 2, [B] = -0.5}, 1},
    {"a && b", {[A] = 2, [B] = 0}, 0},
    {"a || b", {[A] = 0, [B] = 0}, 0},
    /* unary operators and constants */
    {"!0", {0}, 1},
    {"!5", {0}, 0},
    {"not 0", {0}, 1},
    {"!!7", {0}, 1},
    {"!-1", {0}, 0},
    {"true", {0}, 1},
    {"false", {0}, 0},
    {"true && !false", {0}, 1},
    {"0.5", {0}, 0.5},
    {".5", {0}, 0.5},
    {"1.", {0}, 1},
    {"1e3", {0}, 1000},
    {"1e+2", {0}, 100},
    {"2.5E-2", {0}, 0.025},
    {"007", {0}, 7},
    {"  age\t<\n16  ", {[AGE] = 3}, 1},
    {"a+b*c", {[A] = 1, [B] = 2, [C] = 3}, 7},
    {"a + b + c + a + b + c + a + b + c + a", {[A] = 1, [B] = 2, [C] = 3}, 19},
    /* every comparison at its boundary: just below, at, just above 3 */
    {"a < 3", {[A] = 2.9999999999999996}, 1},
    {"a < 3", {[A] = 3}, 0},
    {"a < 3", {[A] = 3.0000000000000004}, 0},
    {"a <= 3", {[A] = 2.9999999999999996}, 1},
    {"a <= 3", {[A] = 3}, 1},
    {"a <= 3", {[A] = 3.0000000000000004}, 0},
    {"a > 3", {[A] = 2.9999999999999996}, 0},
    {"a > 3", {[A] = 3}, 0},
    {"a > 3", {[A] = 3.0000000000000004}, 1},
    {"a >= 3", {[A] = 2.9999999999999996}, 0},
    {"a >= 3", {[A] = 3}, 1},
    {"a >= 3", {[A] = 3.0000000000000004}, 1},
    {"a == 3", {[A] = 2.9999999999999996}, 0},
    {"a == 3", {[A] = 3}, 1},
    {"a == 3", {[A] = 3.0000000000000004}, 0},
    {"a != 3", {[A] = 2.9999999999999996}, 1},
    {"a != 3", {[A] = 3}, 0},
    {"a != 3", {[A] = 3.0000000000000004}, 1},
    /* the scenario file's conditions */
    {"need >= 3 && age < 16", {[NEED] = 3, [AGE] = 15.9}, 1},
    {"need >= 3 && age < 16", {[NEED] = 2.99, [AGE] = 10}, 0},
    {"need >= 3 && age < 16", {[NEED] = 3, [AGE] = 16}, 0},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 0}, 1},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 1}, 0},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 13.99}, 0},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 14}, 1},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 16.99}, 1},
    {"age < 1 || (age >= 14 && age < 17)", {[AGE] = 17}, 0},
    {"queue.early_help > 50", {[QUEUE] = 50}, 0},
    {"queue.early_help > 50", {[QUEUE] = 51}, 1},
    {"stock.looked_after / 2", {[STOCK] = 7}, 3.5},
    /* strings */
    {"source == \"police\"", {[SOURCE] = 0}, 1},
    {"source == \"police\"", {[SOURCE] = 1}, 0},
    {"\"health\" == source", {[SOURCE] = 1}, 1},
    {"source != \"education\"", {[SOURCE] = 2}, 0},
    {"source != \"education\"", {[SOURCE] = 0}, 1},
    {"(source) == \"health\"", {[SOURCE] = 1}, 1},
    {"source == \"police\" && episodes >= 2", {[SOURCE] = 0, [EPISODES] = 2}, 1},
    {"source == \"police\" && episodes >= 2", {[SOURCE] = 0, [EPISODES] = 1}, 0},
    {"source == \"police\" && episodes >= 2", {[SOURCE] = 2, [EPISODES] = 5}, 0},
    {"source==\"health\"||source==\"education\"", {[SOURCE] = 2}, 1},
    /* IEEE division: never a trap */
    {"1 / 0", {0}, INFINITY},
    {"-1 / 0", {0}, -INFINITY},
    {"0 / 0", {0}, NAN},
    {"a / b", {[A] = 1}, INFINITY},
    {"0 / 0 == 0 / 0", {0}, 0},
    {"0 / 0 != 0 / 0", {0}, 1},
    {"0 / 0 < 1", {0}, 0},
    {"!(0 / 0)", {0}, 0},
    {"0 / 0 && 1", {0}, 1},
    {"1 / 0 > 1e308", {0}, 1},
    {"1e308 * 10", {0}, INFINITY},
};

static void check_value_row(void **state)
{
    const value_row *r = *state;
    expr *x = compile_ok(r->text);
    assert_true(expr_slots_needed(x) <= NV);
    double got = expr_eval(x, r->v);
    if (isnan(r->want) ? !isnan(got) : got != r->want)
        fail_msg("\"%s\" gives %.17g, expected %.17g", r->text, got, r->want);
    assert_true(expr_holds(x, r->v) == (got != 0));
    assert_string_equal(expr_text(x), r->text);
    expr_destroy(x);
}

/* ---- bad inputs -------------------------------------------------------------- */

typedef struct bad_row {
    const char *text;
    int column;       /* the column the message must name */
    const char *want; /* a fragment the message must hold */
} bad_row;

static const bad_row bad[] = {
    {"", 1, "empty condition"},
    {" \t ", 1, "empty condition"},
    {"age < 16)", 9, "unexpected ')' with no matching '('"},
    {"(age < 16", 10, "missing ')' to close the '(' at column 1"},
    {"((age < 16)", 12, "missing ')' to close the '(' at column 1"},
    {"(a b)", 4, "unexpected 'b'; expected an operator or ')' to close the '(' at column 1"},
    {"age < )", 7, "unexpected ')'; expected a number, a name or '('"},
    {"()", 2, "unexpected ')'; expected a number, a name or '('"},
    {"age <", 6, "unexpected end of condition; expected a number, a name or '('"},
    {"+3", 1, "unexpected '+'; expected a number"},
    {"and", 1, "unexpected 'and'; expected a number"},
    {"age < 16 x", 10, "unexpected 'x' after a complete expression; expected an operator"},
    {"age 16", 5, "unexpected '16' after a complete expression"},
    {"a not b", 3, "unexpected 'not' after a complete expression"},
    {"agee < 3", 1, "unknown name 'agee' (did you mean 'age'?); known names: age, need, episodes"},
    {"xyz < 3", 1, "unknown name 'xyz'; known names: age, need"},
    {"queue.early_hlep > 3", 1, "(did you mean 'queue.early_help'?)"},
    {"a < 1 && sorce == 1", 10, "unknown name 'sorce' (did you mean 'source'?)"},
    {"1..2", 1, "malformed number '1..2'"},
    {"1e", 1, "malformed number '1e'"},
    {"a < 1e+", 5, "malformed number '1e+'"},
    {"0x10", 1, "malformed number '0x10'"},
    {"3abc", 1, "malformed number '3abc'"},
    {"1.5.3", 1, "malformed number '1.5.3'"},
    {"1e999", 1, "number '1e999' is too large"},
    {"age = 3", 5, "unexpected '='; did you mean '=='?"},
    {"a & b", 3, "did you mean '&&'?"},
    {"a | b", 3, "did you mean '||'?"},
    {"a # b", 3, "unexpected character '#'"},
    {"age \xe2\x89\xa5 3", 5, "unexpected byte 0xE2"},
    {"queue. > 3", 7, "incomplete name 'queue.'"},
    {"queue.5 > 3", 7, "incomplete name 'queue.'"},
    {"source == \"police", 11, "unterminated string"},
    {"\"police\"", 1, "string \"police\" where a number is expected"},
    {"source + \"police\"", 10, "string \"police\" where a number is expected"},
    {"\"police\" + 1", 1, "where a number is expected"},
    {"\"police\" && a", 1, "where a number is expected"},
    {"-\"police\"", 2, "where a number is expected"},
    {"\"police\" == \"health\"", 13, "comparing two strings"},
    {"source + 1 == \"police\"", 15, "a string can only be compared with a name"},
    {"\"police\" == 1", 1, "a string can only be compared with a name"},
    {"age == \"police\"", 8, "\"police\" is not a value of 'age'"},
    {"source == \"polise\"", 11, "\"polise\" is not a value of 'source'"},
    {"1 < age < 16", 9, "comparisons do not chain"},
    {"a == b != c", 8, "comparisons do not chain"},
    {"!a < b", 1, "'!' binds tighter than '<'"},
    {"not age < 16", 1,
     "'not' binds tighter than '<', so it negates only its operand; write 'not (a < b)'"},
    {"a and not b == c", 7, "'not' binds tighter than '=='"},
};

static void check_bad_row(void **state)
{
    const bad_row *r = *state;
    expr *x = (expr *)&x; /* anything but NULL: compile must clear it */
    err_info e;
    err_clear(&e);
    assert_int_equal(expr_compile(&x, r->text, &env, &e), ERR_INPUT);
    assert_null(x);
    assert_int_equal(e.code, ERR_INPUT);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "column %d: ", r->column);
    if (strncmp(e.text, prefix, strlen(prefix)) != 0 || strstr(e.text, r->want) == NULL)
        fail_msg("\"%s\": message \"%s\" lacks \"%s\" or \"%s\"", r->text, e.text, prefix, r->want);
}

/* ---- the environment's options and failures ---------------------------------- */

static void expect_error(const char *text, const expr_env *en, int rc, const char *want)
{
    expr *x = NULL;
    err_info e;
    err_clear(&e);
    assert_int_equal(expr_compile(&x, text, en, &e), rc);
    assert_null(x);
    if (strstr(e.text, want) == NULL)
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, e.text, want);
}

static void test_env_options(void **state)
{
    (void)state;
    expr_env bare = {NULL, test_lookup, NULL, NULL}; /* no strings, no list of names */
    expect_error("source == \"police\"", &bare, ERR_INPUT,
                 "column 11: string \"police\" compared with 'source', but no name here takes "
                 "strings");
    expect_error("agee < 3", &bare, ERR_INPUT, "column 1: unknown name 'agee'");
    err_info e;
    expr *x = NULL;
    assert_int_equal(expr_compile(&x, "agee < 3", &bare, &e), ERR_INPUT);
    assert_null(strstr(e.text, "known names")); /* nothing to list, nothing to suggest */
    assert_null(strstr(e.text, "did you mean"));
    /* A resolver's own failure passes through with its code. */
    expect_error("a < boom", &env, ERR_NOMEM, "column 5: looking up 'boom' failed: out of memory");
    expect_error("source == \"boom\"", &env, ERR_IO, "column 11: looking up \"boom\" failed");
    /* e may be NULL. */
    assert_int_equal(expr_compile(&x, "a <", &env, NULL), ERR_INPUT);
    assert_null(x);
}

static void test_accessors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t slots;
        uint64_t mask;
    } rows[] = {{"1 + 2", 0, 0},
                {"age", 1, 1u << AGE},
                {"c > 1", 9, 1u << C},
                {"queue.early_help > 1", 5, 1u << QUEUE},
                {"source == \"police\" || a", 7, 1u << SOURCE | 1u << A},
                {"a * a < b + a", 8, 1u << A | 1u << B}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        expr *x = compile_ok(rows[i].text);
        assert_int_equal(expr_slots_needed(x), rows[i].slots);
        assert_int_equal(expr_slot_mask(x), rows[i].mask);
        assert_string_equal(expr_text(x), rows[i].text);
        expr_destroy(x);
    }
    expr *x = compile_ok("1 < 2");
    assert_true(expr_holds(x, NULL)); /* no slots read: vars may be NULL */
    expr_destroy(x);
    expr_destroy(NULL);
}

/* ---- limits ------------------------------------------------------------------ */

/* open repeated k times, then mid, then close repeated k times (caller frees). */
static char *wrap(const char *open, const char *mid, const char *close, size_t k)
{
    size_t n = (strlen(open) + strlen(close)) * k + strlen(mid) + 1;
    char *s = malloc(n), *w = s;
    assert_non_null(s);
    for (size_t i = 0; i < k; i++)
        w += sprintf(w, "%s", open);
    w += sprintf(w, "%s", mid);
    for (size_t i = 0; i < k; i++)
        w += sprintf(w, "%s", close);
    return s;
}

/* Compiles text (then frees it): it must compile when want is NULL, else fail with want. */
static void expect_limit(char *text, const char *want)
{
    expr *x = NULL;
    err_info e;
    err_clear(&e);
    int rc = expr_compile(&x, text, &env, &e);
    if (want == NULL) {
        if (rc != 0)
            fail_msg("%.40s... should compile: %s", text, e.text);
        expr_destroy(x);
    } else if (rc != ERR_INPUT || strstr(e.text, want) == NULL) {
        fail_msg("%.40s...: rc %d, message \"%s\" lacks \"%s\"", text, rc, e.text, want);
    }
    free(text);
}

static void test_limits(void **state)
{
    (void)state;
    const size_t nest = EXPR_MAX_NESTING, stack = EXPR_MAX_STACK;
    /* Length. */
    expect_limit(wrap("", "1", " ", EXPR_MAX_TEXT - 1), NULL);
    expect_limit(wrap("", "1", " ", EXPR_MAX_TEXT),
                 "column 1001: condition too long (1001 characters; at most 1000)");
    /* Stack depth: "1+(1+(...1))" with k parentheses holds k + 1 values at once. */
    expect_limit(wrap("1+(", "1", ")", stack - 1), NULL);
    expect_limit(wrap("1+(", "1", ")", stack), "condition too deep");
    /* Left-leaning chains need two values whatever their length. */
    expect_limit(wrap("a + ", "a", "", 200), NULL);
    expect_limit(wrap("a < 1 && ", "a < 1", "", 90), NULL);
    /* Nesting of parentheses and unary operators. */
    expect_limit(wrap("(", "1", ")", nest), NULL);
    expect_limit(wrap("(", "1", ")", nest + 1),
                 "column 65: condition too deeply nested (more than 64 levels)");
    expect_limit(wrap("-", "1", "", nest), NULL);
    expect_limit(wrap("!", "1", "", nest + 1), "too deeply nested");
}

/* ---- random expressions against C ------------------------------------------- */

/* A fixed-seed 64-bit LCG: the same cases on every run and platform. */
static uint32_t rnd(uint64_t *s, uint32_t n)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)((*s >> 33) % n);
}

/* Binary operators as written, with C's binding strength. */
static const struct {
    const char *text;
    int prec;
} bins[] = {{"*", 6},  {"/", 6},  {"+", 5},  {"-", 5},  {"<", 4},   {"<=", 4}, {">", 4},
            {">=", 4}, {"==", 3}, {"!=", 3}, {"&&", 2}, {"and", 2}, {"||", 1}, {"or", 1}};
#define N_BINS (sizeof bins / sizeof bins[0])

enum { N_CONST, N_VAR, N_NEG, N_NOT, N_BIN };

typedef struct node {
    int kind;    /* N_* */
    int bin;     /* N_BIN: index into bins */
    int l, r;    /* children (N_NEG, N_NOT: l only) */
    double k;    /* N_CONST */
    uint32_t v;  /* N_VAR: A, B or C */
    bool parens; /* printed in redundant parentheses */
} node;

#define MAX_NODES 256

typedef struct tree {
    node n[MAX_NODES];
    int count;
} tree;

static int grow(tree *t, uint64_t *s, int depth)
{
    static const double consts[] = {0, 1, 2, 3, 0.5, 10};
    int i = t->count++;
    node *n = &t->n[i];
    *n = (node){.parens = rnd(s, 8) == 0};
    uint32_t pick = depth == 0 ? rnd(s, 2) : rnd(s, 8);
    if (pick == 0) {
        n->kind = N_CONST;
        n->k = consts[rnd(s, sizeof consts / sizeof consts[0])];
    } else if (pick == 1) {
        n->kind = N_VAR;
        n->v = A + rnd(s, 3);
    } else if (pick == 2) {
        n->kind = rnd(s, 2) ? N_NEG : N_NOT;
        int l = grow(t, s, depth - 1);
        t->n[i].l = l;
    } else {
        n->kind = N_BIN;
        n->bin = (int)rnd(s, N_BINS);
        int l = grow(t, s, depth - 1);
        int r = grow(t, s, depth - 1);
        t->n[i].l = l;
        t->n[i].r = r;
    }
    return i;
}

static bool comparison(int prec)
{
    return prec == 3 || prec == 4;
}

/* Whether child c of binary operator bin, on the left or right, needs
 * parentheses: looser binding, the right of an equal binding (operators are
 * left-associative), and the two pitfalls the compiler refuses. */
static bool needs_parens(const tree *t, int c, int bin, bool left)
{
    const node *n = &t->n[c];
    int pp = bins[bin].prec;
    if (n->kind == N_NOT)
        return left && comparison(pp);
    if (n->kind != N_BIN)
        return false;
    int cp = bins[n->bin].prec;
    return cp < pp || (cp == pp && (!left || comparison(pp)));
}

static void print(const tree *t, int i, bool parens, char **w)
{
    const node *n = &t->n[i];
    parens = parens || n->parens;
    if (parens)
        *w += sprintf(*w, "(");
    switch (n->kind) {
    case N_CONST:
        *w += sprintf(*w, "%g", n->k);
        break;
    case N_VAR:
        *w += sprintf(*w, "%s", var_names[n->v]);
        break;
    case N_NEG:
    case N_NOT:
        *w += sprintf(*w, "%s", n->kind == N_NEG ? "-" : n->l % 2 ? "!" : "not ");
        print(t, n->l, t->n[n->l].kind == N_BIN, w);
        break;
    default:
        print(t, n->l, needs_parens(t, n->l, n->bin, true), w);
        *w += sprintf(*w, " %s ", bins[n->bin].text);
        print(t, n->r, needs_parens(t, n->r, n->bin, false), w);
    }
    if (parens)
        *w += sprintf(*w, ")");
}

/* The tree's value computed by C itself: the reference semantics. */
static double value(const tree *t, int i, const double *v)
{
    const node *n = &t->n[i];
    if (n->kind == N_CONST)
        return n->k;
    if (n->kind == N_VAR)
        return v[n->v];
    double l = value(t, n->l, v);
    if (n->kind == N_NEG)
        return -l;
    if (n->kind == N_NOT)
        return !l;
    double r = value(t, n->r, v);
    switch (n->bin) {
    case 0:
        return l * r;
    case 1:
        return l / r;
    case 2:
        return l + r;
    case 3:
        return l - r;
    case 4:
        return l < r;
    case 5:
        return l <= r;
    case 6:
        return l > r;
    case 7:
        return l >= r;
    case 8:
        return l == r;
    case 9:
        return l != r;
    case 10:
    case 11:
        return l && r;
    default:
        return l || r;
    }
}

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b));
}

static void test_random_trees(void **state)
{
    (void)state;
    uint64_t s = 20240601;
    char text[4096];
    for (int k = 0; k < 3000; k++) {
        tree t = {.count = 0};
        int root = grow(&t, &s, 1 + (int)rnd(&s, 6));
        char *w = text;
        print(&t, root, false, &w);
        expr *x = compile_ok(text);
        for (int j = 0; j < 4; j++) {
            double v[NV] = {0};
            for (int m = A; m <= C; m++)
                v[m] = (double)rnd(&s, 7) - 3;
            double got = expr_eval(x, v), want = value(&t, root, v);
            if (!same(got, want))
                fail_msg("\"%s\" with a=%g b=%g c=%g gives %.17g, C gives %.17g", text, v[A], v[B],
                         v[C], got, want);
        }
        expr_destroy(x);
    }
}

/*
 * A lone comparison of a name with a number skips the stack machine
 * (expr.c): each operator, with the name on either side, against C's own
 * comparison at values below, at and above the constant, at infinities and
 * at a NaN (which only != holds for). "a OP 3 + 0" is the same comparison
 * run by the stack machine, so both paths are held to C.
 */
static void test_lone_comparisons(void **state)
{
    (void)state;
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    const double at[] = {-INFINITY, -1.0, 2.9999999999999996, 3.0, 3.0000000000000004,
                         INFINITY,  NAN};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int form = 0; form < 3; form++) {
            char text[32];
            snprintf(text, sizeof text,
                     form == 0   ? "a %s 3"
                     : form == 1 ? "3 %s a"
                                 : "a %s 3 + 0",
                     ops[o]);
            expr *x = compile_ok(text);
            for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
                double l = form == 1 ? 3.0 : at[i], r = form == 1 ? at[i] : 3.0;
                bool want = o == 0   ? l < r
                            : o == 1 ? l <= r
                            : o == 2 ? l > r
                            : o == 3 ? l >= r
                            : o == 4 ? l == r
                                     : l != r;
                double v[NV] = {[A] = at[i]};
                double got = expr_eval(x, v);
                if (got != (want ? 1.0 : 0.0))
                    fail_msg("\"%s\" with a = %.17g gives %g, expected %d", text, at[i], got, want);
            }
            expr_destroy(x);
        }
}

/* ---- allocation ---------------------------------------------------------------- */

/* An allocator that fails its fail_at-th call and counts calls and live blocks. */
static void fail_at(failing *fa, long n)
{
    fa->calls = 0;
    fa->fail_at = n;
    const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, fa};
    mem_set_hooks(&hooks);
}

/* Fails each allocation of compiling text in turn until none is left to fail;
 * the compile then ends with final_rc after exactly `allocs` allocations. */
static void fail_each_allocation(const char *text, int final_rc, long allocs)
{
    failing fa = {0};
    int rc = ERR_NOMEM;
    for (long n = 1; rc == ERR_NOMEM; n++) {
        expr *x = (expr *)&fa;
        err_info e;
        err_clear(&e);
        fail_at(&fa, n);
        rc = expr_compile(&x, text, &env, &e);
        if (rc == ERR_NOMEM) {
            assert_null(x);
            assert_string_equal(e.text, "out of memory compiling a condition");
        } else {
            assert_int_equal(rc, final_rc);
            assert_int_equal(fa.calls, allocs);
            if (rc == 0)
                assert_true(expr_eval(x, (double[NV]){[SOURCE] = 0, [EPISODES] = 2}) == 1);
            expr_destroy(x);
        }
        mem_set_hooks(NULL);
        assert_int_equal(fa.live, 0);
        assert_true(n <= allocs + 1);
    }
}

static void test_alloc_failure(void **state)
{
    (void)state;
    fail_each_allocation("source == \"police\" && episodes >= 2", 0, 2);
    fail_each_allocation("agee < 3", ERR_INPUT, 1); /* the scratch, then the error */
    fail_each_allocation("1..2", ERR_INPUT, 1);
    fail_each_allocation("", ERR_INPUT, 0);
}

static void test_eval_does_not_allocate(void **state)
{
    (void)state;
    const char *ten = "a + b * c - age / 2 + need * 3 - episodes + queue.early_help / 4 "
                      "+ stock.looked_after - 1 + 2 * a > 0";
    double v[NV] = {[AGE] = 8,   [NEED] = 2, [EPISODES] = 1, [QUEUE] = 40,
                    [STOCK] = 5, [A] = 1,    [B] = 2,        [C] = 3};
    double want = (1 + 2 * 3 - 8 / 2.0 + 2 * 3 - 1 + 40 / 4.0 + 5 - 1 + 2 * 1) > 0;
    failing fa = {0};
    fail_at(&fa, 0);
    expr *x = compile_ok(ten);
    assert_int_equal(fa.calls, 2); /* scratch and program */
    fa.calls = 0;
    double sum = 0;
    for (int i = 0; i < 10000; i++)
        sum += expr_eval(x, v) + expr_holds(x, v);
    assert_int_equal(fa.calls, 0);
    expr_destroy(x);
    mem_set_hooks(NULL);
    assert_int_equal(fa.live, 0);
    assert_true(sum == 20000 * want);
}

/* ---- churn -------------------------------------------------------------------- */

/* Tokens that may start an operand, that may follow one, and junk. A soup
 * mostly follows that alternation, so that many soups compile, and strays
 * from it often enough to reach every error. */
static const char *const operands[] = {
    "age",  "need",  "source",     "queue.early_help", "a", "b", "1", "0.5", "1e3",
    "true", "false", "\"police\"", "\"nope\"",         "(", "(", "-", "!",   "not"};
static const char *const operators[] = {"and", "or", "&&", "||", "*",  "/",  "+", "-",
                                        "<",   "<=", ">",  ">=", "==", "!=", ")"};
static const char *const junk[] = {"agee", "1..2", "1e", "\"",       "=",      "&", "#",
                                   ".",    "_",    "\t", "\xc3\xa9", "queue.", "x"};
#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof(a)[0]))

/* A random soup of up to 15 tokens into text. */
static void soup(uint64_t *s, char *text)
{
    char *w = text;
    bool want_operand = true; /* what a valid condition needs next */
    uint32_t n = rnd(s, 16);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t dice = rnd(s, 20);
        bool stray = dice == 1; /* the wrong class on purpose */
        const char *tok;
        if (dice == 0) {
            tok = junk[rnd(s, COUNT(junk))];
        } else if (want_operand != stray) {
            tok = operands[rnd(s, COUNT(operands))];
            /* "(", "-", "!" and "not" still need an operand after them */
            want_operand = strchr("(-!", tok[0]) != NULL || strcmp(tok, "not") == 0;
        } else {
            tok = operators[rnd(s, COUNT(operators))];
            want_operand = strcmp(tok, ")") != 0;
        }
        w += sprintf(w, "%s%s", tok, rnd(s, 3) ? " " : "");
    }
    *w = '\0';
}

static void test_token_soup(void **state)
{
    (void)state;
    uint64_t s = 12345;
    failing fa = {0};
    fail_at(&fa, 0); /* counts live blocks */
    long ok = 0, bad_count = 0;
    char text[1024];
    for (int k = 0; k < 10000; k++) {
        soup(&s, text);
        size_t len = strlen(text);
        expr *x = NULL;
        err_info e;
        err_clear(&e);
        int rc = expr_compile(&x, text, &env, &e);
        if (rc == 0) {
            ok++;
            assert_true(expr_slots_needed(x) <= NV);
            assert_string_equal(expr_text(x), text);
            double v[NV] = {[A] = rnd(&s, 3), [B] = 0, [AGE] = 7};
            (void)expr_eval(x, v);
            expr_destroy(x);
            continue;
        }
        bad_count++;
        size_t col = 0;
        assert_int_equal(rc, ERR_INPUT);
        assert_null(x);
        if (sscanf(e.text, "column %zu: ", &col) != 1 || col < 1 || col > len + 1)
            fail_msg("\"%s\": message \"%s\" has no column in 1..%zu", text, e.text, len + 1);
    }
    mem_set_hooks(NULL);
    assert_int_equal(fa.live, 0);
    print_message("token soup: %ld compiled, %ld refused\n", ok, bad_count);
    assert_true(ok > 300 && bad_count > 300); /* both paths well exercised */
}

/* ---- threads ------------------------------------------------------------------ */

#define N_THREADS 4
#define N_ROUNDS  2000

typedef struct shared {
    expr *x[sizeof values / sizeof values[0]];
    double want[sizeof values / sizeof values[0]];
    long mismatches[N_THREADS];
} shared;

typedef struct worker {
    shared *sh;
    int id;
} worker;

static void *evaluate_all(void *arg)
{
    worker *w = arg;
    const size_t n = sizeof values / sizeof values[0];
    for (int round = 0; round < N_ROUNDS; round++)
        for (size_t i = 0; i < n; i++)
            if (!same(expr_eval(w->sh->x[i], values[i].v), w->sh->want[i]))
                w->sh->mismatches[w->id]++;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    const size_t n = sizeof values / sizeof values[0];
    shared sh = {0};
    for (size_t i = 0; i < n; i++) {
        sh.x[i] = compile_ok(values[i].text);
        sh.want[i] = expr_eval(sh.x[i], values[i].v);
    }
    pthread_t th[N_THREADS];
    worker w[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        w[t] = (worker){&sh, t};
        assert_int_equal(pthread_create(&th[t], NULL, evaluate_all, &w[t]), 0);
    }
    for (int t = 0; t < N_THREADS; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_int_equal(sh.mismatches[t], 0);
    }
    for (size_t i = 0; i < n; i++)
        expr_destroy(sh.x[i]);
}

/* ---- main ---------------------------------------------------------------------- */

/* A test name on one line: control characters become spaces. */
static void printable(char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20)
            *s = ' ';
}

int main(void)
{
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_env_options),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_random_trees),
        cmocka_unit_test(test_lone_comparisons),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_eval_does_not_allocate),
        cmocka_unit_test(test_token_soup),
        cmocka_unit_test(test_threads),
    };
    const size_t n_values = sizeof values / sizeof values[0], n_bad = sizeof bad / sizeof bad[0];
    const size_t n_fixed = sizeof fixed / sizeof fixed[0], n = n_values + n_bad + n_fixed;
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    char(*names)[96] = calloc(n_values + n_bad, sizeof *names);
    if (tests == NULL || names == NULL)
        return 1;
    for (size_t i = 0; i < n_values; i++) {
        snprintf(names[i], sizeof names[i], "value %zu: %s", i + 1, values[i].text);
        printable(names[i]);
        tests[i] = (struct CMUnitTest){names[i], check_value_row, NULL, NULL, (void *)&values[i]};
    }
    for (size_t i = 0; i < n_bad; i++) {
        char *name = names[n_values + i];
        snprintf(name, sizeof names[0], "error %zu: %s", i + 1, bad[i].text);
        printable(name);
        tests[n_values + i] = (struct CMUnitTest){name, check_bad_row, NULL, NULL, (void *)&bad[i]};
    }
    memcpy(tests + n_values + n_bad, fixed, sizeof fixed);
    int failed = _cmocka_run_group_tests("test_expr", tests, n, NULL, NULL);
    free(names);
    free(tests);
    return failed;
}
