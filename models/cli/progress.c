/*
 * progress — the replications progress bar (see progress.h). The estimate of
 * time left assumes the remaining replications take as long on average as the
 * finished ones, which holds because every replication simulates the same
 * horizon.
 */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_CELLS 20

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* "0.8 s", "12.3 s", "4 min 05 s", "2 h 07 min". */
static void duration(char *buf, size_t size, double s)
{
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(buf, size, "%.1f s", s);
    else if (s < 3600)
        snprintf(buf, size, "%d min %02d s", (int)(s / 60), (int)s % 60);
    else
        snprintf(buf, size, "%d h %02d min", (int)(s / 3600), (int)(s / 60) % 60);
}

size_t cli_progress_format(char *buf, size_t size, uint64_t done, uint64_t total, uint64_t whole,
                           unsigned ranks, double elapsed)
{
    char bar[BAR_CELLS + 1], took[32], left[32], share[80] = "";
    size_t filled = total > 0 ? (size_t)(done * BAR_CELLS / total) : 0;
    for (size_t i = 0; i < BAR_CELLS; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[BAR_CELLS] = '\0';
    duration(took, sizeof took, elapsed);
    if (ranks > 1)
        snprintf(share, sizeof share, " of rank 0's share (%llu on %u ranks)",
                 (unsigned long long)whole, ranks);
    int n;
    if (done == 0 || done >= total) {
        n = snprintf(buf, size, "[%s] %llu/%llu replications%s, %s elapsed", bar,
                     (unsigned long long)done, (unsigned long long)total, share, took);
    } else {
        duration(left, sizeof left, elapsed / done * (double)(total - done));
        n = snprintf(buf, size, "[%s] %llu/%llu replications%s, %s elapsed, about %s left", bar,
                     (unsigned long long)done, (unsigned long long)total, share, took, left);
    }
    if (n < 0)
        return 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}

void cli_progress_start(cli_progress *p, FILE *fp)
{
    const char *force = getenv("CASEFLOW_PROGRESS");
    memset(p, 0, sizeof *p);
    p->fp = fp;
    if (fp == NULL || (force != NULL && strcmp(force, "0") == 0))
        p->enabled = false;
    else
        p->enabled = (force != NULL && strcmp(force, "1") == 0) || isatty(fileno(fp));
    p->t0 = now_seconds();
}

void cli_progress_share(cli_progress *p, uint64_t whole, unsigned ranks)
{
    p->whole = whole;
    p->ranks = ranks;
}

void cli_progress_at(cli_progress *p, uint64_t done, uint64_t total, double now)
{
    double elapsed = now - p->t0;
    if (!p->enabled || elapsed <= CLI_PROGRESS_DELAY)
        return;
    if (p->shown && now - p->drawn < CLI_PROGRESS_REDRAW && done < total)
        return;
    char line[200];
    size_t n = cli_progress_format(line, sizeof line, done, total, p->whole, p->ranks, elapsed);
    /* pad over a longer previous line */
    fprintf(p->fp, "\r%s%*s", line, p->width > n ? (int)(p->width - n) : 0, "");
    fflush(p->fp);
    p->width = n;
    p->shown = true;
    p->drawn = now;
}

void cli_progress_update(void *ud, uint32_t done, uint32_t total)
{
    cli_progress_at(ud, done, total, now_seconds());
}

void cli_progress_count(cli_progress *p, uint64_t done, uint64_t total)
{
    cli_progress_at(p, done, total, now_seconds());
}

void cli_progress_finish(cli_progress *p)
{
    if (!p->shown)
        return;
    fprintf(p->fp, "\r%*s\r", (int)p->width, "");
    fflush(p->fp);
    p->shown = false;
}
