// posix_spawn and execve (XNU's kern_exec.c): find the program in the VFS relative to a descriptor
// (for a "#!" script, its interpreter), read and compile it (the call sleeps meanwhile: compiling is
// asynchronous; a file compiled before and unchanged since is not compiled again). A spawn applies
// the file actions in order, as the child would, to a copy of the caller's descriptors, closes the
// close-on-exec ones, and has the process manager make the child, in the caller's working directory; an exec
// has it replace the caller's program. A file that is not a runnable WASI program is ENOEXEC.
import { EACCES, EINVAL, EIO, ENOENT, ENOEXEC, EPERM, NSIG } from '../../abi/errno.js';
import { UNBLOCKABLE, sigbit, type SigState } from './kern_sig.js';
import { SIG_DFL } from '../../abi/bsd.js';
import { groupInSession } from './sys_proc.js';
import { FILETYPE, RIGHT } from '../../abi/wasi.js';
import { compileProgram, ProgramError } from '../../libsystem/imports.js';
import { VfsError, type Vnode } from '../vfs/vnode.js';
import type { FdTable } from '../vfs/file.js';
import * as ops from '../vfs/ops.js';
import { Blocked } from './wait.js';
import { SpawnError } from './kern_proc.js';
import { openAt } from './sys_path.js';
import type { Request } from './syscalls.js';
import type { ExecveIn, PosixSpawnIn, PosixSpawnOut } from './bsd_server.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A program being loaded for a spawn or an exec: the call sleeps on it until it is ready or failed. */
interface Loading {
  module?: WebAssembly.Module;
  error?: unknown;
  /** The arguments it runs with (a script's: its interpreter's, then the script's path, then the rest). */
  args: string[];
}

/** NUL-terminated strings one after another (argv, envp); EINVAL when the last is not terminated or one is not UTF-8. */
function strings(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  if (bytes[bytes.length - 1] !== 0) throw new VfsError(EINVAL);
  try {
    return decoder.decode(bytes.slice(0, -1)).split('\0');
  } catch {
    throw new VfsError(EINVAL);
  }
}

/** The whole file `v` (a regular file; EACCES for anything else). */
function readAll(v: Vnode): Uint8Array<ArrayBuffer> {
  if (v.filetype !== FILETYPE.regularFile) throw new VfsError(EACCES);
  const bytes = new Uint8Array(Number(v.stat().size));
  for (let at = 0; at < bytes.length; ) {
    const n = v.read(at, bytes.subarray(at));
    if (n === 0) return bytes.subarray(0, at);
    at += n;
  }
  return bytes;
}

const ACTION_OPEN = 1;
const ACTION_CLOSE = 2;
const ACTION_DUP2 = 3;

/** Apply the file actions (records of 32-bit words, see abi/bsd.defs) to the child's table, in order. */
function applyActions(fds: FdTable, raw: Uint8Array): void {
  if (raw.length % 4 !== 0) throw new VfsError(EINVAL);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const word = (at: number) => {
    if (at + 4 > raw.length) throw new VfsError(EINVAL);
    return v.getUint32(at, true);
  };
  for (let at = 0; at < raw.length; ) {
    const kind = word(at);
    const fd = word(at + 4);
    if (kind === ACTION_CLOSE) {
      if (fds.lookup(fd)) fds.close(fd); // closing a descriptor that is not open is no error
      at += 8;
    } else if (kind === ACTION_DUP2) {
      fds.dup2(fd, word(at + 8), false);
      at += 12;
    } else if (kind === ACTION_OPEN) {
      const len = word(at + 28);
      if (at + 32 + len > raw.length) throw new VfsError(EINVAL);
      let path: string;
      try {
        path = decoder.decode(raw.slice(at + 32, at + 32 + len));
      } catch {
        throw new VfsError(EINVAL);
      }
      const rights = BigInt(word(at + 20)) | (BigInt(word(at + 24)) << 32n);
      const d = openAt(fds, { dirfd: word(at + 8), lookupflags: 1, path, oflags: word(at + 12), fdflags: word(at + 16), rights, inheriting: rights });
      const got = fds.install(d);
      if (got !== fd) {
        fds.dup2(got, fd, false);
        fds.close(got);
      }
      at += 32 + ((len + 3) & ~3);
    } else {
      throw new VfsError(EINVAL);
    }
  }
}

