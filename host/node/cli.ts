// The webmach command line: `webmach [run] [OPTIONS] PROGRAM.wasm [ARGS...]` boots a machine, runs the
// program as a task (host directories mounted with --dir) and exits with its status; `webmach sh`
// runs the system's shell from /bin the same way; `webmach cc`
// compiles C for it (cc.ts); `webmach serve` serves the browser page. Options follow wasmtime's habits (options.ts). Errors a user can cause get
// one line on stderr and an exit code: 2 usage, 126 a file that cannot run (not Wasm, missing imports),
// 127 a file that does not exist, 1 a host error. SIGINT, SIGTERM and SIGHUP stop the machine's workers
// and end webmach by that signal, however the program is blocked (a shell shows 128+N); under npm
// (npx), so does losing its parent, as SIGHUP. When standard input is a terminal, webmach puts it in
// raw mode (restored on every way out) and runs its own line discipline: keys like ^C and ^Z reach
// the machine's foreground process group, not webmach. With WEBMACH_LEAK_CHECK=1 (the tests set it),
// a run ends by checking that the machine holds what it held before the program (leakCheck).
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HINT, UsageError, parseRun, type RunRequest } from './options.js';
import { unpackBootImage } from '../../abi/bootimage.js';
import { Machine, type Census } from '../machine.js';
import { NodePlatform } from './platform.js';
import { compileProgram, ProgramError } from '../../libsystem/imports.js';
import { SIGNAL_NAMES, SIGPIPE } from '../../abi/errno.js';
import { shellCode, type ExitStatus } from '../../abi/exit.js';

const PACKAGE_ROOT = new URL('../../../', import.meta.url);
const VERSION = (JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }).version;
const USAGE = `usage: webmach [run] [OPTIONS] PROGRAM.wasm [ARGS...]
       webmach sh [OPTIONS] [-c COMMANDS | SCRIPT] [ARGS...]
       webmach cc [CLANG ARGUMENTS...]
       webmach serve [--port N]
       webmach --help | --version

run options (before the program; every argument after it goes to the program as it is):
  --dir HOST[::GUEST][:ro]  mount host directory HOST at GUEST (default: HOST) and preopen it;
                            a trailing :ro mounts it read-only. Without --dir the program sees
                            only webmach's in-memory file system (preopened as /). GUEST / makes
                            HOST the program's root (webmach's devices stay at /dev); GUEST '.'
                            (e.g. --dir .) resolves relative paths in HOST, as in wasmtime.
  --env NAME=VALUE          set an environment variable (repeatable); --env NAME passes
                            webmach's own value of NAME, if it has one
  --inherit-env             pass webmach's own environment to the program (--env overrides);
                            also -S inherit-env, as in wasmtime
  --argv0 NAME              the program's argv[0] (default: the file name of PROGRAM.wasm)
  --trace                   print every call to stderr, strace-style (system calls with their
                            decoded arguments, and the calls the library serves itself)
  Options also take their value after '=' (--dir=HOST, --env=NAME=VALUE).

sh: runs the system's shell, /bin/sh, with the run options above (e.g. --dir .::/work, where
it then starts); webmach sh -c 'echo hi | wc -c' runs one command line. The system's programs
are in /bin (ls, cat, grep, sort, wc, ...).

cc: compiles C for webmach (clang for wasm32-wasi with webmach's headers and C library:
posix_spawn, waitpid, dup, dup2, fcntl, getppid); e.g. webmach cc prog.c -o prog.wasm.

serve: serves the browser page on 127.0.0.1 with the cross-origin isolation headers;
open the printed address (add ?program=/test/programs/hello.wasm&arg=A&env=K=V, and
&dir=/sandbox for a fresh in-memory directory there, &stdin=TEXT for standard input).

Runs a WebAssembly (WASI preview1) program as a task on the webmach microkernel.
Exit status: the program's; 128+N if a signal N ended it; 2 usage error;
126 the file is not a runnable WASI program; 127 the file does not exist; 1 a host error.`;

/** Why a program file cannot be read, and the exit code a shell would give. */
function unreadable(e: NodeJS.ErrnoException): [string, number] {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return ['no such file', 127];
  if (e.code === 'EISDIR') return ['is a directory', 126];
  if (e.code === 'EACCES') return ['permission denied', 126];
  return [e.message, 126];
}

async function loadProgram(path: string): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const [reason, code] = unreadable(e as NodeJS.ErrnoException);
    throw new UsageError(`webmach: cannot open '${path}': ${reason}`, code);
  }
  try {
    return await compileProgram(bytes);
  } catch (e) {
    if (e instanceof ProgramError) throw new UsageError(`webmach: cannot run '${path}': ${e.reason}`, 126);
    throw e;
  }
}

