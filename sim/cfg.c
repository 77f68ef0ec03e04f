/*
 * cfg — libconfig behind messages an analyst can act on.
 *
 * Every failure is reported at the nearest setting that has a source line,
 * as "FILE:LINE: PATH: what is wrong; expected what", where PATH is the
 * setting's address rebuilt by walking parents (`nodes.[1].service.mean`).
 * libconfig 1.5 records a line for every setting it parses, list elements and
 * groups inside lists included (a group's line is that of its `{`); only the
 * root (and settings created in memory) have line 0, so we climb to the first
 * ancestor with a line and report file and line from that same setting.
 *
 * libconfig 1.5 quirks this module works around or documents:
 *   - 1e999 parses to inf (there is no nan/inf token): rejected as non-finite.
 *   - arrays [ ] must hold one scalar type, so [1, 2.5] is a *syntax* error;
 *     the message says to write 1.0 or use a list ( ).
 *   - include paths are joined to the include folder, which we set to the
 *     scenario's own folder; nested @include is relative to that same folder,
 *     an absolute @include path cannot be opened, and an included setting's
 *     source file is the path as written in the @include directive.
 *   - integer literals beyond 32 bits without an L suffix wrap silently, and
 *     with L they saturate. That happens inside the parser: nothing here can
 *     see it, so scenarios must use L (or a float such as 1e10) for big values.
 *
 * Memory: our own allocations go through mem.h; libconfig's cannot.
 */
#include "cfg.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "mem.h"

/* A setting path longer than this is shown with its outer part elided as
 * "...": scenario paths are a few components deep, so this only guards
 * against pathological nesting. */
#define PATH_MAX_CHARS 256
/* Characters of a string value quoted back in a message. */
#define SHOW_MAX_CHARS 40
/* Edit distances are computed with a row on the stack when the shorter string
 * fits (keys and kind names are short), on the heap otherwise. */
#define ROW_STACK 64
/* Farthest a misspelling may be from a known name to be suggested. */
#define SUGGEST_MAX_DISTANCE 2

/* ---- opening and closing ---- */

/* The folder part of path ("." when there is none), in fresh memory or NULL. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return mem_strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *dir = mem_alloc(len + 1);
    if (dir != NULL) {
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    return dir;
}

/* A likely fix for libconfig's terse parse messages. */
static const char *syntax_hint(const char *text)
{
    if (strcmp(text, "mismatched element type in array") == 0)
        return "expected numbers of one kind in [ ]; write 1.0 rather than 1, or use a list (1, "
               "2.5)";
    if (strcmp(text, "duplicate setting name") == 0)
        return "expected each name at most once per group";
    if (strcmp(text, "cannot open include file") == 0)
        return "expected an @include path relative to the scenario's folder";
    return "expected valid libconfig syntax (name = value;)";
}

static int file_io_error(const char *path, int saved_errno, err_info *e)
{
    struct stat st;
    /* strerror is not thread-safe, but files are loaded before any thread starts. */
    if (saved_errno != 0)
        return err_set(e, ERR_IO, path, 0, "cannot read scenario file (%s)", strerror(saved_errno));
    /* fopen succeeds on a folder; libconfig then fails without an errno. */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, path, 0, "cannot read scenario file (it is a folder)");
    return err_set(e, ERR_IO, path, 0, "cannot read scenario file");
}

/* Turns a failed config_read_* into a message, then frees everything. */
static int read_failed(cfg_file *f, int saved_errno, err_info *e)
{
    int rc;
    if (config_error_type(&f->cfg) == CONFIG_ERR_FILE_IO) {
        rc = file_io_error(f->path, saved_errno, e);
    } else {
        const char *file = config_error_file(&f->cfg);
        const char *text = config_error_text(&f->cfg);
        if (text == NULL)
            text = "unreadable settings";
        rc = err_set(e, ERR_INPUT, file != NULL ? file : f->path, config_error_line(&f->cfg),
                     "%s; %s", text, syntax_hint(text));
    }
    config_destroy(&f->cfg);
    mem_free(f->path);
    f->path = NULL;
    return rc;
}

