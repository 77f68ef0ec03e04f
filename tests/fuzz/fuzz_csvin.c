/*
 * fuzz_csvin — libFuzzer harness for the report's CSV reader (csvin): any
 * bytes must give either a table whose every accessor is safe and whose shape
 * keeps the reader's promises, or an error message — never a crash, hang,
 * leak or undefined behaviour. `make fuzz` seeds it with the CSVs a short run
 * writes (summary.csv, timeseries.csv, annual.csv) and tests/fuzz/corpus-csv/;
 * crashing inputs are kept in tests/fuzz/regressions-csv/ and replayed by
 * `make unit`.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/csvin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise is a bug, not bad input: stop where a debugger can see it. */
#define PROMISE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

/* Every accessor on every cell, and the invariants csvin.h states. */
static void walk(const csvin *t)
{
    size_t rows = csvin_rows(t), cols = csvin_cols(t);
    PROMISE(cols >= 1);
    for (size_t c = 0; c < cols; c++) {
        const char *h = csvin_header(t, c);
        PROMISE(h[0] != '\0' && strchr(h, ',') == NULL);
        PROMISE(csvin_col(t, h) == (long)c); /* names are unique */
    }
    int prev = 1;
    for (size_t r = 0; r < rows; r++) {
        PROMISE(csvin_line(t, r) > prev);
        prev = csvin_line(t, r);
        for (size_t c = 0; c < cols; c++) {
            const char *s = csvin_cell(t, r, c);
            PROMISE(s != NULL && strchr(s, ',') == NULL && strchr(s, '\n') == NULL);
            double v;
            err_info e;
            if (csvin_number(t, r, c, &v, &e) == 0)
                PROMISE(isnan(v) || isfinite(v));
            else
                PROMISE(e.text[0] != '\0');
            /* csvin_find is O(rows): the key column's first rows only, to stay fast. */
            if (c == 0 && r < 64)
                PROMISE(csvin_find(t, c, s) >= 0 && csvin_find(t, c, s) <= (long)r);
        }
    }
    PROMISE(csvin_col(t, "no,such,column") == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csvin *t = NULL;
    err_info e;
    err_clear(&e);
    if (csvin_parse(&t, "fuzz.csv", (const char *)data, size, &e) == 0) {
        PROMISE(t != NULL);
        walk(t);
    } else {
        PROMISE(t == NULL && e.text[0] != '\0');
    }
    csvin_destroy(t);
    return 0;
}
