//! The SIMD instructions (prefix `0xfd`): fixed-width SIMD and relaxed
//! SIMD, in one table that the decoder, the translator and the executor all
//! read, so an instruction is named once.
//!
//! Each row: sub-opcode, the variant of [`SimdCode`], the semantic function
//! in `crate::simd` (the instruction's name with its first `_` as the
//! wasm `.`), its immediate, its shape (what it pops and pushes, which the
//! translator and the executor's handler both follow) and, for memory
//! shapes, the bytes it accesses. Rows past the wasm ones are the
//! executor's own moves of v128 values, with no opcode.

/// Calls `$m!` with every row of the table.
macro_rules! for_each_simd {
    ($m:ident) => {
        $m! {
            0x00 V128Load v128_load Mem Load128 16;
            0x01 V128Load8x8S v128_load8x8_s Mem Load 8;
            0x02 V128Load8x8U v128_load8x8_u Mem Load 8;
            0x03 V128Load16x4S v128_load16x4_s Mem Load 8;
            0x04 V128Load16x4U v128_load16x4_u Mem Load 8;
            0x05 V128Load32x2S v128_load32x2_s Mem Load 8;
            0x06 V128Load32x2U v128_load32x2_u Mem Load 8;
            0x07 V128Load8Splat v128_load8_splat Mem Load 1;
            0x08 V128Load16Splat v128_load16_splat Mem Load 2;
            0x09 V128Load32Splat v128_load32_splat Mem Load 4;
            0x0a V128Load64Splat v128_load64_splat Mem Load 8;
            0x0b V128Store v128_store Mem Store128 16;
            0x0c V128Const v128_const Bytes Const 0;
            0x0d I8x16Shuffle i8x16_shuffle Bytes Shuffle 0;
            0x0e I8x16Swizzle i8x16_swizzle None Binary 0;
            0x0f I8x16Splat i8x16_splat None Splat 0;
            0x10 I16x8Splat i16x8_splat None Splat 0;
            0x11 I32x4Splat i32x4_splat None Splat 0;
            0x12 I64x2Splat i64x2_splat None Splat 0;
            0x13 F32x4Splat f32x4_splat None Splat 0;
            0x14 F64x2Splat f64x2_splat None Splat 0;
            0x15 I8x16ExtractLaneS i8x16_extract_lane_s Lane Extract 16;
            0x16 I8x16ExtractLaneU i8x16_extract_lane_u Lane Extract 16;
            0x17 I8x16ReplaceLane i8x16_replace_lane Lane Replace 16;
            0x18 I16x8ExtractLaneS i16x8_extract_lane_s Lane Extract 8;
            0x19 I16x8ExtractLaneU i16x8_extract_lane_u Lane Extract 8;
            0x1a I16x8ReplaceLane i16x8_replace_lane Lane Replace 8;
            0x1b I32x4ExtractLane i32x4_extract_lane Lane Extract 4;
            0x1c I32x4ReplaceLane i32x4_replace_lane Lane Replace 4;
            0x1d I64x2ExtractLane i64x2_extract_lane Lane Extract 2;
            0x1e I64x2ReplaceLane i64x2_replace_lane Lane Replace 2;
            0x1f F32x4ExtractLane f32x4_extract_lane Lane Extract 4;
            0x20 F32x4ReplaceLane f32x4_replace_lane Lane Replace 4;
            0x21 F64x2ExtractLane f64x2_extract_lane Lane Extract 2;
            0x22 F64x2ReplaceLane f64x2_replace_lane Lane Replace 2;
            0x23 I8x16Eq i8x16_eq None Binary 0;
            0x24 I8x16Ne i8x16_ne None Binary 0;
            0x25 I8x16LtS i8x16_lt_s None Binary 0;
            0x26 I8x16LtU i8x16_lt_u None Binary 0;
            0x27 I8x16GtS i8x16_gt_s None Binary 0;
            0x28 I8x16GtU i8x16_gt_u None Binary 0;
            0x29 I8x16LeS i8x16_le_s None Binary 0;
            0x2a I8x16LeU i8x16_le_u None Binary 0;
            0x2b I8x16GeS i8x16_ge_s None Binary 0;
            0x2c I8x16GeU i8x16_ge_u None Binary 0;
            0x2d I16x8Eq i16x8_eq None Binary 0;
            0x2e I16x8Ne i16x8_ne None Binary 0;
            0x2f I16x8LtS i16x8_lt_s None Binary 0;
            0x30 I16x8LtU i16x8_lt_u None Binary 0;
            0x31 I16x8GtS i16x8_gt_s None Binary 0;
            0x32 I16x8GtU i16x8_gt_u None Binary 0;
            0x33 I16x8LeS i16x8_le_s None Binary 0;
            0x34 I16x8LeU i16x8_le_u None Binary 0;
            0x35 I16x8GeS i16x8_ge_s None Binary 0;
            0x36 I16x8GeU i16x8_ge_u None Binary 0;
            0x37 I32x4Eq i32x4_eq None Binary 0;
            0x38 I32x4Ne i32x4_ne None Binary 0;
            0x39 I32x4LtS i32x4_lt_s None Binary 0;
            0x3a I32x4LtU i32x4_lt_u None Binary 0;
            0x3b I32x4GtS i32x4_gt_s None Binary 0;
            0x3c I32x4GtU i32x4_gt_u None Binary 0;
            0x3d I32x4LeS i32x4_le_s None Binary 0;
            0x3e I32x4LeU i32x4_le_u None Binary 0;
            0x3f I32x4GeS i32x4_ge_s None Binary 0;
            0x40 I32x4GeU i32x4_ge_u None Binary 0;
            0x41 F32x4Eq f32x4_eq None Binary 0;
            0x42 F32x4Ne f32x4_ne None Binary 0;
            0x43 F32x4Lt f32x4_lt None Binary 0;
            0x44 F32x4Gt f32x4_gt None Binary 0;
            0x45 F32x4Le f32x4_le None Binary 0;
            0x46 F32x4Ge f32x4_ge None Binary 0;
            0x47 F64x2Eq f64x2_eq None Binary 0;
            0x48 F64x2Ne f64x2_ne None Binary 0;
            0x49 F64x2Lt f64x2_lt None Binary 0;
            0x4a F64x2Gt f64x2_gt None Binary 0;
            0x4b F64x2Le f64x2_le None Binary 0;
            0x4c F64x2Ge f64x2_ge None Binary 0;
            0x4d V128Not v128_not None Unary 0;
            0x4e V128And v128_and None Binary 0;
            0x4f V128Andnot v128_andnot None Binary 0;
            0x50 V128Or v128_or None Binary 0;
            0x51 V128Xor v128_xor None Binary 0;
            0x52 V128Bitselect v128_bitselect None Ternary 0;
            0x53 V128AnyTrue v128_any_true None Test 0;
            0x54 V128Load8Lane v128_load8_lane MemLane LoadLane 1;
            0x55 V128Load16Lane v128_load16_lane MemLane LoadLane 2;
            0x56 V128Load32Lane v128_load32_lane MemLane LoadLane 4;
            0x57 V128Load64Lane v128_load64_lane MemLane LoadLane 8;
            0x58 V128Store8Lane v128_store8_lane MemLane StoreLane 1;
            0x59 V128Store16Lane v128_store16_lane MemLane StoreLane 2;
            0x5a V128Store32Lane v128_store32_lane MemLane StoreLane 4;
            0x5b V128Store64Lane v128_store64_lane MemLane StoreLane 8;
            0x5c V128Load32Zero v128_load32_zero Mem Load 4;
            0x5d V128Load64Zero v128_load64_zero Mem Load 8;
            0x5e F32x4DemoteF64x2Zero f32x4_demote_f64x2_zero None Unary 0;
            0x5f F64x2PromoteLowF32x4 f64x2_promote_low_f32x4 None Unary 0;
            0x60 I8x16Abs i8x16_abs None Unary 0;
            0x61 I8x16Neg i8x16_neg None Unary 0;
            0x62 I8x16Popcnt i8x16_popcnt None Unary 0;
            0x63 I8x16AllTrue i8x16_all_true None Test 0;
            0x64 I8x16Bitmask i8x16_bitmask None Test 0;
            0x65 I8x16NarrowI16x8S i8x16_narrow_i16x8_s None Binary 0;
            0x66 I8x16NarrowI16x8U i8x16_narrow_i16x8_u None Binary 0;
            0x67 F32x4Ceil f32x4_ceil None Unary 0;
            0x68 F32x4Floor f32x4_floor None Unary 0;
            0x69 F32x4Trunc f32x4_trunc None Unary 0;
            0x6a F32x4Nearest f32x4_nearest None Unary 0;
            0x6b I8x16Shl i8x16_shl None Shift 0;
            0x6c I8x16ShrS i8x16_shr_s None Shift 0;
            0x6d I8x16ShrU i8x16_shr_u None Shift 0;
            0x6e I8x16Add i8x16_add None Binary 0;
            0x6f I8x16AddSatS i8x16_add_sat_s None Binary 0;
            0x70 I8x16AddSatU i8x16_add_sat_u None Binary 0;
            0x71 I8x16Sub i8x16_sub None Binary 0;
            0x72 I8x16SubSatS i8x16_sub_sat_s None Binary 0;
            0x73 I8x16SubSatU i8x16_sub_sat_u None Binary 0;
            0x74 F64x2Ceil f64x2_ceil None Unary 0;
            0x75 F64x2Floor f64x2_floor None Unary 0;
            0x76 I8x16MinS i8x16_min_s None Binary 0;
            0x77 I8x16MinU i8x16_min_u None Binary 0;
            0x78 I8x16MaxS i8x16_max_s None Binary 0;
            0x79 I8x16MaxU i8x16_max_u None Binary 0;
            0x7a F64x2Trunc f64x2_trunc None Unary 0;
            0x7b I8x16AvgrU i8x16_avgr_u None Binary 0;
            0x7c I16x8ExtaddPairwiseI8x16S i16x8_extadd_pairwise_i8x16_s None Unary 0;
            0x7d I16x8ExtaddPairwiseI8x16U i16x8_extadd_pairwise_i8x16_u None Unary 0;
            0x7e I32x4ExtaddPairwiseI16x8S i32x4_extadd_pairwise_i16x8_s None Unary 0;
            0x7f I32x4ExtaddPairwiseI16x8U i32x4_extadd_pairwise_i16x8_u None Unary 0;
            0x80 I16x8Abs i16x8_abs None Unary 0;
            0x81 I16x8Neg i16x8_neg None Unary 0;
            0x82 I16x8Q15mulrSatS i16x8_q15mulr_sat_s None Binary 0;
            0x83 I16x8AllTrue i16x8_all_true None Test 0;
            0x84 I16x8Bitmask i16x8_bitmask None Test 0;
            0x85 I16x8NarrowI32x4S i16x8_narrow_i32x4_s None Binary 0;
            0x86 I16x8NarrowI32x4U i16x8_narrow_i32x4_u None Binary 0;
            0x87 I16x8ExtendLowI8x16S i16x8_extend_low_i8x16_s None Unary 0;
            0x88 I16x8ExtendHighI8x16S i16x8_extend_high_i8x16_s None Unary 0;
            0x89 I16x8ExtendLowI8x16U i16x8_extend_low_i8x16_u None Unary 0;
            0x8a I16x8ExtendHighI8x16U i16x8_extend_high_i8x16_u None Unary 0;
            0x8b I16x8Shl i16x8_shl None Shift 0;
            0x8c I16x8ShrS i16x8_shr_s None Shift 0;
            0x8d I16x8ShrU i16x8_shr_u None Shift 0;
            0x8e I16x8Add i16x8_add None Binary 0;
            0x8f I16x8AddSatS i16x8_add_sat_s None Binary 0;
            0x90 I16x8AddSatU i16x8_add_sat_u None Binary 0;
            0x91 I16x8Sub i16x8_sub None Binary 0;
            0x92 I16x8SubSatS i16x8_sub_sat_s None Binary 0;
            0x93 I16x8SubSatU i16x8_sub_sat_u None Binary 0;
            0x94 F64x2Nearest f64x2_nearest None Unary 0;
            0x95 I16x8Mul i16x8_mul None Binary 0;
            0x96 I16x8MinS i16x8_min_s None Binary 0;
            0x97 I16x8MinU i16x8_min_u None Binary 0;
            0x98 I16x8MaxS i16x8_max_s None Binary 0;
            0x99 I16x8MaxU i16x8_max_u None Binary 0;
            0x9b I16x8AvgrU i16x8_avgr_u None Binary 0;
            0x9c I16x8ExtmulLowI8x16S i16x8_extmul_low_i8x16_s None Binary 0;
            0x9d I16x8ExtmulHighI8x16S i16x8_extmul_high_i8x16_s None Binary 0;
            0x9e I16x8ExtmulLowI8x16U i16x8_extmul_low_i8x16_u None Binary 0;
            0x9f I16x8ExtmulHighI8x16U i16x8_extmul_high_i8x16_u None Binary 0;
            0xa0 I32x4Abs i32x4_abs None Unary 0;
            0xa1 I32x4Neg i32x4_neg None Unary 0;
            0xa3 I32x4AllTrue i32x4_all_true None Test 0;
            0xa4 I32x4Bitmask i32x4_bitmask None Test 0;
            0xa7 I32x4ExtendLowI16x8S i32x4_extend_low_i16x8_s None Unary 0;
            0xa8 I32x4ExtendHighI16x8S i32x4_extend_high_i16x8_s None Unary 0;
            0xa9 I32x4ExtendLowI16x8U i32x4_extend_low_i16x8_u None Unary 0;
            0xaa I32x4ExtendHighI16x8U i32x4_extend_high_i16x8_u None Unary 0;
            0xab I32x4Shl i32x4_shl None Shift 0;
            0xac I32x4ShrS i32x4_shr_s None Shift 0;
            0xad I32x4ShrU i32x4_shr_u None Shift 0;
            0xae I32x4Add i32x4_add None Binary 0;
            0xb1 I32x4Sub i32x4_sub None Binary 0;
            0xb5 I32x4Mul i32x4_mul None Binary 0;
            0xb6 I32x4MinS i32x4_min_s None Binary 0;
            0xb7 I32x4MinU i32x4_min_u None Binary 0;
            0xb8 I32x4MaxS i32x4_max_s None Binary 0;
            0xb9 I32x4MaxU i32x4_max_u None Binary 0;
            0xba I32x4DotI16x8S i32x4_dot_i16x8_s None Binary 0;
            0xbc I32x4ExtmulLowI16x8S i32x4_extmul_low_i16x8_s None Binary 0;
            0xbd I32x4ExtmulHighI16x8S i32x4_extmul_high_i16x8_s None Binary 0;
            0xbe I32x4ExtmulLowI16x8U i32x4_extmul_low_i16x8_u None Binary 0;
            0xbf I32x4ExtmulHighI16x8U i32x4_extmul_high_i16x8_u None Binary 0;
            0xc0 I64x2Abs i64x2_abs None Unary 0;
            0xc1 I64x2Neg i64x2_neg None Unary 0;
            0xc3 I64x2AllTrue i64x2_all_true None Test 0;
            0xc4 I64x2Bitmask i64x2_bitmask None Test 0;
            0xc7 I64x2ExtendLowI32x4S i64x2_extend_low_i32x4_s None Unary 0;
            0xc8 I64x2ExtendHighI32x4S i64x2_extend_high_i32x4_s None Unary 0;
            0xc9 I64x2ExtendLowI32x4U i64x2_extend_low_i32x4_u None Unary 0;
            0xca I64x2ExtendHighI32x4U i64x2_extend_high_i32x4_u None Unary 0;
            0xcb I64x2Shl i64x2_shl None Shift 0;
            0xcc I64x2ShrS i64x2_shr_s None Shift 0;
            0xcd I64x2ShrU i64x2_shr_u None Shift 0;
            0xce I64x2Add i64x2_add None Binary 0;
            0xd1 I64x2Sub i64x2_sub None Binary 0;
            0xd5 I64x2Mul i64x2_mul None Binary 0;
            0xd6 I64x2Eq i64x2_eq None Binary 0;
            0xd7 I64x2Ne i64x2_ne None Binary 0;
            0xd8 I64x2LtS i64x2_lt_s None Binary 0;
            0xd9 I64x2GtS i64x2_gt_s None Binary 0;
            0xda I64x2LeS i64x2_le_s None Binary 0;
            0xdb I64x2GeS i64x2_ge_s None Binary 0;
            0xdc I64x2ExtmulLowI32x4S i64x2_extmul_low_i32x4_s None Binary 0;
            0xdd I64x2ExtmulHighI32x4S i64x2_extmul_high_i32x4_s None Binary 0;
            0xde I64x2ExtmulLowI32x4U i64x2_extmul_low_i32x4_u None Binary 0;
            0xdf I64x2ExtmulHighI32x4U i64x2_extmul_high_i32x4_u None Binary 0;
            0xe0 F32x4Abs f32x4_abs None Unary 0;
            0xe1 F32x4Neg f32x4_neg None Unary 0;
            0xe3 F32x4Sqrt f32x4_sqrt None Unary 0;
            0xe4 F32x4Add f32x4_add None Binary 0;
            0xe5 F32x4Sub f32x4_sub None Binary 0;
            0xe6 F32x4Mul f32x4_mul None Binary 0;
            0xe7 F32x4Div f32x4_div None Binary 0;
            0xe8 F32x4Min f32x4_min None Binary 0;
            0xe9 F32x4Max f32x4_max None Binary 0;
            0xea F32x4Pmin f32x4_pmin None Binary 0;
            0xeb F32x4Pmax f32x4_pmax None Binary 0;
            0xec F64x2Abs f64x2_abs None Unary 0;
            0xed F64x2Neg f64x2_neg None Unary 0;
            0xef F64x2Sqrt f64x2_sqrt None Unary 0;
            0xf0 F64x2Add f64x2_add None Binary 0;
            0xf1 F64x2Sub f64x2_sub None Binary 0;
            0xf2 F64x2Mul f64x2_mul None Binary 0;
            0xf3 F64x2Div f64x2_div None Binary 0;
            0xf4 F64x2Min f64x2_min None Binary 0;
            0xf5 F64x2Max f64x2_max None Binary 0;
            0xf6 F64x2Pmin f64x2_pmin None Binary 0;
            0xf7 F64x2Pmax f64x2_pmax None Binary 0;
            0xf8 I32x4TruncSatF32x4S i32x4_trunc_sat_f32x4_s None Unary 0;
            0xf9 I32x4TruncSatF32x4U i32x4_trunc_sat_f32x4_u None Unary 0;
            0xfa F32x4ConvertI32x4S f32x4_convert_i32x4_s None Unary 0;
            0xfb F32x4ConvertI32x4U f32x4_convert_i32x4_u None Unary 0;
            0xfc I32x4TruncSatF64x2SZero i32x4_trunc_sat_f64x2_s_zero None Unary 0;
            0xfd I32x4TruncSatF64x2UZero i32x4_trunc_sat_f64x2_u_zero None Unary 0;
            0xfe F64x2ConvertLowI32x4S f64x2_convert_low_i32x4_s None Unary 0;
            0xff F64x2ConvertLowI32x4U f64x2_convert_low_i32x4_u None Unary 0;
            0x100 I8x16RelaxedSwizzle i8x16_relaxed_swizzle None Binary 0;
            0x101 I32x4RelaxedTruncF32x4S i32x4_relaxed_trunc_f32x4_s None Unary 0;
            0x102 I32x4RelaxedTruncF32x4U i32x4_relaxed_trunc_f32x4_u None Unary 0;
            0x103 I32x4RelaxedTruncF64x2SZero i32x4_relaxed_trunc_f64x2_s_zero None Unary 0;
            0x104 I32x4RelaxedTruncF64x2UZero i32x4_relaxed_trunc_f64x2_u_zero None Unary 0;
            0x105 F32x4RelaxedMadd f32x4_relaxed_madd None Ternary 0;
            0x106 F32x4RelaxedNmadd f32x4_relaxed_nmadd None Ternary 0;
            0x107 F64x2RelaxedMadd f64x2_relaxed_madd None Ternary 0;
            0x108 F64x2RelaxedNmadd f64x2_relaxed_nmadd None Ternary 0;
            0x109 I8x16RelaxedLaneselect i8x16_relaxed_laneselect None Ternary 0;
            0x10a I16x8RelaxedLaneselect i16x8_relaxed_laneselect None Ternary 0;
            0x10b I32x4RelaxedLaneselect i32x4_relaxed_laneselect None Ternary 0;
            0x10c I64x2RelaxedLaneselect i64x2_relaxed_laneselect None Ternary 0;
            0x10d F32x4RelaxedMin f32x4_relaxed_min None Binary 0;
            0x10e F32x4RelaxedMax f32x4_relaxed_max None Binary 0;
            0x10f F64x2RelaxedMin f64x2_relaxed_min None Binary 0;
            0x110 F64x2RelaxedMax f64x2_relaxed_max None Binary 0;
            0x111 I16x8RelaxedQ15mulrS i16x8_relaxed_q15mulr_s None Binary 0;
            0x112 I16x8RelaxedDotI8x16I7x16S i16x8_relaxed_dot_i8x16_i7x16_s None Binary 0;
            0x113 I32x4RelaxedDotI8x16I7x16AddS i32x4_relaxed_dot_i8x16_i7x16_add_s None Ternary 0;
            // The executor's own moves of v128 values (no opcode).
            0xffff_0000 V128Copy v128_copy Internal Copy 0;
            0xffff_0001 V128SelectElse v128_select_else Internal SelectElse 0;
            0xffff_0002 V128GlobalGet v128_global_get Internal GlobalGet 0;
            0xffff_0003 V128GlobalSet v128_global_set Internal GlobalSet 0;
            0xffff_0004 V128Data v128_data Internal Data 0;
            0xffff_0005 F32x4Canon f32x4_canonicalize Internal Unary 0;
            0xffff_0006 F64x2Canon f64x2_canonicalize Internal Unary 0;
        }
    };
}
pub(crate) use for_each_simd;

