/* Sorting with compare-exchange loops the auto-vectoriser turns into v128
 * min/max (or compare + bitselect) code. Every result is checked to be
 * sorted and to be a permutation of the input (compared with a scalar
 * insertion sort or qsort of a copy).
 *
 * - network_*: Batcher's odd-even merge network for 16 keys, applied to
 *   many columns at once (structure of arrays: row r holds key r of every
 *   column), so each comparator is one vectorisable loop over the columns.
 * - bitonic_*: a bitonic sort of one whole array, whose half-cleaner stages
 *   compare contiguous ranges.
 *
 * Instructions clang 19 emits here: i8x16.min_u/max_u, i16x8.min_s/max_s,
 * i32x4.min_s/max_s/min_u/max_u, i64x2.lt_s/gt_s with v128.bitselect,
 * f32x4.pmin/pmax and f64x2.pmin/pmax (the `b < a ? b : a` selects),
 * i8x16.shuffle (the flip's reversals), v128 load/store. */
#include "common.h"

#define ROWS 16

/* The comparators (i, j), i < j, of Batcher's odd-even merge sort. */
static int net[ROWS * ROWS][2];
static int net_len;

static void build_network(void) {
    net_len = 0;
    for (int p = 1; p < ROWS; p <<= 1)
        for (int k = p; k >= 1; k >>= 1)
            for (int j = k % p; j + k < ROWS; j += 2 * k)
                for (int i = 0; i < k && i + j + k < ROWS; i++)
                    if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) {
                        net[net_len][0] = i + j;
                        net[net_len][1] = i + j + k;
                        net_len++;
                    }
}

/* Swap-or-not in both forms, so that every result is a permutation, also
 * for floats with -0.0 beside +0.0. */
#define LESS_INT(a, b) ((a) < (b))
#define LESS_FLT(a, b) ((a) < (b))

