/*
 * check — the landing point of a failed CHECK. It is the only place in sim/
 * allowed to write to stderr and abort: an internal invariant is broken and
 * no result can be trusted, so stopping loudly is the honest thing to do.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

void check_fail(const char *file, int line, const char *expr)
{
    fprintf(stderr, "caseflow: internal error at %s:%d: CHECK(%s) failed; please report this\n",
            file, line, expr);
    abort();
}