int cfg_open(cfg_file *f, const char *path, err_info *e)
{
    CHECK(f != NULL && path != NULL);
    f->open = false;
    f->kept = NULL;
    f->n_kept = 0;
    f->path = mem_strdup(path);
    char *dir = f->path != NULL ? folder_of(path) : NULL;
    if (dir == NULL) {
        mem_free(f->path);
        f->path = NULL;
        return err_set(e, ERR_NOMEM, path, 0, "out of memory opening the scenario file");
    }
    config_init(&f->cfg);
    config_set_include_dir(&f->cfg, dir); /* libconfig keeps its own copy */
    mem_free(dir);
    errno = 0;
    if (config_read_file(&f->cfg, path) != CONFIG_TRUE)
        return read_failed(f, errno, e);
    f->open = true;
    return 0;
}

int cfg_open_string(cfg_file *f, const char *text, const char *name, err_info *e)
{
    CHECK(f != NULL && text != NULL);
    f->open = false;
    f->kept = NULL;
    f->n_kept = 0;
    f->path = mem_strdup(name != NULL ? name : "<string>");
    if (f->path == NULL)
        return err_set(e, ERR_NOMEM, name, 0, "out of memory reading settings");
    config_init(&f->cfg);
    if (config_read_string(&f->cfg, text) != CONFIG_TRUE)
        return read_failed(f, 0, e);
    f->open = true;
    return 0;
}

void cfg_close(cfg_file *f)
{
    if (f == NULL)
        return;
    if (f->open)
        config_destroy(&f->cfg);
    mem_free(f->path);
    f->path = NULL;
    f->open = false;
    for (size_t i = 0; i < f->n_kept; i++)
        mem_free(f->kept[i]);
    mem_free(f->kept);
    f->kept = NULL;
    f->n_kept = 0;
}

const char *cfg_keep_file_name(cfg_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_kept; i++)
        if (strcmp(f->kept[i], name) == 0)
            return f->kept[i];
    char **grown = mem_resize(f->kept, f->n_kept + 1, sizeof *grown);
    if (grown == NULL)
        return NULL;
    f->kept = grown;
    if ((grown[f->n_kept] = mem_strdup(name)) == NULL)
        return NULL;
    return grown[f->n_kept++];
}

config_setting_t *cfg_root(cfg_file *f)
{
    return f->open ? config_root_setting(&f->cfg) : NULL;
}

/* ---- locations and paths ---- */

/* s or its nearest ancestor with a source line; s itself when none has one. */
static const config_setting_t *anchor(const config_setting_t *s)
{
    for (const config_setting_t *a = s; a != NULL; a = config_setting_parent(a))
        if (config_setting_source_line(a) > 0)
            return a;
    return s;
}

const char *cfg_where_file(const cfg_file *f, const config_setting_t *s)
{
    const config_setting_t *a = anchor(s);
    const char *file = a != NULL ? config_setting_source_file(a) : NULL;
    return file != NULL ? file : f->path;
}

int cfg_where_line(const config_setting_t *s)
{
    if (s == NULL)
        return 0;
    const config_setting_t *a = anchor(s);
    int line = a != NULL ? (int)config_setting_source_line(a) : 0;
    /* The root group has no line of its own; what is missing from the top
     * level belongs to the file as a whole, so it is reported at line 1. */
    return line > 0 ? line : 1;
}

