/* Hashes over a buffer, each computed twice: by a loop the auto-vectoriser
 * turns into v128 code (-O3 -msimd128) and by a scalar reference loop. Both
 * must agree with each other and with a constant computed on the host.
 *
 * Instructions clang 19 emits here (roughly): i32x4.mul/add/sub/shl/shr_u,
 * v128.xor/or, i64x2.mul/add/shr_u, i16x8.mul/add, i16x8.extend_low_i8x16_u,
 * i32x4.extend_low_i16x8_u, i32x4.load16x4_u, v128.load8_lane/load8_splat/
 * load32_zero/load64_zero, i8x16.shuffle, extract_lane. */
#include "common.h"

#define N 16384

static uint32_t w32[N];
static uint64_t w64[N / 2];
static uint8_t bytes[4 * N];
static uint16_t weights[4 * N];

static void fill(void) {
    rng_seed(0x5eed0001);
    for (int i = 0; i < N; i++) w32[i] = rng32();
    for (int i = 0; i < N / 2; i++) w64[i] = rng64();
    for (int i = 0; i < 4 * N; i++) bytes[i] = (uint8_t)rng32();
    for (int i = 0; i < 4 * N; i++) weights[i] = (uint16_t)rng32();
}

/* A murmur3-style finaliser: multiply and xor-shift. */
static inline uint32_t mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

struct pair { uint32_t sum, xr; };

static NOINLINE struct pair mix32_vec(const uint32_t *p, int n) {
    uint32_t s = 0, x = 0;
    for (int i = 0; i < n; i++) {
        uint32_t m = mix32(p[i] + (uint32_t)i);
        s += m;
        x ^= m;
    }
    return (struct pair){ s, x };
}

static NOINLINE struct pair mix32_ref(const uint32_t *p, int n) {
    volatile uint32_t s = 0, x = 0;
    SCALAR for (int i = 0; i < n; i++) {
        uint32_t m = mix32(p[i] + (uint32_t)i);
        s += m;
        x ^= m;
    }
    return (struct pair){ s, x };
}

CASE(mix32_sum) {
    fill();
    struct pair v = mix32_vec(w32, N), r = mix32_ref(w32, N);
    EQ(v.sum, r.sum);
    EQ(v.xr, r.xr);
    EQ(r.sum, 0x9c2d7c8c);
    EQ(r.xr, 0x44f9dc50);
    /* An odd length leaves a scalar tail after the vector loop. */
    v = mix32_vec(w32 + 1, N - 7);
    r = mix32_ref(w32 + 1, N - 7);
    EQ(v.sum, r.sum);
    EQ(v.xr, r.xr);
    return 0;
}

/* 64-bit multiply-xor, as in splitmix64. */
static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static NOINLINE uint64_t mix64_vec(const uint64_t *p, int n) {
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h ^= mix64(p[i]) + (uint64_t)i * 0x9e3779b97f4a7c15ULL;
    return h;
}

static NOINLINE uint64_t mix64_ref(const uint64_t *p, int n) {
    volatile uint64_t h = 0;
    SCALAR for (int i = 0; i < n; i++) h ^= mix64(p[i]) + (uint64_t)i * 0x9e3779b97f4a7c15ULL;
    return h;
}

CASE(mix64_xor) {
    fill();
    uint64_t v = mix64_vec(w64, N / 2), r = mix64_ref(w64, N / 2);
    EQ(v, r);
    EQ(r, 0x9dfd12819b69b47fULL);
    EQ(mix64_vec(w64 + 3, N / 2 - 5), mix64_ref(w64 + 3, N / 2 - 5));
    return 0;
}

/* Eight FNV-1a lanes over interleaved bytes (lane j takes bytes j, j+8, ...),
 * then folded into one value. The lane loop is straight-line SLP material. */
#define FNV_BASIS 0x811c9dc5u
#define FNV_PRIME 0x01000193u

static NOINLINE uint32_t fnv8_vec(const uint8_t *p, int n) {
    uint32_t h[8];
    for (int j = 0; j < 8; j++) h[j] = FNV_BASIS + (uint32_t)j;
    for (int i = 0; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) h[j] = (h[j] ^ p[i + j]) * FNV_PRIME;
    uint32_t r = FNV_BASIS;
    for (int j = 0; j < 8; j++) r = (r ^ h[j]) * FNV_PRIME;
    return r;
}

