// The direct binding (lepreau-1993 section 5; birch-2005 ch. 7): when a port's receiver is a thread
// serving requests (mach_msg_server in the SDK), a client's stub calls that thread with one kernel
// IPC, the request in its message window, instead of sending a Mach message through the server.
// The server makes it possible and keeps it honest: the receiver registers (serve), and the server
// gives it a notification capability so it hears of full messages queued meanwhile; a client asks
// for a binding (bind) and gets a capability to the receiver's thread, badged with the port's id,
// and the address of the port's status word, a word of machine memory the server keeps equal to
// the port's queue length (or -1 once the port is no longer served): a client calls directly only
// while it reads 0, so a direct call never overtakes a queued message. A binding whose receiver
// moved on fails at the call (the receiver answers NOT_SERVED, or the thread is gone) and the
// stub falls back to a full message.
import { KERN_SUCCESS, KERN_FAILURE, KERN_INVALID_NAME, KERN_INVALID_RIGHT, KERN_RESOURCE_SHORTAGE, MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE } from '../../abi/mach.js';
import type { Kernel } from '../../kernel-as/bindings/kernel.js';
import { OK, RIGHT_NOTIFY, RIGHT_SEND, CAP_SLOTS } from '../../kernel-as/bindings/abi.js';
import type { Port } from './ipc_port.js';
import type { IpcSpace } from './ipc_space.js';

/** The notification bit a serving thread's receive returns with when full messages wait. */
export const DIRECT_PENDING = 1;
/** The reply label of a receiver asked for a port it does not serve (the client rebinds). */
export const NOT_SERVED = 1;
/** Status words: the port is not served directly. */
const UNSERVED = -1;
/** Capability slots the server keeps for its own uses (SERVER_SELF_CAP and below). */
const FIRST_FREE_SLOT = 2;

/** A port served directly: the serving thread, the server's notification slot for it, its status word's index. */
export interface DirectReceiver {
  readonly pid: number;
  readonly tid: number;
  readonly slot: number;
  readonly status: number;
}

/** Slots of a task's capability space the server hands out (slot 0 is every task's server capability). */
class Slots {
  private used = new Set<number>();
  constructor(private first: number) {}

  take(): number | undefined {
    for (let s = this.first; s < CAP_SLOTS; s++) if (!this.used.has(s)) return this.used.add(s), s;
    return undefined;
  }

  give(s: number): void {
    this.used.delete(s);
  }
}

export class DirectBinding {
  private serverSlots = new Slots(FIRST_FREE_SLOT);
  /** Each client's bindings: port id -> its slot, and its free slots. */
  private clients = new Map<number, { slots: Slots; bound: Map<number, number> }>();
  private statusFree: number[] = [];
  private statusNext = 0;

  /**
   * k: the server's kernel (cap_mint, notify_post); serverTask: its task; status: a frame of machine
   * memory for status words; taskOf: a process's kernel task.
   */
  constructor(private k: Kernel, private serverTask: number, private status: Int32Array, private taskOf: (pid: number) => number | undefined) {}

  /** Thread `tid` of process `pid` serves receive right `name` directly: the port's id, or why not. */
  serve(space: IpcSpace, pid: number, tid: number, name: number): { kr: number; id: number; status: number } {
    const fail = (kr: number) => ({ kr, id: 0, status: 0 });
    const e = space.lookup(name);
    if (!e) return fail(KERN_INVALID_NAME);
    if (!e.has(MACH_PORT_TYPE_RECEIVE)) return fail(KERN_INVALID_RIGHT);
    const port = e.object as Port;
    if (port.direct?.tid === tid) return { kr: KERN_SUCCESS, id: port.id, status: this.address(port.direct) };
    if (port.direct) this.unserve(port);
    const slot = this.serverSlots.take();
    const status = this.statusFree.pop() ?? (this.statusNext < this.status.length ? this.statusNext++ : undefined);
    if (slot === undefined || status === undefined) {
      if (slot !== undefined) this.serverSlots.give(slot);
      return fail(KERN_RESOURCE_SHORTAGE);
    }
    if (this.k.x.cap_mint(this.serverTask, slot, tid, port.id, RIGHT_NOTIFY) !== OK) {
      this.serverSlots.give(slot);
      this.statusFree.push(status);
      return fail(KERN_FAILURE);
    }
    port.direct = { pid, tid, slot, status };
    this.queueChanged(port);
    return { kr: KERN_SUCCESS, id: port.id, status: this.address(port.direct) };
  }

  /** The machine-memory address of a served port's status word. */
  private address(d: DirectReceiver): number {
    return this.status.byteOffset + d.status * 4;
  }

  /** The port's receive right left its receiver (moved, destroyed): it is no longer served directly. */
  unserve(port: Port): void {
    const d = port.direct;
    if (!d) return;
    port.direct = undefined;
    Atomics.store(this.status, d.status, UNSERVED);
    this.statusFree.push(d.status);
    this.k.x.cap_delete(this.serverTask, d.slot);
    this.serverSlots.give(d.slot);
  }

  /** The port's queue changed: its status word follows, and a serving thread hears that messages wait. */
  queueChanged(port: Port): void {
    const d = port.direct;
    if (!d) return;
    Atomics.store(this.status, d.status, port.queue.length);
    if (port.queue.length) this.k.x.notify_post(d.slot, DIRECT_PENDING);
  }

  /**
   * A binding for the client `pid` holding a send right `name`: a capability slot of its task that
   * calls the port's serving thread, and the machine-memory address of the port's status word.
   */
  bind(space: IpcSpace, pid: number, name: number): { kr: number; slot: number; status: number } {
    const none = { kr: KERN_FAILURE, slot: 0, status: 0 };
    const e = space.lookup(name);
    const port = e?.has(MACH_PORT_TYPE_SEND) ? e.port : undefined;
    const d = port?.direct;
    const task = this.taskOf(pid);
    if (!port || !d || task === undefined) return none;
    let c = this.clients.get(pid);
    if (!c) this.clients.set(pid, (c = { slots: new Slots(1), bound: new Map() }));
    let slot = c.bound.get(port.id);
    if (slot === undefined) {
      slot = c.slots.take();
      if (slot === undefined) return none;
      c.bound.set(port.id, slot);
    }
    if (this.k.x.cap_mint(task, slot, d.tid, port.id, RIGHT_SEND) !== OK) return none;
    return { kr: KERN_SUCCESS, slot, status: this.address(d) };
  }

  /** Process `pid` ended: its bindings go with its task. */
  ended(pid: number): void {
    this.clients.delete(pid);
  }
}
