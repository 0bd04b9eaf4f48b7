;; A long-running guest for the instance tests: prints `tick N` (N = 1, 2,
;; ...) once a second, forever, sleeping in poll_oneoff (needs the clock
;; capability). Run through `porta run -d`, stopped by `porta stop`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..48: a clock subscription (relative, 1 s on the monotonic clock).
  ;; 64..96: the event. 100: events written. 200: iovec. 256..: the line.
  (data (i32.const 256) "tick ")
  (func $line (param $n i32)
    (local $end i32) (local $p i32)
    ;; Digits are written backwards from 280, then the line is 256..end.
    (local.set $p (i32.const 280))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    ;; Move the digits to follow "tick ".
    (local.set $end (i32.const 261))
    (loop $copy
      (i32.store8 (local.get $end) (i32.load8_u (local.get $p)))
      (local.set $end (i32.add (local.get $end) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $p) (i32.const 280))))
    (i32.store8 (local.get $end) (i32.const 10))
    (i32.store (i32.const 200) (i32.const 256))
    (i32.store (i32.const 204) (i32.sub (i32.add (local.get $end) (i32.const 1)) (i32.const 256)))
    (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208))))
  (func (export "_start")
    (local $n i32)
    ;; eventtype clock (0) at 8, clock id monotonic (1) at 16, timeout at 24.
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 1000000000))
    (loop $forever
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (call $line (local.get $n))
      (drop (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 100)))
      (br $forever))))