#define DEFINE_SORTS(T, NAME, COLS, GEN, LESS, FMT, CAST) \
static T NAME##_rows[ROWS][COLS]; \
static T NAME##_orig[ROWS][COLS]; \
\
static NOINLINE void NAME##_cmpx(T *restrict x, T *restrict y, int n) { \
    for (int c = 0; c < n; c++) { \
        T a = x[c], b = y[c]; \
        x[c] = LESS(b, a) ? b : a; \
        y[c] = LESS(b, a) ? a : b; \
    } \
} \
\
static NOINLINE void NAME##_insertion(T *v, int n) { \
    SCALAR for (int i = 1; i < n; i++) { \
        T key = v[i]; \
        int j = i - 1; \
        while (j >= 0 && LESS(key, v[j])) { v[j + 1] = v[j]; j--; } \
        v[j + 1] = key; \
    } \
} \
\
CASE(network_##NAME) { \
    rng_seed(0x50f7 + sizeof(T)); \
    for (int r = 0; r < ROWS; r++) \
        for (int c = 0; c < COLS; c++) NAME##_rows[r][c] = NAME##_orig[r][c] = (GEN); \
    build_network(); \
    CHECK(net_len == 63, "the network has %d comparators, expected 63", net_len); \
    for (int k = 0; k < net_len; k++) \
        NAME##_cmpx(NAME##_rows[net[k][0]], NAME##_rows[net[k][1]], COLS); \
    for (int c = 0; c < COLS; c++) { \
        T col[ROWS]; \
        SCALAR for (int r = 0; r < ROWS; r++) col[r] = NAME##_orig[r][c]; \
        NAME##_insertion(col, ROWS); \
        /* Equal values (-0.0 == +0.0, which the network may order either \
         * way), and the same bit patterns: the sums of the keys' bits. */ \
        uint64_t bits_in = 0, bits_out = 0; \
        SCALAR for (int r = 0; r < ROWS; r++) { \
            if (col[r] != NAME##_rows[r][c]) \
                FAIL("column %d row %d: " FMT ", expected " FMT, c, r, \
                     CAST NAME##_rows[r][c], CAST col[r]); \
            uint64_t u = 0, v = 0; \
            memcpy(&u, &NAME##_orig[r][c], sizeof(T)); \
            memcpy(&v, &NAME##_rows[r][c], sizeof(T)); \
            bits_in += u * 0x9e3779b97f4a7c15ULL ^ u; \
            bits_out += v * 0x9e3779b97f4a7c15ULL ^ v; \
        } \
        CHECK(bits_in == bits_out, "column %d is not a permutation of its input", c); \
    } \
    return 0; \
}

static inline float small_float(void) {
    /* Integers and halves in [-64, 64), both zeros, a few large values. */
    uint32_t r = rng32();
    if ((r & 63) == 0) return -0.0f;
    if ((r & 63) == 1) return 0.0f;
    if ((r & 63) == 2) return 1e30f;
    return (float)((int)(r >> 8) % 256 - 128) * 0.5f;
}

DEFINE_SORTS(uint8_t, u8, 1024, (uint8_t)rng32(), LESS_INT, "%u", (unsigned))
DEFINE_SORTS(int16_t, i16, 512, (int16_t)rng32(), LESS_INT, "%d", (int))
DEFINE_SORTS(int32_t, i32, 256, (int32_t)rng32(), LESS_INT, "%d", (int))
DEFINE_SORTS(uint32_t, u32, 256, rng32() >> (rng32() & 7), LESS_INT, "%u", (unsigned))
DEFINE_SORTS(int64_t, i64, 128, (int64_t)rng64(), LESS_INT, "%lld", (long long))
DEFINE_SORTS(float, f32, 256, small_float(), LESS_FLT, "%a", (double))
DEFINE_SORTS(double, f64, 128, (double)small_float() * 3.0, LESS_FLT, "%a", (double))

/* ---- bitonic sort of a whole array ---- */

#define BN 4096

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}
static int cmp_f32(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

#define DEFINE_BITONIC(T, NAME, GEN, CMP, FMT, CAST) \
static T NAME##_arr[BN], NAME##_copy[BN]; \
\
/* x[i] against y[i] ascending: contiguous halves. */ \
static NOINLINE void NAME##_half(T *restrict x, T *restrict y, int n) { \
    for (int i = 0; i < n; i++) { \
        T a = x[i], b = y[i]; \
        x[i] = b < a ? b : a; \
        y[i] = b < a ? a : b; \
    } \
} \
\
/* x[i] against y[n-1-i]: the flip that makes two sorted halves bitonic. */ \
static NOINLINE void NAME##_flip(T *restrict x, T *restrict y, int n) { \
    for (int i = 0; i < n; i++) { \
        T a = x[i], b = y[n - 1 - i]; \
        x[i] = b < a ? b : a; \
        y[n - 1 - i] = b < a ? a : b; \
    } \
} \
\
CASE(bitonic_##NAME) { \
    rng_seed(0xb170 + sizeof(T)); \
    for (int i = 0; i < BN; i++) NAME##_arr[i] = NAME##_copy[i] = (GEN); \
    for (int k = 2; k <= BN; k <<= 1) { \
        for (int b = 0; b < BN; b += k) NAME##_flip(NAME##_arr + b, NAME##_arr + b + k / 2, k / 2); \
        for (int j = k / 4; j >= 1; j >>= 1) \
            for (int b = 0; b < BN; b += 2 * j) NAME##_half(NAME##_arr + b, NAME##_arr + b + j, j); \
    } \
    qsort(NAME##_copy, BN, sizeof(T), CMP); \
    SCALAR for (int i = 0; i < BN; i++) { \
        if (i > 0 && NAME##_arr[i] < NAME##_arr[i - 1]) \
            FAIL("not sorted at %d: " FMT " after " FMT, i, CAST NAME##_arr[i], CAST NAME##_arr[i - 1]); \
        if (NAME##_arr[i] != NAME##_copy[i]) \
            FAIL("element %d is " FMT ", expected " FMT " (not a permutation)", i, \
                 CAST NAME##_arr[i], CAST NAME##_copy[i]); \
    } \
    return 0; \
}

DEFINE_BITONIC(int32_t, i32, (int32_t)rng32(), cmp_i32, "%d", (int))
/* Distinct-enough floats: every value has a unique bit pattern here (no
 * zeros), so == after qsort means the same multiset. */
DEFINE_BITONIC(float, f32, (float)((int32_t)rng32() >> 8) * 0.25f + 0.125f, cmp_f32, "%a", (double))

#define CASES(X) X(network_u8) X(network_i16) X(network_i32) X(network_u32) X(network_i64) \
    X(network_f32) X(network_f64) X(bitonic_i32) X(bitonic_f32)
TEST_MAIN(CASES)
