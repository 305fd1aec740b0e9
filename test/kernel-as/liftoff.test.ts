// Liftoff regression (TOOLCHAIN.md): Node 20's V8 baseline compiler mishandles memory.atomic.wait32
// in loops. V8 flags are process-wide, so this runs fixtures/liftoff_child.mjs in a child process
// `node --liftoff --no-wasm-tier-up`: a cross-worker ping-pong with a small spin budget (spinning
// and sleeping), finite receives that must expire, stop/resume and a contended kernel lock. The
// child must exit 0 having verified every value; a wait loop that never ends hits its deadline.
// Because whether Liftoff actually miscompiles depends on Binaryen's register/local choices, a second
// test checks the built code's shape: memory.atomic.wait32 appears only in functions without loops
// (the wait stays a real call, so no loop's locals are live in registers across it).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/liftoff_child.mjs', import.meta.url));
const KERNEL_WAT = new URL('../../build/kernel.wat', import.meta.url);

/** Each function of a .wat text (as asc prints it: one '(func' per line at one-space indent) and its body. */
function functions(wat: string): Array<{ name: string; body: string }> {
  const out: Array<{ name: string; body: string }> = [];
  const starts = [...wat.matchAll(/^ \(func (\S+)/gm)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : wat.length;
    out.push({ name: m[1], body: wat.slice(m.index, end) });
  });
  return out;
}

function runChild(flags: string[], calls: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, CHILD, String(calls)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Liftoff (V8 baseline compiler) regression', () => {
  it('the built kernel waits only in loop-free functions (the wait is never inlined into a loop)', () => {
    const wat = readFileSync(KERNEL_WAT, 'utf8');
    const waiting = functions(wat).filter((f) => f.body.includes('memory.atomic.wait32'));
    expect(waiting.length).toBeGreaterThan(0);
    const inLoops = waiting.filter((f) => /^\s*loop\b/m.test(f.body)).map((f) => f.name);
    expect(inLoops).toEqual([]);
  });

  it('ping-pong, finite timeouts, stop/resume and the lock wait all work under --liftoff --no-wasm-tier-up', async () => {
    const { code, stdout, stderr } = await runChild(['--liftoff', '--no-wasm-tier-up', '--allow-natives-syntax'], 2000);
    const last = stdout.trim().split('\n').pop() ?? '';
    let summary: { ok?: boolean; failures?: string[]; report?: Record<string, unknown> } = {};
    try {
      summary = JSON.parse(last) as typeof summary;
    } catch {
      // reported below with the raw output
    }
    expect(summary.failures ?? [`no summary; stdout: ${stdout} stderr: ${stderr}`]).toEqual([]);
    expect(summary.ok).toBe(true);
    expect(code).toBe(0);
  }, 60_000);
});
