/*
 * inherit — resolving a scenario variant against its base, on libconfig trees.
 *
 * The variant is already parsed into the caller's cfg_file f when we start.
 * Resolution moves the variant's own top-level settings out into a scratch
 * file (the "instructions"), reads the base (recursively resolving its own
 * base), copies the base's settings into f's now empty root, and then applies
 * the instructions to f's tree. Merging into f itself, rather than into the
 * base's file, is deliberate: a config_t cannot be moved (every setting
 * points back at its config_t), and f is the file the caller holds.
 *
 * Copying, inserting at a position and replacing across files are cfgtree's
 * (cfgtree.h); this module finds settings by path, checks what each
 * instruction asks against what the base has, and says why when it cannot.
 * Paths are resolved against the tree as the earlier instructions left it,
 * except that all of remove's paths are found before anything is removed.
 *
 * Cycles are found by device and inode of each file in the chain (stat), so
 * "a.cfg" and "./a.cfg" are the same file.
 */
#include "inherit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cfgtree.h"
#include "check.h"
#include "mem.h"

/* Longest path an instruction may give (paths are a few parts deep). */
#define PATH_TEXT_MAX 512
/* Characters of a value shown in the log; longer values end in "...". */
#define SHOW_MAX 160
/* Characters of an "expected one of" list in a message. */
#define LIST_MAX 480
/* Farthest a misspelling may be from an existing name to be suggested. */
#define SUGGEST_MAX_DISTANCE 2

static const char *const instruction_keys[] = {"base", "overrides", "add", "remove", NULL};
static const char *const override_keys[] = {"path", "value", NULL};
static const char *const add_keys[] = {"path", "value", "at", NULL};

