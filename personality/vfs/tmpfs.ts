// tmpfs: an in-memory file system. `new TmpFs(dev, maxBytes?, metadata?, cache?)` gives a Mount whose
// `root` is a directory Vnode; regular files keep their data in the page cache (vm/page_cache.ts: 4 KiB
// pages of machine memory, wired; holes read as zeros; open files' pages also read and written by
// task libraries through windows, vm/vm_window.ts), with POSIX link counts, nanosecond times and
// Linux rename/link/unlink errors. Everything it holds counts toward maxBytes (ENOSPC past it): file
// data (4 KiB a page), and metadata (inodes, names, symlink targets, page headers) at what it costs in
// the heap, which also counts toward the server-wide `metadata` budget. Without a cache it uses one over
// a memory of its own (unit tests). Directories can cover a name with another file system's root
// (`mountOn`). It knows nothing of paths: that is namei.ts.
import {
  EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM, EXDEV,
} from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import { checkName, utf8Length } from './namei.js';
import { Budget } from './budget.js';
import { CACHE_PAGE_SIZE, PageCache, type VmObject } from '../vm/page_cache.js';
import type { Window } from '../vm/vm_window.js';
import { BaseVnode, nowNs, VfsError, type Appended, type DirEntry, type Mount, type Stat, type TimeSet, type Vnode } from './vnode.js';

/** Bytes per page of file data: a page of the cache. */
export const PAGE_SIZE = CACHE_PAGE_SIZE;
/** Largest file size (and end of a write): beyond it EFBIG. */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;
/** Size Linux tmpfs reports per directory entry. */
const DIRENT_BOGO_SIZE = 20;

/**
 * What each object costs in the server's heap, charged as metadata. Measured on Node 20 with
 * process.memoryUsage().heapUsed over 100,000 creates: a regular file's inode 440 bytes (with its VM
 * object), a directory's 585, a symlink's 230 plus its target, a directory entry 45-70 plus its name
 * (the map's slack grows with it), a page's header (its Page in the cache, its slot in the object's
 * map, its share of its frame's record) 137 beside its 4 KiB of data in machine memory. Filling a
 * 64 MiB budget with any one kind grows the heap by 0.8-1.03 times the charge.
 */
const COST = { file: 440, directory: 600, symlink: 240, entry: 64, page: 144 } as const;

function entryCost(name: string): number {
  return COST.entry + utf8Length(name);
}

/** The cache of every tmpfs made without one (unit tests): over a memory of its own, made when first needed. */
let standalone: PageCache | undefined;

function standaloneCache(): PageCache {
  return (standalone ??= PageCache.standalone());
}

/** A day in ms: relatime's limit on how stale an access time may get. */
const RELATIME_MS = 86_400_000;

/** atim, mtim, ctim in nanoseconds, and the updates POSIX asks for. Shared with devfs. */
export class Timestamps {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  /** performance.now() when atim was last moved by an access. */
  private accessedAt = performance.now();

  constructor() {
    this.atim = this.mtim = this.ctim = nowNs();
  }

  /**
   * A read, with Linux's default relatime: atim moves only when it is not newer than mtim or ctim,
   * or a day old, so a file read again and again is not re-stamped (nor costs a clock read) each time.
   */
  accessed(): void {
    if (this.atim > this.mtim && this.atim > this.ctim && performance.now() - this.accessedAt < RELATIME_MS) return;
    this.atim = nowNs();
    this.accessedAt = performance.now();
  }
  /** Data or size changed. */
  modified(): void {
    this.mtim = this.ctim = nowNs();
  }
  /** Data changed at `ns` (a task library's write, reported later), unless something later already did. */
  modifiedAt(ns: bigint): void {
    if (ns > this.mtim) this.mtim = ns;
    if (ns > this.ctim) this.ctim = ns;
  }
  /** Status (link count, name) changed. */
  changed(): void {
    this.ctim = nowNs();
  }
  /** utimensat: set each time given ('now' or ns); ctim too, unless nothing is set. */
  set(atim: TimeSet, mtim: TimeSet): void {
    if (atim === undefined && mtim === undefined) return;
    const now = nowNs();
    if (atim !== undefined) this.atim = atim === 'now' ? now : atim;
    if (mtim !== undefined) this.mtim = mtim === 'now' ? now : mtim;
    this.ctim = now;
  }
}

