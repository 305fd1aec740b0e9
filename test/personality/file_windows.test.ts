// Files read and written in the task (libsystem/file_windows.ts, personality/vm/vm_window.ts) and
// host files in the page cache (host/node/hostfs_cache.ts), on booted machines with real processes:
// the rules a program depends on while other processes change the file (test/programs/posix/filewin.c,
// which passes on Linux too), on tmpfs and on a host mount; the trace showing cached reads served in
// the task with no system call; the token's two failures, a task killed while it holds the token and
// one that never lets it go (killed by the server, which then goes on), where this test plays the
// holder's part by writing the holder's pid into the token /proc/PID/files names, as a task does for
// the microseconds of a copy; delayed writes reaching the host file on the timer; and a cache
// smaller than the files, stealing a page a task wrote (and counting it in /proc/vmstat). The machine holds what it held before after each.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../dist/host/machine.js';
import { useMachine } from './machine_fixture.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';
import { SIGKILL } from '../../dist/abi/errno.js';
import { WRITE_BACK_MS } from '../../dist/host/node/hostfs_cache.js';
import { expectAllOk } from './check_report.js';

const PROGRAMS = fileURLToPath(new URL('../programs/posix/', import.meta.url));
const mounts = [{ guest: '/progs', host: PROGRAMS, readOnly: true }];

async function filewin(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(`${PROGRAMS}filewin.wasm`));
}

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('files read and written through windows', () => {
  const fx = useMachine();

  it("keeps POSIX's rules while other processes overwrite, append, truncate and share the offset", async () => {
    expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'all', '/progs/filewin.wasm', '/tmp'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 28);
  });

  /**
   * Start `hold` on `path` and wait for its pid and its line of /proc/PID/files; write its pid into
   * the token named there, as a task does while it copies. Its pid, the token's lock word, and how it ends.
   */
  async function holder(path: string): Promise<{ pid: number; lock: Int32Array; ended: Promise<unknown> }> {
    const ended = fx.machine.run(await filewin(), ['filewin.wasm', 'hold', path]);
    const [, pid, token] = await until(() => /^holding (\d+) +\d+ +regular +\d+ +0x[0-9a-f]+ +(0x[0-9a-f]+) +-$/m.exec(fx.platform.out[1] ?? '') ?? undefined);
    const lock = new Int32Array(fx.machine.k.memory.buffer, Number(token), 1);
    expect(Atomics.compareExchange(lock, 0, 0, Number(pid))).toBe(0);
    return { pid: Number(pid), lock, ended };
  }

  it('a task killed while it holds the token lets it go: the next reader and truncation go on', async () => {
    const { pid, lock, ended } = await holder('/tmp/killed');
    expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'kill', String(pid)])).toEqual({ code: 0 });
    expect(await ended).toMatchObject({ signal: SIGKILL });
    await until(() => (Atomics.load(lock, 0) === 0 ? true : undefined));
    fx.platform.clear();
    expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'contend', '/tmp/killed'])).toEqual({ code: 0 });
    expect(fx.platform.out[1]).toBe('contend ok\n');
  });

  it('a task that never lets the token go is killed by the server, which goes on', async () => {
    const { ended } = await holder('/tmp/stuck');
    fx.platform.clear();
    expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'contend', '/tmp/stuck'])).toEqual({ code: 0 });
    expect(fx.platform.out[1]).toBe('contend ok\n');
    expect(await ended).toMatchObject({ signal: SIGKILL, reason: expect.stringContaining('token') });
  });
});

