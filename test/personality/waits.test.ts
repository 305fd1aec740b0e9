// Parked calls under stress: every kind of wait a program can make (a poll on a descriptor that never
// becomes ready with a clock, a clock alone, a poll on standard input while input arrives at random
// moments), with timeouts from 0 to 20 ms, thousands of times and several processes at once. Each
// wait must end, at or after its deadline when it times out (test/programs/pollwait.c checks its own
// waits and exits 1 on an early or wrong one). The first kind hung forever before parked calls kept
// a timer for their deadline: Node's timer could fire before it, and the call parked again without one.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Machine, type Census } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

/** Standard input that arrives in `chunks` pieces of `size` bytes, each after 0-3 ms, then ends. */
class TricklePlatform extends CapturePlatform {
  constructor(private chunks: number, private size: number) {
    super();
  }

  override readInput(): Promise<Uint8Array | undefined> {
    const data = this.chunks-- > 0 ? new Uint8Array(this.size).fill(0x61) : undefined;
    return new Promise((resolve) => setTimeout(() => resolve(data), Math.random() * 3));
  }
}

const pollwait = readFile(new URL('../programs/pollwait.wasm', import.meta.url)).then((b) => WebAssembly.compile(b));

describe('parked calls with timeouts', () => {
  const platform = new CapturePlatform();
  let machine: Machine;

  let idle: Census;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2 });
    idle = await machine.census();
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  afterEach(async () => {
    expect(await machine.census()).toEqual(idle); // thousands of parked calls later, nothing is left behind
  });

  it('poll on a descriptor that never becomes ready, with a clock: 2000 waits in 4 processes, none early, none hung', async () => {
    const program = await pollwait;
    const runs = [1, 2, 3, 4].map((seed) => machine.run(program, ['pollwait', 'idle', '500', String(seed)]));
    expect(await Promise.all(runs)).toEqual([{ code: 0 }, { code: 0 }, { code: 0 }, { code: 0 }]);
    expect(platform.out[1].match(/pollwait idle: 500 waits, 0 early, 0 bad/g)).toHaveLength(4);
  });

  it('poll on a clock alone, beside a poll on a descriptor: 1000 waits in 2 processes', async () => {
    platform.clear();
    const program = await pollwait;
    const runs = [machine.run(program, ['pollwait', 'clock', '500', '5']), machine.run(program, ['pollwait', 'idle', '500', '6'])];
    expect(await Promise.all(runs)).toEqual([{ code: 0 }, { code: 0 }]);
    expect(platform.out[1]).toContain('pollwait clock: 500 waits, 0 early, 0 bad');
    expect(platform.out[1]).toContain('pollwait idle: 500 waits, 0 early, 0 bad');
  });
});

describe('a reply racing a timeout', () => {
  it('polls standard input with short timeouts while input arrives at random moments: every byte read, no wait lost', async () => {
    const platform = new TricklePlatform(400, 13);
    const machine = await Machine.boot(platform);
    try {
      expect(await machine.run(await pollwait, ['pollwait', 'drain', '0'])).toEqual({ code: 0 });
      expect(platform.out[1]).toContain(`read ${400 * 13} bytes\n`);
      expect(platform.out[1]).toMatch(/pollwait drain: \d+ waits, 0 early, 0 bad/);
    } finally {
      await machine.shutdown();
    }
  });
});
