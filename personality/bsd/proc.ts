// Processes as the BSD personality sees them: pid, kernel task, name, and the descriptor table.
// This first cut knows descriptors 0-2 (the console); the VFS and real files come next.

export interface Process {
  pid: number;
  task: number;
  name: string;
  /** Open descriptors: fd -> what it refers to. */
  fds: Map<number, Descriptor>;
}

export type Descriptor = { kind: 'console'; fd: number };

export class ProcessTable {
  private tasks = new Map<number, Process>();

  add(task: number, pid: number, name: string): Process {
    const fds = new Map<number, Descriptor>([0, 1, 2].map((fd) => [fd, { kind: 'console', fd }]));
    const proc: Process = { pid, task, name, fds };
    this.tasks.set(task, proc);
    return proc;
  }

  byTask(task: number): Process | undefined {
    return this.tasks.get(task);
  }

  remove(task: number): void {
    this.tasks.delete(task);
  }

}