/**
 * Programs compiled before, by file (device and inode): used again while the file's size and
 * modification time are the same, so a shell spawning the same utilities pays for compiling each
 * once. The most recently used COMPILED_KEPT are kept.
 */
const compiled = new Map<string, { size: bigint; mtim: bigint; module: WebAssembly.Module }>();
const COMPILED_KEPT = 64;

function remember(key: string, entry: { size: bigint; mtim: bigint; module: WebAssembly.Module }): void {
  compiled.delete(key);
  compiled.set(key, entry);
  if (compiled.size > COMPILED_KEPT) compiled.delete(compiled.keys().next().value!);
}

/** `file`'s key in the cache, and its module if it was compiled before and has not changed since. */
function compiledBefore(file: Vnode): { key: string; size: bigint; mtim: bigint; module?: WebAssembly.Module } {
  const { dev, ino, size, mtim } = file.stat();
  const key = `${dev}:${ino}`;
  const entry = compiled.get(key);
  if (!entry || entry.size !== size || entry.mtim !== mtim) return { key, size, mtim };
  remember(key, entry);
  return { key, size, mtim, module: entry.module };
}

/** The bytes from the start of `v` up to `room`. */
function head(v: Vnode, room: number): Uint8Array {
  const bytes = new Uint8Array(room);
  return bytes.subarray(0, v.read(0, bytes));
}

/** "#!" scripts' first line (Linux reads up to 256 bytes): the interpreter and its one optional argument. */
const SCRIPT_LINE = 256;

function interpreterLine(v: Vnode): { interpreter: string; arg?: string } | undefined {
  if (v.filetype !== FILETYPE.regularFile) return undefined;
  const bytes = head(v, SCRIPT_LINE);
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return undefined; // "#!"
  const end = bytes.indexOf(0x0a);
  const line = new TextDecoder().decode(bytes.subarray(2, end < 0 ? bytes.length : end)).trim();
  const split = line.search(/[ \t]/);
  if (line === '') throw new VfsError(ENOEXEC);
  if (split < 0) return { interpreter: line };
  const arg = line.slice(split).trim();
  return { interpreter: line.slice(0, split), arg: arg === '' ? undefined : arg };
}

/** The name a path has in the program's tree: the preopen's name joined with the rest of the path. */
function programPath(fds: FdTable, dirfd: number, path: string): string {
  const name = fds.lookup(dirfd)?.preopen;
  if (name === undefined || name === '.' || name === '') return path;
  return name.endsWith('/') ? name + path : `${name}/${path}`;
}

/**
 * An absolute path as wasi-libc would resolve it in this process: under the preopen whose name is its
 * longest prefix ("." and "/" name the root), the last one given winning a tie.
 */
function resolveAbsolute(fds: FdTable, path: string): Vnode {
  const want = path.replace(/^\/+/, '');
  let best: { dir: Vnode; rest: string; length: number } | undefined;
  for (const { name, dir } of fds.preopens()) {
    const prefix = name.replace(/^(\.\/|\.$|\/)+/, '').replace(/\/+$/, '');
    const inside = prefix === '' || want === prefix || want.startsWith(prefix + '/');
    if (inside && (!best || prefix.length >= best.length)) best = { dir, rest: want.slice(prefix.length).replace(/^\/+/, '') || '.', length: prefix.length };
  }
  if (!best || !path.startsWith('/')) throw new VfsError(ENOENT);
  return ops.openPath(best.dir, best.rest, OPEN_PROGRAM);
}

const OPEN_PROGRAM = { follow: true, creat: false, excl: false, trunc: false, directory: false, write: false };

/**
 * Load the program at `path` (relative to `dirfd`) to run with `args`, waking the call when it is
 * compiled; at once if it was compiled before. A "#!" script loads its interpreter instead.
 */
