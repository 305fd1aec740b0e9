// The server's Mach IPC (ARCHITECTURE.md, Wave 2: ports live in the server, as in L4/Darwin): the
// IPC space of every task, the ports and port sets alive (the leak check counts them), message
// queues (XNU's ipc_mqueue: enqueue wakes the port's receivers and its sets'), and what happens
// when a port dies (ipc_port_destroy) or a message is destroyed undelivered. Rights are moved by
// ipc_right.ts, notifications made by ipc_notify.ts, mach_msg's send and receive are mach_msg.ts.
import { MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_RECEIVE } from '../../abi/mach.js';
import type { Channel } from '../bsd/wait.js';
import { IpcSpace } from './ipc_space.js';
import { Port, PortSet, type Kobject } from './ipc_port.js';
import type { Kmsg, Right } from './ipc_kmsg.js';
import type { DirectBinding } from './direct.js';
import { deadNames, releaseEntry } from './ipc_right.js';
import { notifyNoSenders, notifySendOnce, notifyPortDestroyed, kobjectReply } from './ipc_notify.js';

/** Serves a message to a kernel object by message (MIG): the reply's id and in-line part; undefined for none (a simpleroutine), null when the object serves nothing by message. */
export type KobjectServer = (port: Port, k: Kmsg) => { id: number; body: Uint8Array } | undefined | null;

export class Ipc {
  private spaces = new Map<number, IpcSpace>();
  /** Ports and port sets alive. */
  readonly objects = new Set<Port | PortSet>();

  /** wakeup: the server's (wait channels); serveKobject: how messages to kernel objects are answered. */
  constructor(readonly wakeup: (channel: Channel) => void, private serveKobject: KobjectServer, readonly direct: DirectBinding) {}

  /** The space of process `pid`, made at its first Mach call. */
  space(pid: number): IpcSpace {
    let s = this.spaces.get(pid);
    if (!s) this.spaces.set(pid, (s = new IpcSpace(pid)));
    return s;
  }

  spaceOf(pid: number): IpcSpace | undefined {
    return this.spaces.get(pid);
  }

  allSpaces(): IpcSpace[] {
    return [...this.spaces.values()];
  }

  port(kobject?: Kobject): Port {
    const p = new Port(kobject);
    this.objects.add(p);
    return p;
  }

  portSet(): PortSet {
    const s = new PortSet();
    this.objects.add(s);
    return s;
  }

  /** Rights held in every space (the leak check's second count). */
  get rights(): number {
    let n = 0;
    for (const s of this.spaces.values()) n += s.size;
    return n;
  }

  /**
   * Queue `k` on its destination, waking the port's receivers (the destination right stays counted
   * until the message is received: consumeDest).
   * A message to a dead port is destroyed; one to a kernel object is served at once (its reply,
   * MIG_BAD_ID for an id the object does not serve, goes to its reply right).
   */
  enqueue(k: Kmsg): void {
    const port = k.dest.port;
    if (!port || !port.active) return this.destroyKmsg(k);
    if (port.kobject) {
      this.consumeDest(k.dest);
      kobjectReply(this, k, this.serveKobject(port, k));
      return;
    }
    port.queue.push(k);
    this.direct.queueChanged(port);
    this.wakeup(port.arrived);
    for (const s of port.psets) this.wakeup(s.arrived);
  }

  /** A message is received: its destination right is used up (a send-once right without a notification). */
  consumeDest(dest: Right): void {
    const port = dest.port!;
    if (dest.type === MACH_MSG_TYPE_PORT_SEND) {
      port.srights--;
      if (port.srights === 0) notifyNoSenders(this, port);
    } else if (dest.type === MACH_MSG_TYPE_PORT_SEND_ONCE) {
      port.sorights--;
    }
  }

  /** Take the first message off `port`'s queue, waking a sender that waits for room. */
  dequeue(port: Port): Kmsg | undefined {
    const k = port.queue.shift();
    if (k) {
      port.seqno++;
      this.direct.queueChanged(port);
      this.wakeup(port.room);
    }
    return k;
  }

  /** Destroy a message undelivered: every right in it is released (a receive right's port dies, a send-once right notifies). */
  destroyKmsg(k: Kmsg): void {
    for (const r of k.rights()) this.release(r);
  }

  /** Release a right that is not in any space (in a message, or being dropped). */
  release(r: Right): void {
    const port = r.port;
    if (!port) return;
    if (r.type === MACH_MSG_TYPE_PORT_SEND) {
      port.srights--;
      if (port.srights === 0 && port.active) notifyNoSenders(this, port);
    } else if (r.type === MACH_MSG_TYPE_PORT_SEND_ONCE) {
      if (port.active) notifySendOnce(this, port); // the right goes on as the notification's destination, counted until it is received
      else port.sorights--;
    } else if (r.type === MACH_MSG_TYPE_PORT_RECEIVE) {
      this.destroyPort(port);
    }
  }

  /**
   * A receive right is released (ipc_port_destroy). With a port-destroyed request armed, the right
   * goes to it instead. Otherwise the port dies: its queued messages are destroyed, every name for
   * it in any space becomes a dead name (dead-name notifications go out), its own requests are
   * released, and whoever waits on it is woken to find it dead.
   */
  destroyPort(port: Port): void {
    if (!port.active) return;
    this.receiverLeft(port);
    if (port.pdrequest) {
      const notify = port.pdrequest;
      port.pdrequest = undefined;
      notifyPortDestroyed(this, notify, port);
      return;
    }
    port.active = false;
    this.objects.delete(port);
    deadNames(this, port);
    const ns = port.nsrequest;
    port.nsrequest = undefined;
    if (ns) this.release({ port: ns.notify, type: MACH_MSG_TYPE_PORT_SEND_ONCE });
    for (const k of port.queue.splice(0)) this.destroyKmsg(k);
    this.wakeup(port.arrived);
    this.wakeup(port.room);
  }

  /** A port's receive right left its space (moved in a message, or released). */
  receiverLeft(port: Port): void {
    port.receiver = undefined;
    this.direct.unserve(port);
    for (const s of port.psets) s.members.delete(port);
    port.psets.clear();
  }

  destroyPortSet(set: PortSet): void {
    for (const p of set.members) p.psets.delete(set);
    set.members.clear();
    this.objects.delete(set);
    this.wakeup(set.arrived);
  }

  /** Process `pid` ended: every right its space holds is released, and the space is gone. */
  endSpace(pid: number): void {
    const space = this.spaces.get(pid);
    if (!space) return;
    space.active = false;
    for (const e of space.all()) releaseEntry(this, e);
    this.spaces.delete(pid);
  }
}
