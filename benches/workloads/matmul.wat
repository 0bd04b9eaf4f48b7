;; f64 matrix multiply C = A x B of n x n row-major matrices in linear
;; memory (A at 0, B after it, C after B), i-k-j loop order. A and B are
;; filled from small integer patterns first; returns the sum of C.
(module
  (memory (export "memory") 32)  ;; 2 MiB: n up to 295
  (func (export "matmul") (param $n i32) (result f64)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local $row i32) (local $p i32) (local $q i32)
    (local $aik f64) (local $sum f64)
    (local.set $a (i32.const 0))
    (local.set $b (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 3)))
    (local.set $c (i32.shl (local.get $b) (i32.const 1)))
    ;; A[i][j] = ((i + 2j) mod 13) / 4, B[i][j] = ((3i + j) mod 11) - 5, C = 0
    (local.set $i (i32.const 0))
    (loop $fi
      (local.set $j (i32.const 0))
      (loop $fj
        (local.set $p (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
        (f64.store (i32.add (local.get $a) (local.get $p))
          (f64.mul
            (f64.convert_i32_u
              (i32.rem_u (i32.add (local.get $i) (i32.shl (local.get $j) (i32.const 1))) (i32.const 13)))
            (f64.const 0.25)))
        (f64.store (i32.add (local.get $b) (local.get $p))
          (f64.convert_i32_s
            (i32.sub
              (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 3)) (local.get $j)) (i32.const 11))
              (i32.const 5))))
        (f64.store (i32.add (local.get $c) (local.get $p)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $fj (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fi (i32.lt_u (local.get $i) (local.get $n))))
    ;; C[i][j] += A[i][k] * B[k][j]
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 0))
    (loop $li
      (local.set $k (i32.const 0))
      (loop $lk
        (local.set $aik
          (f64.load (i32.add (local.get $a)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))))
        ;; p walks row i of C, q walks row k of B
        (local.set $p (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $row))))
        (local.set $q (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $row))))
        (local.set $j (i32.const 0))
        (loop $lj
          (f64.store (local.get $p)
            (f64.add (f64.load (local.get $p))
                     (f64.mul (local.get $aik) (f64.load (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $lj (i32.lt_u (local.get $j) (local.get $n))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $lk (i32.lt_u (local.get $k) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $li (i32.lt_u (local.get $i) (local.get $n))))
    ;; sum of C, in index order
    (local.set $sum (f64.const 0))
    (local.set $p (local.get $c))
    (local.set $q (i32.add (local.get $c) (local.get $b)))
    (loop $ls
      (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $ls (i32.lt_u (local.get $p) (local.get $q))))
    (local.get $sum)))
