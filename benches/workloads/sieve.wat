;; Sieve of Eratosthenes over linear memory: one byte per number, 0 means
;; "not crossed out". Returns the number of primes <= n.
(module
  (memory (export "memory") 160)  ;; 10 MiB: n may go up to 10,485,759
  (func (export "sieve") (param $n i32) (result i32)
    (local $i i32)
    (local $j i32)
    (local $count i32)
    (memory.fill (i32.const 0) (i32.const 0) (i32.add (local.get $n) (i32.const 1)))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            ;; cross out from i*i, if i*i <= n (checked without overflow)
            (if (i32.le_u (local.get $i) (i32.div_u (local.get $n) (local.get $i)))
              (then
                (local.set $j (i32.mul (local.get $i) (local.get $i)))
                (loop $inner
                  (i32.store8 (local.get $j) (i32.const 1))
                  (local.set $j (i32.add (local.get $j) (local.get $i)))
                  (br_if $inner (i32.le_u (local.get $j) (local.get $n))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count)))
