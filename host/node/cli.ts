// The webmach command line: `webmach run [OPTIONS] PROGRAM.wasm [ARGS...]` boots a machine, runs the
// program as a task (host directories mounted with --dir) and exits with its status. Errors a user
// can cause get one line on stderr and an exit code: 2 usage, 126 a file that cannot run (not Wasm, missing imports), 127 a file that does not exist.
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './serve.js';
import { Machine } from '../machine.js';
import { NodePlatform } from './platform.js';
import { compileProgram, ProgramError } from '../../libsystem/imports.js';
import type { MountSpec } from '../../personality/interfaces/process.js';
import { SIGNAL_NAMES, SIGPIPE } from '../../personality/interfaces/errno.js';
import { shellCode, type ExitStatus } from '../../personality/interfaces/exit.js';

const VERSION = '0.1.0';
const USAGE = `usage: webmach run [OPTIONS] PROGRAM.wasm [--] [ARGS...]
       webmach serve [--port N]
       webmach --help | --version

run options:
  --dir HOST[::GUEST][:ro]  mount host directory HOST at GUEST (default: HOST) and preopen it;
                            a trailing :ro mounts it read-only. Without --dir the program sees
                            only webmach's in-memory file system (preopened as /). With GUEST
                            '.' (e.g. --dir .) relative paths resolve in HOST, as in wasmtime,
                            and the in-memory root is not preopened.
  --env KEY=VALUE           set an environment variable (repeatable)
  --inherit-env             pass webmach's own environment to the program (--env overrides)
  --trace                   print every call to stderr, strace-style (system calls with their
                            decoded arguments, and the calls the library serves itself)

serve: serves the browser page on 127.0.0.1 with the cross-origin isolation headers;
open the printed address (add ?program=/test/programs/hello.wasm&arg=A&env=K=V, and
&dir=/sandbox for a fresh in-memory directory there, &stdin=TEXT for standard input).

Runs a WebAssembly (WASI preview1) program as a task on the webmach microkernel.
Exit status: the program's; 128+N if a signal N ended it; 2 usage error;
126 the file is not a runnable WASI program; 127 the file does not exist.`;

class UsageError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

interface RunRequest {
  path: string;
  args: string[];
  env: string[];
  mounts: MountSpec[];
  trace: boolean;
}

/** `HOST[::GUEST][:ro]`: the host directory must exist. */
function parseDir(spec: string): MountSpec {
  const readOnly = spec.endsWith(':ro');
  const body = readOnly ? spec.slice(0, -3) : spec;
  const [host, guest = host] = body.split('::');
  if (!host || !guest) throw new UsageError(`webmach run: --dir expects HOST[::GUEST][:ro], got '${spec}'`, 2);
  if (/^\/+$/.test(guest)) throw new UsageError(`webmach run: --dir cannot mount over / (the in-memory root); choose a GUEST path such as /mnt`, 2);
  let isDir = false;
  try {
    isDir = statSync(host).isDirectory();
  } catch {
    throw new UsageError(`webmach run: --dir '${host}': no such directory`, 2);
  }
  if (!isDir) throw new UsageError(`webmach run: --dir '${host}': not a directory`, 2);
  return { host: resolve(host), guest, readOnly };
}

function parseRun(argv: string[]): RunRequest {
  const env: string[] = [];
  const mounts: MountSpec[] = [];
  let inherit = false;
  let trace = false;
  let i = 0;
  const value = (what: string) => {
    if (i + 1 >= argv.length) throw new UsageError(`webmach run: ${argv[i]} expects ${what}\n${USAGE}`, 2);
    return argv[++i];
  };
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const opt = argv[i];
    if (opt === '--') break;
    if (opt === '--env') {
      const kv = value('KEY=VALUE');
      if (!kv.includes('=')) throw new UsageError(`webmach run: --env expects KEY=VALUE, got '${kv}'`, 2);
      env.push(kv);
    } else if (opt === '--dir') mounts.push(parseDir(value('HOST[::GUEST][:ro]')));
    else if (opt === '--inherit-env') inherit = true;
    else if (opt === '--trace') trace = true;
    else throw new UsageError(`webmach run: unknown option '${opt}'\n${USAGE}`, 2);
  }
  if (argv[i] === '--') i++;
  const path = argv[i];
  if (!path) throw new UsageError(`webmach run: no program given\n${USAGE}`, 2);
  const rest = argv.slice(i + 1);
  const inherited = inherit ? Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`) : [];
  const given = new Set(env.map((kv) => kv.slice(0, kv.indexOf('='))));
  return {
    path,
    args: [basename(path), ...(rest[0] === '--' ? rest.slice(1) : rest)],
    env: [...inherited.filter((kv) => !given.has(kv.slice(0, kv.indexOf('=')))), ...env],
    mounts,
    trace,
  };
}

async function loadProgram(path: string): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`webmach: cannot open '${path}': ${reason}`, 127);
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

async function run(argv: string[]): Promise<number> {
  const req = parseRun(argv);
  const program = await loadProgram(req.path);
  const machine = await Machine.boot(new NodePlatform(), { trace: req.trace });
  const dump = () => process.stderr.write(`webmach: kernel threads\n${machine.describeThreads()}`);
  process.on('SIGUSR2', dump); // a debugging aid: `kill -USR2 <pid>` prints every thread's IPC state
  try {
    return exitCode(req.args[0], await machine.run(program, req.args, req.env, { mounts: req.mounts }));
  } catch (e) {
    throw new UsageError(`webmach: cannot run '${req.path}': ${e instanceof Error ? e.message : String(e)}`, 126);
  } finally {
    process.off('SIGUSR2', dump);
    process.stdin.destroy(); // if the program read stdin, stop reading it so webmach can exit
    await machine.shutdown();
  }
}

/** Serve the package root for the browser page until interrupted. */
async function serve(argv: string[]): Promise<number> {
  const port = argv[0] === '--port' ? Number(argv[1]) : 0;
  if (argv.length && (argv[0] !== '--port' || !Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new UsageError(`webmach serve: expected --port N\n${USAGE}`, 2);
  }
  const server = await serveStatic(fileURLToPath(new URL('../../../', import.meta.url)), port);
  process.stdout.write(`webmach: serving ${server.url}host/browser/index.html (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (command === '--version') {
    process.stdout.write(`webmach ${VERSION}\n`);
    return 0;
  }
  if (command === 'run') return run(rest);
  if (command === 'serve') return serve(rest);
  throw new UsageError(command ? `webmach: unknown command '${command}'\n${USAGE}` : USAGE, 2);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write((e instanceof UsageError ? e.message : `webmach: ${e instanceof Error ? e.stack : String(e)}`) + '\n');
    process.exitCode = e instanceof UsageError ? e.code : 1;
  },
);