/* Appends to the text in buf, cutting it at size (messages only). */
__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t size, const char *fmt,
                                                         ...)
{
    size_t used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* ---- the log ------------------------------------------------------------- */

typedef struct merge {
    cfg_file *dst;         /* the merged tree: the variant's own file */
    cfg_file *ins;         /* the variant's instructions, moved out of dst */
    const char *base_name; /* the base as the variant wrote it (inherit_find: the file) */
    const char *whose;     /* "the base " before base_name in messages; "" for inherit_find */
    inherit_log *log;
    err_info *e;
} merge;

static int record(merge *m, inherit_op op, const char *path, const char *before, const char *after,
                  const config_setting_t *at)
{
    inherit_log *log = m->log;
    inherit_change *grown = mem_resize(log->changes, log->n_changes + 1, sizeof *grown);
    if (grown == NULL)
        return err_set(m->e, ERR_NOMEM, NULL, 0, "out of memory resolving a variant");
    log->changes = grown;
    inherit_change *c = &grown[log->n_changes++];
    memset(c, 0, sizeof *c);
    c->op = op;
    c->line = cfg_where_line(at);
    c->path = mem_strdup(path);
    c->file = mem_strdup(cfg_where_file(m->ins, at));
    c->before = before != NULL ? mem_strdup(before) : NULL;
    c->after = after != NULL ? mem_strdup(after) : NULL;
    if (c->path == NULL || c->file == NULL || (before != NULL && c->before == NULL) ||
        (after != NULL && c->after == NULL))
        return err_set(m->e, ERR_NOMEM, NULL, 0, "out of memory resolving a variant");
    return 0;
}

void inherit_log_fini(inherit_log *log)
{
    if (log == NULL)
        return;
    for (size_t i = 0; i < log->n_changes; i++) {
        inherit_change *c = &log->changes[i];
        mem_free(c->path);
        mem_free(c->before);
        mem_free(c->after);
        mem_free(c->file);
    }
    mem_free(log->changes);
    for (size_t i = 0; i < log->n_bases; i++)
        mem_free(log->bases[i]);
    mem_free(log->bases);
    memset(log, 0, sizeof *log);
}

/* ---- finding a setting by path ------------------------------------------- */

static int fail(merge *m, const config_setting_t *at, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(merge *m, const config_setting_t *at, int code, const char *fmt, ...)
{
    char msg[ERR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cfg_error(m->ins, at, m->e, code, "%s", msg);
}

static int nomem(merge *m)
{
    return err_set(m->e, ERR_NOMEM, NULL, 0, "out of memory resolving a variant");
}

/* "[12]" -> 12. */
static bool parse_index(const char *part, unsigned *idx)
{
    size_t n = strlen(part);
    if (n < 3 || n > 11 || part[0] != '[' || part[n - 1] != ']')
        return false;
    unsigned long v = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (part[i] < '0' || part[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(part[i] - '0');
    }
    *idx = (unsigned)v;
    return v <= INT32_MAX;
}

/* The `name` of a list element, or NULL. */
static const char *elem_name(const config_setting_t *el)
{
    const config_setting_t *n =
        config_setting_is_group(el) ? config_setting_get_member(el, "name") : NULL;
    return n != NULL && config_setting_type(n) == CONFIG_TYPE_STRING ? config_setting_get_string(n)
                                                                     : NULL;
}

/* The element of list named name, or NULL; *count says how many are. */
static config_setting_t *named_elem(const config_setting_t *list, const char *name, int *count)
{
    config_setting_t *found = NULL;
    *count = 0;
    for (int i = 0; i < config_setting_length(list); i++) {
        config_setting_t *el = config_setting_get_elem(list, (unsigned)i);
        const char *n = elem_name(el);
        if (n != NULL && strcmp(n, name) == 0 && (*count)++ == 0)
            found = el;
    }
    return found;
}

/* The names one step below s (members of a group, names of a list's
 * elements) joined into buf; returns the closest to word, or NULL. */
static const char *names_below(const config_setting_t *s, const char *word, char *buf, size_t size)
{
    const char *best = NULL;
    size_t best_d = SUGGEST_MAX_DISTANCE + 1, k = 0;
    buf[0] = '\0';
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *el = config_setting_get_elem(s, (unsigned)i);
        const char *n = config_setting_is_group(s) ? config_setting_name(el) : elem_name(el);
        if (n == NULL)
            continue;
        append(buf, size, "%s%s", k++ ? ", " : "", n);
        size_t d = cfg_edit_distance(word, n);
        if (d < best_d && d < strlen(n)) {
            best = n;
            best_d = d;
        }
    }
    return best;
}

/* Where a path went wrong: `part` is not below `cur` (reached by the first
 * `depth` characters of path). */
static int lost(merge *m, const config_setting_t *at, const char *where, const char *path,
                size_t depth, const config_setting_t *cur, const char *part)
{
    char head[PATH_TEXT_MAX + 128], list[LIST_MAX], hint[PATH_TEXT_MAX + 32] = "";
    char here[PATH_TEXT_MAX + 16];
    snprintf(head, sizeof head, "%s%s'%s' is not a setting of %s%s", where ? where : "",
             where ? ": " : "", path, m->whose, m->base_name);
    if (depth == 0)
        snprintf(here, sizeof here, "the top level");
    else
        snprintf(here, sizeof here, "%.*s", (int)depth - 1, path);
    unsigned idx;
    bool is_index = parse_index(part, &idx);
    int n = config_setting_length(cur);
    if (!config_setting_is_aggregate(cur))
        return fail(m, at, ERR_INPUT,
                    "%s: %s is %s, with nothing inside; expected a path that "
                    "ends at it",
                    head, here, cfgtree_kind_phrase(cfgtree_kind(cur)));
    if (config_setting_is_group(cur) && is_index)
        return fail(m, at, ERR_INPUT, "%s: %s is a group; expected a setting name, not %s", head,
                    here, part);
    if (is_index && n == 0)
        return fail(m, at, ERR_INPUT, "%s: %s is empty; expected an existing element", head, here);
    if (is_index)
        return fail(m, at, ERR_INPUT, "%s: %s has %d elements; expected an index from [0] to [%d]",
                    head, here, n, n - 1);
    const char *best = names_below(cur, part, list, sizeof list);
    if (best != NULL)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", best);
    if (config_setting_is_group(cur))
        return fail(m, at, ERR_INPUT, "%s%s; expected one of: %s", head, hint, list);
    if (list[0] == '\0')
        return fail(m, at, ERR_INPUT,
                    "%s: %s has no element named '%s' (its elements have no names); expected an "
                    "index such as [0]",
                    head, here, part);
    return fail(m, at, ERR_INPUT,
                "%s: %s has no element named '%s'%s; expected one of: %s, or an index such as [0]",
                head, here, part, hint, list);
}

/* The setting `part` below cur, or NULL (absent). A name shared by two
 * elements is an error. */
static int step(merge *m, const config_setting_t *at, const char *where, const char *path,
                config_setting_t *cur, const char *part, config_setting_t **next)
{
    unsigned idx;
    int count = 0;
    *next = NULL;
    if (!config_setting_is_aggregate(cur))
        return 0;
    if (parse_index(part, &idx)) {
        if (!config_setting_is_group(cur) && idx < (unsigned)config_setting_length(cur))
            *next = config_setting_get_elem(cur, idx);
        return 0;
    }
    if (config_setting_is_group(cur)) {
        *next = config_setting_get_member(cur, part);
        return 0;
    }
    *next = named_elem(cur, part, &count);
    if (count > 1)
        return fail(m, at, ERR_INPUT,
                    "%s%s'%s': %d elements of %s%s are named '%s'; expected an index such "
                    "as [0] to choose one",
                    where ? where : "", where ? ": " : "", path, count, m->whose, m->base_name,
                    part);
    return 0;
}

typedef struct found {
    config_setting_t *parent; /* holds target, or would hold the new member */
    config_setting_t *target; /* NULL: a new member `last` of the group parent */
    char last[PATH_TEXT_MAX]; /* the path's last part */
} found;

/*
 * Follows path from the merged tree's root. With may_be_new, a last part
 * that names no member of an existing group is accepted (add).
 */
static int resolve(merge *m, const config_setting_t *at, const char *where, const char *path,
                   bool may_be_new, found *out)
{
    char buf[PATH_TEXT_MAX];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return fail(m, at, ERR_INPUT,
                    "%s: path '%.40s' is %s; expected names or [indices] "
                    "joined by dots, such as contacts.per_year",
                    where, path, len == 0 ? "empty" : "too long");
    memcpy(buf, path, len + 1);
    config_setting_t *cur = cfg_root(m->dst), *parent = NULL;
    for (char *part = buf;;) {
        char *dot = strchr(part, '.');
        if (dot != NULL)
            *dot = '\0';
        if (*part == '\0')
            return fail(m, at, ERR_INPUT,
                        "%s: path '%s' has an empty part; expected names or "
                        "[indices] joined by dots, such as contacts.per_year",
                        where, path);
        config_setting_t *next;
        int rc = step(m, at, where, path, cur, part, &next);
        if (rc != 0)
            return rc;
        unsigned idx;
        if (next == NULL && dot == NULL && may_be_new && config_setting_is_group(cur) &&
            !parse_index(part, &idx)) {
            out->parent = cur;
            out->target = NULL;
            snprintf(out->last, sizeof out->last, "%s", part);
            return 0;
        }
        if (next == NULL)
            return lost(m, at, where, path, (size_t)(part - buf), cur, part);
        parent = cur;
        cur = next;
        if (dot == NULL) {
            snprintf(out->last, sizeof out->last, "%s", part);
            break;
        }
        part = dot + 1;
    }
    out->parent = parent;
    out->target = cur;
    return 0;
}

int inherit_find(cfg_file *f, const char *where, const char *path, config_setting_t **out,
                 err_info *e)
{
    CHECK(f != NULL && f->open && where != NULL && path != NULL);
    merge m = {f, f, "the scenario", "", NULL, e};
    found fd;
    *out = NULL;
    int rc = resolve(&m, NULL, where, path, false, &fd);
    if (rc == 0)
        *out = fd.target;
    return rc;
}

/* ---- applying the instructions ------------------------------------------- */

/* What an array of elements of libconfig type `type` holds, for messages. */
static const char *array_of(int type)
{
    switch (type) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "whole numbers";
    case CONFIG_TYPE_FLOAT:
        return "numbers";
    case CONFIG_TYPE_STRING:
        return "strings";
    default:
        return "true/false values";
    }
}

/* What one element of such an array must be. */
static const char *element_of(int type)
{
    return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64
               ? "a whole number"
               : cfgtree_kind_phrase(type == CONFIG_TYPE_FLOAT    ? CFGTREE_NUMBER
                                     : type == CONFIG_TYPE_STRING ? CFGTREE_STRING
                                                                  : CFGTREE_BOOL);
}

/* Refuses a value of another kind than the base's (numbers replace numbers;
 * an element of an array must fit the array's type). */
static int check_kind(merge *m, const char *where, const char *path, const config_setting_t *old,
                      const config_setting_t *value)
{
    char got[SHOW_MAX];
    const char *file = cfg_where_file(m->dst, old), *sep = where ? ": " : "";
    int line = cfg_where_line(old), type = config_setting_type(old);
    where = where ? where : "";
    if (config_setting_is_array(config_setting_parent(old))) {
        if (cfgtree_fits(type, value))
            return 0;
        return fail(m, value, ERR_INPUT,
                    "%s%s'%s' is an element of an array of %s in the base (%s:%d); expected %s, "
                    "got %s",
                    where, sep, path, array_of(type), file, line, element_of(type),
                    cfgtree_show(value, got, sizeof got));
    }
    if (cfgtree_kind(old) == cfgtree_kind(value))
        return 0;
    const char *kind = cfgtree_kind_phrase(cfgtree_kind(old));
    return fail(m, value, ERR_INPUT, "%s%s'%s' is %s in the base (%s:%d); expected %s, got %s",
                where, sep, path, kind, file, line, kind, cfgtree_show(value, got, sizeof got));
}

/* Replaces old by value and logs it against the instruction at `at`. */
static int change(merge *m, const config_setting_t *at, const char *where, const char *path,
                  config_setting_t *old, const config_setting_t *value)
{
    char before[SHOW_MAX], after[SHOW_MAX];
    int rc = check_kind(m, where, path, old, value);
    if (rc != 0)
        return rc;
    cfgtree_show(old, before, sizeof before);
    cfgtree_show(value, after, sizeof after);
    if (cfgtree_replace(m->dst, old, value) != 0)
        return nomem(m);
    return record(m, INHERIT_CHANGED, path, before, after, at);
}

static bool listed(const char *name, const char *const *names)
{
    for (; *names != NULL; names++)
        if (strcmp(name, *names) == 0)
            return true;
    return false;
}

/* A top-level setting of the variant other than an instruction replaces the
 * base's; groups and lists are changed by path (see inherit.h). */
static int apply_top_level(merge *m)
{
    config_setting_t *root = cfg_root(m->ins), *dst = cfg_root(m->dst);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        if (listed(name, instruction_keys))
            continue;
        config_setting_t *old = config_setting_get_member(dst, name);
        if (old == NULL) {
            char list[LIST_MAX], hint[PATH_TEXT_MAX] = "";
            const char *best = names_below(dst, name, list, sizeof list);
            if (best == NULL) {
                for (const char *const *k = instruction_keys; *k != NULL && best == NULL; k++)
                    if (cfg_edit_distance(name, *k) <= SUGGEST_MAX_DISTANCE)
                        best = *k;
            }
            if (best != NULL)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", best);
            return fail(m, s, ERR_INPUT,
                        "'%s' is not a setting of the base %s%s; expected one of: %s (or "
                        "add = ( { path = \"%s\"; value = ...; } ) for a setting the base lacks)",
                        name, m->base_name, hint, list, name);
        }
        if (config_setting_is_group(s) || config_setting_is_list(s))
            return fail(m, s, ERR_INPUT,
                        "'%s' is %s: a variant changes part of it by path, as overrides = ( { "
                        "path = \"%s.SETTING\"; value = ...; } ); expected a plain value here "
                        "(path = \"%s\" replaces all of it)",
                        name, cfgtree_kind_phrase(cfgtree_kind(s)), name, name);
        int rc = change(m, s, NULL, name, old, s);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The instruction list `key` (a list of groups, or an empty [ ]), or NULL. */
static int instructions(merge *m, const char *key, config_setting_t **out)
{
    int rc = cfg_get_member(m->ins, cfg_root(m->ins), key, false, CONFIG_TYPE_LIST, out, m->e);
    if (rc != 0 || *out == NULL || config_setting_is_list(*out) || config_setting_length(*out) == 0)
        return rc;
    return fail(m, *out, ERR_INPUT, "%s: expected a list ( { path = \"...\"; ... }, ... )", key);
}

/* The path and value of instruction g (a group with keys). */
static int read_instruction(merge *m, config_setting_t *g, const char *where,
                            const char *const *keys, const char **path, config_setting_t **value)
{
    int rc;
    if (!config_setting_is_group(g))
        return fail(m, g, ERR_INPUT, "%s: expected a group { path = \"...\"; value = ...; }",
                    where);
    if ((rc = cfg_check_keys(m->ins, g, keys, m->e)) != 0 ||
        (rc = cfg_get_string(m->ins, g, "path", true, false, path, m->e)) != 0)
        return rc;
    *value = config_setting_get_member(g, "value");
    if (*value == NULL)
        return fail(m, g, ERR_INPUT, "%s: missing 'value'; expected the new value of %s", where,
                    *path);
    return 0;
}

static int apply_overrides(merge *m)
{
    config_setting_t *list;
    int rc = instructions(m, "overrides", &list);
    for (int i = 0; rc == 0 && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i), *value;
        char where[32];
        const char *path;
        found fd;
        snprintf(where, sizeof where, "overrides[%d]", i);
        if ((rc = read_instruction(m, g, where, override_keys, &path, &value)) == 0 &&
            (rc = resolve(m, config_setting_get_member(g, "path"), where, path, false, &fd)) == 0)
            rc = change(m, g, where, path, fd.target, value);
    }
    return rc;
}

static bool inside(const config_setting_t *s, const config_setting_t *ancestor)
{
    for (; s != NULL; s = config_setting_parent(s))
        if (s == ancestor)
            return true;
    return false;
}

/* Finds every path first (so indices are the base's), then removes. */
static int remove_all(merge *m, config_setting_t *list, config_setting_t **targets)
{
    int n = config_setting_length(list);
    for (int i = 0; i < n; i++) {
        config_setting_t *p = config_setting_get_elem(list, (unsigned)i);
        char where[32];
        found fd;
        snprintf(where, sizeof where, "remove[%d]", i);
        if (config_setting_type(p) != CONFIG_TYPE_STRING)
            return fail(m, p, ERR_INPUT,
                        "%s: expected a path in double quotes, such as "
                        "\"stages.panel\"",
                        where);
        int rc = resolve(m, p, where, config_setting_get_string(p), false, &fd);
        if (rc != 0)
            return rc;
        targets[i] = fd.target;
        for (int j = 0; j < i; j++)
            if (inside(targets[i], targets[j]) || inside(targets[j], targets[i]))
                return fail(m, p, ERR_INPUT,
                            "%s: '%s' %s remove[%d]'s '%s'; expected each "
                            "setting removed once",
                            where, config_setting_get_string(p),
                            targets[i] == targets[j] ? "is also" : "overlaps", j,
                            config_setting_get_string(config_setting_get_elem(list, (unsigned)j)));
    }
    for (int i = 0; i < n; i++) {
        config_setting_t *p = config_setting_get_elem(list, (unsigned)i);
        char before[SHOW_MAX];
        cfgtree_show(targets[i], before, sizeof before);
        int rc = record(m, INHERIT_REMOVED, config_setting_get_string(p), before, NULL, p);
        if (rc != 0)
            return rc;
        config_setting_remove_elem(config_setting_parent(targets[i]),
                                   (unsigned)config_setting_index(targets[i]));
    }
    return 0;
}

static int apply_remove(merge *m)
{
    config_setting_t *list = config_setting_get_member(cfg_root(m->ins), "remove");
    if (list == NULL || config_setting_length(list) == 0)
        return 0;
    if (!config_setting_is_list(list) && !config_setting_is_array(list))
        return fail(m, list, ERR_INPUT,
                    "remove: expected a list of paths, such as [ "
                    "\"stages.panel\", \"rules.[3]\" ]");
    config_setting_t **targets = mem_calloc((size_t)config_setting_length(list), sizeof *targets);
    if (targets == NULL)
        return nomem(m);
    int rc = remove_all(m, list, targets);
    mem_free(targets);
    return rc;
}

/* libconfig's rule for names: a letter or '*', then letters, digits, - _ *. */
static bool valid_name(const char *s)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*";
    if (strchr(letters, *s) == NULL || *s == '\0')
        return false;
    for (s++; *s != '\0'; s++)
        if (strchr(letters, *s) == NULL && strchr("0123456789-_", *s) == NULL)
            return false;
    return true;
}

/* A new member of a group (add with a path the base lacks). */
static int add_member(merge *m, config_setting_t *g, const char *where, const char *path,
                      const found *fd, const config_setting_t *value)
{
    char after[SHOW_MAX];
    if (config_setting_get_member(g, "at") != NULL)
        return fail(m, config_setting_get_member(g, "at"), ERR_INPUT,
                    "%s: 'at' places an element in a list, and %s is a new setting; expected no "
                    "'at'",
                    where, path);
    if (!valid_name(fd->last))
        return fail(m, g, ERR_INPUT,
                    "%s: '%s' is not a valid setting name; expected a letter "
                    "then letters, digits, - or _",
                    where, fd->last);
    if (cfgtree_copy(m->dst, fd->parent, fd->last, value) != 0)
        return nomem(m);
    return record(m, INHERIT_ADDED, path, NULL, cfgtree_show(value, after, sizeof after), g);
}

/* Whether value may join list (arrays hold one scalar type; names are unique). */
static int check_element(merge *m, const char *where, const char *path,
                         const config_setting_t *list, const config_setting_t *value)
{
    char got[SHOW_MAX];
    int n = config_setting_length(list);
    if (config_setting_is_array(list)) {
        const config_setting_t *first = n > 0 ? config_setting_get_elem(list, 0) : NULL;
        if (config_setting_is_aggregate(value) ||
            (first && !cfgtree_fits(config_setting_type(first), value)))
            return fail(m, value, ERR_INPUT, "%s: %s is an array of %s; expected %s, got %s", where,
                        path, first ? array_of(config_setting_type(first)) : "plain values",
                        first ? element_of(config_setting_type(first))
                              : "a number, a string or true/false",
                        cfgtree_show(value, got, sizeof got));
        return 0;
    }
    const char *name = elem_name(value);
    int count;
    const config_setting_t *twin = name != NULL ? named_elem(list, name, &count) : NULL;
    if (twin != NULL)
        return fail(m, value, ERR_INPUT,
                    "%s: %s already has an element named '%s' in the base "
                    "(%s:%d); expected a new name (remove the old one first to replace it)",
                    where, path, name, cfg_where_file(m->dst, twin), cfg_where_line(twin));
    return 0;
}

/* A new element of a list or array, at `at` (default: the end). */
static int add_element(merge *m, config_setting_t *g, const char *where, const char *path,
                       config_setting_t *list, const config_setting_t *value)
{
    int64_t n = config_setting_length(list), at = n;
    char after[SHOW_MAX], label[PATH_TEXT_MAX + 80];
    int rc = cfg_get_int64_in(m->ins, g, "at", false, 0, INT32_MAX, &at, m->e);
    if (rc == 0 && at > n)
        rc = fail(m, config_setting_get_member(g, "at"), ERR_INPUT,
                  "%s: at = %lld, but %s has %lld elements; expected 0 (first) to "
                  "%lld (the end)",
                  where, (long long)at, path, (long long)n, (long long)n);
    if (rc == 0)
        rc = check_element(m, where, path, list, value);
    if (rc != 0)
        return rc;
    const char *name = elem_name(value);
    if (name != NULL)
        snprintf(label, sizeof label, "%s.%s", path, name);
    else
        snprintf(label, sizeof label, "%s.[%lld]", path, (long long)at);
    cfgtree_show(value, after, sizeof after);
    if (cfgtree_insert(m->dst, list, (unsigned)at, NULL, value) != 0)
        return nomem(m);
    return record(m, INHERIT_ADDED, label, NULL, after, g);
}

static int apply_add(merge *m)
{
    config_setting_t *list;
    int rc = instructions(m, "add", &list);
    for (int i = 0; rc == 0 && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i), *value;
        char where[32];
        const char *path;
        found fd;
        snprintf(where, sizeof where, "add[%d]", i);
        if ((rc = read_instruction(m, g, where, add_keys, &path, &value)) != 0 ||
            (rc = resolve(m, config_setting_get_member(g, "path"), where, path, true, &fd)) != 0)
            break;
        if (fd.target == NULL)
            rc = add_member(m, g, where, path, &fd, value);
        else if (config_setting_is_list(fd.target) || config_setting_is_array(fd.target))
            rc = add_element(m, g, where, path, fd.target, value);
        else
            rc = fail(m, config_setting_get_member(g, "path"), ERR_INPUT,
                      "%s: '%s' is already in the base (%s:%d); expected overrides to change it "
                      "(add puts an element in a list or a new setting in a group)",
                      where, path, cfg_where_file(m->dst, fd.target), cfg_where_line(fd.target));
    }
    return rc;
}

