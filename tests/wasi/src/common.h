/* Shared scaffolding for Porta's WASI Preview 1 test programs.
 *
 * Every program is a set of named cases. `prog.wasm CASE` runs one case:
 * on success it prints "ok CASE" on stdout and exits 0; on failure it prints
 * "FAIL CASE: what" on stderr and exits 1. `prog.wasm list` prints the case
 * names, one per line. An unknown case name exits 2.
 *
 * A program defines its cases with CASE(name) { ... return 0; } and ends with
 *   #define CASES(X) X(name1) X(name2) ...
 *   TEST_MAIN(CASES)
 */
#ifndef PORTA_WASI_TEST_COMMON_H
#define PORTA_WASI_TEST_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define UNUSED __attribute__((unused))

static const char *g_case = "?";

/* Symbolic name of an errno value (wasi-libc's errno values are WASI's). */
static UNUSED const char *ename(int e) {
    switch (e) {
    case 0: return "SUCCESS";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EILSEQ: return "EILSEQ";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    default: return "E?";
    }
}

static UNUSED void failmsg(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "FAIL %s: ", g_case);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Fail the current case with a printf-style message. */
#define FAIL(...) do { failmsg(__VA_ARGS__); return 1; } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* A libc call returning < 0 with errno on failure must succeed. */
#define OK(expr) do { errno = 0; if ((long)(expr) < 0) { int e_ = errno; \
    FAIL("%s failed: %s (%d)", #expr, ename(e_), e_); } } while (0)

/* A libc call must fail (< 0) with errno == err. */
#define ERR(expr, err) do { errno = 0; long r_ = (long)(expr); int e_ = errno; \
    if (r_ >= 0) FAIL("%s succeeded (returned %ld), expected %s", #expr, r_, ename(err)); \
    if (e_ != (err)) FAIL("%s: got %s (%d), expected %s (%d)", #expr, ename(e_), e_, ename(err), (err)); \
    } while (0)

/* A libc call must fail (< 0), with errno one of two values. */
#define ERR2(expr, e1, e2) do { errno = 0; long r_ = (long)(expr); int e_ = errno; \
    if (r_ >= 0) FAIL("%s succeeded (returned %ld), expected %s or %s", #expr, r_, ename(e1), ename(e2)); \
    if (e_ != (e1) && e_ != (e2)) FAIL("%s: got %s (%d), expected %s or %s", #expr, ename(e_), e_, ename(e1), ename(e2)); \
    } while (0)

/* A libc call must fail (< 0), any errno. */
#define ERRANY(expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ >= 0) FAIL("%s succeeded (returned %ld), expected failure", #expr, r_); } while (0)

/* A raw WASI call (returns __wasi_errno_t) must return `err` (0 = success). */
#define WASI(expr, err) do { int w_ = (int)(expr); if (w_ != (err)) \
    FAIL("%s returned %s (%d), expected %s (%d)", #expr, ename(w_), w_, ename(err), (err)); } while (0)
#define WASI_OK(expr) do { int w_ = (int)(expr); if (w_ != 0) \
    FAIL("%s returned %s (%d), expected success", #expr, ename(w_), w_); } while (0)
/* A raw WASI call must return an error (any). */
#define WASI_FAILS(expr) do { int w_ = (int)(expr); if (w_ == 0) \
    FAIL("%s succeeded, expected an error", #expr); } while (0)

/* ---- file helpers (libc, absolute guest paths) ---- */

static UNUSED int write_file(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    size_t n = strlen(data), off = 0;
    while (off < n) {
        ssize_t w = write(fd, data + off, n - off);
        if (w <= 0) { close(fd); return -1; }
        off += (size_t)w;
    }
    return close(fd);
}

/* Reads up to cap-1 bytes, NUL-terminates; returns length or -1. */
static UNUSED long read_file(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    size_t off = 0;
    for (;;) {
        ssize_t r = read(fd, buf + off, cap - 1 - off);
        if (r < 0) { int e = errno; close(fd); errno = e; return -1; }
        if (r == 0) break;
        off += (size_t)r;
        if (off == cap - 1) break;
    }
    buf[off] = 0;
    close(fd);
    return (long)off;
}

static UNUSED int exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The preopened directory whose name is `name` (e.g. "/sandbox"), or -1. */
static UNUSED int preopen_fd(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 256; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
        if (e == __WASI_ERRNO_BADF) break;
        if (e != 0 || ps.tag != __WASI_PREOPENTYPE_DIR) continue;
        char buf[256];
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof buf) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0) continue;
        buf[len] = 0;
        while (len > 1 && buf[len - 1] == '/') buf[--len] = 0;
        if (strcmp(buf, name) == 0) return (int)fd;
    }
    return -1;
}

#define SB "/sandbox"
/* Get the /sandbox preopen into `var` or fail the case. */
#define SANDBOX(var) int var = preopen_fd(SB); \
    CHECK(var >= 0, "no preopened directory named " SB " (run with -v DIR:" SB ")")

/* Rights used by raw path_open calls. */
#define R_FILE_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | \
    __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | \
    __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | \
    __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE)
#define R_FILE_RO (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
    __WASI_RIGHTS_FD_FILESTAT_GET)
#define R_ALL ((__wasi_rights_t)0x3fffffffULL)

/* Raw path_open relative to a directory fd, asking for `base` rights masked,
 * like wasi-libc's open() does, by the directory's inheriting rights.
 * Returns the WASI errno; the new fd goes to *out (closed if out is NULL). */
static UNUSED int raw_open(int dirfd, const char *path, int follow, __wasi_oflags_t oflags,
                           __wasi_rights_t base, __wasi_fd_t *out) {
    __wasi_fdstat_t st;
    __wasi_rights_t inh = R_ALL;
    if (__wasi_fd_fdstat_get((__wasi_fd_t)dirfd, &st) == 0) inh = st.fs_rights_inheriting;
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    int e = __wasi_path_open((__wasi_fd_t)dirfd,
                             follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, oflags,
                             base & inh, inh, 0, &fd);
    if (out) *out = fd;
    else if (e == 0) (void)__wasi_fd_close(fd);
    return e;
}

/* ---- dispatch ---- */

typedef int (*case_fn)(int argc, char **argv);
struct test_case { const char *name; case_fn fn; };

#define CASE(name) static int t_##name(UNUSED int argc, UNUSED char **argv)
#define CASE_ENTRY(name) { #name, t_##name },

static UNUSED int run_cases(int argc, char **argv, const struct test_case *cases, size_t n) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASE | list\n", argc > 0 ? argv[0] : "prog");
        return 2;
    }
    if (strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < n; i++) printf("%s\n", cases[i].name);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            g_case = cases[i].name;
            int r = cases[i].fn(argc, argv);
            if (r != 0) return 1;
            printf("ok %s\n", g_case);
            return 0;
        }
    }
    fprintf(stderr, "FAIL %s: unknown case (try 'list')\n", argv[1]);
    return 2;
}

#define TEST_MAIN(LIST) \
    static const struct test_case cases_[] = { LIST(CASE_ENTRY) }; \
    int main(int argc, char **argv) { \
        return run_cases(argc, argv, cases_, sizeof cases_ / sizeof cases_[0]); \
    }

#endif
