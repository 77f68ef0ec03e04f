/*
 * expr — a one-pass compiler from condition text to postfix code, and the
 * stack machine that runs it.
 *
 * Compiling: a hand-written lexer feeds a recursive-descent parser that uses
 * precedence climbing for the binary operators and emits postfix instructions
 * as it goes, so no syntax tree is built. Each token emits at most one
 * instruction (parentheses emit none), so a scratch array of strlen(text)
 * instructions always suffices; the finished program is copied into one
 * exact-size block together with its text. A compile therefore makes exactly
 * two allocations, and frees the scratch array on every path.
 *
 * The parser tracks the evaluation stack depth as it emits (a push adds one,
 * a binary operator removes one) and refuses a program whose depth would pass
 * EXPR_MAX_STACK; that is what lets expr_eval use a fixed array on its own
 * stack with no bounds checks.
 *
 * Strings: a string literal emits nothing when parsed; it travels up as a
 * pending operand until == or != pairs it with a lone name, when
 * env->string_value turns it into a constant. Because == and != are
 * symmetric, the constant may be pushed after the name even when the string
 * came first in the text.
 *
 * A lone comparison of a name with a number ("age < 2"), most conditions in
 * real scenarios, skips the stack machine: finish() recognises the three
 * instructions and expr_holds (inline, expr.h) and expr_eval answer from a
 * table of outcomes (less, equal, greater, unordered) without a branch. In a Bridgend run
 * conditions are asked 18,000 times a replication, and the interpreter's three dispatches (an
 * indirect jump each, badly predicted) took about 2% of the instructions and most of the
 * mispredicted indirect jumps (cachegrind). Fusing "load, compare with constant" into instructions
 * of the general machine was the alternative: it still dispatches, and conditions joined by && and
 * || are rare and asked rarely (placement preferences).
 */
#include "pathway/expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h" /* cfg_edit_distance */
#include "check.h"
#include "mem.h"

/* Farthest a misspelt name may be from a known one to be suggested. */
#define SUGGEST_MAX_DISTANCE 2
/* Longest name considered for "did you mean" (copied to the stack). */
#define SUGGEST_MAX_NAME 63
/* Characters of a token quoted back in a message. */
#define SHOW_MAX_CHARS 32

/* ---- the program ---------------------------------------------------------- */

/* Instructions. Checklist for a new operator: the lexer (next), prec[],
 * op_class(), stack_effect() and expr_eval's switch. */
enum {
    OP_CONST, /* push k */
    OP_LOAD,  /* push vars[slot] */
    OP_NEG,   /* unary: replace top */
    OP_NOT,
    OP_MUL, /* binary: pop two, push one */
    OP_DIV,
    OP_ADD,
    OP_SUB,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_AND,
    OP_OR
};

typedef struct ins {
    double k;      /* OP_CONST: the value pushed */
    uint32_t slot; /* OP_LOAD: the slot read */
    uint32_t op;   /* an OP_* */
} ins;

enum {
    CMP_LESS = EXPR_CMP_LESS,
    CMP_EQUAL = EXPR_CMP_EQUAL,
    CMP_GREATER = EXPR_CMP_GREATER,
    CMP_UNORDERED = EXPR_CMP_UNORDERED
};

/* Invariants: n_code >= 1; running code[] from an empty stack never holds more
 * than max_stack <= EXPR_MAX_STACK values and ends with exactly one; every
 * OP_LOAD reads a slot below slots, and head.mask has the bit of each slot
 * read. head.cmp_true != 0 exactly when code is a lone comparison of slot
 * head.cmp_slot with the constant head.cmp_k (either way round), whose value
 * is 1 for the outcomes in cmp_true and 0 for the others. text points just
 * past code[n_code - 1]. head is first: expr.h's inline functions read it. */
