;; Exceptions through many frames, as compiled C++ uses them: each frame of
;; a 10..1000-deep recursion has a cleanup that runs and rethrows, and
;; `_start` catches the error with its payload. Once with try_table and
;; throw_ref (3.0), once with try/catch_all/rethrow (legacy). Prints the
;; number of cleanups that ran and the sum of the payloads caught:
;; for depths 10, 20, ..., 1000, twice: 101000 cleanups, sum 102400.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $err (param i32 i32))
  (global $cleanups (mut i32) (i32.const 0))

  (func $descend (param $d i32) (param $fail i32)
    (if (i32.eq (local.get $d) (local.get $fail))
      (then (throw $err (local.get $d) (i32.const 7))))
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup)
        (call $descend (i32.add (local.get $d) (i32.const 1)) (local.get $fail)))
      (return))
    (call $count)
    (throw_ref))

  (func $descend_legacy (param $d i32) (param $fail i32)
    (if (i32.eq (local.get $d) (local.get $fail))
      (then (throw $err (local.get $d) (i32.const 7))))
    try
      (call $descend_legacy (i32.add (local.get $d) (i32.const 1)) (local.get $fail))
    catch_all
      call $count
      rethrow 0
    end)

  (func $count
    (global.set $cleanups (i32.add (global.get $cleanups) (i32.const 1))))

  ;; Writes `label` (at 256, `len` bytes), the decimal of `n` and a newline.
  (func $print (param $label i32) (param $len i32) (param $n i32) (local $p i32)
    (local.set $p (i32.const 200))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (i32.store (i32.const 0) (local.get $label))
    (i32.store (i32.const 4) (local.get $len))
    (i32.store (i32.const 8) (local.get $p))
    (i32.store (i32.const 12) (i32.sub (i32.const 201) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 16))))

  (data (i32.const 256) "cleanups sum ")

  (func (export "_start") (local $k i32) (local $sum i32)
    (loop $depths
      (local.set $k (i32.add (local.get $k) (i32.const 10)))
      (local.set $sum (i32.add (local.get $sum)
        (block $caught (result i32 i32)
          (try_table (catch $err $caught) (call $descend (i32.const 0) (local.get $k)))
          (unreachable))
        (i32.add)))
      (local.set $sum (i32.add (local.get $sum)
        (block $caught (result i32 i32)
          (try_table (catch $err $caught) (call $descend_legacy (i32.const 0) (local.get $k)))
          (unreachable))
        (i32.add)))
      (br_if $depths (i32.lt_u (local.get $k) (i32.const 1000))))
    (call $print (i32.const 256) (i32.const 9) (global.get $cleanups))
    (call $print (i32.const 265) (i32.const 4) (local.get $sum))))
