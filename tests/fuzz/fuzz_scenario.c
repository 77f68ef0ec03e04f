/*
 * fuzz_scenario — libFuzzer harness for the scenario loaders (network and
 * pathway, chosen as caseflow chooses, by `stages`): any bytes must
 * give either a loaded scenario or an error message, never a crash, hang,
 * leak or undefined behaviour. `make fuzz` runs it for FUZZ_SECONDS with the
 * scenario files in scenarios/ as the seed corpus; crashing inputs found are
 * kept in tests/fuzz/regressions/ and replayed by `make check`.
 */
#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pathway/pathway.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) {
        gsl_set_error_handler_off();
        once = 1;
    }
    /* @include would let the fuzzer read arbitrary files; scenarios from
     * memory have no include folder, and the loader is what is under test. */
    if (size > 1 << 16)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* libconfig stops at the first NUL, so searching the copy is exact. */
    if (strstr(text, "@include") != NULL) {
        free(text);
        return 0;
    }
    scenario sc;
    err_info e;
    uint32_t reps = 1;
    if (scenario_open_string(&sc, text, "fuzz.cfg", &e) == 0) {
        if (pw_is_pathway(&sc)) {
            /* A calendar file named by the input is read from the working
             * directory: harmless, and the loader's error path is exercised. */
            pw_model *m = NULL;
            if (pw_load(&m, &sc, &e) == 0 && scenario_override(&sc, &reps, NULL, &e) == 0)
                pw_check_limits(m, &e);
            pw_destroy(m);
        } else if (scenario_load_network(&sc, &e) == 0) {
            scenario_override(&sc, &reps, NULL, &e);
        }
    }
    scenario_free(&sc);
    free(text);
    return 0;
}
