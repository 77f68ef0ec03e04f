/*
 * report — the sequence of `caseflow report` (see report.h): read, plan, write
 * the chart script, draw, check, write the page. The folder is read completely
 * before anything is written, so a wrong folder leaves no charts/ behind.
 */
#include "report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "outfile.h"
#include "report/charts.h"
#include "report/gnuplot.h"
#include "report/page.h"
#include "report/runinfo.h"

#define PATH_LEN 4352

static int write_script(const char *dir, const chart_list *cl, const char *scripts_dir, err_info *e)
{
    char charts[PATH_LEN];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    outfile o;
    memset(&o, 0, sizeof o);
    int rc = outfile_mkdirs(charts, e);
    if (rc == 0)
        rc = outfile_open(&o, charts, "charts.gp", e);
    if (rc != 0)
        return rc;
    charts_write_script(o.fp, cl, scripts_dir);
    return outfile_commit(&o, e);
}

/* Every chart must now exist, in both formats, and not be empty. */
static int check_drawn(const char *dir, const chart_list *cl, err_info *e)
{
    static const char *const ext[] = {"png", "svg"};
    for (size_t i = 0; i < cl->n; i++)
        for (int f = 0; f < 2; f++) {
            char path[PATH_LEN];
            struct stat st;
            snprintf(path, sizeof path, "%s/charts/%s.%s", dir, cl->v[i].id, ext[f]);
            if (stat(path, &st) != 0 || st.st_size == 0)
                return err_set(e, ERR_IO, path, 0, "gnuplot did not draw this chart");
        }
    return 0;
}

static int draw(const report_options *o, const chart_list *cl, err_info *e)
{
    int rc = write_script(o->dir, cl, o->scripts_dir, e);
    if (rc != 0 || o->gnuplot == NULL || cl->n == 0)
        return rc;
    if ((rc = gnuplot_run(o->gnuplot, o->dir, "charts/charts.gp", e)) != 0)
        return rc;
    return check_drawn(o->dir, cl, e);
}

static int write_page(const report_options *o, const runinfo *ri, const runcompare *c,
                      const chart_list *cl, err_info *e)
{
    outfile out;
    memset(&out, 0, sizeof out);
    int rc = outfile_open(&out, o->dir, "report.html", e);
    if (rc != 0)
        return rc;
    rc = c != NULL ? page_write_compare(out.fp, c, cl, o->lang, e)
                   : page_write_run(out.fp, ri, cl, o->lang, e);
    if (rc != 0) {
        outfile_discard(&out);
        return rc;
    }
    return outfile_commit(&out, e);
}

int report_make(const report_options *o, report_result *res, err_info *e)
{
    runinfo ri;
    runcompare c;
    chart_list cl;
    memset(&ri, 0, sizeof ri);
    memset(&c, 0, sizeof c);
    memset(&cl, 0, sizeof cl);
    bool compare = runinfo_is_compare(o->dir);
    int rc = compare ? runinfo_compare_load(&c, o->dir, e) : runinfo_load(&ri, o->dir, e);
    if (rc == 0)
        rc = compare ? charts_plan_compare(&cl, &c, o->lang, e)
                     : charts_plan_run(&cl, &ri, o->lang, e);
    if (rc == 0)
        rc = draw(o, &cl, e);
    if (rc == 0)
        rc = write_page(o, compare ? NULL : &ri, compare ? &c : NULL, &cl, e);
    if (rc == 0 && res != NULL) {
        res->charts = cl.n;
        res->is_compare = compare;
    }
    charts_fini(&cl);
    runinfo_compare_fini(&c);
    runinfo_fini(&ri);
    return rc;
}
