// posix_spawn (XNU's kern_exec.c): find the program in the VFS relative to a descriptor, read and
// compile it (the call sleeps meanwhile: compiling is asynchronous; a file compiled before and
// unchanged since is not compiled again), give the child the caller's
// descriptors but the close-on-exec ones, apply the file actions in order as the child would, and
// have the process manager make the child, in the caller's working directory. A file that is not a
// runnable WASI program is ENOEXEC.
import { EACCES, EINVAL, EIO, ENOEXEC } from '../../abi/errno.js';
import { FILETYPE, RIGHT } from '../../abi/wasi.js';
import { compileProgram, ProgramError } from '../../libsystem/imports.js';
import { VfsError, type Vnode } from '../vfs/vnode.js';
import type { FdTable } from '../vfs/file.js';
import * as ops from '../vfs/ops.js';
import { Blocked } from './wait.js';
import { SpawnError } from './kern_proc.js';
import { openAt } from './sys_path.js';
import type { Request } from './syscalls.js';
import type { PosixSpawnIn, PosixSpawnOut } from './bsd_server.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A program being compiled for a spawn: the call sleeps on it until it is ready or failed. */
interface Compiling {
  module?: WebAssembly.Module;
  error?: unknown;
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

/** Compile the program at `path` (relative to `dirfd`), waking the call when done; at once if it was compiled before. */
function startCompiling(r: Request, a: PosixSpawnIn): Compiling {
  const dir = r.proc.fds.need(a.dirfd, RIGHT.pathOpen).file.vnode;
  const file = ops.openPath(dir, a.path, { follow: true, creat: false, excl: false, trunc: false, directory: false, write: false });
  const { dev, ino, size, mtim } = file.stat();
  const key = `${dev}:${ino}`;
  const known = compiled.get(key);
  if (known && known.size === size && known.mtim === mtim) {
    remember(key, known);
    return { module: known.module };
  }
  const state: Compiling = {};
  compileProgram(readAll(file)).then(
    (module) => {
      state.module = module;
      remember(key, { size, mtim, module });
    },
    (error: unknown) => (state.error = error),
  ).finally(() => r.server.wakeup(state));
  return state;
}

export function sysPosixSpawn(r: Request, a: PosixSpawnIn): PosixSpawnOut {
  const args = strings(a.argv);
  const env = strings(a.envp);
  if (!a.cwd.startsWith('/')) throw new VfsError(EINVAL);
  const state = (r.state ??= startCompiling(r, a)) as Compiling;
  if (state.error !== undefined) throw new VfsError(state.error instanceof ProgramError ? ENOEXEC : EIO);
  if (!state.module) throw new Blocked([state]);
  const fds = r.proc.fds.inherit();
  try {
    applyActions(fds, a.actions);
    const name = a.path.split('/').pop() || a.path;
    return { pid: r.server.pm.spawn({ program: state.module, name, args, env, cwd: a.cwd, fds, ppid: r.proc.pid }).pid };
  } catch (e) {
    fds.closeAll();
    if (e instanceof SpawnError) throw new VfsError(e.errno, e.message);
    throw e;
  }
}
