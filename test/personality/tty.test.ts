// The terminal's line discipline (personality/vfs/tty.ts) on its own, with a fake host: echo,
// editing, the typed signals, the end of file of one read, non-canonical reads, the input bound,
// and job control's answers to a reader outside the foreground group.
import { describe, expect, it } from 'vitest';
import { EINVAL, EIO, EINTR, RESTART_SYSCALL, SIGINT, SIGTSTP, SIGTTIN, SIGQUIT } from '../../dist/abi/errno.js';
import { SIG_CATCH, SIG_IGN } from '../../dist/abi/bsd.js';
import { ICANON, ISIG, NOFLSH, TCSAFLUSH, TCSANOW, VMIN, VTIME, Tty } from '../../dist/personality/vfs/tty.js';
import { SigState } from '../../dist/personality/bsd/kern_sig.js';
import { Blocked } from '../../dist/personality/bsd/wait.js';
import { VfsError } from '../../dist/personality/vfs/vnode.js';
import type { Process } from '../../dist/personality/bsd/proc.js';

/** A terminal whose host input is `typed` (as the keys would come), recording echo and signals. */
function terminal() {
  const input: number[] = [];
  const echo: number[] = [];
  const host = {
    /** What was echoed, decoded as a whole (the terminal echoes a UTF-8 character byte by byte). */
    get echoed(): string {
      return new TextDecoder().decode(Uint8Array.from(echo));
    },
    signals: [] as Array<[number, number]>,
    wakeups: 0,
    ended: false,
    orphaned: false,
    taken: 0,
  };
  const tty = new Tty({
    take: (into: Uint8Array) => {
      const n = Math.min(into.length, input.length);
      into.set(input.splice(0, n));
      host.taken += n;
      return n;
    },
    ended: () => host.ended && input.length === 0,
    echo: (bytes: Uint8Array) => echo.push(...bytes),
    signalGroup: (pgid: number, n: number) => host.signals.push([pgid, n]),
    orphaned: () => host.orphaned,
    wakeup: () => host.wakeups++,
  });
  tty.session = 1;
  tty.pgrp = 1;
  const type = (keys: string) => {
    input.push(...new TextEncoder().encode(keys));
    tty.input();
  };
  return { tty, host, type, input };
}

const fg = { pid: 1, sid: 1, pgid: 1, sig: new SigState() } as unknown as Process;

function read(tty: Tty, size = 100, proc: Process = fg): string | 'blocked' {
  const into = new Uint8Array(size);
  try {
    return new TextDecoder().decode(into.subarray(0, tty.read(proc, into, () => performance.now())));
  } catch (e) {
    if (e instanceof Blocked) return 'blocked';
    throw e;
  }
}

function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof VfsError) return e.errno;
    throw e;
  }
  return 0;
}

