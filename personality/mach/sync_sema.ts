// Mach semaphores (XNU's sync_sema): a count and its waiters, named by a send right to a
// kernel-object port, owned by the task that made it (destroyed with it). A signal with waiters
// hands the count to the first of them (FIFO), otherwise counts up; signal_all wakes every waiter;
// destroy wakes them with KERN_TERMINATED. A waiter is a parked call: its grant survives its retry.
import {
  KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_INVALID_NAME, KERN_INVALID_RIGHT, KERN_INVALID_CAPABILITY, KERN_ABORTED,
  KERN_TERMINATED, KERN_OPERATION_TIMED_OUT, MACH_PORT_NULL, MACH_PORT_TYPE_SEND, SYNC_POLICY_FIFO, SYNC_POLICY_LIFO,
} from '../../abi/mach.js';
import { Blocked } from '../bsd/wait.js';
import type { Kobject, Port } from './ipc_port.js';
import type { IpcSpace } from './ipc_space.js';
import type { Ipc } from './ipc.js';

/** Who waits: the call (its identity across retries), its process, and how it stands. */
export interface Waiter {
  readonly key: object;
  readonly pid: number;
  /** When it first waited (performance.now()), and until when at most (undefined: for ever). */
  readonly deadline?: number;
  readonly interrupted: boolean;
}

export class Semaphore implements Kobject {
  readonly kind = 'semaphore' as const;
  port!: Port;
  /** Waiting calls in arrival order, by key, with their pid. */
  readonly waiting = new Map<object, number>();
  readonly granted = new Set<object>();
  readonly channel = {};
  destroyed = false;

  constructor(readonly owner: number, public count: number) {}
}

/** The policies a program may ask for (XNU's SYNC_POLICY_USER_MASK: FIFO or LIFO; fixed priority is the kernel's). */
const POLICIES = new Set([SYNC_POLICY_FIFO, SYNC_POLICY_LIFO]);

export class Semaphores {
  private all = new Set<Semaphore>();

  constructor(private ipc: Ipc) {}

  /** semaphore_create: a new semaphore owned by `owner`; its port (the caller copies a send right out). */
  create(owner: number, policy: number, value: number): Semaphore | number {
    if (value < 0 || !POLICIES.has(policy)) return KERN_INVALID_ARGUMENT;
    const s = new Semaphore(owner, value);
    s.port = this.ipc.port(s);
    this.all.add(s);
    return s;
  }

  /** The semaphore a name in `space` denotes, or the kern_return_t XNU gives for that name. */
  named(space: IpcSpace, name: number): Semaphore | number {
    if (name === MACH_PORT_NULL || name === 0xffffffff) return KERN_INVALID_NAME;
    const e = space.lookup(name);
    if (!e) return KERN_INVALID_NAME;
    if (!e.has(MACH_PORT_TYPE_SEND)) return KERN_INVALID_RIGHT;
    const k = e.port?.kobject;
    return k instanceof Semaphore && !k.destroyed ? k : KERN_INVALID_CAPABILITY;
  }

  /** semaphore_destroy by task `owner`: the semaphore's port dies, its waiters end with KERN_TERMINATED. */
  destroy(s: Semaphore, owner: number): number {
    if (s.owner !== owner) return KERN_INVALID_ARGUMENT;
    s.destroyed = true;
    this.all.delete(s);
    this.ipc.destroyPort(s.port);
    this.ipc.wakeup(s.channel);
    return KERN_SUCCESS;
  }

  /** semaphore_signal (all: semaphore_signal_all). */
  signal(s: Semaphore, all: boolean): number {
    const first = s.waiting.keys().next();
    if (first.done) {
      if (!all) s.count++;
      return KERN_SUCCESS;
    }
    for (const key of all ? [...s.waiting.keys()] : [first.value]) {
      s.waiting.delete(key);
      s.granted.add(key);
    }
    this.ipc.wakeup(s.channel);
    return KERN_SUCCESS;
  }

  /** semaphore_wait and timedwait: KERN_SUCCESS when the count is taken, or why not; Blocked to wait. */
  wait(s: Semaphore, w: Waiter): number {
    if (s.granted.delete(w.key)) return KERN_SUCCESS;
    if (s.destroyed) return this.leave(s, w, KERN_TERMINATED);
    if (w.interrupted) return this.leave(s, w, KERN_ABORTED);
    if (!s.waiting.has(w.key) && s.count > 0) {
      s.count--;
      return KERN_SUCCESS;
    }
    if (w.deadline !== undefined && performance.now() >= w.deadline) return this.leave(s, w, KERN_OPERATION_TIMED_OUT);
    if (!s.waiting.has(w.key)) s.waiting.set(w.key, w.pid);
    throw new Blocked([s.channel], w.deadline);
  }

  private leave(s: Semaphore, w: Waiter, kr: number): number {
    s.waiting.delete(w.key);
    return kr;
  }

  /** Task `pid` ended: the semaphores it owns are destroyed, its waits forgotten. */
  taskEnded(pid: number): void {
    for (const s of [...this.all]) {
      for (const [key, p] of s.waiting) if (p === pid) s.waiting.delete(key);
      if (s.owner === pid) this.destroy(s, pid);
    }
  }
}

/** A mach_timespec_t as a deadline from `started` (ms); undefined for nanoseconds out of range (KERN_INVALID_VALUE). */
export function deadlineOf(started: number, sec: number, nsec: number): number | undefined {
  return nsec < 0 || nsec >= 1e9 ? undefined : started + sec * 1000 + nsec / 1e6;
}
