// The descriptor table's answers when a call needs rights a descriptor lacks: EBADF for a number that
// is not open, ESPIPE for seeking a stream (a terminal or pipe lacks the seek and tell rights by its
// type, as wasi-libc's isatty expects; lseek there says ESPIPE, as under wasmtime), ENOTCAPABLE for
// any other right the descriptor was not given.
import { describe, expect, it } from 'vitest';
import { FdTable, OpenFile } from '../../dist/personality/vfs/file.js';
import { TmpFs } from '../../dist/personality/vfs/tmpfs.js';
import type { Vnode } from '../../dist/personality/vfs/vnode.js';
import { RIGHT, RIGHTS_TTY } from '../../dist/abi/wasi.js';
import { errnoOf } from './vfs_conformance.js';

/** A stream as the console's nodes are: not seekable. */
const stream = { seekable: false, retain() {}, release() {} } as unknown as Vnode;

describe('FdTable.need', () => {
  const fds = new FdTable(16);
  const tty = fds.install({ file: new OpenFile(stream, 0), rights: RIGHTS_TTY, inheriting: 0 });
  const file = new TmpFs(1n).root.create('f', false);
  const readOnly = fds.install({ file: new OpenFile(file, 0), rights: RIGHT.fdRead, inheriting: 0 });

  it('gives the descriptor when it holds the rights', () => {
    expect(fds.need(tty, RIGHT.fdRead | RIGHT.fdWrite).rights).toBe(RIGHTS_TTY);
  });

  it('EBADF for a descriptor that is not open', () => {
    expect(errnoOf(() => fds.need(9, RIGHT.fdRead))).toBe('EBADF');
  });

  it('ESPIPE for seek, tell, pread or pwrite on a stream', () => {
    for (const rights of [RIGHT.fdSeek, RIGHT.fdTell, RIGHT.fdRead | RIGHT.fdSeek, RIGHT.fdWrite | RIGHT.fdSeek]) {
      expect(errnoOf(() => fds.need(tty, rights))).toBe('ESPIPE');
    }
  });

  it('ENOTCAPABLE for a right a seekable file was not given, seeking included', () => {
    expect(errnoOf(() => fds.need(readOnly, RIGHT.fdWrite))).toBe('ENOTCAPABLE');
    expect(errnoOf(() => fds.need(readOnly, RIGHT.fdSeek))).toBe('ENOTCAPABLE');
    expect(errnoOf(() => fds.need(tty, RIGHT.fdReaddir))).toBe('ENOTCAPABLE');
  });
});