/* ---- reading the chain of bases ------------------------------------------ */

typedef struct chain_link {
    bool known; /* stat succeeded: dev and ino identify the file */
    dev_t dev;
    ino_t ino;
    const char *name; /* as opened */
} chain_link;

typedef struct chain {
    chain_link at[INHERIT_MAX_DEPTH + 2];
    size_t n;
} chain;

static chain_link link_of(const char *path)
{
    struct stat st;
    chain_link l = {false, 0, 0, path};
    if (stat(path, &st) == 0) {
        l.known = true;
        l.dev = st.st_dev;
        l.ino = st.st_ino;
    }
    return l;
}

/* "a.cfg -> b.cfg -> ..." into buf, then next. */
static const char *chain_text(const chain *c, const char *next, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < c->n; i++)
        append(buf, size, "%s -> ", c->at[i].name);
    append(buf, size, "%s", next);
    return buf;
}

/* rel joined to the folder of file (rel as is when absolute or file has no folder). */
static char *beside(const char *file, const char *rel)
{
    const char *slash = strrchr(file, '/');
    if (rel[0] == '/' || slash == NULL)
        return mem_strdup(rel);
    size_t dir = slash == file ? 1 : (size_t)(slash - file), len = dir + 1 + strlen(rel) + 1;
    char *p = mem_alloc(len);
    if (p != NULL)
        snprintf(p, len, "%.*s/%s", (int)dir, file, rel);
    return p;
}

