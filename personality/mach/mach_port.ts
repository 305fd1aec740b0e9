// The mach_port_* calls on a space (XNU's mach_port.c): allocate, destroy, deallocate, references,
// types and names, inserting and extracting rights, port sets, attributes and notification
// requests. Each returns XNU's kern_return_t for the same mistake.
import {
  KERN_SUCCESS, KERN_INVALID_NAME, KERN_INVALID_RIGHT, KERN_INVALID_VALUE, KERN_INVALID_ARGUMENT, KERN_NAME_EXISTS,
  KERN_RIGHT_EXISTS, KERN_UREFS_OVERFLOW, KERN_ALREADY_IN_SET, KERN_NOT_IN_SET, KERN_FAILURE, KERN_INVALID_CAPABILITY,
  MACH_PORT_NULL, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_SEND_ONCE,
  MACH_PORT_RIGHT_PORT_SET, MACH_PORT_RIGHT_DEAD_NAME, MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE,
  MACH_PORT_TYPE_SEND_ONCE, MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME, MACH_PORT_TYPE_DNREQUEST,
  MACH_PORT_LIMITS_INFO, MACH_PORT_RECEIVE_STATUS, MACH_PORT_DNREQUESTS_SIZE, MACH_PORT_LIMITS_INFO_COUNT,
  MACH_PORT_RECEIVE_STATUS_COUNT, MACH_PORT_DNREQUESTS_SIZE_COUNT, MACH_PORT_QLIMIT_MAX,
  MACH_NOTIFY_PORT_DESTROYED, MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_DEAD_NAME, MACH_MSG_TYPE_MAKE_SEND_ONCE,
  MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_RECEIVE,
} from '../../abi/mach.js';
import { UREFS_MAX, type Entry, type IpcSpace } from './ipc_space.js';
import type { Port, PortSet } from './ipc_port.js';
import type { Ipc } from './ipc.js';
import { checkCopyin, copyin, copyout, dropRefs, dropSendOnce, releaseEntry, settle, carriedType } from './ipc_right.js';
import { notifyNoSenders, notifyDeadName } from './ipc_notify.js';
import { putWords } from './words.js';

const RIGHT_BITS: Readonly<Record<number, number>> = {
  [MACH_PORT_RIGHT_SEND]: MACH_PORT_TYPE_SEND,
  [MACH_PORT_RIGHT_RECEIVE]: MACH_PORT_TYPE_RECEIVE,
  [MACH_PORT_RIGHT_SEND_ONCE]: MACH_PORT_TYPE_SEND_ONCE,
  [MACH_PORT_RIGHT_PORT_SET]: MACH_PORT_TYPE_PORT_SET,
  [MACH_PORT_RIGHT_DEAD_NAME]: MACH_PORT_TYPE_DEAD_NAME,
};

/** A name that can denote rights (not MACH_PORT_NULL or MACH_PORT_DEAD). */
function valid(name: number): boolean {
  return name !== MACH_PORT_NULL && name !== MACH_PORT_DEAD;
}

/** A right the invalid names hold (XNU: they stand for one send or send-once right). */
function heldByInvalidName(right: number): boolean {
  return right === MACH_PORT_RIGHT_SEND || right === MACH_PORT_RIGHT_SEND_ONCE;
}

/** The entry a name denotes, or KERN_INVALID_NAME. */
function entry(space: IpcSpace, name: number): Entry | number {
  return space.lookup(name) ?? KERN_INVALID_NAME;
}

export function allocate(ipc: Ipc, space: IpcSpace, right: number): { kr: number; name: number } {
  if (right === MACH_PORT_RIGHT_RECEIVE) {
    const port = ipc.port();
    return { kr: KERN_SUCCESS, name: copyout(ipc, space, { port, type: MACH_MSG_TYPE_PORT_RECEIVE }) };
  }
  if (right === MACH_PORT_RIGHT_PORT_SET) {
    const e = space.allocate(ipc.portSet());
    e.type = MACH_PORT_TYPE_PORT_SET;
    return { kr: KERN_SUCCESS, name: e.name };
  }
  if (right === MACH_PORT_RIGHT_DEAD_NAME) {
    const e = space.allocate();
    e.type = MACH_PORT_TYPE_DEAD_NAME;
    e.urefs = 1;
    return { kr: KERN_SUCCESS, name: e.name };
  }
  return { kr: KERN_INVALID_VALUE, name: 0 };
}

