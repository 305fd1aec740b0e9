// Experiments `mig` and `inks`: Mach RPC through its three bindings, one program
// (bench/programs/inks/inks.c, committed as inks.wasm) timing its own loop in a booted machine.
// - inks (lepreau-1993 Table 3): a Null RPC, 64 bytes in, 1 KiB in, 1 KiB out and 128 bytes in and
//   out, to a server by the full Mach message (another process, through the personality server), by
//   a direct call to its serving thread (one kernel IPC, no personality server) and colocated (the
//   same server code in the caller). Goals: direct <= 0.66x full message, colocated <= 0.33x.
// - mig (birch-2005 Table 7.1): task_info by a MIG message to the task port, against the direct
//   routine (the arguments in message registers, one call to the server). Goal: <= 0.66x.
// Each ratio's name carries the paper's figure for the same comparison.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../host/machine.js';
import { CapturePlatform } from '../host/node/capture.js';
import { shellCode } from '../abi/exit.js';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec } from './harness.js';

const PROGRAMS = fileURLToPath(new URL('../../bench/programs/inks/', import.meta.url));
const PARAMS: ParamSpec = { unit: 'call', sweep: { kind: 'list', values: [0] } };

/** The INKS program in a booted machine: run(args) resolves with the ns it printed. */
interface Runner {
  run(args: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

async function webmach(): Promise<Runner> {
  const platform = new CapturePlatform();
  const machine = await Machine.boot(platform, { spareWorkers: 2 });
  const module = await WebAssembly.compile(await readFile(join(PROGRAMS, 'inks.wasm')));
  const mounts = [{ guest: '/progs', host: PROGRAMS, readOnly: true }];
  return {
    async run(args) {
      platform.clear();
      const status = await machine.run(module, ['inks', 'bench', ...args, '/progs/inks.wasm'], [], { mounts });
      if (shellCode(status) !== 0) throw new Error(`inks ${args.join(' ')} ended with ${JSON.stringify(status)}: ${platform.out[2]}`);
      if (!/^\d+\n$/.test(platform.out[1])) throw new Error(`inks printed ${JSON.stringify(platform.out[1])}, not a count of ns`);
      return Math.max(1, Number(platform.out[1]));
    },
    close: () => machine.shutdown(),
  };
}

const BINDING_TEXT: Readonly<Record<string, string>> = {
  message: 'by the full Mach message, to a server in another process',
  direct: "by a direct call to the server's serving thread (one kernel IPC)",
  colocated: 'colocated: the same server code in the caller',
};

function config(op: string, binding: string, what: string, how = BINDING_TEXT[binding]): BenchConfig<Runner> {
  return {
    name: `${op}/${binding}`,
    description: `${what}, ${how}; timed by the program`,
    setup: webmach,
    run: (runner, iterations) => runner.run([op, binding, String(iterations)]),
    teardown: (runner) => runner.close(),
  };
}

/** lepreau-1993 Table 3: cycles (Unoptimized, INKS message, INKS trap). */
const TABLE_3: ReadonlyArray<[string, string, number, number, number]> = [
  ['null', 'Null RPC', 2312, 2220, 656],
  ['in64', '64 bytes in', 2555, 2462, 830],
  ['in1k', '1 KiB in', 5843, 5890, 1791],
  ['out1k', '1 KiB out', 8366, 7512, 2741],
  ['inout128', '128 bytes in and out', 3385, 3291, 1122],
];

const ratio = (a: number, b: number) => (a / b).toFixed(2);

export const inks: Experiment = {
  name: 'inks',
  description: 'lepreau-1993 Table 3: five small RPCs through the full Mach message, a direct call to the serving thread and a colocated server',
  params: PARAMS,
  configs: TABLE_3.flatMap(([op, what]) => ['message', 'direct', 'colocated'].map((b) => config(op, b, what))),
  ratios: TABLE_3.flatMap(([op, , unoptimized, message, trap]): RatioSpec[] => [
    { name: `${op}: direct / message (goal <= 0.66; paper: trap / unoptimized ${ratio(trap, unoptimized)})`, numerator: { config: `${op}/direct` }, denominator: { config: `${op}/message` } },
    { name: `${op}: colocated / message (goal <= 0.33; paper: trap / INKS message ${ratio(trap, message)})`, numerator: { config: `${op}/colocated` }, denominator: { config: `${op}/message` } },
  ]),
};

export const mig: Experiment = {
  name: 'mig',
  description: 'birch-2005 Table 7.1: task_info by a MIG message to the task port against the direct routine',
  params: PARAMS,
  configs: [
    config('task_info', 'message', 'task_info (MACH_TASK_BASIC_INFO) of the own task', 'by a MIG message to the task port (msg_task_info)'),
    config('task_info', 'direct', 'task_info (MACH_TASK_BASIC_INFO) of the own task', 'by the direct routine (arguments in message registers, one call)'),
  ],
  ratios: [{ name: `task_info: direct / message (goal <= 0.66; paper: ${ratio(3970, 6023)})`, numerator: { config: 'task_info/direct' }, denominator: { config: 'task_info/message' } }],
};
