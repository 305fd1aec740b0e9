// The terminal (XNU's bsd/kern/tty.c and its line discipline, tty_ttydisc): when the host's standard
// input is a terminal in raw mode, webmach runs the line discipline itself. The host feeds every
// byte it reads into the console's input ring and wakes the server; the terminal drains the ring
// (input()), and for each byte applies termios as Linux does: ICRNL/INLCR/IGNCR; ISIG's INTR (^C),
// QUIT (^\) and SUSP (^Z) signal the foreground process group; ICANON edits a line (ERASE ^? or ^H,
// KILL ^U, WERASE ^W, EOF ^D, EOL) and queues it whole; ECHO and its kin echo to the terminal. Reads
// take from the queue: in canonical mode at most one line, and an EOF typed on an empty line makes
// that one read return 0; otherwise as VMIN and VTIME say. The terminal is the controlling terminal
// of one session, with a foreground process group (tcsetpgrp): a reader or (with TOSTOP) writer of
// another group of that session gets SIGTTIN or SIGTTOU (EIO when it ignores or blocks it, or its
// group is orphaned). Output processing (OPOST, ONLCR) is the host terminal's own: programs' output
// reaches it through the output ring without the server, and Node's raw mode leaves the host
// terminal's OPOST set, so \n goes out as \r\n whatever the flags here say.
import { EINTR, EIO, EINVAL, RESTART_SYSCALL, SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH } from '../../abi/errno.js';
import { SIG_CATCH } from '../../abi/bsd.js';
import { ignored, sigbit } from '../bsd/kern_sig.js';
import type { Process } from '../bsd/proc.js';
import { VfsError, type Readiness } from './vnode.js';
import { Blocked } from '../bsd/wait.js';

/** termios as Linux has it: flag words and control characters (indices below). */
export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  cc: Uint8Array;
}

export const NCCS = 32;
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSTART = 8, VSTOP = 9, VSUSP = 10,
  VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
export const ISTRIP = 0o40, INLCR = 0o100, IGNCR = 0o200, ICRNL = 0o400, IXON = 0o2000, IUTF8 = 0o40000;
export const OPOST = 1, ONLCR = 4;
export const CS8 = 0o60, CREAD = 0o200, B38400 = 0o17;
export const ISIG = 1, ICANON = 2, ECHO = 0o10, ECHOE = 0o20, ECHOK = 0o40, ECHONL = 0o100, NOFLSH = 0o200, TOSTOP = 0o400,
  ECHOCTL = 0o1000, ECHOKE = 0o4000, IEXTEN = 0o100000;
/** tcsetattr's `when`, and tcflush's queues. */
export const TCSANOW = 0, TCSADRAIN = 1, TCSAFLUSH = 2;
export const TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

/** A fresh terminal's modes: Linux's defaults (stty sane). */
export function defaultTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0]);
  return {
    iflag: ICRNL | IXON | IUTF8,
    oflag: OPOST | ONLCR,
    cflag: CS8 | CREAD | B38400,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    cc,
  };
}

/** The longest line canonical mode edits (Linux's N_TTY_BUF_SIZE, less the newline). */
const MAX_CANON = 4095;
/** Input the terminal holds for readers; beyond it, bytes wait in the host's ring. */
const MAX_INPUT = 1 << 16;
const NL = 0x0a, CR = 0x0d, BS = 0x08, TAB = 0x09;

/** What the terminal needs from the server. */
export interface TtyHost {
  /** Bytes of the input ring, as many as fit `into` (0 when it is empty). */
  take(into: Uint8Array): number;
  /** Whether the host's input has ended (the terminal hung up) and the ring is empty. */
  ended(): boolean;
  /** Echo to the terminal, after what processes wrote to it. */
  echo(bytes: Uint8Array): void;
  /** Post signal `n` to every process of group `pgid`. */
  signalGroup(pgid: number, n: number): void;
  /** Whether process group `pgid` is orphaned (no member's parent is in another group of its session). */
  orphaned(pgid: number): boolean;
  /** Wake the calls parked on `channel`. */
  wakeup(channel: object): void;
}

/** One queued unit of canonical input: a line (with its terminator, if any), or an end of file (eof). */
interface Line {
  bytes: number[];
  eof: boolean;
}

export class Tty {
  termios = defaultTermios();
  /** The session it is the controlling terminal of (0: none), and that session's foreground process group. */
  session = 0;
  pgrp = 0;
  rows = 24;
  cols = 80;
  /** Wait channel of its readers. */
  readonly channel = {};
  /** Canonical mode: the line being edited, and the lines ready to read. */
  private edit: number[] = [];
  private lines: Line[] = [];
  /** Bytes in `lines`. */
  private lineBytes = 0;
  /** Non-canonical mode: the bytes ready to read. */
  private raw: number[] = [];
  private chunk = new Uint8Array(4096);

  constructor(private host: TtyHost) {}

  private get lflag(): number {
    return this.termios.lflag;
  }

  private get canonical(): boolean {
    return (this.lflag & ICANON) !== 0;
  }

  /** Bytes held for readers. */
  private get held(): number {
    return this.raw.length + this.edit.length + this.lineBytes;
  }