/* Makes the base's relative file paths relative to the variant's folder. */
static int rewrite_paths(cfg_file *b, const char *const *keys, const char *base_name)
{
    for (; keys != NULL && *keys != NULL; keys++) {
        config_setting_t *s = config_setting_get_member(cfg_root(b), *keys);
        if (s == NULL || config_setting_type(s) != CONFIG_TYPE_STRING)
            continue;
        const char *v = config_setting_get_string(s);
        if (v[0] == '/' || v[0] == '\0' || strchr(base_name, '/') == NULL)
            continue;
        char *p = beside(base_name, v);
        int ok = p != NULL ? config_setting_set_string(s, p) : CONFIG_FALSE;
        mem_free(p);
        if (ok != CONFIG_TRUE)
            return ERR_NOMEM;
    }
    return 0;
}

static int resolve_file(cfg_file *f, const char *const *path_keys, inherit_log *log, chain *c,
                        err_info *e);

/* Opens the base of f (named by setting bs) into b, resolved. */
static int open_base(cfg_file *f, config_setting_t *bs, const char *const *path_keys,
                     inherit_log *log, chain *c, cfg_file *b, err_info *e)
{
    const char *name = config_setting_get_string(bs);
    char *path = beside(f->path, name), list[LIST_MAX];
    char **grown = mem_resize(log->bases, log->n_bases + 1, sizeof *grown);
    if (grown != NULL)
        log->bases = grown;
    if (path == NULL || grown == NULL) {
        mem_free(path);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory reading a base scenario");
    }
    log->bases[log->n_bases++] = path;
    chain_link l = link_of(path);
    for (size_t i = 0; i < c->n && l.known; i++)
        if (c->at[i].known && c->at[i].dev == l.dev && c->at[i].ino == l.ino)
            return cfg_error(f, bs, e, ERR_INPUT,
                             "base cycle: %s; expected a chain of bases "
                             "that ends in a scenario without base",
                             chain_text(c, path, list, sizeof list));
    if (c->n > INHERIT_MAX_DEPTH)
        return cfg_error(f, bs, e, ERR_INPUT,
                         "too many bases: %s; expected at most %d bases "
                         "below a variant",
                         chain_text(c, path, list, sizeof list), INHERIT_MAX_DEPTH);
    err_info why;
    err_clear(&why);
    int rc = cfg_open(b, path, &why);
    if (rc == ERR_IO)
        return cfg_error(f, bs, e, rc,
                         "base \"%s\": %s; expected a scenario file, named "
                         "relative to this file's folder",
                         name, why.text);
    if (rc != 0) /* a syntax error in the base: its own FILE:LINE */
        return err_set(e, rc, NULL, 0, "%s", why.text);
    c->at[c->n++] = l;
    rc = resolve_file(b, path_keys, log, c, e);
    c->n--;
    if (rc == 0 && rewrite_paths(b, path_keys, name) != 0)
        rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory reading a base scenario");
    return rc;
}

