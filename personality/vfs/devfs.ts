// devfs: the file system mounted at /dev. Its root directory holds the character devices null, zero and
// urandom, and whatever nodes the server adds with `add` (the console: stdin, stdout, stderr, tty). The
// names are fixed from a program's side: creating, linking, renaming or removing an entry gives EPERM
// (what Linux gives an unprivileged process in /dev; EROFS would claim the whole mount is read-only, yet
// the devices are writable). Opening an existing device with O_CREAT works, as `> /dev/null` needs.
import { EEXIST, ENOENT, EPERM } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import { checkName } from './namei.js';
import { Timestamps } from './tmpfs.js';
import { BaseVnode, VfsError, type DirEntry, type Mount, type Stat, type TimeSet, type Vnode } from './vnode.js';

/** The most bytes crypto.getRandomValues fills in one call. */
const RANDOM_CHUNK = 65536;

/** A devfs object: an inode number and times; size 0, one link. */
abstract class DevNode extends BaseVnode {
  readonly times = new Timestamps();

  constructor(readonly mount: DevFs, readonly ino: bigint) {
    super();
  }

  stat(): Stat {
    const { atim, mtim, ctim } = this.times;
    return { dev: this.mount.dev, ino: this.ino, filetype: this.filetype, nlink: 1n, size: 0n, atim, mtim, ctim };
  }

  setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.times.set(atim, mtim);
  }
}

/** A character device whose reads fill the buffer with `fill` (or end at once) and whose writes vanish. */
class SinkDevice extends DevNode {
  readonly filetype = FILETYPE.characterDevice;

  constructor(mount: DevFs, ino: bigint, private readonly fill: ((into: Uint8Array) => void) | null) {
    super(mount, ino);
  }

  override read(_offset: number, into: Uint8Array): number {
    if (this.fill === null) return 0;
    this.fill(into);
    return into.length;
  }

  override write(_offset: number, from: Uint8Array): number {
    return from.length;
  }
}

/** Random bytes, generated into a private buffer (getRandomValues refuses views of shared memory). */
function fillRandom(into: Uint8Array): void {
  const chunk = new Uint8Array(Math.min(into.length, RANDOM_CHUNK));
  for (let done = 0; done < into.length; done += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, into.length - done));
    crypto.getRandomValues(part);
    into.set(part, done);
  }
}

/** The devfs root: a fixed table of names. */
class DevDir extends DevNode {
  readonly filetype = FILETYPE.directory;
  readonly nodes = new Map<string, Vnode>();

  override lookup(name: string): Vnode {
    checkName(name);
    const node = this.nodes.get(name);
    if (node === undefined) throw new VfsError(ENOENT);
    return node;
  }

  override create(name: string, exclusive: boolean): Vnode {
    const node = this.nodes.get(name);
    if (node === undefined) throw new VfsError(EPERM);
    if (exclusive) throw new VfsError(EEXIST);
    return node;
  }

  /** A new name: EEXIST if taken, else EPERM. */
  private refuseNew(name: string): never {
    checkName(name);
    throw new VfsError(this.nodes.has(name) ? EEXIST : EPERM);
  }

  /** Removing or moving a name: ENOENT if absent, else EPERM. */
  private refuseChange(name: string): never {
    this.lookup(name);
    throw new VfsError(EPERM);
  }

  override mkdir(name: string): void {
    this.refuseNew(name);
  }
  override symlink(name: string, _target: string): void {
    this.refuseNew(name);
  }
  override link(name: string, _target: Vnode): void {
    this.refuseNew(name);
  }
  override unlink(name: string): void {
    this.refuseChange(name);
  }
  override rmdir(name: string): void {
    this.refuseChange(name);
  }
  override rename(name: string, _toDir: Vnode, _toName: string): void {
    this.refuseChange(name);
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const dots = [{ name: '.', ino: this.ino, filetype: dir }, { name: '..', ino: this.ino, filetype: dir }];
    const named = [...this.nodes].map(([name, node]) => ({ name, ino: node.stat().ino, filetype: node.filetype }));
    return [...dots, ...named];
  }
}

export class DevFs implements Mount {
  readonly readOnly = false;
  readonly root: Vnode;
  private readonly dir: DevDir;
  private lastIno = 0n;

  constructor(readonly dev: bigint) {
    this.dir = new DevDir(this, this.allocIno());
    this.root = this.dir;
    this.add('null', new SinkDevice(this, this.allocIno(), null));
    this.add('zero', new SinkDevice(this, this.allocIno(), (into) => into.fill(0)));
    this.add('urandom', new SinkDevice(this, this.allocIno(), fillRandom));
  }

  /** An inode number for a node the server adds (its console devices). */
  allocIno(): bigint {
    return ++this.lastIno;
  }

  /** Add a device node under `name` (EEXIST if taken). */
  add(name: string, node: Vnode): void {
    checkName(name);
    if (this.dir.nodes.has(name)) throw new VfsError(EEXIST);
    this.dir.nodes.set(name, node);
  }
}
