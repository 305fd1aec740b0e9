// Tasks and threads as ports (XNU's task.c, thread_act.c and the task_for_pid traps): a process's
// task port names it to Mach calls; task_for_pid gives the caller's own or a descendant's,
// pid_for_task goes back; task_info and thread_info answer the basic flavors: the memory is what the
// task library last noted in the commpage (COMMPAGE.memoryPages, at each Mach call), the times 0
// (the web platform cannot measure a thread's CPU time);
// task_suspend stops the task's thread at its next call into the task library, task_resume lets it go.
import {
  KERN_SUCCESS, KERN_FAILURE, KERN_INVALID_ARGUMENT, MACH_SEND_INVALID_DEST, MACH_TASK_BASIC_INFO,
  MACH_TASK_BASIC_INFO_COUNT, TASK_BASIC_INFO, TASK_BASIC_INFO_COUNT, TASK_THREAD_TIMES_INFO, TASK_THREAD_TIMES_INFO_COUNT,
  THREAD_BASIC_INFO, THREAD_BASIC_INFO_COUNT, POLICY_TIMESHARE, TH_STATE_RUNNING, TH_STATE_STOPPED, TASK_BOOTSTRAP_PORT,
} from '../../abi/mach.js';
import type { Process, ProcessTable } from '../bsd/proc.js';
import type { IpcSpace } from './ipc_space.js';
import type { Mach, Task, TaskObject } from './mach.js';
import type { TaskSubsystem } from './task_server.js';
import { COMMPAGE } from '../../abi/commpage.js';
import { putWords } from './words.js';

/** Words of a flavor's answer into `out`, if the caller's count has room: the kr and bytes written. */
function answer(words: number[], needed: number, count: number, out: Uint8Array): { kr: number; info: number } {
  const bytes = count < needed ? undefined : putWords(out, words);
  return bytes === undefined ? { kr: KERN_INVALID_ARGUMENT, info: 0 } : { kr: KERN_SUCCESS, info: bytes };
}

/** Whether `pid` is `ancestor` or one of its descendants. */
function descends(procs: ProcessTable, pid: number, ancestor: number): boolean {
  for (let p = procs.byPid(pid); p; p = p.ppid ? procs.byPid(p.ppid) : undefined) if (p.pid === ancestor) return true;
  return false;
}

export function taskForPid(mach: Mach, procs: ProcessTable, caller: Process, space: IpcSpace, target: number, pid: number): { kr: number; task: number } {
  if (!mach.taskNamed(space, target)) return { kr: KERN_FAILURE, task: 0 };
  const p = procs.byPid(pid);
  if (!p || p.status || !descends(procs, pid, caller.pid)) return { kr: KERN_FAILURE, task: 0 };
  return { kr: KERN_SUCCESS, task: mach.sendRight(space, mach.task(pid).port) };
}

export function pidForTask(mach: Mach, space: IpcSpace, name: number): { kr: number; pid: number } {
  const t = mach.taskNamed(space, name);
  return t ? { kr: KERN_SUCCESS, pid: t.pid } : { kr: KERN_FAILURE, pid: -1 };
}

/** The bytes of memory the process's program had at its last Mach call. */
function memoryBytes(proc: Process | undefined): number {
  return proc ? Atomics.load(new Int32Array(proc.stopWord.buffer, proc.commpage + COMMPAGE.memoryPages, 1), 0) * 65536 : 0;
}

export function taskInfo(t: Task, proc: Process | undefined, flavor: number, count: number, out: Uint8Array): { kr: number; info: number } {
  const bytes = memoryBytes(proc);
  const lo = bytes >>> 0;
  const hi = Math.floor(bytes / 2 ** 32);
  if (flavor === MACH_TASK_BASIC_INFO) return answer([lo, hi, lo, hi, lo, hi, 0, 0, 0, 0, POLICY_TIMESHARE, t.suspended], MACH_TASK_BASIC_INFO_COUNT, count, out);
  const small = Math.min(bytes, 2 ** 32 - 1);
  if (flavor === TASK_BASIC_INFO) return answer([t.suspended, small, small, 0, 0, 0, 0, POLICY_TIMESHARE], TASK_BASIC_INFO_COUNT, count, out);
  if (flavor === TASK_THREAD_TIMES_INFO) return answer([0, 0, 0, 0], TASK_THREAD_TIMES_INFO_COUNT, count, out);
  return { kr: KERN_INVALID_ARGUMENT, info: 0 };
}

export function threadInfo(mach: Mach, space: IpcSpace, name: number, flavor: number, count: number, out: Uint8Array): { kr: number; info: number } {
  const thread = mach.kobject(space, name, 'thread') as TaskObject | undefined;
  if (!thread) return { kr: MACH_SEND_INVALID_DEST, info: 0 };
  if (flavor !== THREAD_BASIC_INFO) return { kr: KERN_INVALID_ARGUMENT, info: 0 };
  const t = thread.task;
  return answer([0, 0, 0, 0, 0, POLICY_TIMESHARE, t.suspended ? TH_STATE_STOPPED : TH_STATE_RUNNING, 0, t.suspended, 0], THREAD_BASIC_INFO_COUNT, count, out);
}

/** task_threads: a send right to each thread's port, as words into `out`. */
export function taskThreads(mach: Mach, space: IpcSpace, t: Task, out: Uint8Array): { kr: number; threads: number } {
  if (out.length < 4) return { kr: KERN_FAILURE, threads: 0 }; // before the right is made
  return { kr: KERN_SUCCESS, threads: putWords(out, [mach.sendRight(space, t.thread)])! };
}

/** task_suspend (by +1) and task_resume (-1): the task's thread parks at its next call into the library while the count is above 0. */
export function suspend(t: Task, proc: Process | undefined, by: 1 | -1): number {
  if (by < 0 && t.suspended === 0) return KERN_FAILURE;
  t.suspended += by;
  if (!proc || proc.status) return KERN_SUCCESS;
  if (t.suspended === 1 && by > 0) Atomics.store(proc.stopWord, 0, -1);
  if (t.suspended === 0 && !proc.stopped) {
    Atomics.store(proc.stopWord, 0, 0);
    Atomics.notify(proc.stopWord, 0);
  }
  return KERN_SUCCESS;
}

export function specialPort(mach: Mach, space: IpcSpace, which: number): { kr: number; port: number } {
  if (which !== TASK_BOOTSTRAP_PORT) return { kr: KERN_INVALID_ARGUMENT, port: 0 };
  return { kr: KERN_SUCCESS, port: mach.sendRight(space, mach.bootstrap.port) };
}

/** The task subsystem served by message on task ports (abi/task.defs), the same code as the routines. */
export function taskSubsystem(procOf: (pid: number) => Process | undefined): TaskSubsystem<Task> {
  return {
    task_info(t, a) {
      const room = new Uint8Array(Math.min(a.task_info_outCnt, 32) * 4);
      const r = taskInfo(t, procOf(t.pid), a.flavor, a.task_info_outCnt, room);
      const v = new DataView(room.buffer);
      return { kr: r.kr, task_info_out: Array.from({ length: r.info / 4 }, (_, i) => v.getInt32(i * 4, true)) };
    },
    task_suspend: (t) => ({ kr: suspend(t, procOf(t.pid), 1) }),
    task_resume: (t) => ({ kr: suspend(t, procOf(t.pid), -1) }),
  };
}
