// Mach in the personality server: the IPC system (ipc.ts), every process's task and thread ports
// (kernel objects the server answers for), its semaphores and the bootstrap name service. A
// process's space is made at its first Mach call; when the process ends, its space's rights are
// released (its ports die, holders get dead names), and so do its task port and its semaphores.
import { MACH_MSG_TYPE_PORT_SEND, MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE } from '../../abi/mach.js';
import type { Channel } from '../bsd/wait.js';
import type { Process } from '../bsd/proc.js';
import { Ipc } from './ipc.js';
import type { IpcSpace } from './ipc_space.js';
import type { Port, Kobject } from './ipc_port.js';
import type { Kmsg } from './ipc_kmsg.js';
import { taskDemux, type TaskSubsystem } from './task_server.js';
import { taskSubsystem } from './task.js';
import { copyout } from './ipc_right.js';
import { Semaphores } from './sync_sema.js';
import { Bootstrap } from './bootstrap.js';
import type { DirectBinding } from './direct.js';
import type { Staging } from './staging.js';

/** A process's Mach task: its task port and its (one) thread's port, and how often it was suspended. */
export interface Task {
  readonly pid: number;
  readonly port: Port;
  readonly thread: Port;
  suspended: number;
}

export interface TaskObject extends Kobject {
  readonly kind: 'task' | 'thread';
  readonly task: Task;
}

export class Mach {
  readonly ipc: Ipc;
  readonly semaphores: Semaphores;
  readonly bootstrap: Bootstrap;
  private tasks = new Map<number, Task>();
  /** The task subsystem served by message on task ports (abi/task.defs). */
  private taskServer: TaskSubsystem<Task>;

  /** procOf: the process with a pid (task_suspend acts on it). */
  constructor(wakeup: (channel: Channel) => void, procOf: (pid: number) => Process | undefined, direct: DirectBinding, readonly staging: Staging) {
    this.ipc = new Ipc(wakeup, (port, k) => this.serveKobject(port, k), direct);
    this.taskServer = taskSubsystem(procOf);
    this.semaphores = new Semaphores(this.ipc);
    this.bootstrap = new Bootstrap(this.ipc);
  }

  /** The task of process `pid` (made with its space at its first Mach call). */
  task(pid: number): Task {
    let t = this.tasks.get(pid);
    if (!t) {
      const task = { pid, suspended: 0 } as { pid: number; port: Port; thread: Port; suspended: number };
      task.port = this.ipc.port({ kind: 'task', task } as TaskObject);
      task.thread = this.ipc.port({ kind: 'thread', task } as TaskObject);
      this.tasks.set(pid, (t = task));
    }
    return t;
  }

  /** A message to a kernel object: task ports serve the task subsystem; the rest serve nothing by message. */
  private serveKobject(port: Port, k: Kmsg): { id: number; body: Uint8Array } | undefined | null {
    const o = port.kobject;
    return o?.kind === 'task' ? taskDemux(this.taskServer, (o as TaskObject).task, k) : null;
  }

  /** The caller's IPC space (and its task). */
  space(proc: Process): IpcSpace {
    this.task(proc.pid);
    return this.ipc.space(proc.pid);
  }

  /** A new send right to a port the server holds the receive right of (a kernel object), copied out into `space`: its name there. */
  sendRight(space: IpcSpace, port: Port): number {
    port.mscount++;
    port.srights++;
    return copyout(this.ipc, space, { port, type: MACH_MSG_TYPE_PORT_SEND });
  }

  /** The kernel object a name in `space` denotes with a send (or receive) right, if it is one of `kind`. */
  kobject<K extends Kobject['kind']>(space: IpcSpace, name: number, kind: K): (Kobject & { kind: K }) | undefined {
    const e = space.lookup(name);
    const port = e?.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE) ? e.port : undefined;
    return port?.active && port.kobject?.kind === kind ? (port.kobject as Kobject & { kind: K }) : undefined;
  }

  /** The task a name in `space` denotes (a send right to a task port). */
  taskNamed(space: IpcSpace, name: number): Task | undefined {
    return (this.kobject(space, name, 'task') as TaskObject | undefined)?.task;
  }

  /** The space of the task a name in `space` denotes. */
  spaceNamed(space: IpcSpace, name: number): IpcSpace | undefined {
    const t = this.taskNamed(space, name);
    return t && this.ipc.space(t.pid);
  }

  /** Process `pid` ended: its rights are released, its semaphores destroyed, its task and thread ports die. */
  ended(pid: number): void {
    this.ipc.direct.ended(pid);
    this.staging.ended(pid);
    this.semaphores.taskEnded(pid);
    this.ipc.endSpace(pid);
    const t = this.tasks.get(pid);
    if (!t) return;
    this.tasks.delete(pid);
    this.ipc.destroyPort(t.port);
    this.ipc.destroyPort(t.thread);
  }

  /** Ports and port sets alive, and names held in all spaces: the leak check's counts. */
  census(): { ports: number; rights: number } {
    return { ports: this.ipc.objects.size, rights: this.ipc.rights };
  }
}
