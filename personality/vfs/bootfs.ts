// bootfs: the file system mounted at /bin, the system's own programs from the boot image
// (abi/bootimage.ts), served from the bytes the host handed over at boot. Read-only: changing it
// gives EROFS, as a read-only mount does on Linux; opening a program with O_CREAT (not O_EXCL) works.
import { EEXIST, ENOENT } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import type { BootImage } from '../../abi/bootimage.js';
import { checkName } from './namei.js';
import { ReadOnlyVnode, VfsError, type DirEntry, type Mount, type Stat, type Vnode } from './vnode.js';

abstract class BootNode extends ReadOnlyVnode {
  constructor(readonly mount: BootFs, readonly ino: bigint, private size: number, private nlink: bigint) {
    super();
  }

  stat(): Stat {
    const t = this.mount.mtim;
    return { dev: this.mount.dev, ino: this.ino, filetype: this.filetype, nlink: this.nlink, size: BigInt(this.size), atim: t, mtim: t, ctim: t };
  }
}

class BootFile extends BootNode {
  readonly filetype = FILETYPE.regularFile;

  constructor(mount: BootFs, ino: bigint, private bytes: Uint8Array) {
    super(mount, ino, bytes.length, 1n);
  }

  override read(offset: number, into: Uint8Array): number {
    const part = this.bytes.subarray(Math.min(offset, this.bytes.length), offset + into.length);
    into.set(part);
    return part.length;
  }
}

class BootDir extends BootNode {
  readonly filetype = FILETYPE.directory;

  constructor(mount: BootFs, ino: bigint, private files: Map<string, BootFile>) {
    super(mount, ino, 0, 2n);
  }

  override lookup(name: string): Vnode {
    checkName(name);
    const file = this.files.get(name);
    if (file === undefined) throw new VfsError(ENOENT);
    return file;
  }

  /** O_CREAT of a program that is there opens it; anything else is EROFS. */
  override create(name: string, exclusive: boolean): Vnode {
    const file = this.files.get(name);
    if (file === undefined) return super.create(name, exclusive);
    if (exclusive) throw new VfsError(EEXIST);
    return file;
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const named = [...this.files].map(([name, file]) => ({ name, ino: file.ino, filetype: file.filetype }));
    return [{ name: '.', ino: this.ino, filetype: dir }, { name: '..', ino: this.ino, filetype: dir }, ...named];
  }
}

export class BootFs implements Mount {
  readonly readOnly = true;
  readonly root: Vnode;
  readonly mtim: bigint;

  constructor(readonly dev: bigint, image: BootImage) {
    this.mtim = image.mtim;
    const files = new Map<string, BootFile>();
    image.files.forEach((f, i) => files.set(f.name, new BootFile(this, BigInt(i + 2), f.bytes)));
    this.root = new BootDir(this, 1n, files);
  }
}
