// wasi_snapshot_preview1 for a program, on top of the system-call stubs. This first cut implements
// args, environment, clocks, random, fd_write, proc_exit and sched_yield; every other preview1
// function returns ENOSYS, and fd_prestat_get reports no preopens (EBADF), as a runtime without
// preopened directories does. The full set is the next issue (VFS, files, poll).
import { UserMemory, Fault } from './uaccess.js';
import { Syscalls } from './syscall.js';
import { ESUCCESS, EBADF, EINVAL, ENOSYS } from '../personality/interfaces/errno.js';

/** Thrown by proc_exit to unwind the program's stack; carries the status. */
export class ProcExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Every function of wasi_snapshot_preview1, so unimplemented ones answer ENOSYS instead of failing to link. */
export const PREVIEW1_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME = 2;
const CLOCK_THREAD_CPUTIME = 3;
const encoder = new TextEncoder();

/** NUL-terminated strings packed for args_get / environ_get. */
function packStrings(list: readonly string[]): { bytes: Uint8Array[]; size: number } {
  const bytes = list.map((s) => encoder.encode(s + '\0'));
  return { bytes, size: bytes.reduce((n, b) => n + b.length, 0) };
}

type WasiFunction = (...args: never[]) => number;

export class Wasi {
  readonly mem = new UserMemory();
  private args: ReturnType<typeof packStrings>;
  private env: ReturnType<typeof packStrings>;
  private startNs = performance.now();

  constructor(private sys: Syscalls, args: readonly string[], env: readonly string[]) {
    this.args = packStrings(args);
    this.env = packStrings(env);
  }

  /** The import object's wasi_snapshot_preview1 namespace; every call maps Fault to EFAULT. */
  imports(): Record<string, WasiFunction> {
    const implemented: Record<string, WasiFunction> = {
      args_sizes_get: (argc: number, size: number) => this.sizes(this.args, argc, size),
      args_get: (argv: number, buf: number) => this.strings(this.args, argv, buf),
      environ_sizes_get: (count: number, size: number) => this.sizes(this.env, count, size),
      environ_get: (environ: number, buf: number) => this.strings(this.env, environ, buf),
      clock_res_get: (id: number, out: number) => this.clockRes(id, out),
      clock_time_get: (id: number, _precision: bigint, out: number) => this.clockTime(id, out),
      random_get: (buf: number, len: number) => this.random(buf, len),
      fd_write: (fd: number, iovs: number, count: number, out: number) => this.fdWrite(fd, iovs, count, out),
      fd_prestat_get: () => EBADF,
      proc_exit: (status: number) => this.procExit(status),
      sched_yield: () => ESUCCESS,
    };
    const table: Record<string, WasiFunction> = {};
    for (const name of PREVIEW1_FUNCTIONS) {
      const f = implemented[name];
      table[name] = f ? this.guard(f) : () => ENOSYS;
    }
    return table;
  }

  private guard(f: WasiFunction): WasiFunction {
    return (...args: never[]) => {
      try {
        return f(...args);
      } catch (e) {
        if (e instanceof Fault) return e.errno;
        throw e;
      }
    };
  }

  private sizes(list: ReturnType<typeof packStrings>, countPtr: number, sizePtr: number): number {
    this.mem.setU32(countPtr, list.bytes.length);
    this.mem.setU32(sizePtr, list.size);
    return ESUCCESS;
  }

  private strings(list: ReturnType<typeof packStrings>, ptrs: number, buf: number): number {
    let at = buf;
    list.bytes.forEach((b, i) => {
      this.mem.setU32(ptrs + i * 4, at);
      this.mem.copyOut(at, b);
      at += b.length;
    });
    return ESUCCESS;
  }

  private clockRes(id: number, out: number): number {
    if (id < CLOCK_REALTIME || id > CLOCK_THREAD_CPUTIME) return EINVAL;
    this.mem.setU64(out, 1000n); // performance.now() is good to a microsecond or better
    return ESUCCESS;
  }

  private clockTime(id: number, out: number): number {
    const ms = performance.now();
    let ns: bigint;
    if (id === CLOCK_REALTIME) ns = BigInt(Math.round((performance.timeOrigin + ms) * 1e6));
    else if (id === CLOCK_MONOTONIC) ns = BigInt(Math.round(ms * 1e6));
    else if (id === CLOCK_PROCESS_CPUTIME || id === CLOCK_THREAD_CPUTIME) ns = BigInt(Math.round((ms - this.startNs) * 1e6));
    else return EINVAL;
    this.mem.setU64(out, ns);
    return ESUCCESS;
  }

  private random(buf: number, len: number): number {
    const view = this.mem.bytes(buf, len);
    for (let at = 0; at < len; at += 65536) crypto.getRandomValues(view.subarray(at, Math.min(len, at + 65536)));
    return ESUCCESS;
  }

  /** Gather the iovecs into the message buffer (one copy), in chunks of at most its size. */
  private fdWrite(fd: number, iovs: number, count: number, out: number): number {
    let total = 0;
    let pending = 0;
    const flush = (): number => {
      if (pending === 0) return ESUCCESS;
      const [errno, n] = this.sys.write(fd, pending);
      pending = 0;
      total += n;
      return errno;
    };
    for (const [ptr, len] of this.mem.iovecs(iovs, count)) {
      for (let done = 0; done < len; ) {
        const n = Math.min(len - done, this.sys.msgLen - pending);
        this.sys.out.set(this.mem.bytes(ptr + done, n), pending);
        pending += n;
        done += n;
        if (pending === this.sys.msgLen) {
          const errno = flush();
          if (errno !== ESUCCESS) return this.finishWrite(errno, total, out);
        }
      }
    }
    return this.finishWrite(flush(), total, out);
  }

  /** A write that moved some bytes reports success with the count, as POSIX write does. */
  private finishWrite(errno: number, total: number, out: number): number {
    if (errno !== ESUCCESS && total === 0) return errno;
    this.mem.setU32(out, total);
    return ESUCCESS;
  }

  private procExit(status: number): never {
    this.sys.exit(status);
    throw new ProcExit(status);
  }
}
