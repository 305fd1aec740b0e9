// mach_msg's two halves (XNU's mach_msg_send and mach_msg_receive): send checks the header's and
// body's rights together, waits for room in the destination's queue (or times out), copies the
// rights in and queues the message; receive takes the first message of a port or a port set (or
// waits for one, or times out), copies its rights out into the receiver's space and lays it out with
// the trailer asked for. A call that must wait throws Blocked with the channel it waits on.
import {
  KERN_SUCCESS, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_PORT_NULL,
  MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME, MACH_SEND_TIMEOUT, MACH_RCV_TIMEOUT,
  MACH_RCV_LARGE, MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_REPLY, MACH_SEND_INVALID_RIGHT, MACH_SEND_INVALID_HEADER,
  MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED, MACH_RCV_INVALID_NAME, MACH_RCV_TIMED_OUT,
  MACH_RCV_INTERRUPTED, MACH_RCV_TOO_LARGE, MACH_RCV_INVALID_TRAILER, MACH_MSG_TRAILER_FORMAT_0, mach_msg_trailer_t,
  mach_msg_seqno_trailer_t, mach_msg_security_trailer_t, mach_msg_audit_trailer_t, mach_msg_context_trailer_t, mach_msg_mac_trailer_t,
} from '../../abi/mach.js';
import { Blocked } from '../bsd/wait.js';
import { Kmsg, parseMessage, writeMessage, HEADER_SIZE, type NameRef, type Descriptor } from './ipc_kmsg.js';
import { checkCopyin, copyin, copyout, carriedType } from './ipc_right.js';
import type { Port, PortSet } from './ipc_port.js';
import type { IpcSpace } from './ipc_space.js';
import type { Ipc } from './ipc.js';

/** The calling side of one mach_msg: who, since when (timeouts count from the first try), and whether a signal interrupted its wait. */
export interface MsgCaller {
  ipc: Ipc;
  space: IpcSpace;
  pid: number;
  /** performance.now() when the call was first tried. */
  started: number;
  interrupted: boolean;
}

/** Wait on `channel`, or time out with `timedOut` (timeout 0 polls), or end with `interruptedKr`. */
function wait(c: MsgCaller, channel: object, timed: boolean, timeout: number, timedOut: number, interruptedKr: number): never | number {
  if (c.interrupted) return interruptedKr;
  if (!timed) throw new Blocked([channel]);
  const deadline = c.started + timeout;
  if (timeout === 0 || performance.now() >= deadline) return timedOut;
  throw new Blocked([channel], deadline);
}

/** Send `wire` (the message, then its out-of-line regions) for the caller: a mach_msg_return_t, or Blocked. */
export function send(c: MsgCaller, wire: Uint8Array, option: number, timeout: number): number {
  const m = parseMessage(wire);
  if (typeof m === 'number') return m;
  const { remote, local } = m;
  if (carriedType(remote.disposition) === 0 || remote.disposition === MACH_MSG_TYPE_MOVE_RECEIVE) return MACH_SEND_INVALID_HEADER;
  if ((local.name !== MACH_PORT_NULL || local.disposition !== 0) && carriedType(local.disposition) === 0) return MACH_SEND_INVALID_HEADER;
  const destEntry = c.space.lookup(remote.name);
  if (!destEntry || destEntry.has(MACH_PORT_TYPE_DEAD_NAME)) return MACH_SEND_INVALID_DEST;
  const header: NameRef[] = local.disposition !== 0 ? [remote, local] : [remote];
  const bad = checkCopyin(c.space, [...header, ...m.descriptors.flatMap(refsOf)]); // the first right that cannot be copied in says which error
  if (bad >= 0) return bad === 0 ? MACH_SEND_INVALID_DEST : bad < header.length ? MACH_SEND_INVALID_REPLY : MACH_SEND_INVALID_RIGHT;
  const port = destEntry.object as Port;
  if (port.full && !port.kobject && carriedType(remote.disposition) !== MACH_MSG_TYPE_PORT_SEND_ONCE) {
    return wait(c, port.room, (option & MACH_SEND_TIMEOUT) !== 0, timeout, MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED);
  }
  const dest = copyin(c.ipc, c.space, remote);
  const reply = local.disposition !== 0 ? copyin(c.ipc, c.space, local) : undefined;
  for (const d of m.descriptors) copyinDescriptor(c, d);
  c.ipc.enqueue(new Kmsg(m.bits & ~0x1f1f1f, dest, reply, m.id, m.body, m.descriptors, c.pid));
  return KERN_SUCCESS;
}

function refsOf(d: Descriptor): NameRef[] {
  return d.kind === 'port' ? [d.ref] : d.kind === 'ool_ports' ? d.refs : [];
}

function copyinDescriptor(c: MsgCaller, d: Descriptor): void {
  if (d.kind === 'port') d.right = copyin(c.ipc, c.space, d.ref);
  else if (d.kind === 'ool_ports') d.rights = d.refs.map((r) => copyin(c.ipc, c.space, r));
}

