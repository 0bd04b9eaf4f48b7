/* Capability denials: each case runs with one capability withheld and expects
 * the call to fail with ENOTCAPABLE (76), or to see an empty list for
 * arguments and environment. README.md gives the flags for each case. */
#include "common.h"
#include <dirent.h>
#include <time.h>

#define P(x) SB "/" x
#define NOTCAP ENOTCAPABLE
#define WNOTCAP __WASI_ERRNO_NOTCAPABLE

/* No -v at all: there is no mount to read, and libc paths lead nowhere. */
CASE(fs_read_denied) {
    __wasi_prestat_t ps;
    WASI(__wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);
    ERR2(open(P("x"), O_RDONLY), ENOENT, NOTCAP);
    ERR2(open("/etc/passwd", O_RDONLY), ENOENT, NOTCAP);
    CHECK(opendir("/") == NULL, "opendir(\"/\") succeeded");
    int e = raw_open(3, "x", 1, 0, R_FILE_RO, NULL);
    CHECK(e == __WASI_ERRNO_BADF || e == WNOTCAP, "path_open on fd 3: %s", ename(e));
    return 0;
}

/* -v T:/sandbox:ro with T holding existing.txt ("original\n") and dir/. */
CASE(fs_write_denied) {
    char b[32];
    CHECK(read_file(P("existing.txt"), b, sizeof b) == 9 && !strcmp(b, "original\n"),
          "reading existing.txt (fs is granted): %s", ename(errno));
    DIR *d = opendir(P("dir"));
    CHECK(d != NULL, "opendir(dir): %s", ename(errno));
    closedir(d);
    /* Opening for writing: refused at open (76), or, when the mount's rights
     * already lack FD_WRITE and wasi-libc asks for none, every write refused. */
    errno = 0;
    int fd = open(P("existing.txt"), O_WRONLY);
    if (fd < 0) {
        CHECK(errno == NOTCAP, "open(existing.txt, O_WRONLY): %s, expected ENOTCAPABLE", ename(errno));
    } else {
        errno = 0;
        CHECK(write(fd, "X", 1) < 0 && (errno == NOTCAP || errno == EBADF),
              "write on a read-only mount: %s", ename(errno));
        close(fd);
    }
    ERR(open(P("new.txt"), O_WRONLY | O_CREAT, 0644), NOTCAP);
    ERR(open(P("existing.txt"), O_WRONLY | O_TRUNC), NOTCAP);
    ERR(open(P("existing.txt"), O_RDONLY | O_TRUNC), NOTCAP);
    ERR(mkdir(P("newdir"), 0755), NOTCAP);
    ERR(unlink(P("existing.txt")), NOTCAP);
    ERR(rmdir(P("dir")), NOTCAP);
    ERR(rename(P("existing.txt"), P("renamed.txt")), NOTCAP);
    ERR(link(P("existing.txt"), P("linked.txt")), NOTCAP);
    ERR(symlink("existing.txt", P("symlinked")), NOTCAP);
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    ERR(utimensat(AT_FDCWD, P("existing.txt"), ts, 0), NOTCAP);
    SANDBOX(sb);
    WASI(__wasi_path_create_directory(sb, "newdir"), WNOTCAP);
    WASI(__wasi_path_unlink_file(sb, "existing.txt"), WNOTCAP);
    WASI(__wasi_path_remove_directory(sb, "dir"), WNOTCAP);
    WASI(__wasi_path_rename(sb, "existing.txt", sb, "renamed.txt"), WNOTCAP);
    WASI(__wasi_path_symlink("existing.txt", sb, "symlinked"), WNOTCAP);
    WASI(__wasi_path_filestat_set_times(sb, 0, "existing.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), WNOTCAP);
    WASI(raw_open(sb, "new.txt", 0, __WASI_OFLAGS_CREAT, R_FILE_RO, NULL), WNOTCAP);
    /* A descriptor opened for reading cannot be used to change the file. */
    __wasi_fd_t rfd;
    WASI_OK(raw_open(sb, "existing.txt", 1, 0, R_FILE_RO, &rfd));
    __wasi_ciovec_t iov = {(const uint8_t *)"X", 1};
    __wasi_size_t n;
    int e = __wasi_fd_write(rfd, &iov, 1, &n);
    CHECK(e == WNOTCAP || e == __WASI_ERRNO_BADF, "fd_write: %s", ename(e));
    e = __wasi_fd_pwrite(rfd, &iov, 1, 0, &n);
    CHECK(e == WNOTCAP || e == __WASI_ERRNO_BADF, "fd_pwrite: %s", ename(e));
    e = __wasi_fd_filestat_set_size(rfd, 0);
    CHECK(e == WNOTCAP || e == __WASI_ERRNO_BADF, "fd_filestat_set_size: %s", ename(e));
    e = __wasi_fd_filestat_set_times(rfd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
    CHECK(e == WNOTCAP || e == __WASI_ERRNO_BADF, "fd_filestat_set_times: %s", ename(e));
    e = __wasi_fd_allocate(rfd, 0, 100);
    CHECK(e != 0, "fd_allocate succeeded");
    WASI_OK(__wasi_fd_close(rfd));
    CHECK(read_file(P("existing.txt"), b, sizeof b) == 9 && !strcmp(b, "original\n"), "existing.txt changed");
    return 0;
}

/* Default profile (no clock). */
CASE(clock_denied) {
    struct timespec t;
    ERR(clock_gettime(CLOCK_MONOTONIC, &t), NOTCAP);
    ERR(clock_gettime(CLOCK_REALTIME, &t), NOTCAP);
    ERR(clock_getres(CLOCK_MONOTONIC, &t), NOTCAP);
    __wasi_timestamp_t ts = 0x5a5a5a5a;
    WASI(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &ts), WNOTCAP);
    WASI(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &ts), WNOTCAP);
    WASI(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &ts), WNOTCAP);
    CHECK(ts == 0x5a5a5a5a, "a denied call wrote its result");
    /* A clock subscription of poll_oneoff: the call or its event says 76. */
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = 3;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = 10000000; /* 10 ms */
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    int e = __wasi_poll_oneoff(&s, &ev, 1, &n);
    CHECK(e == WNOTCAP || (e == 0 && n == 1 && ev.userdata == 3 && ev.error == WNOTCAP),
          "poll_oneoff clock subscription: call %s, %u events, event error %s", ename(e), (unsigned)n,
          n ? ename(ev.error) : "-");
    /* wasi-libc's clock_nanosleep turns any poll_oneoff failure into ENOTSUP */
    struct timespec req = {0, 10000000};
    ERR2(nanosleep(&req, NULL), NOTCAP, ENOTSUP);
    return 0;
}

