// Moving rights between a space and a message (XNU's ipc_right and ipc_object copyin/copyout), and
// what becomes of a name when its rights go: a send right's user references, a receive right
// leaving with MOVE_RECEIVE, send rights made from a receive right (MAKE_SEND counts toward the
// make-send count), names turning into dead names when their port dies. A message's rights are
// checked together first (checkCopyin) and copied in only when all can be, so a message refused
// leaves the sender's space as it was.
import {
  MACH_PORT_NULL, MACH_PORT_DEAD, MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_SEND_ONCE,
  MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND,
  MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
  MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_RECEIVE,
} from '../../abi/mach.js';
import { UREFS_MAX, type Entry, type IpcSpace } from './ipc_space.js';
import type { Port } from './ipc_port.js';
import type { NameRef, Right } from './ipc_kmsg.js';
import type { Ipc } from './ipc.js';
import { notifyDeadName, notifyNoSenders, notifyPortDeleted } from './ipc_notify.js';

const RIGHTS = MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_PORT_SET | MACH_PORT_TYPE_DEAD_NAME;

/** The right a disposition makes (MACH_MSG_TYPE_PORT_*), or 0 for a disposition that is not one. */
export function carriedType(disposition: number): number {
  switch (disposition) {
    case MACH_MSG_TYPE_MOVE_RECEIVE:
      return MACH_MSG_TYPE_PORT_RECEIVE;
    case MACH_MSG_TYPE_MOVE_SEND:
    case MACH_MSG_TYPE_COPY_SEND:
    case MACH_MSG_TYPE_MAKE_SEND:
      return MACH_MSG_TYPE_PORT_SEND;
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
      return MACH_MSG_TYPE_PORT_SEND_ONCE;
    default:
      return 0;
  }
}

/** How much of each entry the rights checked so far would take. */
interface Use {
  sendRefs: number;
  copies: number;
  sendOnce: number;
  receiveMoved: boolean;
}

/**
 * Whether every right of `refs`, in order, can be copied in from `space` (a name used twice must
 * hold enough for both). Returns the index of the first that cannot, or -1.
 */
export function checkCopyin(space: IpcSpace, refs: readonly NameRef[]): number {
  const uses = new Map<Entry, Use>();
  for (let i = 0; i < refs.length; i++) {
    const { name, disposition } = refs[i];
    if (carriedType(disposition) === 0) return i;
    if (name === MACH_PORT_NULL || name === MACH_PORT_DEAD) continue;
    const e = space.lookup(name);
    if (!e) return i;
    let u = uses.get(e);
    if (!u) uses.set(e, (u = { sendRefs: 0, copies: 0, sendOnce: 0, receiveMoved: false }));
    if (!fits(e, disposition, u)) return i;
  }
  return -1;
}

function fits(e: Entry, disposition: number, u: Use): boolean {
  const dead = e.has(MACH_PORT_TYPE_DEAD_NAME);
  switch (disposition) {
    case MACH_MSG_TYPE_MOVE_RECEIVE:
      if (!e.has(MACH_PORT_TYPE_RECEIVE) || u.receiveMoved) return false;
      return (u.receiveMoved = true);
    case MACH_MSG_TYPE_MAKE_SEND:
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
      return e.has(MACH_PORT_TYPE_RECEIVE) && !u.receiveMoved;
    case MACH_MSG_TYPE_COPY_SEND:
      if (dead) return true;
      if (!e.has(MACH_PORT_TYPE_SEND) || e.urefs <= u.sendRefs) return false;
      u.copies++;
      return true;
    case MACH_MSG_TYPE_MOVE_SEND:
      if (!(e.has(MACH_PORT_TYPE_SEND) || dead) || e.urefs <= u.sendRefs || (u.copies > 0 && e.urefs <= u.sendRefs + 1)) return false;
      u.sendRefs++;
      return true;
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
      if (!(e.has(MACH_PORT_TYPE_SEND_ONCE) || dead) || u.sendOnce > 0) return false;
      u.sendOnce++;
      return true;
    default:
      return false;
  }
}

/** Copy in one right checked by checkCopyin: the space gives it up (or makes it), the message holds it. */
export function copyin(ipc: Ipc, space: IpcSpace, ref: NameRef): Right {
  const type = carriedType(ref.disposition);
  if (ref.name === MACH_PORT_NULL) return { type };
  if (ref.name === MACH_PORT_DEAD) return { dead: true, type };
  const e = space.lookup(ref.name)!;
  if (e.has(MACH_PORT_TYPE_DEAD_NAME)) {
    if (ref.disposition !== MACH_MSG_TYPE_COPY_SEND) dropRefs(ipc, e, 1);
    return { dead: true, type };
  }
  const port = e.object as Port;
  switch (ref.disposition) {
    case MACH_MSG_TYPE_MAKE_SEND:
      port.mscount++;
      port.srights++;
      break;
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
      port.sorights++;
      break;
    case MACH_MSG_TYPE_COPY_SEND:
      port.srights++;
      break;
    case MACH_MSG_TYPE_MOVE_SEND:
      if (e.urefs > 1) {
        e.urefs--;
        port.srights++;
      } else {
        e.type &= ~MACH_PORT_TYPE_SEND;
        e.urefs = 0;
        port.names.delete(e);
        settle(ipc, e);
      }
      break;
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
      e.type &= ~MACH_PORT_TYPE_SEND_ONCE;
      port.names.delete(e);
      settle(ipc, e);
      break;
    case MACH_MSG_TYPE_MOVE_RECEIVE:
      e.type &= ~MACH_PORT_TYPE_RECEIVE;
      ipc.receiverLeft(port);
      settle(ipc, e);
      break;
  }
  return { port, type };
}

