// End to end: programs trying to exhaust the personality server through metadata (test/programs/exhaust.c)
// end with an errno, never the server's death, and the machine then serves the next program normally.
// Symlinks with 4000-byte targets, empty files and directories fill a 512 KiB in-memory file system
// (ENOSPC); directory descriptors each keeping a listing of a 1000-entry directory reach the default
// listing budget (ENOMEM). Each program removes what it made, and a second run fits as many again.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

async function program(name: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(new URL(`../programs/${name}.wasm`, import.meta.url)));
}

/** Boot a machine (options as Machine.boot) for the tests of one describe block. */
function machineFor(options: { fileMemory?: number }): (...args: string[]) => Promise<string> {
  const platform = new CapturePlatform();
  let machine: Machine;
  let exhaust: WebAssembly.Module;
  beforeAll(async () => {
    machine = await Machine.boot(platform, options);
    exhaust = await program('exhaust');
  });
  afterAll(async () => {
    await machine?.shutdown();
  });
  /**
   * Run exhaust.wasm with `args`, then hello.wasm: exhaust's output, once it exited 0 (it stopped on an
   * error and cleaned up) with nothing on stderr (the server reported no internal error), and hello ran.
   */
  const run = async (...args: string[]): Promise<string> => {
    platform.clear();
    expect(await machine.run(exhaust, ['exhaust.wasm', ...args])).toEqual({ code: 0 });
    expect(platform.out[2]).toBe('');
    const out = platform.out[1];
    platform.clear();
    expect(await machine.run(await program('hello'), ['hello.wasm', '5'])).toEqual({ code: 5 });
    expect(platform.out[1]).toContain('hello from webmach\n');
    return out;
  };
  return run;
}

/** The count a line `<what>: <count>, then: <error>` reports, once the error is `error`. */
function countBefore(out: string, what: string, error: string): number {
  const match = new RegExp(`^${what}: (\\d+), then: ${error}\\n$`).exec(out);
  expect(match, out).not.toBeNull();
  return Number(match?.[1]);
}

describe('metadata filling a 512 KiB in-memory file system', () => {
  const run = machineFor({ fileMemory: 512 << 10 });

  it('symlinks with 4000-byte targets: ENOSPC after about 115 (the targets count), and again after removal', async () => {
    const first = countBefore(await run('symlinks', '/tmp/s'), 'symlinks', 'No space left on device');
    expect(first).toBeGreaterThan(75);
    expect(first).toBeLessThan(128); // 512 KiB / 4000 bytes, less the inodes and names
    expect(countBefore(await run('symlinks', '/tmp/s'), 'symlinks', 'No space left on device')).toBe(first);
  });

  it('empty files and directories with long names: ENOSPC, then the space is back for symlinks', async () => {
    const symlinks = countBefore(await run('symlinks', '/tmp/s'), 'symlinks', 'No space left on device');
    expect(countBefore(await run('names', '/tmp/n'), 'names', 'No space left on device')).toBeGreaterThan(500);
    expect(countBefore(await run('dirs', '/tmp/d'), 'dirs', 'No space left on device')).toBeGreaterThan(400);
    expect(countBefore(await run('symlinks', '/tmp/s'), 'symlinks', 'No space left on device')).toBe(symlinks);
  });
});

describe('directory listings held open, with the default budgets', () => {
  const run = machineFor({});

  it('descriptors each keeping a listing of a 1000-entry directory: ENOMEM, released when they close', async () => {
    const out = await run('listings', '/tmp/l', '1000');
    const [, held] = /^listings: (\d+) held, then fd_readdir: Out of memory\nafter closing them: listed again\n$/.exec(out) ?? [];
    expect(Number(held), out).toBeGreaterThan(100); // 64 MiB / (1000 entries of 251-byte names)
    expect(Number(held)).toBeLessThan(400);
    expect(await run('listings', '/tmp/l', '1000')).toBe(out);
  });
});
