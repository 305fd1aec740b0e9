// Path lookup (namei): resolves a WASI path relative to a directory Vnode, capability-safe. The walk keeps
// the stack of directories entered from `start`, so '..' pops it and can never rise above `start`; absolute
// paths and absolute symlink targets are refused. Exports namei, nameiParent and nameiLast (for O_CREAT),
// plus the name checks the file systems share. It only looks things up: it never creates or removes.
import { EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTCAPABLE, ENOTDIR } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import { VfsError, type Vnode } from './vnode.js';

/** Longest name of one component, in UTF-8 bytes (Linux NAME_MAX). */
export const NAME_MAX = 255;
/** A path (or symlink target) must be shorter than this many UTF-8 bytes (Linux PATH_MAX, counting the NUL). */
export const PATH_MAX = 4096;
/** Most symlinks one lookup follows (Linux MAXSYMLINKS is 40; the brief asks for 32). */
export const SYMLOOP_MAX = 32;
/**
 * The errno for a path that would leave its starting directory (absolute, '..' above it, or a symlink
 * doing either). wasi-common gave ENOTCAPABLE; wasmtime's current preview1 (built on preview2) gives EPERM.
 */
export const EESCAPE = ENOTCAPABLE;

/** The length of `s` in UTF-8 bytes (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isHighSurrogate(c) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** ENAMETOOLONG for a component longer than NAME_MAX bytes. */
export function checkName(name: string): void {
  if (utf8Length(name) > NAME_MAX) throw new VfsError(ENAMETOOLONG, `name longer than ${NAME_MAX} bytes`);
}

/** '.' or '..': names that Vnode methods never receive. */
export function isDots(name: string): boolean {
  return name === '.' || name === '..';
}

/** ENOENT for an empty path, EINVAL for a NUL, ENAMETOOLONG past PATH_MAX. */
export function checkPathString(path: string): void {
  if (path === '') throw new VfsError(ENOENT, 'empty path');
  // A NUL cannot be passed to the host: wasmtime, wasmer, wazero, WAMR and uvwasi (PR #266) give EINVAL.
  if (path.includes('\0')) throw new VfsError(EINVAL, 'NUL in path');
  if (utf8Length(path) >= PATH_MAX) throw new VfsError(ENAMETOOLONG, 'path too long');
}

interface ParsedPath {
  /** Never empty: a relative, non-empty path has at least one non-empty component. */
  components: string[];
  trailingSlash: boolean;
}

function parsePath(path: string): ParsedPath {
  checkPathString(path);
  if (path.startsWith('/')) throw new VfsError(EESCAPE, 'absolute path');
  const components = path.split('/').filter((c) => c !== '');
  components.forEach(checkName);
  return { components, trailingSlash: path.endsWith('/') };
}

/** The entry a path names: its directory, its last name, and the node (null when absent). */
export interface LastEntry {
  dir: Vnode;
  name: string;
  node: Vnode | null;
  /** The path (or a symlink followed at its end) ended with '/': the node must be a directory. */
  trailingSlash: boolean;
}

function lookupOrNull(dir: Vnode, name: string): Vnode | null {
  try {
    return dir.lookup(name);
  } catch (e) {
    if (e instanceof VfsError && e.errno === ENOENT) return null;
    throw e;
  }
}

function isSymlink(node: Vnode): boolean {
  return node.filetype === FILETYPE.symbolicLink;
}

/** One lookup: the directories entered so far (stack[0] is the start) and the symlinks followed. */
class Walk {
  private readonly stack: Vnode[];
  private links = 0;

  constructor(start: Vnode) {
    if (start.filetype !== FILETYPE.directory) throw new VfsError(ENOTDIR);
    this.stack = [start];
  }

  get dir(): Vnode {
    return this.stack[this.stack.length - 1];
  }

  /** Enter each component in turn; each must be, or lead through symlinks to, a directory. */
  enterAll(components: readonly string[]): void {
    for (const name of components) this.enter(name);
  }

  /** Move to the parent: ENOTCAPABLE (EESCAPE) above the start. */
  up(): void {
    if (this.stack.length === 1) throw new VfsError(EESCAPE, "'..' above the starting directory");
    this.stack.pop();
  }

  /** Refuse a final '..' that would name something above the start. */
  checkLast(name: string): void {
    if (name === '..' && this.stack.length === 1) throw new VfsError(EESCAPE, "'..' above the starting directory");
  }

  private enter(name: string): void {
    if (name === '.') return;
    if (name === '..') return this.up();
    const node = this.dir.lookup(name);
    if (isSymlink(node)) return this.enterAll(this.readLink(node).components);
    if (node.filetype !== FILETYPE.directory) throw new VfsError(ENOTDIR);
    this.stack.push(node);
  }

  /** Count one more symlink followed and parse its target (relative to the current directory). */
  private readLink(link: Vnode): ParsedPath {
    if (++this.links > SYMLOOP_MAX) throw new VfsError(ELOOP);
    return parsePath(link.readlink());
  }

  /** Resolve the last component, following a final symlink when `follow` or a trailing slash asks. */
  last(name: string, follow: boolean, trailingSlash: boolean): LastEntry {
    for (;;) {
      if (name === '..') this.up();
      if (isDots(name)) return { dir: this.dir, name, node: this.dir, trailingSlash };
      const node = lookupOrNull(this.dir, name);
      if (node === null || !isSymlink(node) || !(follow || trailingSlash)) {
        return { dir: this.dir, name, node, trailingSlash };
      }
      const target = this.readLink(node);
      this.enterAll(target.components.slice(0, -1));
      name = target.components[target.components.length - 1];
      trailingSlash ||= target.trailingSlash;
      follow = true;
    }
  }
}

function lastOf(components: readonly string[]): string {
  return components[components.length - 1];
}

/**
 * Resolve `path` from `start` to the entry it names without requiring it to exist (what O_CREAT needs):
 * every symlink before the last component is followed, the last one only if `follow` (or a trailing slash).
 */
export function nameiLast(start: Vnode, path: string, follow: boolean): LastEntry {
  const { components, trailingSlash } = parsePath(path);
  const walk = new Walk(start);
  walk.enterAll(components.slice(0, -1));
  return walk.last(lastOf(components), follow, trailingSlash);
}

/** The node `path` names: ENOENT if absent, ENOTDIR if a trailing slash names a non-directory. */
export function namei(start: Vnode, path: string, follow: boolean): Vnode {
  const entry = nameiLast(start, path, follow);
  if (entry.node === null) throw new VfsError(ENOENT);
  if (entry.trailingSlash && entry.node.filetype !== FILETYPE.directory) throw new VfsError(ENOTDIR);
  return entry.node;
}

/**
 * The directory holding the last component of `path`, and that component (unresolved: it may be absent,
 * a symlink, '.' or '..'; a final '..' above `start` is refused here).
 */
export function nameiParent(start: Vnode, path: string): { dir: Vnode; name: string; trailingSlash: boolean } {
  const { components, trailingSlash } = parsePath(path);
  const walk = new Walk(start);
  walk.enterAll(components.slice(0, -1));
  const name = lastOf(components);
  walk.checkLast(name);
  return { dir: walk.dir, name, trailingSlash };
}