export class TmpFs implements Mount {
  readonly readOnly = false;
  readonly root: TmpDir;
  private lastIno = 0n;
  private data = 0;
  private meta = 0;

  /**
   * `maxBytes` bounds the file data and metadata held together; `metadata` is a budget the server's
   * file systems share (their metadata lives in one heap). Past either: ENOSPC. `cache` holds the
   * files' data (the server's, in machine memory); by default one shared by every tmpfs made without.
   */
  constructor(
    readonly dev: bigint,
    readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly metadata = new Budget(),
    readonly cache: PageCache = standaloneCache(),
  ) {
    this.root = new TmpDir(this, null);
  }

  /** Unmounted for good: every name goes (rm -r); a file still open keeps its data until its last close. */
  clear(): void {
    this.root.clear();
  }

  /** Pages of data the files named in it hold (each file once): for the leak checks, where any other page is a leak. */
  namedPages(): number {
    const files = new Set<TmpFile>();
    this.root.collectFiles(files);
    let pages = 0;
    for (const file of files) pages += file.pages;
    return pages;
  }

  /** Bytes of page storage in use. */
  get bytesUsed(): number {
    return this.data;
  }

  /** Bytes of metadata held (the root directory, which comes with the mount, is not counted). */
  get metadataBytes(): number {
    return this.meta;
  }

  allocIno(): bigint {
    return ++this.lastIno;
  }

  /** Take `data` bytes of storage and `meta` of metadata; false (nothing taken) when they do not fit. */
  reserve(data: number, meta = 0): boolean {
    if (this.data + this.meta + data + meta > this.maxBytes) return false;
    if (!this.metadata.reserve(meta)) return false;
    this.data += data;
    this.meta += meta;
    return true;
  }

  free(data: number, meta = 0): void {
    this.data -= data;
    this.meta -= meta;
    this.metadata.free(meta);
  }

  /** Take `meta` bytes of metadata, or ENOSPC. */
  charge(meta: number): void {
    if (!this.reserve(0, meta)) throw new VfsError(ENOSPC, 'no space for file-system metadata');
  }

  /** A metadata charge of `from` bytes becomes `to` (ENOSPC when it grows past a limit). */
  recharge(from: number, to: number): void {
    if (to > from) this.charge(to - from);
    else this.free(0, from - to);
  }
}

/**
 * Any tmpfs object: an inode with its number, link count, times and the metadata it costs (charged
 * when it gets its first name, given back once it has neither a name nor an open description).
 */
abstract class TmpNode extends BaseVnode {
  readonly ino: bigint;
  readonly times = new Timestamps();
  nlink = 1;
  abstract readonly cost: number;
  private opens = 0;

  constructor(readonly mount: TmpFs) {
    super();
    this.ino = mount.allocIno();
  }

  protected abstract size(): number;

  stat(): Stat {
    const { atim, mtim, ctim } = this.times;
    const { dev } = this.mount;
    return { dev, ino: this.ino, filetype: this.filetype, nlink: BigInt(this.nlink), size: BigInt(this.size()), atim, mtim, ctim };
  }

  setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.times.set(atim, mtim);
  }

  override retain(): void {
    this.opens++;
  }

  override release(): void {
    this.opens--;
    this.freeIfUnused();
  }

  /** One name less (unlink, rmdir, replaced by rename). */
  dropLink(): void {
    this.nlink--;
    this.times.changed();
    this.freeIfUnused();
  }

  /** No name and no open description: nothing can reach it again. */
  protected freeIfUnused(): void {
    if (this.nlink === 0 && this.opens === 0) this.free();
  }

  /** Give back what it holds (called once: it is unreachable). */
  protected free(): void {
    this.mount.free(0, this.cost);
  }
}

