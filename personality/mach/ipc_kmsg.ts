// A Mach message inside the server (XNU's ipc_kmsg): its header's rights as rights (not names), its
// body's bytes, and its descriptors: port rights, out-of-line memory and port arrays, carried as
// rights and bytes. `parseMessage` reads a message as a program laid it out (abi/mach.defs: the
// message, then its out-of-line regions) without touching any right; `writeMessage` lays a message
// out for its receiver with the names its rights got there. The layouts are wasm32's (ILP32):
// a 24-byte header and 12-byte descriptors.
import {
  MACH_MSGH_BITS_COMPLEX, MACH_MSG_PORT_DESCRIPTOR, MACH_MSG_OOL_DESCRIPTOR, MACH_MSG_OOL_PORTS_DESCRIPTOR,
  MACH_MSG_OOL_VOLATILE_DESCRIPTOR, MACH_SEND_MSG_TOO_SMALL, MACH_SEND_INVALID_TYPE, MACH_SEND_INVALID_HEADER,
  MACH_SEND_TOO_LARGE, MACH_SEND_INVALID_MEMORY, MACH_MSG_VIRTUAL_COPY, MACH_PORT_DEAD,
} from '../../abi/mach.js';
import type { Port } from './ipc_port.js';

export const HEADER_SIZE = 24;
export const DESCRIPTOR_SIZE = 12;
/** The most a message may be, header and in-line data (what a staging buffer holds: staging.ts). */
export const MAX_MESSAGE = 64 * 1024 * 1024;

/** A right a message carries: its port (none for MACH_PORT_NULL), or dead (MACH_PORT_DEAD), and what it is (MACH_MSG_TYPE_PORT_*). */
export interface Right {
  port?: Port;
  dead?: boolean;
  type: number;
}

/** A name and a disposition as a sender wrote them (before its rights are copied in). */
export interface NameRef {
  name: number;
  disposition: number;
}

export type Descriptor =
  | { kind: 'port'; at: number; ref: NameRef; right?: Right }
  | { kind: 'ool'; at: number; data: Uint8Array; deallocate: boolean }
  | { kind: 'ool_ports'; at: number; refs: NameRef[]; rights?: Right[]; disposition: number; deallocate: boolean };

/** A message as parsed from a sender's bytes: names still names. */
export interface ParsedMessage {
  bits: number;
  remote: NameRef;
  local: NameRef;
  voucher: number;
  id: number;
  /** The bytes after the header (descriptor words are rewritten on the way out). */
  body: Uint8Array;
  descriptors: Descriptor[];
}

/** A queued message: its header's rights copied in, its body and descriptors (their rights copied in). */
export class Kmsg {
  constructor(
    /** msgh_bits beyond the port types (MACH_MSGH_BITS_COMPLEX and the rest the sender set). */
    readonly bits: number,
    /** The destination right (consumed by delivery: the port's receiver sees its type as msgh_local_port's). */
    readonly dest: Right,
    readonly reply: Right | undefined,
    readonly id: number,
    readonly body: Uint8Array,
    readonly descriptors: Descriptor[],
    /** The sending process (0: the server, for notifications). */
    readonly sender: number,
  ) {}

  get size(): number {
    return HEADER_SIZE + this.body.length;
  }

  /** Bytes of out-of-line memory it carries (after it on the wire). */
  get oolBytes(): number {
    let n = 0;
    for (const d of this.descriptors) n += d.kind === 'ool' ? d.data.length : d.kind === 'ool_ports' ? d.refs.length * 4 : 0;
    return n;
  }

  /** Every right it carries (header and body), for releasing them when it is destroyed undelivered. */
  *rights(): Generator<Right> {
    yield this.dest;
    if (this.reply) yield this.reply;
    for (const d of this.descriptors) {
      if (d.kind === 'port' && d.right) yield d.right;
      if (d.kind === 'ool_ports' && d.rights) yield* d.rights;
    }
  }
}

class Fail {
  constructor(readonly kr: number) {}
}

/** Parse `wire` (the message, then its out-of-line regions): the message, or a mach_msg_return_t. */
export function parseMessage(wire: Uint8Array): ParsedMessage | number {
  try {
    return parse(wire);
  } catch (e) {
    if (e instanceof Fail) return e.kr;
    throw e;
  }
}

