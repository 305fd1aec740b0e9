// The XNU-like personality server: one task that serves the BSD system calls and the exception IPC of
// every process. It reads each request from its UTCB, dispatches it through the one syscall table
// (bsd/syscalls.ts), and leaves the reply in its UTCB for the worker's reply-and-wait.
// It never touches the host directly: output and process exits go through the ServerHost interface.
import { Kernel, tagLabel, tagWords } from '../kernel-as/bindings/kernel.js';
import { TAG_BULK, TAG_EXCEPTION } from '../kernel-as/bindings/abi.js';
import { ENOSYS } from './interfaces/errno.js';
import type { ExitStatus } from './interfaces/exit.js';
import { ProcessTable, type Process } from './bsd/proc.js';
import { SYSCALLS, type Request } from './bsd/syscalls.js';
import { signalForTrap } from './bsd/signal.js';

/** What the server needs from its host: a console and a place to report exits. */
export interface ServerHost {
  console(fd: number, data: Uint8Array): void;
  exited(task: number, status: ExitStatus): void;
}

/** Optional strace-style hook: called after every system call with its name, arguments and result. */
export type TraceHook = (pid: number, name: string, args: readonly number[], result: readonly number[]) => void;

export class Personality {
  readonly procs = new ProcessTable();
  trace: TraceHook | undefined;

  constructor(private k: Kernel, private host: ServerHost) {}

  addProcess(task: number, pid: number, name: string): void {
    this.procs.add(task, pid, name);
  }

  /** Serve the message in the UTCB; returns the thread to reply to, or 0 for no reply. */
  handle(): number {
    const k = this.k;
    const tag = k.mr(0);
    const proc = this.procs.byTask(k.badge);
    if (!proc) return 0; // not a process we know: drop (its caller stays blocked until its task dies)
    const reply = (tag & TAG_EXCEPTION) !== 0 ? this.exception(proc) : this.syscall(proc, tag);
    k.setMessage(0, reply);
    return k.sender;
  }

  private syscall(proc: Process, tag: number): readonly number[] {
    const label = tagLabel(tag);
    const words = tagWords(tag);
    const args: number[] = [];
    for (let i = 1; i <= words; i++) args.push(this.k.mr(i));
    const entry = SYSCALLS.get(label);
    const request: Request = { proc, args, bulk: (tag & TAG_BULK) !== 0 ? this.bulk(words) : undefined, server: this };
    const result = entry ? entry.handler(request) : [ENOSYS];
    this.trace?.(proc.pid, entry?.name ?? `syscall_${label}`, args, result);
    return result;
  }

  /** The bulk item the kernel copied into our buffer: its words follow the untyped ones. */
  private bulk(words: number): Uint8Array {
    const addr = this.k.mr(words + 1);
    const len = this.k.mr(words + 2);
    return new Uint8Array(this.k.memory.buffer, addr, len);
  }

  /** Exception IPC from a trapping task: the process ends by the matching signal. */
  private exception(proc: Process): readonly number[] {
    const { signal, reason } = signalForTrap(this.k.mr(1));
    this.end(proc, { signal, reason });
    return [0];
  }

  /** Record that `proc` ended and tell the host. */
  end(proc: Process, status: ExitStatus): void {
    this.procs.remove(proc.task);
    this.host.exited(proc.task, status);
  }

  console(fd: number, data: Uint8Array): void {
    this.host.console(fd, data);
  }
}

