/*
 * csvin — reading back the CSV tables caseflow writes (summary.csv,
 * timeseries.csv, annual.csv, compare.csv), strictly.
 *
 * The format is caseflow's own: a header line of column names, then rows of
 * the same number of comma-separated fields; no quoting (a field containing
 * '"' is refused, since caseflow never writes one), "\n" or "\r\n" line
 * ends, an optional final newline, and an optional UTF-8 byte-order mark at
 * the start (which spreadsheets add). Anything else — a row with too many or too
 * few fields, an empty or repeated column name, a blank line, a NUL byte — is
 * ERR_INPUT with "FILE:LINE: what is wrong; expected what", so a hand-edited
 * or truncated file is named rather than misread.
 *
 * A table holds the whole file in one buffer (cells point into it); the
 * largest table caseflow writes is a few hundred kilobytes. Files over
 * CSVIN_MAX_BYTES are refused.
 *
 * Ownership: the csvin owns its buffer; strings it returns live until
 * csvin_destroy. Thread-safety: a table is read-only once made.
 */
#ifndef CASEFLOW_CSVIN_H
#define CASEFLOW_CSVIN_H

#include <stddef.h>

#include "err.h"

#define CSVIN_MAX_BYTES (256u * 1024u * 1024u)

typedef struct csvin csvin;

/* Reads path into *out. ERR_IO naming the path if it cannot be read, ERR_INPUT
 * with FILE:LINE if it is malformed, ERR_NOMEM; *out is then NULL. */
int csvin_read(csvin **out, const char *path, err_info *e);

/* Parses len bytes of text (need not be NUL-terminated); name is used in
 * messages as the file name. As csvin_read. */
int csvin_parse(csvin **out, const char *name, const char *text, size_t len, err_info *e);

/* Frees t; csvin_destroy(NULL) does nothing. */
void csvin_destroy(csvin *t);

/* Number of data rows (not counting the header) and of columns. */
size_t csvin_rows(const csvin *t);
size_t csvin_cols(const csvin *t);

/* Name of column c (< csvin_cols). */
const char *csvin_header(const csvin *t, size_t c);

/* Index of the column called name, or -1 if there is none. O(columns). */
long csvin_col(const csvin *t, const char *name);

/* Text of row r (< csvin_rows), column c (< csvin_cols); never NULL. */
const char *csvin_cell(const csvin *t, size_t r, size_t c);

/* Line in the file where row r is (the header is line 1). */
int csvin_line(const csvin *t, size_t r);

/* The name the table was read under (its path). */
const char *csvin_name(const csvin *t);

/*
 * The number in row r, column c: "NA" (and an empty field) is NaN; anything
 * that is not a whole decimal number ("12", "-0.5", "1e3") is ERR_INPUT with
 * "FILE:LINE: column 'name' is 'x'; expected a number or NA".
 */
int csvin_number(const csvin *t, size_t r, size_t c, double *out, err_info *e);

/* Checks that every cell in columns first_col.. is a number or NA, as
 * csvin_number reads it: 0, or ERR_INPUT naming the first bad cell's line. */
int csvin_check_numbers(const csvin *t, size_t first_col, err_info *e);

/* Row of the first row whose column c equals key, or -1. */
long csvin_find(const csvin *t, size_t c, const char *key);

#endif
