/*
 * csvin — a strict reader for caseflow's own CSV. The whole file is read into
 * one buffer, NUL-terminated; parsing then turns each separator into a NUL in
 * place and records where every cell starts, so a table is two allocations
 * (text and cell pointers) however many cells it has.
 */
#include "csvin.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

struct csvin {
    char *name;   /* the path, for messages */
    char *text;   /* the file, separators replaced by NULs */
    char **cells; /* (rows + 1) * cols pointers into text; row 0 is the header */
    int *lines;   /* line number of each data row */
    size_t rows;  /* data rows */
    size_t cols;  /* columns, >= 1 */
};

void csvin_destroy(csvin *t)
{
    if (t == NULL)
        return;
    mem_free(t->name);
    mem_free(t->text);
    mem_free(t->cells);
    mem_free(t->lines);
    mem_free(t);
}

/* Counts lines (a final newline does not start another) and the header's
 * fields, checking for bytes caseflow never writes. */
static int scan(const csvin *t, size_t len, size_t *n_lines, err_info *e)
{
    size_t lines = 1;
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        char c = t->text[i];
        if (c == '\0')
            return err_set(e, ERR_INPUT, t->name, line, "NUL byte; expected text");
        if (c == '"')
            return err_set(e, ERR_INPUT, t->name, line,
                           "quoted field; expected plain comma-separated values");
        if (c == '\n') {
            line++;
            if (i + 1 < len)
                lines++;
        }
    }
    *n_lines = lines;
    return 0;
}

/* Splits one line (NUL-terminated, without its newline) into want cells at
 * out, or counts them when want is 0. Returns the number of fields. */
static size_t split_line(char *s, char **out, size_t want)
{
    size_t n = 0;
    for (;;) {
        if (want > 0 && n < want)
            out[n] = s;
        n++;
        char *comma = strchr(s, ',');
        if (comma == NULL)
            break;
        if (want > 0)
            *comma = '\0';
        s = comma + 1;
    }
    return n;
}

/* Next line from *p: NUL-terminates it in place (dropping "\r\n" or "\n"). */
static char *next_line(char **p)
{
    char *s = *p, *nl = strchr(s, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '\r')
        s[n - 1] = '\0';
    return s;
}

static int check_header(const csvin *t, err_info *e)
{
    for (size_t c = 0; c < t->cols; c++) {
        const char *h = t->cells[c];
        if (h[0] == '\0')
            return err_set(e, ERR_INPUT, t->name, 1, "column %zu has no name; expected a header",
                           c + 1);
        for (size_t d = 0; d < c; d++)
            if (strcmp(h, t->cells[d]) == 0)
                return err_set(e, ERR_INPUT, t->name, 1, "column '%s' appears twice", h);
    }
    return 0;
}

static int split_all(csvin *t, size_t n_lines, err_info *e)
{
    char *p = t->text;
    char *header = next_line(&p);
    t->cols = split_line(header, NULL, 0);
    t->rows = n_lines - 1;
    t->cells = mem_calloc((t->rows + 1) * t->cols, sizeof *t->cells);
    t->lines = mem_calloc(t->rows + 1, sizeof *t->lines);
    if (t->cells == NULL || t->lines == NULL)
        return err_set(e, ERR_NOMEM, t->name, 0, "out of memory reading the table");
    split_line(header, t->cells, t->cols);
    int rc = check_header(t, e);
    for (size_t r = 1; r <= t->rows && rc == 0; r++) {
        int line = (int)r + 1;
        char *s = next_line(&p);
        if (s[0] == '\0')
            return err_set(e, ERR_INPUT, t->name, line, "blank line; expected %zu fields", t->cols);
        size_t n = split_line(s, NULL, 0);
        if (n != t->cols)
            return err_set(e, ERR_INPUT, t->name, line, "%zu fields; expected %zu as in the header",
                           n, t->cols);
        split_line(s, t->cells + r * t->cols, t->cols);
        t->lines[r - 1] = line;
    }
    return rc;
}

