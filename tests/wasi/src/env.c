/* Arguments and environment as the harness gives them.
 * Run: porta run env.wasm [-e ...] -- CASE [ARGS...] (see README.md). */
#include "common.h"

extern char **environ;

/* porta run env.wasm -- args one "two words" "" "ünïcødé €" */
CASE(args) {
    static const char *want[] = {"args", "one", "two words", "", "\xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xe2\x82\xac"};
    int n = (int)(sizeof want / sizeof want[0]);
    CHECK(argc == n + 1, "argc %d, expected %d (argv[0] + the case name + 4 arguments)", argc, n + 1);
    CHECK(argv[0] != NULL, "argv[0] is NULL");
    for (int i = 0; i < n; i++)
        CHECK(!strcmp(argv[i + 1], want[i]), "argv[%d] is '%s', expected '%s'", i + 1, argv[i + 1], want[i]);
    CHECK(argv[argc] == NULL, "argv not NULL-terminated");
    /* The raw sizes agree with what libc built. */
    __wasi_size_t count, size;
    WASI_OK(__wasi_args_sizes_get(&count, &size));
    CHECK((int)count == argc, "args_sizes_get count %u, argc %d", (unsigned)count, argc);
    size_t total = 0;
    for (int i = 0; i < argc; i++) total += strlen(argv[i]) + 1;
    CHECK(size == total, "args_sizes_get buffer %u, expected %zu", (unsigned)size, total);
    /* args_get writes exactly that layout */
    char *buf = malloc(size + 16), **ptrs = calloc(count + 1, sizeof(char *));
    CHECK(buf && ptrs, "malloc");
    memset(buf, 0x55, size + 16);
    WASI_OK(__wasi_args_get((uint8_t **)ptrs, (uint8_t *)buf));
    for (int i = 0; i < argc; i++) {
        CHECK(ptrs[i] >= buf && ptrs[i] < buf + size, "args_get pointer %d outside the buffer", i);
        CHECK(!strcmp(ptrs[i], argv[i]), "args_get entry %d '%s'", i, ptrs[i]);
    }
    CHECK((unsigned char)buf[size] == 0x55, "args_get wrote past the buffer size it announced");
    return 0;
}

/* porta run env.wasm -- args_passthrough -e X=1 --help -v /:/host --
 * Nothing after `--` is read by porta: the guest gets these words verbatim,
 * with no variable set and no directory mounted. */
CASE(args_passthrough) {
    static const char *want[] = {"args_passthrough", "-e", "X=1", "--help", "-v", "/:/host", "--"};
    int n = (int)(sizeof want / sizeof want[0]);
    CHECK(argc == n + 1, "argc %d, expected %d", argc, n + 1);
    for (int i = 0; i < n; i++)
        CHECK(!strcmp(argv[i + 1], want[i]), "argv[%d] is '%s', expected '%s'", i + 1, argv[i + 1], want[i]);
    CHECK(getenv("X") == NULL, "X is set: porta read -e after --");
    __wasi_prestat_t ps;
    WASI(__wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);
    return 0;
}

static int count_env(void) {
    int n = 0;
    while (environ && environ[n]) n++;
    return n;
}

/* porta run env.wasm -e FOO=bar -e EMPTY= -e WITH_EQ=a=b=c -e UNI=ünï -- environ
 * (porta itself runs with the host variable PORTA_TEST_LEAK=1, which must not show.) */
CASE(environ) {
    struct { const char *k, *v; } want[] = {
        {"FOO", "bar"}, {"EMPTY", ""}, {"WITH_EQ", "a=b=c"}, {"UNI", "\xc3\xbcn\xc3\xaf"}};
    for (size_t i = 0; i < 4; i++) {
        const char *v = getenv(want[i].k);
        CHECK(v != NULL, "%s is not set", want[i].k);
        CHECK(!strcmp(v, want[i].v), "%s='%s', expected '%s'", want[i].k, v, want[i].v);
    }
    int n = count_env();
    if (n != 4) {
        for (int i = 0; i < n; i++) fprintf(stderr, "  environ[%d] = %s\n", i, environ[i]);
        FAIL("%d variables, expected exactly the 4 given with -e", n);
    }
    CHECK(getenv("PORTA_TEST_LEAK") == NULL, "the host's PORTA_TEST_LEAK leaked in");
    CHECK(getenv("PATH") == NULL && getenv("HOME") == NULL, "host PATH or HOME leaked in");
    __wasi_size_t count, size;
    WASI_OK(__wasi_environ_sizes_get(&count, &size));
    CHECK(count == 4, "environ_sizes_get count %u", (unsigned)count);
    size_t total = 0;
    for (int i = 0; i < n; i++) total += strlen(environ[i]) + 1;
    CHECK(size == total, "environ_sizes_get buffer %u, expected %zu", (unsigned)size, total);
    return 0;
}

/* porta run env.wasm -- environ_empty  (no -e; host has PORTA_TEST_LEAK=1) */
CASE(environ_empty) {
    int n = count_env();
    CHECK(n == 0, "%d variables (first: %s), expected none", n, environ[0]);
    CHECK(getenv("PORTA_TEST_LEAK") == NULL, "the host's PORTA_TEST_LEAK leaked in");
    __wasi_size_t count = 99, size = 99;
    WASI_OK(__wasi_environ_sizes_get(&count, &size));
    CHECK(count == 0 && size == 0, "environ_sizes_get gave %u, %u", (unsigned)count, (unsigned)size);
    return 0;
}

#define CASES(X) X(args) X(args_passthrough) X(environ) X(environ_empty)
TEST_MAIN(CASES)