  /** Drain the host's input ring through the line discipline (as far as MAX_INPUT lets it); wake readers if any can read. */
  input(): void {
    for (let room = MAX_INPUT - this.held; room > 0; room = MAX_INPUT - this.held) {
      const n = this.host.take(this.chunk.subarray(0, Math.min(room, this.chunk.length)));
      if (n === 0) break;
      for (let i = 0; i < n; i++) this.byte(this.chunk[i]);
    }
    if (this.readable() || this.host.ended()) this.host.wakeup(this.channel);
  }

  /** One input byte through the line discipline. */
  private byte(c: number): void {
    const { iflag, cc } = this.termios;
    if (iflag & ISTRIP) c &= 0x7f;
    if (c === CR) {
      if (iflag & IGNCR) return;
      if (iflag & ICRNL) c = NL;
    } else if (c === NL && iflag & INLCR) c = CR;
    if (this.lflag & ISIG && c !== 0) {
      const signal = c === cc[VINTR] ? SIGINT : c === cc[VQUIT] ? SIGQUIT : c === cc[VSUSP] ? SIGTSTP : 0;
      if (signal) return this.typedSignal(c, signal);
    }
    if (this.canonical) this.canon(c);
    else {
      this.raw.push(c);
      this.echoChar(c);
    }
  }

  /** ^C, ^\ or ^Z: flush (unless NOFLSH), echo it, signal the foreground group. */
  private typedSignal(c: number, signal: number): void {
    if (!(this.lflag & NOFLSH)) this.flushInput();
    this.echoChar(c);
    if (this.pgrp) this.host.signalGroup(this.pgrp, signal);
  }

  /** Canonical mode: edit the line, or end it. */
  private canon(c: number): void {
    const { cc } = this.termios;
    const is = (i: number) => c !== 0 && c === cc[i];
    if (is(VERASE) || c === BS) return this.erase(1);
    if (is(VKILL)) return this.killLine(c);
    if (is(VWERASE) && this.lflag & IEXTEN) return this.eraseWord();
    if (is(VEOF)) return this.endLine(this.edit.length === 0);
    if (c === NL || is(VEOL) || is(VEOL2)) {
      this.edit.push(c);
      if (this.lflag & ECHO || (c === NL && this.lflag & ECHONL)) this.echoChar(c);
      return this.endLine(false);
    }
    if (this.edit.length >= MAX_CANON) return; // full: the character is dropped, as Linux does
    this.edit.push(c);
    this.echoChar(c);
  }

  /** The edited line becomes readable (an end of file when `eof`: an EOF typed on an empty line). */
  private endLine(eof: boolean): void {
    this.lines.push({ bytes: this.edit, eof });
    this.lineBytes += this.edit.length;
    this.edit = [];
  }

  /** ERASE: take back `count` characters (a UTF-8 character whole), wiping them from the screen with ECHOE. */
  private erase(count: number): void {
    for (let i = 0; i < count && this.edit.length > 0; i++) {
      let c = this.edit.pop()!;
      if (this.termios.iflag & IUTF8) while ((c & 0xc0) === 0x80 && this.edit.length > 0) c = this.edit.pop()!;
      if (!(this.lflag & ECHO)) continue;
      if (this.lflag & ECHOE) this.echo('\b \b'.repeat(this.width(c)));
      else this.echoChar(this.termios.cc[VERASE]);
    }
  }

  private eraseWord(): void {
    const blank = (c: number) => c === 0x20 || c === TAB;
    let n = 0;
    for (let i = this.edit.length - 1; i >= 0 && blank(this.edit[i]); i--) n++;
    for (let i = this.edit.length - 1 - n; i >= 0 && !blank(this.edit[i]); i--) n++;
    this.erase(n);
  }

  /** KILL: the line goes; wiped from the screen with ECHOKE (and ECHOE), else the kill character and a newline with ECHOK. */
  private killLine(c: number): void {
    if (this.lflag & ECHO && this.lflag & ECHOKE && this.lflag & ECHOE) return this.erase(this.edit.length);
    this.edit = [];
    if (!(this.lflag & ECHO)) return;
    this.echoChar(c);
    if (this.lflag & ECHOK) this.echo('\n');
  }

  /** Columns a character took when echoed (control characters as ^X with ECHOCTL). */
  private width(c: number): number {
    if (c < 0x20 || c === 0x7f) return this.lflag & ECHOCTL && c !== TAB ? 2 : c === TAB ? 1 : 0;
    return 1;
  }

  /** Echo one input character: control characters as ^X with ECHOCTL (not tab or newline). */
  private echoChar(c: number): void {
    if (!(this.lflag & ECHO)) return;
    if ((c < 0x20 || c === 0x7f) && c !== TAB && c !== NL && this.lflag & ECHOCTL) this.echo('^' + String.fromCharCode(c ^ 0x40));
    else this.host.echo(Uint8Array.of(c));
  }

  private echo(text: string): void {
    this.host.echo(new TextEncoder().encode(text));
  }

