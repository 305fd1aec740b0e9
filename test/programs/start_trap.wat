;; start_trap.wat: a WASI command whose start function (run while the module is instantiated, before
;; _start) executes unreachable: it must end by SIGILL like any other trap, with nothing printed.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $init unreachable)
  (start $init)
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))))