int csvin_parse(csvin **out, const char *name, const char *text, size_t len, err_info *e)
{
    *out = NULL;
    csvin *t = mem_calloc(1, sizeof *t);
    if (t == NULL || (t->name = mem_strdup(name)) == NULL ||
        (t->text = mem_alloc(len + 1)) == NULL) {
        csvin_destroy(t);
        return err_set(e, ERR_NOMEM, name, 0, "out of memory reading the table");
    }
    /* A UTF-8 byte-order mark, which spreadsheets add when they save CSV, is not
     * part of the first column's name. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (len > 0)
        memcpy(t->text, text, len);
    t->text[len] = '\0';
    size_t n_lines = 0;
    int rc = len == 0 ? err_set(e, ERR_INPUT, name, 1, "empty file; expected a header line")
                      : scan(t, len, &n_lines, e);
    if (rc == 0)
        rc = split_all(t, n_lines, e);
    if (rc != 0) {
        csvin_destroy(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* Reads a whole file into fresh memory. */
static int slurp(const char *path, char **buf, size_t *len, err_info *e)
{
    *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return err_set(e, ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0;
    char *b = mem_alloc(cap);
    int rc = b == NULL ? err_set(e, ERR_NOMEM, path, 0, "out of memory") : 0;
    while (rc == 0) {
        n += fread(b + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *bigger = cap >= CSVIN_MAX_BYTES ? NULL : mem_resize(b, cap, 2);
        if (bigger == NULL)
            rc = cap >= CSVIN_MAX_BYTES
                     ? err_set(e, ERR_INPUT, path, 0, "larger than %u bytes; expected a table",
                               CSVIN_MAX_BYTES)
                     : err_set(e, ERR_NOMEM, path, 0, "out of memory");
        else
            b = bigger, cap *= 2;
    }
    if (rc == 0 && ferror(fp))
        rc = err_set(e, ERR_IO, path, 0, "read error");
    fclose(fp);
    if (rc != 0) {
        mem_free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return 0;
}

int csvin_read(csvin **out, const char *path, err_info *e)
{
    *out = NULL;
    char *buf;
    size_t len = 0;
    int rc = slurp(path, &buf, &len, e);
    if (rc != 0)
        return rc;
    rc = csvin_parse(out, path, buf, len, e);
    mem_free(buf);
    return rc;
}

size_t csvin_rows(const csvin *t)
{
    return t->rows;
}

size_t csvin_cols(const csvin *t)
{
    return t->cols;
}

const char *csvin_header(const csvin *t, size_t c)
{
    return t->cells[c];
}

const char *csvin_name(const csvin *t)
{
    return t->name;
}

long csvin_col(const csvin *t, const char *name)
{
    for (size_t c = 0; c < t->cols; c++)
        if (strcmp(t->cells[c], name) == 0)
            return (long)c;
    return -1;
}

const char *csvin_cell(const csvin *t, size_t r, size_t c)
{
    return t->cells[(r + 1) * t->cols + c];
}

int csvin_line(const csvin *t, size_t r)
{
    return t->lines[r];
}

int csvin_number(const csvin *t, size_t r, size_t c, double *out, err_info *e)
{
    const char *s = csvin_cell(t, r, c);
    if (s[0] == '\0' || strcmp(s, "NA") == 0) {
        *out = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    /* strtod also takes "inf", "nan" and hex; caseflow writes none of them. */
    bool plain = strspn(s, "0123456789+-.eE") == strlen(s);
    if (*end != '\0' || !plain || errno == ERANGE || !isfinite(v))
        return err_set(e, ERR_INPUT, t->name, csvin_line(t, r),
                       "column '%s' is '%s'; expected a number or NA", csvin_header(t, c), s);
    *out = v;
    return 0;
}

long csvin_find(const csvin *t, size_t c, const char *key)
{
    for (size_t r = 0; r < t->rows; r++)
        if (strcmp(csvin_cell(t, r, c), key) == 0)
            return (long)r;
    return -1;
}

int csvin_check_numbers(const csvin *t, size_t first_col, err_info *e)
{
    double v;
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = first_col; c < t->cols; c++) {
            int rc = csvin_number(t, r, c, &v, e);
            if (rc != 0)
                return rc;
        }
    return 0;
}
