// The boot records of each worker role: what the host posts to a worker once, before it talks only
// through the kernel. Every worker gets the machine (memory and compiled kernel) and the thread it
// runs; the personality server also gets what the root task hands it (the machine's frames from
// `frames` up, its own rights, the console), a task its program and the frames it shares with the
// server. Data only.

/** What every worker gets at start: the machine memory and the compiled kernel. */
export interface MachineBoot {
  kernel: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Kernel thread this worker runs, and the worker's number (for colocated calls). */
  tid: number;
  worker: number;
}

/** Boot record of a task worker: everything it needs to run its program. */
export interface TaskBoot extends MachineBoot {
  kind: 'task';
  program: WebAssembly.Module;
  /** Machine-memory frames the server shares with the process: its thread's message window and its commpage. */
  window: number;
  windowLen: number;
  commpage: number;
  /** A forked child's: the parent's memory at its fork, which the child winds back into. */
  image?: ForkImage;
}

/**
 * A program's state at fork (libsystem/fork.ts): its linear memory, holding its call stack unwound
 * into the buffer at `unwind`, and its mutable globals' values (the stack pointer among them); the
 * child's fork call writes 0 at `childOut`. `dispatcher`: its signal dispatcher's table entry (-1: none).
 */
export interface ForkImage {
  program: WebAssembly.Module;
  memory: ArrayBuffer;
  globals: Array<number | bigint>;
  unwind: number;
  childOut: number;
  dispatcher: number;
}

/** Boot record of the personality server. */
export interface ServerBoot extends MachineBoot {
  kind: 'server';
  /** The server's kernel task (it mints capabilities into its own space: the direct binding). */
  task: number;
  /** Bit i set: host descriptor i (0-2) is a terminal. */
  ttys: number;
  /**
   * The host's input is a terminal in raw mode: the server runs the line discipline (personality/vfs/tty.ts),
   * with this window size.
   */
  terminal: boolean;
  winsize?: { rows: number; cols: number };
  /** Print every system call to the host's trace (webmach run --trace). */
  trace: boolean;
  /** Bytes each in-memory file system may hold. */
  fileMemory: number;
  /** 4 KiB pages of host files' data the page cache holds before it steals. */
  cachePages: number;
  /** Machine-memory address of the console's input ring (abi/ring.ts), which the host fills. */
  inputRing: number;
  /** And of its output ring, which every process writes (under the ring's writer lock) and the host drains. */
  outputRing: number;
  /** The first machine-memory frame that is the server's: every frame from here up is its to hand out. */
  frames: number;
  /** The boot image (abi/bootimage.ts): the programs served at /bin. */
  bootImage: Uint8Array;
}

/** Capability slot in the server's own space: a notify right to itself (timers wake its loop). */
export const SERVER_SELF_CAP = 1;
/** Notification bits the server's loop hears: the host posted a message; a timer fired. */
export const HOST_EVENT = 1;
export const WAKE_EVENT = 2;

/** The page cache's bound by default: 64 MiB of host files' data (tmpfs's pages are bounded by tmpfs). */
export const CACHE_PAGES = 16384;
