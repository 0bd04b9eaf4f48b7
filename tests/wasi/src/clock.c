/* Clocks. Needs the `clock` capability.
 * Run: porta run clock.wasm --allow clock -- CASE */
#include "common.h"
#include <sys/time.h>
#include <time.h>

static long long ns_of(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

CASE(monotonic) {
    struct timespec a, b;
    OK(clock_gettime(CLOCK_MONOTONIC, &a));
    long long prev = ns_of(a);
    for (int i = 0; i < 1000; i++) {
        OK(clock_gettime(CLOCK_MONOTONIC, &b));
        CHECK(ns_of(b) >= prev, "monotonic clock went back: %lld then %lld", prev, ns_of(b));
        prev = ns_of(b);
    }
    /* It does advance. */
    long i = 0;
    do {
        OK(clock_gettime(CLOCK_MONOTONIC, &b));
    } while (ns_of(b) == ns_of(a) && ++i < 5000000);
    CHECK(ns_of(b) > ns_of(a), "monotonic clock did not advance in %ld reads", i);
    __wasi_timestamp_t t1, t2;
    WASI_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
    WASI_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1000000000ULL, &t2));
    CHECK(t2 >= t1, "raw monotonic went back");
    return 0;
}

CASE(realtime) {
    struct timespec ts;
    OK(clock_gettime(CLOCK_REALTIME, &ts));
    /* 2020-01-01 .. 2100-01-01 */
    CHECK(ts.tv_sec > 1577836800LL && ts.tv_sec < 4102444800LL, "realtime %lld is not a plausible date",
          (long long)ts.tv_sec);
    CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L, "tv_nsec %ld", ts.tv_nsec);
    struct timeval tv;
    OK(gettimeofday(&tv, NULL));
    CHECK(tv.tv_sec - ts.tv_sec <= 2 && tv.tv_sec - ts.tv_sec >= 0, "gettimeofday %lld vs %lld",
          (long long)tv.tv_sec, (long long)ts.tv_sec);
    time_t t = time(NULL);
    CHECK(t - ts.tv_sec <= 2 && t - ts.tv_sec >= 0, "time() %lld vs %lld", (long long)t, (long long)ts.tv_sec);
    __wasi_timestamp_t raw;
    WASI_OK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &raw));
    CHECK(raw / 1000000000ULL - (unsigned long long)ts.tv_sec <= 2, "raw realtime %llu", (unsigned long long)raw);
    return 0;
}

CASE(resolution) {
    clockid_t ids[2] = {CLOCK_REALTIME, CLOCK_MONOTONIC};
    for (int i = 0; i < 2; i++) {
        struct timespec r;
        OK(clock_getres(ids[i], &r));
        long long ns = ns_of(r);
        CHECK(ns > 0 && ns <= 1000000000LL, "clock %d resolution %lld ns", i, ns);
    }
    __wasi_timestamp_t res;
    WASI_OK(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res));
    CHECK(res > 0 && res <= 1000000000ULL, "raw monotonic resolution %llu", (unsigned long long)res);
    WASI_OK(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res));
    CHECK(res > 0 && res <= 1000000000ULL, "raw realtime resolution %llu", (unsigned long long)res);
    return 0;
}

/* CPU-time clocks are optional: a value or a clean error, never a trap. */
CASE(cputime) {
    __wasi_timestamp_t t;
    int e = __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t);
    CHECK(e == 0 || e == __WASI_ERRNO_INVAL || e == __WASI_ERRNO_NOTSUP || e == __WASI_ERRNO_NOSYS ||
          e == __WASI_ERRNO_BADF, "process cputime: %s", ename(e));
    e = __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t);
    CHECK(e == 0 || e == __WASI_ERRNO_INVAL || e == __WASI_ERRNO_NOTSUP || e == __WASI_ERRNO_NOSYS ||
          e == __WASI_ERRNO_BADF, "thread cputime: %s", ename(e));
    return 0;
}

#define CASES(X) X(monotonic) X(realtime) X(resolution) X(cputime)
TEST_MAIN(CASES)