struct expr {
    expr_head_ head;
    const char *text;   /* the source, NUL-terminated, inside this block */
    uint32_t n_code;    /* instructions in code */
    uint32_t max_stack; /* deepest evaluation stack */
    uint32_t slots;     /* largest slot read + 1, or 0 */
    ins code[];
};
_Static_assert(offsetof(struct expr, head) == 0, "expr.h reads the head through the pointer");

/* Binding strength of each binary operator; 0: not binary. */
static const int prec[] = {
    [OP_OR] = 1, [OP_AND] = 2, [OP_EQ] = 3,  [OP_NE] = 3,  [OP_LT] = 4,  [OP_LE] = 4,
    [OP_GT] = 4, [OP_GE] = 4,  [OP_ADD] = 5, [OP_SUB] = 5, [OP_MUL] = 6, [OP_DIV] = 6,
};

static int stack_effect(uint32_t op)
{
    if (op == OP_CONST || op == OP_LOAD)
        return 1;
    return op == OP_NEG || op == OP_NOT ? 0 : -1;
}

/* ---- the parser's state ---------------------------------------------------- */

enum { T_END, T_NUM, T_STR, T_NAME, T_LP, T_RP, T_BANG, T_BIN };

typedef struct token {
    int type;    /* T_*; T_BIN also stands for unary '-' (op OP_SUB) */
    uint32_t op; /* T_BIN: the OP_* */
    size_t at;   /* offset of the first byte in the text */
    size_t len;  /* bytes, quotes included for T_STR */
    double num;  /* T_NUM: the value (true is 1, false 0) */
} token;

/* What an operand is, as far as the parser cares. */
typedef enum {
    V_NUM,  /* a number computed by the code emitted so far */
    V_NAME, /* a lone name (perhaps in parentheses), already loaded */
    V_STR   /* a string literal, not yet emitted */
} vkind;

/* The operator that produced an operand not enclosed in parentheses, for the
 * pitfall checks ("a < b < c", "!a < b"). */
typedef enum { BY_OTHER, BY_NOT, BY_RELATIONAL, BY_EQUALITY } vby;

typedef struct operand {
    vkind kind;
    vby by;
    uint32_t slot; /* V_NAME: its slot */
    size_t at;     /* where it starts in the text (for BY_NOT: the '!' or 'not') */
    size_t len;    /* V_STR: the literal's length with quotes; BY_NOT: the operator's */
} operand;

typedef struct parser {
    const char *text;
    size_t pos; /* next byte the lexer reads */
    token tok;  /* the current token */
    const expr_env *env;
    err_info *e;
    ins *code;          /* scratch program */
    size_t n_code, cap; /* used and allocated instructions */
    int depth;          /* stack depth after the code so far */
    int max_depth;
    int nesting; /* open parentheses and unary operators */
    uint32_t slots;
} parser;