describe('the line discipline', () => {
  it('echoes what is typed, control characters as ^X, and gives a line once it ends (\\r as \\n)', () => {
    const { tty, host, type } = terminal();
    type('ls -l');
    expect(read(tty)).toBe('blocked');
    type('\x01\r');
    expect(host.echoed).toBe('ls -l^A\n');
    expect(read(tty)).toBe('ls -l\x01\n');
    expect(read(tty)).toBe('blocked');
  });

  it('a canonical read returns at most one line, and what is left of it the next time', () => {
    const { tty, type } = terminal();
    type('first\rsecond\r');
    expect(read(tty, 3)).toBe('fir');
    expect(read(tty)).toBe('st\n');
    expect(read(tty)).toBe('second\n');
  });

  it('ERASE takes back one character (a UTF-8 one whole), KILL the line, WERASE a word', () => {
    const { tty, host, type } = terminal();
    type('caf\u00e9\x7f\x7fe\r');
    expect(read(tty)).toBe('cae\n');
    expect(host.echoed).toBe('caf\u00e9\b \b\b \be\n');
    type('wrong\x15right\r');
    expect(read(tty)).toBe('right\n');
    type('one two  \x17three\r');
    expect(read(tty)).toBe('one three\n');
    type('\x7f\x7f\r'); // nothing to erase
    expect(read(tty)).toBe('\n');
  });

  it('^D on an empty line is an end of file for one read; after text it ends the read with the text', () => {
    const { tty, host, type } = terminal();
    type('\x04');
    expect(read(tty)).toBe('');
    expect(read(tty)).toBe('blocked');
    type('abc\x04');
    expect(read(tty)).toBe('abc');
    expect(host.echoed).toBe('abc');
    host.ended = true;
    expect(read(tty)).toBe(''); // the host's input ended: every read is an end of file
    expect(read(tty)).toBe('');
  });

  it('^C, ^\\ and ^Z signal the foreground group, echo, and discard the line (unless NOFLSH)', () => {
    const { tty, host, type } = terminal();
    type('half\x03');
    type('x\x1c\x1a');
    expect(host.signals).toEqual([[1, SIGINT], [1, SIGQUIT], [1, SIGTSTP]]);
    expect(host.echoed).toBe('half^Cx^\\^Z');
    type('\r');
    expect(read(tty)).toBe('\n');
    tty.setAttr(TCSANOW, { ...tty.termios, lflag: tty.termios.lflag | NOFLSH });
    type('kept\x03\r');
    expect(read(tty)).toBe('kept\n');
    tty.setAttr(TCSANOW, { ...tty.termios, lflag: tty.termios.lflag & ~ISIG });
    type('\x03\r');
    expect(read(tty)).toBe('\x03\n');
  });

  it('non-canonical: VMIN and VTIME; what was being edited becomes readable', () => {
    const { tty, type } = terminal();
    type('ab');
    const raw = { ...tty.termios, lflag: tty.termios.lflag & ~ICANON, cc: tty.termios.cc.slice() };
    raw.cc[VMIN] = 3;
    raw.cc[VTIME] = 0;
    tty.setAttr(TCSANOW, raw);
    expect(read(tty)).toBe('blocked'); // 2 of 3
    expect(read(tty, 2)).toBe('ab'); // as many as asked for
    type('xyz');
    expect(read(tty)).toBe('xyz');
    raw.cc[VMIN] = 0;
    tty.setAttr(TCSANOW, raw);
    expect(read(tty)).toBe('');
    raw.cc[VTIME] = 1;
    tty.setAttr(TCSANOW, raw);
    expect(read(tty)).toBe('blocked'); // for 0.1 s
    const into = new Uint8Array(4);
    expect(tty.read(fg, into, () => performance.now() - 200)).toBe(0); // that long since it began: 0
  });

  it('holds at most 64 KiB of input; the rest waits in the host until a reader makes room', () => {
    const { tty, host, type, input } = terminal();
    type('1234567\r'.repeat(10_000)); // 80,000 bytes of lines
    expect(host.taken).toBe(65_536);
    expect(input.length).toBe(80_000 - 65_536);
    for (let i = 0; i < 1_900; i++) expect(read(tty)).toBe('1234567\n');
    expect(input.length).toBe(0);
  });

  it('a canonical line longer than 4095 characters loses the rest, as on Linux', () => {
    const { tty, type } = terminal();
    type('y'.repeat(5_000) + '\r');
    expect(read(tty, 10_000)).toBe('y'.repeat(4_095) + '\n');
  });

  it('tcsetattr: an unknown action is EINVAL; TCSAFLUSH discards what was typed', () => {
    const { tty, type } = terminal();
    expect(errnoOf(() => tty.setAttr(9, tty.termios))).toBe(EINVAL);
    type('gone\r');
    tty.setAttr(TCSAFLUSH, tty.termios);
    expect(read(tty)).toBe('blocked');
  });
});

describe('job control', () => {
  const background = (sig = new SigState()) => ({ pid: 2, sid: 1, pgid: 2, sig }) as unknown as Process;

  it('a background reader: its group gets SIGTTIN and the read is made again once continued', () => {
    const { tty, host, type } = terminal();
    type('line\r');
    expect(errnoOf(() => read(tty, 100, background()))).toBe(RESTART_SYSCALL);
    expect(host.signals).toEqual([[2, SIGTTIN]]);
    expect(read(tty)).toBe('line\n'); // nothing was taken
  });

  it('EIO when it ignores or blocks SIGTTIN or its group is orphaned; EINTR when it catches it', () => {
    const { tty, host } = terminal();
    const ignoring = new SigState();
    ignoring.actions[SIGTTIN] = SIG_IGN;
    expect(errnoOf(() => read(tty, 100, background(ignoring)))).toBe(EIO);
    const blocking = new SigState();
    blocking.blocked = 1 << (SIGTTIN - 1);
    expect(errnoOf(() => read(tty, 100, background(blocking)))).toBe(EIO);
    const catching = new SigState();
    catching.actions[SIGTTIN] = SIG_CATCH;
    expect(errnoOf(() => read(tty, 100, background(catching)))).toBe(EINTR);
    host.orphaned = true;
    expect(errnoOf(() => read(tty, 100, background()))).toBe(EIO);
    expect(host.signals).toEqual([[2, SIGTTIN]]); // only the catching one's group was signalled
  });

  it('a process of another session reads as it likes', () => {
    const { tty, type } = terminal();
    type('mine\r');
    expect(read(tty, 100, { pid: 3, sid: 3, pgid: 3, sig: new SigState() } as unknown as Process)).toBe('mine\n');
  });
});
