// Rendezvous IPC across real workers: decode errors of send/call/receive/reply, call + reply_wait
// echo with 0..64 words (every word checked both ways), the identity the kernel writes (sender id and
// badge, kernel-only tag bits cleared), one-way send in both orders, closed receive, FIFO order of
// queued senders, and reply errors. The rendezvous tests run under every kernel configuration
// (fastpath on/off x default spin/spin 0), since behaviour must not depend on them.
import { describe, expect, it } from 'vitest';
import { abi, CONFIGS, kb, LONG_US, pair, sleep, useMachines, x } from './helpers.js';

const boot = useMachines();
const NOT_KERNEL_BITS = abi.TAG_NOTIFY | abi.TAG_EXCEPTION;


describe('decode errors (no partner runs)', () => {
  it('ipc_send and ipc_call: bad slot, missing right, word count 65, bad timeout', async () => {
    const m = await boot();
    const target = m.thread(m.task());
    m.mint(0, 1, target, 0, abi.RIGHT_NOTIFY | abi.RIGHT_RECEIVE);
    m.mint(0, 2, target, 0, abi.RIGHT_SEND);
    const k = m.k;
    for (const fn of ['ipc_send', 'ipc_call'] as const) {
      const call = (cap: number, timeout: number) => k.x[fn](cap, timeout);
      k.setMessage(1, [1, 2]);
      expect(call(10, 0), `${fn} empty slot`).toBe(abi.E_INVALID_CAP);
      expect(k.error).toBe(abi.E_INVALID_CAP);
      expect(call(-5, 0), `${fn} slot -5`).toBe(abi.E_INVALID_CAP);
      expect(call(abi.CAP_SLOTS, 0), `${fn} slot 64`).toBe(abi.E_INVALID_CAP);
      expect(call(1, 0), `${fn} without RIGHT_SEND`).toBe(abi.E_PERM);
      expect(k.error).toBe(abi.E_PERM);
      expect(call(2, -3), `${fn} timeout -3`).toBe(abi.E_INVALID_ARG);
      expect(call(2, -1000), `${fn} timeout -1000`).toBe(abi.E_INVALID_ARG);
      k.setMr(0, (1 << 16) | 65);
      expect(call(2, 0), `${fn} 65 words`).toBe(abi.E_INVALID_ARG);
      expect(k.error).toBe(abi.E_INVALID_ARG);
      k.setMr(0, (1 << 16) | abi.TAG_WORDS_MASK);
      expect(call(2, 0), `${fn} 127 words`).toBe(abi.E_INVALID_ARG);
    }
    k.setMessage(1, []);
    expect(k.x.ipc_send(2, abi.TIMEOUT_ASYNC)).toBe(abi.E_INVALID_ARG);
    // Nothing was queued on the target, and it never left TS_RUNNING.
    expect(m.tcbWord(target, abi.TCB_SENDQ_HEAD)).toBe(0);
    expect(m.state(target)).toBe(abi.TS_RUNNING);
    expect(m.state(m.root)).toBe(abi.TS_RUNNING);
  });

  it('ipc_receive, ipc_reply and ipc_reply_wait: bad slot, missing right, bad timeout, bad message', async () => {
    const m = await boot();
    const target = m.thread(m.task());
    m.mint(0, 1, target, 0, abi.RIGHT_SEND | abi.RIGHT_NOTIFY);
    m.mint(0, 2, target, 0, abi.RIGHT_RECEIVE);
    const k = m.k;
    expect(k.x.ipc_receive(10, 0)).toBe(abi.E_INVALID_CAP);
    expect(k.x.ipc_receive(-5, 0)).toBe(abi.E_INVALID_CAP);
    expect(k.x.ipc_receive(abi.CAP_SLOTS, 0)).toBe(abi.E_INVALID_CAP);
    expect(k.x.ipc_receive(1, 0)).toBe(abi.E_PERM);
    expect(k.x.ipc_receive(abi.ANY, -3)).toBe(abi.E_INVALID_ARG);
    expect(k.x.ipc_receive(2, -3)).toBe(abi.E_INVALID_ARG);
    expect(k.x.ipc_receive(2, 0)).toBe(abi.E_TIMEOUT); // the closed receive itself decodes fine
    expect(k.x.ipc_reply_wait(0, -3)).toBe(abi.E_INVALID_ARG);
    k.setMr(0, 65);
    expect(k.x.ipc_reply(target)).toBe(abi.E_INVALID_ARG);
    expect(k.x.ipc_reply_wait(target, 0)).toBe(abi.E_INVALID_ARG);
    k.setMessage(1, []);
    expect(k.x.ipc_reply(target)).toBe(abi.E_NOT_WAITING);
    expect(k.x.ipc_reply(0)).toBe(abi.E_NOT_WAITING);
    expect(k.x.ipc_reply((77 << 16) | 200)).toBe(abi.E_NOT_WAITING);
    expect(k.error).toBe(abi.E_NOT_WAITING);
  });
});