function startLoading(r: Request, dirfd: number, path: string, args: string[]): Loading {
  const fds = r.proc.fds;
  let file = ops.openPath(fds.need(dirfd, RIGHT.pathOpen).file.vnode, path, OPEN_PROGRAM);
  let known = compiledBefore(file); // a program compiled before is no script: its first line need not be read
  const script = known.module ? undefined : interpreterLine(file);
  if (script) {
    file = resolveAbsolute(fds, script.interpreter);
    if (interpreterLine(file)) throw new VfsError(ENOEXEC); // an interpreter must be a program
    args = [script.interpreter, ...(script.arg === undefined ? [] : [script.arg]), programPath(fds, dirfd, path), ...args.slice(1)];
    known = compiledBefore(file);
  }
  const state: Loading = { args, module: known.module };
  if (state.module) return state;
  const { key, size, mtim } = known;
  compileProgram(readAll(file)).then(
    (module) => {
      state.module = module;
      remember(key, { size, mtim, module });
    },
    (error: unknown) => (state.error = error),
  ).finally(() => r.server.wakeup(state));
  return state;
}

/** The program a spawn or exec runs, once loaded (Blocked until then); ENOEXEC for a file that is not one. */
function loaded(r: Request, a: { dirfd: number; path: string; argv: Uint8Array; cwd: string }): Loading & { module: WebAssembly.Module } {
  if (!a.cwd.startsWith('/')) throw new VfsError(EINVAL);
  const state = (r.state ??= startLoading(r, a.dirfd, a.path, strings(a.argv))) as Loading;
  if (state.error !== undefined) throw new VfsError(state.error instanceof ProgramError ? ENOEXEC : EIO);
  if (!state.module) throw new Blocked([state]);
  return state as Loading & { module: WebAssembly.Module };
}

/** The name a process is known by (ps): its program file's. */
function programName(path: string): string {
  return path.split('/').pop() || path;
}

const SPAWN_RESETIDS = 1;
const SPAWN_SETPGROUP = 2;
const SPAWN_SETSIGDEF = 4;
const SPAWN_SETSIGMASK = 8;
const SPAWN_USEVFORK = 0x40;
const SPAWN_SETSID = 0x80;
const SPAWN_FLAGS = SPAWN_RESETIDS | SPAWN_SETPGROUP | SPAWN_SETSIGDEF | SPAWN_SETSIGMASK | SPAWN_USEVFORK | SPAWN_SETSID;

/** The child's group, session and signal state as the spawn's attributes say (RESETIDS and USEVFORK change nothing here). */
function attributes(r: Request, a: PosixSpawnIn): { pgid?: number; newSession: boolean; sig: SigState } {
  if (a.flags & ~SPAWN_FLAGS) throw new VfsError(EINVAL);
  const sig = r.proc.sig.forChild();
  if (a.flags & SPAWN_SETSIGMASK) sig.blocked = a.sigmask & ~UNBLOCKABLE;
  if (a.flags & SPAWN_SETSIGDEF) for (let n = 1; n <= NSIG; n++) if (a.sigdefault & sigbit(n)) sig.actions[n] = SIG_DFL;
  const newSession = (a.flags & SPAWN_SETSID) !== 0;
  if (!(a.flags & SPAWN_SETPGROUP) || newSession) return { newSession, sig };
  if (a.pgroup < 0) throw new VfsError(EINVAL);
  if (a.pgroup !== 0 && !groupInSession(r, a.pgroup, r.proc.sid)) throw new VfsError(EPERM);
  return { pgid: a.pgroup, newSession, sig };
}

export function sysPosixSpawn(r: Request, a: PosixSpawnIn): PosixSpawnOut {
  const env = strings(a.envp);
  const { module, args } = loaded(r, a);
  const fds = r.proc.fds.inherit();
  try {
    applyActions(fds, a.actions);
    fds.closeOnExec(); // after the file actions, as POSIX orders them
    return { pid: r.server.pm.spawn({ program: module, name: programName(a.path), args, env, cwd: a.cwd, fds, ppid: r.proc.pid, parent: r.proc, ...attributes(r, a) }).pid };
  } catch (e) {
    fds.closeAll();
    if (e instanceof SpawnError) throw new VfsError(e.errno, e.message);
    throw e;
  }
}

/** execve: the process runs the new program from its start; the caller's library does not return. */
export function sysExecve(r: Request, a: ExecveIn): void {
  const env = strings(a.envp);
  const { module, args } = loaded(r, a);
  try {
    r.server.pm.exec(r.proc, { program: module, name: programName(a.path), args, env, cwd: a.cwd });
  } catch (e) {
    if (e instanceof SpawnError) throw new VfsError(e.errno, e.message);
    throw e;
  }
}