describe('host files in the page cache', () => {
  const fx = useMachine();

  it("keep the same rules on a host mount, and the host file holds every write once the program ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webmach-filewin-'));
    try {
      const both = [...mounts, { guest: '/mnt', host: dir }];
      expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'all', '/progs/filewin.wasm', '/mnt'], [], { mounts: both })).toEqual({ code: 0 });
      expectAllOk(fx.platform.out[1], 28);
      fx.platform.clear();
      expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'reads', '/mnt/r'], [], { mounts: both })).toEqual({ code: 0 });
      expect(readFileSync(join(dir, 'r'))).toEqual(Buffer.concat([Buffer.alloc(4096, 'w'), Buffer.alloc(61440, 'r')]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('delayed writes', () => {
  const fx = useMachine();

  it('reach the host file within the write-back period while the program keeps it open, unsynced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webmach-linger-'));
    try {
      const ended = fx.machine.run(await filewin(), ['filewin.wasm', 'linger', '/mnt/f'], [], { mounts: [{ guest: '/mnt', host: dir }] });
      const pid = await until(() => /^written (\d+)$/m.exec(fx.platform.out[1] ?? '')?.[1]);
      expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(''); // in the cache only
      await until(() => (readFileSync(join(dir, 'f'), 'utf8') === 'delayed write\n' ? true : undefined), 3 * WRITE_BACK_MS);
      expect(await fx.machine.run(await filewin(), ['filewin.wasm', 'kill', pid])).toEqual({ code: 0 });
      expect(await ended).toMatchObject({ signal: SIGKILL });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a page cache smaller than the files', () => {
  it('steals pages (dirty ones written back first), revoking them from the task, which reads them again through the server', async () => {
    const platform = new CapturePlatform();
    const machine = await Machine.boot(platform, { cachePages: 16 });
    const dir = mkdtempSync(join(tmpdir(), 'webmach-evict-'));
    try {
      expect(await machine.run(await filewin(), ['filewin.wasm', 'evict', '/mnt'], [], { mounts: [{ guest: '/mnt', host: dir }] })).toEqual({ code: 0 });
      expectAllOk(platform.out[1], 5);
      const a = readFileSync(join(dir, 'evict.a'));
      expect([a.length, a.subarray(100, 106).toString()]).toEqual([256 * 1024, 'stolen']);
      platform.clear();
      const cat = await WebAssembly.compile(await readFile(fileURLToPath(new URL('../../userland/bin/cat.wasm', import.meta.url))));
      expect(await machine.run(cat, ['cat', '/proc/vmstat'])).toEqual({ code: 0 });
      const stat = Object.fromEntries(platform.out[1].trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
      expect(stat).toMatchObject({ cache_bound: 16, cache_pages: 0, file_tokens: 0 }); // every page went with its file's last close
      expect([stat.cache_evictions > 0, stat.cache_writebacks > 0, stat.cache_misses > 0]).toEqual([true, true, true]);
    } finally {
      await machine.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the trace', () => {
  it('shows cached reads, writes and seeks served in the task, with no system call', async () => {
    const platform = new CapturePlatform();
    const machine = await Machine.boot(platform, { trace: true });
    try {
      expect(await machine.run(await filewin(), ['filewin.wasm', 'reads', '/tmp/r'])).toEqual({ code: 0 });
    } finally {
      await machine.shutdown();
    }
    expect(platform.out[1]).toBe('65536\n');
    const lines = platform.out[2].split('\n');
    const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    // 16 reads of 4 KiB and the one that finds the end, the seek and the write over the first 4 KiB:
    // all the task's; only the 16 writes that made the file (each grows it) went to the server
    expect([
      count(/^\[pid 1\] fd_read\(4, \d+, 1, \d+\) = 0 \(served in the task\)$/), count(/^\[pid 1\] read\(4,/),
      count(/^\[pid 1\] fd_write\(4, \d+, 1, \d+\) = 0 \(served in the task\)$/), count(/^\[pid 1\] write\(4,/),
      count(/^\[pid 1\] fd_seek\(4, 0, 0, \d+\) = 0 \(served in the task\)$/), count(/^\[pid 1\] lseek\(4,/),
    ]).toEqual([17, 0, 1, 16, 2, 0]);
  });
});
