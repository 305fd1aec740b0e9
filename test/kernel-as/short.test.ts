// Short messages (no words past the tag, no bulk item): with the fastpath on, a call with an
// infinite timeout is delivered to an open receive, and a reply to a waiting caller, by one 64-bit
// compare-and-swap of the partner's STATE and MR0. These tests check that such messages carry the
// same tag, sender and badge as long ones (in both directions, to a blocking and to an asynchronous
// server, from several clients mixing short and long calls), that the path is really taken (the
// server's raw state word is TS_DELIVERED while the host sees TS_RUNNING), and that an abort, the
// callee's death and a closed receive still behave as for long messages. Real workers.
import { describe, expect, it } from 'vitest';
import { abi, CONFIGS, LONG_US, pair, useMachines, x, type Machine } from './helpers.js';

const boot = useMachines();
const FOREVER = abi.TIMEOUT_NEVER;
const STOP = 99;


/** The low nibble of thread `tid`'s raw STATE word (thread_state reports TS_DELIVERED as TS_RUNNING). */
function rawState(m: Machine, tid: number): number {
  return m.tcbWord(tid, abi.TCB_STATE) & 0xf;
}

describe.each(CONFIGS)('short messages ($name)', (cfg) => {
  for (const async of [false, true]) {
    it(`call + ${async ? 'asynchronous ' : ''}reply_wait with infinite timeouts: short and long calls, every word and identity checked`, async () => {
      const m = await boot({ fastpath: cfg.fastpath, spin: cfg.spin });
      const p = pair(m);
      const server = m.spawn(p.server, 'echoServer', { stop: STOP, async });
      const sizes = [0, 0, 5, 0, 64, 1, 0];
      const client = m.spawn(p.client, 'echoSizes', { cap: 0, sizes, stop: STOP, stopWhenReceiving: p.server, timeoutUs: FOREVER });
      const rows = await client.result<Array<Record<string, number>>>();
      expect(rows.map((r) => r.n)).toEqual(sizes);
      for (const row of rows) {
        expect(row, `${row.n} words`).toMatchObject({ r: abi.OK, label: 7, words: row.n, bad: 0, sender: p.server, badge: 0 });
      }
      const s = await server.result<{ served: number; counts: Record<number, number>; senders: Record<number, number>; errors: number[] }>();
      expect(s.errors).toEqual([]);
      expect(s.served).toBe(sizes.length);
      expect(s.counts).toEqual({ [p.badge]: sizes.length });
      expect(s.senders).toEqual({ [p.badge]: p.client });
      // The stop call was short and met an armed server: with the fastpath it arrived in one step, and
      // the server never blocked again.
      expect(m.state(p.server)).toBe(abi.TS_RUNNING);
      expect(rawState(m, p.server)).toBe(cfg.fastpath === 1 ? abi.TS_DELIVERED : abi.TS_RUNNING);
      expect(m.state(p.client)).toBe(abi.TS_RUNNING);
    });
  }

  it('three clients mixing short and long calls on one server: every reply is the caller\'s own', async () => {
    const m = await boot({ fastpath: cfg.fastpath, spin: cfg.spin });
    const st = m.task();
    const server = m.thread(st);
    const ct = m.task();
    const clients = [m.thread(ct), m.thread(ct), m.thread(ct)];
    clients.forEach((_, i) => m.mint(ct, i, server, 300 + i, abi.RIGHT_SEND));
    const stopper = m.thread(ct);
    m.mint(ct, 3, server, 399, abi.RIGHT_SEND);
    const calls = 400;
    const s = m.spawn(server, 'echoServer', { stop: STOP, verify: 'increasing' });
    const ws = clients.map((tid, i) =>
      m.spawn(tid, 'client', { cap: i, id: i + 1, calls, sizes: [0, 2, 0, 0, 7, 1], timeoutUs: FOREVER }),
    );
    for (const w of ws) expect(await w.result(30_000)).toEqual({ ok: calls, mismatches: 0, error: 0 });
    await m.spawn(stopper, 'client', { cap: 3, id: 9, calls: 0, stop: STOP }).result();
    const r = await s.result<{ served: number; counts: Record<number, number>; senders: Record<number, number>; errors: number[]; mismatches: number }>();
    expect(r.errors).toEqual([]);
    expect(r.mismatches).toBe(0);
    expect(r.counts).toEqual({ 300: calls, 301: calls, 302: calls });
    expect(r.senders).toEqual({ 300: clients[0], 301: clients[1], 302: clients[2] });
  });
});

