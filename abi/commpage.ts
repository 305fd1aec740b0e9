// The commpage: one read-only frame of machine memory per process that the server writes before the
// process starts and the task library only reads, so args, environment, identity and limits cost no
// IPC (dean-armand-1992 3.1 shared pages; XNU's commpage; L4Linux's upage) (but for one word the
// task library keeps, memoryPages). Layout: a header of
// 32-bit words at the byte offsets below, the pipe table, then the argument strings, the
// environment strings and the working directory the process starts in, each NUL-terminated,
// starting at STRINGS. Written once, so no lock guards it,
// except CONSOLE and the pipe table: the server rewrites them (atomically) before it replies to any
// call, and the task reads them only between calls (one thread per process), so the task never uses
// a ring for a descriptor that changed.

export const COMMPAGE = {
  magic: 0,
  version: 4,
  pid: 8,
  ppid: 12,
  uid: 16,
  gid: 20,
  argc: 24,
  argvBytes: 28,
  envc: 32,
  envBytes: 36,
  /** The most descriptors a process may hold (RLIMIT_NOFILE). */
  nofile: 40,
  /** Bit i set: descriptor i (0-2) is a terminal. */
  ttys: 44,
  /** COMMPAGE_TRACE: the task library reports the calls it serves itself to the trace. */
  flags: 48,
  /**
   * Nibble i (descriptor 0-2): 0, use the system call; s + 1, the descriptor is the plain console
   * stream s (0 input, 1 output, 2 error), which the task library may read or write through the rings.
   */
  console: 52,
  /** Machine-memory addresses of the machine's input ring and the process's output ring (ring.ts). */
  inputRing: 56,
  outputRing: 60,
  /** Bytes of the working directory's string (with its NUL). */
  cwdBytes: 64,
  /**
   * Signals to deliver to the program's handlers (bit N-1: signal N, pending, not blocked, caught),
   * which the server rewrites atomically; the task library looks at it whenever a call returns to
   * the program (sigtake then dequeues them one at a time).
   */
  signals: 68,
  /**
   * Nonzero while the process is stopped (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): the task library
   * parks at its next entry (Atomics.wait on this word) until the server clears it and notifies it
   * (SIGCONT).
   */
  stopped: 72,
  /**
   * The program's memory in 64 KiB pages, the one word the task library writes: before each Mach
   * call (task_info reports it as the task's virtual and resident size).
   */
  memoryPages: 76,
  /**
   * The fast-path table: for descriptors 0 to FASTPATH_SLOTS - 1, a word each: 0, use the system
   * call; for a pipe end, the address of the pipe's ring (a frame address, so its low bits are free)
   * | PIPE_READ or PIPE_WRITE (the end the descriptor is, with the right to move data that way) |
   * PIPE_NONBLOCK; for a file whose data is in the page cache, its window's address | FAST_FILE |
   * what the task may do itself (abi/file_window.ts).
   */
  fastpath: 128,
  strings: 128 + 4 * 64,
} as const;

/** Descriptors the fast-path table covers (a pipe end or file above them goes through the server). */
export const FASTPATH_SLOTS = 64;
export const PIPE_READ = 1;
export const PIPE_WRITE = 2;
export const PIPE_NONBLOCK = 4;
/** The ring address in a pipe's word of the table (FAST_FILE clear). */
export const PIPE_RING_MASK = ~7;

export const COMMPAGE_MAGIC = 0x50434d57; // "WMCP"
export const COMMPAGE_VERSION = 5;
export const COMMPAGE_TRACE = 1;

export interface CommpageInfo {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  nofile: number;
  ttys: number;
  flags: number;
  inputRing: number;
  outputRing: number;
  args: readonly string[];
  env: readonly string[];
  /** The working directory the process starts in (an absolute path). */
  cwd: string;
}

const encoder = new TextEncoder();

function strings(list: readonly string[]): Uint8Array {
  return encoder.encode(list.map((s) => s + '\0').join(''));
}

/** Lay `info` out in `page`; false if the strings do not fit (the caller reports E2BIG). */
export function writeCommpage(page: Uint8Array, info: CommpageInfo): boolean {
  const argv = strings(info.args);
  const envp = strings(info.env);
  const cwd = strings([info.cwd]);
  if (COMMPAGE.strings + argv.length + envp.length + cwd.length > page.length) return false;
  const v = new DataView(page.buffer, page.byteOffset, page.length);
  const put = (at: number, x: number) => v.setUint32(at, x, true);
  put(COMMPAGE.version, COMMPAGE_VERSION);
  put(COMMPAGE.pid, info.pid);
  put(COMMPAGE.ppid, info.ppid);
  put(COMMPAGE.uid, info.uid);
  put(COMMPAGE.gid, info.gid);
  put(COMMPAGE.argc, info.args.length);
  put(COMMPAGE.argvBytes, argv.length);
  put(COMMPAGE.envc, info.env.length);
  put(COMMPAGE.envBytes, envp.length);
  put(COMMPAGE.cwdBytes, cwd.length);
  put(COMMPAGE.nofile, info.nofile);
  put(COMMPAGE.ttys, info.ttys);
  put(COMMPAGE.flags, info.flags);
  put(COMMPAGE.inputRing, info.inputRing);
  put(COMMPAGE.outputRing, info.outputRing);
  page.set(argv, COMMPAGE.strings);
  page.set(envp, COMMPAGE.strings + argv.length);
  page.set(cwd, COMMPAGE.strings + argv.length + envp.length);
  put(COMMPAGE.magic, COMMPAGE_MAGIC); // last: a reader that sees the magic sees the rest
  return true;
}

/**
 * A forked child's commpage in `page`: the parent's (`from`: its strings, limits, rings), with the
 * child's pid and parent and no signals due; the console word and pipe table are the server's to rewrite.
 */
export function forkCommpage(page: Uint8Array, from: Uint8Array, pid: number, ppid: number): void {
  page.set(from);
  const v = new DataView(page.buffer, page.byteOffset, page.length);
  v.setUint32(COMMPAGE.pid, pid, true);
  v.setUint32(COMMPAGE.ppid, ppid, true);
  v.setUint32(COMMPAGE.signals, 0, true);
}

/** The signals word of the commpage in `page` (see COMMPAGE.signals), which the server rewrites with Atomics.store. */
export function commpageSignalWord(page: Uint8Array): Int32Array {
  return new Int32Array(page.buffer, page.byteOffset + COMMPAGE.signals, 1);
}

/** The stopped word of the commpage in `page` (see COMMPAGE.stopped). */
export function commpageStopWord(page: Uint8Array): Int32Array {
  return new Int32Array(page.buffer, page.byteOffset + COMMPAGE.stopped, 1);
}

/** The parent pid the commpage in `page` was written with. */
export function commpagePpid(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(COMMPAGE.ppid, true);
}

/** The console word of the commpage in `page` (see COMMPAGE.console), which the server rewrites with Atomics.store. */
export function commpageConsoleWord(page: Uint8Array): Int32Array {
  return new Int32Array(page.buffer, page.byteOffset + COMMPAGE.console, 1);
}

/** The fast-path table of the commpage in `page` (see COMMPAGE.fastpath), which the server rewrites with Atomics.store. */
export function commpageFastpathTable(page: Uint8Array): Int32Array {
  return new Int32Array(page.buffer, page.byteOffset + COMMPAGE.fastpath, FASTPATH_SLOTS);
}
