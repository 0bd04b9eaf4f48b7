;; A tight integer loop: locals only, no memory, no calls. 17 instructions
;; per iteration, one basic block.
(module
  (func (export "loop_sum") (param $n i32) (result i64)
    (local $i i32)
    (local $acc i64)
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $top
      ;; acc += i ^ (acc >> 3)
      (local.set $acc
        (i64.add
          (local.get $acc)
          (i64.xor (i64.extend_i32_u (local.get $i))
                   (i64.shr_u (local.get $acc) (i64.const 3)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