int cfg_error(const cfg_file *f, const config_setting_t *s, err_info *e, int code, const char *fmt,
              ...)
{
    if (e == NULL)
        return code;
    char text[ERR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return err_set(e, code, cfg_where_file(f, s), cfg_where_line(s), "%s", text);
}

typedef struct path_buf {
    char text[PATH_MAX_CHARS];
} path_buf;

/*
 * Renders s's address into pb, built right to left by walking parents: named
 * members by name, list and array elements as [index], joined by dots. The
 * root renders as "". Returns the start of the text inside pb.
 */
static const char *path_of(const config_setting_t *s, path_buf *pb)
{
    size_t pos = sizeof pb->text - 1;
    pb->text[pos] = '\0';
    for (; s != NULL && config_setting_parent(s) != NULL; s = config_setting_parent(s)) {
        char index[32];
        const char *part = config_setting_name(s);
        if (part == NULL) {
            snprintf(index, sizeof index, "[%d]", config_setting_index(s));
            part = index;
        }
        size_t len = strlen(part) + (pb->text[pos] != '\0');
        if (len + 3 > pos) {
            pos -= 3;
            memcpy(pb->text + pos, "...", 3);
            break;
        }
        if (pb->text[pos] != '\0')
            pb->text[--pos] = '.';
        pos -= strlen(part);
        memcpy(pb->text + pos, part, strlen(part));
    }
    return pb->text + pos;
}

/* How a group is named in a message: its path, or "the top level". */
static const char *place_of(const config_setting_t *group, path_buf *pb)
{
    const char *p = path_of(group, pb);
    return *p != '\0' ? p : "the top level";
}

/* ---- describing what was found and what was expected ---- */

static const char *type_phrase(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP:
        return "a group { ... }";
    case CONFIG_TYPE_LIST:
        return "a list ( ... )";
    case CONFIG_TYPE_ARRAY:
        return "an array [ ... ]";
    case CONFIG_TYPE_STRING:
        return "a string in double quotes";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "a whole number";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_BOOL:
        return "true or false";
    default:
        return "a value";
    }
}

/* What s holds, for "got ...": scalars are quoted back, aggregates named. */
static const char *describe(const config_setting_t *s, char *buf, size_t size)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, size, "the whole number %d", config_setting_get_int(s));
        break;
    case CONFIG_TYPE_INT64:
        snprintf(buf, size, "the whole number %lld", config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, size, "the number %.15g", config_setting_get_float(s));
        break;
    case CONFIG_TYPE_STRING: {
        const char *v = config_setting_get_string(s);
        snprintf(buf, size, "the string \"%.*s%s\"", SHOW_MAX_CHARS, v,
                 strlen(v) > SHOW_MAX_CHARS ? "..." : "");
        break;
    }
    case CONFIG_TYPE_BOOL:
        snprintf(buf, size, "the boolean %s", config_setting_get_bool(s) ? "true" : "false");
        break;
    default:
        snprintf(buf, size, "%s", type_phrase(config_setting_type(s)));
        break;
    }
    return buf;
}

/* "PATH: expected <expected>, got <what s holds>" located at s. */
static int type_error(const cfg_file *f, const config_setting_t *s, const char *expected,
                      err_info *e)
{
    path_buf pb;
    char got[SHOW_MAX_CHARS + 64];
    return cfg_error(f, s, e, ERR_INPUT, "%s: expected %s, got %s", place_of(s, &pb), expected,
                     describe(s, got, sizeof got));
}

/* lo or hi as NULL means unbounded on that side. */
static int range_error(const cfg_file *f, const config_setting_t *s, const char *lo, const char *hi,
                       const char *got, err_info *e)
{
    path_buf pb;
    const char *p = place_of(s, &pb);
    if (lo == NULL)
        return cfg_error(f, s, e, ERR_INPUT, "%s must be <= %s (got %s)", p, hi, got);
    if (hi == NULL)
        return cfg_error(f, s, e, ERR_INPUT, "%s must be >= %s (got %s)", p, lo, got);
    return cfg_error(f, s, e, ERR_INPUT, "%s must be from %s to %s (got %s)", p, lo, hi, got);
}

/* ---- finding members ---- */

/*
 * Finds key in group: 0 with *out set, or NULL when absent and not required.
 * A missing required key is reported at the group, saying what belongs there.
 */