function pageIndex(pos: number): number {
  return Math.floor(pos / PAGE_SIZE);
}

/**
 * A regular file: its data is a VM object of the page cache (sparse: a missing page reads as zeros).
 * While it is open, task libraries read and write its pages themselves through windows under its
 * token (vm/vm_window.ts): everything here runs holding the token, its size is mirrored there, and
 * the times of the tasks' reads and writes are taken from it when it is looked at.
 */
class TmpFile extends TmpNode {
  readonly filetype = FILETYPE.regularFile;
  readonly cost = COST.file;
  private readonly object: VmObject;
  private bytes = 0;

  constructor(mount: TmpFs) {
    super(mount);
    this.object = mount.cache.object();
  }

  protected size(): number {
    return this.bytes;
  }

  private get length(): number {
    return this.bytes;
  }

  private set length(n: number) {
    this.bytes = n;
    if (this.object.token) this.object.token.size = n;
  }

  /** Pages it holds in the cache. */
  get pages(): number {
    return this.object.pages.size;
  }

  window(fdflags: number): Window {
    const window = this.mount.cache.windows.open(this.object, this.length, fdflags);
    window.token.onFree = () => this.takeTimes();
    return window;
  }

  override stat(): Stat {
    this.takeTimes();
    return super.stat();
  }

  override setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.takeTimes(); // the tasks' reads and writes came before
    super.setTimes(atim, mtim);
  }

  /** The tasks' reads and writes since the last look, from the token: atime and mtime as theirs. */
  private takeTimes(): void {
    const token = this.object.token;
    if (token === undefined) return;
    const ms = token.takeModified();
    if (ms > 0) this.times.modifiedAt(BigInt(Math.round(ms * 1e6)));
    if (token.takeAccessed()) this.times.accessed();
  }

  protected override free(): void {
    this.freeFrom(0);
    super.free();
  }

  override read(offset: number, into: Uint8Array): number {
    return this.object.locked(() => {
      const n = Math.max(0, Math.min(into.length, this.length - offset));
      if (n > 0) this.mount.cache.read(this.object, offset, n === into.length ? into : into.subarray(0, n));
      this.times.accessed();
      return n;
    });
  }

  override write(offset: number, from: Uint8Array): number {
    if (from.length === 0) return 0;
    if (offset >= MAX_FILE_SIZE) throw new VfsError(EFBIG);
    return this.object.locked(() => {
      const done = this.provide(offset, Math.min(from.length, MAX_FILE_SIZE - offset));
      if (done === 0) throw new VfsError(ENOSPC);
      this.mount.cache.write(this.object, offset, done === from.length ? from : from.subarray(0, done));
      if (offset + done > this.length) this.length = offset + done;
      this.times.modified();
      return done;
    });
  }

  override append(from: Uint8Array): Appended {
    return this.object.locked(() => super.append(from));
  }

  /**
   * Make the pages holding `length` bytes at `offset` resident, each new one charged: the bytes
   * they hold, fewer when there is no space for them all (a short write, or ENOSPC if none fit).
   */
  private provide(offset: number, length: number): number {
    const cache = this.mount.cache;
    const first = pageIndex(offset);
    const end = offset + length;
    for (let index = first; index * PAGE_SIZE < end; index++) {
      if (cache.lookup(this.object, index) !== undefined) continue;
      if (!this.mount.reserve(PAGE_SIZE, COST.page)) return Math.max(0, index * PAGE_SIZE - offset);
      cache.grab(this.object, index);
    }
    return length;
  }

  override setSize(size: number): void {
    if (!Number.isInteger(size) || size < 0) throw new VfsError(EINVAL);
    if (size > MAX_FILE_SIZE) throw new VfsError(EFBIG);
    this.object.locked(() => {
      if (size < this.length) this.freeFrom(size);
      this.length = size;
      this.times.modified();
    });
  }

  /** Drop the stored bytes at `size` and beyond, so a later growth reads zeros there. */
  private freeFrom(size: number): void {
    const pages = this.mount.cache.truncate(this.object, size);
    this.mount.free(pages * PAGE_SIZE, pages * COST.page);
  }
}

