//! TEMPORARY stubs
#![allow(unused)]
pub(crate) fn v128_load8x8_s(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load8x8_u(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load16x4_s(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load16x4_u(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load32x2_s(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load32x2_u(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load8_splat(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load16_splat(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load32_splat(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load64_splat(x: u64) -> u128 { todo!() }
pub(crate) fn i8x16_shuffle(a: u128, b: u128, lanes: u128) -> u128 { todo!() }
pub(crate) fn i8x16_swizzle(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_splat(x: u64) -> u128 { todo!() }
pub(crate) fn i16x8_splat(x: u64) -> u128 { todo!() }
pub(crate) fn i32x4_splat(x: u64) -> u128 { todo!() }
pub(crate) fn i64x2_splat(x: u64) -> u128 { todo!() }
pub(crate) fn f32x4_splat(x: u64) -> u128 { todo!() }
pub(crate) fn f64x2_splat(x: u64) -> u128 { todo!() }
pub(crate) fn i8x16_extract_lane_s(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i8x16_extract_lane_u(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i8x16_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn i16x8_extract_lane_s(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i16x8_extract_lane_u(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i16x8_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn i32x4_extract_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i32x4_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn i64x2_extract_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn i64x2_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn f32x4_extract_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn f32x4_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn f64x2_extract_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn f64x2_replace_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn i8x16_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_lt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_lt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_gt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_gt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_le_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_le_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_ge_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_ge_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_lt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_lt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_gt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_gt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_le_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_le_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_ge_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_ge_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_lt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_lt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_gt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_gt_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_le_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_le_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_ge_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_ge_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_lt(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_gt(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_le(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_ge(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_lt(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_gt(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_le(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_ge(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn v128_not(a: u128) -> u128 { todo!() }
pub(crate) fn v128_and(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn v128_andnot(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn v128_or(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn v128_xor(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn v128_bitselect(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn v128_any_true(a: u128) -> u32 { todo!() }
pub(crate) fn v128_load8_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn v128_load16_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn v128_load32_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn v128_load64_lane(a: u128, lane: u32, x: u64) -> u128 { todo!() }
pub(crate) fn v128_store8_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn v128_store16_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn v128_store32_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn v128_store64_lane(a: u128, lane: u32) -> u64 { todo!() }
pub(crate) fn v128_load32_zero(x: u64) -> u128 { todo!() }
pub(crate) fn v128_load64_zero(x: u64) -> u128 { todo!() }
pub(crate) fn f32x4_demote_f64x2_zero(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_promote_low_f32x4(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_abs(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_neg(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_popcnt(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_all_true(a: u128) -> u32 { todo!() }
pub(crate) fn i8x16_bitmask(a: u128) -> u32 { todo!() }
pub(crate) fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_ceil(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_floor(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_trunc(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_nearest(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_shl(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i8x16_shr_s(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i8x16_shr_u(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i8x16_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_add_sat_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_add_sat_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_sub_sat_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_sub_sat_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_ceil(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_floor(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_min_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_min_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_max_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i8x16_max_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_trunc(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_avgr_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extadd_pairwise_i8x16_s(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extadd_pairwise_i8x16_u(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extadd_pairwise_i16x8_s(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extadd_pairwise_i16x8_u(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_abs(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_neg(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_q15mulr_sat_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_all_true(a: u128) -> u32 { todo!() }
pub(crate) fn i16x8_bitmask(a: u128) -> u32 { todo!() }
pub(crate) fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extend_low_i8x16_s(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extend_high_i8x16_s(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extend_low_i8x16_u(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extend_high_i8x16_u(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_shl(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i16x8_shr_s(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i16x8_shr_u(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i16x8_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_add_sat_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_add_sat_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_sub_sat_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_sub_sat_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_nearest(a: u128) -> u128 { todo!() }
pub(crate) fn i16x8_mul(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_min_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_min_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_max_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_max_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_avgr_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extmul_low_i8x16_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extmul_high_i8x16_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extmul_low_i8x16_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_extmul_high_i8x16_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_abs(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_neg(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_all_true(a: u128) -> u32 { todo!() }
pub(crate) fn i32x4_bitmask(a: u128) -> u32 { todo!() }
pub(crate) fn i32x4_extend_low_i16x8_s(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extend_high_i16x8_s(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extend_low_i16x8_u(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extend_high_i16x8_u(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_shl(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i32x4_shr_s(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i32x4_shr_u(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i32x4_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_mul(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_min_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_min_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_max_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_max_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extmul_low_i16x8_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extmul_high_i16x8_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extmul_low_i16x8_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_extmul_high_i16x8_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_abs(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_neg(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_all_true(a: u128) -> u32 { todo!() }
pub(crate) fn i64x2_bitmask(a: u128) -> u32 { todo!() }
pub(crate) fn i64x2_extend_low_i32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extend_high_i32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extend_low_i32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extend_high_i32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn i64x2_shl(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i64x2_shr_s(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i64x2_shr_u(a: u128, s: u32) -> u128 { todo!() }
pub(crate) fn i64x2_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_mul(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_eq(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_ne(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_lt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_gt_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_le_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_ge_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extmul_low_i32x4_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extmul_high_i32x4_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extmul_low_i32x4_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i64x2_extmul_high_i32x4_u(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_abs(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_neg(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_sqrt(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_mul(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_div(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_min(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_max(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_pmin(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_pmax(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_abs(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_neg(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_sqrt(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_add(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_sub(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_mul(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_div(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_min(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_max(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_pmin(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_pmax(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_trunc_sat_f32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_trunc_sat_f32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_convert_i32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_convert_i32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_convert_low_i32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_convert_low_i32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn i8x16_relaxed_swizzle(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: u128) -> u128 { todo!() }
pub(crate) fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn i8x16_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn i16x8_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn i64x2_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn f32x4_relaxed_min(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f32x4_relaxed_max(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_relaxed_min(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn f64x2_relaxed_max(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 { todo!() }
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 { todo!() }
pub(crate) fn f32x4_canonicalize(a: u128) -> u128 { todo!() }
pub(crate) fn f64x2_canonicalize(a: u128) -> u128 { todo!() }