/* Default profile (no random). */
CASE(random_denied) {
    unsigned char b[64];
    memset(b, 0xa5, sizeof b);
    ERR(getentropy(b, sizeof b), NOTCAP);
    WASI(__wasi_random_get(b, sizeof b), WNOTCAP);
    for (size_t i = 0; i < sizeof b; i++) CHECK(b[i] == 0xa5, "a denied random_get wrote byte %zu", i);
    return 0;
}

extern char **environ;

/* No env capability (no -e), host has PORTA_TEST_LEAK=1: empty environment. */
CASE(env_denied) {
    CHECK(environ == NULL || environ[0] == NULL, "environment not empty: %s", environ[0]);
    CHECK(getenv("PORTA_TEST_LEAK") == NULL, "host variable leaked");
    __wasi_size_t c = 9, s = 9;
    WASI_OK(__wasi_environ_sizes_get(&c, &s));
    CHECK(c == 0 && s == 0, "environ_sizes_get gave %u, %u", (unsigned)c, (unsigned)s);
    return 0;
}

/* Without `process` the guest sees no arguments at all, so this case is
 * selected by argc == 0 (see main). Reached by name, the arguments leaked. */
CASE(args_denied) {
    FAIL("argv is visible (argc %d): the process capability should be withheld", argc);
}

static int args_denied_check(char **argv) {
    g_case = "args_denied";
    /* wasi-libc: args_sizes_get() = (0, 0) gives main(0, {NULL}); an error
     * from args_sizes_get would have ended the program with 71 before main. */
    CHECK(argv != NULL && argv[0] == NULL, "argv[0] is not NULL");
    __wasi_size_t c = 9, s = 9;
    WASI_OK(__wasi_args_sizes_get(&c, &s));
    CHECK(c == 0 && s == 0, "args_sizes_get gave %u, %u", (unsigned)c, (unsigned)s);
    printf("ok args_denied\n");
    return 0;
}

/* Without `io` nothing can be printed: the result is the exit status.
 *  0 all denied as expected   10 fd_write(1) not ENOTCAPABLE
 * 11 fd_write(2) not ENOTCAPABLE   12 fd_read(0) not ENOTCAPABLE
 * 13 poll_oneoff on stdin not denied   14 fd_fdstat_get(1) failed
 * 15 printf + fflush reported success (ferror(stdout) unset) */
static int io_denied_run(void) {
    __wasi_ciovec_t ov = {(const uint8_t *)"leak\n", 5};
    __wasi_size_t n = 0;
    if (__wasi_fd_write(1, &ov, 1, &n) != WNOTCAP) return 10;
    if (__wasi_fd_write(2, &ov, 1, &n) != WNOTCAP) return 11;
    char c;
    __wasi_iovec_t iv = {(uint8_t *)&c, 1};
    if (__wasi_fd_read(0, &iv, 1, &n) != WNOTCAP) return 12;
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = 1;
    s.u.tag = __WASI_EVENTTYPE_FD_READ;
    s.u.u.fd_read.file_descriptor = 0;
    __wasi_event_t ev;
    n = 0;
    int e = __wasi_poll_oneoff(&s, &ev, 1, &n);
    if (!(e == WNOTCAP || (e == 0 && n == 1 && ev.error == WNOTCAP))) return 13;
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(1, &st) != 0) return 14; /* querying stays allowed */
    int r = printf("leak\n");
    int f = fflush(stdout);
    if (r >= 0 && f == 0 && !ferror(stdout)) return 15;
    return 0;
}

CASE(io_denied) {
    _Exit(io_denied_run()); /* _Exit: no "ok" line, no stdio flush at exit */
}

#define CASES(X) X(fs_read_denied) X(fs_write_denied) X(clock_denied) X(random_denied) X(env_denied) \
    X(args_denied) X(io_denied)
static const struct test_case cases_[] = {CASES(CASE_ENTRY)};

int main(int argc, char **argv) {
    if (argc == 0) return args_denied_check(argv);
    return run_cases(argc, argv, cases_, sizeof cases_ / sizeof cases_[0]);
}
