// Mach ports and port sets as the server keeps them (XNU's ipc_port and ipc_pset): a port is a
// queue of messages with a limit, one receive right (held by a space's entry, or in a message in
// transit, or by the server itself for a kernel object such as a task or a semaphore), counts of
// the send and send-once rights outstanding, the make-send count, and the notifications armed on
// it. Which names denote it lives in the spaces (ipc_space.ts); what rights do to it, in ipc_right.ts.
import type { IpcSpace, Entry } from './ipc_space.js';
import type { Kmsg } from './ipc_kmsg.js';
import type { DirectReceiver } from './direct.js';
import { MACH_PORT_QLIMIT_DEFAULT } from '../../abi/mach.js';

/** What a kernel-object port stands for: the server answers for it (tasks, threads, semaphores). */
export interface Kobject {
  readonly kind: 'task' | 'thread' | 'semaphore' | 'bootstrap';
}

let nextId = 1;

export class Port {
  /** A number of the server's for it, for listings (lsmp) and traces. */
  readonly id = nextId++;
  /** False once destroyed: rights to it are dead names. */
  active = true;
  /** The space holding its receive right; undefined while the right travels in a message or the server holds it (kernel objects). */
  receiver?: IpcSpace;
  /** The port sets it is in (its receive right is held by a space). */
  readonly psets = new Set<PortSet>();
  readonly queue: Kmsg[] = [];
  qlimit = MACH_PORT_QLIMIT_DEFAULT;
  seqno = 0;
  /** Make-send count: send rights made from the receive right. */
  mscount = 0;
  /** Send rights outstanding: one per space entry holding send rights, one per right in a message. */
  srights = 0;
  sorights = 0;
  /** Armed notifications: no-senders (sent once the make-send count reaches `sync`), port-destroyed; each a send-once right. */
  nsrequest?: { notify: Port; sync: number };
  pdrequest?: Port;
  /** Entries of any space naming it with send or send-once rights (they turn into dead names when it dies). */
  readonly names = new Set<Entry>();
  /** The thread serving it directly (direct.ts), if one does. */
  direct?: DirectReceiver;
  /** Receivers of it wait here (mach_msg receive); senders blocked on its full queue, on `room`. */
  readonly arrived = {};
  readonly room = {};

  constructor(readonly kobject?: Kobject) {}

  /** Its queue is at its limit (a message to a send-once right is taken anyway: XNU's rule). */
  get full(): boolean {
    return this.queue.length >= this.qlimit;
  }
}

/** A port set: receive from it takes the first message of any member. */
export class PortSet {
  readonly id = nextId++;
  readonly members = new Set<Port>();
  /** Receivers wait here; a message arriving at any member wakes it. */
  readonly arrived = {};
}
