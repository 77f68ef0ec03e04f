/*
 * html — the small pieces of writing a self-contained HTML page: escaping
 * text, and embedding a file as a base64 data: URI so the page needs nothing
 * beside it.
 *
 * Every string that comes from a file (a scenario's name or description, a
 * stage's name, a variant's name) goes through html_escape; the page's own
 * markup is written directly. Output errors are sticky in the FILE and are
 * caught when the caller commits the file (outfile.h).
 * Thread-safety: none needed (no state).
 */
#ifndef CASEFLOW_HTML_H
#define CASEFLOW_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Writes s to fp with &, <, >, " and ' escaped, and control characters other
 * than tab and newline dropped; safe in text and in quoted attributes. */
void html_escape(FILE *fp, const char *s);

/* Writes the standard base64 (RFC 4648, with padding) of n bytes. */
void html_base64(FILE *fp, const unsigned char *data, size_t n);

/*
 * Writes "data:MIME;base64,..." with the contents of the file at path. ERR_IO
 * naming the path if it cannot be read (nothing is written then), ERR_NOMEM.
 * Files over 64 MiB are refused.
 */
int html_data_uri(FILE *fp, const char *path, const char *mime, err_info *e);

#endif
