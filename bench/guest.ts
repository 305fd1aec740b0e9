// What the experiments that run one guest program under several runtimes share (`syscall`,
// `readwrite`): running it under webmach (one booted Machine for every run of a config, optionally
// with a host temp dir mounted) and under node:wasi (host temp dirs preopened), and reading the ns
// the program printed about its own loop. Each run resolves with the program's stdout.
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI as NodeWasi } from 'node:wasi';
import { Machine } from '../host/machine.js';
import { CapturePlatform } from '../host/node/capture.js';
import { shellCode } from '../abi/exit.js';
import { compileProgram } from '../libsystem/imports.js';

/** One runtime able to run the program: resolves with what it printed on stdout, rejects if it failed. */
export interface Runner {
  run(args: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

/** What the program's `webmach` imports are outside webmach: plain JS functions. */
export const PLAIN_WEBMACH_IMPORTS = { sys_null: (): number => 0, getpid: (): number => 1 };

/** The guest at `url`, compiled once (as webmach loads programs) at the first call. */
export function guestModule(url: URL): () => Promise<WebAssembly.Module> {
  let compiled: Promise<WebAssembly.Module> | undefined;
  return () => (compiled ??= readFile(url).then((bytes) => compileProgram(new Uint8Array(bytes))));
}

/** stdout of a run that exited 0; otherwise an error carrying the status and stderr. */
export function succeeded(program: string, runtime: string, code: number, stdout: string, stderr: string): string {
  if (code !== 0) throw new Error(`${program} under ${runtime} exited with ${code}: ${stderr.trim() || '(no stderr)'}`);
  return stdout;
}

/**
 * The elapsed ns the program printed. A run shorter than the guest clock's resolution (1 ms under
 * @wasmer/wasi) reads 0; it counts as 1 ns so that calibration grows the iteration count.
 */
export function parseElapsed(stdout: string, program = 'the program'): number {
  if (!/^\d+\n$/.test(stdout)) throw new Error(`${program} printed ${JSON.stringify(stdout)}, not a count of ns`);
  return Math.max(1, Number(stdout));
}

/** webmach, one Machine for every run; with `mountAt`, a host temp dir mounted there (read-write). */
export async function webmachRunner(module: WebAssembly.Module, program: string, mountAt?: string): Promise<Runner> {
  const platform = new CapturePlatform();
  const machine = await Machine.boot(platform);
  const dir = mountAt === undefined ? undefined : await mkdtemp(join(tmpdir(), 'webmach-bench-'));
  const mounts = dir === undefined || mountAt === undefined ? [] : [{ guest: mountAt, host: dir, readOnly: false }];
  return {
    async run(args) {
      platform.clear();
      const status = await machine.run(module, [program, ...args], [], { mounts });
      return succeeded(program, 'webmach', shellCode(status), platform.out[1], 'reason' in status ? status.reason : platform.out[2]);
    },
    async close() {
      await machine.shutdown();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * node:wasi's imports, each called through a JS function. Node 20.20 corrupts its heap (a segfault
 * within seconds, in a later JS property load) when a program calls its WASI functions directly,
 * in some 15-30 runs a process; through JS wrappers it ran clean. The wrapper adds one JS call to
 * each node:wasi call, a few ns against its 100 ns-1 us calls: it favours webmach's ratios by that much.
 */
function nodeWasiImports(wasi: NodeWasi): WebAssembly.ModuleImports {
  const direct = wasi.wasiImport as Record<string, (...args: unknown[]) => number>;
  return Object.fromEntries(Object.entries(direct).map(([name, f]) => [name, (...args: unknown[]): number => f(...args)]));
}

/** node:wasi with a host temp dir preopened at /tmp, and the host's `/dev` at /dev when `dev`. */
export async function nodeWasiRunner(module: WebAssembly.Module, program: string, dev = false): Promise<Runner> {
  const dir = await mkdtemp(join(tmpdir(), 'webmach-bench-'));
  const stdoutPath = join(dir, 'stdout');
  return {
    async run(args) {
      const stdout = await open(stdoutPath, 'w+');
      try {
        const preopens: Record<string, string> = dev ? { '/tmp': dir, '/dev': '/dev' } : { '/tmp': dir };
        const wasi = new NodeWasi({ version: 'preview1', args: [program, ...args], env: {}, preopens, stdout: stdout.fd, returnOnExit: true });
        const imports = { wasi_snapshot_preview1: nodeWasiImports(wasi), webmach: PLAIN_WEBMACH_IMPORTS };
        const code = wasi.start(await WebAssembly.instantiate(module, imports));
        return succeeded(program, 'node-wasi', code, await readFile(stdoutPath, 'utf8'), "(on this process's stderr)");
      } finally {
        await stdout.close();
      }
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