static NOINLINE uint32_t fnv8_ref(const uint8_t *p, int n) {
    volatile uint32_t h[8];
    SCALAR for (int j = 0; j < 8; j++) h[j] = FNV_BASIS + (uint32_t)j;
    SCALAR for (int i = 0; i + 8 <= n; i += 8) {
        SCALAR for (int j = 0; j < 8; j++) h[j] = (h[j] ^ p[i + j]) * FNV_PRIME;
    }
    uint32_t r = FNV_BASIS;
    SCALAR for (int j = 0; j < 8; j++) r = (r ^ h[j]) * FNV_PRIME;
    return r;
}

CASE(fnv_lanes) {
    fill();
    uint32_t v = fnv8_vec(bytes, 4 * N), r = fnv8_ref(bytes, 4 * N);
    EQ(v, r);
    EQ(r, 0xe437023a);
    /* Plain one-lane FNV-1a of "hello" as a sanity check of the constants. */
    uint32_t h = FNV_BASIS;
    const char *s = "hello";
    for (volatile int i = 0; s[i]; i++) h = (h ^ (uint8_t)s[i]) * FNV_PRIME;
    EQ(h, 0x4f9f2cabu);
    return 0;
}

/* A weighted byte sum and a rotate-xor, the widening multiply and rotate
 * forms of the vectoriser. */
static NOINLINE uint32_t weighted_vec(const uint8_t *p, const uint16_t *w, int n) {
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += (uint32_t)p[i] * w[i];
    return s;
}

static NOINLINE uint32_t weighted_ref(const uint8_t *p, const uint16_t *w, int n) {
    volatile uint32_t s = 0;
    SCALAR for (int i = 0; i < n; i++) s += (uint32_t)p[i] * w[i];
    return s;
}

static NOINLINE uint32_t rotxor_vec(const uint32_t *p, int n) {
    uint32_t h = 0;
    for (int i = 0; i < n; i++) {
        uint32_t x = p[i];
        h ^= ((x << 13) | (x >> 19)) + (x >> 7) - (x << 3);
    }
    return h;
}

static NOINLINE uint32_t rotxor_ref(const uint32_t *p, int n) {
    volatile uint32_t h = 0;
    SCALAR for (int i = 0; i < n; i++) {
        uint32_t x = p[i];
        h ^= ((x << 13) | (x >> 19)) + (x >> 7) - (x << 3);
    }
    return h;
}

/* Bytes summed into 16-bit lanes that wrap, then the lanes folded. */
static NOINLINE uint32_t bytesum16_vec(const uint8_t *p, int n) {
    uint16_t acc[16] = {0};
    for (int i = 0; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; j++) acc[j] = (uint16_t)(acc[j] + p[i + j] * 3);
    uint32_t r = 0;
    for (int j = 0; j < 16; j++) r = r * 31 + acc[j];
    return r;
}

static NOINLINE uint32_t bytesum16_ref(const uint8_t *p, int n) {
    volatile uint16_t acc[16] = {0};
    SCALAR for (int i = 0; i + 16 <= n; i += 16) {
        SCALAR for (int j = 0; j < 16; j++) acc[j] = (uint16_t)(acc[j] + p[i + j] * 3);
    }
    uint32_t r = 0;
    SCALAR for (int j = 0; j < 16; j++) r = r * 31 + acc[j];
    return r;
}

CASE(widening) {
    fill();
    uint32_t v = weighted_vec(bytes, weights, 4 * N), r = weighted_ref(bytes, weights, 4 * N);
    EQ(v, r);
    EQ(r, 0xa284bd61);
    EQ(weighted_vec(bytes + 5, weights + 1, 1000), weighted_ref(bytes + 5, weights + 1, 1000));
    v = bytesum16_vec(bytes, 4 * N);
    r = bytesum16_ref(bytes, 4 * N);
    EQ(v, r);
    EQ(r, 0xac8d1cd);
    return 0;
}

CASE(rotate_xor) {
    fill();
    uint32_t v = rotxor_vec(w32, N), r = rotxor_ref(w32, N);
    EQ(v, r);
    EQ(r, 0xaa905cda);
    EQ(rotxor_vec(w32 + 2, 13), rotxor_ref(w32 + 2, 13));
    return 0;
}

#define CASES(X) X(mix32_sum) X(mix64_xor) X(fnv_lanes) X(widening) X(rotate_xor)
TEST_MAIN(CASES)
