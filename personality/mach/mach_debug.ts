// A task's names as plain rows, for /proc/PID/ports and lsmp (XNU's mach_port_space_info, in
// mach_debug.c): one PortView per name of the process's IPC space, in name order, with its rights,
// references, requests, receive-right queue, the receiver of the port it names and the kernel object
// behind it. It only reads: a process that never used Mach has no space, and none is made for it.
import {
  MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_SEND_ONCE, MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME,
} from '../../abi/mach.js';
import type { PortRight, PortView } from '../vfs/procfs.js';
import type { Ipc } from './ipc.js';
import type { Entry } from './ipc_space.js';
import type { Kobject, Port } from './ipc_port.js';
import type { TaskObject } from './mach.js';

const RIGHTS: ReadonlyArray<[number, PortRight]> = [
  [MACH_PORT_TYPE_RECEIVE, 'recv'], [MACH_PORT_TYPE_SEND, 'send'], [MACH_PORT_TYPE_SEND_ONCE, 'send-once'],
  [MACH_PORT_TYPE_PORT_SET, 'port-set'], [MACH_PORT_TYPE_DEAD_NAME, 'dead-name'],
];

function kobjectView(k: Kobject): PortView['kobject'] {
  return k.kind === 'task' || k.kind === 'thread' ? { kind: k.kind, pid: (k as TaskObject).task.pid } : { kind: k.kind };
}

function receiverOf(port: Port): PortView['receiver'] {
  return port.kobject ? 'kernel' : port.receiver?.pid;
}

function row(e: Entry): PortView {
  const port = e.port;
  const recv = e.has(MACH_PORT_TYPE_RECEIVE) ? port : undefined;
  const counted = e.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DEAD_NAME);
  return {
    name: e.name,
    object: e.object?.id,
    rights: RIGHTS.filter(([bit]) => e.has(bit)).map(([, right]) => right),
    urefs: counted ? e.urefs : undefined,
    requests: { noSenders: !!recv?.nsrequest, portDestroyed: !!recv?.pdrequest, deadName: !!e.dnrequest },
    queue: recv && { count: recv.queue.length, limit: recv.qlimit, mscount: recv.mscount },
    receiver: port && receiverOf(port),
    kobject: port?.kobject && kobjectView(port.kobject),
    members: e.pset && [...e.pset.members].map((p) => p.id),
  };
}

/** The names of process `pid`'s space (none if it has none). */
export function spaceInfo(ipc: Ipc, pid: number): PortView[] {
  const space = ipc.spaceOf(pid);
  return space ? space.all().sort((a, b) => a.name - b.name).map(row) : [];
}
