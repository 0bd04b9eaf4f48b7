;; A small guest for the snapshot tests: opens /sandbox/log.txt, writes ten
;; numbered lines to it and to stdout (line 5 to stderr too), each through
;; its own fd_write, counts in a global and in memory, then exits with 3.
;; Every basic block holds a host call, so a sweep of every step stops
;; around each of them.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (global $written (mut i32) (i32.const 0))
  ;; 0: iovec, 8: bytes written, 16: the new fd, 100: the path, 200: a line.
  (data (i32.const 100) "log.txt")
  (data (i32.const 200) "line 0\n")
  (func $write (param $fd i32)
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.const 7))
    (if (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (call $proc_exit (i32.const 8))))
    (global.set $written (i32.add (global.get $written) (i32.load (i32.const 8)))))
  (func (export "_start") (local $fd i32) (local $i i32)
    ;; O_CREAT, rights fd_write (64) | fd_seek (4) | fd_tell (32).
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 7) (i32.const 1)
          (i64.const 100) (i64.const 0) (i32.const 0) (i32.const 16))
      (then (call $proc_exit (i32.const 9))))
    (local.set $fd (i32.load (i32.const 16)))
    (loop $l
      (i32.store8 (i32.const 205) (i32.add (i32.const 48) (local.get $i)))
      (call $write (local.get $fd))
      (call $write (i32.const 1))
      (if (i32.eq (local.get $i) (i32.const 5)) (then (call $write (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (if (i32.ne (global.get $written) (i32.const 147)) (then (call $proc_exit (i32.const 7))))
    (call $proc_exit (i32.const 3))))
