/* Explicit wasm_simd128.h intrinsics with expected values written by hand
 * from the WebAssembly SIMD specification (no host reference: this file
 * only builds for wasm32). Inputs pass through a volatile v128 so that the
 * compiler cannot fold the instruction away; results are compared byte for
 * byte, except lanes expected to be "some NaN" (EXPECT_F32/F64 with NAN).
 *
 * Instructions reached: i8x16.shuffle, i8x16.swizzle, splats, add_sat/
 * sub_sat (s/u, 8 and 16 bits), i16x8.q15mulr_sat_s, i32x4.dot_i16x8_s,
 * bitmask (all shapes), v128.any_true, all_true (all shapes), load/store
 * lane, load_zero, load_splat, load extend, extract_lane (s/u)/replace_lane,
 * f32x4/f64x2 min/max/pmin/pmax, narrow (s/u), extend, extadd_pairwise,
 * extmul, i8x16.popcnt, shifts (counts taken modulo the lane width),
 * trunc_sat (f32x4 and f64x2 _zero), convert, demote/promote, rounding,
 * sqrt/abs/neg/div, comparisons, avgr_u, abs/neg, i64x2.mul, bitselect,
 * andnot, not. */
#include <math.h>
#include <wasm_simd128.h>
#include "common.h"

static volatile v128_t g_sink;
/* The value v, unknown to the optimiser. */
static v128_t opaque(v128_t v) { g_sink = v; return g_sink; }
static volatile int g_int;
static int opaque_int(int x) { g_int = x; return g_int; }
static uint8_t *volatile g_ptr;
static uint8_t *opaque_ptr(uint8_t *p) { g_ptr = p; return g_ptr; }

static void hex16(char *out, const uint8_t *b) {
    for (int i = 0; i < 16; i++) sprintf(out + 3 * i, i == 15 ? "%02x" : "%02x ", b[i]);
}

static int expect_bytes(v128_t got, v128_t want, const char *what, int line) {
    uint8_t g[16], w[16];
    wasm_v128_store(g, got);
    wasm_v128_store(w, want);
    if (memcmp(g, w, 16) == 0) return 0;
    char gs[64], ws[64];
    hex16(gs, g);
    hex16(ws, w);
    failmsg("line %d: %s = [%s], expected [%s]", line, what, gs, ws);
    return 1;
}
/* got (computed) must equal want (a constant) bit for bit. */
#define EXPECT(got, want) do { if (expect_bytes((got), (want), #got, __LINE__)) return 1; } while (0)
#define EXPECT_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) FAIL("line %d: %s = %lld, expected %lld", __LINE__, #got, g_, w_); } while (0)

