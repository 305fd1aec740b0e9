;; wrong_signature.wat: imports fd_write with an f64 where WASI defines an i32 descriptor. webmach
;; must refuse it before it runs (126, naming the import), not fail inside the task library.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param f64 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_write (f64.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))))