static int lookup(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                  const char *expected, config_setting_t **out, err_info *e)
{
    CHECK(group != NULL && key != NULL);
    *out = NULL;
    if (!config_setting_is_group(group))
        return type_error(f, group, type_phrase(CONFIG_TYPE_GROUP), e);
    *out = config_setting_get_member(group, key);
    if (*out != NULL || !required)
        return 0;
    path_buf pb;
    const char *p = path_of(group, &pb);
    if (*p == '\0')
        return cfg_error(f, group, e, ERR_INPUT, "missing top-level setting '%s'; expected %s", key,
                         expected);
    return cfg_error(f, group, e, ERR_INPUT, "%s is missing '%s'; expected %s", p, key, expected);
}

/* ---- numbers ---- */

static int number_of(const cfg_file *f, const config_setting_t *s, double *out, err_info *e)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        *out = config_setting_get_int(s);
        return 0;
    case CONFIG_TYPE_INT64:
        *out = (double)config_setting_get_int64(s);
        return 0;
    case CONFIG_TYPE_FLOAT:
        /* libconfig turns an overflowing literal such as 1e999 into inf. */
        if (!isfinite(config_setting_get_float(s)))
            return type_error(f, s, "a finite number", e);
        *out = config_setting_get_float(s);
        return 0;
    default:
        return type_error(f, s, "a number", e);
    }
}

/* Like cfg_get_double, also saying whether the key was present. */
static int get_number(const cfg_file *f, const config_setting_t *group, const char *key,
                      bool required, double *out, const config_setting_t **at, err_info *e)
{
    config_setting_t *s;
    int rc = lookup(f, group, key, required, "a number", &s, e);
    *at = s;
    if (rc != 0 || s == NULL)
        return rc;
    return number_of(f, s, out, e);
}

int cfg_get_double(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   double *out, err_info *e)
{
    const config_setting_t *at;
    return get_number(f, group, key, required, out, &at, e);
}

/* A bound for a message; NULL for an infinite one (no bound on that side). */
static const char *bound_text(double v, char *buf, size_t size)
{
    if (isinf(v))
        return NULL;
    snprintf(buf, size, "%.15g", v);
    return buf;
}

int cfg_get_double_in(const cfg_file *f, const config_setting_t *group, const char *key,
                      bool required, double lo, double hi, double *out, err_info *e)
{
    CHECK(lo <= hi);
    const config_setting_t *at;
    double v = 0.0;
    int rc = get_number(f, group, key, required, &v, &at, e);
    if (rc != 0 || at == NULL)
        return rc;
    if (v < lo || v > hi) {
        char lo_buf[32], hi_buf[32], got[32];
        snprintf(got, sizeof got, "%.15g", v);
        return range_error(f, at, bound_text(lo, lo_buf, sizeof lo_buf),
                           bound_text(hi, hi_buf, sizeof hi_buf), got, e);
    }
    *out = v;
    return 0;
}

/* 2^63 as a double: the first value past the int64 range. */
#define INT64_LIMIT 9223372036854775808.0

/* A whole number from s; *exact false means it is a float beyond int64. */
static int whole_of(const cfg_file *f, const config_setting_t *s, int64_t *out, bool *exact,
                    err_info *e)
{
    *exact = true;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        *out = config_setting_get_int(s);
        return 0;
    case CONFIG_TYPE_INT64:
        *out = config_setting_get_int64(s);
        return 0;
    case CONFIG_TYPE_FLOAT: {
        /* 1e6 is a float to libconfig but a whole number to an analyst. */
        double v = config_setting_get_float(s);
        if (!isfinite(v) || v != floor(v))
            return type_error(f, s, "a whole number", e);
        *exact = v >= -INT64_LIMIT && v < INT64_LIMIT;
        *out = *exact ? (int64_t)v : 0;
        return 0;
    }
    default:
        return type_error(f, s, "a whole number", e);
    }
}

