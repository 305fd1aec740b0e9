// The standard streams through the CLI, as a user's shell sees them: data intact through the console's
// rings in both directions, output held (not lost) while the reader of stdout does not read, the order
// of stdout and stderr kept, and descriptors 0-2 that a program closes or renumbers followed at once.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
const PIPE_LINE = 'isatty 0 0 0\n'; // what stdio.wasm prints first when no descriptor is a terminal

/** Bytes that show a lost, repeated or misplaced chunk (a prime period). */
function pattern(length: number): Buffer {
  return Buffer.from(Uint8Array.from({ length }, (_, i) => (i * 31 + (i >> 12)) % 251));
}

function run(program: string, input: Uint8Array | string = '', ...options: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'run', ...options, program], { cwd: ROOT, input, timeout: 60_000, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe('standard streams', () => {
  it('copy 12 MB from stdin to stdout intact, also with --trace (through the server)', () => {
    const data = pattern(12_000_000);
    const r = run('test/programs/stdio.wasm', data);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(Buffer.concat([Buffer.from(PIPE_LINE), data]))).toBe(true);
    const small = pattern(300_000);
    const traced = run('test/programs/stdio.wasm', small, '--trace');
    expect(traced.stdout.equals(Buffer.concat([Buffer.from(PIPE_LINE), small]))).toBe(true);
  });

  it('hold output while stdout is not read, and lose none of it', async () => {
    const data = pattern(8_000_000);
    const child = spawn(process.execPath, [BIN, 'run', 'test/programs/stdio.wasm'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(data);
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the pipe, then the ring, fill; the program must wait
    const parts: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => parts.push(d)).resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(Buffer.concat(parts).equals(Buffer.concat([Buffer.from(PIPE_LINE), data]))).toBe(true);
  });

  it('follow descriptors 0-2 as a program renumbers and closes them: each write goes where its descriptor points now', () => {
    const r = run('test/programs/fdswap.wasm');
    expect(r.stdout.toString()).toBe('one to stdout\nwrite to a closed 1: EBADF\n');
    expect(r.stderr).toBe('file held: two to the file\nthree to stderr\n');
    expect(r.code).toBe(0);
  });

  it('keep the order of writes to stdout and stderr when both reach one file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webmach-console-'));
    try {
      const path = join(dir, 'both');
      const fd = openSync(path, 'w');
      const r = spawnSync(process.execPath, [BIN, 'run', 'test/programs/fdswap.wasm'], { cwd: ROOT, stdio: ['ignore', fd, fd], timeout: 60_000 });
      closeSync(fd);
      expect(r.status).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe('one to stdout\nfile held: two to the file\nthree to stderr\nwrite to a closed 1: EBADF\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
