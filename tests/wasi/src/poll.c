/* poll_oneoff: clock and fd subscriptions. See README.md for the stdin and
 * capabilities each case needs. */
#include "common.h"
#include <sched.h>
#include <time.h>

static long long now_ns(void) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) return -1;
    return (long long)t;
}

static __wasi_subscription_t clock_sub(uint64_t ud, __wasi_clockid_t id, uint64_t timeout, int abs) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ) s.u.u.fd_read.file_descriptor = fd;
    else s.u.u.fd_write.file_descriptor = fd;
    return s;
}

#define MS 1000000LL

/* nanosleep(100 ms) sleeps at least that long and not much longer. */
CASE(sleep) {
    long long t0 = now_ns();
    CHECK(t0 >= 0, "clock_time_get failed (needs --allow clock)");
    struct timespec req = {0, 100 * MS}, rem;
    OK(nanosleep(&req, &rem));
    long long dt = now_ns() - t0;
    CHECK(dt >= 100 * MS && dt < 5000 * MS, "nanosleep(100ms) took %lld ms", dt / MS);
    t0 = now_ns();
    CHECK(usleep(30000) == 0, "usleep: %s", ename(errno));
    dt = now_ns() - t0;
    CHECK(dt >= 30 * MS && dt < 5000 * MS, "usleep(30ms) took %lld ms", dt / MS);
    return 0;
}

CASE(clock_relative) {
    __wasi_subscription_t s = clock_sub(0x1234, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
    __wasi_event_t ev[2];
    memset(ev, 0xff, sizeof ev);
    __wasi_size_t n = 0;
    long long t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(&s, ev, 1, &n));
    long long dt = now_ns() - t0;
    CHECK(n == 1, "%u events", (unsigned)n);
    CHECK(ev[0].userdata == 0x1234 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0,
          "event userdata 0x%llx type %d error %d", (unsigned long long)ev[0].userdata, ev[0].type, ev[0].error);
    CHECK(dt >= 50 * MS && dt < 5000 * MS, "a 50 ms clock subscription took %lld ms", dt / MS);
    /* realtime clock works too */
    s = clock_sub(7, __WASI_CLOCKID_REALTIME, 20 * MS, 0);
    t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(&s, ev, 1, &n));
    dt = now_ns() - t0;
    CHECK(n == 1 && ev[0].userdata == 7 && ev[0].error == 0, "realtime subscription");
    CHECK(dt >= 15 * MS && dt < 5000 * MS, "a 20 ms realtime subscription took %lld ms", dt / MS);
    return 0;
}

CASE(clock_absolute) {
    long long t0 = now_ns();
    __wasi_subscription_t s = clock_sub(1, __WASI_CLOCKID_MONOTONIC, (uint64_t)(t0 + 60 * MS), 1);
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    WASI_OK(__wasi_poll_oneoff(&s, &ev, 1, &n));
    long long t1 = now_ns();
    CHECK(n == 1 && ev.userdata == 1 && ev.error == 0, "absolute subscription event");
    CHECK(t1 >= t0 + 60 * MS && t1 - t0 < 5000 * MS, "absolute deadline +60 ms woke after %lld ms", (t1 - t0) / MS);
    /* A deadline in the past fires at once. */
    s = clock_sub(2, __WASI_CLOCKID_MONOTONIC, (uint64_t)(t0 > 1000 ? t0 - 1000 : 0), 1);
    t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(&s, &ev, 1, &n));
    CHECK(n == 1 && ev.userdata == 2 && now_ns() - t0 < 1000 * MS, "past deadline");
    /* A zero relative timeout too. */
    s = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 0, 0);
    t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(&s, &ev, 1, &n));
    CHECK(n == 1 && ev.userdata == 3 && now_ns() - t0 < 1000 * MS, "zero timeout");
    return 0;
}

/* Two timers: only the earlier one fires. */
CASE(clock_two) {
    __wasi_subscription_t s[2] = {clock_sub(10, __WASI_CLOCKID_MONOTONIC, 3000 * MS, 0),
                                  clock_sub(20, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0)};
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    long long t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    long long dt = now_ns() - t0;
    CHECK(n == 1, "%u events, expected 1", (unsigned)n);
    CHECK(ev[0].userdata == 20, "the event is for userdata %llu, expected the 30 ms one (20)",
          (unsigned long long)ev[0].userdata);
    CHECK(dt >= 30 * MS && dt < 1500 * MS, "woke after %lld ms", dt / MS);
    return 0;
}

