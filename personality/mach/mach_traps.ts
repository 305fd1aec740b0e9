// The Mach call table: the dispatch table generated from abi/mach.defs (mach_server.ts), bound to
// this server's Mach (mach.ts). A routine naming a task (`task` arguments) acts on that task's
// space; a name that is not a task port is MACH_SEND_INVALID_DEST, as XNU's traps answer. mach_msg
// and the semaphore waits park (wait.ts) and handle their own interruption by a signal
// (MACH_SEND_INTERRUPTED, MACH_RCV_INTERRUPTED, KERN_ABORTED), which the C library acts on.
import {
  KERN_SUCCESS, KERN_INVALID_VALUE, KERN_INVALID_ARGUMENT, KERN_RESOURCE_SHORTAGE, MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_RIGHT,
  MACH_SEND_INVALID_MEMORY, MACH_SEND_MSG,
  MACH_RCV_MSG, MACH_PORT_NULL, MACH_MSG_TYPE_PORT_RECEIVE, MACH_PORT_TYPE_SEND,
} from '../../abi/mach.js';
import { machRoutines, type MachServer, type Routine } from './mach_server.js';
import type { Request } from '../bsd/syscalls.js';
import type { IpcSpace } from './ipc_space.js';
import type { Task } from './mach.js';
import { copyout } from './ipc_right.js';
import { send, receive, type MsgCaller } from './mach_msg.js';
import { deadlineOf, Semaphore } from './sync_sema.js';
import { dropRefs } from './ipc_right.js';
import * as port from './mach_port.js';
import * as task from './task.js';

/** Routines that answer a signal's interruption themselves (their handler sees Request.interrupted). */
export const SELF_INTERRUPTED = new Set(['mach_msg', 'semaphore_wait_trap', 'semaphore_wait_signal_trap', 'semaphore_timedwait_trap', 'semaphore_timedwait_signal_trap']);

const mach = (r: Request) => r.server.mach;
const space = (r: Request): IpcSpace => mach(r).space(r.proc);

/** The space of the task `name` names in the caller's space, or undefined (MACH_SEND_INVALID_DEST). */
function target(r: Request, name: number): IpcSpace | undefined {
  return mach(r).spaceNamed(space(r), name);
}

function targetTask(r: Request, name: number): Task | undefined {
  return mach(r).taskNamed(space(r), name);
}

/** Run `f` on the task's space, or answer MACH_SEND_INVALID_DEST with `zero`'s other fields. */
function onTask<T extends { kr: number }>(r: Request, name: number, zero: Omit<T, 'kr'>, f: (s: IpcSpace) => T): T {
  const s = target(r, name);
  return s ? f(s) : ({ kr: MACH_SEND_INVALID_DEST, ...zero } as T);
}

const kr = (k: number) => ({ kr: k });

function caller(r: Request): MsgCaller {
  return { ipc: mach(r).ipc, space: space(r), pid: r.proc.pid, started: r.started, interrupted: r.interrupted };
}

/** The semaphore a name denotes and then `f`, or the kern_return_t for the name. */
function withSemaphore(r: Request, name: number, f: (s: Semaphore) => number): { kr: number } {
  const s = mach(r).semaphores.named(space(r), name);
  return kr(typeof s === 'number' ? s : f(s));
}

/**
 * A semaphore wait (deadline: undefined for none); with `signal` first. The first try finds the
 * semaphores (and signals); a retry of a parked wait keeps the one it waits on, even if it was destroyed meanwhile.
 */
function semWait(r: Request, wait: number, signal: number, deadline: number | undefined): { kr: number } {
  const sems = mach(r).semaphores;
  if (!(r.state instanceof Semaphore)) {
    const w = sems.named(space(r), wait);
    if (typeof w === 'number') return kr(w);
    if (signal !== MACH_PORT_NULL) {
      const s = sems.named(space(r), signal);
      if (typeof s === 'number') return kr(s);
      sems.signal(s, false);
    }
    r.state = w;
  }
  return kr(sems.wait(r.state as Semaphore, { key: r, pid: r.proc.pid, deadline, interrupted: r.interrupted }));
}

function timedWait(r: Request, wait: number, signal: number, sec: number, nsec: number): { kr: number } {
  const deadline = deadlineOf(r.started, sec, nsec);
  return deadline === undefined ? kr(KERN_INVALID_VALUE) : semWait(r, wait, signal, deadline);
}