/* Float lanes: bit for bit, except that an expected NAN accepts any NaN. */
static int expect_f32(v128_t got, const float *w, const char *what, int line) {
    float g[4];
    wasm_v128_store(g, got);
    for (int i = 0; i < 4; i++) {
        uint32_t gb, wb;
        memcpy(&gb, &g[i], 4);
        memcpy(&wb, &w[i], 4);
        if (isnan(w[i]) ? isnan(g[i]) : gb == wb) continue;
        failmsg("line %d: %s lane %d = %a (0x%08x), expected %a (0x%08x)", line, what, i,
                (double)g[i], gb, (double)w[i], wb);
        return 1;
    }
    return 0;
}
static int expect_f64(v128_t got, const double *w, const char *what, int line) {
    double g[2];
    wasm_v128_store(g, got);
    for (int i = 0; i < 2; i++) {
        uint64_t gb, wb;
        memcpy(&gb, &g[i], 8);
        memcpy(&wb, &w[i], 8);
        if (isnan(w[i]) ? isnan(g[i]) : gb == wb) continue;
        failmsg("line %d: %s lane %d = %a, expected %a", line, what, i, g[i], w[i]);
        return 1;
    }
    return 0;
}
#define EXPECT_F32(got, ...) do { const float w_[4] = { __VA_ARGS__ }; \
    if (expect_f32((got), w_, #got, __LINE__)) return 1; } while (0)
#define EXPECT_F64(got, ...) do { const double w_[2] = { __VA_ARGS__ }; \
    if (expect_f64((got), w_, #got, __LINE__)) return 1; } while (0)

#define I8(...) opaque(wasm_i8x16_make(__VA_ARGS__))
#define U8(...) opaque(wasm_u8x16_make(__VA_ARGS__))
#define I16(...) opaque(wasm_i16x8_make(__VA_ARGS__))
#define U16(...) opaque(wasm_u16x8_make(__VA_ARGS__))
#define I32(...) opaque(wasm_i32x4_make(__VA_ARGS__))
#define U32(...) opaque(wasm_u32x4_make(__VA_ARGS__))
#define I64(...) opaque(wasm_i64x2_make(__VA_ARGS__))
#define U64(...) opaque(wasm_u64x2_make(__VA_ARGS__))
#define F32(...) opaque(wasm_f32x4_make(__VA_ARGS__))
#define F64(...) opaque(wasm_f64x2_make(__VA_ARGS__))

CASE(shuffle_swizzle) {
    v128_t a = U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    v128_t b = U8(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    EXPECT(wasm_i8x16_shuffle(a, b, 0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31),
           wasm_u8x16_const(0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31));
    EXPECT(wasm_i8x16_shuffle(a, b, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16),
           wasm_u8x16_const(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16));
    EXPECT(wasm_i8x16_shuffle(a, b, 5, 5, 5, 5, 16, 16, 16, 16, 0, 31, 0, 31, 15, 15, 16, 0),
           wasm_u8x16_const(5, 5, 5, 5, 16, 16, 16, 16, 0, 31, 0, 31, 15, 15, 16, 0));
    EXPECT(wasm_i16x8_shuffle(a, b, 7, 6, 5, 4, 3, 2, 1, 0),
           wasm_u8x16_const(14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1));
    EXPECT(wasm_i32x4_shuffle(a, b, 4, 0, 7, 3),
           wasm_u8x16_const(16, 17, 18, 19, 0, 1, 2, 3, 28, 29, 30, 31, 12, 13, 14, 15));
    /* swizzle: an index of 16 or more selects 0. */
    v128_t t = U8(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115);
    v128_t idx = U8(0, 15, 16, 255, 3, 0x80, 7, 17, 1, 1, 1, 1, 14, 200, 5, 31);
    EXPECT(wasm_i8x16_swizzle(t, idx),
           wasm_u8x16_const(100, 115, 0, 0, 103, 0, 107, 0, 101, 101, 101, 101, 114, 0, 105, 0));
    EXPECT(wasm_i8x16_splat((int8_t)opaque_int(0x1a7)), wasm_u8x16_const_splat(0xa7));
    EXPECT(wasm_i16x8_splat((int16_t)opaque_int(-2)), wasm_u8x16_const_splat(0xff) & wasm_u16x8_const_splat(0xfffe));
    EXPECT(wasm_i64x2_splat((int64_t)opaque_int(-3) << 32),
           wasm_u32x4_const(0, 0xfffffffd, 0, 0xfffffffd));
    EXPECT(wasm_f64x2_splat((double)opaque_int(3) / 2), wasm_u32x4_const(0, 0x3ff80000, 0, 0x3ff80000));
    return 0;
}

CASE(saturating) {
    v128_t a = I8(100, -100, 127, -128, 1, -1, 50, 0, 100, -100, 127, -128, 1, -1, 50, 0);
    v128_t b = I8(100, -100, 1, -1, -1, 1, 50, 0, 100, -100, 1, -1, -1, 1, 50, 0);
    EXPECT(wasm_i8x16_add_sat(a, b),
           wasm_i8x16_const(127, -128, 127, -128, 0, 0, 100, 0, 127, -128, 127, -128, 0, 0, 100, 0));
    /* The plain add wraps. */
    EXPECT(wasm_i8x16_add(a, b),
           wasm_i8x16_const(-56, 56, -128, 127, 0, 0, 100, 0, -56, 56, -128, 127, 0, 0, 100, 0));
    a = U8(200, 255, 0, 100, 128, 1, 254, 10, 0, 0, 0, 0, 0, 0, 0, 255);
    b = U8(100, 1, 0, 155, 128, 254, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0);
    EXPECT(wasm_u8x16_add_sat(a, b),
           wasm_u8x16_const(255, 255, 0, 255, 255, 255, 255, 20, 0, 0, 0, 0, 0, 0, 0, 255));
    a = I8(-100, 100, -128, 127, 0, 0, 10, -10, 0, 0, 0, 0, 0, 0, 0, 0);
    b = I8(100, -100, 1, -1, -128, 127, 20, -20, 0, 0, 0, 0, 0, 0, 0, 1);
    EXPECT(wasm_i8x16_sub_sat(a, b),
           wasm_i8x16_const(-128, 127, -128, 127, 127, -127, -10, 10, 0, 0, 0, 0, 0, 0, 0, -1));
    a = U8(10, 200, 0, 255, 128, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0);
    b = U8(20, 100, 1, 255, 127, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    EXPECT(wasm_u8x16_sub_sat(a, b),
           wasm_u8x16_const(0, 100, 0, 0, 1, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0));
    a = I16(30000, -30000, 32767, -32768, 1, -1, 1000, 0);
    b = I16(30000, -30000, 1, -1, -1, 1, 2000, 0);
    EXPECT(wasm_i16x8_add_sat(a, b), wasm_i16x8_const(32767, -32768, 32767, -32768, 0, 0, 3000, 0));
    a = U16(60000, 65535, 1, 0, 32768, 100, 65534, 7);
    b = U16(10000, 1, 1, 0, 32768, 200, 1, 8);
    EXPECT(wasm_u16x8_add_sat(a, b), wasm_u16x8_const(65535, 65535, 2, 0, 65535, 300, 65535, 15));
    a = I16(-30000, 30000, 0, 5, 0, 0, -1, 32767);
    b = I16(10000, -10000, -32768, 10, 0, 32767, 32767, -1);
    EXPECT(wasm_i16x8_sub_sat(a, b), wasm_i16x8_const(-32768, 32767, 32767, -5, 0, -32767, -32768, 32767));
    a = U16(5, 60000, 0, 65535, 0, 0, 0, 0);
    b = U16(10, 1, 1, 65535, 0, 0, 0, 0);
    EXPECT(wasm_u16x8_sub_sat(a, b), wasm_u16x8_const(0, 59999, 0, 0, 0, 0, 0, 0));
    return 0;
}

CASE(q15mulr_dot) {
    /* (a * b + 0x4000) >> 15 (arithmetic), saturated to int16. */
    v128_t a = I16(-32768, 16384, 32767, -32768, 1, 1, -1, -1);
    v128_t b = I16(-32768, 16384, 32767, 32767, 16384, 16383, 16384, 16385);
    EXPECT(wasm_i16x8_q15mulr_sat(a, b), wasm_i16x8_const(32767, 8192, 32766, -32767, 1, 0, 0, -1));
    /* Pairs of products summed: -32768^2 * 2 = 2^31 wraps to INT32_MIN. */
    a = I16(1, 2, 3, 4, -5, 6, -32768, -32768);
    b = I16(10, 20, 30, 40, 7, -8, -32768, -32768);
    EXPECT(wasm_i32x4_dot_i16x8(a, b), wasm_i32x4_const(50, 250, -83, INT32_MIN));
    /* The plain multiply keeps the low 16 bits. */
    a = I16(300, -300, 256, 2, 0, 1, -1, 181);
    b = I16(300, 300, 256, -3, 7, -1, -1, 181);
    EXPECT(wasm_i16x8_mul(a, b), wasm_i16x8_const(24464, -24464, 0, -6, 0, -1, 1, 32761));
    return 0;
}

CASE(bitmask_alltrue) {
    v128_t v = U8(0x80, 0, 0xff, 0x7f, 0, 0, 0, 0x90, 1, 2, 3, 0x80, 0, 0, 0, 0xfe);
    EXPECT_INT(wasm_i8x16_bitmask(v), 0x8885);
    EXPECT_INT(wasm_i16x8_bitmask(I16(-1, 0, 0x7fff, -32768, 1, -2, 0, -32768)), 0xa9);
    EXPECT_INT(wasm_i32x4_bitmask(I32(-1, 1, INT32_MIN, 0)), 5);
    EXPECT_INT(wasm_i64x2_bitmask(I64(0, -1)), 2);
    EXPECT_INT(wasm_i64x2_bitmask(I64(INT64_MAX, INT64_MIN)), 2);
    EXPECT_INT(wasm_v128_any_true(I32(0, 0, 0, 0)), 0);
    EXPECT_INT(wasm_v128_any_true(U8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40)), 1);
    EXPECT_INT(wasm_i8x16_all_true(U8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x80)), 1);
    EXPECT_INT(wasm_i8x16_all_true(U8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 16)), 0);
    /* Lanes that are non-zero as a whole, made of bytes that are zero. */
    v128_t h = U16(0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x1);
    EXPECT_INT(wasm_i8x16_all_true(h), 0);
    EXPECT_INT(wasm_i16x8_all_true(h), 1);
    EXPECT_INT(wasm_i16x8_all_true(U16(0x100, 0x100, 0, 0x100, 0x100, 0x100, 0x100, 0x1)), 0);
    v128_t w = U32(0x10000, 0x10000, 0x80000000, 1);
    EXPECT_INT(wasm_i16x8_all_true(w), 0);
    EXPECT_INT(wasm_i32x4_all_true(w), 1);
    v128_t d = I64((int64_t)1 << 40, 1);
    EXPECT_INT(wasm_i32x4_all_true(d), 0);
    EXPECT_INT(wasm_i64x2_all_true(d), 1);
    EXPECT_INT(wasm_i64x2_all_true(I64(0, -1)), 0);
    return 0;
}

CASE(lanes) {
    v128_t v = U8(0xff, 0x80, 127, 5, 0xfe, 0xff, 0, 0x80, 1, 2, 3, 4, 5, 6, 7, 0x81);
    EXPECT_INT(wasm_i8x16_extract_lane(v, 0), -1);
    EXPECT_INT(wasm_u8x16_extract_lane(v, 0), 255);
    EXPECT_INT(wasm_i8x16_extract_lane(v, 1), -128);
    EXPECT_INT(wasm_u8x16_extract_lane(v, 1), 128);
    EXPECT_INT(wasm_i8x16_extract_lane(v, 15), -127);
    EXPECT_INT(wasm_i16x8_extract_lane(v, 2), -2);      /* 0xfffe */
    EXPECT_INT(wasm_u16x8_extract_lane(v, 3), 0x8000);
    EXPECT_INT(wasm_i16x8_extract_lane(v, 3), -32768);
    EXPECT_INT(wasm_i32x4_extract_lane(v, 0), 0x057f80ff);
    EXPECT_INT(wasm_i32x4_extract_lane(v, 3), (int32_t)0x81070605);
    EXPECT_INT(wasm_i64x2_extract_lane(v, 1), (int64_t)0x8107060504030201ULL);
    v128_t f = F32(1.5f, -2.0f, 0.25f, 1e10f);
    CHECK(wasm_f32x4_extract_lane(f, 1) == -2.0f, "f32x4 lane 1");
    CHECK(wasm_f32x4_extract_lane(f, 3) == 1e10f, "f32x4 lane 3");
    CHECK(wasm_f64x2_extract_lane(F64(-0.5, 3.25), 1) == 3.25, "f64x2 lane 1");

    v128_t z = I32(0, 0, 0, 0);
    EXPECT(wasm_i8x16_replace_lane(z, 15, (int8_t)opaque_int(0xab)),
           wasm_u8x16_const(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab));
    EXPECT(wasm_i16x8_replace_lane(z, 3, (int16_t)opaque_int(0x11234)),
           wasm_u8x16_const(0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_i32x4_replace_lane(v, 2, opaque_int(-1)),
           wasm_u8x16_const(0xff, 0x80, 127, 5, 0xfe, 0xff, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 5, 6, 7, 0x81));
    EXPECT(wasm_i64x2_replace_lane(z, 1, (int64_t)opaque_int(7) << 56),
           wasm_u8x16_const(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7));
    EXPECT(wasm_f32x4_replace_lane(z, 0, (float)opaque_int(3) / 2.0f), wasm_u32x4_const(0x3fc00000, 0, 0, 0));
    EXPECT(wasm_f64x2_replace_lane(z, 1, -(double)opaque_int(2)), wasm_u32x4_const(0, 0, 0, 0xc0000000));
    return 0;
}

static uint8_t mem[64];

CASE(load_store_lanes) {
    for (int i = 0; i < 16; i++) mem[i] = (uint8_t)i;
    for (int i = 0; i < 16; i++) mem[16 + i] = (uint8_t)(0xf0 + i);
    uint8_t *p = opaque_ptr(mem);
    v128_t e = wasm_u8x16_splat((uint8_t)opaque_int(0xee));
    EXPECT(wasm_v128_load8_lane(p + 5, e, 3),
           wasm_u8x16_const(0xee, 0xee, 0xee, 5, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee));
    EXPECT(wasm_v128_load16_lane(p + 6, e, 7),
           wasm_u8x16_const(0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 6, 7));
    EXPECT(wasm_v128_load32_lane(p + 1, e, 1),
           wasm_u8x16_const(0xee, 0xee, 0xee, 0xee, 1, 2, 3, 4, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee));
    EXPECT(wasm_v128_load64_lane(p + 9, e, 0),
           wasm_u8x16_const(9, 10, 11, 12, 13, 14, 15, 0xf0, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee));
    EXPECT(wasm_v128_load32_zero(p + 2), wasm_u8x16_const(2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_v128_load64_zero(p + 3), wasm_u8x16_const(3, 4, 5, 6, 7, 8, 9, 10, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_v128_load8_splat(p + 7), wasm_u8x16_const_splat(7));
    EXPECT(wasm_v128_load16_splat(p + 4), wasm_u8x16_const(4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5));
    EXPECT(wasm_v128_load32_splat(p + 8), wasm_u8x16_const(8, 9, 10, 11, 8, 9, 10, 11, 8, 9, 10, 11, 8, 9, 10, 11));
    EXPECT(wasm_v128_load64_splat(p + 1), wasm_u8x16_const(1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8));
    EXPECT(wasm_v128_load(p + 3), wasm_u8x16_const(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xf0, 0xf1, 0xf2));
    /* Loads that extend: 0xf0 is -16 as int8, 0xf1f0 is -3600 as int16. */
    EXPECT(wasm_i16x8_load8x8(p + 16), wasm_i16x8_const(-16, -15, -14, -13, -12, -11, -10, -9));
    EXPECT(wasm_u16x8_load8x8(p + 16), wasm_u16x8_const(240, 241, 242, 243, 244, 245, 246, 247));
    EXPECT(wasm_i32x4_load16x4(p + 16), wasm_i32x4_const(-3600, -3086, -2572, -2058));
    EXPECT(wasm_u32x4_load16x4(p + 16), wasm_u32x4_const(0xf1f0, 0xf3f2, 0xf5f4, 0xf7f6));
    EXPECT(wasm_i64x2_load32x2(p + 16), wasm_u64x2_const(0xfffffffff3f2f1f0ULL, 0xfffffffff7f6f5f4ULL));
    EXPECT(wasm_u64x2_load32x2(p + 16), wasm_u64x2_const(0xf3f2f1f0ULL, 0xf7f6f5f4ULL));
    EXPECT(wasm_i32x4_load16x4(p + 1), wasm_i32x4_const(0x0201, 0x0403, 0x0605, 0x0807));

    /* Stores of one lane write exactly that lane's bytes. */
    uint8_t *q = opaque_ptr(mem + 32);
    memset(mem + 32, 0, 32);
    v128_t s = wasm_u8x16_make(0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                               0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf);
    s = opaque(s);
    wasm_v128_store8_lane(q + 1, s, 5);
    wasm_v128_store16_lane(q + 3, s, 7);
    wasm_v128_store32_lane(q + 6, s, 1);
    wasm_v128_store64_lane(q + 11, s, 1);
    const uint8_t want[32] = { 0, 0xa5, 0, 0xae, 0xaf, 0, 0xa4, 0xa5, 0xa6, 0xa7, 0,
                               0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0 };
    for (int i = 0; i < 32; i++)
        CHECK(mem[32 + i] == want[i], "after lane stores, byte %d = 0x%02x, expected 0x%02x", i, mem[32 + i], want[i]);
    /* An unaligned full store. */
    wasm_v128_store(q + 13, s);
    for (int i = 0; i < 16; i++) CHECK(mem[45 + i] == 0xa0 + i, "unaligned store byte %d", i);
    CHECK(mem[44] == 0xa9 && mem[61] == 0, "unaligned store wrote outside its 16 bytes");
    return 0;
}

CASE(float_minmax) {
    float qnan;
    uint32_t qbits = 0x7fc00001; /* a NaN with a payload: pmin/pmax keep it exactly */
    memcpy(&qnan, &qbits, 4);
    v128_t a = F32(-0.0f, 1.0f, qnan, 2.0f);
    v128_t b = F32(0.0f, qnan, 3.0f, -5.0f);
    EXPECT_F32(wasm_f32x4_min(a, b), -0.0f, NAN, NAN, -5.0f);
    EXPECT_F32(wasm_f32x4_min(b, a), -0.0f, NAN, NAN, -5.0f);
    EXPECT_F32(wasm_f32x4_max(a, b), 0.0f, NAN, NAN, 2.0f);
    EXPECT_F32(wasm_f32x4_max(b, a), 0.0f, NAN, NAN, 2.0f);
    /* pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a. */
    EXPECT(wasm_f32x4_pmin(a, b), wasm_u32x4_const(0x80000000, 0x3f800000, 0x7fc00001, 0xc0a00000));
    EXPECT(wasm_f32x4_pmin(b, a), wasm_u32x4_const(0x00000000, 0x7fc00001, 0x40400000, 0xc0a00000));
    EXPECT(wasm_f32x4_pmax(a, b), wasm_u32x4_const(0x80000000, 0x3f800000, 0x7fc00001, 0x40000000));
    EXPECT(wasm_f32x4_pmax(b, a), wasm_u32x4_const(0x00000000, 0x7fc00001, 0x40400000, 0x40000000));
    v128_t c = F64(-0.0, NAN);
    v128_t d = F64(0.0, 1.0);
    EXPECT_F64(wasm_f64x2_min(c, d), -0.0, NAN);
    EXPECT_F64(wasm_f64x2_min(d, c), -0.0, NAN);
    EXPECT_F64(wasm_f64x2_max(d, c), 0.0, NAN);
    EXPECT_F64(wasm_f64x2_max(F64(-1.0, 1e300), F64(-2.0, -INFINITY)), -1.0, 1e300);
    EXPECT_F64(wasm_f64x2_pmin(c, d), -0.0, NAN);
    EXPECT_F64(wasm_f64x2_pmin(d, c), 0.0, 1.0);
    EXPECT_F64(wasm_f64x2_pmax(F64(1.0, -0.0), F64(2.0, 0.0)), 2.0, -0.0);
    return 0;
}

CASE(narrow_extend) {
    v128_t a = I16(300, -300, 127, -128, 128, -129, 0, -1);
    v128_t b = I16(1, 2, 3, 4, 32767, -32768, 100, -100);
    EXPECT(wasm_i8x16_narrow_i16x8(a, b),
           wasm_i8x16_const(127, -128, 127, -128, 127, -128, 0, -1, 1, 2, 3, 4, 127, -128, 100, -100));
    EXPECT(wasm_u8x16_narrow_i16x8(a, b),
           wasm_u8x16_const(255, 0, 127, 0, 128, 0, 0, 0, 1, 2, 3, 4, 255, 0, 100, 0));
    a = I32(70000, -70000, 32767, -32768);
    b = I32(1, -1, 40000, -40000);
    EXPECT(wasm_i16x8_narrow_i32x4(a, b), wasm_i16x8_const(32767, -32768, 32767, -32768, 1, -1, 32767, -32768));
    EXPECT(wasm_u16x8_narrow_i32x4(a, b), wasm_u16x8_const(65535, 0, 32767, 0, 1, 0, 40000, 0));

    v128_t v = U8(0xff, 2, 0x80, 127, 0, 1, 0xfe, 3, 10, 0x90, 11, 12, 13, 14, 15, 0xff);
    EXPECT(wasm_i16x8_extend_low_i8x16(v), wasm_i16x8_const(-1, 2, -128, 127, 0, 1, -2, 3));
    EXPECT(wasm_u16x8_extend_low_u8x16(v), wasm_u16x8_const(255, 2, 128, 127, 0, 1, 254, 3));
    EXPECT(wasm_i16x8_extend_high_i8x16(v), wasm_i16x8_const(10, -112, 11, 12, 13, 14, 15, -1));
    EXPECT(wasm_u16x8_extend_high_u8x16(v), wasm_u16x8_const(10, 144, 11, 12, 13, 14, 15, 255));
    v128_t h = U16(1, 2, 3, 4, 0xffff, 1, 0x8000, 2);
    EXPECT(wasm_u32x4_extend_high_u16x8(h), wasm_u32x4_const(65535, 1, 32768, 2));
    EXPECT(wasm_i32x4_extend_high_i16x8(h), wasm_i32x4_const(-1, 1, -32768, 2));
    EXPECT(wasm_i64x2_extend_low_i32x4(I32(-5, 7, 0, 0)), wasm_i64x2_const(-5, 7));
    EXPECT(wasm_u64x2_extend_high_u32x4(I32(0, 0, -1, 3)), wasm_u64x2_const(0xffffffffULL, 3));
    EXPECT(wasm_i64x2_extend_high_i32x4(I32(0, 0, -1, 3)), wasm_i64x2_const(-1, 3));

    EXPECT(wasm_i16x8_extadd_pairwise_i8x16(v), wasm_i16x8_const(1, -1, 1, 1, -102, 23, 27, 14));
    EXPECT(wasm_u16x8_extadd_pairwise_u8x16(v), wasm_u16x8_const(257, 255, 1, 257, 154, 23, 27, 270));
    EXPECT(wasm_u32x4_extadd_pairwise_u16x8(U16(65535, 65535, 1, 2, 0x8000, 0x8000, 0, 7)),
           wasm_u32x4_const(131070, 3, 65536, 7));
    EXPECT(wasm_i32x4_extadd_pairwise_i16x8(U16(65535, 65535, 1, 2, 0x8000, 0x8000, 0, 7)),
           wasm_i32x4_const(-2, 3, -65536, 7));

    v128_t m2 = wasm_i8x16_splat((int8_t)opaque_int(-2));
    EXPECT(wasm_i16x8_extmul_low_i8x16(v, m2), wasm_i16x8_const(2, -4, 256, -254, 0, -2, 4, -6));
    EXPECT(wasm_u16x8_extmul_high_u8x16(v, m2),
           wasm_u16x8_const(2540, 36576, 2794, 3048, 3302, 3556, 3810, 64770));
    a = U16(0, 0, 0, 0, 65535, 2, 3, 4);
    b = U16(0, 0, 0, 0, 65535, 5, 6, 7);
    EXPECT(wasm_u32x4_extmul_high_u16x8(a, b), wasm_u32x4_const(0xfffe0001u, 10, 18, 28));
    EXPECT(wasm_i32x4_extmul_high_i16x8(a, b), wasm_i32x4_const(1, 10, 18, 28));
    EXPECT(wasm_i64x2_extmul_low_i32x4(I32(-2, 3, 0, 0), I32(INT32_MAX, -4, 0, 0)),
           wasm_i64x2_const(-4294967294LL, -12));
    EXPECT(wasm_u64x2_extmul_high_u32x4(I32(0, 0, -1, 2), I32(0, 0, -1, 3)),
           wasm_u64x2_const(0xfffffffe00000001ULL, 6));
    return 0;
}

CASE(popcnt_shifts) {
    v128_t v = U8(0, 1, 3, 0xff, 0x80, 0x55, 0xaa, 0x0f, 7, 0xfe, 0x10, 0x11, 0x33, 0x77, 0xf0, 0x81);
    EXPECT(wasm_i8x16_popcnt(v), wasm_u8x16_const(0, 1, 2, 8, 1, 4, 4, 4, 3, 7, 1, 2, 4, 6, 4, 2));
    /* Shift counts are taken modulo the lane width. */
    v128_t s = U8(1, 0x81, 0x40, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80);
    EXPECT(wasm_i8x16_shl(s, opaque_int(9)), wasm_u8x16_const(2, 2, 0x80, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_i8x16_shr(s, opaque_int(1)), wasm_u8x16_const(0, 0xc0, 0x20, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0));
    EXPECT(wasm_u8x16_shr(s, opaque_int(1)), wasm_u8x16_const(0, 0x40, 0x20, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40));
    EXPECT(wasm_u8x16_shr(s, opaque_int(8)), s);
    v128_t h = I16(-32768, 1, -1, 0x4000, 3, -3, 0, 0x7fff);
    EXPECT(wasm_i16x8_shr(h, opaque_int(17)), wasm_i16x8_const(-16384, 0, -1, 0x2000, 1, -2, 0, 0x3fff));
    EXPECT(wasm_u16x8_shr(h, opaque_int(15)), wasm_u16x8_const(1, 0, 1, 0, 0, 1, 0, 0));
    EXPECT(wasm_i16x8_shl(h, opaque_int(1)), wasm_i16x8_const(0, 2, -2, -32768, 6, -6, 0, -2));
    v128_t w = I32(1, -1, INT32_MIN, 0x12345678);
    EXPECT(wasm_i32x4_shl(w, opaque_int(32)), w);
    EXPECT(wasm_i32x4_shl(w, opaque_int(36)), wasm_i32x4_const(16, -16, 0, 0x23456780));
    EXPECT(wasm_i32x4_shr(w, opaque_int(31)), wasm_i32x4_const(0, -1, -1, 0));
    EXPECT(wasm_u32x4_shr(w, opaque_int(-4)), wasm_u32x4_const(0, 0xf, 0x8, 0x1)); /* -4 & 31 = 28 */
    v128_t d = I64(INT64_MIN, 3);
    EXPECT(wasm_u64x2_shr(d, opaque_int(65)), wasm_u64x2_const(0x4000000000000000ULL, 1));
    EXPECT(wasm_i64x2_shr(d, opaque_int(1)), wasm_u64x2_const(0xc000000000000000ULL, 1));
    EXPECT(wasm_i64x2_shl(d, opaque_int(63)), wasm_u64x2_const(0, 0x8000000000000000ULL));
    return 0;
}

CASE(trunc_convert) {
    EXPECT(wasm_i32x4_trunc_sat_f32x4(F32(NAN, 3e9f, -3e9f, -1.9f)), wasm_i32x4_const(0, INT32_MAX, INT32_MIN, -1));
    EXPECT(wasm_i32x4_trunc_sat_f32x4(F32(2147483520.0f, 1.9f, -0.5f, 100.7f)),
           wasm_i32x4_const(2147483520, 1, 0, 100));
    EXPECT(wasm_u32x4_trunc_sat_f32x4(F32(NAN, -1.0f, 5e9f, 4294967040.0f)),
           wasm_u32x4_const(0, 0, 0xffffffffu, 4294967040u));
    EXPECT(wasm_u32x4_trunc_sat_f32x4(F32(-0.9f, 3.99f, INFINITY, -INFINITY)), wasm_u32x4_const(0, 3, 0xffffffffu, 0));
    EXPECT(wasm_i32x4_trunc_sat_f64x2_zero(F64(-1e10, 7.9)), wasm_i32x4_const(INT32_MIN, 7, 0, 0));
    EXPECT(wasm_i32x4_trunc_sat_f64x2_zero(F64(-2147483648.9, 2147483647.9)), wasm_i32x4_const(INT32_MIN, INT32_MAX, 0, 0));
    EXPECT(wasm_u32x4_trunc_sat_f64x2_zero(F64(NAN, 4294967296.0)), wasm_u32x4_const(0, 0xffffffffu, 0, 0));
    EXPECT(wasm_u32x4_trunc_sat_f64x2_zero(F64(4294967295.5, -0.99)), wasm_u32x4_const(0xffffffffu, 0, 0, 0));
    /* Conversions round to nearest, ties to even: 16777217 -> 2^24,
     * 16777219 -> 2^24 + 4. */
    EXPECT_F32(wasm_f32x4_convert_i32x4(I32(-1, 16777217, INT32_MIN, 7)), -1.0f, 16777216.0f, -2147483648.0f, 7.0f);
    EXPECT_F32(wasm_f32x4_convert_u32x4(U32(0xffffffffu, 1, 16777219, 0)), 4294967296.0f, 1.0f, 16777220.0f, 0.0f);
    EXPECT_F64(wasm_f64x2_convert_low_i32x4(I32(-3, INT32_MAX, 99, 99)), -3.0, 2147483647.0);
    EXPECT_F64(wasm_f64x2_convert_low_u32x4(U32(0xffffffffu, 0, 99, 99)), 4294967295.0, 0.0);
    EXPECT(wasm_f32x4_demote_f64x2_zero(F64(1e300, 0.1)), wasm_u32x4_const(0x7f800000, 0x3dcccccd, 0, 0));
    EXPECT(wasm_f64x2_promote_low_f32x4(F32(1.5f, -0.0f, 99.0f, 99.0f)), wasm_f64x2_const(1.5, -0.0));
    return 0;
}

CASE(float_arith) {
    /* nearest: ties to even, and the sign of zero kept. */
    EXPECT_F32(wasm_f32x4_nearest(F32(2.5f, -0.5f, 3.5f, -2.5f)), 2.0f, -0.0f, 4.0f, -2.0f);
    EXPECT_F32(wasm_f32x4_ceil(F32(-0.5f, 1.1f, -1.5f, 1e30f)), -0.0f, 2.0f, -1.0f, 1e30f);
    EXPECT_F32(wasm_f32x4_floor(F32(-0.5f, 0.5f, -2.0f, -1e-30f)), -1.0f, 0.0f, -2.0f, -1.0f);
    EXPECT_F32(wasm_f32x4_trunc(F32(-1.7f, 2.9f, -0.3f, 8388609.0f)), -1.0f, 2.0f, -0.0f, 8388609.0f);
    EXPECT_F64(wasm_f64x2_nearest(F64(0.5, -1.5)), 0.0, -2.0);
    EXPECT_F64(wasm_f64x2_floor(F64(-0.0, -4.5)), -0.0, -5.0);
    EXPECT_F64(wasm_f64x2_ceil(F64(4.000001, -0.2)), 5.0, -0.0);
    EXPECT_F64(wasm_f64x2_trunc(F64(-7.9, 1e300)), -7.0, 1e300);
    EXPECT_F32(wasm_f32x4_sqrt(F32(4.0f, 2.25f, -1.0f, INFINITY)), 2.0f, 1.5f, NAN, INFINITY);
    EXPECT(wasm_f64x2_sqrt(F64(2.0, 0.0)), wasm_u64x2_const(0x3ff6a09e667f3bcdULL, 0));
    /* abs and neg are bit operations, also on NaNs. */
    v128_t n = U32(0xffc00001u, 0x80000000u, 0x7f800000u, 0xc0400000u);
    EXPECT(wasm_f32x4_abs(n), wasm_u32x4_const(0x7fc00001u, 0, 0x7f800000u, 0x40400000u));
    EXPECT(wasm_f32x4_neg(n), wasm_u32x4_const(0x7fc00001u, 0, 0xff800000u, 0x40400000u));
    EXPECT(wasm_f64x2_neg(U64(0x7ff8000000000001ULL, 0)), wasm_u64x2_const(0xfff8000000000001ULL, 0x8000000000000000ULL));
    EXPECT_F32(wasm_f32x4_div(F32(1.0f, -1.0f, 0.0f, 7.0f), F32(0.0f, 0.0f, 0.0f, 2.0f)), INFINITY, -INFINITY, NAN, 3.5f);
    EXPECT_F32(wasm_f32x4_mul(F32(1e30f, -0.0f, 3.0f, 0.1f), F32(1e30f, 5.0f, -0.5f, 10.0f)), INFINITY, -0.0f, -1.5f, 1.0f);
    EXPECT_F32(wasm_f32x4_sub(F32(1.0f, 0.0f, INFINITY, 1e-45f), F32(1.0f, 0.0f, INFINITY, 1e-45f)), 0.0f, 0.0f, NAN, 0.0f);
    EXPECT_F64(wasm_f64x2_add(F64(0.1, -0.0), F64(0.2, -0.0)), 0.30000000000000004, -0.0);
    EXPECT_F64(wasm_f64x2_div(F64(1.0, -6.0), F64(3.0, 4.0)), 1.0 / 3.0, -1.5);
    /* Comparisons give all-ones or zero lanes; NaN compares unequal. */
    v128_t a = F32(NAN, -0.0f, 1.0f, 2.0f), b = F32(NAN, 0.0f, 2.0f, 1.0f);
    EXPECT(wasm_f32x4_eq(a, b), wasm_i32x4_const(0, -1, 0, 0));
    EXPECT(wasm_f32x4_ne(a, b), wasm_i32x4_const(-1, 0, -1, -1));
    EXPECT(wasm_f32x4_lt(a, b), wasm_i32x4_const(0, 0, -1, 0));
    EXPECT(wasm_f32x4_le(a, b), wasm_i32x4_const(0, -1, -1, 0));
    EXPECT(wasm_f32x4_gt(a, b), wasm_i32x4_const(0, 0, 0, -1));
    EXPECT(wasm_f32x4_ge(a, b), wasm_i32x4_const(0, -1, 0, -1));
    EXPECT(wasm_f64x2_lt(F64(NAN, -1.0), F64(1.0, 1.0)), wasm_i64x2_const(0, -1));
    EXPECT(wasm_f64x2_ge(F64(NAN, 1.0), F64(1.0, 1.0)), wasm_i64x2_const(0, -1));
    return 0;
}

CASE(integer_ops) {
    v128_t a = I8(-128, -5, 127, 0, 1, -1, 100, -100, 0, 0, 0, 0, 0, 0, 0, 0x7f);
    EXPECT(wasm_i8x16_abs(a), wasm_i8x16_const(-128, 5, 127, 0, 1, 1, 100, 100, 0, 0, 0, 0, 0, 0, 0, 0x7f));
    EXPECT(wasm_i8x16_neg(a), wasm_i8x16_const(-128, 5, -127, 0, -1, 1, -100, 100, 0, 0, 0, 0, 0, 0, 0, -127));
    EXPECT(wasm_i16x8_abs(I16(-32768, -1, 5, 0, 0, 0, 0, -300)), wasm_i16x8_const(-32768, 1, 5, 0, 0, 0, 0, 300));
    EXPECT(wasm_i32x4_abs(I32(INT32_MIN, -7, 7, 0)), wasm_i32x4_const(INT32_MIN, 7, 7, 0));
    EXPECT(wasm_i64x2_abs(I64(INT64_MIN, -9)), wasm_i64x2_const(INT64_MIN, 9));
    EXPECT(wasm_i64x2_neg(I64(INT64_MIN, 9)), wasm_i64x2_const(INT64_MIN, -9));
    /* avgr_u: (a + b + 1) >> 1 without overflow. */
    EXPECT(wasm_u8x16_avgr(U8(0, 255, 1, 0, 10, 11, 254, 3, 0, 0, 0, 0, 0, 0, 0, 0),
                           U8(255, 255, 2, 0, 11, 11, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
           wasm_u8x16_const(128, 255, 2, 0, 11, 11, 255, 2, 0, 0, 0, 0, 0, 0, 0, 1));
    EXPECT(wasm_u16x8_avgr(U16(65535, 65535, 1, 0, 0, 0, 0, 0), U16(0, 65535, 2, 0, 0, 0, 0, 3)),
           wasm_u16x8_const(32768, 65535, 2, 0, 0, 0, 0, 2));
    v128_t x = U8(0x80, 0x7f, 0xff, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    v128_t y = U8(0x7f, 0x80, 0x01, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    EXPECT(wasm_i8x16_min(x, y), wasm_u8x16_const(0x80, 0x80, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_u8x16_min(x, y), wasm_u8x16_const(0x7f, 0x7f, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_i8x16_max(x, y), wasm_u8x16_const(0x7f, 0x7f, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_u8x16_max(x, y), wasm_u8x16_const(0x80, 0x80, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_i8x16_gt(x, y), wasm_u8x16_const(0, 0xff, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_u8x16_gt(x, y), wasm_u8x16_const(0xff, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_u16x8_min(U16(0x8000, 1, 0, 0, 0, 0, 0, 0), U16(0x7fff, 0xffff, 0, 0, 0, 0, 0, 0)),
           wasm_u16x8_const(0x7fff, 1, 0, 0, 0, 0, 0, 0));
    EXPECT(wasm_i32x4_lt(I32(-1, 1, INT32_MIN, 5), I32(1, -1, INT32_MAX, 5)), wasm_i32x4_const(-1, 0, -1, 0));
    EXPECT(wasm_u32x4_lt(I32(-1, 1, INT32_MIN, 5), I32(1, -1, INT32_MAX, 5)), wasm_i32x4_const(0, -1, 0, 0));
    EXPECT(wasm_u32x4_ge(I32(-1, 1, INT32_MIN, 5), I32(1, -1, INT32_MAX, 5)), wasm_i32x4_const(-1, 0, -1, -1));
    EXPECT(wasm_i64x2_lt(I64(-1, INT64_MAX), I64(1, INT64_MIN)), wasm_i64x2_const(-1, 0));
    EXPECT(wasm_i64x2_ge(I64(-1, INT64_MAX), I64(-1, INT64_MIN)), wasm_i64x2_const(-1, -1));
    EXPECT(wasm_i64x2_eq(I64(-1, 5), I64(-1, 4)), wasm_i64x2_const(-1, 0));
    EXPECT(wasm_i64x2_ne(I64(-1, 5), I64(-1, 4)), wasm_i64x2_const(0, -1));
    EXPECT(wasm_i64x2_mul(I64(0x100000001LL, -3), I64(0x100000001LL, 0x5555555555555555LL)),
           wasm_i64x2_const(0x200000001LL, 1)); /* 3 * 0x5555... = -1 */
    EXPECT(wasm_i32x4_mul(I32(65536, -7, 0x10001, 3), I32(65536, 6, 0x10001, -1)),
           wasm_i32x4_const(0, -42, 0x20001, -3));
    EXPECT(wasm_i32x4_min(I32(-1, 1, 0, 0), I32(1, -1, 0, 0)), wasm_i32x4_const(-1, -1, 0, 0));
    EXPECT(wasm_u32x4_max(I32(-1, 1, 0, 0), I32(1, -1, 0, 0)), wasm_i32x4_const(-1, -1, 0, 0));
    EXPECT(wasm_i8x16_sub(U8(0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), U8(1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)),
           wasm_u8x16_const(0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80));
    /* Bitwise: bitselect takes a's bits where the mask is 1. */
    v128_t m = U32(0xffff0000u, 0x0f0f0f0fu, 0, 0xffffffffu);
    v128_t p = U32(0x12345678u, 0x12345678u, 0x12345678u, 0x12345678u);
    v128_t q = U32(0x9abcdef0u, 0x9abcdef0u, 0x9abcdef0u, 0x9abcdef0u);
    EXPECT(wasm_v128_bitselect(p, q, m), wasm_u32x4_const(0x1234def0u, 0x92b4d6f8u, 0x9abcdef0u, 0x12345678u));
    EXPECT(wasm_v128_andnot(p, m), wasm_u32x4_const(0x00005678u, 0x10305070u, 0x12345678u, 0));
    EXPECT(wasm_v128_not(m), wasm_u32x4_const(0x0000ffffu, 0xf0f0f0f0u, 0xffffffffu, 0));
    EXPECT(wasm_v128_xor(p, q), wasm_u32x4_const(0x88888888u, 0x88888888u, 0x88888888u, 0x88888888u));
    EXPECT(wasm_v128_or(wasm_v128_and(p, m), q), wasm_u32x4_const(0x9abcdef0u, 0x9abcdef8u, 0x9abcdef0u, 0x9abcdef8u));
    return 0;
}

#define CASES(X) X(shuffle_swizzle) X(saturating) X(q15mulr_dot) X(bitmask_alltrue) X(lanes) \
    X(load_store_lanes) X(float_minmax) X(narrow_extend) X(popcnt_shifts) X(trunc_convert) \
    X(float_arith) X(integer_ops)
TEST_MAIN(CASES)
