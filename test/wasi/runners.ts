// runners.ts: runs one program of the WASI corpus (test/programs/wasi) under node:wasi or under
// `webmach run`, each in a fresh sandbox directory mounted at /sandbox, with the same arguments,
// environment and stdin; returns its transcript (stdout, then an "exit: N" line), its stderr, the
// files it left in the sandbox and anything it managed to create beside the sandbox.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/webmach.js');
const NODE_WASI = join(ROOT, 'test/wasi/fixtures/node_wasi.mjs');
const PROGRAMS = join(ROOT, 'test/programs/wasi');
const RUN_TIMEOUT_MS = 20_000;

/** One run of a corpus program: the same under both runtimes. */
export interface Run {
  program: string;
  args?: string[];
  env?: string[];
  stdin?: string;
  /** Text both runtimes must write to stderr. */
  stderr?: string;
}

export interface Outcome {
  /** stdout followed by "exit: N" (128 + N for death by signal N, "exit: timeout" if killed). */
  transcript: string;
  stderr: string;
  /** The sandbox afterwards, one line an entry: "path file CONTENTS", "path dir", "path symlink -> T". */
  files: string[];
  /** Entries that appeared beside the sandbox directory, which no program may create. */
  escaped: string[];
}

export type Runtime = 'node:wasi' | 'webmach';

export function runId(run: Run): string {
  return [run.program, ...(run.args ?? [])].join(' ');
}

export function wasmPath(program: string): string {
  return join(PROGRAMS, `${program}.wasm`);
}

function exitLine(r: SpawnSyncReturns<string>): string {
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'exit: timeout';
  if (r.status !== null) return `exit: ${r.status}`;
  const signal = r.signal ? constants.signals[r.signal] : undefined;
  return signal === undefined ? `exit: ${String(r.error ?? r.signal)}` : `exit: ${128 + signal}`;
}

function spawn(runtime: Runtime, run: Run, sandbox: string): SpawnSyncReturns<string> {
  const options = { cwd: ROOT, input: run.stdin ?? '', encoding: 'utf8' as const, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' as const };
  const args = run.args ?? [];
  const env = run.env ?? [];
  if (runtime === 'node:wasi') {
    return spawnSync(process.execPath, ['--no-warnings', NODE_WASI, wasmPath(run.program), sandbox, ...args], {
      ...options,
      env: { ...process.env, NODE_WASI_ENV: JSON.stringify(env) },
    });
  }
  const envOptions = env.flatMap((e) => ['--env', e]);
  return spawnSync(process.execPath, [BIN, 'run', '--dir', `${sandbox}::/sandbox`, ...envOptions, wasmPath(run.program), ...args], options);
}

/** The tree under dir, sorted, without times or inode numbers. */
export function listTree(dir: string, prefix = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = prefix + name;
    const st = lstatSync(path);
    if (st.isSymbolicLink()) lines.push(`${rel} symlink -> ${readlinkSync(path)}`);
    else if (st.isDirectory()) lines.push(`${rel} dir`, ...listTree(path, `${rel}/`));
    else lines.push(`${rel} file ${JSON.stringify(readFileSync(path).toString('latin1'))}`);
  }
  return lines;
}

export function runIn(runtime: Runtime, run: Run): Outcome {
  const root = mkdtempSync(join(tmpdir(), 'webmach-wasi-'));
  const sandbox = join(root, 'sandbox');
  mkdirSync(sandbox);
  try {
    const r = spawn(runtime, run, sandbox);
    return {
      transcript: `${r.stdout ?? ''}${exitLine(r)}\n`,
      stderr: r.stderr ?? '',
      files: listTree(sandbox),
      escaped: readdirSync(root).filter((name) => name !== 'sandbox'),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
