// Task death: a worker blocked in the kernel is terminated, then the host destroys its task. Its
// partners get E_DEAD (a client calling it, senders queued on it, a closed receive from it, a server
// replying to it), its own queued sends are withdrawn, capabilities naming its threads fail with
// E_DEAD even after the slot is reused, a half-finished delivery it held is undone, and a kernel lock
// it held (written into KHDR.LOCK, white-box) is broken, also while another thread waits for it.
import { describe, expect, it } from 'vitest';
import { abi, LONG_US, sleep, until, useMachines, x } from './helpers.js';

const boot = useMachines();

describe('partners of a dead task', () => {
  it('a client blocked calling a thread of the dead task gets E_DEAD', async () => {
    const m = await boot();
    const t = m.task();
    const server = m.thread(t);
    const ct = m.task();
    const client = m.thread(ct);
    m.mint(ct, 0, server, 1, abi.RIGHT_SEND);
    const s = m.script(server, [x('ipc_receive', [abi.ANY, LONG_US], 'got'), x('ipc_receive', [abi.ANY, LONG_US], 'never')]);
    const c = m.script(client, [{ op: 'msg', label: 1, words: [1] }, x('ipc_call', [0, LONG_US], 'call')]);
    await s.event('got');
    await m.waitState(server, abi.TS_RECEIVING);
    await m.waitState(client, abi.TS_CALLING);
    await s.terminate(); // the worker dies inside the kernel
    expect(m.state(client)).toBe(abi.TS_CALLING);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect((await c.result()).call.r).toBe(abi.E_DEAD);
    expect(m.state(server)).toBe(-abi.E_DEAD);
    expect(m.state(client)).toBe(abi.TS_RUNNING);
  });

  it('senders and callers queued on a dead thread get E_DEAD', async () => {
    const m = await boot();
    const t = m.task();
    const server = m.thread(t);
    const silent = m.thread(t);
    m.mint(t, 0, silent, 0, abi.RIGHT_RECEIVE);
    const ct = m.task();
    const [c1, c2] = [m.thread(ct), m.thread(ct)];
    m.mint(ct, 0, server, 1, abi.RIGHT_SEND);
    const s = m.script(server, [x('ipc_receive', [0, LONG_US], 'never')]); // waits for `silent` only
    await m.waitState(server, abi.TS_RECEIVING);
    const w1 = m.script(c1, [{ op: 'msg', label: 1, words: [] }, x('ipc_send', [0, LONG_US], 'send')]);
    const w2 = m.script(c2, [{ op: 'msg', label: 1, words: [] }, x('ipc_call', [0, LONG_US], 'call')]);
    await m.waitState(c1, abi.TS_SENDING);
    await m.waitState(c2, abi.TS_SENDING);
    await s.terminate();
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect((await w1.result()).send.r).toBe(abi.E_DEAD);
    expect((await w2.result()).call.r).toBe(abi.E_DEAD);
  });

  it('a closed receive from a dead thread gets E_DEAD', async () => {
    const m = await boot();
    const t = m.task();
    const dying = m.thread(t);
    const rt = m.task();
    const receiver = m.thread(rt);
    m.mint(rt, 0, dying, 0, abi.RIGHT_RECEIVE);
    const d = m.script(dying, [x('ipc_receive', [abi.ANY, LONG_US], 'never')]);
    const r = m.script(receiver, [x('ipc_receive', [0, LONG_US], 'closed')]);
    await m.waitState(dying, abi.TS_RECEIVING);
    await m.waitState(receiver, abi.TS_RECEIVING);
    await d.terminate();
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect((await r.result()).closed.r).toBe(abi.E_DEAD);
  });

  it('a server replying to a caller whose task died gets E_DEAD; the dead task queued sends are withdrawn', async () => {
    const m = await boot();
    const st = m.task();
    const server = m.thread(st);
    const t = m.task();
    const [caller, queued] = [m.thread(t), m.thread(t)];
    m.mint(t, 0, server, 1, abi.RIGHT_SEND);
    const s = m.script(server, [
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'wait', i: 0, v: 1 },
      { op: 'msg', label: 2, words: [] },
      x('ipc_reply', ['$sender'], 'reply'),
      x('ipc_receive', [abi.ANY, 0], 'after'),
    ]);
    await m.waitState(server, abi.TS_RECEIVING);
    const c = m.script(caller, [{ op: 'msg', label: 1, words: [] }, x('ipc_call', [0, LONG_US], 'call')]);
    await s.event('got');
    const q = m.script(queued, [{ op: 'msg', label: 3, words: [] }, x('ipc_send', [0, LONG_US], 'send')]);
    await m.waitState(queued, abi.TS_SENDING);
    await m.waitState(caller, abi.TS_CALLING);
    await Promise.all([c.terminate(), q.terminate()]);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(m.tcbWord(server, abi.TCB_SENDQ_HEAD)).toBe(0);
    m.setFlag(0, 1);
    const r = await s.result();
    expect(r.reply.r).toBe(abi.E_DEAD);
    expect(r.after.r).toBe(abi.E_TIMEOUT);
  });

  it('a capability naming a dead thread is E_DEAD, even after its slot is reused', async () => {
    const m = await boot();
    const t = m.task();
    const dead = m.thread(t);
    m.mint(0, 0, dead, 0, abi.RIGHT_SEND | abi.RIGHT_NOTIFY | abi.RIGHT_RECEIVE);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    const check = () => {
      m.k.setMessage(1, []);
      expect(m.k.x.ipc_send(0, 0)).toBe(abi.E_DEAD);
      expect(m.k.x.ipc_call(0, 0)).toBe(abi.E_DEAD);
      expect(m.k.x.notify_post(0, 1)).toBe(abi.E_DEAD);
      expect(m.k.x.ipc_receive(0, 0)).toBe(abi.E_DEAD);
      expect(m.k.error).toBe(abi.E_DEAD);
    };
    check();
    const t2 = m.task();
    expect(t2).toBe(t); // the task record is reused...
    const fresh = m.thread(t2);
    expect(fresh & 0xffff).toBe(dead & 0xffff); // ...and so is the thread slot, with a new generation
    expect(fresh).not.toBe(dead);
    check();
  });
});