export function destroy(ipc: Ipc, space: IpcSpace, name: number): number {
  if (!valid(name)) return KERN_SUCCESS;
  const e = entry(space, name);
  if (typeof e === 'number') return e;
  releaseEntry(ipc, e, true);
  return KERN_SUCCESS;
}

/** Release one user reference of a send right, a send-once right or a dead name. */
export function deallocate(ipc: Ipc, space: IpcSpace, name: number): number {
  if (name === MACH_PORT_NULL || name === MACH_PORT_DEAD) return KERN_SUCCESS;
  const e = entry(space, name);
  if (typeof e === 'number') return e;
  if (e.has(MACH_PORT_TYPE_SEND_ONCE)) dropSendOnce(ipc, e);
  else if (e.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME)) dropRefs(ipc, e, 1);
  else if (e.has(MACH_PORT_TYPE_PORT_SET)) releaseEntry(ipc, e);
  else return KERN_INVALID_RIGHT;
  return KERN_SUCCESS;
}

export function type(space: IpcSpace, name: number): { kr: number; ptype: number } {
  if (name === MACH_PORT_DEAD) return { kr: KERN_SUCCESS, ptype: MACH_PORT_TYPE_DEAD_NAME };
  const e = entry(space, name);
  if (typeof e === 'number') return { kr: e, ptype: 0 };
  return { kr: KERN_SUCCESS, ptype: (e.type | (e.dnrequest ? MACH_PORT_TYPE_DNREQUEST : 0)) >>> 0 };
}

export function getRefs(space: IpcSpace, name: number, right: number): { kr: number; refs: number } {
  const bits = RIGHT_BITS[right];
  if (bits === undefined) return { kr: KERN_INVALID_VALUE, refs: 0 };
  if (!valid(name)) return heldByInvalidName(right) ? { kr: KERN_SUCCESS, refs: 1 } : { kr: KERN_INVALID_NAME, refs: 0 };
  const e = entry(space, name);
  if (typeof e === 'number') return { kr: e, refs: 0 };
  if (!e.has(bits)) return { kr: KERN_SUCCESS, refs: 0 };
  const counted = bits === MACH_PORT_TYPE_SEND || bits === MACH_PORT_TYPE_DEAD_NAME;
  return { kr: KERN_SUCCESS, refs: counted ? e.urefs : 1 };
}

/** Add `delta` to the references a name holds for `right` (XNU's ipc_right_delta). */
export function modRefs(ipc: Ipc, space: IpcSpace, name: number, right: number, delta: number): number {
  const bits = RIGHT_BITS[right];
  if (bits === undefined) return KERN_INVALID_VALUE;
  if (!valid(name)) return heldByInvalidName(right) ? KERN_SUCCESS : KERN_INVALID_NAME;
  const e = entry(space, name);
  if (typeof e === 'number') return e;
  if (!e.has(bits)) return KERN_INVALID_RIGHT;
  if (bits === MACH_PORT_TYPE_SEND || bits === MACH_PORT_TYPE_DEAD_NAME) {
    if (e.urefs + delta < 0) return KERN_INVALID_VALUE;
    if (e.urefs + delta > UREFS_MAX) return KERN_UREFS_OVERFLOW;
    if (delta < 0) dropRefs(ipc, e, -delta);
    else e.urefs += delta;
    return KERN_SUCCESS;
  }
  if (delta !== 0 && delta !== -1) return KERN_INVALID_VALUE;
  if (delta === 0) return KERN_SUCCESS;
  if (bits === MACH_PORT_TYPE_SEND_ONCE) dropSendOnce(ipc, e);
  else if (bits === MACH_PORT_TYPE_PORT_SET) {
    ipc.destroyPortSet(e.pset!);
    e.type &= ~MACH_PORT_TYPE_PORT_SET;
    settle(ipc, e);
  } else {
    const port = e.object as Port;
    e.type &= ~MACH_PORT_TYPE_RECEIVE;
    settle(ipc, e);
    ipc.destroyPort(port);
  }
  return KERN_SUCCESS;
}

