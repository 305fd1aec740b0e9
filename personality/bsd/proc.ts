// Processes as the BSD personality sees them: pid, kernel task, name, the descriptor table, and the
// two frames of machine memory the server shares with the process: its message window (system-call
// data, read and written in place) and its commpage (identity, args, environment; written once but for the console word).
import { FdTable } from '../vfs/file.js';
import type { Ring } from '../interfaces/ring.js';

export interface Process {
  pid: number;
  task: number;
  name: string;
  fds: FdTable;
  /** The process's message window in machine memory. */
  window: Uint8Array;
  /** Its commpage's console word (COMMPAGE.console), which the server rewrites as descriptors 0-2 change. */
  consoleWord: Int32Array;
  /** Its console output ring (interfaces/ring.ts), which the host drains. */
  output: Ring;
}

export class ProcessTable {
  private tasks = new Map<number, Process>();

  add(proc: Process): Process {
    this.tasks.set(proc.task, proc);
    return proc;
  }

  byTask(task: number): Process | undefined {
    return this.tasks.get(task);
  }

  remove(task: number): void {
    this.tasks.get(task)?.fds.closeAll();
    this.tasks.delete(task);
  }
}