/* Sets an ERR_INPUT message "column N: ..." for byte offset at. */
__attribute__((format(printf, 3, 4))) static int fail(parser *p, size_t at, const char *fmt, ...)
{
    char msg[ERR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(p->e, ERR_INPUT, NULL, 0, "column %zu: %s", at + 1, msg);
}

/* text[at..at+len) quoted with `q` for a message (one line), shortened with "..." if long. */
static const char *show(const parser *p, size_t at, size_t len, char q, char *buf, size_t size)
{
    int n = len > SHOW_MAX_CHARS ? SHOW_MAX_CHARS - 3 : (int)len;
    snprintf(buf, size, "%c%.*s%s%c", q, n, p->text + at, len > SHOW_MAX_CHARS ? "..." : "", q);
    for (char *c = buf; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20) /* a string may hold a newline: keep one line */
            *c = ' ';
    return buf;
}

/* The current token for "unexpected ...". */
static const char *show_tok(const parser *p, char *buf, size_t size)
{
    if (p->tok.type == T_END)
        return "end of condition";
    if (p->tok.type == T_STR)
        return show(p, p->tok.at + 1, p->tok.len - 2, '"', buf, size);
    return show(p, p->tok.at, p->tok.len, '\'', buf, size);
}

/* ---- lexer ------------------------------------------------------------------ */

/* ASCII only, whatever the locale. */
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_word(char c)
{
    return is_word_start(c) || is_digit(c);
}

static size_t skip_digits(const char *s, size_t i)
{
    while (is_digit(s[i]))
        i++;
    return i;
}

/* "malformed number" for the number starting at `at` whose lexing stopped at i. */
static int malformed(parser *p, size_t at, size_t i)
{
    char b[SHOW_MAX_CHARS + 3];
    while (is_word(p->text[i]) || p->text[i] == '.')
        i++;
    return fail(p, at, "malformed number %s; expected a number such as 3, 0.5 or 1e3",
                show(p, at, i - at, '\'', b, sizeof b));
}

static int lex_number(parser *p, size_t at)
{
    const char *s = p->text;
    size_t i = skip_digits(s, at);
    if (s[i] == '.')
        i = skip_digits(s, i + 1);
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');
        if (!is_digit(s[j]))
            return malformed(p, at, j);
        i = skip_digits(s, j);
    }
    if (is_word(s[i]) || s[i] == '.')
        return malformed(p, at, i);
    char *end;
    double v = strtod(s + at, &end);
    CHECK(end == s + i); /* the lexer accepted exactly what strtod reads */
    if (isinf(v)) {
        char b[SHOW_MAX_CHARS + 3];
        return fail(p, at, "number %s is too large", show(p, at, i - at, '\'', b, sizeof b));
    }
    p->tok = (token){.type = T_NUM, .at = at, .len = i - at, .num = v};
    p->pos = i;
    return 0;
}

static bool word_is(const char *s, size_t len, const char *w)
{
    return strlen(w) == len && memcmp(s, w, len) == 0;
}

/* A name, dotted or not, or one of the reserved words. */
static int lex_name(parser *p, size_t at)
{
    const char *s = p->text;
    size_t i = at;
    for (;;) {
        while (is_word(s[i]))
            i++;
        if (s[i] != '.')
            break;
        if (!is_word_start(s[i + 1])) {
            char b[SHOW_MAX_CHARS + 3];
            return fail(p, i + 1, "incomplete name %s; expected a word after '.'",
                        show(p, at, i + 1 - at, '\'', b, sizeof b));
        }
        i++;
    }
    size_t len = i - at;
    token t = {.type = T_NAME, .at = at, .len = len};
    if (word_is(s + at, len, "and") || word_is(s + at, len, "or"))
        t = (token){.type = T_BIN, .op = s[at] == 'a' ? OP_AND : OP_OR, .at = at, .len = len};
    else if (word_is(s + at, len, "not"))
        t.type = T_BANG;
    else if (word_is(s + at, len, "true") || word_is(s + at, len, "false"))
        t = (token){.type = T_NUM, .at = at, .len = len, .num = s[at] == 't'};
    p->tok = t;
    p->pos = i;
    return 0;
}

static int lex_string(parser *p, size_t at)
{
    const char *close = strchr(p->text + at + 1, '"');
    if (close == NULL)
        return fail(p, at, "unterminated string; expected a closing '\"'");
    size_t end = (size_t)(close - p->text) + 1;
    p->tok = (token){.type = T_STR, .at = at, .len = end - at};
    p->pos = end;
    return 0;
}

