/* test_heap — the future-event set: (time, sequence) order, FIFO ties, churn
 * against a reference, growth failure leaving the heap intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "err.h"
#include "heap.h"
#include "mem.h"

static heap_event ev(double t, uint64_t seq, unsigned kind)
{
    return (heap_event){.time = t, .seq_kind = (seq << HEAP_KIND_BITS) | kind};
}

static void test_empty(void **state)
{
    (void)state;
    heap h;
    heap_event out;
    heap_init(&h);
    assert_null(heap_peek(&h));
    assert_int_equal(heap_pop(&h, &out), -1);
    heap_fini(&h);
}

static void test_ties_fire_in_scheduling_order(void **state)
{
    (void)state;
    heap h;
    heap_init(&h);
    /* Same time, scheduled in order 0..99 but pushed shuffled. */
    uint64_t order[100];
    for (uint64_t i = 0; i < 100; i++)
        order[i] = (i * 37) % 100;
    for (int i = 0; i < 100; i++) {
        heap_event e = ev(5.0, order[i], 3);
        assert_int_equal(heap_push(&h, &e), 0);
    }
    heap_event early = ev(1.0, 1000, 2);
    assert_int_equal(heap_push(&h, &early), 0);
    heap_event out;
    assert_int_equal(heap_pop(&h, &out), 0);
    assert_true(out.time == 1.0);
    assert_int_equal(heap_event_kind(&out), 2);
    for (uint64_t i = 0; i < 100; i++) {
        assert_int_equal(heap_pop(&h, &out), 0);
        assert_true(out.time == 5.0);
        assert_int_equal(out.seq_kind >> HEAP_KIND_BITS, i);
        assert_int_equal(heap_event_kind(&out), 3);
    }
    assert_int_equal(h.size, 0);
    heap_fini(&h);
}

/* 10^5 random pushes and pops interleaved: every pop is the minimum of what a
 * brute-force reference holds, and sequence numbers break ties. */
static void test_churn_matches_reference(void **state)
{
    (void)state;
    enum { OPS = 100000, CAP = OPS };
    heap h;
    heap_init(&h);
    heap_event *ref = malloc(CAP * sizeof *ref);
    size_t nref = 0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    uint64_t seq = 0;
    double now = 0.0;
    for (int op = 0; op < OPS; op++) {
        if (nref == 0 || gsl_rng_uniform(r) < 0.55) {
            /* Coarse times make ties common. */
            heap_event e = ev(now + (double)gsl_rng_uniform_int(r, 50), seq++, 0);
            assert_int_equal(heap_push(&h, &e), 0);
            ref[nref++] = e;
        } else {
            size_t best = 0;
            for (size_t i = 1; i < nref; i++)
                if (ref[i].time < ref[best].time ||
                    (ref[i].time == ref[best].time && ref[i].seq_kind < ref[best].seq_kind))
                    best = i;
            heap_event out;
            assert_int_equal(heap_pop(&h, &out), 0);
            assert_true(out.time == ref[best].time);
            assert_true(out.seq_kind == ref[best].seq_kind);
            now = out.time;
            ref[best] = ref[--nref];
        }
        assert_int_equal(h.size, nref);
    }
    gsl_rng_free(r);
    free(ref);
    heap_fini(&h);
}

static int fail_after;
static void *failing_alloc(void *ud, size_t n)
{
    (void)ud;
    return fail_after-- > 0 ? malloc(n) : NULL;
}
static void *failing_resize(void *ud, void *p, size_t n)
{
    (void)ud;
    return fail_after-- > 0 ? realloc(p, n) : NULL;
}
static void plain_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_growth_failure_keeps_heap(void **state)
{
    (void)state;
    mem_hooks hooks = {failing_alloc, failing_resize, plain_free, NULL};
    heap h;
    heap_init(&h);
    fail_after = 1; /* the first growth succeeds, the second fails */
    mem_set_hooks(&hooks);
    size_t pushed = 0;
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < 100000; i++) {
        heap_event e = ev((double)(i % 7), i, 1);
        rc = heap_push(&h, &e);
        if (rc == 0)
            pushed++;
    }
    mem_set_hooks(NULL);
    assert_int_equal(rc, ERR_NOMEM);
    assert_int_equal(h.size, pushed);
    double last = -1.0;
    heap_event out;
    while (heap_pop(&h, &out) == 0) {
        assert_true(out.time >= last);
        last = out.time;
        pushed--;
    }
    assert_int_equal(pushed, 0);
    heap_fini(&h);
}

static void test_reset_keeps_memory(void **state)
{
    (void)state;
    heap h;
    heap_init(&h);
    for (uint64_t i = 0; i < 1000; i++) {
        heap_event e = ev((double)i, i, 0);
        assert_int_equal(heap_push(&h, &e), 0);
    }
    size_t cap = h.cap;
    heap_reset(&h);
    assert_int_equal(h.size, 0);
    assert_int_equal(h.cap, cap);
    assert_null(heap_peek(&h));
    heap_fini(&h);
    assert_null(h.items);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_ties_fire_in_scheduling_order),
        cmocka_unit_test(test_churn_matches_reference),
        cmocka_unit_test(test_growth_failure_keeps_heap),
        cmocka_unit_test(test_reset_keeps_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
