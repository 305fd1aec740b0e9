// poll: wait until one of a set of descriptors is ready to read or write, or a timeout. The task
// library sends only the descriptor subscriptions (it handles clocks itself and passes the nearest
// clock deadline as the timeout) and turns an empty result into clock events. Files and directories
// are always ready; streams say (vnode.readiness). Nothing ready: the call parks on the channel of
// each subscribed stream until one is woken or the timeout passes.
import { EVENTTYPE, EVENT, SUBSCRIPTION, RIGHT, EVENT_FD_READWRITE_HANGUP } from '../../abi/wasi.js';
import { EFAULT, EINVAL } from '../../abi/errno.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';
import { Blocked, type Channel } from './wait.js';
import type * as bsd from './bsd_server.js';

const NO_TIMEOUT = 0xffffffffffffffffn;

interface FdSubscription {
  userdata: bigint;
  type: number;
  fd: number;
}

interface PollEvent {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/** The subscription records; EINVAL when the bytes are not whole records. */
function subscriptions(raw: Uint8Array): FdSubscription[] {
  if (raw.length % SUBSCRIPTION.size !== 0) throw new VfsError(EINVAL);
  const count = raw.length / SUBSCRIPTION.size;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const subs: FdSubscription[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * SUBSCRIPTION.size;
    subs.push({ userdata: v.getBigUint64(at + SUBSCRIPTION.userdata, true), type: v.getUint8(at + SUBSCRIPTION.tag), fd: v.getUint32(at + SUBSCRIPTION.fd, true) });
  }
  return subs;
}

/** The event for `s` if its descriptor is ready (or broken), else undefined. */
function check(r: Request, s: FdSubscription): PollEvent | undefined {
  const event = { userdata: s.userdata, error: 0, type: s.type, nbytes: 0n, flags: 0 };
  try {
    const { file } = r.proc.fds.need(s.fd, RIGHT.pollFdReadwrite);
    const v = file.vnode;
    if (v.seekable) {
      if (s.type === EVENTTYPE.fdRead) event.nbytes = maxZero(v.stat().size - BigInt(file.offset));
      return event;
    }
    const ready = v.readiness();
    if (s.type === EVENTTYPE.fdRead ? !ready.readable : !ready.writable) return undefined;
    event.nbytes = BigInt(ready.nbytes);
    event.flags = ready.hangup ? EVENT_FD_READWRITE_HANGUP : 0;
    return event;
  } catch (e) {
    if (!(e instanceof VfsError)) throw e;
    return { ...event, error: e.errno };
  }
}

function maxZero(x: bigint): bigint {
  return x > 0n ? x : 0n;
}

/** The event records into the room (EFAULT when it cannot hold them); returns the bytes written. */
function writeEvents(room: Uint8Array, events: PollEvent[]): number {
  const len = events.length * EVENT.size;
  if (len > room.length) throw new VfsError(EFAULT);
  const v = new DataView(room.buffer, room.byteOffset, len);
  events.forEach((e, i) => {
    const at = i * EVENT.size;
    v.setBigUint64(at + EVENT.userdata, e.userdata, true);
    v.setUint16(at + EVENT.error, e.error, true);
    v.setUint8(at + EVENT.type, e.type);
    v.setBigUint64(at + EVENT.nbytes, e.nbytes, true);
    v.setUint16(at + EVENT.flags, e.flags, true);
  });
  return len;
}

/** The channel a subscription that is not ready waits on. */
function channelOf(r: Request, s: FdSubscription): Channel {
  return r.proc.fds.get(s.fd).file.vnode.channel(s.type === EVENTTYPE.fdRead ? 'read' : 'write');
}

export function sysPoll(r: Request, a: bsd.PollIn): bsd.PollOut {
  const subs = subscriptions(a.subscriptions);
  const timeout = a.timeout;
  const events = subs.map((s) => check(r, s)).filter((e): e is PollEvent => e !== undefined);
  const expired = timeout !== NO_TIMEOUT && performance.now() >= r.started + Number(timeout) / 1e6;
  if (events.length === 0 && !expired) throw new Blocked(subs.map((s) => channelOf(r, s)), timeout === NO_TIMEOUT ? undefined : r.started + Number(timeout) / 1e6);
  return { events: writeEvents(a.events, events) };
}
