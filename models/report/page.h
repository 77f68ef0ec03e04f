/*
 * page — report.html: one self-contained page a head of service can open in
 * any browser, on a desk or a phone, or print.
 *
 * The page holds, in this order: the scenario's name and description; the
 * headline figures with their 95% confidence intervals in a table, and a
 * plain sentence on what the intervals mean; for runs over more than one
 * financial year, the same by year; for a comparison, the paired differences;
 * the charts with captions; the assumptions (the scenario's key settings).
 *
 * Self-contained: the charts are the SVG files under charts/ embedded as
 * base64 data: URIs in <img> elements; the style sheet is inline; there is
 * no script and no reference to anything outside the file. Every string that
 * comes from a file is HTML-escaped. The markup is well-formed XML and uses
 * only elements HTML 4 also has, so strict parsers (xmllint) accept it.
 *
 * Thread-safety: none needed. Output errors are sticky in fp (see outfile.h).
 */
#ifndef CASEFLOW_PAGE_H
#define CASEFLOW_PAGE_H

#include <stdio.h>

#include "err.h"
#include "report/charts.h"
#include "report/i18n.h"
#include "report/runinfo.h"

/*
 * Writes the page of a run / a comparison to fp. Each chart of cl whose SVG
 * exists under dir/charts/ is embedded; one that does not is left out (the
 * caller checks that gnuplot drew them all). ERR_INPUT with FILE:LINE for a
 * malformed number in a table, ERR_IO for an unreadable chart, ERR_NOMEM.
 */
int page_write_run(FILE *fp, const runinfo *ri, const chart_list *cl, i18n_lang lang, err_info *e);
int page_write_compare(FILE *fp, const runcompare *c, const chart_list *cl, i18n_lang lang,
                       err_info *e);

#endif
