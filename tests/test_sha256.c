/* test_sha256 — FIPS 180-4 known answers, including multi-block input and
 * input split across updates, and the file helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/sha256.h"

static void hash_of(const char *s, size_t n, size_t chunk, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    for (size_t i = 0; i < n; i += chunk)
        sha256_update(&c, s + i, n - i < chunk ? n - i : chunk);
    sha256_final_hex(&c, hex);
}

static void test_known_answers(void **state)
{
    (void)state;
    char hex[65];
    hash_of("", 0, 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_of("abc", 3, 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t chunk = 1; chunk <= 64; chunk *= 4) {
        hash_of(two, strlen(two), chunk, hex);
        assert_string_equal(hex,
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

static void test_million_a(void **state)
{
    (void)state;
    static char a[1000000];
    memset(a, 'a', sizeof a);
    char hex[65];
    hash_of(a, sizeof a, 4096, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/caseflow-sha-XXXXXX", hex[65];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("abc", fp);
    fclose(fp);
    assert_int_equal(sha256_file(path, hex), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    remove(path);
    assert_int_equal(sha256_file("/nonexistent/caseflow", hex), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
