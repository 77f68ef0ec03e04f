/*
 * cfgtree — deep copies, positioned inserts and in-place replacement on
 * libconfig trees, keeping source locations (see cfgtree.h for why).
 *
 * A copy is built top-down with config_setting_add and stamped with its
 * source's file, line and integer format, so config_write prints it as the
 * source was read and cfg_error locates it where it was written. A change
 * of type cannot be made to an existing setting (libconfig has no call for
 * it), so replacing 20 by 20.5 or ( ) by [ ] removes the old setting and
 * inserts the copy at its index.
 */
#include "cfgtree.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"

/* ---- values as one line of text ------------------------------------------ */

typedef struct text {
    char *buf;
    size_t size; /* >= 4 */
    size_t used;
    bool cut; /* ran out of room: ends in "..." */
} text;

__attribute__((format(printf, 2, 3))) static void put(text *t, const char *fmt, ...)
{
    if (t->cut)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, t->size - t->used, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < t->size - t->used) {
        t->used += (size_t)n;
        return;
    }
    t->cut = true;
    memcpy(t->buf + t->size - 4, "...", 4);
}

static void render(text *t, const config_setting_t *s)
{
    int n = config_setting_length(s);
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        put(t, "%d", config_setting_get_int(s));
        return;
    case CONFIG_TYPE_INT64:
        put(t, "%lld", config_setting_get_int64(s));
        return;
    case CONFIG_TYPE_FLOAT:
        put(t, "%.10g", config_setting_get_float(s));
        return;
    case CONFIG_TYPE_STRING:
        put(t, "\"%s\"", config_setting_get_string(s));
        return;
    case CONFIG_TYPE_BOOL:
        put(t, "%s", config_setting_get_bool(s) ? "true" : "false");
        return;
    case CONFIG_TYPE_GROUP:
        put(t, "{ ");
        for (int i = 0; i < n; i++) {
            const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
            put(t, "%s = ", config_setting_name(m));
            render(t, m);
            put(t, "; ");
        }
        put(t, "}");
        return;
    default: { /* list ( ) or array [ ] */
        bool list = config_setting_is_list(s);
        put(t, "%s", list ? "(" : "[");
        for (int i = 0; i < n; i++) {
            put(t, "%s", i ? ", " : " ");
            render(t, config_setting_get_elem(s, (unsigned)i));
        }
        put(t, "%s", list ? " )" : " ]");
        return;
    }
    }
}

const char *cfgtree_show(const config_setting_t *s, char *buf, size_t size)
{
    text t = {buf, size, 0, false};
    buf[0] = '\0';
    render(&t, s);
    return buf;
}

/* ---- kinds of value ------------------------------------------------------ */

int cfgtree_kind(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
    case CONFIG_TYPE_FLOAT:
        return CFGTREE_NUMBER;
    case CONFIG_TYPE_STRING:
        return CFGTREE_STRING;
    case CONFIG_TYPE_BOOL:
        return CFGTREE_BOOL;
    case CONFIG_TYPE_GROUP:
        return CFGTREE_GROUP;
    default:
        return CFGTREE_SEQUENCE;
    }
}

const char *cfgtree_kind_phrase(int kind)
{
    static const char *const phrase[] = {"a number", "a string", "true or false", "a group { ... }",
                                         "a list ( ... ) or [ ... ]"};
    return phrase[kind];
}

/* 2^63 as a double: the first value past the int64 range. */
#define INT64_LIMIT 9223372036854775808.0

/* Whether src can be stored in a setting of scalar type (array elements
 * share one type, so a number joining an array takes the array's). */
bool cfgtree_fits(int type, const config_setting_t *src)
{
    int st = config_setting_type(src);
    double v = st == CONFIG_TYPE_FLOAT ? config_setting_get_float(src) : 0.0;
    switch (type) {
    case CONFIG_TYPE_INT:
        if (st == CONFIG_TYPE_INT64)
            return config_setting_get_int64(src) >= INT32_MIN &&
                   config_setting_get_int64(src) <= INT32_MAX;
        return st == CONFIG_TYPE_INT || (st == CONFIG_TYPE_FLOAT && v == (double)(int32_t)v);
    case CONFIG_TYPE_INT64:
        return st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64 ||
               (st == CONFIG_TYPE_FLOAT && v >= -INT64_LIMIT && v < INT64_LIMIT &&
                v == (double)(int64_t)v);
    case CONFIG_TYPE_FLOAT:
        return cfgtree_kind(src) == CFGTREE_NUMBER;
    default:
        return st == type;
    }
}

static double number_of(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        return config_setting_get_int(s);
    case CONFIG_TYPE_INT64:
        return (double)config_setting_get_int64(s);
    default:
        return config_setting_get_float(s);
    }
}

/* ---- copying settings between files -------------------------------------- */

