// Experiment `proc`: processes and pipes, the same C program (bench/programs/proc.c) under webmach
// (built with `webmach cc`, committed as proc.wasm) and natively on the host (built with gcc at set-up),
// measured in the same run. It times its own loop: spawn+wait of a trivial child (the webmach machine
// stays booted, so its worker pool is warm), pipe bandwidth in 64 KiB writes to a child that reads to
// the end, 1-byte ping-pong latency between two processes through two pipes (issue 10's), and
// spawn+exec+wait, getpid, a signal's round trip to its own handler and fork+exit+wait
// (lackorzynski-2004 Figure 5.4's rows). proc.c forks, so webmach runs it made able to fork
// (Asyncify); what that costs is the `cpu` row, CPU-bound work with indirect calls, run also from
// the program's own bytes ("webmach-plain", which could not fork) in the same machine.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../host/machine.js';
import { CapturePlatform } from '../host/node/capture.js';
import { compileProgram } from '../libsystem/imports.js';
import { shellCode } from '../abi/exit.js';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec } from './harness.js';

export const OPS = ['spawn', 'bandwidth', 'pingpong', 'exec', 'getpid', 'signal', 'fork', 'cpu'] as const;
export type Op = (typeof OPS)[number];
export const RUNTIMES = ['webmach', 'native', 'webmach-plain'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export const PROC_PARAMS: ParamSpec = { unit: 'op', sweep: { kind: 'list', values: [0] } };

const PROGRAMS = fileURLToPath(new URL('../../bench/programs/', import.meta.url));
const SOURCE = join(PROGRAMS, 'proc.c');

const OP_TEXT: Readonly<Record<Op, string>> = {
  spawn: 'posix_spawn of a child that exits at once, and waitpid',
  bandwidth: 'one 64 KiB write into a pipe a child reads to its end',
  pingpong: 'one round trip of 1 byte to a child and back through two pipes',
  exec: 'posix_spawn of a child that execs a program that exits at once, and waitpid',
  getpid: 'one getpid call',
  signal: 'raise(SIGUSR1) with a handler: the signal sent, delivered and handled',
  fork: 'fork of a child that _exits at once, and waitpid',
  cpu: 'a round of CPU-bound work with indirect calls (qsort of 20000 ints, 200000 interpreted instructions)',
};

const RUNTIME_TEXT: Readonly<Record<RuntimeName, string>> = {
  webmach: 'under webmach (a booted machine, its pool warm), made able to fork',
  'webmach-plain': "under webmach from the program's own bytes (not made able to fork)",
  native: 'the same C built with gcc, on the host',
};

/** Runs the program with arguments; resolves with the ns it printed. */
interface Runner {
  run(args: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

function elapsed(runtime: RuntimeName, stdout: string): number {
  if (!/^\d+\n$/.test(stdout)) throw new Error(`proc under ${runtime} printed ${JSON.stringify(stdout)}, not a count of ns`);
  return Math.max(1, Number(stdout));
}

/** proc.wasm under webmach: as webmach loads it (`forkable`: made able to fork), or compiled from its bytes. */
async function webmachRunner(forkable = true): Promise<Runner> {
  const platform = new CapturePlatform();
  const machine = await Machine.boot(platform, { spareWorkers: 2 });
  const bytes = new Uint8Array(await readFile(join(PROGRAMS, 'proc.wasm')));
  const module = forkable ? await compileProgram(bytes) : await WebAssembly.compile(bytes);
  const mounts = [{ guest: '/progs', host: PROGRAMS, readOnly: true }];
  return {
    async run(args) {
      platform.clear();
      const status = await machine.run(module, ['proc', ...args, '/progs/proc.wasm'], [], { mounts });
      if (shellCode(status) !== 0) throw new Error(`proc under webmach ended with ${JSON.stringify(status)}: ${platform.out[2]}`);
      return elapsed('webmach', platform.out[1]);
    },
    close: () => machine.shutdown(),
  };
}

async function nativeRunner(): Promise<Runner> {
  const dir = await mkdtemp(join(tmpdir(), 'webmach-bench-proc-'));
  const binary = join(dir, 'proc');
  try {
    execFileSync('gcc', ['-O2', SOURCE, '-o', binary], { stdio: 'pipe' });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`bench proc: the native column needs gcc (apt-get install gcc): ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    run: async (args) => elapsed('native', execFileSync(binary, [...args, binary], { encoding: 'utf8' })),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

const RUNNERS: Readonly<Record<RuntimeName, () => Promise<Runner>>> = { webmach: () => webmachRunner(), native: nativeRunner, 'webmach-plain': () => webmachRunner(false) };

function config(op: Op, runtime: RuntimeName): BenchConfig<Runner> {
  return {
    name: `${op}/${runtime}`,
    description: `${OP_TEXT[op]}; ${RUNTIME_TEXT[runtime]}; timed by the program`,
    setup: () => RUNNERS[runtime](),
    run: (runner, iterations) => runner.run([op, String(iterations)]),
    teardown: (runner) => runner.close(),
  };
}

/** Every op under webmach and natively; the plain program only where it differs (it cannot fork). */
export const configs: readonly BenchConfig[] = OPS.flatMap((op) => RUNTIMES.filter((r) => r !== 'webmach-plain' || op === 'cpu').map((runtime) => config(op, runtime)));

export const ratios: readonly RatioSpec[] = [
  { name: 'spawn/webmach (goal <= 2 ms)', numerator: { config: 'spawn/webmach' } },
  // bandwidth is per 64 KiB write: native / webmach time is webmach's share of native bandwidth
  { name: 'bandwidth: webmach / native (goal >= 0.5)', numerator: { config: 'bandwidth/native' }, denominator: { config: 'bandwidth/webmach' } },
  { name: 'pingpong/webmach / pingpong/native', numerator: { config: 'pingpong/webmach' }, denominator: { config: 'pingpong/native' } },
  { name: 'spawn/webmach / spawn/native', numerator: { config: 'spawn/webmach' }, denominator: { config: 'spawn/native' } },
  { name: 'exec/webmach / exec/native', numerator: { config: 'exec/webmach' }, denominator: { config: 'exec/native' } },
  { name: 'getpid/webmach / getpid/native', numerator: { config: 'getpid/webmach' }, denominator: { config: 'getpid/native' } },
  { name: 'signal/webmach / signal/native', numerator: { config: 'signal/webmach' }, denominator: { config: 'signal/native' } },
  { name: 'fork/webmach (goal <= 5 ms)', numerator: { config: 'fork/webmach' } },
  { name: 'fork/webmach / fork/native', numerator: { config: 'fork/webmach' }, denominator: { config: 'fork/native' } },
  // speed made able to fork over speed as built: plain time / forkable time
  { name: 'cpu: forkable speed / plain speed (goal >= 0.75)', numerator: { config: 'cpu/webmach-plain' }, denominator: { config: 'cpu/webmach' } },
  { name: 'cpu/webmach / cpu/native', numerator: { config: 'cpu/webmach' }, denominator: { config: 'cpu/native' } },
];

export const experiment: Experiment = {
  name: 'proc',
  description: 'spawn+wait, spawn+exec+wait, fork+exit+wait, pipe bandwidth and latency, getpid, signal round trip, and what Asyncify costs CPU-bound work: the same C program under webmach and natively',
  params: PROC_PARAMS,
  configs,
  ratios,
};
