// Durability of fsync on a host mount: a program appends fixed-width records to a host file, fsyncs
// each, and only then says so (test/programs/posix/records.c). Killed with SIGKILL at a random
// moment, the program alone (by the shell's kill, inside webmach) or the whole CLI (its node
// process), it loses no record it said was synced, and the file holds whole records in order: 20 trials.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/webmach.js');
const PROGRAMS = join(ROOT, 'test/programs/posix');
const TRIALS = 10;

/** The records file holds records 0..n-1, whole and in order; n. */
function records(file: string): number {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  expect(lines.pop()).toBe(''); // whole records only
  lines.forEach((line, i) => expect(line).toBe(`record ${String(i).padStart(8, '0')}`));
  return lines.length;
}

/** The last record the program said was synced (-1: none). */
function lastSynced(log: string): number {
  const said = [...log.matchAll(/^synced (\d+)$/gm)];
  return said.length ? Number(said[said.length - 1][1]) : -1;
}

describe('fsync is durable on a host mount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webmach-durability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no synced record when the whole CLI is killed (SIGKILL of its process)', async () => {
    for (let t = 0; t < TRIALS; t++) {
      const file = join(dir, `cli-${t}`);
      const child = spawn(process.execPath, [BIN, 'run', '--dir', `${dir}::/data`, join(PROGRAMS, 'records.wasm'), `/data/cli-${t}`, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const wanted = 20 + Math.floor(Math.random() * 200);
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (lastSynced(out) >= wanted) child.kill('SIGKILL');
        });
        child.on('exit', () => resolve());
      });
      const synced = lastSynced(out);
      expect(synced).toBeGreaterThanOrEqual(wanted);
      expect(records(file)).toBeGreaterThan(synced);
    }
  });

  it('loses no synced record when the program is killed inside webmach (SIGKILL from the shell)', () => {
    for (let t = 0; t < TRIALS; t++) {
      const delay = (0.1 + Math.random() * 0.3).toFixed(2);
      const script = `/progs/records.wasm /data/prog-${t} 0 > /data/prog-${t}.log & sleep ${delay}; kill -KILL $!; wait; true`;
      const r = spawnSync(process.execPath, [BIN, 'sh', '--dir', `${dir}::/data`, '--dir', `${PROGRAMS}::/progs`, '-c', script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const synced = lastSynced(readFileSync(join(dir, `prog-${t}.log`), 'utf8'));
      expect(synced).toBeGreaterThanOrEqual(0);
      expect(records(join(dir, `prog-${t}`))).toBeGreaterThan(synced);
    }
  });
});