/// The immediate that follows a SIMD instruction's sub-opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimdImmKind {
    None,
    Mem,
    Lane,
    MemLane,
    /// 16 bytes: a `v128.const` value or the lanes of `i8x16.shuffle`.
    Bytes,
    /// Not a WebAssembly instruction.
    Internal,
}

/// What an instruction pops and pushes (`v` a v128, `s` a scalar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimdShape {
    /// v → v
    Unary,
    /// v v → v
    Binary,
    /// v v v → v
    Ternary,
    /// v → i32
    Test,
    /// v i32 → v
    Shift,
    /// s → v
    Splat,
    /// v → s (the lane in the immediate)
    Extract,
    /// v s → v
    Replace,
    /// i32 → v, the extension, splat or zero-fill of the bytes read
    Load,
    Load128,
    /// i32 v →
    Store128,
    /// i32 v → v
    LoadLane,
    /// i32 v →
    StoreLane,
    Const,
    Shuffle,
    Copy,
    SelectElse,
    GlobalGet,
    GlobalSet,
    Data,
}

macro_rules! define_codes {
    ($( $opcode:literal $v:ident $f:ident $imm:ident $shape:ident $n:literal; )*) => {
        /// One SIMD instruction, without its immediates.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum SimdCode { $( $v, )* }

        /// Facts about each [`SimdCode`], in its order.
        const INFO: &[SimdInfo] = &[
            $( SimdInfo {
                opcode: $opcode,
                name: stringify!($f),
                imm: SimdImmKind::$imm,
                shape: SimdShape::$shape,
                bytes: $n,
            }, )*
        ];

        const ALL: &[SimdCode] = &[ $( SimdCode::$v, )* ];
    };
}
for_each_simd!(define_codes);