/** A symbolic link: the target string, kept verbatim. */
class TmpSymlink extends TmpNode {
  readonly filetype = FILETYPE.symbolicLink;
  readonly cost: number;

  constructor(mount: TmpFs, private readonly target: string) {
    super(mount);
    this.cost = COST.symlink + utf8Length(target);
  }

  protected size(): number {
    return utf8Length(this.target);
  }

  override readlink(): string {
    return this.target;
  }
}

/** A directory: names in insertion order, each naming a node of this file system or covered by a mount. */
export class TmpDir extends TmpNode {
  readonly filetype = FILETYPE.directory;
  readonly cost = COST.directory;
  private readonly children = new Map<string, TmpNode>();
  private readonly mounts = new Map<string, Vnode>();
  /** The directory holding this one; the root's is itself. */
  private parent: TmpDir;

  constructor(mount: TmpFs, parent: TmpDir | null) {
    super(mount);
    this.parent = parent ?? this;
    this.nlink = 2;
  }

  protected size(): number {
    return (this.children.size + 2) * DIRENT_BOGO_SIZE;
  }

  /** Removed: its name and its '.' go, so it can hold nothing again (creating in it gives ENOENT). */
  override dropLink(): void {
    this.nlink = 0;
    this.times.changed();
    this.freeIfUnused();
  }

  /** Cover `name` (a directory, made if absent) with `root`, the root of another file system. */
  mountOn(name: string, root: Vnode): void {
    if (!this.children.has(name)) this.mkdir(name);
    if (!(this.own(name) instanceof TmpDir)) throw new VfsError(ENOTDIR);
    if (this.mounts.has(name)) throw new VfsError(EBUSY);
    this.mounts.set(name, root);
  }

  /** Every name below it goes, mounts uncovered, as a recursive removal would (TmpFs.clear). */
  clear(): void {
    this.mounts.clear();
    for (const [name, node] of this.children) {
      if (node instanceof TmpDir) node.clear();
      this.remove(name, node);
    }
  }

  /** Add the regular files named in it and below it to `into`. */
  collectFiles(into: Set<TmpFile>): void {
    for (const node of this.children.values()) {
      if (node instanceof TmpDir) node.collectFiles(into);
      else if (node instanceof TmpFile) into.add(node);
    }
  }

  /** Uncover `name` (the directory under the mount shows again). */
  unmount(name: string): void {
    this.mounts.delete(name);
  }

  override lookup(name: string): Vnode {
    checkName(name);
    const node = this.mounts.get(name) ?? this.children.get(name);
    if (node === undefined) throw new VfsError(ENOENT);
    return node;
  }

  override create(name: string, exclusive: boolean): Vnode {
    checkName(name);
    const existing = this.mounts.get(name) ?? this.children.get(name);
    if (existing === undefined) return this.add(name, () => new TmpFile(this.mount));
    if (exclusive) throw new VfsError(EEXIST);
    return existing;
  }

  override mkdir(name: string): void {
    this.add(name, () => new TmpDir(this.mount, this));
  }

  override symlink(name: string, target: string): void {
    this.add(name, () => new TmpSymlink(this.mount, target));
  }

  override link(name: string, target: Vnode): void {
    this.checkFree(name);
    if (!(target instanceof TmpNode) || target.mount !== this.mount) throw new VfsError(EXDEV);
    if (target instanceof TmpDir) throw new VfsError(EPERM, 'hard link to a directory');
    if (target.nlink === 0) throw new VfsError(ENOENT);
    this.mount.charge(entryCost(name));
    target.nlink++;
    target.times.changed();
    this.insert(name, target);
  }

  override unlink(name: string): void {
    const node = this.own(name);
    if (node instanceof TmpDir) throw new VfsError(EISDIR);
    this.remove(name, node);
  }

  override rmdir(name: string): void {
    const node = this.own(name);
    if (!(node instanceof TmpDir)) throw new VfsError(ENOTDIR);
    if (this.mounts.has(name)) throw new VfsError(EBUSY);
    if (node.children.size > 0) throw new VfsError(ENOTEMPTY);
    this.remove(name, node);
  }

