/* test_outfile — files appear whole on commit, never on discard; errors name
 * the path; mkdirs makes nested folders and refuses a file in the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "outfile.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/caseflow-outfile-XXXXXX");
    return mkdtemp(root) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_entries(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p != NULL && fscanf(p, "%d", &n) != 1)
        n = -1;
    if (p != NULL)
        pclose(p);
    return n;
}

static void test_commit_replaces_whole(void **state)
{
    (void)state;
    outfile o;
    err_info e;
    char path[256], buf[64];
    snprintf(path, sizeof path, "%s/a.csv", root);
    assert_int_equal(outfile_open(&o, root, "a.csv", &e), 0);
    fputs("first\n", o.fp);
    assert_int_equal(access(path, F_OK), -1); /* not visible before commit */
    assert_int_equal(outfile_commit(&o, &e), 0);
    assert_int_equal(outfile_open(&o, root, "a.csv", &e), 0);
    fputs("second\n", o.fp);
    outfile_discard(&o); /* an interrupted run: the old file stays */
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    assert_string_equal(buf, "first\n");
    assert_int_equal(count_entries(root), 1); /* no temporary left behind */
}

static void test_unwritable_folder_names_path(void **state)
{
    (void)state;
    outfile o;
    err_info e;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/missing/deeper", root);
    assert_int_equal(outfile_open(&o, dir, "x.csv", &e), ERR_IO);
    assert_non_null(strstr(e.text, "missing/deeper/x.csv"));
    assert_null(o.fp);
    outfile_discard(&o); /* safe on a failed open */
}

static void test_mkdirs(void **state)
{
    (void)state;
    err_info e;
    char dir[256], file[256];
    snprintf(dir, sizeof dir, "%s/a/b/c/", root);
    assert_int_equal(outfile_mkdirs(dir, &e), 0);
    assert_int_equal(outfile_mkdirs(dir, &e), 0); /* existing is fine */
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    snprintf(file, sizeof file, "%s/plain", root);
    FILE *fp = fopen(file, "w");
    fclose(fp);
    snprintf(dir, sizeof dir, "%s/plain/sub", root);
    assert_int_equal(outfile_mkdirs(dir, &e), ERR_IO);
    assert_non_null(strstr(e.text, "plain"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_replaces_whole),
        cmocka_unit_test(test_unwritable_folder_names_path),
        cmocka_unit_test(test_mkdirs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