/** Pairs of words (name, type) of every name in the space, into `out`: the bytes written. */
export function names(space: IpcSpace, out: Uint8Array): { kr: number; names: number } {
  const bytes = putWords(out, space.all().flatMap((e) => [e.name, e.type | (e.dnrequest ? MACH_PORT_TYPE_DNREQUEST : 0)]));
  return bytes === undefined ? { kr: KERN_FAILURE, names: 0 } : { kr: KERN_SUCCESS, names: bytes };
}

/**
 * mach_port_insert_right: the right `poly` of the caller's (`from`) with disposition `polyPoly`,
 * given to `to` under `name` (which must be free, or already name the same port for a send or
 * receive right).
 */
export function insertRight(ipc: Ipc, from: IpcSpace, to: IpcSpace, name: number, poly: number, polyPoly: number): number {
  if (name === MACH_PORT_NULL || name === MACH_PORT_DEAD) return KERN_INVALID_VALUE;
  const type = carriedType(polyPoly);
  if (type === 0) return KERN_INVALID_VALUE;
  if (poly === MACH_PORT_NULL || poly === MACH_PORT_DEAD) return KERN_INVALID_CAPABILITY;
  const source = from.lookup(poly);
  if (!source) return KERN_INVALID_NAME;
  const ref = { name: poly, disposition: polyPoly };
  if (source.has(MACH_PORT_TYPE_DEAD_NAME)) return KERN_INVALID_CAPABILITY;
  if (checkCopyin(from, [ref]) >= 0) return KERN_INVALID_RIGHT;
  const port = source.object as Port;
  const there = to.lookup(name);
  const held = to.entryOf(port);
  if (held && held !== there && type !== MACH_MSG_TYPE_PORT_SEND_ONCE) return KERN_RIGHT_EXISTS;
  if (there && (there.object !== port || type === MACH_MSG_TYPE_PORT_SEND_ONCE)) return KERN_NAME_EXISTS;
  if (there && type === MACH_MSG_TYPE_PORT_SEND && there.has(MACH_PORT_TYPE_SEND) && there.urefs >= UREFS_MAX) return KERN_UREFS_OVERFLOW;
  const into = there ?? to.allocateNamed(name, port);
  if (!into) return KERN_INVALID_VALUE;
  copyout(ipc, to, copyin(ipc, from, ref), into);
  return KERN_SUCCESS;
}

/** mach_port_extract_right: the right `name` of `from` taken with disposition `msgtName`, into the caller's space. */
export function extractRight(ipc: Ipc, from: IpcSpace, to: IpcSpace, name: number, msgtName: number): { kr: number; poly: number; poly_poly: number } {
  const type = carriedType(msgtName);
  if (type === 0) return { kr: KERN_INVALID_VALUE, poly: 0, poly_poly: 0 };
  const e = from.lookup(name);
  if (!e) return { kr: KERN_INVALID_NAME, poly: 0, poly_poly: 0 };
  const ref = { name, disposition: msgtName };
  if (checkCopyin(from, [ref]) >= 0) return { kr: KERN_INVALID_RIGHT, poly: 0, poly_poly: 0 };
  const right = copyin(ipc, from, ref);
  return { kr: KERN_SUCCESS, poly: copyout(ipc, to, right), poly_poly: type };
}

/** The receive right `name` (and its port), or the kern_return_t for a name that is not one. */
function receiveRight(space: IpcSpace, name: number): Port | number {
  const e = entry(space, name);
  if (typeof e === 'number') return e;
  return e.has(MACH_PORT_TYPE_RECEIVE) ? (e.object as Port) : KERN_INVALID_RIGHT;
}