struct SimdInfo {
    opcode: u32,
    name: &'static str,
    imm: SimdImmKind,
    shape: SimdShape,
    /// Bytes a memory access reads or writes; lanes of an extract or
    /// replace.
    bytes: u32,
}

/// Sub-opcodes are below this.
const OPCODES: usize = 0x114;

/// The code of each sub-opcode, `u16::MAX` where none.
const BY_OPCODE: [u16; OPCODES] = {
    let mut table = [u16::MAX; OPCODES];
    let mut i = 0;
    while i < INFO.len() {
        if (INFO[i].opcode as usize) < OPCODES {
            table[INFO[i].opcode as usize] = i as u16;
        }
        i += 1;
    }
    table
};

impl SimdCode {
    /// The instruction of a sub-opcode.
    pub fn from_opcode(opcode: u32) -> Option<SimdCode> {
        let i = *BY_OPCODE.get(opcode as usize)?;
        ALL.get(i as usize).copied()
    }

    fn info(self) -> &'static SimdInfo {
        &INFO[self as usize]
    }

    /// Its sub-opcode (internal moves have none, and a number no
    /// sub-opcode has).
    pub fn opcode(self) -> u32 {
        self.info().opcode
    }

    /// Its name in the text format.
    pub fn name(self) -> String {
        self.info().name.replacen('_', ".", 1)
    }

    pub fn imm(self) -> SimdImmKind {
        self.info().imm
    }

    pub fn shape(self) -> SimdShape {
        self.info().shape
    }

    /// Bytes it accesses in memory, or lanes of its shape for an extract or
    /// replace.
    pub fn bytes(self) -> u32 {
        self.info().bytes
    }

    /// Whether it is a relaxed-SIMD instruction.
    pub fn is_relaxed(self) -> bool {
        (0x100..OPCODES as u32).contains(&self.opcode())
    }

    /// Every code, in order.
    pub fn all() -> &'static [SimdCode] {
        ALL
    }
}