  /** Whether a read would return now (data, an end of file, or a hangup). */
  private readable(): boolean {
    return this.canonical ? this.lines.length > 0 : this.raw.length > 0;
  }

  /** Discard input not yet read (tcflush TCIFLUSH, TCSAFLUSH, a typed signal). */
  flushInput(): void {
    this.edit = [];
    this.lines = [];
    this.lineBytes = 0;
    this.raw = [];
  }

  /**
   * read(2) of the terminal by `proc` (`r` keeps a timed read's start): job control first, then a
   * line (canonical) or bytes as VMIN and VTIME say. Blocked when it must wait.
   */
  read(proc: Process | undefined, into: Uint8Array, started: () => number): number {
    if (proc) this.jobControl(proc, SIGTTIN);
    this.input();
    if (this.canonical) return this.readLine(into);
    const { cc } = this.termios;
    const min = cc[VMIN], time = cc[VTIME] * 100;
    if (this.raw.length >= Math.max(min, 1) || (this.raw.length > 0 && this.raw.length >= into.length)) return this.take(into);
    if (this.host.ended() || (min === 0 && time === 0)) return this.take(into);
    if (time === 0) throw new Blocked([this.channel]);
    const deadline = started() + time; // VTIME: from the read's start (min 0) or, approximately, for the whole read
    if (performance.now() >= deadline) return this.take(into);
    throw new Blocked([this.channel], deadline);
  }

  private readLine(into: Uint8Array): number {
    const line = this.lines[0];
    if (!line) {
      if (this.host.ended()) return 0;
      throw new Blocked([this.channel]);
    }
    const n = Math.min(into.length, line.bytes.length);
    into.set(line.bytes.splice(0, n));
    this.lineBytes -= n;
    if (line.bytes.length === 0) this.lines.shift();
    this.input(); // room again: the ring may hold more
    return n;
  }

  private take(into: Uint8Array): number {
    const n = Math.min(into.length, this.raw.length);
    into.set(this.raw.splice(0, n));
    if (n > 0) this.input();
    return n;
  }

  /** A write by `proc`: with TOSTOP, one from a background group gets SIGTTOU first. */
  write(proc: Process | undefined): void {
    if (proc && this.lflag & TOSTOP) this.jobControl(proc, SIGTTOU);
  }

  /**
   * A process of this terminal's session outside its foreground group may not read it (or, with
   * TOSTOP, write it, or change its modes): its group gets `signal` (SIGTTIN, SIGTTOU) and the
   * call is made again once it is continued (RESTART_SYSCALL); EINTR when the signal is caught; EIO
   * when it is ignored or blocked (for SIGTTOU, the call then goes ahead) or its group is orphaned.
   */
  jobControl(proc: Process, signal: number): void {
    if (proc.sid !== this.session || proc.pgid === this.pgrp || this.pgrp === 0) return;
    const st = proc.sig;
    const refused = ignored(st, signal) || (st.blocked & sigbit(signal)) !== 0;
    if (refused && signal === SIGTTOU) return;
    if (refused || this.host.orphaned(proc.pgid)) throw new VfsError(EIO);
    this.host.signalGroup(proc.pgid, signal);
    throw new VfsError(st.actions[signal] === SIG_CATCH ? EINTR : RESTART_SYSCALL);
  }

  readiness(): Readiness {
    this.input();
    const ended = this.host.ended();
    const nbytes = this.canonical ? this.lines[0]?.bytes.length ?? 0 : this.raw.length;
    return { readable: this.readable() || ended, writable: true, hangup: ended, nbytes };
  }

  /** tcsetattr: new modes (the control characters as given, NCCS of them at most); TCSAFLUSH discards unread input. */
  setAttr(when: number, t: Termios): void {
    if (when !== TCSANOW && when !== TCSADRAIN && when !== TCSAFLUSH) throw new VfsError(EINVAL);
    const wasCanonical = this.canonical;
    const cc = new Uint8Array(NCCS);
    cc.set(t.cc.subarray(0, NCCS));
    this.termios = { iflag: t.iflag, oflag: t.oflag, cflag: t.cflag, lflag: t.lflag, cc };
    if (when === TCSAFLUSH) this.flushInput();
    if (wasCanonical && !this.canonical) this.toRaw();
    if (!wasCanonical && this.canonical && this.raw.length > 0) {
      this.lineBytes += this.raw.length;
      this.lines.push({ bytes: this.raw.splice(0), eof: false });
    }
    this.host.wakeup(this.channel); // readers may now be able to read
  }

  /** Leaving canonical mode: what was typed, whole lines and the one being edited, becomes readable as bytes. */
  private toRaw(): void {
    for (const l of this.lines) for (const b of l.bytes) this.raw.push(b);
    this.raw.push(...this.edit);
    this.lines = [];
    this.lineBytes = 0;
    this.edit = [];
  }

  /** The window changed size: the foreground group hears SIGWINCH. */
  resize(rows: number, cols: number): void {
    if (rows === this.rows && cols === this.cols) return;
    [this.rows, this.cols] = [rows, cols];
    if (this.pgrp) this.host.signalGroup(this.pgrp, SIGWINCH);
  }
}