function portSet(space: IpcSpace, name: number): PortSet | number {
  const e = entry(space, name);
  if (typeof e === 'number') return e;
  return e.pset ?? KERN_INVALID_RIGHT;
}

/** The names (in `space`) of the receive rights in port set `name`, as words into `out`. */
export function getSetStatus(space: IpcSpace, name: number, out: Uint8Array): { kr: number; members: number } {
  const set = portSet(space, name);
  if (typeof set === 'number') return { kr: set, members: 0 };
  const bytes = putWords(out, [...set.members].map((p) => space.entryOf(p)?.name ?? 0));
  return bytes === undefined ? { kr: KERN_FAILURE, members: 0 } : { kr: KERN_SUCCESS, members: bytes };
}

/** Move receive right `member` into port set `after`, out of any other (MACH_PORT_NULL: out of all). */
export function moveMember(ipc: Ipc, space: IpcSpace, member: number, after: number): number {
  const port = receiveRight(space, member);
  if (typeof port === 'number') return port;
  const set = after === MACH_PORT_NULL ? undefined : portSet(space, after);
  if (typeof set === 'number') return set;
  if (!set && port.psets.size === 0) return KERN_NOT_IN_SET;
  for (const s of port.psets) s.members.delete(port);
  port.psets.clear();
  if (set) join(ipc, port, set);
  return KERN_SUCCESS;
}

function join(ipc: Ipc, port: Port, set: PortSet): void {
  set.members.add(port);
  port.psets.add(set);
  if (port.queue.length) ipc.wakeup(set.arrived);
}

export function insertMember(ipc: Ipc, space: IpcSpace, name: number, pset: number): number {
  if (!valid(name)) return KERN_INVALID_RIGHT;
  const port = receiveRight(space, name);
  if (typeof port === 'number') return port;
  const set = portSet(space, pset);
  if (typeof set === 'number') return set;
  if (port.psets.has(set)) return KERN_ALREADY_IN_SET;
  join(ipc, port, set);
  return KERN_SUCCESS;
}

export function extractMember(space: IpcSpace, name: number, pset: number): number {
  const port = receiveRight(space, name);
  if (typeof port === 'number') return port;
  const set = portSet(space, pset);
  if (typeof set === 'number') return set;
  if (!port.psets.delete(set)) return KERN_NOT_IN_SET;
  set.members.delete(port);
  return KERN_SUCCESS;
}

/** Attributes of a receive right: words into `out` (at most `count`). */
export function getAttributes(space: IpcSpace, name: number, flavor: number, count: number, out: Uint8Array): { kr: number; info: number } {
  const port = receiveRight(space, name);
  if (typeof port === 'number') return { kr: port, info: 0 };
  let words: number[];
  if (flavor === MACH_PORT_LIMITS_INFO) words = [port.qlimit];
  else if (flavor === MACH_PORT_RECEIVE_STATUS) {
    words = [port.psets.size, port.seqno, port.mscount, port.qlimit, port.queue.length, port.sorights, port.srights > 0 ? 1 : 0, port.pdrequest ? 1 : 0, port.nsrequest ? 1 : 0, 0];
  } else if (flavor === MACH_PORT_DNREQUESTS_SIZE) words = [0];
  else return { kr: KERN_INVALID_ARGUMENT, info: 0 };
  const needed = { [MACH_PORT_LIMITS_INFO]: MACH_PORT_LIMITS_INFO_COUNT, [MACH_PORT_RECEIVE_STATUS]: MACH_PORT_RECEIVE_STATUS_COUNT, [MACH_PORT_DNREQUESTS_SIZE]: MACH_PORT_DNREQUESTS_SIZE_COUNT }[flavor]!;
  const bytes = count < needed ? undefined : putWords(out, words);
  return bytes === undefined ? { kr: KERN_FAILURE, info: 0 } : { kr: KERN_SUCCESS, info: bytes };
}

