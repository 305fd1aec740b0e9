// What the host needs from the platform it runs on (Node or a browser): workers, the kernel module,
// a console. host/node/ and host/browser/ implement it; host/machine.ts uses only this.
import type { HostToWorker, WorkerToHost } from '../abi/service.js';

export interface WorkerHandle {
  post(message: HostToWorker, transfer?: Transferable[]): void;
  listen(handler: (message: WorkerToHost) => void): void;
  /** Called once if the worker dies of an uncaught error. */
  onError(handler: (message: string) => void): void;
  terminate(): Promise<void>;
}

export interface Platform {
  /** Start a worker running workers/main.ts. */
  startWorker(): WorkerHandle;
  /** Compile kernel.wasm. */
  loadKernel(): Promise<WebAssembly.Module>;
  /** The boot image, build/bin.img (abi/bootimage.ts): the programs the server serves at /bin. */
  loadBootImage(): Promise<Uint8Array>;
  /**
   * Write program output (fd 1 or 2). False when the host has buffered more than it wants to: the
   * writer should wait for the 'drained' event.
   */
  write(fd: number, data: Uint8Array): boolean | void;
  /** A buffer for output about to be written, which need not be zeroed (default: a new Uint8Array). */
  outputBuffer?(bytes: number): Uint8Array;
  /** Hear when output fd 1 or 2 drains after a false write, or breaks (its reader went away); returns the unsubscribe. */
  watchOutput?(handler: (fd: number, event: 'drained' | 'broken') => void): () => void;
  /** Whether host descriptor 0, 1 or 2 is a terminal. */
  isatty(fd: number): boolean;
  /**
   * The next chunk of standard input; undefined at its end. Its bytes may be reused by the call after
   * next (so a reader that has handed on a chunk before it asks for the one after allocates nothing).
   */
  readInput(): Promise<Uint8Array | undefined>;
  /** Bytes the in-memory file systems may hold (each), so a program filling them gets ENOSPC, not an out-of-memory server. */
  readonly fileMemory: number;
  /** False where the main thread must never wait (browsers). */
  readonly mainThreadMayBlock: boolean;
}
