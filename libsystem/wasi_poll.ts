// poll_oneoff: clock subscriptions are handled here (a deadline on the monotonic clock; with only
// clocks the worker just sleeps, no IPC), descriptor subscriptions go to the server's poll with the
// nearest clock deadline as its timeout, and the events of both are written back to the program.
import { ESUCCESS, EINVAL, EINTR } from '../abi/errno.js';
import { CLOCK, EVENT, EVENTTYPE, SUBCLOCK_ABSTIME, SUBSCRIPTION } from '../abi/wasi.js';
import { clockNow, sleepNs } from './clock.js';
import * as bsd from './bsd_user.js';
import type { WasiContext } from './wasi_fd.js';

const NO_TIMEOUT = 0xffffffffffffffffn;

interface ClockWait {
  userdata: bigint;
  /** Monotonic time at which it fires; undefined for a bad clock (an immediate EINVAL event). */
  at: bigint | undefined;
}

function monotonic(): bigint {
  return clockNow(CLOCK.monotonic)!;
}

function clockWait(c: WasiContext, at: number): ClockWait {
  const userdata = c.mem.u64(at + SUBSCRIPTION.userdata);
  const now = clockNow(c.mem.u32(at + SUBSCRIPTION.clockId));
  if (now === undefined) return { userdata, at: undefined };
  const timeout = c.mem.u64(at + SUBSCRIPTION.timeout);
  const abs = (c.mem.u16(at + SUBSCRIPTION.flags) & SUBCLOCK_ABSTIME) !== 0;
  const remaining = abs ? timeout - now : timeout;
  return { userdata, at: monotonic() + remaining };
}

function putClockEvent(c: WasiContext, out: number, w: ClockWait): void {
  c.mem.bytes(out, EVENT.size).fill(0);
  c.mem.setU64(out + EVENT.userdata, w.userdata);
  c.mem.setU16(out + EVENT.error, w.at === undefined ? EINVAL : ESUCCESS);
  c.mem.setU8(out + EVENT.type, EVENTTYPE.clock);
}

export function pollOneoff(c: WasiContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
  if (nsubs === 0) return EINVAL;
  const clocks: ClockWait[] = [];
  let fds = 0;
  for (let i = 0; i < nsubs; i++) {
    const at = inPtr + i * SUBSCRIPTION.size;
    const tag = c.mem.u8(at + SUBSCRIPTION.tag);
    if (tag === EVENTTYPE.clock) clocks.push(clockWait(c, at));
    else if (tag === EVENTTYPE.fdRead || tag === EVENTTYPE.fdWrite) {
      if ((fds + 1) * SUBSCRIPTION.size > c.sys.windowLen) return EINVAL;
      c.sys.window.set(c.mem.bytes(at, SUBSCRIPTION.size), fds++ * SUBSCRIPTION.size);
    } else return EINVAL;
  }
  const bad = clocks.some((w) => w.at === undefined);
  const deadline = clocks.reduce<bigint | undefined>((d, w) => (w.at !== undefined && (d === undefined || w.at < d) ? w.at : d), undefined);
  let count = 0;
  if (fds > 0) {
    const now = monotonic(); // one reading: two could straddle the deadline and make the timeout negative (a huge u64)
    const timeout = bad ? 0n : deadline === undefined ? NO_TIMEOUT : deadline > now ? deadline - now : 0n;
    const { errno, events } = bsd.poll(c.sys, fds * SUBSCRIPTION.size, fds * EVENT.size, timeout); // the records are in the window
    if (errno !== ESUCCESS) return errno;
    count = events.length / EVENT.size;
    c.mem.copyOut(outPtr, events);
  }
  // With no descriptor ready, the call ends at the deadline by this thread's clock, never before.
  if (count === 0 && !bad && deadline !== undefined) {
    for (let now = monotonic(); now < deadline; now = monotonic()) {
      if (c.signals.due()) return EINTR;
      sleepNs(deadline - now, c.signals.word); // a signal for a handler ends the sleep
    }
  }
  const now = monotonic();
  for (const w of clocks) {
    if (w.at !== undefined && w.at > now) continue;
    putClockEvent(c, outPtr + count++ * EVENT.size, w);
  }
  c.mem.setU32(neventsPtr, count);
  return ESUCCESS;
}
