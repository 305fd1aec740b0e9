// Experiment `readwrite`: dean-armand-1992 section 5 (Tables 5-1 to 5-5, and what of 5-9 can be
// measured): webmach's reads and writes of cached data, served in the task through the page cache
// (issue 13's emulation-library fast path), against node:wasi's.
// One guest (bench/programs/readwrite.wasm) under webmach (files on its in-memory /tmp, and on a host
// mount for the file ops) and node:wasi (a host temp dir at /tmp), in the same run. Configs are
// `<op>/<runtime>`, the param is the bytes one op moves; run() returns the ns the program measured
// around its own loop. Ratio names carry issue 13's goals and the paper's figures for the same comparison.
import { guestModule, parseElapsed as parseGuestElapsed, webmachRunner, nodeWasiRunner, type Runner } from './guest.js';
import type { BenchConfig, Experiment, ParamSpec, RatioRef, RatioSpec, RunOutcome } from './harness.js';

export const RUNTIMES = ['webmach', 'webmach-hostfs', 'node-wasi'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** One op of the guest: the paper's table, what it does, the sizes it is run at. */
export interface Op {
  readonly name: string;
  readonly table: string;
  readonly text: string;
  readonly sizes: readonly number[];
  /** Bytes one op moves are reported as MB/s (10^6 bytes a second). */
  readonly throughput: boolean;
  /** It works on a file, so it runs on webmach's host mount too. */
  readonly files: boolean;
}

/** Table 5-4's sweep of read sizes. */
export const READ_SIZES = [512, 4096, 16384, 65536] as const;

export const OPS: readonly Op[] = [
  { name: 'copy-cached', table: '5-1', text: 'memcpy of 4 KiB between two buffers that stay in cache', sizes: [4096], throughput: true, files: false },
  { name: 'copy-uncached', table: '5-1', text: 'memcpy of 4 KiB from successive places in a 64 MiB buffer', sizes: [4096], throughput: true, files: false },
  { name: 'null-trap', table: '5-2', text: 'webmach.getpid(), answered by the task library from the commpage (elsewhere: a plain JS import)', sizes: [0], throughput: false, files: false },
  { name: 'trap', table: '5-2', text: 'webmach.sys_null(), a null round trip to the personality server (elsewhere: a plain JS import)', sizes: [0], throughput: false, files: false },
  { name: 'read', table: '5-3', text: 'sequential 64 KiB reads of a 16 MiB file', sizes: [65536], throughput: true, files: true },
  { name: 'write', table: '5-3', text: 'sequential 64 KiB writes over a 16 MiB file', sizes: [65536], throughput: true, files: true },
  { name: 'read-cached', table: '5-4', text: 'sequential reads of a 2 MiB file', sizes: READ_SIZES, throughput: true, files: true },
  { name: 'lseek', table: '5-5', text: 'lseek(fd, 0, SEEK_SET)', sizes: [0], throughput: false, files: true },
  { name: 'read1-lseek', table: '5-5', text: 'lseek to 0, then a 1-byte read', sizes: [1], throughput: false, files: true },
  { name: 'write1-lseek', table: '5-5', text: 'lseek to 0, then a 1-byte write', sizes: [1], throughput: false, files: true },
  { name: 'read-window', table: '5-5 text', text: 'a 4 KiB read after an lseek 60 KiB on (the paper: a new 64 KiB window each read; the window here spans the file)', sizes: [4096], throughput: true, files: true },
];

/** The experiment's default param; each op's own sizes override it. */
const PARAMS: ParamSpec = { unit: 'byte', sweep: { kind: 'list', values: [0] } };

/** bench/programs/readwrite.wasm, relative to dist/bench/. */
const PROGRAM_URL = new URL('../../bench/programs/readwrite.wasm', import.meta.url);
const PROGRAM_NAME = 'readwrite.wasm';

const RUNTIME_TEXT: Readonly<Record<RuntimeName, string>> = {
  webmach: 'webmach (files in its in-memory /tmp)',
  'webmach-hostfs': 'webmach (files on a host temp dir mounted at /mnt)',
  'node-wasi': 'node:wasi (/tmp: a host temp dir)',
};

/** Where the guest's file lives under each runtime. */
const FILE: Readonly<Record<RuntimeName, string>> = {
  webmach: '/tmp/readwrite',
  'webmach-hostfs': '/mnt/readwrite',
  'node-wasi': '/tmp/readwrite',
};

interface State {
  readonly op: Op;
  readonly size: number;
  readonly file: string;
  readonly runner: Runner;
}

const program = guestModule(PROGRAM_URL);

/** The elapsed ns the program printed (at least 1). */
export function parseElapsed(stdout: string): number {
  return parseGuestElapsed(stdout, PROGRAM_NAME);
}

const RUNNERS: Readonly<Record<RuntimeName, (module: WebAssembly.Module) => Promise<Runner>>> = {
  webmach: (module) => webmachRunner(module, PROGRAM_NAME),
  'webmach-hostfs': (module) => webmachRunner(module, PROGRAM_NAME, '/mnt'),
  'node-wasi': (module) => nodeWasiRunner(module, PROGRAM_NAME),
};

// ---- configs ----

/** The ns the program measured, with MB/s beside it for the ops that move data. */
async function runOp(state: State, iterations: number): Promise<RunOutcome> {
  const elapsedNs = parseElapsed(await state.runner.run([state.op.name, String(state.size), String(iterations), state.file]));
  if (!state.op.throughput) return elapsedNs;
  return { elapsedNs, counters: { 'MB/s': (state.size * iterations * 1e3) / elapsedNs } };
}

function config(op: Op, runtime: RuntimeName): BenchConfig<State> {
  return {
    name: `${op.name}/${runtime}`,
    description: `Table ${op.table}: ${op.text}; under ${RUNTIME_TEXT[runtime]}; timed by the program`,
    params: { unit: 'byte', sweep: { kind: 'list', values: op.sizes } },
    setup: async (_config, size) => ({ op, size, file: FILE[runtime], runner: await RUNNERS[runtime](await program()) }),
    run: runOp,
    teardown: (state) => state.runner.close(),
  };
}

/** The host mount runs only the ops that touch a file. */
const runtimesOf = (op: Op): readonly RuntimeName[] => (op.files ? RUNTIMES : RUNTIMES.filter((r) => r !== 'webmach-hostfs'));

export const configs: readonly BenchConfig[] = OPS.flatMap((op) => runtimesOf(op).map((runtime) => config(op, runtime)));

// ---- ratios: issue 13's goals and the paper's figures ----

/** `paper: Mach 3.0 / Mach 2.6 a, MiX / SVR4 b`: the kernelized system against its monolithic twin. */
const paper = (mach3: number, mach26: number, mix: number, svr4: number): string =>
  `paper: Mach 3.0 / 2.6 ${(mach3 / mach26).toFixed(2)}, MiX / SVR4 ${(mix / svr4).toFixed(2)}`;

function versus(name: string, size: number | undefined, denominator: RuntimeName, note: string): RatioSpec {
  return {
    name: `${name}${size === undefined ? '' : `@${size}`}: webmach / ${denominator} (${note})`,
    numerator: { config: `${name}/webmach`, param: size },
    denominator: { config: `${name}/${denominator}`, param: size },
  };
}

/** `config` or `config@param` (default: the config's smallest param). */
function ref(text: string): RatioRef {
  const [config, param] = text.split('@');
  return { config: config!, param: param === undefined ? undefined : Number(param) };
}

function within(label: string, numerator: string, denominator: string, note: string): RatioSpec {
  return { name: `${label} (${note})`, numerator: ref(numerator), denominator: ref(denominator) };
}

export const ratios: readonly RatioSpec[] = [
  // Table 5-1: the floor. Paper: uncached / cached bcopy of 4096 bytes, HP Vectra 379/184, Compaq 615/265.
  within('copy uncached / cached, webmach', 'copy-uncached/webmach', 'copy-cached/webmach', 'paper: HP 2.06, Compaq 2.32'),
  versus('copy-cached', undefined, 'node-wasi', 'same code, same engine: expect 1.00'),
  // Table 5-2: getpid 40 us (Mach 3.0 null trap), 61 us (trap to Unix); MiX 36 / 119; SVR4 85.
  within('null trap / trap to server, webmach', 'null-trap/webmach', 'trap/webmach', 'paper: Mach 3.0 0.66, MiX 0.30'),
  versus('trap', undefined, 'node-wasi', `trap to Unix, ${paper(61, 61, 119, 85)}`),
  versus('null-trap', undefined, 'node-wasi', `null trap, ${paper(40, 61, 36, 85)}`),
  // Table 5-3: per 4 KiB page, read 12.5 / 12.5 ms and 14.8 / 14.8; write 13.3 / 12.5 and 16.0 / 16.0.
  versus('read', undefined, 'node-wasi', `time, ${paper(12.5, 12.5, 14.8, 14.8)}`),
  versus('write', undefined, 'node-wasi', `time, ${paper(13.3, 12.5, 16.0, 16.0)}`),
  // Table 5-4: cached read of 4 KiB, 900 / 900 us and 1100 / 1300 us.
  versus('read-cached', 4096, 'node-wasi', `time, goal <= 1.0 (throughput >= 1.0x); ${paper(900, 900, 1100, 1300)}`),
  ...READ_SIZES.filter((s) => s !== 4096).map((s) => versus('read-cached', s, 'node-wasi', 'time')),
  // Table 5-5: lseek 95 / 79 and 155 / 121 us; 1-byte read 210 / 390 and 710 / 630; write 200 / 380 and 720 / 420.
  versus('lseek', undefined, 'node-wasi', `time, goal <= 1.0; ${paper(95, 79, 155, 121)}`),
  versus('read1-lseek', undefined, 'node-wasi', `time, goal <= 1.0; ${paper(210, 390, 710, 630)}`),
  versus('write1-lseek', undefined, 'node-wasi', `time, ${paper(200, 380, 720, 420)}`),
  // Section 5 after Table 5-5: lseek + a 4 KiB read in a new window each time, 2250 us against 900 for Mach 3.0.
  within('window change: read-window / read-cached@4096, webmach', 'read-window/webmach', 'read-cached/webmach@4096', 'paper: Mach 3.0 2250 / 900 = 2.50, with its lseek'),
  // Table 5-9: shares of the cached 4 KiB read. Paper (cached read 900 us): trap to Unix 61, bcopy 184.
  within('5-9: trap to server / read-cached@4096, webmach', 'trap/webmach', 'read-cached/webmach@4096', 'paper: Mach 3.0 61 / 900 = 0.07'),
  within('5-9: copy-cached / read-cached@4096, webmach', 'copy-cached/webmach', 'read-cached/webmach@4096', 'paper: Mach 3.0 184 / 900 = 0.20'),
  // The host mount against the in-memory file system, for the 4 KiB cached read.
  within('read-cached@4096: webmach-hostfs / webmach', 'read-cached/webmach-hostfs@4096', 'read-cached/webmach@4096', 'no paper figure'),
];

export const experiment: Experiment = {
  name: 'readwrite',
  description: 'dean-armand-1992 Tables 5-1 to 5-5 and 5-9: copy, traps, read and write paths, the same program under webmach and node:wasi',
  params: PARAMS,
  configs,
  ratios,
};