/* Operators of one or two characters; "=", "&" and "|" alone are errors. */
static int lex_operator(parser *p, size_t at)
{
    static const struct {
        const char *text;
        int type;
        uint32_t op;
    } ops[] = {
        {"&&", T_BIN, OP_AND}, {"||", T_BIN, OP_OR}, {"==", T_BIN, OP_EQ}, {"!=", T_BIN, OP_NE},
        {"<=", T_BIN, OP_LE},  {">=", T_BIN, OP_GE}, {"<", T_BIN, OP_LT},  {">", T_BIN, OP_GT},
        {"+", T_BIN, OP_ADD},  {"-", T_BIN, OP_SUB}, {"*", T_BIN, OP_MUL}, {"/", T_BIN, OP_DIV},
        {"!", T_BANG, 0},      {"(", T_LP, 0},       {")", T_RP, 0},
    };
    const char *s = p->text + at;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].text);
        if (strncmp(s, ops[k].text, n) == 0) {
            p->tok = (token){.type = ops[k].type, .op = ops[k].op, .at = at, .len = n};
            p->pos = at + n;
            return 0;
        }
    }
    if (*s == '=' || *s == '&' || *s == '|')
        return fail(p, at, "unexpected '%c'; did you mean '%c%c'?", *s, *s, *s);
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c < 0x7f)
        return fail(p, at, "unexpected character '%c'", *s);
    return fail(p, at, "unexpected byte 0x%02X; conditions are written in plain ASCII", c);
}

