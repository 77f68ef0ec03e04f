/*
 * cfg — reading scenario settings from libconfig with errors an analyst can act on.
 *
 * A thin layer over libconfig that turns every way a hand-edited file can be
 * wrong into "FILE:LINE: what is wrong; expected what":
 *   - syntax errors (libconfig's own message, with its file and line);
 *   - a misspelt or unknown key (with the closest known key suggested);
 *   - a missing required key (located at the enclosing group);
 *   - a string where a number belongs, a fractional number where an integer
 *     belongs, a non-finite or out-of-range number;
 *   - an unknown distribution name or a missing/invalid distribution parameter.
 * Integers are accepted wherever a real number is expected (`mean = 40;`).
 *
 * Paths: settings are addressed relative to a parent setting by member name.
 * Locations come from config_setting_source_file/line; a setting created in
 * memory (no source) is reported against the top-level file name.
 *
 * Ownership: cfg_file owns the config_t; settings handed out point into it and
 * live until cfg_close. Nothing here is thread-safe; load before running.
 */
#ifndef CASEFLOW_CFG_H
#define CASEFLOW_CFG_H

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>

#include "dist.h"
#include "err.h"

typedef struct cfg_file {
    config_t cfg;
    char *path; /* as given by the caller, used in messages */
    bool open;
    char **kept; /* file names that settings copied in from other files point to */
    size_t n_kept;
} cfg_file;

/*
 * Parses path into f. On a syntax error or unreadable file returns ERR_INPUT or
 * ERR_IO with "FILE:LINE: libconfig's message" and f needs no cleanup
 * (cfg_close is still safe). Relative @include paths resolve against the
 * file's own folder.
 */
int cfg_open(cfg_file *f, const char *path, err_info *e);
/* Parses text held in memory (for tests and fuzzing); name is used in messages. */
int cfg_open_string(cfg_file *f, const char *text, const char *name, err_info *e);
void cfg_close(cfg_file *f);

/*
 * A copy of name owned by f, for the source file of a setting copied into f
 * from another file (libconfig keeps only a pointer): settings copied from a
 * scenario's base keep reporting the base's FILE:LINE after the base is
 * closed. One copy per distinct name, freed by cfg_close. NULL when out of
 * memory.
 */
const char *cfg_keep_file_name(cfg_file *f, const char *name);

/* Root group of an open file. */
config_setting_t *cfg_root(cfg_file *f);

/* Location of s: its source file (or the top-level path) and line (the root
 * group is line 1; NULL is 0, unknown). */
const char *cfg_where_file(const cfg_file *f, const config_setting_t *s);
int cfg_where_line(const config_setting_t *s);

/* err_set with the location of s: "FILE:LINE: <message>". Returns code. */
int cfg_error(const cfg_file *f, const config_setting_t *s, err_info *e, int code, const char *fmt,
              ...) __attribute__((format(printf, 5, 6)));

/*
 * Fails with ERR_INPUT if group has a member whose name is not in allowed
 * (NULL-terminated), naming it, its location, the closest allowed key when
 * one is within edit distance 2 ("did you mean 'service'?"), and the full list.
 * Also rejects a group that is not a group (e.g. a list where a group belongs).
 */
int cfg_check_keys(const cfg_file *f, const config_setting_t *group, const char *const *allowed,
                   err_info *e);

/*
 * Typed getters. `required` true: a missing key is ERR_INPUT located at group.
 * `required` false: a missing key leaves *out unchanged and returns 0 (so the
 * caller presets the default). A present key of the wrong type is always
 * ERR_INPUT.
 */
int cfg_get_double(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   double *out, err_info *e);
/* Like cfg_get_double, also enforcing lo <= value <= hi (inclusive). */
int cfg_get_double_in(const cfg_file *f, const config_setting_t *group, const char *key,
                      bool required, double lo, double hi, double *out, err_info *e);
/* Whole numbers: int or int64 settings; a float with no fractional part is
 * accepted too (1e6). Range-checked against [lo, hi]. */
int cfg_get_int64_in(const cfg_file *f, const config_setting_t *group, const char *key,
                     bool required, int64_t lo, int64_t hi, int64_t *out, err_info *e);
/* Strings: *out points into the config (valid until cfg_close). Empty strings
 * are rejected unless allow_empty. */
int cfg_get_string(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   bool allow_empty, const char **out, err_info *e);
/* A group or list member: *out is NULL when absent and not required. */
int cfg_get_member(const cfg_file *f, const config_setting_t *group, const char *key, bool required,
                   int type, config_setting_t **out, err_info *e);
/* An array or list of numbers into fresh memory (mem_alloc): *vals owned by the caller. */
int cfg_get_double_array(const cfg_file *f, const config_setting_t *group, const char *key,
                         bool required, double **vals, size_t *n, err_info *e);

/*
 * Parses a distribution group such as { dist = "lognormal"; mean = 40; sd = 25; }
 * into d. Unknown keys, unknown kinds, missing and invalid parameters are
 * ERR_INPUT located at the offending setting, e.g.
 *   "s.cfg:12: unknown distribution 'lognorml'; expected one of: exponential, ..."
 *   "s.cfg:12: lognormal needs 'sd' (days)".
 * On error d needs no cleanup.
 */
int cfg_get_dist(const cfg_file *f, const config_setting_t *group, dist *d, err_info *e);

/* Levenshtein distance between a and b (for "did you mean"). */
size_t cfg_edit_distance(const char *a, const char *b);

#endif
