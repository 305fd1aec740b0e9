// No worker outlives the CLI: a run blocked in the kernel (stdio.wasm reading a pipe that stays open)
// ends on SIGINT, SIGTERM and SIGHUP by that signal (a shell shows 128+N), and leaves no process behind;
// through npx too, when the signal goes to the whole process group as a terminal sends it, or SIGTERM
// to npm alone (npm forwards it to the sh it runs webmach under; webmach sees its parent gone). `serve`
// ends the same way; a writer into a closed pipe (`| head -1`) ends quietly, webmach's own lines too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
/** Only to tell a hang from an exit; the exit itself comes in milliseconds. */
const HANG_MS = 20_000;

interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks: a pid with another start time is another process. */
  start: string;
}

function readProc(pid: string): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined; // it ended meanwhile
  }
}

/** Every process below `pid` (children, their children, ...), from /proc. */
function descendants(pid: number): Proc[] {
  const all = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(readProc).filter((p): p is Proc => p !== undefined);
  const below: Proc[] = [];
  const walk = (parent: number) => all.filter((p) => p.ppid === parent).forEach((p) => (below.push(p), walk(p.pid)));
  walk(pid);
  return below;
}

const alive = (procs: Proc[]) => procs.filter((p) => readProc(String(p.pid))?.start === p.start);

/**
 * Start `command` with a standard input that stays open (a pipe, or `stdin`); resolves once the program
 * has said `ready`.
 */
async function startBlocked(command: string[], ready: string, { detached = false, stdin = 'pipe' as 'pipe' | number } = {}): Promise<ChildProcess> {
  const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'], detached });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes(ready) && resolve());
    child.on('exit', (code, signal) => reject(new Error(`ended before blocking: ${code ?? signal}: ${out}`)));
  });
  return child;
}

function ended(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const hang = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running ${HANG_MS} ms after the signal`));
    }, HANG_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal });
    });
  });
}

describe('webmach run ended by a signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`ends a run blocked reading stdin on ${signal}, by ${signal}, leaving nothing behind`, async () => {
      const child = await startBlocked([process.execPath, BIN, 'run', 'test/programs/stdio.wasm'], 'isatty');
      const below = descendants(child.pid!);
      child.kill(signal);
      expect(await ended(child)).toEqual({ code: null, signal });
      expect(alive(below)).toEqual([]);
      expect(readProc(String(child.pid))).toBeUndefined();
    });
  }

  it('ends through npx when Ctrl-C signals the process group (npm runs webmach under sh)', async () => {
    const npx = await startBlocked(['npx', 'webmach', 'run', 'test/programs/stdio.wasm'], 'isatty', { detached: true });
    const below = descendants(npx.pid!);
    expect(below.length).toBeGreaterThan(0); // sh, and node running bin/webmach.js
    process.kill(-npx.pid!, 'SIGINT');
    expect((await ended(npx)).signal).toBe('SIGINT');
    expect(alive(below)).toEqual([]);
  });

  it('ends through npx when SIGTERM goes to npm alone (npm forwards it to the sh, and webmach sees its parent gone)', async () => {
    // stdin a FIFO held open for reading and writing: it never ends, whoever exits (a pipe from here may)
    const dir = mkdtempSync(join(tmpdir(), 'webmach-signals-'));
    spawnSync('mkfifo', [join(dir, 'in')]);
    const stdin = openSync(join(dir, 'in'), constants.O_RDWR);
    let below: Proc[] = [];
    try {
      const npx = await startBlocked(['npx', 'webmach', 'run', 'test/programs/stdio.wasm'], 'isatty', { stdin });
      below = descendants(npx.pid!);
      npx.kill('SIGTERM');
      expect((await ended(npx)).signal).toBe('SIGTERM');
      for (let i = 0; alive(below).length && i < HANG_MS / 100; i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(below)).toEqual([]);
    } finally {
      alive(below).forEach((p) => process.kill(p.pid, 'SIGKILL')); // only if the test failed
      closeSync(stdin);
      rmSync(dir, { recursive: true });
    }
  });

  it('ends `webmach serve` on SIGTERM, by SIGTERM', async () => {
    const child = await startBlocked([process.execPath, BIN, 'serve'], 'serving');
    child.kill('SIGTERM');
    expect(await ended(child)).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('ends quietly by SIGPIPE when the reader of its output goes away (| head -1)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" run test/programs/yes.wasm | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS });
    expect(r.stdout).toBe('line 0\nstatus 141\n');
    expect(r.stderr).toBe('');
  });

  it("ends quietly when the reader of its own lines is gone (webmach --help | true)", () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --help | true; echo "status \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS });
    expect(r.stdout).toBe('status 0\n');
    expect(r.stderr).toBe('');
  });
});