function parse(wire: Uint8Array): ParsedMessage {
  if (wire.length < HEADER_SIZE) throw new Fail(MACH_SEND_MSG_TOO_SMALL);
  const v = new DataView(wire.buffer, wire.byteOffset, wire.byteLength);
  const bits = v.getUint32(0, true);
  const size = v.getUint32(4, true);
  if (size < HEADER_SIZE || size % 4 !== 0) throw new Fail(MACH_SEND_MSG_TOO_SMALL);
  if (size > wire.length) throw new Fail(MACH_SEND_INVALID_HEADER);
  if (size > MAX_MESSAGE) throw new Fail(MACH_SEND_TOO_LARGE);
  const m: ParsedMessage = {
    bits,
    remote: { name: v.getUint32(8, true), disposition: bits & 0x1f },
    local: { name: v.getUint32(12, true), disposition: (bits >>> 8) & 0x1f },
    voucher: v.getUint32(16, true),
    id: v.getInt32(20, true),
    body: wire.slice(HEADER_SIZE, size),
    descriptors: [],
  };
  if (bits & MACH_MSGH_BITS_COMPLEX) parseDescriptors(m, wire.subarray(size));
  return m;
}

function parseDescriptors(m: ParsedMessage, tail: Uint8Array): void {
  const body = new DataView(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  if (m.body.length < 4) throw new Fail(MACH_SEND_MSG_TOO_SMALL);
  const count = body.getUint32(0, true);
  if (count > (m.body.length - 4) / DESCRIPTOR_SIZE) throw new Fail(MACH_SEND_MSG_TOO_SMALL);
  let taken = 0;
  const take = (n: number): Uint8Array => {
    if (n > tail.length - taken) throw new Fail(MACH_SEND_INVALID_MEMORY);
    const data = tail.slice(taken, taken + n);
    taken += n;
    return data;
  };
  for (let i = 0, at = 4; i < count; i++, at += DESCRIPTOR_SIZE) {
    const w0 = body.getUint32(at, true);
    const w1 = body.getUint32(at + 4, true);
    const type = m.body[at + 11];
    const deallocate = m.body[at + 8] !== 0;
    if (type === MACH_MSG_PORT_DESCRIPTOR) {
      m.descriptors.push({ kind: 'port', at, ref: { name: w0, disposition: m.body[at + 10] } });
    } else if (type === MACH_MSG_OOL_DESCRIPTOR || type === MACH_MSG_OOL_VOLATILE_DESCRIPTOR) {
      m.descriptors.push({ kind: 'ool', at, data: take(w1), deallocate });
    } else if (type === MACH_MSG_OOL_PORTS_DESCRIPTOR) {
      if (w1 > (1 << 16)) throw new Fail(MACH_SEND_TOO_LARGE);
      const names = take(w1 * 4);
      const nv = new DataView(names.buffer, names.byteOffset, names.byteLength);
      const disposition = m.body[at + 10];
      const refs = Array.from({ length: w1 }, (_, k) => ({ name: nv.getUint32(k * 4, true), disposition }));
      m.descriptors.push({ kind: 'ool_ports', at, refs, disposition, deallocate });
    } else {
      throw new Fail(MACH_SEND_INVALID_TYPE);
    }
  }
}

/** Names and types the receiver got for a message's rights, in Kmsg.rights() order after dest and reply. */
export interface Received {
  /** msgh_local_port: the name of the port the message came to; msgh_remote_port: the reply right's name. */
  local: number;
  remote: number;
  /** Names for each body right, in order. */
  names: number[];
}

/**
 * Lay `k` out for its receiver into `into`: header (rights swapped: the reply right is the remote
 * port), body with descriptors rewritten, `trailer` bytes after it, then the out-of-line regions.
 * Returns the bytes written; `into` must hold k.size + trailer.length + k.oolBytes.
 */
export function writeMessage(k: Kmsg, r: Received, trailer: Uint8Array, into: Uint8Array): number {
  const v = new DataView(into.buffer, into.byteOffset, into.byteLength);
  const replyType = k.reply ? k.reply.type : 0;
  v.setUint32(0, (k.bits & ~0x1f1f1f) | replyType | (k.dest.type << 8), true);
  v.setUint32(4, k.size, true);
  v.setUint32(8, r.remote, true);
  v.setUint32(12, r.local, true);
  v.setUint32(16, 0, true);
  v.setInt32(20, k.id, true);
  into.set(k.body, HEADER_SIZE);
  let next = 0;
  let at = k.size + trailer.length;
  for (const d of k.descriptors) {
    const o = HEADER_SIZE + d.at;
    if (d.kind === 'port') {
      v.setUint32(o, r.names[next++], true);
      into[o + 10] = d.right?.type ?? 0;
    } else if (d.kind === 'ool') {
      v.setUint32(o, 0, true);
      into[o + 8] = 0;
      into[o + 9] = MACH_MSG_VIRTUAL_COPY;
      into.set(d.data, at);
      at += d.data.length;
    } else {
      v.setUint32(o, 0, true);
      into[o + 8] = 0;
      into[o + 9] = MACH_MSG_VIRTUAL_COPY;
      into[o + 10] = d.rights?.[0]?.type ?? d.disposition;
      for (let i = 0; i < d.refs.length; i++, at += 4) v.setUint32(at, r.names[next++] ?? MACH_PORT_DEAD, true);
    }
  }
  into.set(trailer, k.size);
  return at;
}
