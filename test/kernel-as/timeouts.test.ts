// Timeouts (microseconds; 0 = poll): a poll finds nobody at once; a finite receive expires no
// earlier than its timeout (and well within a generous bound: these check results, not speed) and
// can be re-armed; send and call with timeout 0 never block; an expired finite send leaves its
// receiver's queue; a call whose reply comes too late fails, and the late reply is refused.
// Every case runs under each kernel configuration.
import { describe, expect, it } from 'vitest';
import { abi, CONFIGS, LONG_US, US_PER_MS, useMachines, x } from './helpers.js';

const boot = useMachines();
/** Far above any timeout used here: a timed wait that overruns it is broken, not slow. */
const GENEROUS_MS = 3000;

describe.each(CONFIGS)('timeouts ($name)', (cfg) => {
  const start = () => boot({ fastpath: cfg.fastpath, spin: cfg.spin });

  it('receive with timeout 0 and nobody sending is E_TIMEOUT at once, open or closed', async () => {
    const m = await start();
    const other = m.thread(m.task());
    m.mint(0, 0, other, 0, abi.RIGHT_RECEIVE);
    expect(m.k.x.ipc_receive(abi.ANY, 0)).toBe(abi.E_TIMEOUT);
    expect(m.k.error).toBe(abi.E_TIMEOUT);
    expect(m.k.x.ipc_receive(0, 0)).toBe(abi.E_TIMEOUT);
    expect(m.k.x.ipc_reply_wait(0, 0)).toBe(abi.E_TIMEOUT);
    expect(m.state(m.root)).toBe(abi.TS_RUNNING);
  });

  it('a finite receive expires after at least its timeout, and can be armed again', async () => {
    const m = await start();
    const t = m.task();
    const me = m.thread(t);
    const other = m.thread(t);
    m.mint(t, 0, other, 0, abi.RIGHT_RECEIVE);
    const w = m.script(me, [
      x('ipc_receive', [abi.ANY, 30 * US_PER_MS], 'open'),
      x('ipc_receive', [0, 30 * US_PER_MS], 'closed'),
      x('ipc_reply_wait', [0, 20 * US_PER_MS], 'reply_wait'),
      x('ipc_receive', [abi.ANY, 1], 'one_us'),
      x('thread_state', [me], 'state'),
    ]);
    const r = await w.result();
    for (const [name, ms] of [['open', 30], ['closed', 30], ['reply_wait', 20]] as const) {
      expect(r[name].r, name).toBe(abi.E_TIMEOUT);
      expect(r[name].ms, name).toBeGreaterThanOrEqual(ms);
      expect(r[name].ms, name).toBeLessThan(GENEROUS_MS);
    }
    expect(r.one_us.r).toBe(abi.E_TIMEOUT);
    expect(r.state.r).toBe(abi.TS_RUNNING);
    expect(m.tcbWord(me, abi.TCB_STATE)).toBe(abi.TS_RUNNING);
  });

  it('a finite receive that a message satisfies in time returns OK', async () => {
    const m = await start();
    const t = m.task();
    const me = m.thread(t);
    m.mint(0, 0, me, 3, abi.RIGHT_SEND);
    const w = m.script(me, [x('ipc_receive', [abi.ANY, 5000 * US_PER_MS], 'got')]);
    await m.waitState(me, abi.TS_RECEIVING);
    m.k.setMessage(2, [99]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.OK); // it is receiving: a poll-send succeeds
    const r = await w.result();
    expect(r.got).toMatchObject({ r: abi.OK, label: 2, words: [99], sender: m.root, badge: 3 });
  });

  it('send and call with timeout 0 to a thread that is not receiving are E_TIMEOUT at once', async () => {
    const m = await start();
    const t = m.task();
    const idle = m.thread(t);
    const waiter = m.thread(t);
    const third = m.thread(t);
    m.mint(0, 0, idle, 1, abi.RIGHT_SEND);
    m.mint(0, 1, waiter, 1, abi.RIGHT_SEND);
    m.mint(t, 0, third, 0, abi.RIGHT_RECEIVE);
    m.k.setMessage(1, [1]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.E_TIMEOUT);
    expect(m.k.x.ipc_call(0, 0)).toBe(abi.E_TIMEOUT);
    expect(m.tcbWord(idle, abi.TCB_SENDQ_HEAD)).toBe(0);
    // A thread in a closed receive from someone else is not receiving from us either.
    const w = m.script(waiter, [x('ipc_receive', [0, LONG_US], 'closed')]);
    await m.waitState(waiter, abi.TS_RECEIVING);
    expect(m.k.x.ipc_send(1, 0)).toBe(abi.E_TIMEOUT);
    expect(m.k.x.ipc_call(1, 0)).toBe(abi.E_TIMEOUT);
    expect(m.tcbWord(waiter, abi.TCB_SENDQ_HEAD)).toBe(0);
    expect(m.state(waiter)).toBe(abi.TS_RECEIVING);
    expect(m.state(m.root)).toBe(abi.TS_RUNNING);
    await w.terminate();
  });

  it('an expired finite send or call is removed from the queue: a later poll receive finds nothing', async () => {
    const m = await start();
    const rt = m.task();
    const receiver = m.thread(rt);
    const st = m.task();
    const sender = m.thread(st);
    const caller = m.thread(st);
    m.mint(st, 0, receiver, 1, abi.RIGHT_SEND);
    const s = m.script(sender, [{ op: 'msg', label: 1, words: [1] }, x('ipc_send', [0, 30 * US_PER_MS], 'send')]);
    const c = m.script(caller, [{ op: 'msg', label: 2, words: [2] }, x('ipc_call', [0, 40 * US_PER_MS], 'call')]);
    const rs = await s.result();
    const rc = await c.result();
    expect(rs.send.r).toBe(abi.E_TIMEOUT);
    expect(rs.send.ms).toBeGreaterThanOrEqual(30);
    expect(rs.send.ms).toBeLessThan(GENEROUS_MS);
    expect(rc.call.r).toBe(abi.E_TIMEOUT);
    expect(rc.call.ms).toBeGreaterThanOrEqual(40);
    expect(m.tcbWord(receiver, abi.TCB_SENDQ_HEAD)).toBe(0);
    expect(m.tcbWord(receiver, abi.TCB_SENDQ_TAIL)).toBe(0);
    expect(m.state(sender)).toBe(abi.TS_RUNNING);
    expect(m.state(caller)).toBe(abi.TS_RUNNING);
    const r = m.script(receiver, [x('ipc_receive', [abi.ANY, 0], 'poll')]);
    expect((await r.result()).poll.r).toBe(abi.E_TIMEOUT);
  });

  it('a call whose reply comes too late is E_TIMEOUT, and the late reply is E_NOT_WAITING', async () => {
    const m = await start();
    const st = m.task();
    const server = m.thread(st);
    const ct = m.task();
    const client = m.thread(ct);
    m.mint(ct, 0, server, 1, abi.RIGHT_SEND);
    const s = m.script(server, [
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'wait', i: 0, v: 1 },
      { op: 'msg', label: 3, words: [3] },
      x('ipc_reply', ['$sender'], 'late'),
    ]);
    await m.waitState(server, abi.TS_RECEIVING);
    const c = m.script(client, [{ op: 'msg', label: 1, words: [] }, x('ipc_call', [0, 50 * US_PER_MS], 'call')]);
    const rc = (await c.result()).call;
    expect(rc.r).toBe(abi.E_TIMEOUT);
    expect(rc.ms).toBeGreaterThanOrEqual(50);
    expect(rc.ms).toBeLessThan(GENEROUS_MS);
    expect(m.state(client)).toBe(abi.TS_RUNNING);
    m.setFlag(0, 1);
    const rs = await s.result();
    expect(rs.got.r).toBe(abi.OK);
    expect(rs.late.r).toBe(abi.E_NOT_WAITING);
  });
});
