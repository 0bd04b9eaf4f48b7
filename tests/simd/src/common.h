/* Shared scaffolding for Porta's SIMD test programs (tests/simd).
 *
 * The same convention as tests/wasi: `prog.wasm CASE` runs one case and on
 * success prints exactly "ok CASE" on stdout and exits 0; on failure it
 * prints "FAIL CASE: what" on stderr and exits 1. `prog.wasm list` prints
 * the case names, one per line. An unknown case exits 2.
 *
 * Unlike tests/wasi/src/common.h this header needs nothing from WASI, so
 * the programs that do not use wasm_simd128.h also build for the host
 * (`clang-19 -O2 src/hash.c`), which checks their logic without Porta.
 *
 * A program defines its cases with CASE(name) { ... return 0; } and ends with
 *   #define CASES(X) X(name1) X(name2) ...
 *   TEST_MAIN(CASES)
 */
#ifndef PORTA_SIMD_TEST_COMMON_H
#define PORTA_SIMD_TEST_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNUSED __attribute__((unused))
/* A loop that must stay scalar: the reference the vectorised loop is
 * compared with. Put it right before the `for`. */
#define SCALAR _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")
/* A function the optimiser may neither inline nor look into, so that a
 * reference computation is not merged with the code it checks. */
#define NOINLINE __attribute__((noinline))

static const char *g_case = "?";

static UNUSED void failmsg(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "FAIL %s: ", g_case);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define FAIL(...) do { failmsg(__VA_ARGS__); return 1; } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
/* Two unsigned 64-bit values must be equal. */
#define EQ(got, want) do { unsigned long long g_ = (unsigned long long)(got), \
    w_ = (unsigned long long)(want); \
    if (g_ != w_) FAIL("%s = 0x%llx, expected 0x%llx", #got, g_, w_); } while (0)

/* xorshift64*: a deterministic, serial (not vectorisable) data source. */
static uint64_t g_rng = 0x9e3779b97f4a7c15ULL;
static UNUSED void rng_seed(uint64_t s) { g_rng = s ? s : 1; }
static UNUSED NOINLINE uint64_t rng64(void) {
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545f4914f6cdd1dULL;
}
static UNUSED uint32_t rng32(void) { return (uint32_t)(rng64() >> 32); }

/* ---- dispatch ---- */

typedef int (*case_fn)(void);
struct test_case { const char *name; case_fn fn; };

#define CASE(name) static int t_##name(void)
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
            if (cases[i].fn() != 0) return 1;
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
