// The wire protocol between the host and its workers: the only messages that cross postMessage.
// Data only, no logic (comlink's protocol.ts is the model). A task worker receives one message, its
// boot record, and then talks only through the kernel; servers also report events to the host.
import type { ExitStatus } from '../personality/interfaces/exit.js';
import type { ProcessSpec } from '../personality/interfaces/process.js';

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
  /** Machine-memory frames the server shares with the process: its message window and commpage. */
  window: number;
  windowLen: number;
  commpage: number;
}

/** Boot record of the personality server. */
export interface ServerBoot extends MachineBoot {
  kind: 'server';
  /** Bit i set: host descriptor i (0-2) is a terminal. */
  ttys: number;
  /** Print every system call to the host's trace (webmach run --trace). */
  trace: boolean;
  /** Bytes each in-memory file system may hold. */
  fileMemory: number;
  /** Machine-memory address of the console's input ring (personality/interfaces/ring.ts), which the host fills. */
  inputRing: number;
}

/** A process the host asks the server to track and prepare (until fork/spawn move into the server). */
export interface ProcessRecord extends ProcessSpec {
  kind: 'process';
}

/** The host's output fd 1 or 2 is congested ('full'), writable again ('drained'), or gone ('broken'). */
export interface OutputRecord {
  kind: 'output';
  fd: number;
  state: 'full' | 'drained' | 'broken';
}

/** The host ended a task (its worker is gone): the server forgets its process if it still has it. */
export interface ReapRecord {
  kind: 'reap';
  task: number;
}

export type HostToWorker = TaskBoot | ServerBoot | ProcessRecord | OutputRecord | ReapRecord;

export type WorkerToHost =
  | { kind: 'ready' }
  | { kind: 'process-ready'; task: number; error?: string }
  | { kind: 'console'; fd: number; data: Uint8Array }
  | { kind: 'trace'; line: string }
  | { kind: 'exit'; task: number; status: ExitStatus }
  | { kind: 'done' }
  | { kind: 'fault'; message: string };

/** Where messages go and come from: a Node MessagePort, a Web Worker's scope, or a Worker. */
export interface Endpoint<In, Out> {
  post(message: Out, transfer?: Transferable[]): void;
  listen(handler: (message: In) => void): void;
}

/** Capability slot in the server's own space: a notify right to itself (timers wake its loop). */
export const SERVER_SELF_CAP = 1;
/** Notification bits the server's loop hears: the host posted a message; a timer fired. */
export const HOST_EVENT = 1;
export const WAKE_EVENT = 2;
