/*
 * fuzz_args — libFuzzer harness for the command-line flags (models/cli/args.c).
 * The input's first byte picks the parser (`run`'s, `check`'s, or
 * `compare`'s, which takes several files); the rest is split into argv words
 * at NUL and newline bytes. Parsing only reads the words — opening files and
 * running happen later, in the commands — so this harness touches neither.
 * Any words must give either parsed arguments that keep args.c's promises or
 * a message, never a crash or undefined behaviour. Crashing inputs are kept
 * in tests/fuzz/regressions-args/ and replayed by `make unit`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PROMISE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

#define MAX_WORDS 64
#define MAX_FILES 4

/* Parsed strings must point into the words (a whole word, or the value
 * after '=' in "--out=DIR"), never into memory the parser made up. */
static int in_words(const char *p, const char *text, size_t size)
{
    return p >= text && p < text + size;
}

static void check_parsed(const cli_args *a, const char *text, size_t size)
{
    PROMISE(a->help || a->scenario != NULL);
    if (a->scenario != NULL)
        PROMISE(in_words(a->scenario, text, size));
    if (a->out != NULL)
        PROMISE(a->out[0] != '\0' && in_words(a->out, text, size));
    if (a->has_replications)
        PROMISE(a->replications >= 1);
    PROMISE(a->jobs <= 4096);
    PROMISE(a->suppress_below <= 1000000);
    if (a->scenario != NULL) {
        char out[64];
        cli_default_out(a->scenario, out, sizeof out);
        PROMISE(strncmp(out, "output/", 7) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    int mode = data[0] % 3;
    /* The words, NUL-terminated in one copy, as the kernel hands argv over. */
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *words[MAX_WORDS + 1];
    int n = 0;
    for (char *s = text; s < text + size - 1 && n < MAX_WORDS;) {
        words[n++] = s;
        size_t len = strcspn(s, "\n");
        s[len] = '\0';
        s += len + 1;
    }
    words[n] = NULL;
    for (int i = 0; i < n; i++) {
        uint64_t v;
        if (cli_parse_u64(words[i], 1, 100, &v) == 0)
            PROMISE(v >= 1 && v <= 100);
    }
    cli_args a;
    err_info e;
    err_clear(&e);
    int rc;
    if (mode == 2) {
        const char *files[MAX_FILES];
        size_t n_files = 0;
        rc = cli_parse_files(n, words, &a, files, MAX_FILES, &n_files, &e);
        if (rc == 0) {
            PROMISE(n_files <= MAX_FILES);
            PROMISE(n_files == 0 || a.scenario == files[0]);
        }
    } else {
        rc = cli_parse_args(n, words, mode == 0, &a, &e);
        if (rc == 0 && mode == 1)
            PROMISE(a.out == NULL && !a.has_replications && !a.has_seed && a.jobs == 0);
    }
    if (rc == 0)
        check_parsed(&a, text, size);
    else
        PROMISE(rc == ERR_INPUT && e.text[0] != '\0');
    free(text);
    return 0;
}
