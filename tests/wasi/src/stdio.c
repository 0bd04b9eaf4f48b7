/* Standard input and output, and the agent ABI's framing.
 * Run: porta run stdio.wasm -- CASE  (stdin as README.md says per case) */
#include "common.h"

/* Reads all of stdin into a growing buffer; returns length or -1. */
static long slurp(unsigned char **out) {
    size_t cap = 65536, len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) return -1;
    for (;;) {
        if (len == cap) {
            cap *= 2;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) { free(buf); return -1; }
            buf = nb;
        }
        ssize_t r = read(0, buf + len, cap - len);
        if (r < 0) { free(buf); return -1; }
        if (r == 0) break;
        len += (size_t)r;
    }
    *out = buf;
    return (long)len;
}

static uint32_t fnv1a(const unsigned char *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; }
    return h;
}

/* Writes all of p[0..n) to fd with raw fd_write, looping over short writes. */
static int write_all(int fd, const void *p, size_t n) {
    const uint8_t *b = p;
    while (n > 0) {
        __wasi_ciovec_t iov = {b, n};
        __wasi_size_t w = 0;
        int e = __wasi_fd_write((__wasi_fd_t)fd, &iov, 1, &w);
        if (e != 0) return e;
        if (w == 0) return -1;
        b += w;
        n -= w;
    }
    return 0;
}

/* Prints "len=N fnv1a=XXXXXXXX" for all of stdin, then "ok echo_len". */
CASE(echo_len) {
    unsigned char *buf;
    long n = slurp(&buf);
    CHECK(n >= 0, "reading stdin: %s", ename(errno));
    printf("len=%ld fnv1a=%08x\n", n, (unsigned)fnv1a(buf, (size_t)n));
    return 0;
}

/* Copies stdin to stdout byte for byte (binary safe), then "ok cat". */
CASE(cat) {
    unsigned char *buf;
    long n = slurp(&buf);
    CHECK(n >= 0, "reading stdin: %s", ename(errno));
    int e = write_all(1, buf, (size_t)n);
    CHECK(e == 0, "writing stdout: %s", ename(e));
    return 0;
}

/* The agent ABI: 4-byte little-endian length, that many bytes of JSON, end of
 * input. Writes exactly {"ok": <the JSON>} (no newline) and exits 0; on bad
 * framing writes {"err": "<reason>"} and exits 1. Prints no "ok abi_echo". */
static int abi_err(const char *why) {
    printf("{\"err\": \"%s\"}", why);
    fflush(stdout);
    fprintf(stderr, "FAIL abi_echo: %s\n", why);
    exit(1);
}

static int abi_echo_run(void) {
    unsigned char *buf;
    long n = slurp(&buf);
    if (n < 0) return abi_err("cannot read stdin");
    if (n < 4) return abi_err("input shorter than the 4-byte length");
    uint32_t len = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
    if ((unsigned long)n - 4 < len) return abi_err("input shorter than its length prefix");
    if ((unsigned long)n - 4 > len) return abi_err("bytes after the JSON payload");
    size_t i = 4;
    while (i < 4 + (size_t)len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) i++;
    if (i == 4 + (size_t)len || buf[i] != '{') return abi_err("payload is not a JSON object");
    if (write_all(1, "{\"ok\": ", 7) || write_all(1, buf + 4, len) || write_all(1, "}", 1))
        return abi_err("cannot write stdout");
    return 0;
}

CASE(abi_echo) {
    abi_echo_run();
    exit(0); /* no "ok abi_echo" line: stdout must be exactly one JSON value */
}

/* 1 MiB to stdout in uneven pieces and multi-iovec writes: 16384 lines of
 * 64 bytes, line i = 8 hex digits of i*64, a space, 54 letters
 * ('a' + (i + j) % 26 for j = 0..53), '\n'. Then "ok big_output". */
CASE(big_output) {
    static char out[1 << 20];
    for (int i = 0; i < 16384; i++) {
        char *l = out + i * 64;
        snprintf(l, 10, "%08x ", (unsigned)(i * 64));
        for (int j = 0; j < 54; j++) l[9 + j] = (char)('a' + (i + j) % 26);
        l[63] = '\n';
    }
    size_t off = 0, step = 1;
    int k = 0;
    while (off < sizeof out) {
        size_t n = step < sizeof out - off ? step : sizeof out - off;
        if (k++ % 3 == 2 && n >= 3) {
            /* three iovecs in one call */
            __wasi_ciovec_t iov[3] = {{(const uint8_t *)out + off, 1},
                                      {(const uint8_t *)out + off + 1, 0},
                                      {(const uint8_t *)out + off + 1, n - 1}};
            __wasi_size_t w = 0;
            int e = __wasi_fd_write(1, iov, 3, &w);
            CHECK(e == 0 && w > 0, "fd_write with 3 iovecs: %s", ename(e));
            off += w;
        } else {
            int e = write_all(1, out + off, n);
            CHECK(e == 0, "fd_write at %zu: %s", off, ename(e));
            off += n;
        }
        step = step * 5 + 3;
        if (step > 300000) step = 7;
    }
    return 0;
}

/* Writes "to stderr\n" on stderr; stdout gets only "ok stderr_write". */
CASE(stderr_write) {
    fprintf(stderr, "to stderr\n");
    int e = write_all(2, "raw stderr\n", 11);
    CHECK(e == 0, "fd_write(2): %s", ename(e));
    return 0;
}

/* The three standard descriptors exist; nothing else is open without a mount. */
CASE(std_fds) {
    for (__wasi_fd_t fd = 0; fd < 3; fd++) {
        __wasi_fdstat_t st;
        WASI_OK(__wasi_fd_fdstat_get(fd, &st));
    }
    __wasi_fdstat_t st;
    WASI(__wasi_fd_fdstat_get(3, &st), __WASI_ERRNO_BADF);
    __wasi_prestat_t ps;
    WASI(__wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);
    return 0;
}

#define CASES(X) X(echo_len) X(cat) X(abi_echo) X(big_output) X(stderr_write) X(std_fds)

TEST_MAIN(CASES)