describe('a half-finished operation of the dead task', () => {
  it('a delivery the dead thread had claimed is undone: the receiver keeps waiting and gets the next message', async () => {
    const m = await boot();
    const t = m.task();
    const dying = m.thread(t);
    const rt = m.task();
    const receiver = m.thread(rt);
    m.mint(0, 0, receiver, 4, abi.RIGHT_SEND);
    const r = m.script(receiver, [x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    await m.waitState(receiver, abi.TS_RECEIVING);
    // White-box: the receiver's state word as the dying thread's claim would leave it.
    const words = new Int32Array(m.memory.buffer);
    const at = (abi.TCB_BASE + (receiver & 0xffff) * abi.TCB_SIZE + abi.TCB_STATE) >> 2;
    const busy = (((dying & 0xffff) + 1) << 8) | (abi.TS_RECEIVING << 4) | abi.TS_BUSY;
    expect(Atomics.compareExchange(words, at, abi.TS_RECEIVING, busy)).toBe(abi.TS_RECEIVING);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(m.state(receiver)).toBe(abi.TS_RECEIVING);
    m.k.setMessage(5, [55]);
    expect(m.k.x.ipc_send(0, 0)).toBe(abi.OK);
    expect((await r.result()).got).toMatchObject({ r: abi.OK, label: 5, words: [55], sender: m.root, badge: 4 });
  });
});

describe('the kernel lock of a dead owner', () => {
  const lockIndex = (abi.KHDR_BASE + abi.KHDR_LOCK) >> 2;

  it('is broken by task_destroy, and kernel calls work again', async () => {
    const m = await boot();
    const t = m.task();
    const owner = m.thread(t);
    const words = new Int32Array(m.memory.buffer);
    Atomics.store(words, lockIndex, owner);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(Atomics.load(words, lockIndex)).toBe(0);
    // The host and a pair of workers can use the kernel.
    expect(m.task()).toBeGreaterThan(0);
    const st = m.task();
    const server = m.thread(st);
    const ct = m.task();
    const client = m.thread(ct);
    m.mint(ct, 0, server, 8, abi.RIGHT_SEND);
    const s = m.spawn(server, 'echoServer', { stop: 99 });
    const c = m.spawn(client, 'client', { cap: 0, id: 1, calls: 50, stop: 99 });
    expect(await c.result()).toEqual({ ok: 50, mismatches: 0, error: 0 });
    expect((await s.result<{ served: number }>()).served).toBe(50);
  });

  it('is broken while another thread waits for it (contended), which then proceeds', async () => {
    const m = await boot();
    const t = m.task();
    const owner = m.thread(t);
    const wt = m.task();
    const waiter = m.thread(wt);
    const words = new Int32Array(m.memory.buffer);
    Atomics.store(words, lockIndex, owner);
    const w = m.script(waiter, [x('ipc_receive', [abi.ANY, 0], 'poll'), x('task_create', [0], 'after')]);
    // It spins, then marks the lock contended and sleeps on it.
    await until(() => (Atomics.load(words, lockIndex) & abi.LOCK_CONTENDED) !== 0, 'the waiter to mark the lock contended');
    await sleep(20);
    expect(w.has('poll')).toBe(false);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    const r = await w.result();
    expect(r.poll.r).toBe(abi.E_TIMEOUT);
    expect(r.after.r).toBe(-abi.E_PERM);
    await until(() => Atomics.load(words, lockIndex) === 0, 'the lock to be free');
  });
});
