// The messages between the host and its workers, beside the boot records (boot.ts): the host is a
// device (console) and a worker provider; the personality server owns processes and asks it for
// workers. Data only, no logic (comlink's protocol.ts is the model).
//   host -> server: run a program (the first process of `webmach run`), a worker's fate, the console's state,
//   the terminal's size;
//   server -> host: start or stop a worker, program output, a run's end (after what the console's
//   output ring holds);
//   task -> host: its program returned or forked (the child's image), or the task library failed.
import type { ExitStatus } from './exit.js';
import type { ForkImage, ServerBoot, TaskBoot } from './boot.js';

/** A directory to mount and preopen for a process. */
export interface MountSpec {
  /** Where the program sees it: an absolute path, or a relative name used only as the preopen's name. */
  guest: string;
  /** A host directory; without it, a fresh empty in-memory directory. */
  host?: string;
  readOnly?: boolean;
}

/** The host asks the server to start a process, as any process would spawn one (it has no parent). */
export interface SpawnRequest {
  kind: 'spawn';
  /** The host's number for this request, echoed in 'spawned' and 'exit'. */
  request: number;
  program: WebAssembly.Module;
  name: string;
  args: string[];
  env: string[];
  mounts: MountSpec[];
  /** The working directory it starts in (absolute; programs built with the SDK enter it). */
  cwd: string;
}

export type HostToServer =
  | SpawnRequest
  /** The host's output fd 1 or 2 is congested ('full'), writable again ('drained'), or gone ('broken'). */
  | { kind: 'output'; fd: number; state: 'full' | 'drained' | 'broken' }
  /** A worker the server asked for is gone (after 'worker-stop'), or failed on its own (`fault`). */
  | { kind: 'worker-gone'; worker: number; fault?: string }
  /** How many processes, frames, Mach ports and port names the server holds (answered by a 'census'): for leak checks. */
  | { kind: 'census'; request: number }
  /** End every process still running (SIGKILL): before a leak check at the end of a run. */
  | { kind: 'end-all' }
  /** The terminal's window changed size (rows and columns). */
  | { kind: 'winsize'; rows: number; cols: number };

export type ServerToHost =
  /** Run this task in a started worker. */
  | { kind: 'worker-start'; boot: TaskBoot }
  /** End worker `worker` (its task is over); the host answers 'worker-gone'. */
  | { kind: 'worker-stop'; worker: number }
  /** Worker `worker`'s program called exec: hand it `program` to run in the same task. */
  | { kind: 'worker-exec'; worker: number; program: WebAssembly.Module }
  /** Run a forked child in a started worker, once its parent's task has handed over the image (TaskToHost 'fork'). */
  | { kind: 'worker-fork'; boot: Omit<TaskBoot, 'program'> }
  | { kind: 'spawned'; request: number; pid?: number; error?: string }
  | { kind: 'exit'; request: number; status: ExitStatus }
  | { kind: 'census'; request: number; processes: number; frames: number; ports: number; rights: number }
  | { kind: 'console'; fd: number; data: Uint8Array }
  | { kind: 'trace'; line: string }
  | { kind: 'fault'; message: string };

export type TaskToHost =
  | { kind: 'done' }
  | { kind: 'fault'; message: string }
  /** The program forked: the image the child in worker `worker` starts from. */
  | { kind: 'fork'; worker: number; image: ForkImage };

/** Every worker says so once it has started (and loaded the code it expects to need). */
export type WorkerToHost = { kind: 'ready' } | ServerToHost | TaskToHost;
/** A task worker's next program, after its program ended by exec. */
export interface TaskExec {
  kind: 'exec';
  program: WebAssembly.Module;
}

export type HostToWorker = ServerBoot | TaskBoot | TaskExec | HostToServer;

/** Where messages go and come from: a Node MessagePort, a Web Worker's scope, or a Worker. */
export interface Endpoint<In, Out> {
  post(message: Out, transfer?: Transferable[]): void;
  listen(handler: (message: In) => void): void;
}