/** The receive side's result: the return code and the bytes written into the reply room (or, `staged`, into the staging buffer). */
export interface Received {
  kr: number;
  bytes: number;
  staged?: boolean;
}

/** Trailer sizes by MACH_RCV_TRAILER_ELEMENTS (XNU's REQUESTED_TRAILER_SIZE, ILP32): null, seqno, sender, audit, ctx; the rest the largest. */
const TRAILER_SIZES = [mach_msg_trailer_t, mach_msg_seqno_trailer_t, mach_msg_security_trailer_t, mach_msg_audit_trailer_t, mach_msg_context_trailer_t].map((t) => t.sizeof);

function trailerSize(option: number): number {
  return TRAILER_SIZES[(option >>> 24) & 0xf] ?? mach_msg_mac_trailer_t.sizeof;
}

/**
 * Receive on `name` into `out` for the caller: the message (rights copied out), or why not; Blocked
 * to wait. A message (with its out-of-line memory) too large for `out` goes into `stage(bytes)`, the
 * caller's staging buffer (undefined: none that large, MACH_RCV_TOO_LARGE).
 */
export function receive(c: MsgCaller, name: number, option: number, rcvSize: number, timeout: number, out: Uint8Array, stage: (bytes: number) => Uint8Array | undefined): Received {
  if (((option >>> 28) & 0xf) !== MACH_MSG_TRAILER_FORMAT_0) return { kr: MACH_RCV_INVALID_TRAILER, bytes: 0 };
  const e = c.space.lookup(name);
  const source = e?.has(MACH_PORT_TYPE_RECEIVE) ? (e.object as Port) : e?.has(MACH_PORT_TYPE_PORT_SET) ? (e.object as PortSet) : undefined;
  if (!source) return { kr: MACH_RCV_INVALID_NAME, bytes: 0 };
  const port = 'members' in source ? [...source.members].find((p) => p.queue.length > 0) : source.queue.length > 0 ? source : undefined;
  if (!port) {
    const kr = wait(c, source.arrived, (option & MACH_RCV_TIMEOUT) !== 0, timeout, MACH_RCV_TIMED_OUT, MACH_RCV_INTERRUPTED);
    return { kr, bytes: 0 };
  }
  const k = port.queue[0];
  const size = trailerSize(option);
  if (k.size + size > rcvSize) return tooLarge(c, port, k, (option & MACH_RCV_LARGE) !== 0, out);
  const whole = k.size + size + k.oolBytes;
  const into = whole <= out.length ? out : stage(whole);
  if (!into) return { kr: MACH_RCV_TOO_LARGE, bytes: 0 };
  const seqno = port.seqno;
  c.ipc.dequeue(port);
  c.ipc.consumeDest(k.dest);
  const local = c.space.entryOf(port)?.name ?? MACH_PORT_NULL;
  const remote = k.reply ? copyout(c.ipc, c.space, k.reply) : MACH_PORT_NULL;
  const names: number[] = [];
  for (const d of k.descriptors) {
    if (d.kind === 'port') names.push(d.right ? copyout(c.ipc, c.space, d.right) : MACH_PORT_NULL);
    else if (d.kind === 'ool_ports') for (const r of d.rights ?? []) names.push(copyout(c.ipc, c.space, r));
  }
  return { kr: KERN_SUCCESS, bytes: writeMessage(k, { local, remote, names }, trailer(size, seqno, k.sender), into), staged: into !== out };
}

/** The message is larger than the receiver's buffer: with MACH_RCV_LARGE it stays queued, else it is destroyed; the header returned says the size it needs. */
function tooLarge(c: MsgCaller, port: Port, k: Kmsg, keep: boolean, out: Uint8Array): Received {
  if (!keep) {
    c.ipc.dequeue(port);
    c.ipc.destroyKmsg(k);
  }
  if (out.length < HEADER_SIZE) return { kr: MACH_RCV_TOO_LARGE, bytes: 0 };
  const v = new DataView(out.buffer, out.byteOffset, HEADER_SIZE);
  v.setUint32(0, k.bits | (k.reply?.type ?? 0) | (k.dest.type << 8), true);
  v.setUint32(4, k.size, true); // the message's size: the receiver adds room for the trailer
  v.setUint32(8, 0, true);
  v.setUint32(12, c.space.entryOf(port)?.name ?? 0, true);
  v.setUint32(16, 0, true);
  v.setInt32(20, k.id, true);
  return { kr: MACH_RCV_TOO_LARGE, bytes: HEADER_SIZE };
}

/** A format-0 trailer of `size` bytes: its sequence number, the sender's security token (uid, gid 0) and audit token (pid in val[5]). */
function trailer(size: number, seqno: number, sender: number): Uint8Array {
  const t = new Uint8Array(size);
  const v = new DataView(t.buffer);
  v.setUint32(0, MACH_MSG_TRAILER_FORMAT_0, true);
  v.setUint32(4, size, true);
  if (size >= 12) v.setUint32(8, seqno, true);
  if (size >= 52) v.setUint32(20 + 5 * 4, sender, true);
  return t;
}