describe('short calls end like long ones', () => {
  it('an abort after delivery ends the call with E_ABORTED; the late short reply gets E_NOT_WAITING; the next call works', async () => {
    const m = await boot();
    const p = pair(m);
    expect(m.k.x.task_set_pager(p.clientTask, m.root)).toBe(abi.OK);
    const srv = m.script(p.server, [
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'wait', i: 0, v: 1 },
      { op: 'msg', label: 2, words: [] },
      x('ipc_reply', ['$sender'], 'late'),
      x('ipc_receive', [abi.ANY, LONG_US], 'again'),
      { op: 'msg', label: 3, words: [] },
      x('ipc_reply', ['$sender'], 'reply'),
    ]);
    await m.waitState(p.server, abi.TS_RECEIVING);
    const cl = m.script(p.client, [
      { op: 'msg', label: 1, words: [] },
      x('ipc_call', [0, FOREVER], 'call'),
      { op: 'msg', label: 4, words: [] },
      x('ipc_call', [0, FOREVER], 'next'),
    ]);
    await srv.event('got');
    expect(rawState(m, p.server)).toBe(abi.TS_DELIVERED);
    await m.waitState(p.client, abi.TS_CALLING);
    expect(m.k.x.thread_control(p.client, abi.CTL_ABORT, 0)).toBe(abi.OK);
    m.setFlag(0, 1);
    const s = await srv.result();
    const c = await cl.result();
    expect(s.got).toMatchObject({ r: abi.OK, label: 1, words: [], sender: p.client, badge: p.badge });
    expect(c.call.r).toBe(abi.E_ABORTED);
    expect(s.late.r).toBe(abi.E_NOT_WAITING);
    expect(s.again).toMatchObject({ r: abi.OK, label: 4, sender: p.client, badge: p.badge });
    expect(s.reply.r).toBe(abi.OK);
    expect(c.next).toMatchObject({ r: abi.OK, label: 3, words: [], sender: p.server, badge: 0 });
  });

  it('the callee dying while a short call waits for its reply gives E_DEAD', async () => {
    const m = await boot();
    const { serverTask, server, client } = pair(m);
    const s = m.script(server, [x('ipc_receive', [abi.ANY, LONG_US], 'got'), { op: 'wait', i: 0, v: 1 }]);
    const c = m.script(client, [{ op: 'msg', label: 1, words: [] }, x('ipc_call', [0, FOREVER], 'call')]);
    await s.event('got');
    await m.waitState(client, abi.TS_CALLING);
    await s.terminate();
    expect(m.k.x.task_destroy(serverTask)).toBe(abi.OK);
    expect((await c.result()).call.r).toBe(abi.E_DEAD);
    expect(m.state(client)).toBe(abi.TS_RUNNING);
  });

  it('a short call to a thread in a closed receive from another waits in the queue for an open receive', async () => {
    const m = await boot();
    const st = m.task();
    const server = m.thread(st);
    const ct = m.task();
    const [caller, other] = [m.thread(ct), m.thread(ct)];
    m.mint(ct, 0, server, 61, abi.RIGHT_SEND);
    m.mint(ct, 1, server, 62, abi.RIGHT_SEND);
    m.mint(st, 0, other, 0, abi.RIGHT_RECEIVE);
    const srv = m.script(server, [
      x('ipc_receive', [0, LONG_US], 'closed'),
      x('ipc_receive', [abi.ANY, LONG_US], 'open'),
      { op: 'msg', label: 8, words: [] },
      x('ipc_reply', ['$sender'], 'reply'),
    ]);
    await m.waitState(server, abi.TS_RECEIVING);
    const c = m.script(caller, [{ op: 'msg', label: 5, words: [] }, x('ipc_call', [1, FOREVER], 'call')]);
    await m.waitState(caller, abi.TS_SENDING);
    const o = m.script(other, [{ op: 'msg', label: 6, words: [] }, x('ipc_send', [0, LONG_US], 'sent')]);
    const s = await srv.result();
    expect(s.closed).toMatchObject({ r: abi.OK, label: 6, words: [], sender: other, badge: 61 });
    expect(s.open).toMatchObject({ r: abi.OK, label: 5, words: [], sender: caller, badge: 62 });
    expect((await c.result()).call).toMatchObject({ r: abi.OK, label: 8, sender: server, badge: 0 });
    expect((await o.result()).sent.r).toBe(abi.OK);
  });
});