describe.each(CONFIGS)('rendezvous ($name)', (cfg) => {
  const start = () => boot({ fastpath: cfg.fastpath, spin: cfg.spin });

  it('call + reply_wait echo with 0, 1, 8, 16, 32 and 64 words, every word checked', async () => {
    const m = await start();
    const p = pair(m);
    const server = m.spawn(p.server, 'echoServer', { stop: 99 });
    const client = m.spawn(p.client, 'echoSizes', { cap: 0, sizes: [0, 1, 8, 16, 32, 64, 3], stop: 99 });
    const rows = await client.result<Array<Record<string, number>>>();
    expect(rows.map((r) => r.n)).toEqual([0, 1, 8, 16, 32, 64, 3]);
    for (const row of rows) {
      expect(row.r, `${row.n} words`).toBe(abi.OK);
      expect(row.label).toBe(7);
      expect(row.words).toBe(row.n);
      expect(row.bad, `${row.n} words: mismatched words`).toBe(0);
      expect(row.sender).toBe(p.server);
      expect(row.badge).toBe(0); // replies carry no badge
    }
    const s = await server.result<{ served: number; counts: Record<number, number>; senders: Record<number, number>; errors: number[] }>();
    expect(s.errors).toEqual([]);
    expect(s.served).toBe(7);
    expect(s.counts).toEqual({ [p.badge]: 7 });
    expect(s.senders).toEqual({ [p.badge]: p.client });
  });

  it('the receiver sees the real sender id and badge, and kernel-only tag bits arrive cleared', async () => {
    const m = await start();
    const p = pair(m);
    const server = m.script(p.server, [
      { op: 'fakeIdentity', sender: 111, badge: 222 },
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'msg', label: 9, words: [5, 6], mr0or: NOT_KERNEL_BITS },
      { op: 'fakeIdentity', sender: 333, badge: 444 },
      x('ipc_reply', ['$sender'], 'reply'),
    ]);
    await m.waitState(p.server, abi.TS_RECEIVING);
    const client = m.script(p.client, [
      { op: 'fakeIdentity', sender: 0x7777, badge: 0x8888 },
      { op: 'msg', label: 5, words: [1, 2, 3], mr0or: NOT_KERNEL_BITS },
      x('ipc_call', [0, LONG_US], 'call'),
    ]);
    const s = await server.result();
    const c = await client.result();
    expect(s.got.r).toBe(abi.OK);
    expect(s.got.sender).toBe(p.client);
    expect(s.got.badge).toBe(p.badge);
    expect(s.got.mr0 & NOT_KERNEL_BITS).toBe(0);
    expect(s.got.label).toBe(5);
    expect(kb.tagWords(s.got.mr0)).toBe(3);
    expect(s.got.words).toEqual([1, 2, 3]);
    expect(s.reply.r).toBe(abi.OK);
    expect(c.call.r).toBe(abi.OK);
    expect(c.call.sender).toBe(p.server);
    expect(c.call.badge).toBe(0);
    expect(c.call.mr0 & NOT_KERNEL_BITS).toBe(0);
    expect(c.call.label).toBe(9);
    expect(c.call.words).toEqual([5, 6]);
  });

  it('one-way send to a waiting receiver, and to one that receives later', async () => {
    const m = await start();
    const p = pair(m, 31);
    // Receiver first.
    const r1 = m.script(p.server, [x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    await m.waitState(p.server, abi.TS_RECEIVING);
    const s1 = m.script(p.client, [{ op: 'msg', label: 3, words: [10, 20, 30] }, x('ipc_send', [0, LONG_US], 'sent')]);
    expect((await s1.result()).sent.r).toBe(abi.OK);
    const got1 = (await r1.result()).got;
    expect(got1).toMatchObject({ r: abi.OK, label: 3, words: [10, 20, 30], sender: p.client, badge: 31 });
    // Sender first: it queues (TS_SENDING) until the receive takes its message.
    const s2 = m.script(p.client, [{ op: 'msg', label: 4, words: [-1, 0x7fffffff] }, x('ipc_send', [0, LONG_US], 'sent')]);
    await m.waitState(p.client, abi.TS_SENDING);
    expect(m.state(p.server)).toBe(abi.TS_RUNNING);
    const r2 = m.script(p.server, [x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    const got2 = (await r2.result()).got;
    expect(got2).toMatchObject({ r: abi.OK, label: 4, words: [-1, 0x7fffffff], sender: p.client, badge: 31 });
    expect((await s2.result()).sent.r).toBe(abi.OK);
    await m.waitState(p.client, abi.TS_RUNNING);
  });

  it('a closed receive ignores other senders, queued before or arriving after; a later open receive gets them', async () => {
    const m = await start();
    const serverTask = m.task();
    const server = m.thread(serverTask);
    const clients = m.task();
    const [a, b, d] = [m.thread(clients), m.thread(clients), m.thread(clients)];
    m.mint(clients, 0, server, 10, abi.RIGHT_SEND);
    m.mint(clients, 1, server, 11, abi.RIGHT_SEND);
    m.mint(clients, 2, server, 12, abi.RIGHT_SEND);
    m.mint(serverTask, 5, b, 0, abi.RIGHT_RECEIVE);

    const sa = m.script(a, [{ op: 'msg', label: 1, words: [100] }, x('ipc_send', [0, LONG_US], 'sent')]);
    await m.waitState(a, abi.TS_SENDING);
    const srv = m.script(server, [
      { op: 'wait', i: 0, v: 1 },
      x('ipc_receive', [5, LONG_US], 'closed'),
      x('ipc_receive', [abi.ANY, 0], 'open1'),
      x('ipc_receive', [abi.ANY, 0], 'open2'),
      x('ipc_receive', [abi.ANY, 0], 'open3'),
    ]);
    m.setFlag(0, 1);
    await m.waitState(server, abi.TS_RECEIVING);
    expect(m.tcbWord(server, abi.TCB_PARTNER)).toBe(b);
    await sleep(20);
    expect(m.state(a)).toBe(abi.TS_SENDING); // skipped by the closed receive
    expect(m.state(server)).toBe(abi.TS_RECEIVING);
    const sd = m.script(d, [{ op: 'msg', label: 3, words: [300] }, x('ipc_send', [2, LONG_US], 'sent')]);
    await m.waitState(d, abi.TS_SENDING); // arrived while the server waits for b: queued, not delivered
    expect(m.state(server)).toBe(abi.TS_RECEIVING);
    const sb = m.script(b, [{ op: 'msg', label: 2, words: [200] }, x('ipc_send', [1, LONG_US], 'sent')]);
    const r = await srv.result();
    expect(r.closed).toMatchObject({ r: abi.OK, label: 2, words: [200], sender: b, badge: 11 });
    expect(r.open1).toMatchObject({ r: abi.OK, label: 1, words: [100], sender: a, badge: 10 });
    expect(r.open2).toMatchObject({ r: abi.OK, label: 3, words: [300], sender: d, badge: 12 });
    expect(r.open3.r).toBe(abi.E_TIMEOUT);
    for (const s of [sa, sb, sd]) expect((await s.result()).sent.r).toBe(abi.OK);
  });

  it('queued senders are received in FIFO order (a queued call then waits for its reply)', async () => {
    const m = await start();
    const rt = m.task();
    const receiver = m.thread(rt);
    const st = m.task();
    const senders = [m.thread(st), m.thread(st), m.thread(st), m.thread(st)];
    senders.forEach((_, i) => m.mint(st, i, receiver, 50 + i, abi.RIGHT_SEND));
    const order = [2, 0, 3, 1]; // queue in this order, not in creation order
    const ws = [];
    for (const i of order) {
      const op = i === 3 ? 'ipc_call' : 'ipc_send';
      ws.push(m.script(senders[i], [{ op: 'msg', label: 60 + i, words: [i] }, x(op, [i, LONG_US], 'sent')]));
      await m.waitState(senders[i], abi.TS_SENDING);
    }
    const rcv = m.script(receiver, [
      x('ipc_receive', [abi.ANY, 0], 'm0'),
      x('ipc_receive', [abi.ANY, 0], 'm1'),
      x('ipc_receive', [abi.ANY, 0], 'm2'),
      { op: 'msg', label: 77, words: [7, 7] },
      x('ipc_reply', ['$sender'], 'reply'),
      x('ipc_receive', [abi.ANY, 0], 'm3'),
      x('ipc_receive', [abi.ANY, 0], 'm4'),
    ]);
    const r = await rcv.result();
    const got = [r.m0, r.m1, r.m2, r.m3].map((g) => ({ r: g.r, label: g.label, sender: g.sender, badge: g.badge }));
    expect(got).toEqual(order.map((i) => ({ r: abi.OK, label: 60 + i, sender: senders[i], badge: 50 + i })));
    expect(r.reply.r).toBe(abi.OK);
    expect(r.m4.r).toBe(abi.E_TIMEOUT);
    const results = await Promise.all(ws.map((w) => w.result()));
    for (const res of results) expect(res.sent.r).toBe(abi.OK);
    const call = results[order.indexOf(3)].sent;
    expect(call).toMatchObject({ label: 77, words: [7, 7], sender: receiver, badge: 0 });
  });
});

describe('reply errors', () => {
  it('reply to a thread not calling, a second reply, and a reply from a third thread are E_NOT_WAITING', async () => {
    const m = await boot();
    const p = pair(m);
    const idle = m.thread(m.task());
    const server = m.script(p.server, [
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'wait', i: 0, v: 1 },
      { op: 'msg', label: 1, words: [42] },
      x('ipc_reply', [idle], 'to_idle'),
      x('ipc_reply', ['$sender'], 'first'),
      x('ipc_reply', ['$sender'], 'second'),
      x('ipc_reply_wait', ['$sender', 0], 'reply_wait'),
    ]);
    const client = m.script(p.client, [{ op: 'msg', label: 2, words: [] }, x('ipc_call', [0, LONG_US], 'call')]);
    await server.event('got');
    await m.waitState(p.client, abi.TS_CALLING);
    // The host is not the callee: its reply is refused and the client keeps waiting.
    m.k.setMessage(1, [13]);
    expect(m.k.x.ipc_reply(p.client)).toBe(abi.E_NOT_WAITING);
    await sleep(10);
    expect(m.state(p.client)).toBe(abi.TS_CALLING);
    m.setFlag(0, 1);
    const s = await server.result();
    expect(s.to_idle.r).toBe(abi.E_NOT_WAITING);
    expect(s.first.r).toBe(abi.OK);
    expect(s.second.r).toBe(abi.E_NOT_WAITING);
    expect(s.reply_wait.r).toBe(abi.E_NOT_WAITING); // the failed reply is reported; no receive happens
    expect((await client.result()).call).toMatchObject({ r: abi.OK, label: 1, words: [42] });
  });

  it('ipc_reply(0) names no caller: E_NOT_WAITING, and it does not take a queued message', async () => {
    const m = await boot();
    const t = m.task();
    const sender = m.thread(t);
    m.mint(t, 0, m.root, 5, abi.RIGHT_SEND);
    const s = m.script(sender, [{ op: 'msg', label: 8, words: [1, 2] }, x('ipc_send', [0, LONG_US], 'sent')]);
    await m.waitState(sender, abi.TS_SENDING);
    m.k.setMessage(1, []);
    expect(m.k.x.ipc_reply(0)).toBe(abi.E_NOT_WAITING);
    expect(m.state(sender)).toBe(abi.TS_SENDING);
    expect(m.k.x.ipc_receive(abi.ANY, 0)).toBe(abi.OK);
    expect(kb.tagLabel(m.k.mr(0))).toBe(8);
    expect([m.k.mr(1), m.k.mr(2)]).toEqual([1, 2]);
    expect(m.k.sender).toBe(sender);
    expect((await s.result()).sent.r).toBe(abi.OK);
  });
});
