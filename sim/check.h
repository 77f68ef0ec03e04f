/*
 * check — always-on assertions for states that can only arise from a bug
 * (an event scheduled in the past, a negative queue length). Bad *input* is
 * never asserted: it is reported through err_info. CHECK stays on in release
 * builds because a silently wrong simulation is worse than a stopped one;
 * check_fail is the one function to break on in a debugger.
 */
#ifndef CASEFLOW_CHECK_H
#define CASEFLOW_CHECK_H

_Noreturn void check_fail(const char *file, int line, const char *expr);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (__builtin_expect(!(cond), 0))                                                          \
            check_fail(__FILE__, __LINE__, #cond);                                                 \
    } while (0)

#endif