/** The exit code a shell would show, and a line for stderr when a signal ended the program. */
function exitCode(name: string, status: ExitStatus): number {
  if (!('code' in status) && status.signal !== SIGPIPE) { // as shells do, a broken pipe ends quietly
    process.stderr.write(`webmach: ${name}: terminated by ${SIGNAL_NAMES[status.signal] ?? `signal ${status.signal}`} (${status.reason})\n`);
  }
  return shellCode(status);
}

const TERMINATING: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long stopping may take before webmach ends anyway. */
const STOP_GRACE_MS = 2000;

/**
 * Until the returned function is called, a terminating signal runs `stop` (which ends the machine's
 * workers) and then ends webmach by that same signal, its default action, so the parent sees how it
 * ended. Threads blocked in Atomics.wait never look at their event loop: dying by the signal ends
 * them with the process, where an exit would wait for them.
 */
function endBySignals(stop: () => Promise<void>, signals = TERMINATING): () => void {
  const parent = process.ppid;
  // npm (npx, npm run) runs webmach under an sh and forwards SIGTERM to that sh alone, which dies and
  // would leave webmach running without its parent: under npm, losing the parent ends it as SIGHUP.
  const orphaned = process.env.npm_lifecycle_event ? setInterval(() => process.ppid !== parent && onSignal('SIGHUP'), 250).unref() : undefined;
  const forget = () => {
    signals.forEach((s) => process.off(s, onSignal));
    clearInterval(orphaned);
  };
  function onSignal(signal: NodeJS.Signals): void {
    forget(); // a second signal meanwhile takes its default action at once
    const die = () => process.kill(process.pid, signal);
    setTimeout(die, STOP_GRACE_MS);
    stop().then(die, die);
  }
  signals.forEach((s) => process.on(s, onSignal));
  return forget;
}

async function run(argv: string[]): Promise<number> {
  const req = parseRun(argv);
  if (req === 'help') return help();
  return execute(req, () => loadProgram(req.path));
}

/** A program of the system's own /bin, from the boot image. */
async function systemProgram(name: string): Promise<WebAssembly.Module> {
  const image = unpackBootImage(await new NodePlatform().loadBootImage());
  const file = image.files.find((f) => f.name === name);
  if (!file) throw new UsageError(`webmach: the system has no /bin/${name}`, 127);
  return compileProgram(file.bytes.slice());
}

/**
 * `webmach sh [OPTIONS] [ARGS...]`: the system's shell, /bin/sh, with PATH and HOME set unless --env
 * sets them, started in the first directory mounted at a guest path other than / (else in /).
 */
async function sh(argv: string[]): Promise<number> {
  const req = parseRun(argv, 'sh');
  if (req === 'help') return help();
  const set = new Set(req.env.map((e) => e.slice(0, e.indexOf('='))));
  req.env.unshift(...['PATH=/bin', 'HOME=/'].filter((e) => !set.has(e.slice(0, e.indexOf('=')))));
  const cwd = req.mounts.find((m) => m.guest.startsWith('/') && m.guest !== '/')?.guest ?? '/';
  return execute(req, () => systemProgram('sh'), cwd);
}

/** The terminal's window size (stdout's, when it is the terminal too). */
function windowSize(): { rows: number; cols: number } {
  return { rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 };
}

/**
 * Put standard input, a terminal, in raw mode: webmach's own line discipline edits lines and turns
 * ^C, ^\ and ^Z into signals for the machine's foreground group. The returned function puts it back
 * (once; also when webmach exits any other way, an uncaught error included; the signal path calls it).
 */
function rawTerminal(): () => void {
  const stdin = process.stdin;
  stdin.setRawMode(true);
  let raw = true;
  const restore = () => {
    if (!raw) return;
    raw = false;
    process.off('exit', restore);
    if (!stdin.destroyed) stdin.setRawMode(false);
  };
  process.on('exit', restore);
  return restore;
}

/**
 * Boot a machine, run the program `load` gives as `req` says, and give its exit code. On a terminal
 * the machine runs its line discipline (see rawTerminal).
 */
