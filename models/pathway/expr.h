/*
 * expr — the condition language of scenario files (`when = "need >= 3 && age < 16";`).
 *
 * A condition is compiled once, when the scenario loads, into a flat postfix
 * program, and then evaluated millions of times on the simulation's hot path,
 * from several threads, against an array of numbers (the child's age, need,
 * queue lengths, ...). The compiler knows no variable names: the caller's
 * resolver (expr_env) maps each name to a slot in that array, and each string
 * literal to a number.
 *
 * Grammar (EBNF; blanks are spaces, tabs and newlines between tokens):
 *   condition  = or ;
 *   or         = and , { ( "||" | "or" ) , and } ;
 *   and        = equality , { ( "&&" | "and" ) , equality } ;
 *   equality   = relational , { ( "==" | "!=" ) , relational } ;
 *   relational = additive , { ( "<" | "<=" | ">" | ">=" ) , additive } ;
 *   additive   = term , { ( "+" | "-" ) , term } ;
 *   term       = unary , { ( "*" | "/" ) , unary } ;
 *   unary      = ( "-" | "!" | "not" ) , unary | primary ;
 *   primary    = number | string | name | "true" | "false" | "(" , or , ")" ;
 *   number     = digits , [ "." , [ digits ] ] , [ exponent ]
 *              | "." , digits , [ exponent ] ;              e.g. 3, 0.5, 1., .5, 1e3, 2.5E-2
 *   exponent   = ( "e" | "E" ) , [ "+" | "-" ] , digits ;
 *   string     = '"' , { any character but '"' } , '"' ;    no escape sequences
 *   name       = word , { "." , word } ;                    e.g. age, queue.early_help
 *   word       = ( letter | "_" ) , { letter | digit | "_" } ;
 * The words and, or, not, true and false are reserved (not names, whole words
 * only: `order` is a name). A number must not run into a letter, digit, '_' or
 * '.' (`1..2`, `1e`, `0x10`, `3abc` are errors), nor be too large for a double
 * (`1e999`).
 *
 * Precedence, tightest first, as in C; every binary operator is left-associative:
 *   unary - ! not  >  * /  >  + -  >  < <= > >=  >  == !=  >  && and  >  || or
 * so "1 - 2 - 3" is -4, "a || b && c" is "a || (b && c)" and "a and not b" is
 * "a && !b". Two C pitfalls are refused rather than silently given C's meaning
 * (write the parentheses to say which one is meant):
 *   - chained comparisons: "1 < age < 16" (C: "(1 < age) < 16", always true);
 *     the same for "a == b == c". "a < b == c < d" is allowed.
 *   - '!' or 'not' on the left of a comparison: "not age < 16" (C: "(!age) < 16").
 *
 * Strings: a string literal may only be an operand of == or != whose other
 * operand is a lone name, in either order (`source == "police"`,
 * `"police" != source`); env->string_value turns it into a number at compile
 * time, so at run time it is a numeric comparison.
 *
 * Evaluation: every value is a double. true is 1 and false is 0; a comparison,
 * !, && and || give 1 or 0; a value counts as true when it is != 0 (so NaN is
 * true, as in C, while every comparison with NaN except != is false).
 * Arithmetic is IEEE 754: division by zero gives +-inf, or NaN for 0/0, and
 * never traps. Both operands of && and || are always evaluated: expressions
 * are pure, so short-circuiting could change only the speed, not the result.
 *
 * Representation: a flat array of postfix instructions (push constant, load
 * slot, operator) with the maximum stack depth computed at compile time; a
 * lone comparison of a name with a number ("age < 16") is also kept as
 * (slot, constant, outcomes), evaluated without the stack machine.
 * Evaluation walks the array once with a fixed-size stack local to the call:
 * O(length of the program), no allocation, no locks, no writes outside its own
 * frame. A program that would need more than EXPR_MAX_STACK stack entries, or
 * that nests parentheses and unary operators more than EXPR_MAX_NESTING deep,
 * is refused at compile time. Compiling is O(length of text) plus the
 * resolver's costs.
 *
 * Thread-safety: a compiled expr is immutable; any number of threads may call
 * expr_eval and the accessors on it at once. expr_compile and expr_destroy are
 * reentrant but an expr must not be destroyed while others use it.
 *
 * What it does not do: no functions, no assignment, no variables of its own,
 * no string values at run time, no integer arithmetic (% or bit operators), no
 * constant folding, no escape sequences in strings. Numbers are converted by
 * strtod, which follows LC_NUMERIC: caseflow never calls setlocale, so the
 * decimal point is '.'.
 */
#ifndef CASEFLOW_EXPR_H
#define CASEFLOW_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Longest condition text accepted, in bytes. */
#define EXPR_MAX_TEXT 1000
/* Most values a program may hold on its evaluation stack at once. Left-leaning
 * chains ("a + b + c + ...", "x && y && z && ...") need 2 whatever their
 * length; only right-nested parentheses build depth. */
#define EXPR_MAX_STACK 32
/* Deepest nesting of parentheses and unary operators. */
#define EXPR_MAX_NESTING 64