int cfg_get_int64_in(const cfg_file *f, const config_setting_t *group, const char *key,
                     bool required, int64_t lo, int64_t hi, int64_t *out, err_info *e)
{
    CHECK(lo <= hi);
    config_setting_t *s;
    int rc = lookup(f, group, key, required, "a whole number", &s, e);
    if (rc != 0 || s == NULL)
        return rc;
    int64_t v = 0;
    bool exact;
    rc = whole_of(f, s, &v, &exact, e);
    if (rc != 0)
        return rc;
    if (!exact || v < lo || v > hi) {
        char lo_buf[32], hi_buf[32], got[32];
        snprintf(lo_buf, sizeof lo_buf, "%lld", (long long)lo);
        snprintf(hi_buf, sizeof hi_buf, "%lld", (long long)hi);
        if (exact)
            snprintf(got, sizeof got, "%lld", (long long)v);
        else
            snprintf(got, sizeof got, "%.15g", config_setting_get_float(s));
        rc = range_error(f, s, lo == INT64_MIN ? NULL : lo_buf, hi == INT64_MAX ? NULL : hi_buf,
                         got, e);
        /* libconfig 1.5 wraps plain integers above 2^31-1 without a word, so
         * a surprising value here is most often a large number missing its L. */
        if (config_setting_type(s) == CONFIG_TYPE_INT && e != NULL) {
            size_t used = strlen(e->text);
            snprintf(e->text + used, sizeof e->text - used,
                     " (whole numbers above 2147483647 need an L suffix, e.g. 3000000000L)");
        }
        return rc;
    }
    *out = v;
    return 0;
}

/* ---- strings, members, arrays ---- */

int cfg_get_string(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   bool allow_empty, const char **out, err_info *e)
{
    config_setting_t *s;
    int rc = lookup(f, group, key, required, type_phrase(CONFIG_TYPE_STRING), &s, e);
    if (rc != 0 || s == NULL)
        return rc;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return type_error(f, s, type_phrase(CONFIG_TYPE_STRING), e);
    const char *v = config_setting_get_string(s);
    if (*v == '\0' && !allow_empty) {
        path_buf pb;
        return cfg_error(f, s, e, ERR_INPUT, "%s is empty; expected some text between the quotes",
                         place_of(s, &pb));
    }
    *out = v;
    return 0;
}

int cfg_get_member(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   int type, config_setting_t **out, err_info *e)
{
    config_setting_t *s;
    int rc = lookup(f, group, key, required, type_phrase(type), &s, e);
    if (rc != 0)
        return rc;
    /* [ ] is libconfig's list of same-typed scalars (and `x = [];` is how many
     * people write an empty list), so it is accepted where a list belongs. */
    if (s != NULL && config_setting_type(s) != type &&
        !(type == CONFIG_TYPE_LIST && config_setting_type(s) == CONFIG_TYPE_ARRAY))
        return type_error(f, s, type_phrase(type), e);
    *out = s;
    return 0;
}

#define NUMBER_LIST "a list of numbers such as [1.0, 2.5] or (1, 2.5)"

int cfg_get_double_array(const cfg_file *f, const config_setting_t *group, const char *key,
                         bool required, double **vals, size_t *n, err_info *e)
{
    config_setting_t *s;
    int rc = lookup(f, group, key, required, NUMBER_LIST, &s, e);
    if (rc != 0 || s == NULL)
        return rc;
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return type_error(f, s, NUMBER_LIST, e);
    size_t len = (size_t)config_setting_length(s);
    path_buf pb;
    if (len == 0)
        return cfg_error(f, s, e, ERR_INPUT, "%s is empty; expected at least one number",
                         place_of(s, &pb));
    double *v = mem_calloc(len, sizeof *v);
    if (v == NULL)
        return cfg_error(f, s, e, ERR_NOMEM, "out of memory reading %s (%zu numbers)",
                         place_of(s, &pb), len);
    for (size_t i = 0; i < len; i++) {
        rc = number_of(f, config_setting_get_elem(s, (unsigned)i), &v[i], e);
        if (rc != 0) {
            mem_free(v);
            return rc;
        }
    }
    *vals = v;
    *n = len;
    return 0;
}

/* ---- unknown keys ---- */