/* Gives s the origin of src: its source file (kept alive by dst), line and format. */
static int stamp(cfg_file *dst, config_setting_t *s, const config_setting_t *src)
{
    const char *file = config_setting_source_file(src);
    if (file != NULL && (file = cfg_keep_file_name(dst, file)) == NULL)
        return ERR_NOMEM;
    s->file = file;
    s->line = src->line;
    config_setting_set_format(s, config_setting_get_format(src)); /* ints only; else a no-op */
    return 0;
}

/* Stores scalar src in s, converting a number to s's type (cfgtree_fits() holds). */
static int set_scalar(config_setting_t *s, const config_setting_t *src)
{
    int ok, st = config_setting_type(src);
    long long whole = st == CONFIG_TYPE_INT64   ? config_setting_get_int64(src)
                      : st == CONFIG_TYPE_INT   ? config_setting_get_int(src)
                      : st == CONFIG_TYPE_FLOAT ? (long long)config_setting_get_float(src)
                                                : 0;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        ok = config_setting_set_int(s, (int)whole);
        break;
    case CONFIG_TYPE_INT64:
        ok = config_setting_set_int64(s, whole);
        break;
    case CONFIG_TYPE_FLOAT:
        ok = config_setting_set_float(s, number_of(src));
        break;
    case CONFIG_TYPE_STRING:
        ok = config_setting_set_string(s, config_setting_get_string(src));
        break;
    default:
        ok = config_setting_set_bool(s, config_setting_get_bool(src));
        break;
    }
    return ok == CONFIG_TRUE ? 0 : ERR_NOMEM;
}

static int copy_children(cfg_file *dst, config_setting_t *to, const config_setting_t *src)
{
    int n = config_setting_length(src);
    for (int i = 0; i < n; i++) {
        const config_setting_t *c = config_setting_get_elem(src, (unsigned)i);
        int rc = cfgtree_copy(dst, to, config_setting_name(c), c);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int cfgtree_copy(cfg_file *dst, config_setting_t *parent, const char *name,
                 const config_setting_t *src)
{
    int type = config_setting_type(src);
    if (config_setting_is_array(parent) && config_setting_length(parent) > 0)
        type = config_setting_type(config_setting_get_elem(parent, 0));
    config_setting_t *s = config_setting_add(parent, name, type);
    if (s == NULL)
        return ERR_NOMEM;
    int rc = stamp(dst, s, src);
    if (rc != 0)
        return rc;
    return config_setting_is_aggregate(src) ? copy_children(dst, s, src) : set_scalar(s, src);
}

int cfgtree_insert(cfg_file *dst, config_setting_t *parent, unsigned idx, const char *name,
                   const config_setting_t *src)
{
    if (idx >= (unsigned)config_setting_length(parent))
        return cfgtree_copy(dst, parent, name, src);
    cfg_file scratch;
    int rc = cfg_open_string(&scratch, "", "scratch", NULL);
    if (rc != 0)
        return rc;
    config_setting_t *tail =
        config_setting_add(cfg_root(&scratch), "tail", config_setting_type(parent));
    rc = tail != NULL ? 0 : ERR_NOMEM;
    while (rc == 0 && (unsigned)config_setting_length(parent) > idx) {
        config_setting_t *s = config_setting_get_elem(parent, idx);
        if ((rc = cfgtree_copy(&scratch, tail, config_setting_name(s), s)) == 0)
            config_setting_remove_elem(parent, idx);
    }
    if (rc == 0)
        rc = cfgtree_copy(dst, parent, name, src);
    for (int i = 0; rc == 0 && i < config_setting_length(tail); i++) {
        const config_setting_t *s = config_setting_get_elem(tail, (unsigned)i);
        rc = cfgtree_copy(dst, parent, config_setting_name(s), s);
    }
    cfg_close(&scratch);
    return rc;
}

int cfgtree_replace(cfg_file *dst, config_setting_t *old, const config_setting_t *src)
{
    config_setting_t *parent = config_setting_parent(old);
    bool in_array = config_setting_is_array(parent);
    if (config_setting_type(old) == config_setting_type(src) || in_array) {
        int rc = stamp(dst, old, src);
        if (rc != 0 || !config_setting_is_aggregate(src))
            return rc != 0 ? rc : set_scalar(old, src);
        while (config_setting_length(old) > 0)
            config_setting_remove_elem(old, (unsigned)config_setting_length(old) - 1);
        return copy_children(dst, old, src);
    }
    /* Another type (20 -> 20.5, ( ) -> [ ]): libconfig cannot retype a setting. */
    unsigned idx = (unsigned)config_setting_index(old);
    char *name = NULL;
    if (config_setting_name(old) != NULL && (name = mem_strdup(config_setting_name(old))) == NULL)
        return ERR_NOMEM;
    config_setting_remove_elem(parent, idx);
    int rc = cfgtree_insert(dst, parent, idx, name, src);
    mem_free(name);
    return rc;
}

int cfgtree_move_root(cfg_file *to, cfg_file *from)
{
    config_setting_t *src = cfg_root(from);
    int rc = copy_children(to, cfg_root(to), src);
    while (rc == 0 && config_setting_length(src) > 0)
        config_setting_remove_elem(src, (unsigned)config_setting_length(src) - 1);
    return rc;
}
