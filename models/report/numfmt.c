/*
 * numfmt — fixed-format numbers for the report (see numfmt.h). Formatting is
 * done with "%.*f" in the C locale caseflow always runs in, then separators
 * are inserted, so the result does not depend on the machine's locale.
 */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/runinfo.h"

static const char dash[] = "\xe2\x80\x93"; /* U+2013 EN DASH */

const char *numfmt_number(char *buf, size_t size, double v, int places)
{
    if (!isfinite(v) || fabs(v) >= 1e15) {
        snprintf(buf, size, "%s", dash);
        return buf;
    }
    char raw[NUMFMT_MAX];
    snprintf(raw, sizeof raw, "%.*f", places, v);
    if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
        memmove(raw, raw + 1, strlen(raw)); /* "-0.0" is "0.0" */
    const char *digits = raw + (raw[0] == '-');
    size_t int_len = strcspn(digits, ".");
    char out[NUMFMT_MAX];
    size_t o = 0;
    if (raw[0] == '-')
        out[o++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, sizeof out - o, "%s", digits + int_len);
    snprintf(buf, size, "%s", out);
    return buf;
}

const char *numfmt_percent(char *buf, size_t size, double share)
{
    char n[NUMFMT_MAX];
    if (!isfinite(share))
        snprintf(buf, size, "%s", dash);
    else
        snprintf(buf, size, "%s%%", numfmt_number(n, sizeof n, 100.0 * share, 1));
    return buf;
}

const char *numfmt_money(char *buf, size_t size, double pounds)
{
    char n[NUMFMT_MAX];
    if (!isfinite(pounds))
        snprintf(buf, size, "%s", dash);
    else if (pounds < 0)
        snprintf(buf, size, "-\xc2\xa3%s", numfmt_number(n, sizeof n, -pounds, 0));
    else
        snprintf(buf, size, "\xc2\xa3%s", numfmt_number(n, sizeof n, pounds, 0));
    return buf;
}

const char *numfmt_date(char *buf, size_t size, long d, i18n_lang lang)
{
    int y, m, day;
    runinfo_civil(d, &y, &m, &day);
    snprintf(buf, size, "%d %s %d", day, i18n_get(lang, (i18n_key)(I18N_MONTH_1 + m - 1)), y);
    return buf;
}
