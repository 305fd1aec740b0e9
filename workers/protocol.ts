// The wire protocol between the host and its workers: the only messages that cross postMessage.
// Data only, no logic (comlink's protocol.ts is the model). A task worker receives one message, its
// boot record, and then talks only through the kernel; servers also report events to the host.
import type { ExitStatus } from '../personality/interfaces/exit.js';

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
  args: string[];
  env: string[];
  /** A machine-memory frame for this thread's outgoing bulk data (syscall payloads). */
  msgBuf: number;
  msgLen: number;
}

/** Boot record of the personality server. */
export interface ServerBoot extends MachineBoot {
  kind: 'server';
  /** A machine-memory frame where the server accepts bulk items (its buffer registers). */
  rcvBuf: number;
  rcvLen: number;
}

/** A process the host asks the server to track (until fork/spawn move into the server). */
export interface ProcessRecord {
  kind: 'process';
  task: number;
  pid: number;
  name: string;
}

export type HostToWorker = TaskBoot | ServerBoot | ProcessRecord;


export type WorkerToHost =
  | { kind: 'ready' }
  | { kind: 'process-ready'; task: number }
  | { kind: 'console'; fd: number; data: Uint8Array }
  | { kind: 'exit'; task: number; status: ExitStatus }
  | { kind: 'done' }
  | { kind: 'fault'; message: string };

/** Where messages go and come from: a Node MessagePort, a Web Worker's scope, or a Worker. */
export interface Endpoint<In, Out> {
  post(message: Out, transfer?: Transferable[]): void;
  listen(handler: (message: In) => void): void;
}