static bool listed(const char *name, const char *const *names)
{
    for (; *names != NULL; names++)
        if (strcmp(name, *names) == 0)
            return true;
    return false;
}

/* The candidate closest to word if close enough to be a plausible typo, or
 * NULL. A candidate no longer than the distance shares nothing with word. */
static const char *closest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_d = SUGGEST_MAX_DISTANCE + 1;
    for (; *candidates != NULL; candidates++) {
        size_t d = cfg_edit_distance(word, *candidates);
        if (d < best_d && d < strlen(*candidates)) {
            best = *candidates;
            best_d = d;
        }
    }
    return best;
}

/* names joined as "a, b, c" into buf (truncated to fit). */
static const char *join(const char *const *names, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] != NULL && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i > 0 ? ", " : "", names[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    return buf;
}

/* " (did you mean 'x'?)" or "" into buf. */
static const char *suggestion(const char *word, const char *const *candidates, char *buf,
                              size_t size)
{
    const char *best = closest(word, candidates);
    buf[0] = '\0';
    if (best != NULL)
        snprintf(buf, size, " (did you mean '%s'?)", best);
    return buf;
}

static int unknown_key(const cfg_file *f, const config_setting_t *group,
                       const config_setting_t *member, const char *const *allowed, err_info *e)
{
    path_buf pb, mb;
    char list[ERR_TEXT_MAX / 2], hint[PATH_MAX_CHARS];
    const char *where = path_of(group, &pb);
    const char *name = config_setting_name(member);
    if (name == NULL) /* only in a hand-built group: parsed members have names */
        name = path_of(member, &mb);
    if (allowed[0] == NULL)
        return cfg_error(f, member, e, ERR_INPUT, "unexpected '%s' in %s; expected nothing there",
                         name, place_of(group, &pb));
    suggestion(name, allowed, hint, sizeof hint);
    join(allowed, list, sizeof list);
    if (*where == '\0')
        return cfg_error(f, member, e, ERR_INPUT,
                         "unknown top-level setting '%s'%s; expected one of: %s", name, hint, list);
    return cfg_error(f, member, e, ERR_INPUT, "unknown setting '%s' in %s%s; expected one of: %s",
                     name, where, hint, list);
}

int cfg_check_keys(const cfg_file *f, const config_setting_t *group, const char *const *allowed,
                   err_info *e)
{
    CHECK(group != NULL && allowed != NULL);
    if (!config_setting_is_group(group))
        return type_error(f, group, type_phrase(CONFIG_TYPE_GROUP), e);
    int len = config_setting_length(group);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(m);
        if (name == NULL || !listed(name, allowed))
            return unknown_key(f, group, m, allowed, e);
    }
    return 0;
}

/* ---- distributions ---- */

/*
 * The parameters of each kind, in dist.h's order. Adding a kind: also update
 * dist.h, param_unit (if it has a new parameter) and build_dist.
 */
static const char *const dist_params[DIST_KIND_COUNT][4] = {
    [DIST_EXPONENTIAL] = {"mean"},
    [DIST_DETERMINISTIC] = {"mean"},
    [DIST_LOGNORMAL] = {"mean", "sd"},
    [DIST_GAMMA] = {"mean", "sd"},
    [DIST_WEIBULL] = {"mean", "sd"},
    [DIST_UNIFORM] = {"min", "max"},
    [DIST_TRIANGULAR] = {"min", "mode", "max"},
    [DIST_EMPIRICAL] = {"values"},
    [DIST_HISTOGRAM] = {"breaks", "probs"},
};

static const char *param_unit(const char *key)
{
    if (strcmp(key, "values") == 0)
        return "a list of durations in days";
    if (strcmp(key, "breaks") == 0)
        return "a list of n+1 increasing band edges in days";
    if (strcmp(key, "probs") == 0)
        return "a list of n band probabilities summing to 1";
    return "days";
}

