// The machine's file tree, as the personality server holds it: an in-memory root (tmpfs) with /bin
// (bootfs: the system's programs), /proc (procfs: the processes), /dev (devfs plus the console's
// nodes) and /tmp, and whatever the host asks to mount for a process —
// a host directory (in Node) or a fresh tmpfs — at a guest path, or as the process's root ("/", with
// devfs at its /dev), until that process ends (a fresh tmpfs then loses its files). Mounted directories become preopened descriptors of
// the process that asked for them (and of the children it spawns). It also holds the server-wide budgets of what the file systems keep in the server's heap:
// tmpfs metadata and directory listings. Every tmpfs keeps its files' data in the page cache it is given,
// and the tree counts the pages of the files named in them (`filePages`, for the leak checks).
import { EEXIST, EINVAL } from '../../abi/errno.js';
import { VfsError, type Vnode } from './vnode.js';
import { TmpFs } from './tmpfs.js';
import { Budget } from './budget.js';
import { DevFs } from './devfs.js';
import { BootFs } from './bootfs.js';
import { ProcFs, type ProcSource } from './procfs.js';
import type { BootImage } from '../../abi/bootimage.js';
import type { PageCache } from '../vm/page_cache.js';
import { consoleNodes, type Console } from './console.js';
import * as ops from './ops.js';
import type { MountSpec } from '../../abi/service.js';

/** Mounts a host directory (provided by the platform; absent in browsers). */
/** Mount a host directory; its open files' data goes in `cache`. */
export type HostMounter = (hostPath: string, readOnly: boolean, dev: bigint, cache: PageCache) => Vnode;

const MiB = 2 ** 20;
/**
 * Heap the metadata of every tmpfs may take together (ENOSPC past it), whatever their fileMemory:
 * about 550,000 empty files or 290,000 directories. With LISTING_MEMORY it fits, beside the server's
 * own needs, in the heap V8 gives a worker on a 64-bit machine with 2 GiB of memory or more (a quarter
 * of the memory, at least 512 MiB, at most 4 GiB), so no program can exhaust it.
 */
export const METADATA_MEMORY = 256 * MiB;
/** Heap the directory listings kept for readdir cookies may take together (ENOMEM past it): see file.ts. */
export const LISTING_MEMORY = 64 * MiB;

export class Vfs {
  private nextDev = 1n;
  readonly root: Vnode;
  private readonly devRoot: Vnode;
  readonly metadata = new Budget(METADATA_MEMORY);
  readonly listings = new Budget(LISTING_MEMORY);
  /** Every tmpfs not yet unmounted for good (the root's, and the fresh ones mounted for processes). */
  private readonly tmpfses = new Set<TmpFs>();

  /** `fileMemory`: the bytes each in-memory file system may hold (ENOSPC past it); `cache`: where their files' data lives. */
  constructor(console: Console, private fileMemory: number, private cache: PageCache, bin: BootImage, procs: ProcSource, private mountHost?: HostMounter) {
    this.root = this.tmpfs().root;
    ops.mountAt(this.root, 'bin', new BootFs(this.nextDev++, bin).root);
    ops.mountAt(this.root, 'proc', new ProcFs(this.nextDev++, procs, () => cache.stats()).root);
    const dev = new DevFs(this.nextDev++);
    for (const [name, node] of Object.entries(consoleNodes(dev, console))) dev.add(name, node);
    this.devRoot = dev.root;
    ops.mountAt(this.root, 'dev', dev.root);
    ops.mkdirPath(this.root, 'tmp');
  }

  /**
   * Mount `spec`: the directory to preopen, and the function that unmounts it (when the process that
   * asked for it ends). A guest of "/" makes it the process's own root (webmach's tree is then not
   * preopened, see bsd/kern_proc.ts): it covers its name `dev` with devfs's root.
   */
  mount(spec: MountSpec): { root: Vnode; unmount: () => void } {
    const { node, release } = this.source(spec);
    if (!spec.guest.startsWith('/')) return { root: node, unmount: release };
    const path = spec.guest.replace(/^\/+|\/+$/g, '');
    if (path === '') return { root: this.asRoot(node), unmount: release };
    this.makeParents(path);
    const uncover = ops.mountAt(this.root, path, node);
    return {
      root: node,
      unmount: () => {
        uncover();
        release();
      },
    };
  }

  private asRoot(node: Vnode): Vnode {
    if (!node.mountOn) throw new VfsError(EINVAL, 'this file system cannot be a root');
    node.mountOn('dev', this.devRoot);
    return node;
  }

  /** The file system `spec` names, and what ends it when it is unmounted (a fresh tmpfs gives back its files' pages). */
  private source(spec: MountSpec): { node: Vnode; release: () => void } {
    if (spec.host === undefined) {
      const fs = this.tmpfs();
      return {
        node: fs.root,
        release: () => {
          fs.clear();
          this.tmpfses.delete(fs);
        },
      };
    }
    if (!this.mountHost) throw new VfsError(EINVAL, 'host directories cannot be mounted on this platform');
    return { node: this.mountHost(spec.host, spec.readOnly ?? false, this.nextDev++, this.cache), release: () => {} };
  }

  /** A device number for another file system (pipes). */
  allocDev(): bigint {
    return this.nextDev++;
  }

  private tmpfs(): TmpFs {
    const fs = new TmpFs(this.nextDev++, this.fileMemory, this.metadata, this.cache);
    this.tmpfses.add(fs);
    return fs;
  }

  /** Pages of data of the files named in the tmpfs instances still mounted (the census compares it with the page cache's). */
  get filePages(): number {
    let pages = 0;
    for (const fs of this.tmpfses) pages += fs.namedPages();
    return pages;
  }

  private makeParents(path: string): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      try {
        ops.mkdirPath(this.root, parts.slice(0, i).join('/'));
      } catch (e) {
        if (!(e instanceof VfsError && e.errno === EEXIST)) throw e;
      }
    }
  }
}
