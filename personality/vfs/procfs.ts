// procfs: the file system mounted at /proc, a read-only view of the process table the server exports
// (what `ps` reads). A directory per process, named by its pid, holds `stat` (one line, the first
// fields of Linux's /proc/PID/stat: pid, (name), state R, T (stopped) or Z, ppid, pgrp), `cmdline` (its
// arguments, each NUL-terminated), `ports` (its Mach names, as macOS's `lsmp -p PID` lists them,
// from plain rows the server gives: see portLine) and `files` (its descriptors, as lsof would list
// them, with the windows its task library reads files through: see fileLine); beside them `vmstat`,
// the page cache's size and counters, as Linux's /proc/vmstat lists its own. Files are made anew at every read, so a reader
// sees the table as it is; their size is 0, as on Linux. Changing anything gives EROFS.
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
  /** Its Mach names, in name order (none for a process that never used Mach). */
  ports?: () => readonly PortView[];
  /** Its open descriptors, in order. */
  files?: () => readonly FileView[];
}

/** What procfs shows of one descriptor: lsof's view, with the window the task library reads it through. */
export interface FileView {
  fd: number;
  /** WASI's file type name: regular, directory, character, pipe (a stream), symlink, unknown. */
  type: string;
  /** The open file description's offset (streams: none). */
  offset?: number;
  /** Machine-memory addresses of its window and its file's token (vm/vm_window.ts), and the pid of a task holding the token. */
  window?: { addr: number; token: number; holder: number };
}

/** A right a Mach name denotes (several combine: a port's receive and send rights share one name). */
export type PortRight = 'recv' | 'send' | 'send-once' | 'port-set' | 'dead-name';

/** What procfs shows of one Mach name (the server's IPC space entry, as plain data). */
export interface PortView {
  name: number;
  /** The server's number for the port or port set it denotes (lsmp's ipc-object); none for a dead name. */
  object?: number;
  rights: readonly PortRight[];
  /** User references of its send right, send-once right (1) or dead name. */
  urefs?: number;
  /** Notifications armed: no-senders and port-destroyed (on a receive right), dead-name (on the name). */
  requests: { noSenders: boolean; portDestroyed: boolean; deadName: boolean };
  /** For a receive right: messages queued, the queue's limit, the make-send count. */
  queue?: { count: number; limit: number; mscount: number };
  /** Who holds the receive right of the port a send or send-once right names: a pid, or the server (a kernel object). */
  receiver?: number | 'kernel';
  /** The kernel object the port stands for (a task's or thread's with its pid). */
  kobject?: { kind: 'task' | 'thread' | 'semaphore' | 'bootstrap'; pid?: number };
  /** A port set's members, by their ports' numbers. */
  members?: readonly number[];
}

/** The processes, when asked (the server's process table). */
export type ProcSource = () => ProcView[];

const encoder = new TextEncoder();
const FILES = ['stat', 'cmdline', 'ports', 'files'] as const;
type FileName = (typeof FILES)[number];

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const or = (v: number | string | undefined) => (v === undefined ? '-' : String(v));

/** The header of /proc/PID/ports (the columns of portLine). */
export const PORTS_HEADER = 'name        ipc-object  rights      urefs  reqs  msgcount  qlimit  mscount  receiver  object';

/**
 * One line of /proc/PID/ports: name and ipc-object (0x%08x), the rights joined by commas, the
 * user references, the requests armed (N no-senders, P port-destroyed, D dead-name; - for none),
 * a receive right's queued messages, queue limit and make-send count, who holds the receive right
 * (a pid, or `kernel`), and what the port is: TASK (pid), THREAD (pid), SEMAPHORE, BOOTSTRAP, or a
 * port set's members. An absent value is `-` (the last column is left empty).
 */
export function portLine(v: PortView): string {
  const r = v.requests;
  const reqs = (r.noSenders ? 'N' : '-') + (r.portDestroyed ? 'P' : '-') + (r.deadName ? 'D' : '-');
  return [hex(v.name), v.object === undefined ? '-'.padEnd(10) : hex(v.object), v.rights.join(',').padEnd(10), or(v.urefs).padStart(5), reqs.padEnd(4),
    or(v.queue?.count).padStart(8), or(v.queue?.limit).padStart(6), or(v.queue?.mscount).padStart(7), or(v.receiver).padEnd(8), objectColumn(v)].join('  ').trimEnd();
}

