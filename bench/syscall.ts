// Experiment `syscall`: the cost of one system call of each kind, for one guest program
// (bench/programs/syscall.wasm) under webmach, node:wasi and @wasmer/wasi, measured in the same run.
// Configs are `<op>/<runtime>`; setup starts the runtime (webmach: boots one Machine, reused by every
// run), run() runs the program once and returns the ns it measured around its own loop.
import { init as initWasmer, WASI as WasmerWasi } from '@wasmer/wasi';
import { guestModule, parseElapsed as parseGuestElapsed, webmachRunner, nodeWasiRunner, succeeded, PLAIN_WEBMACH_IMPORTS, type Runner } from './guest.js';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec } from './harness.js';

export const OPS = ['null', 'write-devnull', 'clock', 'commpage', 'read-4k'] as const;
export type Op = (typeof OPS)[number];
export const RUNTIMES = ['webmach', 'node-wasi', 'wasmer'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** No sweep: one row per config (param 0, as the ipc baselines). */
export const SYSCALL_PARAMS: ParamSpec = { unit: 'call', sweep: { kind: 'list', values: [0] } };

/** bench/programs/syscall.wasm, relative to dist/bench/. */
const PROGRAM_URL = new URL('../../bench/programs/syscall.wasm', import.meta.url);
const PROGRAM_NAME = 'syscall.wasm';

const OP_TEXT: Readonly<Record<Op, string>> = {
  null: 'webmach.sys_null(): a null round trip to the personality server (elsewhere: a plain JS import)',
  'write-devnull': 'fd_write of 1 byte to /dev/null, opened before the loop',
  clock: 'clock_time_get(MONOTONIC)',
  commpage: 'webmach.getpid() from the commpage (elsewhere: a plain JS import returning a constant)',
  'read-4k': 'fd_pread of 4 KiB at offset 0 of /tmp/bench',
};

const RUNTIME_TEXT: Readonly<Record<RuntimeName, string>> = {
  webmach: 'webmach (in-memory fs)',
  'node-wasi': 'node:wasi (/tmp: a host temp dir, /dev: the host /dev)',
  // @wasmer/wasi 1.2 has no /dev/null: a file of that name in its MemFS takes the writes; its clock ticks in ms.
  wasmer: '@wasmer/wasi (MemFS; /dev/null is a plain file there)',
};

interface State {
  readonly op: Op;
  readonly runner: Runner;
}

const program = guestModule(PROGRAM_URL);

/** The elapsed ns the program printed (a run shorter than @wasmer/wasi's 1 ms clock tick counts as 1 ns). */
export function parseElapsed(stdout: string): number {
  return parseGuestElapsed(stdout, PROGRAM_NAME);
}

// ---- @wasmer/wasi ----

let wasmerReady: Promise<void> | undefined;

async function wasmerRunner(module: WebAssembly.Module): Promise<Runner> {
  wasmerReady ??= initWasmer();
  await wasmerReady;
  return {
    async run(args) {
      const wasi = new WasmerWasi({ args: [PROGRAM_NAME, ...args], env: {} });
      try {
        const fs = wasi.fs;
        fs.createDir('/dev');
        fs.open('/dev/null', { write: true, create: true }).free();
        wasi.instantiate(module, { webmach: PLAIN_WEBMACH_IMPORTS });
        const code = wasi.start();
        return succeeded(PROGRAM_NAME, 'wasmer', code, wasi.getStdoutString(), wasi.getStderrString());
      } finally {
        wasi.free();
      }
    },
    close: async () => {},
  };
}

// ---- the experiment ----

const RUNNERS: Readonly<Record<RuntimeName, (module: WebAssembly.Module) => Promise<Runner>>> = {
  webmach: (module) => webmachRunner(module, PROGRAM_NAME),
  'node-wasi': (module) => nodeWasiRunner(module, PROGRAM_NAME, true),
  wasmer: wasmerRunner,
};

function config(op: Op, runtime: RuntimeName): BenchConfig<State> {
  return {
    name: `${op}/${runtime}`,
    description: `${OP_TEXT[op]}; under ${RUNTIME_TEXT[runtime]}; timed by the program`,
    setup: async () => ({ op, runner: await RUNNERS[runtime](await program()) }),
    run: async (state, iterations) => parseElapsed(await state.runner.run([state.op, String(iterations)])),
    teardown: (state) => state.runner.close(),
  };
}

export const configs: readonly BenchConfig[] = OPS.flatMap((op) => RUNTIMES.map((runtime) => config(op, runtime)));

/** The acceptance goals some webmach / node-wasi ratios carry in their names. */
const GOALS: Partial<Readonly<Record<Op, string>>> = { commpage: 'goal <= 1.5', 'write-devnull': 'goal <= 3' };

function ratio(op: Op, versus: RuntimeName): RatioSpec {
  const goal = versus === 'node-wasi' ? GOALS[op] : undefined;
  return {
    name: `${op}/webmach / ${op}/${versus}${goal === undefined ? '' : ` (${goal})`}`,
    numerator: { config: `${op}/webmach` },
    denominator: { config: `${op}/${versus}` },
  };
}

export const ratios: readonly RatioSpec[] = [
  ratio('commpage', 'node-wasi'),
  ratio('write-devnull', 'node-wasi'),
  ...OPS.filter((op) => GOALS[op] === undefined).map((op) => ratio(op, 'node-wasi')),
  ...OPS.map((op) => ratio(op, 'wasmer')),
];

export const experiment: Experiment = {
  name: 'syscall',
  description: 'one system call of each kind, the same program under webmach, node:wasi and @wasmer/wasi',
  params: SYSCALL_PARAMS,
  configs,
  ratios,
};
