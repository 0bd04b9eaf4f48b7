/* Exit statuses. Each case ends the program itself; the harness checks the
 * exit status of `porta run` and, where noted, stdout/stderr (README.md).
 * Run: porta run exit.wasm -- CASE */
#include "common.h"

static void bye(void) {
    printf("atexit ran\n");
}

/* Recursion that uses only WebAssembly locals (no shadow stack in linear
 * memory), so it exhausts the engine's call stack. The call goes through a
 * volatile function pointer so the compiler cannot turn it into a loop. */
static int deep(int n);
static int (*volatile deep_fp)(int) = deep;
__attribute__((noinline)) static int deep(int n) {
    if (n == 0) return 0;
    return deep_fp(n - 1) + (n & 1);
}

static const char *names[] = {"exit0", "exit3", "exit255", "return7", "proc_exit_raw", "exit_flushes",
                              "atexit", "abort", "unreachable", "memory_oob", "div_zero", "deep_recursion"};

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: exit.wasm CASE | list\n");
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "list")) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) printf("%s\n", names[i]);
        return 0;
    }
    if (!strcmp(c, "exit0")) { printf("ok exit0\n"); exit(0); }
    if (!strcmp(c, "exit3")) { printf("ok exit3\n"); exit(3); }
    if (!strcmp(c, "exit255")) { printf("ok exit255\n"); exit(255); }
    if (!strcmp(c, "return7")) { printf("ok return7\n"); return 7; }
    if (!strcmp(c, "proc_exit_raw")) __wasi_proc_exit(42); /* no stdio flush, no atexit */
    if (!strcmp(c, "exit_flushes")) {
        /* 64 KiB through buffered stdio, then exit(9): all of it must arrive. */
        for (int i = 0; i < 1024; i++) printf("%05d %057d\n", i, 0);
        exit(9);
    }
    if (!strcmp(c, "atexit")) {
        atexit(bye);
        printf("ok atexit\n");
        exit(5);
    }
    if (!strcmp(c, "abort")) {
        fprintf(stderr, "about to abort\n");
        abort();
    }
    if (!strcmp(c, "unreachable")) __builtin_trap();
    if (!strcmp(c, "memory_oob")) {
        volatile uint32_t addr = 0xfffffff0u;
        *(volatile int *)(uintptr_t)addr = 1;
        printf("FAIL memory_oob: store out of bounds did not trap\n");
        return 1;
    }
    if (!strcmp(c, "div_zero")) {
        volatile int zero = 0, one = 1;
        printf("%d\n", one / zero);
        fprintf(stderr, "FAIL div_zero: no trap\n");
        return 1;
    }
    if (!strcmp(c, "deep_recursion")) {
        int r = deep_fp(100000000);
        fprintf(stderr, "FAIL deep_recursion: 100M nested calls returned %d without a trap\n", r);
        return 1;
    }
    fprintf(stderr, "FAIL %s: unknown case (try 'list')\n", c);
    return 2;
}