/* stdin holds data ("hello\n" from the harness): an fd_read subscription
 * alone reports it ready. Needs io only. */
CASE(stdin_read) {
    __wasi_subscription_t s = fd_sub(42, __WASI_EVENTTYPE_FD_READ, 0);
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    WASI_OK(__wasi_poll_oneoff(&s, &ev, 1, &n));
    CHECK(n == 1 && ev.userdata == 42 && ev.type == __WASI_EVENTTYPE_FD_READ,
          "n %u userdata %llu type %d", (unsigned)n, (unsigned long long)ev.userdata, ev.type);
    CHECK(ev.error == 0, "fd_read event error %s", ename(ev.error));
    char buf[64];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(0, buf + got, sizeof buf - 1 - got);
        CHECK(r >= 0, "read stdin: %s", ename(errno));
        if (r == 0) break;
        got += (size_t)r;
    }
    buf[got] = 0;
    CHECK(got == 6 && !strcmp(buf, "hello\n"), "stdin gave %zu bytes '%s', expected 'hello\\n'", got, buf);
    return 0;
}

/* stdin is at end of input (empty): fd_read is ready, read() gives 0. */
CASE(stdin_eof) {
    __wasi_subscription_t s = fd_sub(5, __WASI_EVENTTYPE_FD_READ, 0);
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    WASI_OK(__wasi_poll_oneoff(&s, &ev, 1, &n));
    CHECK(n == 1 && ev.userdata == 5 && ev.error == 0, "n %u error %s", (unsigned)n, ename(ev.error));
    char c;
    CHECK(read(0, &c, 1) == 0, "read at EOF did not return 0");
    return 0;
}

/* stdin stays open and silent: an fd_read plus a 100 ms clock gives the clock.
 * Needs io and clock; the harness keeps stdin open without writing. */
CASE(stdin_timeout) {
    __wasi_subscription_t s[2] = {fd_sub(1, __WASI_EVENTTYPE_FD_READ, 0),
                                  clock_sub(2, __WASI_CLOCKID_MONOTONIC, 100 * MS, 0)};
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    long long t0 = now_ns();
    WASI_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    long long dt = now_ns() - t0;
    CHECK(n == 1 && ev[0].userdata == 2, "n %u, first userdata %llu: stdin reported ready (harness must keep it open and empty)",
          (unsigned)n, (unsigned long long)ev[0].userdata);
    CHECK(dt >= 100 * MS && dt < 5000 * MS, "woke after %lld ms", dt / MS);
    return 0;
}

CASE(stdout_ready) {
    __wasi_subscription_t s[2] = {fd_sub(1, __WASI_EVENTTYPE_FD_WRITE, 1),
                                  fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, 2)};
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    WASI_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    CHECK(n >= 1, "no event");
    for (unsigned i = 0; i < n; i++)
        CHECK(ev[i].type == __WASI_EVENTTYPE_FD_WRITE && ev[i].error == 0, "event %u type %d error %s",
              i, ev[i].type, ename(ev[i].error));
    return 0;
}

/* A subscription on a descriptor that is not open reports EBADF, in its event
 * or as the call's result. */
CASE(badf) {
    __wasi_subscription_t s = fd_sub(9, __WASI_EVENTTYPE_FD_READ, 77);
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    int e = __wasi_poll_oneoff(&s, &ev, 1, &n);
    if (e == 0)
        CHECK(n == 1 && ev.userdata == 9 && ev.error == __WASI_ERRNO_BADF, "n %u error %s", (unsigned)n,
              ename(ev.error));
    else
        CHECK(e == __WASI_ERRNO_BADF, "poll_oneoff returned %s", ename(e));
    return 0;
}

CASE(zero_subs) {
    __wasi_subscription_t s;
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    memset(&s, 0, sizeof s);
    WASI(__wasi_poll_oneoff(&s, &ev, 0, &n), __WASI_ERRNO_INVAL);
    return 0;
}

CASE(yield) {
    WASI_OK(__wasi_sched_yield());
    CHECK(sched_yield() == 0, "sched_yield: %s", ename(errno));
    return 0;
}

#define CASES(X) X(sleep) X(clock_relative) X(clock_absolute) X(clock_two) X(stdin_read) X(stdin_eof) \
    X(stdin_timeout) X(stdout_ready) X(badf) X(zero_subs) X(yield)
TEST_MAIN(CASES)
