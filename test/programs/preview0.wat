;; preview0.wat: a command built for the old WASI preview0 (module "wasi_unstable"), which webmach
;; refuses with a one-line error naming the version.
(module
  (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 0))))