/** The last column: the kernel object (`TASK (12)`), a port set's members, or nothing. */
function objectColumn(v: PortView): string {
  const k = v.kobject;
  if (k) return k.kind.toUpperCase() + (k.pid === undefined ? '' : ` (${k.pid})`);
  return v.members ? `members ${v.members.map(hex).join(',') || '-'}` : '';
}

/** The header of /proc/PID/files (the columns of fileLine). */
export const FILES_HEADER = 'fd  type        offset  window      token       holder';

/** One line of /proc/PID/files: the descriptor, its type, its offset, its window and token (0x%08x) and the token's holder (a pid); `-` where there is none. */
export function fileLine(v: FileView): string {
  const w = v.window;
  return [String(v.fd).padStart(2), v.type.padEnd(9), or(v.offset).padStart(7), w ? hex(w.addr) : '-'.padEnd(10), w ? hex(w.token) : '-'.padEnd(10), or(w?.holder || undefined)].join('  ');
}

function content(p: ProcView, file: FileName): Uint8Array {
  if (file === 'files') return encoder.encode([FILES_HEADER, ...(p.files?.() ?? []).map(fileLine)].join('\n') + '\n');
  if (file === 'cmdline') return encoder.encode(p.args.map((a) => a + '\0').join(''));
  if (file === 'ports') return encoder.encode([PORTS_HEADER, ...(p.ports?.() ?? []).map(portLine)].join('\n') + '\n');
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

/** A file made anew at each read by `text` (empty once what it shows is gone). */
class ProcFile extends ProcNode {
  readonly filetype = FILETYPE.regularFile;

  constructor(mount: ProcFs, ino: bigint, private text: () => Uint8Array | undefined) {
    super(mount, ino);
  }

  override read(offset: number, into: Uint8Array): number {
    const bytes = this.text();
    if (!bytes) return 0; // the process is gone: its files are empty
    const part = bytes.subarray(Math.min(offset, bytes.length), offset + into.length);
    into.set(part);
    return part.length;
  }
}

/** /proc/vmstat, at the root (its inode: 2, between the root's and the first process's). */
const VMSTAT = 'vmstat';
const VMSTAT_INO = 2n;

/** Inode numbers: the root 1; /proc/vmstat 2; a process's directory pid * 8; its files pid * 8 + 1 to + 4. */
class PidDir extends ProcNode {
  readonly filetype = FILETYPE.directory;

  constructor(mount: ProcFs, private pid: number) {
    super(mount, BigInt(pid) * 8n);
  }

  override lookup(name: string): Vnode {
    checkName(name);
    const i = FILES.indexOf(name as FileName);
    if (i < 0 || !this.mount.find(this.pid)) throw new VfsError(ENOENT);
    const mount = this.mount;
    const { pid } = this;
    return new ProcFile(mount, this.ino + BigInt(i + 1), () => {
      const p = mount.find(pid);
      return p && content(p, FILES[i]);
    });
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
    if (name === VMSTAT) return new ProcFile(this.mount, VMSTAT_INO, () => encoder.encode(Object.entries(this.mount.stats()).map(([k, v]) => `${k} ${v}\n`).join('')));
    const pid = /^[1-9][0-9]*$/.test(name) ? Number(name) : 0;
    if (!this.mount.find(pid)) throw new VfsError(ENOENT);
    return new PidDir(this.mount, pid);
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const pids = this.mount.source().map((p) => p.pid).sort((a, b) => a - b);
    return [{ name: '.', ino: 1n, filetype: dir }, { name: '..', ino: 1n, filetype: dir }, { name: VMSTAT, ino: VMSTAT_INO, filetype: FILETYPE.regularFile },
      ...pids.map((pid) => ({ name: String(pid), ino: BigInt(pid) * 8n, filetype: dir }))];
  }
}

export class ProcFs implements Mount {
  readonly readOnly = true;
  readonly root: Vnode;
  readonly mounted = nowNs();

  /** `stats`: what /proc/vmstat shows, a line `name value` each (the page cache's size and counters). */
  constructor(readonly dev: bigint, readonly source: ProcSource, readonly stats: () => Record<string, number> = () => ({})) {
    this.root = new ProcRoot(this, 1n);
  }

  find(pid: number): ProcView | undefined {
    return this.source().find((p) => p.pid === pid);
  }
}
