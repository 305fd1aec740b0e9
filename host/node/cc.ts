// `webmach cc`: compile ordinary POSIX C for webmach. It runs Debian's clang for wasm32-wasi over a
// clean sysroot holding only wasi-libc (Debian puts it in /usr/{include,lib}/wasm32-wasi, and clang
// with no sysroot would also see the host's glibc headers), with webmach's headers first
// (sdk/include: <spawn.h>, <sys/wait.h>, and what <unistd.h>, <fcntl.h> and <signal.h> lack in
// wasi-libc) and, when it links, webmach's C library (sdk/lib, compiled in the same command) and
// wasi-libc's signal emulation. Every argument goes
// to clang as it is: `webmach cc prog.c -o prog.wasm`, `-O2`, `-c`, `-Wall`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './options.js';

const SDK = fileURLToPath(new URL('../../../sdk/', import.meta.url));
const WASI_LIBC = { include: '/usr/include/wasm32-wasi', lib: '/usr/lib/wasm32-wasi' };
const INSTALL = 'apt-get install clang lld wasi-libc libclang-rt-dev-wasm32';
/** Compilers tried in order when $WEBMACH_CC does not name one. */
const COMPILERS = ['clang', 'clang-19', 'clang-18', 'clang-17', 'clang-16', 'clang-15', 'clang-14'];

/** Arguments that stop clang before linking: then webmach's library is not compiled in. */
const NO_LINK = new Set(['-c', '-S', '-E', '-M', '-MM', '-fsyntax-only', '--version', '-v']);

function found(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The compiler to run, or a usage error saying what to install. */
function compiler(): string {
  const given = process.env.WEBMACH_CC;
  if (given) {
    if (!found(given)) throw new UsageError(`webmach cc: WEBMACH_CC=${given} does not run`, 1);
    return given;
  }
  const cc = COMPILERS.find(found);
  if (!cc) throw new UsageError(`webmach cc: no clang found (on Debian: ${INSTALL})`, 1);
  if (!existsSync(join(WASI_LIBC.include, 'stdio.h'))) throw new UsageError(`webmach cc: wasi-libc is not installed (on Debian: ${INSTALL})`, 1);
  return cc;
}

/** A temporary sysroot with only wasi-libc in it; removed by the returned function. */
function sysroot(): [string, () => void] {
  const root = mkdtempSync(join(tmpdir(), 'webmach-sysroot-'));
  mkdirSync(join(root, 'include'));
  mkdirSync(join(root, 'lib'));
  symlinkSync(WASI_LIBC.include, join(root, 'include', 'wasm32-wasi'));
  symlinkSync(WASI_LIBC.lib, join(root, 'lib', 'wasm32-wasi'));
  return [root, () => rmSync(root, { recursive: true, force: true })];
}

/** webmach's C library sources (compiled into every program that links). */
function librarySources(): string[] {
  const lib = join(SDK, 'lib');
  return readdirSync(lib).filter((f) => f.endsWith('.c')).sort().map((f) => join(lib, f));
}

/** Run clang for wasm32-wasi with webmach's headers and library; returns clang's exit status. */
export function cc(argv: string[]): number {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`usage: webmach cc [CLANG ARGUMENTS...] (e.g. webmach cc prog.c -o prog.wasm)\n` +
      `Compiles C for webmach: clang --target=wasm32-wasi over wasi-libc, with webmach's headers and C library\n` +
      `(posix_spawn, waitpid, dup, dup2, fcntl, getppid). Needs ${INSTALL.replace('apt-get install ', '')} (Debian).\n`);
    return 0;
  }
  if (argv.length === 0) throw new UsageError('webmach cc: no input files (try webmach cc --help)');
  const clang = compiler();
  const [root, remove] = sysroot();
  try {
    const links = !argv.some((a) => NO_LINK.has(a));
    // The function table is exported so the task library can call the signal dispatcher (sdk/lib/signal.c).
    const library = links ? [...librarySources(), '-lwasi-emulated-signal', '-Wl,--export-table'] : [];
    const args = ['--target=wasm32-wasi', `--sysroot=${root}`, '-isystem', join(SDK, 'include'), ...argv, ...library];
    const r = spawnSync(clang, args, { stdio: 'inherit' });
    if (r.error) throw new UsageError(`webmach cc: cannot run ${clang}: ${r.error.message}`, 1);
    return r.status ?? 1;
  } finally {
    remove();
  }
}
