// Asynchronous receive (TIMEOUT_ASYNC): E_WOULDBLOCK leaves the thread armed; the worker awaits
// Atomics.waitAsync on its futex word with its event loop running, and ipc_poll completes with the
// message or notification; ipc_cancel disarms. Colocated calls: a passive handler thread runs on the
// caller's stack in the caller's worker, its reply words or error code come back, and callers from
// other workers do not reach it.
import { describe, expect, it } from 'vitest';
import { abi, useMachines, x } from './helpers.js';

const boot = useMachines();

interface AsyncResult {
  first: number;
  stateArmed: number;
  r: number;
  waits: number;
  pongs: number;
  mr0: number;
  label: number;
  words: number[];
  sender: number;
  badge: number;
  cancel?: number;
  again?: number;
  pollAfter?: number;
  stateAfter?: number;
}

describe.each([
  { via: 'receive', name: 'ipc_receive(ANY, TIMEOUT_ASYNC)' },
  { via: 'replyWait', name: 'ipc_reply_wait(0, TIMEOUT_ASYNC)' },
])('asynchronous receive: $name', ({ via }) => {
  it('returns E_WOULDBLOCK armed; waitAsync wakes on a send and ipc_poll delivers it', async () => {
    const m = await boot();
    const t = m.task();
    const me = m.thread(t);
    m.mint(0, 0, me, 23, abi.RIGHT_SEND);
    const w = m.spawn(me, 'asyncReceive', { via });
    const armed = await w.event<{ first: number; stateArmed: number }>('armed');
    expect(armed.first).toBe(abi.E_WOULDBLOCK);
    expect(armed.stateArmed).toBe(abi.TS_RECEIVING);
    // Its event loop runs while it waits: a ping is answered before any message is sent.
    w.post({ kind: 'ping' });
    await w.event('pong');
    expect(m.state(me)).toBe(abi.TS_RECEIVING);
    m.k.setMessage(4, [40, 41]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.OK);
    const r = await w.result<AsyncResult>();
    expect(r.r).toBe(abi.OK);
    expect(r.waits).toBeGreaterThanOrEqual(1);
    expect(r.pongs).toBe(1);
    expect(r).toMatchObject({ label: 4, words: [40, 41], sender: m.root, badge: 23 });
    expect(m.state(me)).toBe(abi.TS_RUNNING);
  });

  it('a notification completes it too', async () => {
    const m = await boot();
    const t = m.task();
    const me = m.thread(t);
    m.mint(0, 0, me, 0, abi.RIGHT_NOTIFY);
    const w = m.spawn(me, 'asyncReceive', { via });
    await w.event('armed');
    w.post({ kind: 'ping' });
    await w.event('pong');
    expect(m.k.x.notify_post(0, 0x90)).toBe(abi.OK);
    const r = await w.result<AsyncResult>();
    expect(r.r).toBe(abi.OK);
    expect(r.mr0).toBe(abi.TAG_NOTIFY | 1);
    expect(r.words).toEqual([0x90]);
  });

  it('a message that arrived before the worker prepared to wait is found by the poll', async () => {
    const m = await boot();
    const t = m.task();
    const me = m.thread(t);
    m.mint(0, 0, me, 1, abi.RIGHT_SEND);
    const w = m.spawn(me, 'asyncReceive', { via, waitFlag: 0 });
    await w.event('armed');
    m.k.setMessage(9, [1]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.OK);
    m.setFlag(0, 1);
    const r = await w.result<AsyncResult>();
    expect(r.r).toBe(abi.OK);
    expect(r.waits).toBe(0);
    expect(r).toMatchObject({ label: 9, words: [1] });
  });

  it('ipc_cancel disarms it (OK), a second cancel is E_STATE, and senders no longer find it receiving', async () => {
    const m = await boot();
    const t = m.task();
    const me = m.thread(t);
    m.mint(0, 0, me, 1, abi.RIGHT_SEND);
    const w = m.spawn(me, 'asyncReceive', { via, cancel: true });
    const r = await w.result<AsyncResult>();
    expect(r.first).toBe(abi.E_WOULDBLOCK);
    expect(r.stateArmed).toBe(abi.TS_RECEIVING);
    expect(r.cancel).toBe(abi.OK);
    expect(r.again).toBe(abi.E_STATE);
    expect(r.pollAfter).toBe(abi.E_STATE); // nothing armed any more: poll has nothing to complete
    expect(r.stateAfter).toBe(abi.TS_RUNNING);
    m.k.setMessage(1, []);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.E_TIMEOUT);
  });
});