/* "'mean'", "'mean' and 'sd'", "'min', 'mode' and 'max'". */
static const char *param_list(const char *const *p, char *buf, size_t size)
{
    size_t n = 0;
    while (p[n] != NULL)
        n++;
    if (n == 1)
        snprintf(buf, size, "'%s'", p[0]);
    else if (n == 2)
        snprintf(buf, size, "'%s' and '%s'", p[0], p[1]);
    else
        snprintf(buf, size, "'%s', '%s' and '%s'", p[0], p[1], p[2]);
    return buf;
}

/* The `dist` name in group as a kind, with a suggestion when misspelt. */
static int parse_kind(const cfg_file *f, const config_setting_t *group, dist_kind *kind,
                      err_info *e)
{
    const char *names[DIST_KIND_COUNT + 1];
    for (int k = 0; k < DIST_KIND_COUNT; k++)
        names[k] = dist_kind_name((dist_kind)k);
    names[DIST_KIND_COUNT] = NULL;
    char list[ERR_TEXT_MAX / 2], hint[PATH_MAX_CHARS];
    join(names, list, sizeof list);
    path_buf pb;
    if (config_setting_get_member(group, "dist") == NULL)
        return cfg_error(f, group, e, ERR_INPUT, "%s needs 'dist'; expected one of: %s",
                         place_of(group, &pb), list);
    const char *name;
    int rc = cfg_get_string(f, group, "dist", true, false, &name, e);
    if (rc != 0)
        return rc;
    int k = dist_kind_parse(name);
    if (k < 0)
        return cfg_error(f, config_setting_get_member(group, "dist"), e, ERR_INPUT,
                         "unknown distribution '%s'%s; expected one of: %s", name,
                         suggestion(name, names, hint, sizeof hint), list);
    *kind = (dist_kind)k;
    return 0;
}

static bool is_any_param(const char *name)
{
    for (int k = 0; k < DIST_KIND_COUNT; k++)
        if (listed(name, dist_params[k]))
            return true;
    return false;
}

/* Every member belongs to kind, and every parameter of kind is present. */
static int check_params(const cfg_file *f, const config_setting_t *group, dist_kind kind,
                        err_info *e)
{
    const char *const *params = dist_params[kind];
    const char *kname = dist_kind_name(kind);
    char list[128];
    path_buf pb;
    int len = config_setting_length(group);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(m);
        /* A parameter of another kind is a misunderstanding, not a typo. */
        if (name != NULL && !listed(name, params) && is_any_param(name))
            return cfg_error(f, m, e, ERR_INPUT, "%s: '%s' does not apply here; %s takes only %s",
                             place_of(group, &pb), name, kname,
                             param_list(params, list, sizeof list));
    }
    const char *allowed[5] = {"dist"};
    for (size_t i = 0; params[i] != NULL; i++)
        allowed[i + 1] = params[i];
    int rc = cfg_check_keys(f, group, allowed, e);
    if (rc != 0)
        return rc;
    for (size_t i = 0; params[i] != NULL; i++)
        if (config_setting_get_member(group, params[i]) == NULL)
            return cfg_error(f, group, e, ERR_INPUT, "%s: %s needs '%s' (%s)", place_of(group, &pb),
                             kname, params[i], param_unit(params[i]));
    return 0;
}

/* Empirical and histogram: the tables are read, handed over, then freed. */
static int build_table_dist(const cfg_file *f, const config_setting_t *group, dist_kind kind,
                            dist *d, err_info *e, err_info *why, bool *ctor)
{
    double *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    int rc;
    if (kind == DIST_EMPIRICAL) {
        rc = cfg_get_double_array(f, group, "values", true, &a, &na, e);
        if (rc == 0) {
            *ctor = true;
            rc = dist_init_empirical(d, a, na, why);
        }
        mem_free(a);
        return rc;
    }
    rc = cfg_get_double_array(f, group, "breaks", true, &a, &na, e);
    if (rc == 0)
        rc = cfg_get_double_array(f, group, "probs", true, &b, &nb, e);
    if (rc == 0 && na != nb + 1) {
        path_buf pb;
        rc = cfg_error(f, group, e, ERR_INPUT,
                       "%s: histogram has %zu breaks and %zu probs; expected one more break "
                       "than probs (each band lies between two breaks)",
                       place_of(group, &pb), na, nb);
    } else if (rc == 0) {
        *ctor = true;
        rc = dist_init_histogram(d, a, b, nb, why);
    }
    mem_free(a);
    mem_free(b);
    return rc;
}