/* Reads the next token into p->tok. */
static int next(parser *p)
{
    const char *s = p->text;
    size_t at = p->pos;
    while (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r')
        at++;
    if (s[at] == '\0') {
        p->tok = (token){.type = T_END, .at = at};
        p->pos = at;
        return 0;
    }
    if (is_digit(s[at]) || (s[at] == '.' && is_digit(s[at + 1])))
        return lex_number(p, at);
    if (is_word_start(s[at]))
        return lex_name(p, at);
    if (s[at] == '"')
        return lex_string(p, at);
    return lex_operator(p, at);
}

/* ---- code emission ---------------------------------------------------------- */

/* Appends an instruction; at locates it for the depth message. */
static int emit(parser *p, size_t at, uint32_t op, double k, uint32_t slot)
{
    CHECK(p->n_code < p->cap); /* at most one instruction per token */
    p->depth += stack_effect(op);
    CHECK(p->depth >= 1);
    if (p->depth > EXPR_MAX_STACK)
        return fail(p, at,
                    "condition too deep: it needs more than %d values at once; "
                    "remove parentheses so that chains lean left",
                    EXPR_MAX_STACK);
    if (p->depth > p->max_depth)
        p->max_depth = p->depth;
    p->code[p->n_code++] = (ins){.k = k, .slot = slot, .op = op};
    return 0;
}

/* ---- names ------------------------------------------------------------------ */

/* Copies s[0..len) into buf (SUGGEST_MAX_NAME + 1 bytes); false if too long. */
static bool copy_name(char *buf, const char *s, size_t len)
{
    if (len > SUGGEST_MAX_NAME)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

/* " (did you mean 'x'?)" into hint for the closest candidate in the ", "
 * separated list, if one is near enough to be a plausible typo; "" otherwise. */
static void suggest(const char *name, size_t len, const char *list, char *hint, size_t size)
{
    char word[SUGGEST_MAX_NAME + 1], cand[SUGGEST_MAX_NAME + 1], best[SUGGEST_MAX_NAME + 1];
    size_t best_d = SUGGEST_MAX_DISTANCE + 1;
    hint[0] = '\0';
    if (!copy_name(word, name, len))
        return;
    while (*list != '\0') {
        list += strspn(list, ", ");
        size_t n = strcspn(list, ",");
        while (n > 0 && list[n - 1] == ' ')
            n--;
        if (n > 0 && copy_name(cand, list, n)) {
            size_t d = cfg_edit_distance(word, cand);
            /* d < both lengths: the two share something */
            if (d > 0 && d < best_d && d < n && d < len) {
                memcpy(best, cand, n + 1);
                best_d = d;
            }
        }
        list += strcspn(list, ",");
    }
    if (best_d <= SUGGEST_MAX_DISTANCE)
        snprintf(hint, size, " (did you mean '%s'?)", best);
}

static int unknown_name(parser *p, const token *t)
{
    char list[ERR_TEXT_MAX / 2], hint[SUGGEST_MAX_NAME + 24], b[SHOW_MAX_CHARS + 3];
    const char *name = p->text + t->at;
    list[0] = '\0';
    if (p->env->describe != NULL) {
        p->env->describe(p->env->ctx, list, sizeof list);
        list[sizeof list - 1] = '\0';
    }
    suggest(name, t->len, list, hint, sizeof hint);
    show(p, t->at, t->len, '\'', b, sizeof b);
    if (list[0] == '\0')
        return fail(p, t->at, "unknown name %s%s", b, hint);
    return fail(p, t->at, "unknown name %s%s; known names: %s", b, hint, list);
}

/* Emits the load of the name in token t. */
static int load_name(parser *p, const token *t, operand *v)
{
    uint32_t slot = 0;
    int rc = p->env->lookup(p->env->ctx, p->text + t->at, t->len, &slot);
    if (rc == ERR_INPUT)
        return unknown_name(p, t);
    if (rc != 0) {
        char b[SHOW_MAX_CHARS + 3];
        return err_set(p->e, rc, NULL, 0, "column %zu: looking up %s failed: %s", t->at + 1,
                       show(p, t->at, t->len, '\'', b, sizeof b), err_code_name(rc));
    }
    CHECK(slot < UINT32_MAX); /* the resolver's contract */
    if (slot + 1 > p->slots)
        p->slots = slot + 1;
    *v = (operand){.kind = V_NAME, .by = BY_OTHER, .slot = slot, .at = t->at, .len = t->len};
    return emit(p, t->at, OP_LOAD, 0.0, slot);
}

/* Emits the constant that string s stands for when compared with name. */
static int load_string(parser *p, const operand *s, const operand *name)
{
    char bs[SHOW_MAX_CHARS + 3], bn[SHOW_MAX_CHARS + 3];
    show(p, s->at + 1, s->len - 2, '"', bs, sizeof bs);
    show(p, name->at, name->len, '\'', bn, sizeof bn);
    if (p->env->string_value == NULL)
        return fail(p, s->at, "string %s compared with %s, but no name here takes strings", bs, bn);
    double k = 0.0;
    int rc = p->env->string_value(p->env->ctx, name->slot, p->text + s->at + 1, s->len - 2, &k);
    if (rc == ERR_INPUT)
        return fail(p, s->at, "%s is not a value of %s", bs, bn);
    if (rc != 0)
        return err_set(p->e, rc, NULL, 0, "column %zu: looking up %s failed: %s", s->at + 1, bs,
                       err_code_name(rc));
    return emit(p, s->at, OP_CONST, k, 0);
}

/* ---- parser ------------------------------------------------------------------- */

static bool is_relational(uint32_t op)
{
    return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

static bool is_equality(uint32_t op)
{
    return op == OP_EQ || op == OP_NE;
}

static int string_as_number(parser *p, const operand *v)
{
    char b[SHOW_MAX_CHARS + 3];
    return fail(p, v->at,
                "string %s where a number is expected; a string can only be compared "
                "with == or != to a name, as in source == \"police\"",
                show(p, v->at + 1, v->len - 2, '"', b, sizeof b));
}

/* Refuses what cannot stand on the left of operator t: a string (except
 * before == and !=) and the two C pitfalls described in expr.h. */
static int check_left(parser *p, const token *t, const operand *l)
{
    bool rel = is_relational(t->op), eq = is_equality(t->op);
    if (l->kind == V_STR && !eq)
        return string_as_number(p, l);
    if (!rel && !eq)
        return 0;
    char o[4]; /* the comparison operator, for the examples */
    snprintf(o, sizeof o, "%.*s", (int)t->len, p->text + t->at);
    if ((rel && l->by == BY_RELATIONAL) || (eq && l->by == BY_EQUALITY))
        return fail(p, t->at,
                    "comparisons do not chain: write 'a %s b && b %s c', "
                    "or '(a %s b) %s c' to compare the 1 or 0 of the first",
                    o, o, o, o);
    if (l->by == BY_NOT) {
        const char *bang = l->len == 1 ? "!" : "not";
        const char *gap = l->len == 1 ? "" : " ";
        return fail(p, l->at,
                    "'%s' binds tighter than '%s', so it negates only its operand; "
                    "write '%s%s(a %s b)' to negate the comparison, or '(%s%sa) %s b'",
                    bang, o, bang, gap, o, bang, gap, o);
    }
    return 0;
}

/* Emits operator t applied to l and r, leaving the result in l. */
static int combine(parser *p, const token *t, operand *l, const operand *r)
{
    int rc = 0;
    if (l->kind == V_STR || r->kind == V_STR) {
        if (!is_equality(t->op))
            return string_as_number(p, r); /* l was checked by check_left */
        const operand *s = l->kind == V_STR ? l : r, *other = s == l ? r : l;
        if (other->kind == V_STR)
            return fail(p, r->at, "comparing two strings; one side of %.*s must be a name",
                        (int)t->len, p->text + t->at);
        if (other->kind != V_NAME)
            return fail(p, s->at,
                        "a string can only be compared with a name, "
                        "not with a number or an expression");
        rc = load_string(p, s, other);
    }
    if (rc == 0)
        rc = emit(p, t->at, t->op, 0.0, 0);
    vby by = is_relational(t->op) ? BY_RELATIONAL : is_equality(t->op) ? BY_EQUALITY : BY_OTHER;
    *l = (operand){.kind = V_NUM, .by = by, .at = l->at};
    return rc;
}

static int parse_binary(parser *p, int min_prec, operand *v);

static int nest(parser *p)
{
    if (++p->nesting > EXPR_MAX_NESTING)
        return fail(p, p->tok.at, "condition too deeply nested (more than %d levels)",
                    EXPR_MAX_NESTING);
    return 0;
}

static int parse_group(parser *p, operand *v)
{
    size_t open = p->tok.at;
    int rc;
    if ((rc = nest(p)) != 0 || (rc = next(p)) != 0 || (rc = parse_binary(p, 1, v)) != 0)
        return rc;
    if (p->tok.type != T_RP) {
        char b[SHOW_MAX_CHARS + 3];
        if (p->tok.type == T_END)
            return fail(p, p->tok.at, "missing ')' to close the '(' at column %zu", open + 1);
        return fail(p, p->tok.at,
                    "unexpected %s; expected an operator or ')' to close the '(' "
                    "at column %zu",
                    show_tok(p, b, sizeof b), open + 1);
    }
    p->nesting--;
    v->by = BY_OTHER; /* the pitfalls need no checking inside parentheses */
    return next(p);
}

static int parse_primary(parser *p, operand *v)
{
    token t = p->tok;
    int rc;
    switch (t.type) {
    case T_NUM:
        *v = (operand){.kind = V_NUM, .by = BY_OTHER, .at = t.at};
        if ((rc = emit(p, t.at, OP_CONST, t.num, 0)) != 0)
            return rc;
        return next(p);
    case T_NAME:
        if ((rc = load_name(p, &t, v)) != 0)
            return rc;
        return next(p);
    case T_STR:
        *v = (operand){.kind = V_STR, .by = BY_OTHER, .at = t.at, .len = t.len};
        return next(p);
    case T_LP:
        return parse_group(p, v);
    default: {
        char b[SHOW_MAX_CHARS + 3];
        return fail(p, t.at, "unexpected %s; expected a number, a name or '('",
                    show_tok(p, b, sizeof b));
    }
    }
}

static int parse_unary(parser *p, operand *v)
{
    token t = p->tok;
    if (t.type != T_BANG && !(t.type == T_BIN && t.op == OP_SUB))
        return parse_primary(p, v);
    int rc;
    if ((rc = nest(p)) != 0 || (rc = next(p)) != 0 || (rc = parse_unary(p, v)) != 0)
        return rc;
    p->nesting--;
    if (v->kind == V_STR)
        return string_as_number(p, v);
    bool bang = t.type == T_BANG;
    *v = (operand){.kind = V_NUM, .by = bang ? BY_NOT : BY_OTHER, .at = t.at, .len = t.len};
    return emit(p, t.at, bang ? OP_NOT : OP_NEG, 0.0, 0);
}

/* Precedence climbing: operands joined by binary operators binding at least
 * min_prec, each operator taking its right side from the tighter levels. */
static int parse_binary(parser *p, int min_prec, operand *v)
{
    int rc = parse_unary(p, v);
    while (rc == 0 && p->tok.type == T_BIN && prec[p->tok.op] >= min_prec) {
        token t = p->tok;
        operand r;
        if ((rc = check_left(p, &t, v)) != 0 || (rc = next(p)) != 0 ||
            (rc = parse_binary(p, prec[t.op] + 1, &r)) != 0)
            break;
        rc = combine(p, &t, v, &r);
    }
    return rc;
}

static int parse_condition(parser *p)
{
    operand v;
    int rc;
    if ((rc = next(p)) != 0 || (rc = parse_binary(p, 1, &v)) != 0)
        return rc;
    if (v.kind == V_STR)
        return string_as_number(p, &v);
    if (p->tok.type == T_RP)
        return fail(p, p->tok.at, "unexpected ')' with no matching '('");
    if (p->tok.type != T_END) {
        char b[SHOW_MAX_CHARS + 3];
        return fail(p, p->tok.at,
                    "unexpected %s after a complete expression; "
                    "expected an operator such as && or ||, or the end",
                    show_tok(p, b, sizeof b));
    }
    CHECK(p->depth == 1 && p->nesting == 0);
    return 0;
}

/* ---- public ------------------------------------------------------------------ */

/* The outcomes for which a comparison op gives 1. */
static uint32_t outcomes_true(uint32_t op)
{
    switch (op) {
    case OP_LT:
        return CMP_LESS;
    case OP_LE:
        return CMP_LESS | CMP_EQUAL;
    case OP_GT:
        return CMP_GREATER;
    case OP_GE:
        return CMP_GREATER | CMP_EQUAL;
    case OP_EQ:
        return CMP_EQUAL;
    case OP_NE:
        return CMP_LESS | CMP_GREATER | CMP_UNORDERED;
    default:
        return 0;
    }
}

/* Recognises "name OP number" and "number OP name" (the file's order, or the
 * string's constant pushed after the name): k OP v is v OP' k with less and
 * greater swapped. Sets x->head.cmp_*; cmp_true stays 0 for anything else. */
static void find_lone_comparison(expr *x)
{
    x->head.cmp_true = 0;
    uint32_t t = x->n_code == 3 ? outcomes_true(x->code[2].op) : 0;
    if (t == 0)
        return;
    if (x->code[0].op == OP_LOAD && x->code[1].op == OP_CONST) {
        x->head.cmp_slot = x->code[0].slot;
        x->head.cmp_k = x->code[1].k;
    } else if (x->code[0].op == OP_CONST && x->code[1].op == OP_LOAD) {
        x->head.cmp_slot = x->code[1].slot;
        x->head.cmp_k = x->code[0].k;
        t = (t & ~(uint32_t)(CMP_LESS | CMP_GREATER)) | (t & CMP_LESS ? CMP_GREATER : 0) |
            (t & CMP_GREATER ? CMP_LESS : 0);
    } else {
        return;
    }
    x->head.cmp_true = t;
}

/* The finished program in one block: the struct, its code, then its text. */
static int finish(const parser *p, size_t len, expr **out)
{
    size_t code_bytes = p->n_code * sizeof(ins);
    expr *x = mem_alloc(sizeof *x + code_bytes + len + 1);
    if (x == NULL)
        return err_set(p->e, ERR_NOMEM, NULL, 0, "out of memory compiling a condition");
    memcpy(x->code, p->code, code_bytes);
    char *text = (char *)(x->code + p->n_code);
    memcpy(text, p->text, len + 1);
    x->text = text;
    x->n_code = (uint32_t)p->n_code;
    x->max_stack = (uint32_t)p->max_depth;
    x->slots = p->slots;
    x->head.mask = 0;
    for (size_t i = 0; i < p->n_code; i++)
        if (p->code[i].op == OP_LOAD)
            x->head.mask |= UINT64_C(1) << (p->code[i].slot < 63 ? p->code[i].slot : 63);
    find_lone_comparison(x);
    *out = x;
    return 0;
}

int expr_compile(expr **out, const char *text, const expr_env *env, err_info *e)
{
    CHECK(out != NULL && text != NULL && env != NULL && env->lookup != NULL);
    *out = NULL;
    size_t len = strlen(text);
    if (len > EXPR_MAX_TEXT)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "column %d: condition too long (%zu characters; at most %d)",
                       EXPR_MAX_TEXT + 1, len, EXPR_MAX_TEXT);
    if (strspn(text, " \t\n\r") == len)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "column 1: empty condition; expected an expression such as 'age < 16'");
    parser p = {.text = text, .env = env, .e = e, .cap = len};
    p.code = mem_calloc(len, sizeof *p.code);
    if (p.code == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory compiling a condition");
    int rc = parse_condition(&p);
    if (rc == 0)
        rc = finish(&p, len, out);
    mem_free(p.code);
    return rc;
}

void expr_destroy(expr *x)
{
    mem_free(x);
}

double expr_eval(const expr *x, const double *vars)
{
    if (x->head.cmp_true != 0)
        return expr_compare_(&x->head, vars[x->head.cmp_slot]);
    double st[EXPR_MAX_STACK]; /* enough: checked when compiled */
    size_t n = 0;              /* values on st */
    for (const ins *i = x->code, *end = x->code + x->n_code; i < end; i++) {
        switch (i->op) {
        case OP_CONST:
            st[n++] = i->k;
            break;
        case OP_LOAD:
            st[n++] = vars[i->slot];
            break;
        case OP_NEG:
            st[n - 1] = -st[n - 1];
            break;
        case OP_NOT:
            st[n - 1] = st[n - 1] == 0.0;
            break;
        case OP_MUL:
            n--;
            st[n - 1] *= st[n];
            break;
        case OP_DIV:
            n--;
            st[n - 1] /= st[n];
            break;
        case OP_ADD:
            n--;
            st[n - 1] += st[n];
            break;
        case OP_SUB:
            n--;
            st[n - 1] -= st[n];
            break;
        case OP_LT:
            n--;
            st[n - 1] = st[n - 1] < st[n];
            break;
        case OP_LE:
            n--;
            st[n - 1] = st[n - 1] <= st[n];
            break;
        case OP_GT:
            n--;
            st[n - 1] = st[n - 1] > st[n];
            break;
        case OP_GE:
            n--;
            st[n - 1] = st[n - 1] >= st[n];
            break;
        case OP_EQ:
            n--;
            st[n - 1] = st[n - 1] == st[n];
            break;
        case OP_NE:
            n--;
            st[n - 1] = st[n - 1] != st[n];
            break;
        case OP_AND:
            n--;
            st[n - 1] = st[n - 1] != 0.0 && st[n] != 0.0;
            break;
        case OP_OR:
            n--;
            st[n - 1] = st[n - 1] != 0.0 || st[n] != 0.0;
            break;
        }
    }
    return st[0];
}

uint32_t expr_slots_needed(const expr *x)
{
    return x->slots;
}

const char *expr_text(const expr *x)
{
    return x->text;
}