export function setAttributes(ipc: Ipc, space: IpcSpace, name: number, flavor: number, info: Uint8Array): number {
  const port = receiveRight(space, name);
  if (typeof port === 'number') return port;
  if (flavor !== MACH_PORT_LIMITS_INFO) return KERN_INVALID_ARGUMENT;
  if (info.length < 4) return KERN_FAILURE;
  const qlimit = new DataView(info.buffer, info.byteOffset, 4).getUint32(0, true);
  if (qlimit > MACH_PORT_QLIMIT_MAX) return KERN_INVALID_VALUE;
  port.qlimit = qlimit;
  ipc.wakeup(port.room);
  return KERN_SUCCESS;
}

/**
 * Arm (or, with `notify` MACH_PORT_NULL, disarm) notification `msgid` on `name`; the send-once
 * right it replaces is copied out to the caller as `previous`. The notify right is made first, as
 * the MIG request carries it: a request that fails releases it (its port hears a send-once notification).
 */
export function requestNotification(ipc: Ipc, space: IpcSpace, name: number, msgid: number, sync: number, notify: number, notifyPoly: number): { kr: number; previous: number } {
  let so: Port | undefined;
  if (notify === MACH_PORT_DEAD) return { kr: KERN_INVALID_CAPABILITY, previous: 0 };
  if (notify !== MACH_PORT_NULL) {
    if (notifyPoly !== MACH_MSG_TYPE_MAKE_SEND_ONCE && notifyPoly !== MACH_MSG_TYPE_MOVE_SEND_ONCE) return { kr: KERN_INVALID_VALUE, previous: 0 };
    const ref = { name: notify, disposition: notifyPoly };
    if (!space.lookup(notify)) return { kr: KERN_INVALID_NAME, previous: 0 };
    if (checkCopyin(space, [ref]) >= 0) return { kr: KERN_INVALID_CAPABILITY, previous: 0 };
    so = copyin(ipc, space, ref).port;
  }
  const r = arm(ipc, space, name, msgid, sync, so);
  if (typeof r === 'number') {
    if (so) ipc.release({ port: so, type: MACH_MSG_TYPE_PORT_SEND_ONCE });
    return { kr: r, previous: 0 };
  }
  return { kr: KERN_SUCCESS, previous: r.old ? copyout(ipc, space, { port: r.old, type: MACH_MSG_TYPE_PORT_SEND_ONCE }) : MACH_PORT_NULL };
}

/** Arm the request with send-once right `so` (undefined: disarm): the right it replaces, or a kern_return_t. */
function arm(ipc: Ipc, space: IpcSpace, name: number, msgid: number, sync: number, so: Port | undefined): { old?: Port } | number {
  if (msgid === MACH_NOTIFY_DEAD_NAME && !valid(name)) return KERN_INVALID_ARGUMENT;
  const e = space.lookup(name);
  if (!e) return KERN_INVALID_NAME;
  if (msgid === MACH_NOTIFY_PORT_DESTROYED || msgid === MACH_NOTIFY_NO_SENDERS) {
    if (!e.has(MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
    const port = e.object as Port;
    if (msgid === MACH_NOTIFY_PORT_DESTROYED) {
      if (sync !== 0) return KERN_INVALID_VALUE;
      if (port.pdrequest && so) return KERN_FAILURE;
      const old = port.pdrequest;
      port.pdrequest = so;
      return { old };
    }
    const old = port.nsrequest?.notify;
    port.nsrequest = so && { notify: so, sync };
    if (port.srights === 0) notifyNoSenders(ipc, port);
    return { old };
  }
  if (msgid !== MACH_NOTIFY_DEAD_NAME) return KERN_INVALID_VALUE;
  if (e.has(MACH_PORT_TYPE_DEAD_NAME)) {
    if (!so) return {};
    if (sync === 0) return KERN_INVALID_ARGUMENT;
    e.urefs++;
    notifyDeadName(ipc, so, e.name);
    return {};
  }
  if (!e.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
  const old = e.dnrequest;
  e.dnrequest = so;
  return { old };
}
