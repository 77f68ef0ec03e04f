/*
 * cfgtree — editing libconfig trees across files, for scenario variants.
 *
 * libconfig 1.5 can parse, look up, append and remove; a variant also needs
 * to copy a setting from one file into another without losing where it came
 * from, to put a setting at a position, to replace a value by one of another
 * type in place, and to show a value on one line. Copies keep each setting's
 * source file and line (plain fields of config_setting_t; the destination
 * cfg_file keeps the file name alive, cfg_keep_file_name), so a loader's
 * message about a copied setting still names the file and line it was
 * written on.
 *
 * libconfig only appends, so a setting put at a position moves the tail of
 * its group or list out to a scratch file and back: O(length), fine for
 * scenario-sized lists. libconfig does not check that an array's elements
 * share one type; callers must (cfgtree_fits), or the written file would not
 * parse again.
 *
 * Failure: every function returns 0 or ERR_NOMEM (libconfig's refusals, once
 * names are valid and new, are out of memory). After a failure the tree may
 * hold part of the change: callers discard the file. Not thread-safe.
 */
#ifndef CASEFLOW_CFGTREE_H
#define CASEFLOW_CFGTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg.h"

/* What a value is, as an analyst sees it (libconfig's three number types
 * are one kind; a list ( ) and an array [ ] are one kind). */
enum { CFGTREE_NUMBER, CFGTREE_STRING, CFGTREE_BOOL, CFGTREE_GROUP, CFGTREE_SEQUENCE };

int cfgtree_kind(const config_setting_t *s);
/* "a number", "a string", "true or false", "a group { ... }", "a list ( ... ) or [ ... ]". */
const char *cfgtree_kind_phrase(int kind);

/* Whether src can be stored in a scalar setting of libconfig type `type`
 * without losing anything (a whole float fits an int; any number a float). */
bool cfgtree_fits(int type, const config_setting_t *src);

/* s on one line in libconfig-like syntax, into buf (size >= 4), ending in
 * "..." when it does not fit. Returns buf. */
const char *cfgtree_show(const config_setting_t *s, char *buf, size_t size);

/*
 * Appends a deep copy of src (of any file) to parent, as member `name` of a
 * group (NULL in a list or array). In a non-empty array the copy takes the
 * elements' type: check cfgtree_fits first. name must be a valid libconfig
 * name not yet in parent.
 */
int cfgtree_copy(cfg_file *dst, config_setting_t *parent, const char *name,
                 const config_setting_t *src);

/* The same at position idx of parent (idx >= its length appends). */
int cfgtree_insert(cfg_file *dst, config_setting_t *parent, unsigned idx, const char *name,
                   const config_setting_t *src);

/* Replaces old (a setting of dst) by a copy of src at old's position, with
 * src's location; old is freed unless it was reused in place. An element of
 * an array keeps the array's type (check cfgtree_fits first). */
int cfgtree_replace(cfg_file *dst, config_setting_t *old, const config_setting_t *src);

/* Moves every top-level setting of from to the end of to's top level. */
int cfgtree_move_root(cfg_file *to, cfg_file *from);

#endif