/**
 * Copy a right out of a message into `space`: its name there (a send right joins the name that
 * already has the port; a send-once right always gets a new one; `into`, a fresh entry the caller
 * named, takes it instead). A right to a dead port comes out as MACH_PORT_DEAD, one for a space that
 * is gone is released.
 */
export function copyout(ipc: Ipc, space: IpcSpace, r: Right, into?: Entry): number {
  const port = r.port;
  if (!port) return r.dead ? MACH_PORT_DEAD : MACH_PORT_NULL;
  if (!space.active || !port.active) {
    ipc.release(r);
    return port.active ? MACH_PORT_NULL : MACH_PORT_DEAD;
  }
  if (r.type === MACH_MSG_TYPE_PORT_SEND_ONCE) {
    const e = into ?? space.allocate(port);
    e.type = MACH_PORT_TYPE_SEND_ONCE;
    e.urefs = 1;
    port.names.add(e);
    return e.name;
  }
  const e = into ?? space.entryOf(port) ?? space.allocate(port);
  if (r.type === MACH_MSG_TYPE_PORT_RECEIVE) {
    e.type |= MACH_PORT_TYPE_RECEIVE;
    port.receiver = space;
  } else if (e.has(MACH_PORT_TYPE_SEND)) {
    e.urefs = Math.min(UREFS_MAX, e.urefs + 1);
    port.srights--; // the space holds one send right per name
  } else {
    e.type |= MACH_PORT_TYPE_SEND;
    e.urefs = 1;
    port.names.add(e);
  }
  space.index(e);
  return e.name;
}

/** A name with no rights left is freed (with a port-deleted notification if a dead-name request was armed on it). */
export function settle(ipc: Ipc, e: Entry): void {
  e.space.index(e);
  if ((e.type & RIGHTS) !== 0) return;
  if (e.dnrequest) notifyPortDeleted(ipc, e.dnrequest, e.name);
  e.dnrequest = undefined;
  e.space.remove(e);
}

/** Take `n` user references from a send right or dead name; at none, the right is released (`notify`: a no-senders request may fire). */
export function dropRefs(ipc: Ipc, e: Entry, n: number, notify = true): void {
  e.urefs -= n;
  if (e.urefs > 0) return;
  e.urefs = 0;
  if (e.has(MACH_PORT_TYPE_SEND)) {
    const port = e.object as Port;
    e.type &= ~MACH_PORT_TYPE_SEND;
    port.names.delete(e);
    port.srights--;
    if (port.srights === 0 && notify) notifyNoSenders(ipc, port);
  }
  e.type &= ~MACH_PORT_TYPE_DEAD_NAME;
  settle(ipc, e);
}

/** Release a send-once right's name: the right is used up unsent (its port gets a send-once notification). */
export function dropSendOnce(ipc: Ipc, e: Entry): void {
  const port = e.object as Port;
  e.type &= ~MACH_PORT_TYPE_SEND_ONCE;
  port.names.delete(e);
  ipc.release({ port, type: MACH_MSG_TYPE_PORT_SEND_ONCE });
  settle(ipc, e);
}

/** Every right of a name released and the name freed (mach_port_destroy, or its task ending). `deleted`: a dead-name request gets a port-deleted notification. */
export function releaseEntry(ipc: Ipc, e: Entry, deleted = false): void {
  const request = e.dnrequest;
  e.dnrequest = undefined;
  if (e.has(MACH_PORT_TYPE_SEND)) {
    e.urefs = 1;
    dropRefs(ipc, e, 1, !e.has(MACH_PORT_TYPE_RECEIVE)); // the port dies with the name: no no-senders first
  }
  if (e.has(MACH_PORT_TYPE_SEND_ONCE)) dropSendOnce(ipc, e);
  if (e.has(MACH_PORT_TYPE_RECEIVE)) {
    const port = e.object as Port;
    e.type &= ~MACH_PORT_TYPE_RECEIVE;
    e.space.index(e);
    ipc.destroyPort(port);
  }
  if (e.has(MACH_PORT_TYPE_PORT_SET)) ipc.destroyPortSet(e.pset!);
  e.type = 0;
  if (request) {
    if (deleted) notifyPortDeleted(ipc, request, e.name);
    else ipc.release({ port: request, type: MACH_MSG_TYPE_PORT_SEND_ONCE });
  }
  e.space.remove(e);
}

/** `port` died: every name for it with send or send-once rights becomes a dead name (dead-name requests fire, each adding a reference). */
export function deadNames(ipc: Ipc, port: Port): void {
  for (const e of port.names) {
    e.type = (e.type & ~(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)) | MACH_PORT_TYPE_DEAD_NAME;
    e.space.index(e);
    e.object = undefined;
    const request = e.dnrequest;
    e.dnrequest = undefined;
    if (request) {
      e.urefs++;
      notifyDeadName(ipc, request, e.name);
    }
  }
  port.names.clear();
}