/* How the compiler resolves names and strings; ctx is passed to each callback. */
typedef struct expr_env {
    void *ctx;
    /* Resolves name[0..len) (not NUL-terminated) to a slot index in the array
     * given to expr_eval. Returns 0 and sets *slot, ERR_INPUT if the name is
     * unknown; any other code aborts the compile with that code. The slot must
     * be below UINT32_MAX. Required. */
    int (*lookup)(void *ctx, const char *name, size_t len, uint32_t *slot);
    /* Turns the string s[0..len) compared with slot into a number (e.g.
     * "police" -> source index 0). Returns 0, ERR_INPUT if the slot takes no
     * strings or s is not one of its values; any other code aborts the
     * compile with that code. NULL: no strings allowed anywhere. */
    int (*string_value)(void *ctx, uint32_t slot, const char *s, size_t len, double *out);
    /* Optional (may be NULL): writes the known names into buf (size bytes,
     * NUL-terminated), separated by ", ", for the unknown-name message; names
     * there are also the candidates for "did you mean". */
    void (*describe)(void *ctx, char *buf, size_t size);
} expr_env;

/* A compiled condition (opaque, immutable once compiled). */
typedef struct expr expr;

/*
 * Compiles text (NUL-terminated, at most EXPR_MAX_TEXT bytes) into *out, which
 * the caller frees with expr_destroy; text is copied. Calls env->lookup once
 * per name occurrence and env->string_value once per string literal.
 * Returns 0, or:
 *   ERR_INPUT  the text is not a valid condition; e->text is one line
 *              starting "column N: " (N counts bytes from 1; N = strlen + 1
 *              means the end of the text), e.g.
 *              "column 7: unexpected ')'; expected a number, a name or '('" or
 *              "column 1: unknown name 'agee' (did you mean 'age'?); known names: age, need";
 *              the caller prefixes "FILE:LINE: ". "did you mean" names the
 *              closest name in env->describe's list (the first of equals) if
 *              it is within edit distance 2 and nearer than either length.
 *   ERR_NOMEM  an allocation failed; e->text says so.
 *   other      the code a callback returned (other than ERR_INPUT).
 * On any error *out is NULL and nothing is left allocated. e may be NULL.
 */
int expr_compile(expr **out, const char *text, const expr_env *env, err_info *e);

/* Frees x; expr_destroy(NULL) does nothing. */
void expr_destroy(expr *x);

/*
 * The value of x with variable slot i holding vars[i]. vars must have at
 * least expr_slots_needed(x) elements (vars may be NULL when that is 0).
 * Thread-safe; never allocates; O(program length).
 */
double expr_eval(const expr *x, const double *vars);

/*
 * Internal: the first member of every compiled condition, read by the inline
 * functions below through the expr pointer (a pointer to a struct, converted,
 * points to its first member). Inline because a scenario's conditions are
 * asked tens of thousands of times a replication and most are a lone
 * comparison ("age < 2"), whose answer costs less than the call. Not for
 * callers to read or write.
 */
enum { EXPR_CMP_LESS = 1, EXPR_CMP_EQUAL = 2, EXPR_CMP_GREATER = 4, EXPR_CMP_UNORDERED = 8 };
typedef struct expr_head_ {
    uint64_t mask;     /* expr_slot_mask */
    uint32_t cmp_slot; /* a lone comparison: the slot compared */
    uint32_t cmp_true; /* a lone comparison: the EXPR_CMP_* outcomes that make it 1; else 0 */
    double cmp_k;      /* a lone comparison: the constant compared with */
} expr_head_;

static inline const expr_head_ *expr_head_of_(const expr *x)
{
    return (const expr_head_ *)(const void *)x;
}

/* A lone comparison's value for the slot's value a: exactly one of the three
 * comparisons holds, or none (a NaN), and the outcome is looked up without a
 * branch. */
static inline bool expr_compare_(const expr_head_ *h, double a)
{
    double k = h->cmp_k;
    uint32_t outcome = (uint32_t)(a < k) * EXPR_CMP_LESS + (uint32_t)(a == k) * EXPR_CMP_EQUAL +
                       (uint32_t)(a > k) * EXPR_CMP_GREATER;
    outcome += (uint32_t)(outcome == 0) * EXPR_CMP_UNORDERED;
    return (h->cmp_true & outcome) != 0;
}

/* Whether the condition holds: expr_eval(x, vars) != 0 (NaN holds, as in C). */
static inline bool expr_holds(const expr *x, const double *vars)
{
    const expr_head_ *h = expr_head_of_(x);
    if (h->cmp_true != 0)
        return expr_compare_(h, vars[h->cmp_slot]);
    return expr_eval(x, vars) != 0.0;
}

/* One more than the largest slot x reads; 0 when it reads none. */
uint32_t expr_slots_needed(const expr *x);

/* The slots x reads, as bits: bit i for slot i < 63, bit 63 for any slot >= 63.
 * A caller that fills vars on demand fills only these. */
static inline uint64_t expr_slot_mask(const expr *x)
{
    return expr_head_of_(x)->mask;
}

/* The source text, exactly as given to expr_compile; owned by x. */
const char *expr_text(const expr *x);

#endif