describe('asynchronous send', () => {
  it('ipc_send and ipc_call with TIMEOUT_ASYNC to a non-colocated thread are E_INVALID_ARG', async () => {
    const m = await boot();
    const me = m.thread(m.task());
    m.mint(0, 0, me, 1, abi.RIGHT_SEND);
    m.k.setMessage(1, []);
    expect(m.k.x.ipc_send(0, abi.TIMEOUT_ASYNC)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.ipc_call(0, abi.TIMEOUT_ASYNC)).toBe(abi.E_INVALID_ARG);
  });
});

describe('colocated calls', () => {
  interface Seen {
    current: number;
    kcurrent: number;
    sender: number;
    badge: number;
    label: number;
    words: number[];
  }
  interface Call {
    r: number;
    ranHandler: number;
    current: number;
    kcurrent: number;
    label: number;
    words: number[];
    sender: number;
    badge: number;
  }

  it('a passive handler runs on the caller stack; its reply or its error code comes back', async () => {
    const m = await boot();
    const t = m.task();
    const caller = m.thread(t);
    const passive = m.thread(t);
    m.mint(t, 0, passive, 21, abi.RIGHT_SEND);
    const w = m.spawn(caller, 'colocated', { passive, cap: 0, failCode: abi.E_PERM });
    const r = await w.result<{ reg: number; statePassive: number; seen: Seen[]; calls: Call[] }>();
    expect(r.reg).toBe(abi.OK);
    expect(r.statePassive).toBe(abi.TS_PASSIVE);
    expect(m.state(passive)).toBe(abi.TS_PASSIVE);
    expect(r.seen).toHaveLength(4);
    for (const s of r.seen) {
      expect(s.current).toBe(passive); // the handler runs as the passive thread...
      expect(s.kcurrent).toBe(passive);
      expect(s.sender).toBe(caller); // ...called by the caller, with the capability's badge
      expect(s.badge).toBe(21);
    }
    expect(r.seen.map((s) => [s.label, s.words])).toEqual([[1, [1, 2, 3]], [1, []], [2, [9]], [1, [40, 41]]]);
    const [c0, c1, c2, c3] = r.calls;
    for (const c of r.calls) {
      expect(c.ranHandler).toBe(1); // synchronously, inside ipc_call
      expect(c.current).toBe(caller);
      expect(c.kcurrent).toBe(caller);
    }
    expect(c0).toMatchObject({ r: abi.OK, label: 101, words: [2, 4, 6], sender: passive, badge: 0 });
    expect(c1).toMatchObject({ r: abi.OK, label: 101, words: [] });
    expect(c2.r).toBe(abi.E_PERM);
    expect(c3).toMatchObject({ r: abi.OK, label: 101, words: [80, 82] });
  });

  it('callers in other workers do not reach a passive thread', async () => {
    const m = await boot();
    const t = m.task();
    const caller = m.thread(t);
    const passive = m.thread(t);
    const outsider = m.thread(t);
    m.mint(t, 0, passive, 21, abi.RIGHT_SEND);
    const w = m.spawn(caller, 'colocated', { passive, cap: 0, failCode: abi.E_PERM });
    await w.event('calls-done');
    const o = m.script(outsider, [{ op: 'msg', label: 1, words: [5] }, x('ipc_call', [0, 0], 'call'), x('ipc_call', [0, 20_000], 'timed')]);
    const r = await o.result();
    expect(r.call.r).toBe(abi.E_TIMEOUT);
    expect(r.timed.r).toBe(abi.E_TIMEOUT);
    expect((await w.result<{ seen: unknown[] }>()).seen).toHaveLength(4);
    expect(m.state(passive)).toBe(abi.TS_PASSIVE);
  });
});
