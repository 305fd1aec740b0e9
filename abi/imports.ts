// The functions a program may import, with their WebAssembly signatures: all of WASI preview1
// (wasi_snapshot_preview1, as its witx definition lowers them) and webmach's extension module. The
// task library implements exactly these (libsystem/wasi.ts) and a program importing one with any
// other signature is refused before it starts (libsystem/imports.ts). A signature is written
// "PARAMS:RESULTS", one letter a value: i = i32, I = i64, f = f32, F = f64.

import { PROGRAM_SIGNATURES } from './bsd_signatures.js';
import { PROGRAM_SIGNATURES as MACH_SIGNATURES } from './mach_signatures.js';

export const PREVIEW1_SIGNATURES = {
  args_get: 'ii:i',
  args_sizes_get: 'ii:i',
  environ_get: 'ii:i',
  environ_sizes_get: 'ii:i',
  clock_res_get: 'ii:i',
  clock_time_get: 'iIi:i',
  fd_advise: 'iIIi:i',
  fd_allocate: 'iII:i',
  fd_close: 'i:i',
  fd_datasync: 'i:i',
  fd_fdstat_get: 'ii:i',
  fd_fdstat_set_flags: 'ii:i',
  fd_fdstat_set_rights: 'iII:i',
  fd_filestat_get: 'ii:i',
  fd_filestat_set_size: 'iI:i',
  fd_filestat_set_times: 'iIIi:i',
  fd_pread: 'iiiIi:i',
  fd_prestat_get: 'ii:i',
  fd_prestat_dir_name: 'iii:i',
  fd_pwrite: 'iiiIi:i',
  fd_read: 'iiii:i',
  fd_readdir: 'iiiIi:i',
  fd_renumber: 'ii:i',
  fd_seek: 'iIii:i',
  fd_sync: 'i:i',
  fd_tell: 'ii:i',
  fd_write: 'iiii:i',
  path_create_directory: 'iii:i',
  path_filestat_get: 'iiiii:i',
  path_filestat_set_times: 'iiiiIIi:i',
  path_link: 'iiiiiii:i',
  path_open: 'iiiiiIIii:i',
  path_readlink: 'iiiiii:i',
  path_remove_directory: 'iii:i',
  path_rename: 'iiiiii:i',
  path_symlink: 'iiiii:i',
  path_unlink_file: 'iii:i',
  poll_oneoff: 'iiii:i',
  proc_exit: 'i:',
  proc_raise: 'i:i',
  sched_yield: ':i',
  random_get: 'ii:i',
  sock_accept: 'iii:i',
  sock_recv: 'iiiiii:i',
  sock_send: 'iiiii:i',
  sock_shutdown: 'ii:i',
} as const;

/**
 * webmach's extension module: what WASI lacks. The routines abi/bsd.defs exports (dup, posix_spawn,
 * wait4, ...) and what the task library serves itself (more comes with fork, exec, pipes, signals, ports).
 */
export const WEBMACH_SIGNATURES = {
  getpid: ':i',
  getppid: ':i',
  cwd_get: 'ii:i',
  sigdispatch: 'i:i',
  fork: 'iii:i',
  sys_null: ':i',
  mach_msg: 'iiiiiiiiii:i',
  mach_msg_staged: 'ii:i',
  mig_direct_call: 'iiiiiii:i',
  mig_serve_wait: 'iiiiiii:i',
  ...PROGRAM_SIGNATURES,
  ...MACH_SIGNATURES,
} as const;

/** Every import module a program may use, and its functions' signatures. */
export const IMPORT_MODULES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  wasi_snapshot_preview1: PREVIEW1_SIGNATURES,
  webmach: WEBMACH_SIGNATURES,
};
