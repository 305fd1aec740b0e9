// procfs: the file system mounted at /proc, a read-only view of the process table the server exports
// (what `ps` reads). A directory per process, named by its pid, holds `stat` (one line, the first
// fields of Linux's /proc/PID/stat: pid, (name), state R, T (stopped) or Z, ppid, pgrp) and `cmdline` (its
// arguments, each NUL-terminated). Files are made anew at every read, so a reader sees the table as
// it is; their size is 0, as on Linux. Changing anything gives EROFS.
import { ENOENT } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import { checkName } from './namei.js';
import { ReadOnlyVnode, VfsError, nowNs, type DirEntry, type Mount, type Stat, type Vnode } from './vnode.js';

/** What procfs shows of a process. */
export interface ProcView {
  pid: number;
  ppid: number;
  pgid: number;
  name: string;
  args: readonly string[];
  /** How it ended, once it has (a zombie until reaped). */
  status?: object;
  /** Stopped by a signal (job control): state T. */
  stopped: boolean;
}

/** The processes, when asked (the server's process table). */
export type ProcSource = () => ProcView[];

const encoder = new TextEncoder();
const FILES = ['stat', 'cmdline'] as const;
type FileName = (typeof FILES)[number];

function content(p: ProcView, file: FileName): Uint8Array {
  if (file === 'cmdline') return encoder.encode(p.args.map((a) => a + '\0').join(''));
  return encoder.encode(`${p.pid} (${p.name}) ${p.status ? 'Z' : p.stopped ? 'T' : 'R'} ${p.ppid} ${p.pgid}\n`);
}

abstract class ProcNode extends ReadOnlyVnode {
  constructor(readonly mount: ProcFs, readonly ino: bigint) {
    super();
  }

  stat(): Stat {
    const t = this.mount.mounted;
    const nlink = this.filetype === FILETYPE.directory ? 2n : 1n;
    return { dev: this.mount.dev, ino: this.ino, filetype: this.filetype, nlink, size: 0n, atim: t, mtim: t, ctim: t };
  }

}

class ProcFile extends ProcNode {
  readonly filetype = FILETYPE.regularFile;

  constructor(mount: ProcFs, ino: bigint, private pid: number, private file: FileName) {
    super(mount, ino);
  }

  override read(offset: number, into: Uint8Array): number {
    const p = this.mount.find(this.pid);
    if (!p) return 0; // the process is gone: its files are empty
    const bytes = content(p, this.file);
    const part = bytes.subarray(Math.min(offset, bytes.length), offset + into.length);
    into.set(part);
    return part.length;
  }
}

/** Inode numbers: the root 1; a process's directory pid * 4; its files pid * 4 + 1 and + 2. */
class PidDir extends ProcNode {
  readonly filetype = FILETYPE.directory;

  constructor(mount: ProcFs, private pid: number) {
    super(mount, BigInt(pid) * 4n);
  }

  override lookup(name: string): Vnode {
    checkName(name);
    const i = FILES.indexOf(name as FileName);
    if (i < 0 || !this.mount.find(this.pid)) throw new VfsError(ENOENT);
    return new ProcFile(this.mount, this.ino + BigInt(i + 1), this.pid, FILES[i]);
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    return [{ name: '.', ino: this.ino, filetype: dir }, { name: '..', ino: 1n, filetype: dir },
      ...FILES.map((name, i) => ({ name, ino: this.ino + BigInt(i + 1), filetype: FILETYPE.regularFile }))];
  }
}

class ProcRoot extends ProcNode {
  readonly filetype = FILETYPE.directory;

  override lookup(name: string): Vnode {
    checkName(name);
    const pid = /^[1-9][0-9]*$/.test(name) ? Number(name) : 0;
    if (!this.mount.find(pid)) throw new VfsError(ENOENT);
    return new PidDir(this.mount, pid);
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const pids = this.mount.source().map((p) => p.pid).sort((a, b) => a - b);
    return [{ name: '.', ino: 1n, filetype: dir }, { name: '..', ino: 1n, filetype: dir },
      ...pids.map((pid) => ({ name: String(pid), ino: BigInt(pid) * 4n, filetype: dir }))];
  }
}

export class ProcFs implements Mount {
  readonly readOnly = true;
  readonly root: Vnode;
  readonly mounted = nowNs();

  constructor(readonly dev: bigint, readonly source: ProcSource) {
    this.root = new ProcRoot(this, 1n);
  }

  find(pid: number): ProcView | undefined {
    return this.source().find((p) => p.pid === pid);
  }
}
