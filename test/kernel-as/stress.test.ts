// Stress: three client workers make thousands of calls each to one echo server worker, every payload
// word checked on both sides and per-client sequence numbers checked by the server (no loss, no
// duplicate, no reordering), while the host posts notification bits to the server (none may be lost).
// A second test makes clients time out constantly, racing timeouts against replies: every reply a
// client accepts must be its own. Every call is bounded by a timeout so that a lost wake-up fails
// instead of hanging. Runs under each kernel configuration (and a small spin budget that mixes
// spinning and sleeping); asserts results, never speed.
import { describe, expect, it } from 'vitest';
import { abi, CONFIGS, sleep, useMachines, type Machine } from './helpers.js';

const boot = useMachines();
const CLIENTS = 3;
const CALLS = 4000;
const STOP = 99;
const STRESS_CONFIGS: { name: string; fastpath: 0 | 1; spin?: number; async?: boolean }[] = [
  ...CONFIGS,
  { name: 'fastpath on, spin 50', fastpath: 1, spin: 50 },
  { name: 'fastpath off, spin 50', fastpath: 0, spin: 50 },
  // The server receives as the personality server does (TIMEOUT_ASYNC, waitAsync, ipc_poll): a poll
  // racing a delivery once reported a stale state, and the server then lost the message.
  { name: 'asynchronous server, fastpath on, spin 50', fastpath: 1, spin: 50, async: true },
  { name: 'asynchronous server, fastpath off, spin 50', fastpath: 0, spin: 50, async: true },
  { name: 'asynchronous server, fastpath on, default spin', fastpath: 1, async: true },
];

interface ServerResult {
  served: number;
  counts: Record<number, number>;
  senders: Record<number, number>;
  errors: number[];
  mismatches: number;
  notWaiting: number;
  notifyBits: number;
  notifications: number;
}

interface ClientResult {
  ok: number;
  mismatches: number;
  error: number;
  timeouts?: number;
}

/** Server in one task; CLIENTS clients and a stopper in another, slot i -> server with badge 100 + i. */
function setup(m: Machine) {
  const st = m.task();
  const server = m.thread(st);
  const ct = m.task();
  const clients = Array.from({ length: CLIENTS }, () => m.thread(ct));
  const stopper = m.thread(ct);
  clients.forEach((_, i) => m.mint(ct, i, server, 100 + i, abi.RIGHT_SEND));
  m.mint(ct, CLIENTS, server, 999, abi.RIGHT_SEND);
  m.mint(0, 0, server, 0, abi.RIGHT_NOTIFY);
  return { server, clients, stopper };
}

async function stopServer(m: Machine, stopper: number) {
  const stop = m.spawn(stopper, 'client', { cap: CLIENTS, id: 9, calls: 0, stop: STOP });
  await stop.result();
}

describe.each(STRESS_CONFIGS)('stress ($name)', (cfg) => {
  it(`${CLIENTS} clients x ${CALLS} calls and 30 notifications: no loss, no corruption, no hang`, async () => {
    const m = await boot({ fastpath: cfg.fastpath, spin: cfg.spin });
    const { server, clients, stopper } = setup(m);
    const s = m.spawn(server, 'echoServer', { stop: STOP, verify: 'exact', timeoutUs: 20_000_000, async: cfg.async });
    const ws = clients.map((tid, i) =>
      m.spawn(tid, 'client', { cap: i, id: i + 1, calls: CALLS, sizes: [2, 3, 5, 8, 13, 64], timeoutUs: 20_000_000 }),
    );
    const done = Promise.all(ws.map((w) => w.result<ClientResult>(45_000)));
    // Distinct bits, posted while the calls run: the server must see every one of them.
    await s.event('ready');
    for (let bit = 0; bit < 30; bit++) {
      expect(m.k.x.notify_post(0, 1 << bit)).toBe(abi.OK);
      await sleep(bit % 3);
    }
    const results = await done;
    for (const r of results) expect(r).toEqual({ ok: CALLS, mismatches: 0, error: 0 });
    await stopServer(m, stopper);
    const sr = await s.result<ServerResult>();
    expect(sr.errors).toEqual([]);
    expect(sr.mismatches).toBe(0);
    expect(sr.notWaiting).toBe(0);
    expect(sr.served).toBe(CLIENTS * CALLS);
    expect(sr.counts).toEqual(Object.fromEntries(clients.map((_, i) => [100 + i, CALLS])));
    expect(sr.senders).toEqual(Object.fromEntries(clients.map((tid, i) => [100 + i, tid])));
    expect(sr.notifyBits).toBe((1 << 30) - 1);
    expect(sr.notifications).toBeGreaterThanOrEqual(1);
    for (const tid of [server, ...clients]) expect(m.state(tid)).toBe(abi.TS_RUNNING);
    expect(Atomics.load(new Int32Array(m.memory.buffer), abi.KHDR_LOCK >> 2)).toBe(0);
  }, 60_000);
});

describe.each([
  { name: 'fastpath on, spin 50', fastpath: 1 as const },
  { name: 'fastpath off, spin 50', fastpath: 0 as const },
])('timeouts racing replies ($name)', (cfg) => {
  it('clients with very short call timeouts only ever accept their own replies', async () => {
    const m = await boot({ fastpath: cfg.fastpath, spin: 50 });
    const { server, clients, stopper } = setup(m);
    const calls = 1500;
    const s = m.spawn(server, 'echoServer', { stop: STOP, verify: 'increasing', timeoutUs: 20_000_000 });
    // Timeouts from 1 us to a few hundred us: some calls time out queued, some waiting for the reply.
    const ws = clients.map((tid, i) =>
      m.spawn(tid, 'client', { cap: i, id: i + 1, calls, sizes: [2, 4, 64], timeoutUs: [1, 60, 300][i], allowTimeouts: true, stopTimeoutUs: 20_000_000 }),
    );
    const results = await Promise.all(ws.map((w) => w.result<ClientResult>(45_000)));
    let ok = 0;
    for (const r of results) {
      expect(r.error).toBe(0);
      expect(r.mismatches).toBe(0);
      expect(r.ok + (r.timeouts ?? 0)).toBe(calls);
      ok += r.ok;
    }
    await stopServer(m, stopper);
    const sr = await s.result<ServerResult>();
    expect(sr.errors).toEqual([]);
    expect(sr.mismatches).toBe(0);
    // Every request the server took was either answered to a waiting client or refused as late.
    expect(sr.served - sr.notWaiting).toBe(ok);
    for (const tid of [server, ...clients]) expect(m.state(tid)).toBe(abi.TS_RUNNING);
    expect(m.tcbWord(server, abi.TCB_SENDQ_HEAD)).toBe(0);
  }, 60_000);
});
