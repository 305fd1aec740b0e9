// The machine as a library: one boot, many processes, sequential and concurrent, against one
// personality server, including programs that call WASI with random arguments (wasi_fuzz).
// Output is captured per descriptor through the platform interface.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Machine, type Census } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

async function program(name: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(new URL(`../programs/${name}.wasm`, import.meta.url)));
}

describe('Machine', () => {
  const platform = new CapturePlatform();
  let machine: Machine;

  let idle: Census;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2 });
    idle = await machine.census();
  });

  afterEach(async () => {
    // every program ended: the machine holds what it held before any ran (tasks, threads, workers, processes, frames)
    expect(await machine.census()).toEqual(idle);
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  beforeEach(() => {
    platform.clear();
  });

  it('runs processes one after another on one machine, reusing task and thread slots', async () => {
    const hello = await program('hello');
    for (let i = 0; i < 5; i++) {
      expect(await machine.run(hello, ['hello.wasm', String(i)])).toEqual({ code: i });
    }
    expect(platform.out[1].match(/hello from webmach/g)).toHaveLength(5);
    expect(platform.out[2].match(/hello: stderr works/g)).toHaveLength(5);
  });

  it('runs processes concurrently: every one is served and gets its own status', async () => {
    const hello = await program('hello');
    const trap = await program('trap');
    const results = await Promise.all([
      machine.run(hello, ['hello.wasm', '11']),
      machine.run(trap, ['trap.wasm']),
      machine.run(hello, ['hello.wasm', '12']),
      machine.run(await program('exit7'), ['exit7.wasm']),
    ]);
    expect(results[0]).toEqual({ code: 11 });
    expect(results[1]).toMatchObject({ signal: 4 });
    expect(results[2]).toEqual({ code: 12 });
    expect(results[3]).toEqual({ code: 7 });
    // Concurrent processes' writes interleave, so only whole single-write lines can be counted.
    expect(platform.out[1].match(/hello from webmach\n/g)).toHaveLength(2);
    expect(platform.out[1]).toContain('exit7\n');
    expect(platform.out[1]).toContain('before trap\n');
  });

  it('ends a program whose start function traps by SIGILL, like any trap, and serves the next one', async () => {
    expect(await machine.run(await program('start_trap'), ['start_trap.wasm'])).toEqual({ signal: 4, reason: 'wasm trap: unreachable executed' });
    expect(await machine.run(await program('exit7'), ['exit7.wasm'])).toEqual({ code: 7 });
  });

  it('refuses a process it cannot make, undoing all it had made (arguments larger than the commpage, a mount that fails)', async () => {
    const hello = await program('hello');
    await expect(machine.run(hello, ['hello.wasm', 'x'.repeat(70_000)])).rejects.toThrow(/E2BIG/);
    await expect(machine.run(hello, ['hello.wasm'], [], { mounts: [{ guest: '/m', host: '/no/such/directory' }] })).rejects.toThrow(/cannot mount/);
    expect(await machine.run(hello, ['hello.wasm', '3'])).toEqual({ code: 3 });
  });

  it('survives programs calling WASI with random arguments, then serves the next one normally', async () => {
    const fuzz = await program('wasi_fuzz');
    for (const seed of [1, 2, 3, 4]) {
      expect(await machine.run(fuzz, ['wasi_fuzz.wasm', String(seed), '3000']), `seed ${seed}`).toEqual({ code: 0 });
    }
    expect(platform.out[2]).not.toContain('internal error');
    platform.out[1] = '';
    expect(await machine.run(await program('hello'), ['hello.wasm', '9'])).toEqual({ code: 9 });
    expect(platform.out[1]).toContain('hello from webmach\nargc=2\n');
  });
});

describe('Machine with a small in-memory file system', () => {
  const platform = new CapturePlatform();
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { fileMemory: 1 << 20 });
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  it('a program filling it gets ENOSPC, also in the middle of a write larger than the window, and the server keeps serving', async () => {
    expect(await machine.run(await program('fill'), ['fill.wasm', '/tmp/big'])).toEqual({ code: 0 });
    const [, kib] = /^wrote (\d+) KiB, then: No space left on device\n$/.exec(platform.out[1]) ?? [];
    expect(Number(kib)).toBeGreaterThan(960); // the MiB less the metadata of the tree and the file
    expect(Number(kib)).toBeLessThan(1024);
    expect(await machine.run(await program('hello'), ['hello.wasm', '4'])).toEqual({ code: 4 });
  });
});
