// Bulk items: a message whose tag has TAG_BULK carries (address, length) after its untyped words; the
// kernel copies those bytes of machine memory into the receiver's buffer (BR0, BR1) and shows the
// receiver (its buffer address, length). Delivered to a waiting receiver, from a queued sender, and in
// a reply; a length above BR1 is E_OVERFLOW for the sender while the receiver keeps waiting; ranges in
// the kernel area or outside memory are E_BAD_ADDR. Runs with the fastpath on and off.
import { describe, expect, it } from 'vitest';
import { abi, LONG_US, useMachines, x, type Machine } from './helpers.js';

const boot = useMachines();
const SRC = abi.FRAMES_BASE + 0x1000;
const DST = abi.FRAMES_BASE + 0x40000;

function pair(m: Machine) {
  const rt = m.task();
  const receiver = m.thread(rt);
  const st = m.task();
  const [sender, sender2] = [m.thread(st), m.thread(st)];
  m.mint(st, 0, receiver, 17, abi.RIGHT_SEND);
  return { receiver, sender, sender2 };
}

describe.each([
  { name: 'fastpath on', fastpath: 1 as const },
  { name: 'fastpath off', fastpath: 0 as const },
])('bulk items ($name)', ({ fastpath }) => {
  it('copies the bytes into a waiting receiver buffer; the receiver sees its own address and the length', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const r = m.script(p.receiver, [
      { op: 'buffer', addr: DST, len: 4096 },
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'check', addr: DST, len: 1000, seed: 3, name: 'bytes' },
      { op: 'checkZero', addr: DST + 1000, len: 3096, name: 'rest' },
    ]);
    await m.waitState(p.receiver, abi.TS_RECEIVING);
    const s = m.script(p.sender, [
      { op: 'fill', addr: SRC, len: 1000, seed: 3 },
      { op: 'msg', label: 1, words: [7, 8], bulk: [SRC, 1000] },
      x('ipc_send', [0, LONG_US], 'sent'),
    ]);
    expect((await s.result()).sent.r).toBe(abi.OK);
    const res = await r.result();
    expect(res.got.r).toBe(abi.OK);
    expect(res.got.mr0 & abi.TAG_BULK).toBe(abi.TAG_BULK);
    expect(res.got.words).toEqual([7, 8, DST, 1000]);
    expect(res.got.badge).toBe(17);
    expect(res.bytes.bad).toBe(0);
    expect(res.rest.bad).toBe(0);
  });

  it('copies from a queued sender when the receiver arrives, and into a caller buffer with the reply', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const s = m.script(p.sender, [
      { op: 'fill', addr: SRC, len: 300, seed: 9 },
      { op: 'buffer', addr: DST + 0x8000, len: 64 },
      { op: 'msg', label: 2, words: [], bulk: [SRC, 300] },
      x('ipc_call', [0, LONG_US], 'call'),
      { op: 'check', addr: DST + 0x8000, len: 64, seed: 5, name: 'reply_bytes' },
    ]);
    await m.waitState(p.sender, abi.TS_SENDING);
    const r = m.script(p.receiver, [
      { op: 'buffer', addr: DST, len: 300 },
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'check', addr: DST, len: 300, seed: 9, name: 'bytes' },
      { op: 'fill', addr: SRC + 0x4000, len: 64, seed: 5 },
      { op: 'msg', label: 3, words: [1], bulk: [SRC + 0x4000, 64] },
      x('ipc_reply', ['$sender'], 'reply'),
    ]);
    const res = await r.result();
    expect(res.got.r).toBe(abi.OK);
    expect(res.got.words).toEqual([DST, 300]);
    expect(res.bytes.bad).toBe(0);
    expect(res.reply.r).toBe(abi.OK);
    const sres = await s.result();
    expect(sres.call.r).toBe(abi.OK);
    expect(sres.call.words).toEqual([1, DST + 0x8000, 64]);
    expect(sres.reply_bytes.bad).toBe(0);
  });

  it('a zero-length item is fine and copies nothing', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const r = m.script(p.receiver, [
      { op: 'buffer', addr: DST, len: 0 },
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'checkZero', addr: DST, len: 64, name: 'rest' },
    ]);
    await m.waitState(p.receiver, abi.TS_RECEIVING);
    const s = m.script(p.sender, [
      { op: 'fill', addr: SRC, len: 64, seed: 1 },
      { op: 'msg', label: 1, words: [], bulk: [SRC, 0] },
      x('ipc_send', [0, LONG_US], 'sent'),
    ]);
    expect((await s.result()).sent.r).toBe(abi.OK);
    const res = await r.result();
    expect(res.got.words).toEqual([DST, 0]);
    expect(res.rest.bad).toBe(0);
  });

  it('a length above the receiver BR1 is E_OVERFLOW for the sender; the receiver keeps waiting', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const r = m.script(p.receiver, [
      { op: 'buffer', addr: DST, len: 100 },
      x('ipc_receive', [abi.ANY, LONG_US], 'got'),
      { op: 'check', addr: DST, len: 100, seed: 4, name: 'bytes' },
    ]);
    await m.waitState(p.receiver, abi.TS_RECEIVING);
    const big = m.script(p.sender, [
      { op: 'fill', addr: SRC, len: 200, seed: 4 },
      { op: 'msg', label: 1, words: [1], bulk: [SRC, 200] },
      x('ipc_send', [0, LONG_US], 'big'),
      x('ipc_call', [0, LONG_US], 'big_call'),
    ]);
    const b = await big.result();
    expect(b.big.r).toBe(abi.E_OVERFLOW);
    expect(b.big_call.r).toBe(abi.E_OVERFLOW);
    expect(m.state(p.receiver)).toBe(abi.TS_RECEIVING);
    expect(r.has('got')).toBe(false);
    const fits = m.script(p.sender, [{ op: 'msg', label: 2, words: [2], bulk: [SRC, 100] }, x('ipc_send', [0, LONG_US], 'ok')]);
    expect((await fits.result()).ok.r).toBe(abi.OK);
    const res = await r.result();
    expect(res.got).toMatchObject({ r: abi.OK, label: 2, words: [2, DST, 100] });
    expect(res.bytes.bad).toBe(0);
  });

  it('a queued sender whose item does not fit gets E_OVERFLOW; the receive goes on to the next sender', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const big = m.script(p.sender, [{ op: 'msg', label: 1, words: [], bulk: [SRC, 500] }, x('ipc_send', [0, LONG_US], 'big')]);
    await m.waitState(p.sender, abi.TS_SENDING);
    const small = m.script(p.sender2, [{ op: 'msg', label: 2, words: [], bulk: [SRC, 50] }, x('ipc_send', [0, LONG_US], 'small')]);
    await m.waitState(p.sender2, abi.TS_SENDING);
    const r = m.script(p.receiver, [{ op: 'buffer', addr: DST, len: 100 }, x('ipc_receive', [abi.ANY, LONG_US], 'got')]);
    expect((await big.result()).big.r).toBe(abi.E_OVERFLOW);
    expect((await small.result()).small.r).toBe(abi.OK);
    expect((await r.result()).got).toMatchObject({ r: abi.OK, label: 2, words: [DST, 50], sender: p.sender2 });
  });

  it('ranges in the kernel area or outside machine memory are E_BAD_ADDR; too many words E_INVALID_ARG', async () => {
    const m = await boot({ fastpath });
    const p = pair(m);
    const end = m.memory.buffer.byteLength;
    // Sender-side checks happen before any rendezvous: the host can make them.
    m.mint(0, 0, p.receiver, 1, abi.RIGHT_SEND);
    const k = m.k;
    const send = (words: number, addr: number, len: number) => {
      k.setMessage(1, new Array<number>(words).fill(0), true);
      k.setMr(words + 1, addr);
      k.setMr(words + 2, len);
      return k.x.ipc_send(0, 0);
    };
    expect(send(0, 0x100, 16)).toBe(abi.E_BAD_ADDR);
    expect(send(1, abi.TCB_BASE, 16)).toBe(abi.E_BAD_ADDR);
    expect(send(0, abi.KERNEL_END - 4, 8)).toBe(abi.E_BAD_ADDR);
    expect(send(0, end - 8, 16)).toBe(abi.E_BAD_ADDR);
    expect(send(0, -16, 8)).toBe(abi.E_BAD_ADDR);
    expect(send(0, SRC, -1)).toBe(abi.E_BAD_ADDR);
    expect(send(63, SRC, 8)).toBe(abi.E_INVALID_ARG); // 63 words + 2 do not fit in MR1..MR64
    expect(send(62, SRC, 8)).toBe(abi.E_TIMEOUT); // fine, but nobody is receiving
    expect(send(0, 0, 0)).toBe(abi.E_TIMEOUT); // an empty item has no address to check
    expect(k.x.ipc_call(0, 0)).toBe(abi.E_TIMEOUT);
    // A receiver buffer in the kernel area is refused for the sender; the receiver keeps waiting.
    const r = m.script(p.receiver, [{ op: 'buffer', addr: 0x200, len: 4096 }, x('ipc_receive', [abi.ANY, 200_000], 'got')]);
    await m.waitState(p.receiver, abi.TS_RECEIVING);
    expect(send(0, SRC, 16)).toBe(abi.E_BAD_ADDR);
    expect(m.state(p.receiver)).toBe(abi.TS_RECEIVING);
    expect((await r.result()).got.r).toBe(abi.E_TIMEOUT);
    const w = new Int32Array(m.memory.buffer);
    expect(w[abi.KHDR_MAGIC >> 2]).toBe(abi.ABI_MAGIC); // nothing was written over the kernel area
  });
});
