;; Prints the guest's environment, one KEY=VALUE per line (for the
;; porta.toml tests: [env] and [secrets] reach the guest).
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $i i32) (local $size i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (local.set $size (i32.load (i32.const 4)))
    ;; Pointers at 1024, strings at 8192 (the test environment is small).
    (if (i32.gt_u (local.get $size) (i32.const 57344)) (then unreachable))
    (drop (call $get (i32.const 1024) (i32.const 8192)))
    ;; Each string ends in NUL: make it a newline, then write them all.
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
        (if (i32.eqz (i32.load8_u (i32.add (i32.const 8192) (local.get $i))))
          (then (i32.store8 (i32.add (i32.const 8192) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.store (i32.const 16) (i32.const 8192))
    (i32.store (i32.const 20) (local.get $size))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