/* Without base, overrides/add/remove mean nothing: say so, not "unknown key". */
static int check_no_instructions(cfg_file *f, err_info *e)
{
    for (const char *const *k = instruction_keys + 1; *k != NULL; k++) {
        config_setting_t *s = config_setting_get_member(cfg_root(f), *k);
        if (s != NULL)
            return cfg_error(f, s, e, ERR_INPUT,
                             "'%s' changes a base scenario, and this file "
                             "names none; expected base = \"FILE.cfg\"; above it",
                             *k);
    }
    return 0;
}

/* Applies f's instructions (moved to ins) to the base's settings (moved to f). */
static int merge_into(cfg_file *f, cfg_file *b, inherit_log *log, err_info *e)
{
    cfg_file ins;
    int rc = cfg_open_string(&ins, "", f->path, e);
    if (rc != 0)
        return rc;
    merge m = {f, &ins, NULL, "the base ", log, e};
    if (cfgtree_move_root(&ins, f) != 0 || cfgtree_move_root(f, b) != 0) {
        cfg_close(&ins);
        return nomem(&m);
    }
    m.base_name = config_setting_get_string(config_setting_get_member(cfg_root(&ins), "base"));
    if ((rc = apply_top_level(&m)) == 0 && (rc = apply_overrides(&m)) == 0 &&
        (rc = apply_remove(&m)) == 0)
        rc = apply_add(&m);
    cfg_close(&ins);
    return rc;
}

static int resolve_file(cfg_file *f, const char *const *path_keys, inherit_log *log, chain *c,
                        err_info *e)
{
    config_setting_t *bs = config_setting_get_member(cfg_root(f), "base");
    if (bs == NULL)
        return check_no_instructions(f, e);
    const char *name;
    int rc = cfg_get_string(f, cfg_root(f), "base", true, false, &name, e);
    if (rc != 0)
        return rc;
    cfg_file b;
    memset(&b, 0, sizeof b);
    if ((rc = open_base(f, bs, path_keys, log, c, &b, e)) == 0)
        rc = merge_into(f, &b, log, e);
    cfg_close(&b);
    return rc;
}

int inherit_resolve(cfg_file *f, const char *const *path_keys, inherit_log *log, err_info *e)
{
    CHECK(f != NULL && f->open && log != NULL);
    memset(log, 0, sizeof *log);
    chain c;
    c.n = 1;
    c.at[0] = link_of(f->path);
    int rc = resolve_file(f, path_keys, log, &c, e);
    if (rc != 0)
        inherit_log_fini(log);
    return rc;
}
