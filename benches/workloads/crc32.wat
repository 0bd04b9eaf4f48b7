;; Table-driven CRC-32 (IEEE, reflected, polynomial 0xEDB88320) over a
;; buffer in linear memory. `init` builds the 256-entry table at 0, `fill`
;; writes len pseudo-random bytes (xorshift32) at 1024, `crc32` checksums
;; them: one load, one table lookup and a few ALU ops per byte.
(module
  (memory (export "memory") 80)  ;; 5 MiB: len up to 5 MiB - 1 KiB
  (func (export "init")
    (local $n i32) (local $c i32) (local $k i32)
    (loop $entry
      (local.set $c (local.get $n))
      (local.set $k (i32.const 8))
      (loop $bit
        (local.set $c
          (if (result i32) (i32.and (local.get $c) (i32.const 1))
            (then (i32.xor (i32.shr_u (local.get $c) (i32.const 1)) (i32.const 0xEDB88320)))
            (else (i32.shr_u (local.get $c) (i32.const 1)))))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if $bit (local.get $k)))
      (i32.store (i32.shl (local.get $n) (i32.const 2)) (local.get $c))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $entry (i32.lt_u (local.get $n) (i32.const 256)))))
  (func (export "fill") (param $len i32) (param $seed i32)
    (local $p i32) (local $end i32) (local $x i32)
    (local.set $x (local.get $seed))
    (local.set $p (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $len)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; xorshift32
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (i32.store8 (local.get $p) (local.get $x))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $l))))
  (func (export "crc32") (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $crc i32)
    (local.set $crc (i32.const -1))
    (local.set $p (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $len)))
    (block $done
      (br_if $done (i32.eqz (local.get $len)))
      (loop $l
        (local.set $crc
          (i32.xor
            (i32.load
              (i32.shl
                (i32.and (i32.xor (local.get $crc) (i32.load8_u (local.get $p))) (i32.const 0xff))
                (i32.const 2)))
            (i32.shr_u (local.get $crc) (i32.const 8))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))
    (i32.xor (local.get $crc) (i32.const -1))))
