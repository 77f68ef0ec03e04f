/*
 * gnuplot — fork, chdir, exec, wait. The child does only async-signal-safe
 * things between fork and exec (chdir, execv, _exit), and reports a failure to
 * start through its exit status: 126 could not enter the folder, 127 could
 * not execute the program (the shell's conventions).
 */
#include "gnuplot.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { EXIT_NO_CHDIR = 126, EXIT_NO_EXEC = 127 };

static int describe(int status, const char *program, const char *cwd, err_info *e)
{
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == 0)
            return 0;
        if (code == EXIT_NO_CHDIR)
            return err_set(e, ERR_IO, cwd, 0, "cannot enter this folder to run gnuplot");
        if (code == EXIT_NO_EXEC)
            return err_set(e, ERR_IO, program, 0, "could not be run; expected gnuplot");
        return err_set(e, ERR_IO, NULL, 0,
                       "gnuplot failed (exit status %d) drawing the charts; its message is above",
                       code);
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        return err_set(e, sig == SIGINT || sig == SIGTERM ? ERR_INTERRUPT : ERR_IO, NULL, 0,
                       "gnuplot was stopped by signal %d while drawing the charts", sig);
    }
    return err_set(e, ERR_IO, NULL, 0, "gnuplot ended unexpectedly (status %d)", status);
}

int gnuplot_run(const char *program, const char *cwd, const char *script, err_info *e)
{
    char *const argv[] = {(char *)"gnuplot", (char *)script, NULL};
    pid_t pid = fork();
    if (pid < 0)
        return err_set(e, ERR_IO, NULL, 0, "cannot start gnuplot: %s", strerror(errno));
    if (pid == 0) {
        if (chdir(cwd) != 0)
            _exit(EXIT_NO_CHDIR);
        execv(program, argv);
        _exit(EXIT_NO_EXEC);
    }
    int status = 0;
    pid_t got;
    do {
        got = waitpid(pid, &status, 0);
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        return err_set(e, ERR_IO, NULL, 0, "lost track of gnuplot: %s", strerror(errno));
    return describe(status, program, cwd, e);
}