  override rename(name: string, toDir: Vnode, toName: string): void {
    const to = this.sameFs(toDir);
    checkName(toName);
    const node = this.own(name);
    if (this.mounts.has(name) || to.mounts.has(toName)) throw new VfsError(EBUSY);
    const old = to.children.get(toName);
    if (old === node) return; // the same inode under both names: POSIX says do nothing
    this.checkRename(node, to, old);
    this.mount.recharge(entryCost(name), old === undefined ? entryCost(toName) : 0); // a replaced entry keeps its charge
    if (old !== undefined) to.detach(old); // replaced in place: the name keeps its position
    this.children.delete(name);
    if (node instanceof TmpDir) this.moveDir(node, to);
    to.insert(toName, node);
    node.times.changed();
    this.times.modified();
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const dots = [{ name: '.', ino: this.ino, filetype: dir }, { name: '..', ino: this.parent.ino, filetype: dir }];
    const named = [...this.children].map(([name, node]) => ({ name, ino: node.ino, filetype: node.filetype }));
    return [...dots, ...named];
  }

  /** The entry itself (never a mount covering it): ENOENT if absent. */
  private own(name: string): TmpNode {
    checkName(name);
    const node = this.children.get(name);
    if (node === undefined) throw new VfsError(ENOENT);
    return node;
  }

  /** ENOENT in a removed directory, EEXIST if the name is taken. */
  private checkFree(name: string): void {
    checkName(name);
    if (this.nlink === 0) throw new VfsError(ENOENT, 'directory was removed');
    if (this.children.has(name) || this.mounts.has(name)) throw new VfsError(EEXIST);
  }

  private add(name: string, make: () => TmpNode): TmpNode {
    this.checkFree(name);
    const node = make();
    this.mount.charge(node.cost + entryCost(name)); // refused: the node is dropped unseen
    if (node instanceof TmpDir) this.nlink++;
    this.insert(name, node);
    return node;
  }

  private insert(name: string, node: TmpNode): void {
    this.children.set(name, node);
    this.times.modified();
  }

  private remove(name: string, node: TmpNode): void {
    this.children.delete(name);
    this.mount.free(0, entryCost(name));
    this.detach(node);
    this.times.modified();
  }

  /** `node` loses its name here (the caller drops or reuses the entry). */
  private detach(node: TmpNode): void {
    if (node instanceof TmpDir) this.nlink--;
    node.dropLink();
  }

  private moveDir(node: TmpDir, to: TmpDir): void {
    this.nlink--;
    to.nlink++;
    node.parent = to;
  }

  private sameFs(dir: Vnode): TmpDir {
    if (!(dir instanceof TmpDir) || dir.mount !== this.mount) throw new VfsError(EXDEV);
    if (dir.nlink === 0) throw new VfsError(ENOENT, 'directory was removed');
    return dir;
  }

  /** Whether this directory is `dir` or lies below it. */
  private isWithin(dir: TmpDir): boolean {
    for (let d: TmpDir = this; ; d = d.parent) {
      if (d === dir) return true;
      if (d.parent === d) return false;
    }
  }

  /** Linux's checks of rename(2), in its order, once both names are known. */
  private checkRename(node: TmpNode, to: TmpDir, old: TmpNode | undefined): void {
    if (node instanceof TmpDir && to.isWithin(node)) throw new VfsError(EINVAL, 'directory into itself');
    if (old === undefined) return;
    if (old instanceof TmpDir && this.isWithin(old)) throw new VfsError(ENOTEMPTY, 'onto its own ancestor');
    if (node instanceof TmpDir && !(old instanceof TmpDir)) throw new VfsError(ENOTDIR);
    if (!(node instanceof TmpDir) && old instanceof TmpDir) throw new VfsError(EISDIR);
    if (old instanceof TmpDir && old.children.size > 0) throw new VfsError(ENOTEMPTY);
  }
}
