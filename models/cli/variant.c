/*
 * variant — what `caseflow check` says about a scenario variant: which base
 * it changes and every change it made, each with the line that made it, so
 * an analyst can see at a glance that the variant differs from its base in
 * exactly the intended ways (the resolved scenario printed after it shows
 * the result in full).
 */
#include <stdio.h>

#include "cli_internal.h"

void cli_print_variant(const scenario *sc, FILE *fp)
{
    const inherit_log *log = &sc->variant;
    if (log->n_bases == 0)
        return;
    fprintf(fp, "\nvariant of %s", log->bases[0]);
    for (size_t i = 1; i < log->n_bases; i++)
        fprintf(fp, "%s%s", i == 1 ? " (itself a variant of " : ", then of ", log->bases[i]);
    fprintf(fp, "%s\n", log->n_bases > 1 ? ")" : "");
    fprintf(fp, "changed by the variant:%s\n", log->n_changes == 0 ? " nothing" : "");
    for (size_t i = 0; i < log->n_changes; i++) {
        const inherit_change *c = &log->changes[i];
        switch (c->op) {
        case INHERIT_CHANGED:
            fprintf(fp, "  %s: %s -> %s", c->path, c->before, c->after);
            break;
        case INHERIT_ADDED:
            fprintf(fp, "  added %s: %s", c->path, c->after);
            break;
        default:
            fprintf(fp, "  removed %s: %s", c->path, c->before);
            break;
        }
        fprintf(fp, "   (%s:%d)\n", c->file, c->line);
    }
}
