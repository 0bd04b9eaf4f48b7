;; Many small calls: every iteration makes a direct call to $step, which
;; makes a call_indirect through a 4-entry table (the target changes every
;; iteration), plus a direct call to the leaf $rotl5. Three calls per
;; iteration, each with two parameters and one result.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table 4 4 funcref)
  (elem (i32.const 0) func $add $sub $xor $mix)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $xor (type $binop) (i32.xor (local.get 0) (local.get 1)))
  (func $mix (type $binop) (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)))
  (func $rotl5 (param $x i32) (param $y i32) (result i32)
    (i32.add (i32.rotl (local.get $x) (i32.const 5)) (local.get $y)))
  (func $step (param $acc i32) (param $i i32) (result i32)
    (call_indirect (type $binop)
      (local.get $acc) (local.get $i)
      (i32.and (local.get $i) (i32.const 3))))
  (func (export "calls") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (call $step (local.get $acc) (local.get $i)))
        (local.set $acc (call $rotl5 (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc)))
