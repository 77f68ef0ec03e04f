/* test_heap — the future-event set: (time, sequence) order, FIFO ties, churn
 * against a reference (push, pop, replace_top, drop_top), -0 as 0, reuse
 * after reset, growth failure leaving the heap intact, reserved room and the
 * sentinel top of an empty heap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
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

/* The index of the earliest of ref[0..n). */
static size_t ref_min(const heap_event *ref, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (ref[i].time < ref[best].time ||
            (ref[i].time == ref[best].time && ref[i].seq_kind < ref[best].seq_kind))
            best = i;
    return best;
}

/* Every operation mixed, on heaps that grow to a few hundred events and
 * shrink to none (so every partial last group of children occurs), with
 * coarse times (many ties); each removal must be the reference's minimum.
 * Run twice on one heap with a reset in between, the second run later than
 * the first: reset must leave no stale early event past the end. */
static void test_churn_all_operations(void **state)
{
    (void)state;
    enum { OPS = 200000, CAP = OPS };
    heap h;
    heap_init(&h);
    heap_event *ref = malloc(CAP * sizeof *ref);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    for (int round = 0; round < 2; round++) {
        size_t nref = 0;
        uint64_t seq = 0;
        double now = round * 1e9;
        for (int op = 0; op < OPS; op++) {
            /* Drift between growing and shrinking every 5,000 operations. */
            double p_push = (op / 5000) % 2 ? 0.4 : 0.6;
            double u = gsl_rng_uniform(r);
            heap_event e = ev(now + (double)gsl_rng_uniform_int(r, 20), seq++, 1);
            if (nref == 0 || u < p_push) {
                assert_int_equal(heap_push(&h, &e), 0);
                ref[nref++] = e;
                continue;
            }
            size_t best = ref_min(ref, nref);
            const heap_event *top = heap_peek(&h);
            assert_non_null(top);
            assert_true(top->time == ref[best].time && top->seq_kind == ref[best].seq_kind);
            now = top->time;
            uint64_t top_seq = top->seq_kind;
            if (u < p_push + 0.2) {
                heap_replace_top(&h, &e);
                ref[best] = e;
            } else if (u < p_push + 0.3) {
                heap_drop_top(&h);
                ref[best] = ref[--nref];
            } else {
                heap_event out;
                assert_int_equal(heap_pop(&h, &out), 0);
                assert_true(out.time == now && out.seq_kind == top_seq);
                ref[best] = ref[--nref];
            }
            assert_int_equal(h.size, nref);
        }
        heap_reset(&h);
        assert_null(heap_peek(&h));
    }
    gsl_rng_free(r);
    free(ref);
    heap_fini(&h);
}

/* -0 and +0 are the same time: the tie goes to the sequence, and -0 comes
 * out as +0 (the heap compares time bit patterns, where -0 would sort first). */
static void test_negative_zero_is_zero(void **state)
{
    (void)state;
    heap h;
    heap_init(&h);
    heap_event a = ev(0.0, 1, 0), b = ev(-0.0, 2, 0), c = ev(0.0, 3, 0), out;
    assert_int_equal(heap_push(&h, &a), 0);
    assert_int_equal(heap_push(&h, &b), 0);
    heap_replace_top(&h, &c); /* a out, c in */
    assert_int_equal(heap_pop(&h, &out), 0);
    assert_int_equal(out.seq_kind >> HEAP_KIND_BITS, 2);
    assert_false(signbit(out.time));
    assert_int_equal(heap_pop(&h, &out), 0);
    assert_int_equal(out.seq_kind >> HEAP_KIND_BITS, 3);
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

/* What sim's event loop relies on to take the earlier of two heaps' tops
 * without testing either for emptiness: after heap_reserve an empty heap's
 * top is a sentinel every event fires before (and not after), and the
 * reserved events fit without growing. */
static void test_reserve_and_sentinel_top(void **state)
{
    (void)state;
    heap a, b;
    heap_init(&a);
    heap_init(&b);
    assert_int_equal(heap_reserve(&a, 3), 0);
    assert_int_equal(heap_reserve(&b, 0), 0);
    assert_false(heap_event_before(heap_top(&a), heap_top(&b))); /* both empty */
    heap_event late = ev(1e300, (UINT64_C(1) << 47), 3);
    assert_true(heap_event_before(&late, heap_top(&a)));
    assert_false(heap_event_before(heap_top(&a), &late));
    const heap_event *items = a.items;
    for (uint64_t i = 0; i < 3; i++) {
        heap_event e = ev(3.0 - (double)i, i, 1);
        assert_int_equal(heap_push(&a, &e), 0);
    }
    assert_ptr_equal(a.items, items); /* no growth */
    assert_true(heap_event_before(heap_top(&a), heap_top(&b)));
    assert_true(heap_top(&a)->time == 1.0);
    /* A tie in time goes to the earlier sequence, whichever heap holds it. */
    heap_event tie = ev(1.0, 0, 2);
    assert_int_equal(heap_push(&b, &tie), 0);
    assert_true(heap_event_before(heap_top(&b), heap_top(&a)));
    assert_false(heap_event_before(heap_top(&a), heap_top(&b)));
    heap_drop_top(&b);
    for (int i = 0; i < 3; i++)
        heap_drop_top(&a);
    assert_false(heap_event_before(heap_top(&a), heap_top(&b)));
    assert_false(heap_event_before(heap_top(&b), heap_top(&a)));
    heap_fini(&a);
    heap_fini(&b);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_ties_fire_in_scheduling_order),
        cmocka_unit_test(test_churn_matches_reference),
        cmocka_unit_test(test_churn_all_operations),
        cmocka_unit_test(test_negative_zero_is_zero),
        cmocka_unit_test(test_growth_failure_keeps_heap),
        cmocka_unit_test(test_reset_keeps_memory),
        cmocka_unit_test(test_reserve_and_sentinel_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
