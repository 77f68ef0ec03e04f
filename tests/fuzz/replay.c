/*
 * replay — runs the fuzz harness on files named on the command line, without
 * libFuzzer, so regression inputs are checked by every `make check` (and
 * under the sanitizers by `make asan`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (fp == NULL) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        static uint8_t buf[1 << 17];
        size_t len = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        LLVMFuzzerTestOneInput(buf, len);
        n++;
    }
    printf("replay: %d inputs, no crash\n", n);
    return 0;
}