/*
 * Reads the parameters (reporting to e) and calls the kind's constructor
 * (reporting to why). *ctor says whether a failure came from the constructor,
 * whose message has no location yet.
 */
static int build_dist(const cfg_file *f, const config_setting_t *group, dist_kind kind, dist *d,
                      err_info *e, err_info *why, bool *ctor)
{
    *ctor = false;
    if (kind == DIST_EMPIRICAL || kind == DIST_HISTOGRAM)
        return build_table_dist(f, group, kind, d, e, why, ctor);
    double p[3] = {0.0, 0.0, 0.0};
    for (size_t i = 0; dist_params[kind][i] != NULL; i++) {
        int rc = cfg_get_double(f, group, dist_params[kind][i], true, &p[i], e);
        if (rc != 0)
            return rc;
    }
    *ctor = true;
    switch (kind) {
    case DIST_EXPONENTIAL:
        return dist_init_exponential(d, p[0], why);
    case DIST_DETERMINISTIC:
        return dist_init_deterministic(d, p[0], why);
    case DIST_LOGNORMAL:
        return dist_init_lognormal(d, p[0], p[1], why);
    case DIST_GAMMA:
        return dist_init_gamma(d, p[0], p[1], why);
    case DIST_WEIBULL:
        return dist_init_weibull(d, p[0], p[1], why);
    case DIST_UNIFORM:
        return dist_init_uniform(d, p[0], p[1], why);
    case DIST_TRIANGULAR:
        return dist_init_triangular(d, p[0], p[1], p[2], why);
    default:
        CHECK(!"a kind without a constructor call");
        return ERR_INPUT;
    }
}

int cfg_get_dist(const cfg_file *f, const config_setting_t *group, dist *d, err_info *e)
{
    CHECK(group != NULL && d != NULL);
    memset(d, 0, sizeof *d);
    if (!config_setting_is_group(group))
        return type_error(
            f, group, "a distribution group such as { dist = \"exponential\"; mean = 10.0; }", e);
    dist_kind kind = DIST_EXPONENTIAL;
    int rc = parse_kind(f, group, &kind, e);
    if (rc == 0)
        rc = check_params(f, group, kind, e);
    if (rc != 0)
        return rc;
    /* The constructor writes into a local err_info so its message can be
     * copied behind the group's location (err_set may not read what it writes). */
    err_info why;
    err_clear(&why);
    bool ctor;
    rc = build_dist(f, group, kind, d, e, &why, &ctor);
    if (rc == 0 || !ctor)
        return rc;
    path_buf pb;
    const char *p = path_of(group, &pb);
    return cfg_error(f, group, e, rc, "%s%s%s", p, *p != '\0' ? ": " : "",
                     why.text[0] != '\0' ? why.text : err_code_name(rc));
}

/* ---- edit distance ---- */

size_t cfg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) { /* keep the row over the shorter string */
        const char *t = a;
        a = b;
        b = t;
        size_t tl = la;
        la = lb;
        lb = tl;
    }
    size_t stack_row[ROW_STACK];
    size_t *row = stack_row;
    if (lb + 1 > ROW_STACK) {
        row = mem_calloc(lb + 1, sizeof *row);
        if (row == NULL)
            return la; /* max(la, lb) bounds the distance from above */
    }
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0]; /* row[j-1] of the previous row */
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = (up < row[j - 1] ? up : row[j - 1]) + 1;
            size_t sub = diag + (a[i - 1] != b[j - 1]);
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    size_t d = row[lb];
    if (row != stack_row)
        mem_free(row);
    return d;
}
