/*
 * err — error codes and the message a failing call leaves for the user.
 *
 * Every fallible function in sim/ and models/ returns an int: 0 on success, one
 * of the negative ERR_* codes otherwise, and (when the caller passed one) writes
 * a single-line human message into an err_info. Messages about scenario input
 * follow the form "FILE:LINE: what is wrong; expected what" so an analyst can
 * jump straight to the offending setting.
 *
 * Nothing here prints or exits: only the command-line layer does that.
 * Thread-safety: an err_info belongs to one thread at a time.
 */
#ifndef CASEFLOW_ERR_H
#define CASEFLOW_ERR_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_INPUT = -1,    /* the scenario or a command-line value is wrong */
    ERR_NOMEM = -2,    /* an allocation failed */
    ERR_IO = -3,       /* a file could not be read or written */
    ERR_LIMIT = -4,    /* a configured safety limit was reached */
    ERR_INTERRUPT = -5 /* the run was asked to stop (signal) */
};

#define ERR_TEXT_MAX 1024

typedef struct err_info {
    int code;                /* the ERR_* code of the last error set, ERR_OK if none */
    char text[ERR_TEXT_MAX]; /* NUL-terminated message, empty if none */
} err_info;

/* Clears e (e may be NULL). */
void err_clear(err_info *e);

/*
 * Sets e to code and a printf-style message, prefixed "FILE:LINE: " when file
 * is non-NULL and line > 0, "FILE: " when only file is given. Returns code so
 * callers can write `return err_set(e, ERR_INPUT, ...)`. e may be NULL: the
 * code is still returned. Messages longer than ERR_TEXT_MAX are truncated.
 */
int err_set(err_info *e, int code, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A short English name for code ("input error", "out of memory", ...). */
const char *err_code_name(int code);

#endif