async function execute(req: RunRequest, load: () => Promise<WebAssembly.Module>, cwd = '/'): Promise<number> {
  const terminal = process.stdin.isTTY === true;
  // The machine's workers start while the program is read and compiled (both take tens of ms).
  const booting = Machine.boot(new NodePlatform(), { trace: req.trace, terminal: terminal ? windowSize() : undefined });
  const program = await load().catch(async (e: unknown) => {
    await (await booting.catch(() => undefined))?.shutdown();
    throw e;
  });
  const machine = await booting;
  const restoreTerminal = terminal ? rawTerminal() : () => {};
  const resized = () => machine.resize(windowSize().rows, windowSize().cols);
  process.stdout.on('resize', resized);
  const forgetSignals = endBySignals(() => {
    restoreTerminal();
    return machine.shutdown();
  });
  const dump = () => process.stderr.write(`webmach: kernel threads\n${machine.describeThreads()}`);
  process.on('SIGUSR2', dump); // a debugging aid: `kill -USR2 <pid>` prints every thread's IPC state
  const idle = process.env.WEBMACH_LEAK_CHECK === '1' ? await machine.census() : undefined;
  try {
    const status = await machine.run(program, req.args, req.env, { mounts: req.mounts, cwd });
    restoreTerminal(); // before webmach's own line, if any
    return await leakCheck(machine, idle, exitCode(req.args[0], status));
  } catch (e) {
    throw new UsageError(`webmach: cannot run '${req.path}': ${e instanceof Error ? e.message : String(e)}`, 126);
  } finally {
    forgetSignals();
    restoreTerminal();
    process.stdout.off('resize', resized);
    process.off('SIGUSR2', dump);
    process.stdin.destroy(); // if the program read stdin, stop reading it so webmach can exit
    await machine.shutdown();
  }
}

/** How long the end of a run may take to give everything back before the leak check calls it a leak. */
const LEAK_SETTLE_MS = 5000;

/**
 * With WEBMACH_LEAK_CHECK=1: after the run, every process still running is ended, and the machine
 * must come back to `idle` (its census before the program); if not, a line on stderr and exit 125.
 */
async function leakCheck(machine: Machine, idle: Census | undefined, code: number): Promise<number> {
  if (!idle) return code;
  machine.endAll();
  let now = await machine.census();
  for (const until = performance.now() + LEAK_SETTLE_MS; JSON.stringify(now) !== JSON.stringify(idle) && performance.now() < until; ) {
    await new Promise((r) => setTimeout(r, 20));
    now = await machine.census();
  }
  if (JSON.stringify(now) === JSON.stringify(idle)) return code;
  process.stderr.write(`webmach: leak check: the machine holds ${JSON.stringify(now)} after the run, ${JSON.stringify(idle)} before\n`);
  return 125;
}

/** `--port N` or `--port=N`, 0-65535 (0: any free port). */
function parsePort(argv: string[]): number {
  const fail = () => new UsageError(`webmach serve: expected --port N (0-65535) ${HINT}`);
  if (argv.length === 0) return 0;
  const [option, inline] = argv[0].split(/=(.*)/s, 2);
  const value = inline ?? argv[1];
  if (option !== '--port' || argv.length !== (inline === undefined ? 2 : 1) || !/^\d+$/.test(value ?? '')) throw fail();
  const port = Number(value);
  if (port > 65535) throw fail();
  return port;
}

/** Serve the package root for the browser page until a terminating signal. */
async function serve(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') return help();
  const port = parsePort(argv);
  const { serveStatic } = await import('./serve.js'); // node:http only when serving: not on every run's start-up
  const server = await serveStatic(fileURLToPath(PACKAGE_ROOT), port).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new UsageError(`webmach serve: port ${port} is in use (choose another, or --port 0 for any free port)`, 1);
    if (e.code === 'EACCES') throw new UsageError(`webmach serve: not allowed to listen on port ${port} (choose one above 1023)`, 1);
    throw e;
  });
  process.stdout.write(`webmach: serving ${server.url}host/browser/index.html (Ctrl-C to stop)\n`);
  endBySignals(() => server.close());
  return new Promise<number>(() => undefined); // ends by a signal
}

function help(): number {
  process.stdout.write(USAGE + '\n');
  return 0;
}

/** A first argument that is no command but names a program: `webmach prog.wasm ARGS` or options first. */
function namesProgram(arg: string): boolean {
  if (arg.startsWith('-') || arg.includes('/') || arg.endsWith('.wasm')) return true;
  try {
    return statSync(arg).isFile();
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(USAGE);
  if (command === '--help' || command === '-h' || command === 'help') return help();
  if (command === '--version' || command === '-V') {
    process.stdout.write(`webmach ${VERSION}\n`);
    return 0;
  }
  if (command === 'run') return run(rest);
  if (command === 'serve') return serve(rest);
  if (command === 'sh') return sh(rest);
  if (command === 'cc') return (await import('./cc.js')).cc(rest); // node:child_process only when compiling
  if (namesProgram(command)) return run(argv);
  throw new UsageError(`webmach: '${command}' is neither a command nor a file ${HINT}`);
}

/** One line for a host error (a Node error with a code); a stack only for what must be a bug. */
function describe(e: unknown): string {
  if (e instanceof UsageError) return e.message;
  if (e instanceof Error && (e as NodeJS.ErrnoException).code) return `webmach: ${e.message}`;
  return `webmach: ${e instanceof Error ? e.stack : String(e)}`;
}

// webmach's own lines (help, version, serve's address) into a closed pipe end quietly, as a shell's tools do.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => stream.destroy());

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(describe(e) + '\n');
    process.exitCode = e instanceof UsageError ? e.code : 1;
  },
);
