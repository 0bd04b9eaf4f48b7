/* Matrix products in the i-k-j order the auto-vectoriser turns into v128
 * multiply-add loops, compared element by element with a scalar i-j-k
 * reference and with a checksum computed on the host.
 *
 * The float inputs are small multiples of 1/4, so every product and every
 * partial sum is exact: the results do not depend on the order of the
 * additions and must match bit for bit.
 *
 * Instructions clang 19 emits here (roughly): i32x4.mul/add, i16x8.mul/add,
 * f32x4.mul/add, f64x2.mul/add, i32x4.load16x4_s (the int16 dot product),
 * f32x4.pmin/pmax (the clamp), load32_splat/load64_splat, store32_lane,
 * v128 load/store. */
#include "common.h"

#define M 40
#define K 36
#define N 44

/* FNV-1a over the bytes of a result, for the host-computed checksums. */
static uint32_t checksum(const void *p, size_t n) {
    const uint8_t *b = p;
    uint32_t h = 0x811c9dc5u;
    SCALAR for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x01000193u;
    return h;
}

#define DEFINE_MATMUL(T, NAME, GEN, FMT, CAST) \
static T NAME##_a[M][K], NAME##_b[K][N], NAME##_c[M][N], NAME##_r[M][N]; \
\
static NOINLINE void NAME##_vec(void) { \
    for (int i = 0; i < M; i++) { \
        for (int j = 0; j < N; j++) NAME##_c[i][j] = 0; \
        for (int k = 0; k < K; k++) { \
            T a = NAME##_a[i][k]; \
            for (int j = 0; j < N; j++) NAME##_c[i][j] += a * NAME##_b[k][j]; \
        } \
    } \
} \
\
static NOINLINE void NAME##_ref(void) { \
    SCALAR for (int i = 0; i < M; i++) { \
        SCALAR for (int j = 0; j < N; j++) { \
            volatile T s = 0; \
            SCALAR for (int k = 0; k < K; k++) s += NAME##_a[i][k] * NAME##_b[k][j]; \
            NAME##_r[i][j] = s; \
        } \
    } \
} \
\
static int NAME##_run(uint32_t want) { \
    rng_seed(0x3a7 + sizeof(T)); \
    for (int i = 0; i < M; i++) for (int k = 0; k < K; k++) NAME##_a[i][k] = (GEN); \
    for (int k = 0; k < K; k++) for (int j = 0; j < N; j++) NAME##_b[k][j] = (GEN); \
    NAME##_vec(); \
    NAME##_ref(); \
    for (int i = 0; i < M; i++) \
        for (int j = 0; j < N; j++) \
            if (memcmp(&NAME##_c[i][j], &NAME##_r[i][j], sizeof(T)) != 0) \
                FAIL("c[%d][%d] = " FMT ", expected " FMT, i, j, CAST NAME##_c[i][j], CAST NAME##_r[i][j]); \
    EQ(checksum(NAME##_r, sizeof NAME##_r), want); \
    return 0; \
}

static inline float quarter(void) { return (float)((int)(rng32() % 129) - 64) * 0.25f; }

/* Unsigned, so that the wrapping is defined C; the instructions are the
 * same as for int32. */
DEFINE_MATMUL(uint32_t, i32, rng32(), "%u", (unsigned))
/* Below 2^15, so that the products (in int) cannot overflow; the sums wrap. */
DEFINE_MATMUL(uint16_t, u16, (uint16_t)(rng32() & 0x7fff), "%u", (unsigned))
DEFINE_MATMUL(float, f32, quarter(), "%a", (double))
DEFINE_MATMUL(double, f64, (double)quarter() * 1024.0 + 0.5, "%a", (double))

CASE(int32) { return i32_run(0xb40b5ccb); }
CASE(uint16_wrapping) { return u16_run(0xcf188d5f); }
CASE(float32) { return f32_run(0xb890a866); }
CASE(float64) { return f64_run(0x6b6dacdc); }

/* int16 x int16 products summed in 32 bits (wrapping): A times B transposed, a dot
 * product per element (pairs of products add like i32x4.dot_i16x8_s). */
#define DK 64
static int16_t da[M][DK], db[N][DK];
static uint32_t dc[M][N], dr[M][N];

static NOINLINE void dot_vec(void) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            uint32_t s = 0;
            for (int k = 0; k < DK; k++) s += (uint32_t)((int32_t)da[i][k] * db[j][k]);
            dc[i][j] = s;
        }
}

static NOINLINE void dot_ref(void) {
    SCALAR for (int i = 0; i < M; i++) {
        SCALAR for (int j = 0; j < N; j++) {
            volatile uint32_t s = 0;
            SCALAR for (int k = 0; k < DK; k++) s += (uint32_t)((int32_t)da[i][k] * db[j][k]);
            dr[i][j] = s;
        }
    }
}

CASE(int16_dot) {
    rng_seed(0xd07);
    for (int i = 0; i < M; i++) for (int k = 0; k < DK; k++) da[i][k] = (int16_t)rng32();
    for (int j = 0; j < N; j++) for (int k = 0; k < DK; k++) db[j][k] = (int16_t)rng32();
    /* The extreme products: -32768 * -32768 twice overflows a pair sum. */
    da[0][0] = da[0][1] = -32768;
    db[0][0] = db[0][1] = -32768;
    dot_vec();
    dot_ref();
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            if (dc[i][j] != dr[i][j]) FAIL("c[%d][%d] = %d, expected %d", i, j, (int)dc[i][j], (int)dr[i][j]);
    EQ(checksum(dr, sizeof dr), 0x9cecca35);
    return 0;
}

/* A float matrix times a vector, then scaled and clamped: mul, add, min,
 * max through the vectoriser's select forms. */
static float mv_a[M][N], mv_x[N], mv_y[M][N], mv_r[M][N];

static NOINLINE void scale_clamp_vec(void) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            float v = mv_a[i][j] * mv_x[j] + 1.5f;
            v = v < -8.0f ? -8.0f : v;
            v = v > 8.0f ? 8.0f : v;
            mv_y[i][j] = v;
        }
}

static NOINLINE void scale_clamp_ref(void) {
    SCALAR for (int i = 0; i < M; i++) {
        SCALAR for (int j = 0; j < N; j++) {
            volatile float v = mv_a[i][j] * mv_x[j] + 1.5f;
            if (v < -8.0f) v = -8.0f;
            if (v > 8.0f) v = 8.0f;
            mv_r[i][j] = v;
        }
    }
}

CASE(scale_clamp) {
    rng_seed(0xc1a);
    for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) mv_a[i][j] = quarter();
    for (int j = 0; j < N; j++) mv_x[j] = quarter() * 0.25f;
    scale_clamp_vec();
    scale_clamp_ref();
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            if (memcmp(&mv_y[i][j], &mv_r[i][j], 4) != 0)
                FAIL("y[%d][%d] = %a, expected %a", i, j, (double)mv_y[i][j], (double)mv_r[i][j]);
    EQ(checksum(mv_r, sizeof mv_r), 0xbad90be9);
    return 0;
}

#define CASES(X) X(int32) X(uint16_wrapping) X(float32) X(float64) X(int16_dot) X(scale_clamp)
TEST_MAIN(CASES)
