// Notifications (post wakes an open receive; bits accumulate; closed receives ignore them;
// notify_take; RIGHT_NOTIFY), exception IPC (TAG_EXCEPTION and the task index as badge, delivered to
// a waiting handler or queued for a busy one; E_NO_HANDLER; a dead handler), and thread_control
// (pager only; CTL_STOP at kernel entry and at IPC completion until CTL_RESUME; CTL_POST and
// thread_pending; CTL_ABORT of a receive, a queued send and a call; unknown ops). Real workers.
import { describe, expect, it } from 'vitest';
import { abi, LONG_US, sleep, until, US_PER_MS, useMachines, x, type Op } from './helpers.js';

const boot = useMachines();

describe('notifications', () => {
  it('a post wakes a thread blocked in an open receive: TAG_NOTIFY, MR1 = bits, no sender or badge', async () => {
    const m = await boot();
    const t = m.task();
    const r = m.thread(t);
    m.mint(0, 0, r, 77, abi.RIGHT_NOTIFY);
    const w = m.script(r, [{ op: 'fakeIdentity', sender: 5, badge: 6 }, x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    await m.waitState(r, abi.TS_RECEIVING);
    expect(m.k.x.notify_post(0, 0x50005)).toBe(abi.OK);
    const got = (await w.result()).got;
    expect(got.r).toBe(abi.OK);
    expect(got.mr0).toBe(abi.TAG_NOTIFY | 1);
    expect(got.words).toEqual([0x50005]);
    expect(got.sender).toBe(0);
    expect(got.badge).toBe(0);
    expect(m.tcbWord(r, abi.TCB_NOTIFY)).toBe(0);
  });

  it('bits posted before a receive accumulate; a closed receive leaves them; the next open receive takes them first', async () => {
    const m = await boot();
    const t = m.task();
    const r = m.thread(t);
    const other = m.thread(t);
    const st = m.task();
    const sender = m.thread(st);
    m.mint(0, 0, r, 0, abi.RIGHT_NOTIFY);
    m.mint(t, 0, other, 0, abi.RIGHT_RECEIVE);
    m.mint(st, 0, r, 9, abi.RIGHT_SEND);
    for (const bits of [0x1, 0x4, 0x100, 0x4]) expect(m.k.x.notify_post(0, bits)).toBe(abi.OK);
    expect(m.tcbWord(r, abi.TCB_NOTIFY)).toBe(0x105);
    const s = m.script(sender, [{ op: 'msg', label: 4, words: [44] }, x('ipc_send', [0, LONG_US], 'sent')]);
    await m.waitState(sender, abi.TS_SENDING);
    const w = m.script(r, [
      x('ipc_receive', [0, 0], 'closed'),
      x('ipc_receive', [0, 20 * US_PER_MS], 'closed_timed'),
      x('ipc_receive', [abi.ANY, 0], 'first'),
      x('ipc_receive', [abi.ANY, 0], 'second'),
      x('ipc_receive', [abi.ANY, 0], 'third'),
    ]);
    const res = await w.result();
    expect(res.closed.r).toBe(abi.E_TIMEOUT);
    expect(res.closed_timed.r).toBe(abi.E_TIMEOUT);
    expect(res.first).toMatchObject({ r: abi.OK, mr0: abi.TAG_NOTIFY | 1, words: [0x105], sender: 0, badge: 0 });
    expect(res.second).toMatchObject({ r: abi.OK, label: 4, words: [44], sender, badge: 9 });
    expect(res.third.r).toBe(abi.E_TIMEOUT);
    expect((await s.result()).sent.r).toBe(abi.OK);
  });

  it('a post does not end a closed receive; notify_take returns the bits once and clears them', async () => {
    const m = await boot();
    const t = m.task();
    const r = m.thread(t);
    const other = m.thread(t);
    m.mint(0, 0, r, 0, abi.RIGHT_NOTIFY);
    m.mint(t, 0, other, 0, abi.RIGHT_RECEIVE);
    const w = m.script(r, [
      x('ipc_receive', [0, 100 * US_PER_MS], 'closed'),
      x('notify_take', [], 'take1'),
      x('notify_take', [], 'take2'),
      x('ipc_receive', [abi.ANY, 0], 'open'),
    ]);
    await m.waitState(r, abi.TS_RECEIVING);
    expect(m.k.x.notify_post(0, 0x30)).toBe(abi.OK);
    const res = await w.result();
    expect(res.closed.r).toBe(abi.E_TIMEOUT);
    expect(res.take1.r).toBe(0x30);
    expect(res.take2.r).toBe(0);
    expect(res.open.r).toBe(abi.E_TIMEOUT);
  });

  it('posting needs RIGHT_NOTIFY and a valid slot', async () => {
    const m = await boot();
    const r = m.thread(m.task());
    m.mint(0, 0, r, 0, abi.RIGHT_SEND | abi.RIGHT_RECEIVE);
    expect(m.k.x.notify_post(0, 1)).toBe(abi.E_PERM);
    expect(m.k.error).toBe(abi.E_PERM);
    expect(m.k.x.notify_post(1, 1)).toBe(abi.E_INVALID_CAP);
    expect(m.k.x.notify_post(-2, 1)).toBe(abi.E_INVALID_CAP);
    expect(m.k.x.notify_post(abi.CAP_SLOTS, 1)).toBe(abi.E_INVALID_CAP);
    expect(m.tcbWord(r, abi.TCB_NOTIFY)).toBe(0);
  });
});

describe('exception IPC', () => {
  /** Raiser in task T (with handler thread H of task 0 set as T's exception handler). */
  function setup(m: Awaited<ReturnType<typeof boot>>) {
    const handler = m.thread(0);
    const t = m.task();
    const raiser = m.thread(t);
    expect(m.k.x.task_set_exc_handler(t, handler)).toBe(abi.OK);
    return { handler, t, raiser };
  }
  const handlerOps: Op[] = [
    { op: 'fakeIdentity', sender: 1, badge: 1 },
    x('ipc_receive', [abi.ANY, LONG_US], 'exc'),
    { op: 'msg', label: 0x33, words: [111, 222] },
    x('ipc_reply', ['$sender'], 'reply'),
  ];
  const raiserOps: Op[] = [{ op: 'msg', label: 0xe, words: [1, 2, 3] }, x('exception_raise', [], 'raise')];

  it('delivers TAG_EXCEPTION with the task index as badge to a waiting handler, and returns its reply', async () => {
    const m = await boot();
    const { handler, t, raiser } = setup(m);
    const h = m.script(handler, handlerOps);
    await m.waitState(handler, abi.TS_RECEIVING);
    const e = m.script(raiser, raiserOps);
    const hr = await h.result();
    const er = await e.result();
    expect(hr.exc.r).toBe(abi.OK);
    expect(hr.exc.mr0 & abi.TAG_EXCEPTION).toBe(abi.TAG_EXCEPTION);
    expect(hr.exc.mr0 & abi.TAG_NOTIFY).toBe(0);
    expect(hr.exc.label).toBe(0xe);
    expect(hr.exc.words).toEqual([1, 2, 3]);
    expect(hr.exc.badge).toBe(t);
    expect(hr.exc.sender).toBe(raiser);
    expect(hr.reply.r).toBe(abi.OK);
    expect(er.raise).toMatchObject({ r: abi.OK, label: 0x33, words: [111, 222], sender: handler, badge: 0 });
    expect(er.raise.mr0 & abi.TAG_EXCEPTION).toBe(0);
  });

  it('an exception raised while the handler is busy waits in its queue and still arrives as exception IPC', async () => {
    const m = await boot();
    const { handler, t, raiser } = setup(m);
    const e = m.script(raiser, raiserOps);
    await m.waitState(raiser, abi.TS_SENDING);
    const h = m.script(handler, handlerOps);
    const hr = await h.result();
    const er = await e.result();
    expect(hr.exc.r).toBe(abi.OK);
    expect(hr.exc.mr0 & abi.TAG_EXCEPTION).toBe(abi.TAG_EXCEPTION);
    expect(hr.exc.badge).toBe(t);
    expect(hr.exc.sender).toBe(raiser);
    expect(hr.exc.words).toEqual([1, 2, 3]);
    expect(er.raise).toMatchObject({ r: abi.OK, label: 0x33, words: [111, 222], sender: handler });
  });

  it('without a handler exception_raise is E_NO_HANDLER; with a dead handler E_DEAD', async () => {
    const m = await boot();
    const t = m.task();
    const raiser = m.thread(t);
    const ht = m.task();
    const handler = m.thread(ht);
    const w1 = m.script(raiser, [{ op: 'msg', label: 1, words: [] }, x('exception_raise', [], 'raise')]);
    expect((await w1.result()).raise.r).toBe(abi.E_NO_HANDLER);
    expect(m.k.x.exception_raise()).toBe(abi.E_NO_HANDLER); // task 0 has none either
    expect(m.k.x.task_set_exc_handler(t, handler)).toBe(abi.OK);
    expect(m.k.x.task_destroy(ht)).toBe(abi.OK);
    const w2 = m.script(raiser, [{ op: 'msg', label: 1, words: [] }, x('exception_raise', [], 'raise')]);
    expect((await w2.result()).raise.r).toBe(abi.E_DEAD);
  });
});

describe('thread_control', () => {
  it('only the target task pager may; dead threads and unknown ops are refused', async () => {
    const m = await boot();
    const t = m.task();
    const target = m.thread(t);
    const pager = m.thread(0);
    const outsider = m.thread(m.task());
    expect(m.k.x.thread_control(target, abi.CTL_POST, 1)).toBe(abi.E_PERM); // no pager set yet
    expect(m.k.error).toBe(abi.E_PERM);
    expect(m.k.x.task_set_pager(t, pager)).toBe(abi.OK);
    expect(m.k.x.thread_control(target, abi.CTL_POST, 1)).toBe(abi.E_PERM); // the host is not the pager
    const w = m.script(pager, [
      x('thread_control', [target, abi.CTL_POST, 2], 'post'),
      x('thread_control', [target, 0, 0], 'op0'),
      x('thread_control', [target, 99, 0], 'op99'),
      x('thread_control', [target + (1 << 16), abi.CTL_POST, 2], 'stale'),
    ]);
    const o = m.script(outsider, [x('thread_control', [target, abi.CTL_STOP, 0], 'stop')]);
    const r = await w.result();
    expect(r.post.r).toBe(abi.OK);
    expect(r.op0.r).toBe(abi.E_INVALID_ARG);
    expect(r.op99.r).toBe(abi.E_INVALID_ARG);
    expect(r.stale.r).toBe(abi.E_DEAD);
    expect((await o.result()).stop.r).toBe(abi.E_PERM);
    expect(m.tcbWord(target, abi.TCB_CTL)).toBe(0); // the outsider's stop did nothing
    expect(m.tcbWord(target, abi.TCB_PENDING)).toBe(2);
  });

  it('CTL_POST ors flags that thread_pending returns once', async () => {
    const m = await boot();
    const t = m.task();
    const target = m.thread(t);
    expect(m.k.x.task_set_pager(t, m.root)).toBe(abi.OK);
    for (const bits of [0x3, 0x8, 0x1]) expect(m.k.x.thread_control(target, abi.CTL_POST, bits)).toBe(abi.OK);
    const w = m.script(target, [x('thread_pending', [], 'p1'), x('thread_pending', [], 'p2')]);
    const r = await w.result();
    expect(r.p1.r).toBe(0xb);
    expect(r.p2.r).toBe(0);
  });

  it('CTL_STOP blocks the thread at its next kernel entry until CTL_RESUME', async () => {
    const m = await boot();
    const t = m.task();
    const target = m.thread(t);
    expect(m.k.x.task_set_pager(t, m.root)).toBe(abi.OK);
    const w = m.script(target, [
      x('thread_pending', [], 'before'),
      { op: 'signal', i: 1, v: 1 },
      { op: 'wait', i: 0, v: 1 },
      x('ipc_receive', [abi.ANY, 0], 'entry'),
      { op: 'signal', i: 2, v: 1 },
    ]);
    await m.waitFlag(1, 1);
    expect(m.k.x.thread_control(target, abi.CTL_STOP, 0)).toBe(abi.OK);
    m.setFlag(0, 1);
    // It enters the kernel and sleeps there (white-box: its SLEEPING word), without returning.
    await until(() => m.tcbWord(target, abi.TCB_SLEEPING) === 1, 'the stopped thread to sleep');
    await sleep(50);
    expect(w.has('entry')).toBe(false);
    expect(Atomics.load(m.flags, 2)).toBe(0);
    expect(m.k.x.thread_control(target, abi.CTL_RESUME, 0)).toBe(abi.OK);
    const r = await w.result();
    expect(r.entry.r).toBe(abi.E_TIMEOUT); // the call itself then ran normally
    expect(Atomics.load(m.flags, 2)).toBe(1);
    expect(m.tcbWord(target, abi.TCB_CTL)).toBe(0);
  });

  it('CTL_STOP holds a thread whose IPC completes until CTL_RESUME', async () => {
    const m = await boot();
    const t = m.task();
    const target = m.thread(t);
    expect(m.k.x.task_set_pager(t, m.root)).toBe(abi.OK);
    m.mint(0, 0, target, 12, abi.RIGHT_SEND);
    const w = m.script(target, [x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    await m.waitState(target, abi.TS_RECEIVING);
    expect(m.k.x.thread_control(target, abi.CTL_STOP, 0)).toBe(abi.OK);
    m.k.setMessage(6, [66]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.OK); // delivered: the thread is still receiving
    await sleep(50);
    expect(w.has('got')).toBe(false);
    expect(m.k.x.thread_control(target, abi.CTL_RESUME, 0)).toBe(abi.OK);
    const r = await w.result();
    expect(r.got).toMatchObject({ r: abi.OK, label: 6, words: [66], sender: m.root, badge: 12 });
  });

  it('CTL_ABORT ends a blocked receive, a queued send and a pending call with E_ABORTED', async () => {
    const m = await boot();
    const t = m.task();
    const [rcv, snd, caller] = [m.thread(t), m.thread(t), m.thread(t)];
    const st = m.task();
    const server = m.thread(st);
    const idle = m.thread(st);
    m.mint(t, 0, idle, 0, abi.RIGHT_SEND);
    m.mint(t, 1, server, 0, abi.RIGHT_SEND);
    expect(m.k.x.task_set_pager(t, m.root)).toBe(abi.OK);
    const wr = m.script(rcv, [x('ipc_receive', [abi.ANY, LONG_US], 'rcv')]);
    const ws = m.script(snd, [{ op: 'msg', label: 1, words: [] }, x('ipc_send', [0, LONG_US], 'snd')]);
    const srv = m.script(server, [
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'wait', i: 0, v: 1 },
      { op: 'msg', label: 2, words: [] },
      x('ipc_reply', ['$sender'], 'reply'),
    ]);
    await m.waitState(server, abi.TS_RECEIVING);
    const wc = m.script(caller, [{ op: 'msg', label: 1, words: [] }, x('ipc_call', [1, LONG_US], 'call')]);
    await m.waitState(rcv, abi.TS_RECEIVING);
    await m.waitState(snd, abi.TS_SENDING);
    await m.waitState(caller, abi.TS_CALLING);
    for (const tid of [rcv, snd, caller]) expect(m.k.x.thread_control(tid, abi.CTL_ABORT, 0)).toBe(abi.OK);
    expect((await wr.result()).rcv.r).toBe(abi.E_ABORTED);
    expect((await ws.result()).snd.r).toBe(abi.E_ABORTED);
    expect((await wc.result()).call.r).toBe(abi.E_ABORTED);
    expect(m.tcbWord(idle, abi.TCB_SENDQ_HEAD)).toBe(0);
    m.setFlag(0, 1);
    expect((await srv.result()).reply.r).toBe(abi.E_NOT_WAITING);
    // Aborting a thread that is not in IPC changes nothing.
    expect(m.k.x.thread_control(rcv, abi.CTL_ABORT, 0)).toBe(abi.OK);
    expect(m.state(rcv)).toBe(abi.TS_RUNNING);
  });
});
