/*
 * inherit — scenario variants: a file that names its base scenario and says
 * only what differs.
 *
 *   base = "bridgend-2023-2026.cfg";        # relative to this file's folder
 *   name = "integrated-front-door";         # top-level values replace the base's
 *   overrides = (                            # change a setting, found by path
 *     { path = "contacts.per_year"; value = 7590.0; },
 *     { path = "stages.front_door.outcomes.[0].p"; value = 0.35; } );
 *   remove = [ "stages.panel", "rules.[3]" ];                 # whole elements or settings
 *   add = (                                                   # a list element, or a new setting
 *     { path = "stages"; value = { name = "panel"; ... }; },
 *     { path = "rules"; at = 0; value = { from = "assessment"; ... }; },
 *     { path = "stages.early_help.patience"; value = { dist = "gamma"; ... }; } );
 *
 * Paths are parts joined by dots: a member of a group by its name, an
 * element of a list of groups by the value of its `name` setting, and any
 * element of a list or array by its index, [0] first. So
 * "stages.front_door.outcomes.[1].p" is the p of the second outcome of the
 * stage named front_door.
 *
 * Resolution: the base is read (following its own base, at most
 * INHERIT_MAX_DEPTH deep, refusing cycles), then the variant's changes are
 * applied to it in this order: top-level values, overrides (in file order),
 * remove (all paths found first, so indices are the base's), add (in file
 * order; `at` counts positions after the removals). The result replaces the
 * variant's own tree in its cfg_file, so loaders read one ordinary scenario
 * and config_write prints a standalone file; base, overrides, add and remove
 * are consumed.
 *
 * Rules an analyst can rely on:
 *   - a value replaces the whole setting (a group given as a value is not
 *     merged into the base's); numbers of any kind replace numbers; a list
 *     ( ) and an array [ ] replace each other; any other change of kind is
 *     an error;
 *   - overrides and remove must name settings the base has; add must name a
 *     list (the value becomes a new element) or a setting the base lacks in
 *     a group that exists; a top-level group or list is changed through
 *     overrides, never by writing it at the top level (which would replace
 *     it whole and silently drop what the variant left out);
 *   - an element added to a list of named elements must have a new name.
 * Every error is reported at the variant's FILE:LINE, naming the base, with
 * the closest existing name suggested.
 *
 * Locations after the merge: each setting keeps the file and line it was
 * read from, because copies carry them over (cfgtree.h): a loader's message
 * about a value the variant wrote names the variant's FILE:LINE, one about a
 * setting inherited unchanged names the base's. A check of a whole group or
 * list that the variant changed only part of (route probabilities summing
 * to 1, a distribution's parameters together) names the group's line, in
 * the file that wrote the group: a real FILE:LINE, though not always the
 * line the variant changed.
 *
 * Scenarios read from text in memory (scenario_open_string) do not follow
 * `base`: they have no folder, and the fuzzer must not open files.
 *
 * Paths to files (keys listed in path_keys, e.g. the pathway's `calendar`)
 * are relative to the file that wrote them: a relative path inherited from a
 * base in another folder is rewritten to be relative to the variant's folder
 * (or absolute when the base was named by an absolute path).
 *
 * Memory: strings in the log and the merged tree's bookkeeping go through
 * mem.h; libconfig's own allocations cannot be hooked. Not thread-safe: load
 * before running.
 */
#ifndef CASEFLOW_INHERIT_H
#define CASEFLOW_INHERIT_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg.h"
#include "err.h"

/* Most bases below one variant (a chain a -> b -> c is two). */
#define INHERIT_MAX_DEPTH 8

typedef enum inherit_op {
    INHERIT_CHANGED, /* a value replaced (top-level value or overrides) */
    INHERIT_ADDED,   /* an element or setting added (add) */
    INHERIT_REMOVED  /* an element or setting removed (remove) */
} inherit_op;

/* One change a variant made, for `caseflow check`. */
typedef struct inherit_change {
    inherit_op op;
    char *path;   /* as the variant wrote it; an added element gets ".NAME" or ".[i]" */
    char *before; /* the base's value on one line (shortened with "..."); NULL when added */
    char *after;  /* the variant's value; NULL when removed */
    char *file;   /* the variant that made the change ... */
    int line;     /* ... and the line of its instruction */
} inherit_change;

/* What resolution did, in the order it happened (the deepest base first). */
typedef struct inherit_log {
    inherit_change *changes;
    size_t n_changes;
    char **bases; /* the files read as bases, nearest first, paths as opened */
    size_t n_bases;
} inherit_log;

/*
 * Resolves the variant open in f (a file without `base` is left untouched,
 * and the log empty). path_keys (NULL-terminated, may be NULL) are top-level
 * settings holding file paths relative to their file's folder. The base is
 * found relative to the folder of f->path.
 *
 * Returns 0 with f holding the merged scenario and log filled (the caller
 * owns it: inherit_log_fini), or ERR_INPUT (a wrong instruction, a cycle, a
 * chain deeper than INHERIT_MAX_DEPTH, a syntax error in a base), ERR_IO (a
 * base that cannot be read, named) or ERR_NOMEM, with "FILE:LINE: what;
 * expected what" in e. After a failure the log is empty and f's tree is
 * unspecified: close it.
 */
int inherit_resolve(cfg_file *f, const char *const *path_keys, inherit_log *log, err_info *e);

/*
 * Finds the setting at path (the syntax above) in the tree of f, for tools
 * that change one value of a scenario already open (`caseflow sweep`).
 * where names the path's origin in messages ("--vary"). Returns 0 with *out
 * the setting, or ERR_INPUT with *out NULL and "FILE: WHERE: 'PATH' is not a
 * setting of the scenario ...", naming the part that went wrong, the closest
 * existing name and the names there are (as for overrides). Does not change
 * the tree. Not thread-safe.
 */
int inherit_find(cfg_file *f, const char *where, const char *path, config_setting_t **out,
                 err_info *e);

/* Frees what log holds and empties it; safe on a zeroed or emptied log. */
void inherit_log_fini(inherit_log *log);

#endif