const HANDLERS: MachServer<Request> = {
  mach_msg(r, a) {
    const c = caller(r);
    const staging = mach(r).staging;
    const pid = r.proc.pid;
    const result = (kr: number, reply = 0, staged = 0) => ({ kr, reply, staged_reply: staged, staging: staged ? staging.buffer(pid, staged)! : 0 });
    if (a.option & MACH_SEND_MSG && r.state === undefined) {
      const wire = a.staged ? staging.view(pid, a.staged) : a.msg;
      const sent = wire ? send(c, wire, a.option, a.timeout) : MACH_SEND_INVALID_MEMORY;
      if (sent !== KERN_SUCCESS) return result(sent);
      r.state = 'sent'; // a receive that parks after this must not send again
    }
    if (!(a.option & MACH_RCV_MSG)) return result(KERN_SUCCESS);
    const stage = (bytes: number) => (staging.buffer(pid, bytes) === undefined ? undefined : staging.view(pid, bytes));
    const got = receive(c, a.rcv_name, a.option, a.rcv_size, a.timeout, a.reply, stage);
    return got.staged ? result(got.kr, 0, got.bytes) : result(got.kr, got.bytes);
  },
  mach_msg_stage(r, a) {
    const staging = mach(r).staging.buffer(r.proc.pid, a.size);
    return staging === undefined ? { kr: KERN_RESOURCE_SHORTAGE, staging: 0 } : { kr: KERN_SUCCESS, staging };
  },
  mach_reply_port(r) {
    const m = mach(r);
    const p = m.ipc.port();
    return { name: copyout(m.ipc, space(r), { port: p, type: MACH_MSG_TYPE_PORT_RECEIVE }) };
  },
  thread_self_trap: (r) => ({ name: mach(r).sendRight(space(r), mach(r).task(r.proc.pid).thread) }),
  task_self_trap: (r) => ({ name: mach(r).sendRight(space(r), mach(r).task(r.proc.pid).port) }),
  task_for_pid: (r, a) => task.taskForPid(mach(r), r.server.procs, r.proc, space(r), a.target, a.pid),
  pid_for_task: (r, a) => task.pidForTask(mach(r), space(r), a.task),
  semaphore_signal_trap: (r, a) => withSemaphore(r, a.semaphore, (s) => mach(r).semaphores.signal(s, false)),
  semaphore_signal_all_trap: (r, a) => withSemaphore(r, a.semaphore, (s) => mach(r).semaphores.signal(s, true)),
  semaphore_wait_trap: (r, a) => semWait(r, a.semaphore, MACH_PORT_NULL, undefined),
  semaphore_wait_signal_trap: (r, a) => semWait(r, a.wait, a.signal, undefined),
  semaphore_timedwait_trap: (r, a) => timedWait(r, a.semaphore, MACH_PORT_NULL, a.sec, a.nsec),
  semaphore_timedwait_signal_trap: (r, a) => timedWait(r, a.wait, a.signal, a.sec, a.nsec),
  mach_port_names: (r, a) => onTask(r, a.task, { names: 0 }, (s) => port.names(s, a.names)),
  mach_port_type: (r, a) => onTask(r, a.task, { ptype: 0 }, (s) => port.type(s, a.name)),
  mach_port_allocate: (r, a) => onTask(r, a.task, { name: 0 }, (s) => port.allocate(mach(r).ipc, s, a.right)),
  mach_port_destroy: (r, a) => onTask(r, a.task, {}, (s) => kr(port.destroy(mach(r).ipc, s, a.name))),
  mach_port_deallocate: (r, a) => onTask(r, a.task, {}, (s) => kr(port.deallocate(mach(r).ipc, s, a.name))),
  mach_port_get_refs: (r, a) => onTask(r, a.task, { refs: 0 }, (s) => port.getRefs(s, a.name, a.right)),
  mach_port_mod_refs: (r, a) => onTask(r, a.task, {}, (s) => kr(port.modRefs(mach(r).ipc, s, a.name, a.right, a.delta))),
  mach_port_get_set_status: (r, a) => onTask(r, a.task, { members: 0 }, (s) => port.getSetStatus(s, a.name, a.members)),
  mach_port_move_member: (r, a) => onTask(r, a.task, {}, (s) => kr(port.moveMember(mach(r).ipc, s, a.member, a.after))),
  mach_port_request_notification: (r, a) =>
    onTask(r, a.task, { previous: 0 }, (s) => port.requestNotification(mach(r).ipc, s, a.name, a.msgid, a.sync, a.notify, a.notify_poly)),
  mach_port_insert_right: (r, a) => onTask(r, a.task, {}, (s) => kr(port.insertRight(mach(r).ipc, space(r), s, a.name, a.poly, a.poly_poly))),
  mach_port_extract_right: (r, a) => onTask(r, a.task, { poly: 0, poly_poly: 0 }, (s) => port.extractRight(mach(r).ipc, s, space(r), a.name, a.msgt_name)),
  mach_port_get_attributes: (r, a) => onTask(r, a.task, { info: 0 }, (s) => port.getAttributes(s, a.name, a.flavor, a.count, a.info)),
  mach_port_set_attributes: (r, a) => onTask(r, a.task, {}, (s) => kr(port.setAttributes(mach(r).ipc, s, a.name, a.flavor, a.info))),
  mach_port_insert_member: (r, a) => onTask(r, a.task, {}, (s) => kr(port.insertMember(mach(r).ipc, s, a.name, a.pset))),
  mach_port_extract_member: (r, a) => onTask(r, a.task, {}, (s) => kr(port.extractMember(s, a.name, a.pset))),
  task_threads(r, a) {
    const t = targetTask(r, a.task);
    return t ? task.taskThreads(mach(r), space(r), t, a.threads) : { kr: MACH_SEND_INVALID_DEST, threads: 0 };
  },
  task_info(r, a) {
    const t = targetTask(r, a.task);
    return t ? task.taskInfo(t, r.server.procs.byPid(t.pid), a.flavor, a.count, a.info) : { kr: MACH_SEND_INVALID_DEST, info: 0 };
  },
  task_suspend: (r, a) => suspendTask(r, a.task, 1),
  task_resume: (r, a) => suspendTask(r, a.task, -1),
  task_get_special_port: (r, a) => (targetTask(r, a.task) ? task.specialPort(mach(r), space(r), a.which) : { kr: MACH_SEND_INVALID_DEST, port: 0 }),
  semaphore_create(r, a) {
    const t = targetTask(r, a.task);
    if (!t) return { kr: MACH_SEND_INVALID_DEST, semaphore: 0 };
    const s = mach(r).semaphores.create(t.pid, a.policy, a.value);
    return typeof s === 'number' ? { kr: s, semaphore: 0 } : { kr: KERN_SUCCESS, semaphore: mach(r).sendRight(space(r), s.port) };
  },
  semaphore_destroy(r, a) {
    const t = targetTask(r, a.task);
    if (!t) return kr(MACH_SEND_INVALID_DEST);
    if (a.semaphore === MACH_PORT_NULL) return kr(KERN_INVALID_ARGUMENT);
    const e = space(r).lookup(a.semaphore);
    if (!e?.has(MACH_PORT_TYPE_SEND)) return kr(MACH_SEND_INVALID_RIGHT); // the MIG request could not carry it
    return withSemaphore(r, a.semaphore, (s) => {
      const result = mach(r).semaphores.destroy(s, t.pid);
      if (result === KERN_SUCCESS) dropRefs(mach(r).ipc, e, 1); // the request consumed the caller's send right
      return result;
    });
  },
  thread_info: (r, a) => task.threadInfo(mach(r), space(r), a.thread, a.flavor, a.count, a.info),
  mach_port_serve_direct: (r, a) => mach(r).ipc.direct.serve(space(r), r.proc.pid, [...r.proc.threads.keys()][0], a.name),
  mach_port_bind_direct: (r, a) => mach(r).ipc.direct.bind(space(r), r.proc.pid, a.name),
  bootstrap_check_in: (r, a) => onBootstrap(r, a.bootstrap, { port: 0 }, () => mach(r).bootstrap.checkIn(space(r), a.service)),
  bootstrap_look_up: (r, a) => onBootstrap(r, a.bootstrap, { port: 0 }, () => mach(r).bootstrap.lookUp(space(r), a.service)),
  bootstrap_register: (r, a) => onBootstrap(r, a.bootstrap, {}, () => kr(mach(r).bootstrap.register(space(r), a.service, a.port))),
};

function suspendTask(r: Request, name: number, by: 1 | -1): { kr: number } {
  const t = targetTask(r, name);
  return kr(t ? task.suspend(t, r.server.procs.byPid(t.pid), by) : MACH_SEND_INVALID_DEST);
}

/** A bootstrap routine: `bootstrap` must name the bootstrap port. */
function onBootstrap<T extends { kr: number }>(r: Request, name: number, zero: Omit<T, 'kr'>, f: () => T): T {
  return mach(r).kobject(space(r), name, 'bootstrap') ? f() : ({ kr: MACH_SEND_INVALID_DEST, ...zero } as T);
}

/** Routine number -> decoder, handler and encoder. */
export const MACH_CALLS: ReadonlyMap<number, Routine<Request>> = machRoutines(HANDLERS);

