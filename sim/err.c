/*
 * err — formatting of user-facing error messages. Kept tiny on purpose: every
 * module depends on it, so it depends on nothing but libc.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(err_info *e)
{
    if (e == NULL)
        return;
    e->code = ERR_OK;
    e->text[0] = '\0';
}

int err_set(err_info *e, int code, const char *file, int line, const char *fmt, ...)
{
    if (e == NULL)
        return code;
    size_t used = 0;
    int n = 0;
    if (file != NULL && line > 0)
        n = snprintf(e->text, sizeof e->text, "%s:%d: ", file, line);
    else if (file != NULL)
        n = snprintf(e->text, sizeof e->text, "%s: ", file);
    if (n > 0)
        used = (size_t)n < sizeof e->text ? (size_t)n : sizeof e->text - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text + used, sizeof e->text - used, fmt, ap);
    va_end(ap);
    e->code = code;
    return code;
}

const char *err_code_name(int code)
{
    switch (code) {
    case ERR_OK:
        return "success";
    case ERR_INPUT:
        return "input error";
    case ERR_NOMEM:
        return "out of memory";
    case ERR_IO:
        return "input/output error";
    case ERR_LIMIT:
        return "limit reached";
    case ERR_INTERRUPT:
        return "interrupted";
    default:
        return "unknown error";
    }
}
