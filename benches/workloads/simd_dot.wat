;; SIMD: i16 dot products over two 4096-element vectors, `reps` times,
;; accumulated as i32x4 and, halved, as f32x4 (loads, i32x4.dot_i16x8_s,
;; adds, conversion, multiply, splat, lane extraction). `fill` writes the
;; vectors first. Returns the lanes' wrapping i32 sum plus the truncated
;; f32 sum.
(module
  (memory (export "memory") 1)
  (func (export "fill") (param $n i32)
    (local $i i32)
    (loop $l
      (i32.store16 (i32.shl (local.get $i) (i32.const 1))
        (i32.sub (i32.rem_u (i32.mul (local.get $i) (i32.const 7)) (i32.const 201)) (i32.const 100)))
      (i32.store16 (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 1)))
        (i32.sub (i32.rem_u (i32.mul (local.get $i) (i32.const 13)) (i32.const 211)) (i32.const 105)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "simd_dot") (param $reps i32) (result i32)
    (local $r i32) (local $p i32) (local $d v128) (local $iacc v128) (local $facc v128)
    (local $half v128)
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (block $done
      (br_if $done (i32.eqz (local.get $reps)))
      (loop $rep
        (local.set $p (i32.const 0))
        (loop $chunk
          (local.set $d
            (i32x4.dot_i16x8_s
              (v128.load (local.get $p))
              (v128.load offset=8192 (local.get $p))))
          (local.set $iacc (i32x4.add (local.get $iacc) (local.get $d)))
          (local.set $facc
            (f32x4.add (local.get $facc)
              (f32x4.mul (f32x4.convert_i32x4_s (local.get $d)) (local.get $half))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $chunk (i32.lt_u (local.get $p) (i32.const 8192))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rep (i32.lt_u (local.get $r) (local.get $reps)))))
    (i32.add
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $iacc)) (i32x4.extract_lane 1 (local.get $iacc)))
        (i32.add (i32x4.extract_lane 2 (local.get $iacc)) (i32x4.extract_lane 3 (local.get $iacc))))
      (i32.trunc_sat_f32_s
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $facc)) (f32x4.extract_lane 1 (local.get $facc)))
          (f32.add (f32x4.extract_lane 2 (local.get $facc)) (f32x4.extract_lane 3 (local.get $facc))))))))
